#include "transport/auth_redactor.hpp"

#include "core/ascii.hpp"

namespace exosim::transport {
namespace {

constexpr std::string_view auth_verb = "AUTH ";

bool prefix_of_auth(std::string_view s) {
    return s.size() <= auth_verb.size() && core::ascii::iequals(s, auth_verb.substr(0, s.size()));
}

}  // namespace

std::string AuthRedactor::filter(std::string_view chunk, bool in_sasl_exchange) {
    sasl_lines_ = in_sasl_exchange;
    std::string out;
    out.reserve(chunk.size());
    std::size_t i = 0;
    while (i < chunk.size()) {
        if (line_ == Line::keep) {
            // Fast path for message data and ordinary commands: copy the rest of the line at once.
            std::size_t end = chunk.find('\n', i);
            if (end == std::string_view::npos) end = chunk.size();
            out.append(chunk.substr(i, end - i));
            i = end;
            if (i == chunk.size()) break;
        }
        on_byte(chunk[i++], out);
    }
    return out;
}

void AuthRedactor::on_byte(char c, std::string& out) {
    if (c == '\n') {
        if (line_ == Line::mechanism || line_ == Line::secret) sasl_lines_ = true;
        line_ = Line::start;
        prefix_.clear();
        secret_marked_ = false;
        out += c;
        return;
    }
    if (line_ == Line::start) line_ = sasl_lines_ ? Line::secret : Line::undecided;
    switch (line_) {
    case Line::undecided:
        out += c;
        prefix_ += c;
        if (!prefix_of_auth(prefix_)) line_ = Line::keep;
        else if (prefix_.size() == auth_verb.size()) line_ = Line::mechanism;
        return;
    case Line::mechanism:
        out += c;
        if (c == ' ') line_ = Line::secret;
        return;
    case Line::secret:
        if (c == '\r') {
            out += c;
        } else if (!secret_marked_) {
            out += marker;
            secret_marked_ = true;
        }
        return;
    case Line::keep:
    case Line::start:
        out += c;
        return;
    }
}

}  // namespace exosim::transport
