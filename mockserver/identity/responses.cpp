#include "identity/responses.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "core/ascii.hpp"

namespace exosim::identity {

namespace json = boost::json;

std::string entra_timestamp(TimePoint t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string guid_from_bytes(std::string_view sixteen) {
    std::string b(sixteen.substr(0, 16));
    b.resize(16, '\0');
    b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0F) | 0x40);
    b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3F) | 0x80);
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        core::ascii::append_hex(out, static_cast<unsigned char>(b[i]));
    }
    return out;
}

bool is_guid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !core::ascii::is_hex(s[i])) return false;
    }
    return true;
}

namespace {

HttpResponse with_common(unsigned status, std::string content_type, std::string body, const RequestIds& ids) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", std::move(content_type)}, {"x-ms-request-id", ids.trace_id}};
    if (!ids.correlation_id.empty()) r.headers.emplace_back("client-request-id", ids.correlation_id);
    r.body = std::move(body);
    return r;
}

void no_store(HttpResponse& r) {
    r.headers.emplace_back("Cache-Control", "no-store, no-cache");
    r.headers.emplace_back("Pragma", "no-cache");
}

}  // namespace

HttpResponse error_response(const AadError& e, const RequestIds& ids) {
    const std::string stamp = entra_timestamp(ids.now);
    const std::string code = std::to_string(e.code);
    json::object o;
    o["error"] = e.error;
    o["error_description"] = "AADSTS" + code + ": " + e.text + "\r\nTrace ID: " + ids.trace_id +
                             "\r\nCorrelation ID: " + ids.correlation_id + "\r\nTimestamp: " + stamp;
    o["error_codes"] = json::array{e.code};
    o["timestamp"] = stamp;
    o["trace_id"] = ids.trace_id;
    o["correlation_id"] = ids.correlation_id;
    o["error_uri"] = "https://login.microsoftonline.com/error?code=" + code;
    if (!e.suberror.empty()) o["suberror"] = e.suberror;
    HttpResponse r = with_common(e.status, "application/json; charset=utf-8", json::serialize(o), ids);
    no_store(r);
    return r;
}

HttpResponse json_no_store(std::string body, const RequestIds& ids) {
    HttpResponse r = with_common(200, "application/json; charset=utf-8", std::move(body), ids);
    no_store(r);
    return r;
}

HttpResponse json_cacheable(std::string body, const RequestIds& ids) {
    HttpResponse r = with_common(200, "application/json; charset=utf-8", std::move(body), ids);
    r.headers.emplace_back("Cache-Control", "max-age=86400, private");
    return r;
}

HttpResponse html_page(unsigned status, std::string body, const RequestIds& ids) {
    HttpResponse r = with_common(status, "text/html; charset=utf-8", std::move(body), ids);
    no_store(r);
    return r;
}

HttpResponse redirect_to(std::string location, const RequestIds& ids) {
    HttpResponse r = with_common(302, "text/html; charset=utf-8", {}, ids);
    r.headers.emplace_back("Location", std::move(location));
    no_store(r);
    return r;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace exosim::identity
