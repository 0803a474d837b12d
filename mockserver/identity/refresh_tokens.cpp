#include "identity/refresh_tokens.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/ascii.hpp"

#include "identity/jwt.hpp"

namespace exosim::identity {

namespace json = boost::json;

namespace {

std::string hex(std::string_view bytes) { return core::ascii::hex(bytes); }

TimePoint at(std::int64_t s) { return TimePoint(std::chrono::seconds(s)); }

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
}

std::vector<std::string> split(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const std::size_t sp = s.find(' ');
        if (sp != 0) out.emplace_back(s.substr(0, sp));
        if (sp == std::string_view::npos) break;
        s.remove_prefix(sp + 1);
    }
    return out;
}

json::object grant_record(const std::string& h, const RefreshGrant& g) {
    json::object o{{"op", "issue"}, {"h", h}, {"client", g.client_id}, {"tid", g.tenant_id}, {"user", g.user},
                   {"scope", join(g.scopes)}, {"auth", unix_seconds(g.auth_time)},
                   {"at", unix_seconds(g.issued)}, {"used", unix_seconds(g.last_used)}};
    if (g.revoked) o["revoked"] = unix_seconds(*g.revoked);
    return o;
}

std::int64_t int_of(const json::object& o, std::string_view k) {
    const json::value* v = o.if_contains(k);
    return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

std::string str_of(const json::object& o, std::string_view k) { return std::string(string_claim(o, k)); }

}  // namespace

std::string RefreshTokenStore::hash(std::string_view token) const { return hex(crypto_.sha256(token)); }

// Unknown or damaged records are skipped: a torn last line must not stop the service.
void RefreshTokenStore::apply(const std::string& record) {
    boost::system::error_code ec;
    json::value v = json::parse(record, ec);
    if (ec || !v.is_object()) return;
    const json::object& o = v.as_object();
    const std::string op = str_of(o, "op");
    if (op == "issue") {
        RefreshGrant g{str_of(o, "client"), str_of(o, "tid"), str_of(o, "user"), split(string_claim(o, "scope")),
                       at(int_of(o, "auth")), at(int_of(o, "at")), at(int_of(o, "used")), std::nullopt};
        if (o.contains("revoked")) g.revoked = at(int_of(o, "revoked"));
        grants_[str_of(o, "h")] = std::move(g);
        // A refresh grant's record also carries the use of the token it rotated.
        if (o.contains("prev")) {
            auto it = grants_.find(str_of(o, "prev"));
            if (it != grants_.end()) it->second.last_used = std::max(it->second.last_used, at(int_of(o, "prev_at")));
        }
    } else if (op == "use") {
        auto it = grants_.find(str_of(o, "h"));
        if (it != grants_.end()) it->second.last_used = at(int_of(o, "at"));
    } else if (op == "revoke") {
        const std::string user = str_of(o, "user");
        for (auto& [h, g] : grants_) {
            if (!g.revoked && (user.empty() || g.user == user)) g.revoked = at(int_of(o, "at"));
        }
    }
}

void RefreshTokenStore::load() {
    grants_.clear();
    for (const std::string& r : log_.replay()) apply(r);
    std::vector<std::string> compacted;
    compacted.reserve(grants_.size());
    for (const auto& [h, g] : grants_) compacted.push_back(json::serialize(grant_record(h, g)));
    log_.rewrite(compacted);
}

std::string RefreshWrite::record() const {
    if (!issued) return json::serialize(json::object{{"op", "use"}, {"h", used_hash}, {"at", unix_seconds(used_at)}});
    json::object o = grant_record(issued_hash, *issued);
    if (!used_hash.empty()) {
        o["prev"] = used_hash;
        o["prev_at"] = unix_seconds(used_at);
    }
    return json::serialize(o);
}

std::string RefreshTokenStore::prepare_issue(RefreshGrant grant, RefreshWrite& w) const {
    // reference §3 [WIRE]: a real refresh token starts "0.A"; the rest is opaque.
    const std::string token = "0.A" + base64url_encode(crypto_.random_bytes(96));
    grant.last_used = grant.issued;
    w.issued_hash = hash(token);
    w.issued = std::move(grant);
    return token;
}

const RefreshGrant* RefreshTokenStore::find(std::string_view token) const {
    auto it = grants_.find(hash(token));
    return it == grants_.end() ? nullptr : &it->second;
}

void RefreshTokenStore::prepare_use(std::string_view token, TimePoint now, RefreshWrite& w) const {
    w.used_hash = hash(token);
    w.used_at = now;
}

void RefreshTokenStore::commit(const RefreshWrite& w) {
    if (w.issued) grants_[w.issued_hash] = *w.issued;
    if (w.used_hash.empty()) return;
    auto it = grants_.find(w.used_hash);
    if (it != grants_.end()) it->second.last_used = std::max(it->second.last_used, w.used_at);
}

std::size_t RefreshTokenStore::revoke(std::string_view user, TimePoint now) {
    std::size_t n = 0;
    for (const auto& [h, g] : grants_) n += (!g.revoked && (user.empty() || g.user == user)) ? 1 : 0;
    log_.append(json::serialize(json::object{{"op", "revoke"}, {"user", user}, {"at", unix_seconds(now)}}));
    for (auto& [h, g] : grants_) {
        if (!g.revoked && (user.empty() || g.user == user)) g.revoked = now;
    }
    return n;
}

}  // namespace exosim::identity
