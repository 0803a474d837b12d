#include "oauth/token_cache.hpp"

#include <boost/json.hpp>

namespace exosim::client::oauth {
namespace json = boost::json;
namespace {

bool get_string(const json::object& o, std::string_view key, std::string& out, std::string& why) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) {
        why = "\"" + std::string(key) + "\" is missing or not a string";
        return false;
    }
    out = std::string(v->as_string());
    return true;
}

bool get_int(const json::object& o, std::string_view key, std::int64_t& out, std::string& why) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_int64()) {
        why = "\"" + std::string(key) + "\" is missing or not an integer";
        return false;
    }
    out = v->as_int64();
    return true;
}

}  // namespace

bool access_token_fresh(const TokenCache& c, std::int64_t now) {
    return !c.access_token.empty() && now + refresh_margin.count() < c.expires_at;
}

std::string serialize_cache(const TokenCache& c) {
    json::object o;
    o["version"] = cache_version;
    o["authority"] = c.authority;
    o["client_id"] = c.client_id;
    o["scope"] = c.scope;
    o["account"] = c.account;
    o["access_token"] = c.access_token;
    o["expires_at"] = c.expires_at;
    o["refresh_token"] = c.refresh_token;
    o["refreshed_at"] = c.refreshed_at;
    return json::serialize(o) + "\n";
}

std::optional<TokenCache> parse_cache(std::string_view text, std::string& why) {
    if (text.size() > max_cache_bytes) {
        why = "larger than " + std::to_string(max_cache_bytes) + " bytes";
        return std::nullopt;
    }
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) {
        why = "not JSON (" + ec.message() + ")";
        return std::nullopt;
    }
    if (!v.is_object()) {
        why = "not a JSON object";
        return std::nullopt;
    }
    const json::object& o = v.as_object();
    std::int64_t version = 0;
    if (!get_int(o, "version", version, why)) return std::nullopt;
    if (version != cache_version) {
        why = "version " + std::to_string(version) + ", this client writes version " + std::to_string(cache_version);
        return std::nullopt;
    }
    TokenCache c;
    if (!get_string(o, "authority", c.authority, why) || !get_string(o, "client_id", c.client_id, why) ||
        !get_string(o, "scope", c.scope, why) || !get_string(o, "account", c.account, why) ||
        !get_string(o, "access_token", c.access_token, why) || !get_int(o, "expires_at", c.expires_at, why) ||
        !get_string(o, "refresh_token", c.refresh_token, why) || !get_int(o, "refreshed_at", c.refreshed_at, why))
        return std::nullopt;
    return c;
}

}  // namespace exosim::client::oauth
