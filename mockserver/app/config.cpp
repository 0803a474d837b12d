// Configuration loading: one loader per top-level section, dispatched from one table.
#include "app/config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "app/config_exchange.hpp"
#include "app/config_yaml.hpp"
#include "app/profiles.hpp"

namespace exosim::app {

namespace {

using yaml::Context;
using Node = YAML::Node;
using transport::ListenerConfig;
using transport::TlsMode;

core::TlsVersion tls_version(const Context& ctx, const Node& node, const std::string& path) {
    std::string v = yaml::string(ctx, node, path);
    if (v.starts_with("TLSv")) v = v.substr(4);
    if (v == "1" || v == "1.0") return core::TlsVersion::tls1_0;
    if (v == "1.1") return core::TlsVersion::tls1_1;
    if (v == "1.2") return core::TlsVersion::tls1_2;
    if (v == "1.3") return core::TlsVersion::tls1_3;
    yaml::fail(ctx, node, path, "'" + v + "' is not a TLS version (1.0, 1.1, 1.2, 1.3)");
}

void load_tls(const Context& ctx, const Node& node, const std::string& path, transport::TlsSettings& tls) {
    yaml::check_keys(ctx, node, path, {"mode", "min", "max", "ciphers", "ciphersuites", "certificate", "cert_file",
                                       "key_file", "request_client_cert"});
    if (auto n = node["mode"])
        tls.mode = yaml::choice<TlsMode>(ctx, n, yaml::child(path, "mode"),
                                         {{"starttls", TlsMode::starttls}, {"implicit", TlsMode::implicit},
                                          {"none", TlsMode::none}});
    if (auto n = node["min"]) tls.min = tls_version(ctx, n, yaml::child(path, "min"));
    if (auto n = node["max"]) tls.max = tls_version(ctx, n, yaml::child(path, "max"));
    if (tls.min > tls.max) yaml::fail(ctx, node, yaml::child(path, "min"), "minimum TLS version above maximum");
    if (auto n = node["ciphers"]) tls.ciphers = yaml::string(ctx, n, yaml::child(path, "ciphers"));
    if (auto n = node["ciphersuites"]) tls.ciphersuites = yaml::string(ctx, n, yaml::child(path, "ciphersuites"));
    if (auto n = node["certificate"]) tls.certificate = yaml::string(ctx, n, yaml::child(path, "certificate"));
    if (auto n = node["cert_file"]) tls.cert_file = yaml::string(ctx, n, yaml::child(path, "cert_file"));
    if (auto n = node["key_file"]) tls.key_file = yaml::string(ctx, n, yaml::child(path, "key_file"));
    if (auto n = node["request_client_cert"])
        tls.request_client_cert = yaml::boolean(ctx, n, yaml::child(path, "request_client_cert"));
    if (!tls.key_file.empty() && tls.cert_file.empty())
        yaml::fail(ctx, node, yaml::child(path, "key_file"), "key_file needs cert_file");
}

void load_timeouts(const Context& ctx, const Node& node, const std::string& path, transport::Timeouts& t) {
    yaml::check_keys(ctx, node, path, {"command", "data", "tls", "min_data_rate", "blackhole"});
    auto positive = [&](const char* key, std::chrono::milliseconds& out) {
        if (auto n = node[key]) {
            out = yaml::seconds(ctx, n, yaml::child(path, key));
            if (out.count() <= 0) yaml::fail(ctx, n, yaml::child(path, key), "must be above 0");
        }
    };
    positive("command", t.command);
    positive("data", t.data_block);
    positive("tls", t.tls_handshake);
    positive("blackhole", t.blackhole);
    if (auto n = node["min_data_rate"])  // octets per second; 0 disables the extension
        t.min_data_rate = yaml::unsigned_integer(ctx, n, yaml::child(path, "min_data_rate"), 1u << 30);
}

void load_limits(const Context& ctx, const Node& node, const std::string& path, transport::ListenerLimits& l) {
    yaml::check_keys(ctx, node, path, {"max_connections", "max_per_client"});
    if (auto n = node["max_connections"])
        l.max_connections = yaml::unsigned_integer(ctx, n, yaml::child(path, "max_connections"), 1000000);
    if (auto n = node["max_per_client"])
        l.max_connections_per_client = yaml::unsigned_integer(ctx, n, yaml::child(path, "max_per_client"), 1000000);
}

ListenerConfig load_listener(const Context& ctx, const Node& node, const std::string& path) {
    yaml::check_keys(ctx, node, path,
                     {"name", "profile", "address", "port", "hostname", "tls", "timeouts", "limits", "behaviour"});
    yaml::require_keys(ctx, node, path, {"name", "port"});
    ListenerConfig l;
    l.name = yaml::string(ctx, node["name"], yaml::child(path, "name"));
    if (l.name.empty() || l.name.find_first_of(" \t") != std::string::npos)
        yaml::fail(ctx, node["name"], yaml::child(path, "name"), "must be a non-empty word");
    if (auto n = node["profile"]) {
        l.profile = yaml::string(ctx, n, yaml::child(path, "profile"));
        if (!is_known_profile(l.profile))
            yaml::fail(ctx, n, yaml::child(path, "profile"), "unknown profile '" + l.profile + "' (known: " +
                                                                 known_profiles() + ")");
    }
    if (auto n = node["address"]) l.address = yaml::string(ctx, n, yaml::child(path, "address"));
    l.port = static_cast<std::uint16_t>(yaml::unsigned_integer(ctx, node["port"], yaml::child(path, "port"), 65535));
    if (auto n = node["hostname"]) l.hostname = yaml::string(ctx, n, yaml::child(path, "hostname"));
    if (auto n = node["tls"]) load_tls(ctx, n, yaml::child(path, "tls"), l.tls);
    // Exchange endpoints offer TLS 1.2 at most unless the listener says `max` (reference §8).
    if (exchange_tls_default(l.profile) && !(node["tls"] && node["tls"]["max"]) && l.tls.min <= core::TlsVersion::tls1_2)
        l.tls.max = core::TlsVersion::tls1_2;
    if (auto n = node["timeouts"]) load_timeouts(ctx, n, yaml::child(path, "timeouts"), l.timeouts);
    if (auto n = node["limits"]) load_limits(ctx, n, yaml::child(path, "limits"), l.limits);
    if (auto n = node["behaviour"])
        l.behaviour = yaml::choice<transport::ListenerBehaviour>(
            ctx, n, yaml::child(path, "behaviour"),
            {{"smtp", transport::ListenerBehaviour::smtp}, {"blackhole", transport::ListenerBehaviour::blackhole},
             {"refuse", transport::ListenerBehaviour::refuse}});
    return l;
}

// --- top-level sections ----------------------------------------------------------------------

void load_data_dir(const Context& ctx, const Node& n, AppConfig& c) {
    c.data_dir = yaml::string(ctx, n, "data_dir");
    if (c.data_dir.empty()) yaml::fail(ctx, n, "data_dir", "must not be empty");
}

void load_capture(const Context& ctx, const Node& n, AppConfig& c) {
    c.capture = yaml::choice<store::CaptureMode>(
        ctx, n, "capture",
        {{"disk", store::CaptureMode::disk}, {"memory", store::CaptureMode::memory}, {"off", store::CaptureMode::off}});
}

void load_listeners(const Context& ctx, const Node& n, AppConfig& c) {
    yaml::expect_sequence(ctx, n, "listeners");
    c.listeners.clear();
    std::set<std::string> names;
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::string path = yaml::item("listeners", i);
        c.listeners.push_back(load_listener(ctx, n[i], path));
        if (!names.insert(c.listeners.back().name).second)
            yaml::fail(ctx, n[i]["name"], yaml::child(path, "name"), "duplicate listener name");
    }
}

void load_accounts(const Context& ctx, const Node& n, AppConfig& c) {
    yaml::expect_sequence(ctx, n, "accounts");
    c.accounts.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::string path = yaml::item("accounts", i);
        yaml::check_keys(ctx, n[i], path, {"user", "password"});
        yaml::require_keys(ctx, n[i], path, {"user", "password"});
        c.accounts.push_back({yaml::string(ctx, n[i]["user"], yaml::child(path, "user")),
                              yaml::string(ctx, n[i]["password"], yaml::child(path, "password"))});
    }
}

void load_address_map(const Context& ctx, const Node& n, AppConfig& c) {
    yaml::expect_sequence(ctx, n, "address_map");
    std::vector<transport::AddressMap::Entry> entries;
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::string path = yaml::item("address_map", i);
        yaml::check_keys(ctx, n[i], path, {"from", "to"});
        yaml::require_keys(ctx, n[i], path, {"from", "to"});
        entries.push_back({yaml::string(ctx, n[i]["from"], yaml::child(path, "from")),
                           yaml::string(ctx, n[i]["to"], yaml::child(path, "to"))});
    }
    c.address_map = transport::AddressMap(std::move(entries), c.address_map.default_seen());
}

void load_default_seen(const Context& ctx, const Node& n, AppConfig& c) {
    c.address_map = transport::AddressMap(c.address_map.entries(), yaml::string(ctx, n, "default_seen_address"));
}

void load_threads(const Context& ctx, const Node& n, AppConfig& c) {
    c.threads = yaml::unsigned_integer(ctx, n, "threads", 256);
}

void load_bare_line_endings(const Context& ctx, const Node& n, AppConfig& c) {
    c.bare_line_endings = yaml::choice<core::BareLineEnding>(
        ctx, n, "bare_line_endings",
        {{"reject", core::BareLineEnding::reject}, {"normalize", core::BareLineEnding::normalize}});
}

void load_pregreet(const Context& ctx, const Node& n, AppConfig& c) {
    c.pregreet = yaml::choice<PregreetMode>(ctx, n, "pregreet",
                                            {{"reject", PregreetMode::reject}, {"log", PregreetMode::log}});
}

void load_control(const Context& ctx, const Node& n, AppConfig& c) {
    yaml::check_keys(ctx, n, "control", {"enabled", "address", "port"});
    if (auto v = n["enabled"]) c.control.enabled = yaml::boolean(ctx, v, "control.enabled");
    if (auto v = n["address"]) c.control.address = yaml::string(ctx, v, "control.address");
    if (auto v = n["port"])
        c.control.port = static_cast<std::uint16_t>(yaml::unsigned_integer(ctx, v, "control.port", 65535));
}

void load_identity(const Context& ctx, const Node& n, AppConfig& c) {
    yaml::check_keys(ctx, n, "identity",
                     {"enabled", "address", "port", "verification_uri", "mfa_code", "auto_approve"});
    if (auto v = n["enabled"]) c.identity.enabled = yaml::boolean(ctx, v, "identity.enabled");
    if (auto v = n["address"]) c.identity.address = yaml::string(ctx, v, "identity.address");
    if (auto v = n["port"])
        c.identity.port = static_cast<std::uint16_t>(yaml::unsigned_integer(ctx, v, "identity.port", 65535));
    if (auto v = n["verification_uri"]) c.identity.verification_uri = yaml::string(ctx, v, "identity.verification_uri");
    if (auto v = n["mfa_code"]) c.identity.mfa_code = yaml::string(ctx, v, "identity.mfa_code");
    if (auto a = n["auto_approve"]) {
        yaml::check_keys(ctx, a, "identity.auto_approve", {"user", "delay"});
        if (auto v = a["user"]) c.identity.auto_approve_user = yaml::string(ctx, v, "identity.auto_approve.user");
        if (auto v = a["delay"])
            c.identity.auto_approve_delay =
                std::chrono::seconds(yaml::unsigned_integer(ctx, v, "identity.auto_approve.delay", 3600));
    }
}

using SectionLoader = void (*)(const Context&, const Node&, AppConfig&);

struct Section {
    std::string_view key;
    SectionLoader load;
};

// One row per top-level key; the Exchange Online sections load in config_exchange.cpp.
constexpr Section sections[] = {
    {"data_dir", load_data_dir},
    {"capture", load_capture},
    {"listeners", load_listeners},
    {"accounts", load_accounts},
    {"address_map", load_address_map},
    {"default_seen_address", load_default_seen},
    {"threads", load_threads},
    {"bare_line_endings", load_bare_line_endings},
    {"pregreet", load_pregreet},
    {"control", load_control},
    {"identity", load_identity},
    {"clock", load_clock},
    {"exchange", load_exchange},
    {"tenants", load_tenants},
    {"blocked_ips", load_blocked_ips},
    {"spf_records", load_spf_records},
};

}  // namespace

AppConfig load_config_text(std::string_view text, const std::string& source, AppConfig base) {
    Context ctx{source};
    Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                          ": " + e.msg);
    }
    if (root.IsNull()) return base;  // an empty file changes nothing
    if (!root.IsMap()) yaml::fail(ctx, root, "", "expected a mapping of sections");
    for (auto it = root.begin(); it != root.end(); ++it) {
        std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string{};
        const Section* section = nullptr;
        for (const Section& s : sections)
            if (s.key == key) section = &s;
        if (!section) {
            std::string list;
            for (const Section& s : sections) list += (list.empty() ? "" : ", ") + std::string(s.key);
            yaml::fail(ctx, it->first, key, "unknown key (allowed: " + list + ")");
        }
        section->load(ctx, it->second, base);
    }
    return base;
}

AppConfig load_config(const std::optional<std::filesystem::path>& file) {
    AppConfig config = load_config_text(embedded_default_config(), "<embedded default>");
    if (!file) return config;
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw ConfigError(file->string() + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    return load_config_text(text.str(), file->string(), std::move(config));
}

void validate(const AppConfig& config) {
    if (config.listeners.empty()) throw ConfigError("configuration: no listeners");
    try {
        config.directory.validate();
    } catch (const std::invalid_argument& e) {
        throw ConfigError(std::string("configuration: tenants: ") + e.what());
    }
}

}  // namespace exosim::app
