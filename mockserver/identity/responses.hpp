#pragma once
// HTTP responses as Entra shapes them: the JSON error envelope of reference §4, JSON documents,
// HTML pages and redirects, with their headers. Text is produced here and nowhere else.
#include <chrono>
#include <string>
#include <string_view>

#include "identity/aadsts.hpp"
#include "identity/http_message.hpp"

namespace exosim::identity {

using TimePoint = std::chrono::system_clock::time_point;

// Per-request identifiers: trace id (x-ms-request-id), correlation id (the client's
// client-request-id when sent, as Entra echoes it [WIRE]).
struct RequestIds {
    std::string trace_id;
    std::string correlation_id;
    TimePoint now;
};

// "2026-12-05 10:00:00Z" (reference §4).
std::string entra_timestamp(TimePoint t);
// RFC 9562 version-4 layout from 16 octets (Crypto::random_bytes(16)).
std::string guid_from_bytes(std::string_view sixteen);
bool is_guid(std::string_view s);

// reference §4: 400 (401 for invalid_client) with the envelope and no-store headers.
HttpResponse error_response(const AadError& e, const RequestIds& ids);
// Token and device-code responses: no-store.
HttpResponse json_no_store(std::string body, const RequestIds& ids);
// Discovery documents and JWKS: Cache-Control max-age=86400, private (reference §3 [WIRE]).
HttpResponse json_cacheable(std::string body, const RequestIds& ids);
HttpResponse html_page(unsigned status, std::string body, const RequestIds& ids);
HttpResponse redirect_to(std::string location, const RequestIds& ids);

// HTML-escapes & < > " ' (every echoed value goes through this).
std::string html_escape(std::string_view text);

}  // namespace exosim::identity
