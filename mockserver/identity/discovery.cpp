// Discovery documents and the JWKS (reference §3). Every URL names login.microsoftonline.com,
// the real host: the transport maps names to loopback.
#include <boost/json.hpp>

#include "identity/jwt.hpp"
#include "identity/service_state.hpp"

namespace exosim::identity {

namespace json = boost::json;

namespace {
constexpr std::string_view base = "https://login.microsoftonline.com";
}

HttpResponse discovery_instance(ServiceState& s, Ctx& ctx) {
    ctx.event.grant = "discovery";
    const FormResult q = decode_form(ctx.query, s.settings.form_limits);
    std::string tenant = "common";
    if (q.ok()) {
        const std::string_view ae = q.params.get("authorization_endpoint");
        const std::size_t host_end = ae.find('/', ae.find("://") == std::string_view::npos ? 0 : ae.find("://") + 3);
        if (host_end != std::string_view::npos) {
            const std::string_view rest = ae.substr(host_end + 1);
            tenant = std::string(rest.substr(0, rest.find('/')));
        }
    }
    json::object meta{{"preferred_network", "login.microsoftonline.com"}, {"preferred_cache", "login.windows.net"},
                      {"aliases", json::array{"login.microsoftonline.com", "login.windows.net", "login.microsoft.com",
                                              "sts.windows.net"}}};
    json::object o{{"tenant_discovery_endpoint",
                    std::string(base) + "/" + tenant + "/v2.0/.well-known/openid-configuration"},
                   {"api-version", "1.1"}, {"metadata", json::array{meta}}};
    return json_cacheable(json::serialize(o), ctx.ids);
}

HttpResponse openid_configuration(ServiceState&, Ctx& ctx, const TenantSegment& t, bool v1) {
    ctx.event.grant = "openid-configuration";
    // reference §3 [WIRE]: under /common the issuer names "{tenantid}" literally.
    const std::string tid = t.tenant ? t.tenant->id : "{tenantid}";
    const std::string seg = t.tenant ? t.tenant->id : t.text;
    const std::string p = std::string(base) + "/" + seg + (v1 ? "/oauth2/" : "/oauth2/v2.0/");
    json::object o{
        {"token_endpoint", p + "token"},
        {"token_endpoint_auth_methods_supported", json::array{"client_secret_post", "private_key_jwt", "client_secret_basic"}},
        {"jwks_uri", std::string(base) + "/" + seg + (v1 ? "/discovery/keys" : "/discovery/v2.0/keys")},
        {"response_modes_supported", json::array{"query", "fragment", "form_post"}},
        {"subject_types_supported", json::array{"pairwise"}},
        {"id_token_signing_alg_values_supported", json::array{"RS256"}},
        {"response_types_supported", json::array{"code", "id_token", "code id_token", "id_token token"}},
        {"scopes_supported", json::array{"openid", "profile", "email", "offline_access"}},
        {"issuer", v1 ? "https://sts.windows.net/" + tid + "/" : std::string(base) + "/" + tid + "/v2.0"},
        {"request_uri_parameter_supported", false},
        {"authorization_endpoint", p + "authorize"},
        {"device_authorization_endpoint", p + "devicecode"},
        {"http_logout_supported", true},
        {"frontchannel_logout_supported", true},
        {"end_session_endpoint", p + "logout"},
        {"claims_supported", json::array{"sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                                         "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"}},
        {"tenant_region_scope", "WW"},
        {"cloud_instance_name", "microsoftonline.com"},
        {"cloud_graph_host_name", "graph.windows.net"},
        {"msgraph_host", "graph.microsoft.com"},
    };
    return json_cacheable(json::serialize(o), ctx.ids);
}

HttpResponse jwks(ServiceState& s, Ctx& ctx) {
    ctx.event.grant = "keys";
    json::array keys;
    for (const Jwk& k : s.crypto.published_keys(s.now())) {
        json::array x5c;
        for (const auto& c : k.x5c) x5c.emplace_back(c);
        keys.emplace_back(json::object{{"kty", "RSA"}, {"use", "sig"}, {"kid", k.kid}, {"x5t", k.x5t}, {"n", k.n},
                                       {"e", k.e}, {"x5c", x5c},
                                       {"issuer", std::string(base) + "/{tenantid}/v2.0"}});
    }
    return json_cacheable(json::serialize(json::object{{"keys", keys}}), ctx.ids);
}

}  // namespace exosim::identity
