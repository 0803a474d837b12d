// The metadata document of a stored message (message_store.hpp: meta_to_json, meta_from_json).
#include <boost/json.hpp>

#include "store/json_text.hpp"
#include "store/message_store.hpp"

namespace exosim::store {

namespace json = boost::json;

namespace {

json::string text(std::string_view s) { return json::string(to_valid_utf8(s)); }

json::value optional_text(const std::optional<std::string>& s) {
    return s ? json::value(text(*s)) : json::value(nullptr);
}

std::string_view body_name(core::Body b) {
    switch (b) {
    case core::Body::seven_bit: return "7BIT";
    case core::Body::eight_bit_mime: return "8BITMIME";
    case core::Body::binary_mime: return "BINARYMIME";
    case core::Body::unspecified: break;
    }
    return {};
}

core::Body parse_body(std::string_view s) {
    if (s == "7BIT") return core::Body::seven_bit;
    if (s == "8BITMIME") return core::Body::eight_bit_mime;
    if (s == "BINARYMIME") return core::Body::binary_mime;
    return core::Body::unspecified;
}

json::object envelope_json(const core::Envelope& env) {
    json::object params;
    params["size"] = env.params.size ? json::value(*env.params.size) : json::value(nullptr);
    std::string_view body = body_name(env.params.body);
    params["body"] = body.empty() ? json::value(nullptr) : json::value(body);
    params["smtputf8"] = env.params.smtputf8;
    params["ret"] = optional_text(env.params.ret);
    params["envid"] = optional_text(env.params.envid);
    params["auth"] = optional_text(env.params.auth);
    json::array raw;
    for (const core::EsmtpParam& p : env.raw_mail_params)
        raw.push_back(json::object{{"keyword", text(p.keyword)}, {"value", text(p.value)}});
    params["raw"] = std::move(raw);

    json::array rcpts;
    for (const core::Recipient& r : env.recipients)
        rcpts.push_back(json::object{{"address", text(r.path.str())},
                                     {"notify", optional_text(r.params.notify)},
                                     {"orcpt", optional_text(r.params.orcpt)}});
    json::object out;
    out["mail_from"] = text(env.reverse_path.str());  // "" is the null reverse-path <>
    out["params"] = std::move(params);
    out["rcpt_to"] = std::move(rcpts);
    out["via_bdat"] = env.via_bdat;
    return out;
}

json::value annotations_value(const std::string& annotations) {
    json::error_code ec;
    json::value v = json::parse(annotations.empty() ? std::string_view("{}") : annotations, ec);
    if (!ec && v.is_object()) return v;
    return json::object{{"invalid_annotations", text(annotations)}};
}

std::string get_string(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string{};
}

std::optional<std::string> get_optional(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v && v->is_string()) return std::string(v->as_string());
    return std::nullopt;
}

const json::object& get_object(const json::object& o, std::string_view key) {
    static const json::object empty;
    const json::value* v = o.if_contains(key);
    return v && v->is_object() ? v->get_object() : empty;
}

const json::array& get_array(const json::object& o, std::string_view key) {
    static const json::array empty;
    const json::value* v = o.if_contains(key);
    return v && v->is_array() ? v->get_array() : empty;
}

// "local@domain" back into a Path; the domain is after the last '@' (a quoted local part may hold '@').
core::Path path_of(const std::string& address) {
    core::Path p;
    if (address.empty()) {
        p.null = true;
        return p;
    }
    std::size_t at = address.rfind('@');
    p.mailbox.local_part = address.substr(0, at);
    if (at != std::string::npos) p.mailbox.domain = address.substr(at + 1);
    return p;
}

core::Envelope envelope_of(const json::object& o) {
    core::Envelope env;
    env.reverse_path = path_of(get_string(o, "mail_from"));
    const json::object& params = get_object(o, "params");
    if (const json::value* size = params.if_contains("size"); size && size->is_number()) {
        json::error_code ec;
        auto n = size->to_number<std::uint64_t>(ec);
        if (!ec) env.params.size = n;
    }
    env.params.body = parse_body(get_string(params, "body"));
    if (const json::value* u = params.if_contains("smtputf8"); u && u->is_bool()) env.params.smtputf8 = u->get_bool();
    env.params.ret = get_optional(params, "ret");
    env.params.envid = get_optional(params, "envid");
    env.params.auth = get_optional(params, "auth");
    for (const json::value& v : get_array(params, "raw"))
        if (v.is_object()) env.raw_mail_params.push_back({get_string(v.get_object(), "keyword"), get_string(v.get_object(), "value")});
    for (const json::value& v : get_array(o, "rcpt_to")) {
        if (!v.is_object()) continue;
        const json::object& r = v.get_object();
        env.recipients.push_back({path_of(get_string(r, "address")), {get_optional(r, "notify"), get_optional(r, "orcpt")}});
    }
    if (const json::value* b = o.if_contains("via_bdat"); b && b->is_bool()) env.via_bdat = b->get_bool();
    return env;
}

}  // namespace

std::string meta_to_json(const MessageMeta& meta) {
    json::object o;
    o["id"] = text(meta.id);
    o["session_id"] = text(meta.session_id);
    o["listener"] = text(meta.listener);
    o["client_address"] = text(meta.client_address);
    o["seen_address"] = text(meta.seen_address);
    o["tls"] = json::object{{"version", text(meta.tls_version.empty() ? "none" : meta.tls_version)},
                            {"cipher", text(meta.tls_cipher)}};
    o["auth_identity"] = meta.auth_identity.empty() ? json::value(nullptr) : json::value(text(meta.auth_identity));
    o["helo"] = text(meta.helo);
    o["envelope"] = envelope_json(meta.envelope);
    o["size"] = static_cast<std::uint64_t>(meta.size);
    o["received_at"] = format_utc_ms(meta.received_at);
    o["annotations"] = annotations_value(meta.annotations_json);
    return json::serialize(o);
}

std::optional<MessageMeta> meta_from_json(std::string_view text_in) {
    json::error_code ec;
    json::value v = json::parse(text_in, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.get_object();
    MessageMeta m;
    m.id = get_string(o, "id");
    m.session_id = get_string(o, "session_id");
    m.listener = get_string(o, "listener");
    m.client_address = get_string(o, "client_address");
    m.seen_address = get_string(o, "seen_address");
    const json::object& tls = get_object(o, "tls");
    m.tls_version = get_string(tls, "version");
    m.tls_cipher = get_string(tls, "cipher");
    m.auth_identity = get_string(o, "auth_identity");
    m.helo = get_string(o, "helo");
    m.envelope = envelope_of(get_object(o, "envelope"));
    if (const json::value* size = o.if_contains("size"); size && size->is_number()) {
        json::error_code size_ec;
        auto n = size->to_number<std::size_t>(size_ec);
        if (!size_ec) m.size = n;
    }
    if (auto t = parse_utc_ms(get_string(o, "received_at"))) m.received_at = *t;
    if (const json::value* a = o.if_contains("annotations"); a && a->is_object()) m.annotations_json = json::serialize(*a);
    return m;
}

}  // namespace exosim::store
