#include "identity/form.hpp"

#include "core/ascii.hpp"

namespace exosim::identity {

std::string_view form_error_name(FormError e) {
    switch (e) {
        case FormError::none: return "none";
        case FormError::input_too_large: return "input_too_large";
        case FormError::too_many_parameters: return "too_many_parameters";
        case FormError::name_too_long: return "name_too_long";
        case FormError::value_too_long: return "value_too_long";
        case FormError::bad_percent_encoding: return "bad_percent_encoding";
        case FormError::duplicate_parameter: return "duplicate_parameter";
    }
    return "?";
}

const std::string* FormParams::find(std::string_view name) const {
    for (const auto& [n, v] : items) {
        if (n == name) return &v;
    }
    return nullptr;
}

std::string_view FormParams::get(std::string_view name) const {
    const std::string* v = find(name);
    return v == nullptr ? std::string_view{} : std::string_view(*v);
}

namespace {

unsigned hex_value(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    return static_cast<unsigned>(c - 'A' + 10);
}

}  // namespace

void FormDecoder::fail(FormError e, std::string_view name) {
    if (result_.error != FormError::none) return;
    result_.error = e;
    result_.offending_name = std::string(name.substr(0, limits_.max_name));
}

void FormDecoder::feed(std::string_view chunk) {
    for (char c : chunk) {
        if (result_.error != FormError::none) return;
        if (++consumed_ > limits_.max_input) return fail(FormError::input_too_large);
        put(c);
    }
}

void FormDecoder::put(char c) {
    if (pending_hex_ > 0) {
        if (!core::ascii::is_hex(c)) return fail(FormError::bad_percent_encoding, name_);
        pending_value_ = pending_value_ * 16 + hex_value(c);
        if (--pending_hex_ == 0) put_decoded(static_cast<char>(pending_value_));
        return;
    }
    if (c == '&') return end_pair();
    if (c == '=' && !in_value_) {
        in_value_ = true;
        return;
    }
    if (c == '%') {
        pending_hex_ = 2;
        pending_value_ = 0;
        return;
    }
    put_decoded(c == '+' ? ' ' : c);
}

void FormDecoder::put_decoded(char c) {
    std::string& target = in_value_ ? value_ : name_;
    const std::size_t limit = in_value_ ? limits_.max_value : limits_.max_name;
    if (target.size() >= limit) return fail(in_value_ ? FormError::value_too_long : FormError::name_too_long, name_);
    target.push_back(c);
}

// WHATWG: a sequence without '=' is a name with an empty value; an empty sequence is skipped.
void FormDecoder::end_pair() {
    const bool empty = name_.empty() && !in_value_;
    if (!empty) {
        if (result_.params.has(name_)) return fail(FormError::duplicate_parameter, name_);
        if (result_.params.items.size() >= limits_.max_parameters) return fail(FormError::too_many_parameters);
        result_.params.items.emplace_back(std::move(name_), std::move(value_));
    }
    name_.clear();
    value_.clear();
    in_value_ = false;
}

FormResult FormDecoder::finish() {
    if (result_.error == FormError::none && pending_hex_ > 0) fail(FormError::bad_percent_encoding, name_);
    if (result_.error == FormError::none) end_pair();
    if (result_.error != FormError::none) result_.params.items.clear();
    FormResult out = std::move(result_);
    result_ = {};
    return out;
}

FormResult decode_form(std::string_view text, const FormLimits& limits) {
    FormDecoder d(limits);
    d.feed(text);
    return d.finish();
}

std::string percent_encode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (core::ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(c);
        } else {
            out += '%';
            core::ascii::append_hex(out, static_cast<unsigned char>(c), core::ascii::HexCase::upper);
        }
    }
    return out;
}

}  // namespace exosim::identity
