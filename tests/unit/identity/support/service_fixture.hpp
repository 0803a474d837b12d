#pragma once
// A sign-in service over the embedded default directory, a virtual clock, FakeCrypto and an
// in-memory log, with helpers that speak HTTP as the transport would hand it over.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "identity/form.hpp"
#include "identity/identity_service.hpp"
#include "identity/jwt.hpp"
#include "identity/support/fake_crypto.hpp"
#include "policy/virtual_clock.hpp"

namespace exosim::identity::testing {

namespace json = boost::json;

inline constexpr std::string_view login_host = "login.microsoftonline.com";
inline constexpr std::string_view contoso = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11";
inline constexpr std::string_view fleet = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33";
inline constexpr std::string_view daemon = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44";
inline constexpr std::string_view vendor = "9e1f3a5c-7b2d-4e6f-8a0c-2d4f6b8a0e55";
inline constexpr std::string_view smtp_scope = "https://outlook.office.com/SMTP.Send offline_access openid";

inline std::string form(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
    std::string out;
    for (const auto& [k, v] : kv) out += (out.empty() ? "" : "&") + percent_encode(k) + "=" + percent_encode(v);
    return out;
}

struct ServiceFixture : ::testing::Test {
    std::shared_ptr<policy::VirtualClock> clock =
        std::make_shared<policy::VirtualClock>(std::chrono::system_clock::time_point(std::chrono::seconds(1796464800)));
    FakeCrypto crypto;
    MemoryLog log;
    std::string daemon_cert = fake_certificate("scan-daemon");
    std::shared_ptr<const policy::Directory> mail = std::make_shared<const policy::Directory>(policy::default_directory());
    std::vector<IdentityEvent> events;
    IdentitySettings settings;
    std::unique_ptr<IdentityService> service;

    void SetUp() override { start(); }
    void start() {
        service = std::make_unique<IdentityService>(default_identity_directory(mail, daemon_cert), clock, crypto, log,
                                                    settings, [this](const IdentityEvent& e) { events.push_back(e); });
    }

    HttpResponse send(std::string method, std::string target, std::string body = {}, std::string_view host = login_host,
                      std::vector<std::pair<std::string, std::string>> extra = {}) {
        HttpRequest r;
        r.method = std::move(method);
        r.target = std::move(target);
        r.headers = {{"Host", std::string(host)}};
        if (r.method == "POST") r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        for (auto& h : extra) r.headers.push_back(std::move(h));
        r.body = std::move(body);
        return service->handle(r);
    }
    HttpResponse token(std::string body, std::string_view tenant = "contoso.com") {
        return send("POST", "/" + std::string(tenant) + "/oauth2/v2.0/token", std::move(body));
    }
    static json::object body(const HttpResponse& r) { return json::parse(r.body).as_object(); }
    static std::string str(const json::object& o, std::string_view k) {
        const json::value* v = o.if_contains(k);
        return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
    }
    static std::string header(const HttpResponse& r, std::string_view name) {
        for (const auto& [n, v] : r.headers) {
            if (n == name) return v;
        }
        return {};
    }
    // The AADSTS code of an error response (0 when none).
    static std::int64_t code(const HttpResponse& r) {
        const auto o = body(r);
        const json::value* v = o.if_contains("error_codes");
        return v != nullptr && v->is_array() && !v->get_array().empty() ? v->get_array()[0].to_number<std::int64_t>() : 0;
    }
    // The claims of a JWT, without checking it.
    static json::object claims(std::string_view jwt) {
        const auto p = parse_jwt(jwt);
        return p.jwt ? p.jwt->payload : json::object{};
    }
    HttpResponse ropc(std::string_view user, std::string_view password, std::string_view scope = smtp_scope,
                      std::string_view client = fleet) {
        return token(form({{"grant_type", "password"}, {"client_id", client}, {"username", user},
                           {"password", password}, {"scope", scope}}));
    }
};

}  // namespace exosim::identity::testing
