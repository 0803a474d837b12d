#pragma once
// application/x-www-form-urlencoded bodies and query strings (WHATWG URL "urlencoded parsing";
// RFC 3986 2.1 percent-encoding), decoded incrementally so a body can be fed in any split. Names
// and values are octet strings after decoding; `+` is a space in both forms and query strings
// (the WHATWG parser treats them alike; Entra accepts `+` in scope). Every limit is named.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exosim::identity {

// [INFER] Entra's own limits are not published; these bound memory and are settings-free because
// every honest client stays far below them. A client assertion with an x5c chain is ~4 KiB.
struct FormLimits {
    std::size_t max_input = 64 * 1024;   // whole body or query string, octets as sent
    std::size_t max_parameters = 64;     // name=value pairs (empty pairs "&&" are not counted)
    std::size_t max_name = 128;          // decoded name length
    std::size_t max_value = 16 * 1024;   // decoded value length
};

enum class FormError {
    none,
    input_too_large,
    too_many_parameters,
    name_too_long,
    value_too_long,
    bad_percent_encoding,  // '%' not followed by two hex digits
    duplicate_parameter,   // Entra rejects a repeated parameter (AADSTS9002313 [INFER])
};
std::string_view form_error_name(FormError e);

struct FormParams {
    std::vector<std::pair<std::string, std::string>> items;  // in order

    // The value of `name` (exact, case-sensitive as OAuth parameters are), or nullptr.
    const std::string* find(std::string_view name) const;
    // The value, or empty when absent.
    std::string_view get(std::string_view name) const;
    bool has(std::string_view name) const { return find(name) != nullptr; }
};

struct FormResult {
    FormParams params;
    FormError error = FormError::none;
    std::string offending_name;  // the duplicate or over-long parameter's (truncated) name
    bool ok() const { return error == FormError::none; }
};

class FormDecoder {
public:
    explicit FormDecoder(FormLimits limits = {}) : limits_(limits) {}
    // Consumes all of `chunk`; after an error further input is ignored.
    void feed(std::string_view chunk);
    FormResult finish();

private:
    void put(char c);
    void put_decoded(char c);
    void end_pair();
    void fail(FormError e, std::string_view name = {});

    FormLimits limits_;
    FormResult result_;
    std::size_t consumed_ = 0;
    std::string name_;
    std::string value_;
    bool in_value_ = false;
    int pending_hex_ = 0;  // hex digits still expected after '%'
    unsigned pending_value_ = 0;
};

FormResult decode_form(std::string_view text, const FormLimits& limits = {});

// Percent-encodes everything but RFC 3986 unreserved characters (redirect URLs, form values).
std::string percent_encode(std::string_view text);

}  // namespace exosim::identity
