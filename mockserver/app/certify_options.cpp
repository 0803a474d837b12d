// `exosim certify`'s command line: options, checks, help.
#include <sched.h>

#include <algorithm>
#include <sstream>

#include <boost/program_options.hpp>

#include "app/certify.hpp"
#include "app/cli.hpp"
#include "harness/command_template.hpp"

namespace exosim::app {

namespace po = boost::program_options;

namespace {

po::options_description certify_description() {
    po::options_description d("exosim certify (--suite NAME|FILE | --scenario FILE...) (--client CMD | --manual | --trigger-url URL) [options]");
    d.add_options()
        ("help,h", "this text")
        ("suite", po::value<std::string>(), "suite name (<scenarios-dir>/suites/NAME.yaml) or suite file")
        ("scenario", po::value<std::vector<std::string>>()->multitoken(), "scenario file(s)")
        ("client", po::value<std::string>(), "client command template, run once per attempt (placeholders below)")
        ("manual", "a person triggers the device; print what to configure and wait for its session")
        ("trigger-url", po::value<std::string>(), "http:// URL requested once per attempt to make the device send")
        ("trigger-method", po::value<std::string>()->default_value("GET"), "GET or POST for --trigger-url")
        ("out", po::value<std::string>()->default_value("exosim-report"), "report directory (junit.xml, results.json, report.html)")
        ("config,c", po::value<std::string>(), "server configuration (YAML); default: the embedded one with capture memory and no AUTH tarpit")
        ("data-dir,d", po::value<std::string>(), "server data directory (with --jobs N > 1: worker-K/ in it per worker); default: a temporary one, removed afterwards")
        ("bind", po::value<std::string>(), "listen on ADDR (e.g. the lab interface a device reaches) instead of each listener's address")
        ("real-ports", "with --manual or --trigger-url: the standard ports 587, 25, 465 instead of 1587, 1025, 1465")
        ("evidence", "ClientHello summaries (JA3/JA4) in the transcripts, TLS key logs in OUT/evidence")
        ("scenarios-dir", po::value<std::string>(), "where suite names are looked up; default: ./scenarios, else the source tree's, else /usr/share/exosim/scenarios")
        ("timeout", po::value<unsigned>(), "seconds per attempt (client command killed after it; manual: wait for the device); default 60, manual 300")
        ("client-timeout", po::value<unsigned>()->default_value(5), "seconds: the reference client's own timeout cap in {exosim_client_args}")
        ("filter", po::value<std::string>(), "only scenarios whose id or a tag contains this text")
        ("jobs,j", po::value<unsigned>(), "scenarios run at once with --client, each on its own server (default: max(CPUs, 8)); a device runs one at a time")
        ("shard", po::value<std::string>(), "I/N: run only shard I of N of the scenarios (split by scenario id); combine with `exosim report merge`")
        ("list-rules", "print the verdict rules and exit");
    return d;
}

std::string placeholder_help() {
    std::string out = "client command placeholders (values are shell-quoted; write them bare, {{ }} for braces):\n ";
    for (auto n : harness::placeholder_names()) out += " {" + std::string(n) + "}";
    out += "\nexample: --client '{exosim_client} {exosim_client_args}'\n";
    return out;
}

void parse_trigger(const po::variables_map& vm, CertifyOptions& o) {
    if (vm.count("client")) o.client = vm["client"].as<std::string>();
    o.manual = vm.count("manual") > 0;
    if (vm.count("trigger-url")) o.trigger_url = vm["trigger-url"].as<std::string>();
    int modes = (o.client ? 1 : 0) + (o.manual ? 1 : 0) + (o.trigger_url ? 1 : 0);
    if (modes != 1) throw UsageError("give exactly one of --client, --manual and --trigger-url");
    if (o.client) {
        try {
            harness::check_template(*o.client);
        } catch (const harness::TemplateError& e) {
            throw UsageError(std::string("--client: ") + e.what());
        }
    }
    o.trigger_method = vm["trigger-method"].as<std::string>();
    if (o.trigger_method != "GET" && o.trigger_method != "POST")
        throw UsageError("--trigger-method: '" + o.trigger_method + "' is not GET or POST");
    if (o.trigger_url && o.trigger_url->rfind("http://", 0) != 0)
        throw UsageError("--trigger-url: '" + *o.trigger_url + "' is not an http:// URL");
}

void parse_parallel(const po::variables_map& vm, CertifyOptions& o) {
    if (vm.count("jobs")) {
        const unsigned j = vm["jobs"].as<unsigned>();
        if (j < 1 || j > max_jobs) throw UsageError("--jobs must be 1 to " + std::to_string(max_jobs) + ", not " + std::to_string(j));
        // A device sends when it is told to, to the one address it is configured with.
        if (j > 1 && !o.client)
            throw UsageError("--jobs " + std::to_string(j) + " is for --client: one device is one device, so --manual and "
                             "--trigger-url run one scenario at a time");
        o.jobs = j;
    }
    if (vm.count("shard")) {
        std::string why;
        o.shard = scenario::parse_shard(vm["shard"].as<std::string>(), &why);
        if (!o.shard) throw UsageError("--shard: " + why);
    }
}

void parse_server(const po::variables_map& vm, CertifyOptions& o) {
    o.out = vm["out"].as<std::string>();
    if (vm.count("config")) o.config_file = vm["config"].as<std::string>();
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
    if (vm.count("bind")) o.bind = vm["bind"].as<std::string>();
    o.real_ports = vm.count("real-ports") > 0;
    o.evidence = vm.count("evidence") > 0;
    if (o.real_ports && !o.manual && !o.trigger_url)
        throw UsageError("--real-ports is for a device (--manual or --trigger-url); a --client command gets free ports");
    if (vm.count("scenarios-dir")) o.scenarios_dir = vm["scenarios-dir"].as<std::string>();
    if (vm.count("timeout")) {
        unsigned t = vm["timeout"].as<unsigned>();
        if (t == 0) throw UsageError("--timeout must be at least 1 second");
        o.timeout = std::chrono::seconds(t);
    }
    o.client_timeout = std::chrono::seconds(std::max(1u, vm["client-timeout"].as<unsigned>()));
}

}  // namespace

std::string certify_help() {
    std::ostringstream s;
    s << certify_description() << "\n" << placeholder_help();
    return s.str();
}

CertifyOptions parse_certify_options(const std::vector<std::string>& args) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(certify_description()).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    CertifyOptions o;
    o.help = vm.count("help") > 0;
    o.list_rules = vm.count("list-rules") > 0;
    if (o.help || o.list_rules) return o;
    if (vm.count("suite")) o.suite = vm["suite"].as<std::string>();
    if (vm.count("scenario"))
        for (const auto& f : vm["scenario"].as<std::vector<std::string>>()) o.scenarios.emplace_back(f);
    if (o.suite.has_value() == !o.scenarios.empty()) throw UsageError("give exactly one of --suite and --scenario");
    parse_trigger(vm, o);
    parse_server(vm, o);
    parse_parallel(vm, o);
    if (vm.count("filter")) o.filter = vm["filter"].as<std::string>();
    return o;
}

// A client command spends most of a scenario waiting: for the server's scripted delays, for its
// own timeouts (a stalled reply costs --client-timeout), for the harness's grace after it exits.
// The whole printer-certification suite costs about 4 CPU seconds against 33 s of scenario time
// (docs/notes/certify.md), so workers are not bound by CPUs: eight keep a 2-core machine's run
// within 1.25x of its slowest scenario, and more CPUs get more workers.
unsigned default_jobs() {
    constexpr unsigned waiting_floor = 8;
    cpu_set_t set;
    unsigned cpus = 1;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<unsigned>(CPU_COUNT(&set));
    return std::clamp(std::max(cpus, waiting_floor), 1u, max_jobs);
}

unsigned effective_jobs(const CertifyOptions& o) {
    if (o.jobs) return *o.jobs;
    return o.client ? default_jobs() : 1;
}

}  // namespace exosim::app
