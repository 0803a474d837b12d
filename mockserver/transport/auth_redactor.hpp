#pragma once
// Redacts SASL secrets from raw bytes before they reach a transcript or an observer (RFC 4954
// exchanges; SR-05, SR-33: "the secret is never logged"). Stateful across reads of one session,
// so a secret split over several reads is still hidden; read boundaries are preserved.
#include <string>
#include <string_view>

namespace exosim::transport {

class AuthRedactor {
public:
    static constexpr std::string_view marker = "[redacted]";

    // `in_sasl_exchange`: the engine was in its AUTH phase before these bytes were fed, so every
    // line is a SASL response. An `AUTH <mech> <initial-response>` line keeps verb and mechanism;
    // lines following an AUTH line in the same read are redacted whole (over-redaction is safe).
    std::string filter(std::string_view chunk, bool in_sasl_exchange);

private:
    enum class Line { start, undecided, keep, mechanism, secret };
    void on_byte(char c, std::string& out);

    Line line_ = Line::start;
    std::string prefix_;          // the start of an undecided line, at most "AUTH "
    bool secret_marked_ = false;  // the marker was written for the current line
    bool sasl_lines_ = false;     // the lines that follow are SASL responses
};

}  // namespace exosim::transport
