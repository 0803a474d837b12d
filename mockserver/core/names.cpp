// Printable names of the core enums (logs, transcripts, events).
#include "core/command.hpp"
#include "core/events.hpp"
#include "core/session_state.hpp"

namespace exosim::core {

std::string_view verb_name(Verb v) {
    switch (v) {
        case Verb::ehlo: return "EHLO";
        case Verb::helo: return "HELO";
        case Verb::mail: return "MAIL";
        case Verb::rcpt: return "RCPT";
        case Verb::data: return "DATA";
        case Verb::bdat: return "BDAT";
        case Verb::rset: return "RSET";
        case Verb::noop: return "NOOP";
        case Verb::quit: return "QUIT";
        case Verb::vrfy: return "VRFY";
        case Verb::expn: return "EXPN";
        case Verb::help: return "HELP";
        case Verb::starttls: return "STARTTLS";
        case Verb::auth: return "AUTH";
        case Verb::unknown: return "UNKNOWN";
    }
    return "UNKNOWN";
}

std::string_view phase_name(Phase p) {
    switch (p) {
        case Phase::greeting: return "greeting";
        case Phase::ready: return "ready";
        case Phase::mail: return "mail";
        case Phase::rcpt: return "rcpt";
        case Phase::data: return "data";
        case Phase::bdat: return "bdat";
        case Phase::auth: return "auth";
        case Phase::tls_pending: return "tls_pending";
        case Phase::store_pending: return "store_pending";
        case Phase::closed: return "closed";
    }
    return "unknown";
}

std::string_view tls_version_name(TlsVersion v) {
    switch (v) {
        case TlsVersion::none: return "none";
        case TlsVersion::tls1_0: return "TLSv1";
        case TlsVersion::tls1_1: return "TLSv1.1";
        case TlsVersion::tls1_2: return "TLSv1.2";
        case TlsVersion::tls1_3: return "TLSv1.3";
    }
    return "none";
}

}  // namespace exosim::core
