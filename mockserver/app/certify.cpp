// `exosim certify`: an in-process server, the scenario slot on it, one run per scenario, reports.
#include "app/certify.hpp"
#include "app/server_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>

#include "app/cli.hpp"
#include "app/config.hpp"
#include "app/exchange_runtime.hpp"
#include "app/profiles.hpp"
#include "core/ascii.hpp"
#include "harness/certify_runner.hpp"
#include "harness/command_template.hpp"
#include "harness/scenario_slot.hpp"
#include "scenario/report_html.hpp"
#include "scenario/report_json.hpp"
#include "scenario/report_junit.hpp"
#include "scenario/scenario_error.hpp"
#include "scenario/verdict.hpp"
#include "scenario/yaml_io.hpp"
#include "store/message_store.hpp"
#include "transport/certs.hpp"
#include "transport/registry.hpp"
#include "transport/server.hpp"

#ifndef EXOSIM_SCENARIOS_DIR
#define EXOSIM_SCENARIOS_DIR ""
#endif

namespace exosim::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

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
        ("data-dir,d", po::value<std::string>(), "server data directory; default: a temporary one, removed afterwards")
        ("bind", po::value<std::string>(), "listen on ADDR (e.g. the lab interface a device reaches) instead of each listener's address")
        ("real-ports", "with --manual or --trigger-url: the standard ports 587, 25, 465 instead of 1587, 1025, 1465")
        ("scenarios-dir", po::value<std::string>(), "where suite names are looked up; default: ./scenarios, else the source tree's")
        ("timeout", po::value<unsigned>(), "seconds per attempt (client command killed after it; manual: wait for the device); default 60, manual 300")
        ("client-timeout", po::value<unsigned>()->default_value(5), "seconds: the reference client's own timeout cap in {exosim_client_args}")
        ("filter", po::value<std::string>(), "only scenarios whose id or a tag contains this text")
        ("list-rules", "print the verdict rules and exit");
    return d;
}

std::string placeholder_help() {
    std::string out = "client command placeholders (values are shell-quoted; write them bare, {{ }} for braces):\n ";
    for (auto n : harness::placeholder_names()) out += " {" + std::string(n) + "}";
    out += "\nexample: --client '{exosim_client} {exosim_client_args}'\n";
    return out;
}

std::string iso_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream s;
    s << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    return s.str();
}

fs::path scenarios_root(const CertifyOptions& o) {
    if (o.scenarios_dir) return *o.scenarios_dir;
    if (fs::is_directory("scenarios/suites")) return "scenarios";
    return EXOSIM_SCENARIOS_DIR;
}

fs::path suite_file(const CertifyOptions& o) {
    const std::string& s = *o.suite;
    bool is_file = s.find('/') != std::string::npos || s.ends_with(".yaml") || s.ends_with(".yml");
    fs::path file = is_file ? fs::path(s) : scenarios_root(o) / "suites" / (s + ".yaml");
    if (!fs::is_regular_file(file)) {
        std::string known;
        fs::path dir = is_file ? fs::path() : scenarios_root(o) / "suites";
        std::error_code ec;
        if (!dir.empty() && fs::is_directory(dir, ec))
            for (const auto& e : fs::directory_iterator(dir, ec))
                if (e.path().extension() == ".yaml") known += (known.empty() ? "" : ", ") + e.path().stem().string();
        throw UsageError("--suite: no suite file " + file.string() + (known.empty() ? "" : " (suites: " + known + ")"));
    }
    return file;
}

bool matches_filter(const scenario::Scenario& s, const std::optional<std::string>& filter) {
    if (!filter) return true;
    if (s.id.find(*filter) != std::string::npos) return true;
    return std::any_of(s.tags.begin(), s.tags.end(), [&](const std::string& t) { return t.find(*filter) != std::string::npos; });
}

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "exosim-certify-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary data directory");
    return pattern;
}

fs::path sibling_client() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "exosim-client";
    return self.parent_path() / "exosim-client";
}

bool write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
}

std::string seconds_text(milliseconds d) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << static_cast<double>(d.count()) / 1000.0 << " s";
    return s.str();
}

// Finding messages may quote wire bytes (a ClientHello where a command was due): keep the
// terminal readable, \xNN for anything that is not printable ASCII.
std::string printable(std::string_view text, std::size_t max = 200) {
    std::string out;
    for (char c : text) {
        auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7f) {
            out += c;
        } else {
            out += "\\x";
            core::ascii::append_hex(out, b);
        }
        if (out.size() >= max) return out + "...";
    }
    return out;
}

// One line per scenario; the rules that broke expectations follow, indented.
void print_result(std::ostream& out, std::size_t index, std::size_t total, const scenario::RunResult& r) {
    out << "[" << index << "/" << total << "] " << r.scenario_id << " ... " << scenario::verdict_name(r.verdict)
        << " (" << r.attempts << " connection" << (r.attempts == 1 ? "" : "s") << ", " << seconds_text(r.duration)
        << ")" << std::endl;
    if (!r.error.empty()) out << "    error: " << printable(r.error, 400) << std::endl;
    for (const auto& f : r.findings) {
        if (f.as_expected) continue;
        out << "    " << f.rule << ": " << scenario::verdict_name(f.verdict);
        if (f.expected) out << " (expected " << scenario::verdict_name(*f.expected) << ")";
        if (!f.message.empty()) out << " - " << printable(f.message);
        out << std::endl;
    }
}

std::vector<std::shared_ptr<const scenario::Scenario>> load_scenarios(const CertifyOptions& o, std::string& suite_name) {
    std::vector<scenario::Scenario> loaded;
    if (o.suite) {
        scenario::Suite suite = scenario::load_suite(suite_file(o));
        suite_name = suite.name.empty() ? *o.suite : suite.name;
        loaded = scenario::load_suite_scenarios(suite);
    } else {
        suite_name = "scenarios";
        for (const auto& f : o.scenarios) loaded.push_back(scenario::load_scenario(f));
    }
    std::vector<std::shared_ptr<const scenario::Scenario>> out;
    for (auto& s : loaded)
        if (matches_filter(s, o.filter)) out.push_back(std::make_shared<const scenario::Scenario>(std::move(s)));
    return out;
}

// The server certify runs the scenarios in: configured listeners on free ports (a device in
// manual mode needs the configured ones), messages in memory and no AUTH tarpit unless a
// configuration says otherwise, and the scenario slot hooked into every session.
class CertifyServer {
public:
    CertifyServer(const CertifyOptions& o, AppConfig config)
        : config_(std::move(config)),
          temp_data_(!o.data_dir),
          data_dir_(prepare_data_dir(o)),
          ca_(data_dir_ / "tls"),
          exchange_((ca_.ensure_defaults(), std::make_shared<ExchangeRuntime>(config_, data_dir_))),
          store_(data_dir_, config_.capture),
          slot_(registry_, tenant_overrides(exchange_)) {
        transport::ServerOptions so = server_options(config_, exchange_, store_, registry_, ca_, slot_);
        so.shutdown_grace = std::chrono::seconds(2);
        server_ = std::make_unique<transport::Server>(std::move(so));
        server_->start();
    }
    ~CertifyServer() {
        server_.reset();
        std::error_code ec;
        if (temp_data_) fs::remove_all(data_dir_, ec);
    }

    harness::ScenarioSlot& slot() { return slot_; }
    transport::Server& server() { return *server_; }
    transport::CertificateAuthority& ca() { return ca_; }
    const fs::path& data_dir() const { return data_dir_; }
    std::shared_ptr<ExchangeRuntime> exchange() const { return exchange_; }
    const AppConfig& config() const { return config_; }

private:
    fs::path prepare_data_dir(const CertifyOptions& o) {
        fs::path dir = o.data_dir ? *o.data_dir : make_temp_dir();
        fs::create_directories(dir);
        config_.data_dir = dir;
        return fs::absolute(dir).lexically_normal();
    }

    AppConfig config_;
    bool temp_data_;
    fs::path data_dir_;
    transport::CertificateAuthority ca_;
    std::shared_ptr<ExchangeRuntime> exchange_;
    store::MessageStore store_;
    transport::SessionRegistry registry_;
    harness::ScenarioSlot slot_;
    std::unique_ptr<transport::Server> server_;
};

AppConfig certify_config(const CertifyOptions& o) {
    AppConfig config = load_config(o.config_file);
    if (!o.config_file) {
        config.capture = store::CaptureMode::memory;
        config.exchange.auth_tarpit = milliseconds(0);
    }
    apply_listener_overrides(config, o.bind, o.real_ports);
    // A command runs on this machine and is told the ports; a device is configured by hand.
    if (!o.manual && !o.trigger_url)
        for (auto& l : config.listeners) l.port = 0;
    validate(config);
    return config;
}

// Listener -> the name its generated certificate is issued for (what {servername} defaults to).
std::map<std::string, std::string> certificate_names(const AppConfig& config) {
    std::map<std::string, std::string> names;
    for (const auto& l : effective_listeners(config)) {
        if (!l.tls.cert_file.empty()) continue;
        std::string n = l.tls.certificate;
        // A wildcard certificate: a name it covers, the way a tenant's MX host is named.
        if (n.rfind("*.", 0) == 0) n = "contoso-com" + n.substr(1);
        names[l.name] = n;
    }
    return names;
}

harness::RunnerOptions runner_options(const CertifyOptions& o, CertifyServer& cs) {
    harness::RunnerOptions ro;
    ro.progress = &std::cout;
    ro.ca_file = cs.ca().ca_file();
    ro.exosim_client = sibling_client();
    ro.work_dir = cs.data_dir() / "attachments";
    ro.client_timeout = o.client_timeout;
    ro.attempt_timeout = o.timeout ? milliseconds(*o.timeout) : o.manual ? std::chrono::minutes(5) : std::chrono::minutes(1);
    if (o.client) {
        ro.mode = harness::TriggerMode::client;
        ro.command = *o.client;
        harness::check_template(ro.command);  // unknown placeholders are usage errors
        // {client_cert}/{client_key} stay empty unless the scenario's send.client_certificate asks
        // for one: a certificate presented in every scenario would turn direct send into relay.
    } else if (o.manual) {
        ro.mode = harness::TriggerMode::manual;
    } else {
        ro.mode = harness::TriggerMode::url;
        ro.trigger_url = *o.trigger_url;
        ro.trigger_method = o.trigger_method;
    }
    ro.endpoint = [&server = cs.server(), names = certificate_names(cs.config())](
                      const std::string& name) -> std::optional<harness::Endpoint> {
        for (const auto& l : server.listeners()) {
            if (l.name != name) continue;
            std::string host = l.address == "0.0.0.0" || l.address.empty() ? "127.0.0.1" : l.address == "::" ? "::1" : l.address;
            auto cert = names.find(name);
            return harness::Endpoint{host, l.port, l.tls_mode != transport::TlsMode::none,
                                     cert == names.end() ? std::string() : cert->second};
        }
        return std::nullopt;
    };
    // send.client_certificate (relay connector by certificate): issued by the local CA, reused.
    ro.client_certificate = [&ca = cs.ca()](const std::string& name) {
        transport::CertFiles cert = ca.client_cert(name);
        return std::make_pair(cert.chain, cert.key);
    };
    ro.mint_token = [exchange = cs.exchange()](const std::string& user) {
        return exchange->mint_token(user, std::chrono::hours(1));
    };
    return ro;
}

bool write_reports(const fs::path& out, const scenario::SuiteResult& suite) {
    std::error_code ec;
    fs::create_directories(out, ec);
    return !ec && write_file(out / "junit.xml", scenario::junit_xml(suite)) &&
           write_file(out / "results.json", scenario::results_json(suite)) &&
           write_file(out / "report.html", scenario::report_html(suite));
}

int run(const CertifyOptions& o) {
    std::string suite_name;
    std::vector<std::shared_ptr<const scenario::Scenario>> scenarios;
    try {
        scenarios = load_scenarios(o, suite_name);
    } catch (const UsageError&) {
        throw;
    } catch (const std::exception& e) {
        std::cerr << "exosim certify: " << e.what() << "\n";
        return 2;
    }
    if (scenarios.empty()) {
        std::cerr << "exosim certify: no scenario to run" << (o.filter ? " (--filter " + *o.filter + ")" : "") << "\n";
        return 2;
    }
    CertifyServer cs(o, certify_config(o));
    for (const auto& l : cs.server().listeners()) std::cout << transport::listening_line(l) << "\n";
    harness::RunnerOptions ro = runner_options(o, cs);

    scenario::SuiteResult suite;
    suite.name = suite_name;
    suite.started_at = iso_now();
    auto started = Clock::now();
    std::cout << "running " << scenarios.size() << " scenario" << (scenarios.size() == 1 ? "" : "s") << " ("
              << suite_name << ")" << std::endl;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        suite.runs.push_back(harness::run_scenario(cs.slot(), scenarios[i], ro));
        print_result(std::cout, i + 1, scenarios.size(), suite.runs.back());
    }
    suite.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    cs.server().shutdown();

    bool written = write_reports(o.out, suite);
    std::cout << suite.count(scenario::Verdict::pass) << " pass, " << suite.count(scenario::Verdict::fail) << " fail, "
              << suite.count(scenario::Verdict::error) << " error, " << suite.count(scenario::Verdict::skipped)
              << " skipped in " << seconds_text(suite.duration) << "; reports in " << o.out.string() << std::endl;
    if (!written) {
        std::cerr << "exosim certify: cannot write the reports to " << o.out << "\n";
        return 1;
    }
    return suite.all_passed() ? 0 : 1;
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
    o.out = vm["out"].as<std::string>();
    if (vm.count("config")) o.config_file = vm["config"].as<std::string>();
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
    if (vm.count("bind")) o.bind = vm["bind"].as<std::string>();
    o.real_ports = vm.count("real-ports") > 0;
    if (o.real_ports && !o.manual && !o.trigger_url)
        throw UsageError("--real-ports is for a device (--manual or --trigger-url); a --client command gets free ports");
    if (vm.count("scenarios-dir")) o.scenarios_dir = vm["scenarios-dir"].as<std::string>();
    if (vm.count("timeout")) {
        unsigned t = vm["timeout"].as<unsigned>();
        if (t == 0) throw UsageError("--timeout must be at least 1 second");
        o.timeout = std::chrono::seconds(t);
    }
    o.client_timeout = std::chrono::seconds(std::max(1u, vm["client-timeout"].as<unsigned>()));
    if (vm.count("filter")) o.filter = vm["filter"].as<std::string>();
    return o;
}

int certify(const CertifyOptions& options) {
    if (options.list_rules) {
        for (const auto& r : scenario::rule_catalogue())
            std::cout << r.id << "\t" << r.summary << (r.reference.empty() ? "" : "  [" + std::string(r.reference) + "]") << "\n";
        return 0;
    }
    try {
        return run(options);
    } catch (const UsageError& e) {
        std::cerr << "exosim certify: " << e.what() << "\n";
        return 2;
    } catch (const ConfigError& e) {
        std::cerr << "exosim certify: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "exosim certify: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace exosim::app
