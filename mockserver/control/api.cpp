#include "control/api.hpp"

#include <boost/json/serialize.hpp>

namespace exosim::control {

namespace {

constexpr std::pair<Method, std::string_view> method_names[] = {
    {Method::get, "GET"},         {Method::post, "POST"}, {Method::put, "PUT"},
    {Method::patch, "PATCH"},     {Method::delete_, "DELETE"}, {Method::head, "HEAD"},
    {Method::options, "OPTIONS"},
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string_view method_name(Method m) {
    for (const auto& [method, name] : method_names)
        if (method == m) return name;
    return "OTHER";
}

Method parse_method(std::string_view name) {
    for (const auto& [method, n] : method_names)
        if (n == name) return method;
    return Method::other;
}

std::string ApiRequest::query_value(const std::string& key) const {
    auto it = query.find(key);
    return it == query.end() ? std::string{} : it->second;
}

const std::string& ApiRequest::param(const std::string& key) const {
    static const std::string empty;
    auto it = params.find(key);
    return it == params.end() ? empty : it->second;
}

ApiResponse json_response(int status, const boost::json::value& body) {
    ApiResponse r;
    r.status = status;
    r.body = boost::json::serialize(body);
    r.body += '\n';
    return r;
}

ApiResponse error_response(int status, std::string_view code, std::string_view message) {
    return json_response(status, boost::json::object{
                                     {"error", boost::json::object{{"code", code}, {"message", message}}}});
}

ApiResponse text_response(int status, std::string content_type, std::string body) {
    ApiResponse r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

bool origin_allowed(std::string_view origin) {
    if (origin.empty()) return true;
    std::string_view rest;
    if (origin.starts_with("http://")) rest = origin.substr(7);
    else if (origin.starts_with("https://")) rest = origin.substr(8);
    else return false;
    std::string_view host = rest;
    if (host.starts_with("[")) {
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos) return false;
        host = host.substr(0, close + 1);
    } else {
        host = host.substr(0, host.find(':'));
    }
    const std::string_view after = rest.substr(host.size());
    if (!after.empty() && (after.front() != ':' || after.find('/') != std::string_view::npos)) return false;
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%') {
            if (i + 2 >= in.size()) return false;
            const int hi = hex_value(in[i + 1]);
            const int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (plus_is_space && in[i] == '+') {
            out += ' ';
        } else {
            out += in[i];
        }
    }
    return true;
}

bool split_target(std::string_view target, std::string& path, std::map<std::string, std::string>& query) {
    query.clear();
    const std::size_t q = target.find('?');
    if (!percent_decode(target.substr(0, q), path, false)) return false;
    if (q == std::string_view::npos) return true;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        std::string key, value;
        if (!percent_decode(pair.substr(0, eq), key, true)) return false;
        if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true)) return false;
        query[key] = value;
    }
    return true;
}

}  // namespace exosim::control
