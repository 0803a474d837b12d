// `exosim fuzz-client`'s command line: options, checks, help.
#include <sstream>

#include <boost/program_options.hpp>

#include "app/certify.hpp"
#include "app/cli.hpp"
#include "app/fuzz_client.hpp"
#include "fuzz/anomaly.hpp"
#include "fuzz/case_scenario.hpp"
#include "harness/command_template.hpp"

namespace exosim::app {

namespace po = boost::program_options;

namespace {

po::options_description description() {
    po::options_description d("exosim fuzz-client --client CMD [options]");
    d.add_options()
        ("help,h", "this text")
        ("client", po::value<std::string>(), "client command template, run once per case (certify's placeholders)")
        ("manual", "a device: a person triggers each case (the configured ports; --bind, --real-ports)")
        ("trigger-url", po::value<std::string>(), "a device: an http:// URL requested once per case makes it send")
        ("bind", po::value<std::string>(), "device: listen on ADDR (the lab interface) instead of each listener's address")
        ("real-ports", "device: the standard ports 587, 25, 465")
        ("probe", po::value<std::string>(), "device: tcp:HOST:PORT that must accept a connection after every case (web UI, IPP 631, 9100)")
        ("reconnect-within", po::value<unsigned>()->default_value(60), "device: seconds after the trigger within which its session must start")
        ("confirm", po::value<unsigned>()->default_value(2), "device: replays of a back-searched fault before it is reported (1..10)")
        ("back-search", po::value<unsigned>()->default_value(80), "device: the longest window of earlier cases replayed to find a fault's cause (1..1000)")
        ("seed", po::value<std::string>(), "seed of the run (default: random, always printed)")
        ("cases", po::value<std::string>(), "at most this many cases (random mode default: 100)")
        ("minutes", po::value<double>(), "stop starting new cases after this many minutes")
        ("mode", po::value<std::string>()->default_value("catalogue"), "catalogue (every class at every stage) or random")
        ("depth", po::value<unsigned>()->default_value(1), "random mode: anomalies per case, on distinct stages (1..11)")
        ("stages", po::value<std::string>(), "comma list of stages to fuzz (default: all; --list-stages)")
        ("anomalies", po::value<std::string>(), "comma list of anomaly classes, or groups (default: all; --list-anomalies)")
        ("endpoint", po::value<std::string>()->default_value("submission"), "listener whose profile answers the valid stages: submission, legacy, mx")
        ("out", po::value<std::string>()->default_value("fuzz-report"), "output directory (cases.jsonl, junit.xml, report.html, findings/)")
        ("jobs,j", po::value<unsigned>()->default_value(1), "cases run at once, each on its own server (1..64)")
        ("list", "print the cases (id, stage, anomaly, exact bytes) without running them")
        ("list-stages", "print the stages and exit")
        ("list-anomalies", "print the anomaly classes and exit")
        ("case", po::value<std::string>(), "replay exactly this case id (from --list, a report or a finding)")
        ("deadline", po::value<unsigned>()->default_value(10), "seconds per case: a client still running then is a hang")
        ("client-timeout", po::value<unsigned>()->default_value(2), "seconds: the reference client's timeout in {exosim_client_args}")
        ("max-rss-mb", po::value<std::size_t>()->default_value(1024), "memory oracle: resident memory limit in MiB (0: off)")
        ("minimise-budget", po::value<std::size_t>()->default_value(60), "confirming runs per finding for minimisation (0: off)")
        ("config,c", po::value<std::string>(), "server configuration (YAML); default: the embedded one")
        ("data-dir,d", po::value<std::string>(), "server data directory; default: a temporary one");
    return d;
}

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::uint64_t whole_number(const po::variables_map& vm, const std::string& key) {
    const std::string v = vm[key].as<std::string>();
    std::size_t used = 0;
    try {
        if (!v.empty() && v[0] != '-') {
            const unsigned long long n = std::stoull(v, &used, 10);
            if (used == v.size()) return n;
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--" + key + ": '" + v + "' is not a whole number (0..18446744073709551615)");
}

void parse_selection(const po::variables_map& vm, FuzzClientOptions& o) {
    if (vm.count("stages")) {
        for (const std::string& name : comma_list(vm["stages"].as<std::string>())) {
            auto s = fuzz::stage_from_name(name);
            if (!s) throw UsageError("--stages: '" + name + "' is not a stage (see --list-stages)");
            o.stages.push_back(*s);
        }
    }
    if (!vm.count("anomalies")) return;
    for (const std::string& name : comma_list(vm["anomalies"].as<std::string>())) {
        const auto classes = fuzz::anomaly_classes();
        bool found = false;
        for (std::size_t i = 0; i < classes.size(); ++i) {
            if (classes[i].name == name || classes[i].group == name) {
                o.anomalies.push_back(i);
                found = true;
            }
        }
        if (!found) throw UsageError("--anomalies: '" + name + "' is neither an anomaly class nor a group (see --list-anomalies)");
    }
}

void parse_device(const po::variables_map& vm, FuzzClientOptions& o) {
    if (vm.count("bind")) o.bind = vm["bind"].as<std::string>();
    o.real_ports = vm.count("real-ports") > 0;
    if ((o.bind || o.real_ports) && !is_device(o)) throw UsageError("--bind and --real-ports are for a device (--manual or --trigger-url)");
    if (vm.count("probe")) {
        o.probe = parse_probe(vm["probe"].as<std::string>());
        if (!o.probe) throw UsageError("--probe: '" + vm["probe"].as<std::string>() + "' is not tcp:HOST:PORT");
        if (!is_device(o)) throw UsageError("--probe is for a device (--manual or --trigger-url)");
    }
    o.reconnect_within = std::chrono::seconds(vm["reconnect-within"].as<unsigned>());
    if (o.reconnect_within.count() < 1 || o.reconnect_within.count() > 3600) throw UsageError("--reconnect-within must be 1 to 3600 seconds");
    o.confirm = vm["confirm"].as<unsigned>();
    if (o.confirm < 1 || o.confirm > 10) throw UsageError("--confirm must be 1 to 10");
    o.back_search = vm["back-search"].as<unsigned>();
    if (o.back_search < 1 || o.back_search > 1000) throw UsageError("--back-search must be 1 to 1000");
    if (is_device(o) && o.jobs > 1) throw UsageError("--jobs is for --client: one device is one device");
}

void parse_target(const po::variables_map& vm, FuzzClientOptions& o) {
    if (vm.count("client")) o.client = vm["client"].as<std::string>();
    o.manual = vm.count("manual") > 0;
    if (vm.count("trigger-url")) o.trigger_url = vm["trigger-url"].as<std::string>();
    const int targets = (o.client ? 1 : 0) + (o.manual ? 1 : 0) + (o.trigger_url ? 1 : 0);
    if (targets > 1) throw UsageError("give one of --client, --manual and --trigger-url");
    if (targets == 0 && !o.list) throw UsageError("give --client CMD, --manual or --trigger-url URL (or --list to print the cases)");
    if (o.trigger_url && !o.trigger_url->starts_with("http://"))
        throw UsageError("--trigger-url: '" + *o.trigger_url + "' is not an http:// URL");
    if (o.client) {
        try {
            harness::check_template(*o.client);
        } catch (const harness::TemplateError& e) {
            throw UsageError(std::string("--client: ") + e.what());
        }
    }
}

void parse_run(const po::variables_map& vm, FuzzClientOptions& o) {
    const std::string mode = vm["mode"].as<std::string>();
    if (mode == "random") o.mode = fuzz::Mode::random;
    else if (mode != "catalogue") throw UsageError("--mode: '" + mode + "' is not catalogue or random");
    o.depth = vm["depth"].as<unsigned>();
    if (o.depth < 1 || o.depth > fuzz::all_stages().size()) throw UsageError("--depth must be 1 to " + std::to_string(fuzz::all_stages().size()));
    if (vm.count("seed")) o.seed = whole_number(vm, "seed");
    if (vm.count("cases")) o.cases = whole_number(vm, "cases");
    if (vm.count("minutes")) {
        o.minutes = vm["minutes"].as<double>();
        if (!(*o.minutes > 0 && *o.minutes <= 7 * 24 * 60)) throw UsageError("--minutes must be more than 0 and at most a week");
    }
    o.jobs = vm["jobs"].as<unsigned>();
    if (o.jobs < 1 || o.jobs > max_jobs) throw UsageError("--jobs must be 1 to " + std::to_string(max_jobs));
    const unsigned deadline = vm["deadline"].as<unsigned>();
    if (deadline < 1 || deadline > 3600) throw UsageError("--deadline must be 1 to 3600 seconds");
    o.deadline = std::chrono::seconds(deadline);
    o.client_timeout = std::chrono::seconds(vm["client-timeout"].as<unsigned>());
    if (o.client_timeout.count() < 1 || o.client_timeout >= o.deadline)
        throw UsageError("--client-timeout must be at least 1 s and below --deadline");
    o.max_rss_mb = vm["max-rss-mb"].as<std::size_t>();
    o.minimise_budget = vm["minimise-budget"].as<std::size_t>();
}

void parse_io(const po::variables_map& vm, FuzzClientOptions& o) {
    o.endpoint = vm["endpoint"].as<std::string>();
    bool known = false;
    for (auto e : fuzz::fuzz_endpoints()) known = known || e == o.endpoint;
    if (!known) throw UsageError("--endpoint: '" + o.endpoint + "' is not submission, legacy or mx");
    o.out = vm["out"].as<std::string>();
    o.list = vm.count("list") > 0;
    if (vm.count("case")) o.case_id = vm["case"].as<std::string>();
    if (vm.count("config")) o.config_file = vm["config"].as<std::string>();
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
}

std::string listing(const po::variables_map& vm) {
    std::ostringstream out;
    if (vm.count("list-stages")) {
        for (fuzz::Stage s : fuzz::all_stages()) out << fuzz::stage_name(s) << "\n";
    }
    if (vm.count("list-anomalies")) {
        for (const auto& c : fuzz::anomaly_classes()) out << c.name << "\t" << c.group << "\t" << c.doc << "\n";
    }
    return out.str();
}

}  // namespace

FuzzClientOptions parse_fuzz_client_options(const std::vector<std::string>& args) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(description()).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    FuzzClientOptions o;
    o.help = vm.count("help") > 0;
    if (o.help) return o;
    o.listing = listing(vm);
    if (!o.listing.empty()) return o;
    parse_io(vm, o);
    parse_selection(vm, o);
    parse_run(vm, o);
    parse_target(vm, o);
    parse_device(vm, o);
    if (o.case_id && (o.cases || o.minutes)) throw UsageError("--case replays one case: it excludes --cases and --minutes");
    return o;
}

bool is_device(const FuzzClientOptions& o) { return o.manual || o.trigger_url.has_value(); }

std::optional<std::pair<std::string, std::uint16_t>> parse_probe(const std::string& text) {
    if (!text.starts_with("tcp:")) return std::nullopt;
    const std::string rest = text.substr(4);
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() || rest.size() - colon - 1 > 5) return std::nullopt;
    const std::string port = rest.substr(colon + 1);
    if (port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const unsigned long n = std::stoul(port);
    if (n < 1 || n > 65535) return std::nullopt;
    return std::make_pair(rest.substr(0, colon), static_cast<std::uint16_t>(n));
}

std::string fuzz_client_help() {
    std::ostringstream out;
    out << description() << "\nclient command placeholders: as exosim certify (exosim certify --help)\n"
        << "example: exosim fuzz-client --client '{exosim_client} {exosim_client_args}' --stages mail,rcpt --out fuzz/\n";
    return out.str();
}

}  // namespace exosim::app
