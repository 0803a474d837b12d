#include "core/rfc_replies.hpp"

namespace exosim::core::rfc_replies {

Reply protocol_error(ProtocolError e) {
    switch (e) {
        // RFC 5321 4.5.3.1.4, RFC 3463 5.5.2
        case ProtocolError::line_too_long: return Reply(500, EnhancedCode{5, 5, 2}, "Line too long");
        // RFC 5321 4.2.4
        case ProtocolError::unknown_command: return Reply(500, EnhancedCode{5, 5, 1}, "Command unrecognized");
        // RFC 5321 4.2.2 501, RFC 3463 5.5.4
        case ProtocolError::syntax: return Reply(501, EnhancedCode{5, 5, 4}, "Syntax error in parameters or arguments");
        // RFC 5321 4.1.4, 4.2.2 503
        case ProtocolError::bad_sequence: return Reply(503, EnhancedCode{5, 5, 1}, "Bad sequence of commands");
        // RFC 5321 4.1.4 (EHLO first); RFC 3207 4.2 (state discarded after STARTTLS)
        case ProtocolError::need_hello: return Reply(503, EnhancedCode{5, 5, 1}, "Send EHLO/HELO first");
        // RFC 5321 4.1.2, RFC 3463 5.1.3
        case ProtocolError::bad_path: return Reply(501, EnhancedCode{5, 1, 3}, "Bad address syntax");
        // RFC 1869 6 / RFC 5321 4.2.2 555
        case ProtocolError::bad_param: return Reply(555, EnhancedCode{5, 5, 4}, "MAIL FROM/RCPT TO parameters not recognized or not implemented");
        // RFC 6531 3.5
        case ProtocolError::utf8_not_negotiated: return Reply(553, EnhancedCode{5, 6, 7}, "SMTPUTF8 is required for non-ASCII addresses");
        // RFC 5321 2.3.8 (CRLF only)
        case ProtocolError::bare_line_ending: return Reply(500, EnhancedCode{5, 5, 2}, "Bare CR or LF received; use CRLF");
        // RFC 5321 2.3.8, 4.1.1.4; RFC 3463 5.6.0 (message content)
        case ProtocolError::bare_line_ending_in_data: return Reply(554, EnhancedCode{5, 6, 0}, "Message rejected: bare CR or LF in content");
        // RFC 5321 4.5.3.1.10
        case ProtocolError::too_many_recipients: return Reply(452, EnhancedCode{4, 5, 3}, "Too many recipients");
        // RFC 1870 6.3
        case ProtocolError::message_too_big: return Reply(552, EnhancedCode{5, 3, 4}, "Message size exceeds fixed maximum message size");
        // RFC 5321 3.3 (DATA with no valid recipients)
        case ProtocolError::no_valid_recipients: return Reply(554, EnhancedCode{5, 5, 1}, "No valid recipients");
        // RFC 3207 4.2
        case ProtocolError::tls_already_active: return Reply(503, EnhancedCode{5, 5, 1}, "TLS already active");
        // RFC 3207 4
        case ProtocolError::tls_not_available: return Reply(454, EnhancedCode{4, 7, 0}, "TLS not available due to temporary reason");
        // RFC 4954 4
        case ProtocolError::auth_already: return Reply(503, EnhancedCode{5, 5, 1}, "Already authenticated");
        // RFC 4954 4
        case ProtocolError::auth_in_transaction: return Reply(503, EnhancedCode{5, 5, 1}, "AUTH not permitted during a mail transaction");
        // RFC 4954 6
        case ProtocolError::auth_unknown_mechanism: return Reply(504, EnhancedCode{5, 5, 4}, "Unrecognized authentication type");
        // RFC 4954 4 ("*" cancels)
        case ProtocolError::auth_cancelled: return Reply(501, EnhancedCode{5, 7, 0}, "Authentication cancelled");
        // RFC 4954 4 (invalid base64)
        case ProtocolError::auth_bad_base64: return Reply(501, EnhancedCode{5, 5, 2}, "Cannot decode response");
        // RFC 4954 4 (AUTH not advertised)
        case ProtocolError::auth_not_available: return Reply(503, EnhancedCode{5, 5, 1}, "Authentication not available");
        // RFC 3030 2
        case ProtocolError::bdat_not_offered: return Reply(503, EnhancedCode{5, 5, 1}, "CHUNKING not offered");
        // RFC 2920 3.1 (and Postfix smtpd_forbid_unauth_pipelining)
        case ProtocolError::unauthorized_pipelining: return Reply(554, EnhancedCode{5, 5, 0}, "Protocol synchronization error (improper command pipelining)");
        // RFC 5321 4.3.1 (the client must wait for the greeting)
        case ProtocolError::pregreet: return Reply(554, EnhancedCode{5, 5, 0}, "Protocol synchronization error (input before greeting)");
        // RFC 5321 4.2.2 421 (Postfix hard error limit)
        case ProtocolError::too_many_errors: return Reply(421, EnhancedCode{4, 7, 0}, "Too many errors, closing connection");
        // RFC 5321 4.5.3.2
        case ProtocolError::timeout: return Reply(421, EnhancedCode{4, 4, 2}, "Timeout, closing connection");
        // RFC 5321 3.8
        case ProtocolError::shutting_down: return Reply(421, EnhancedCode{4, 3, 2}, "Service shutting down, closing connection");
        // RFC 2920 3.1 (bounded input)
        case ProtocolError::input_overflow: return Reply(421, EnhancedCode{4, 7, 0}, "Too much pipelined input, closing connection");
        // RFC 5321 4.2.2 421 (cross-protocol request)
        case ProtocolError::http_command: return Reply(421, EnhancedCode{4, 7, 0}, "This is an SMTP server, closing connection");
        // RFC 5321 4.2.2 451, RFC 3463 4.3.0
        case ProtocolError::local_error: return Reply(451, EnhancedCode{4, 3, 0}, "Requested action aborted: local error in processing");
    }
    return Reply(451, EnhancedCode{4, 3, 0}, "Requested action aborted: local error in processing");
}

Reply service_ready() { return Reply(220, "Service ready"); }
Reply too_many_connections() { return Reply(421, EnhancedCode{4, 7, 0}, "Too many connections, try again later"); }
Reply sender_ok() { return Reply(250, EnhancedCode{2, 1, 0}, "Sender OK"); }
Reply recipient_ok() { return Reply(250, EnhancedCode{2, 1, 5}, "Recipient OK"); }
Reply start_mail_input() { return Reply(354, "Start mail input; end with <CRLF>.<CRLF>"); }
Reply ok() { return Reply(250, EnhancedCode{2, 0, 0}, "OK"); }

Reply cannot_vrfy() {
    return Reply(252, EnhancedCode{2, 5, 0}, "Cannot VRFY user, but will accept message and attempt delivery");
}

Reply service_closing() { return Reply(221, EnhancedCode{2, 0, 0}, "Service closing transmission channel"); }
Reply ready_to_start_tls() { return Reply(220, EnhancedCode{2, 0, 0}, "Ready to start TLS"); }
Reply auth_successful() { return Reply(235, EnhancedCode{2, 7, 0}, "Authentication successful"); }
Reply auth_credentials_invalid() { return Reply(535, EnhancedCode{5, 7, 8}, "Authentication credentials invalid"); }

Reply chunk_received(std::uint64_t octets) {
    return Reply(250, EnhancedCode{2, 0, 0}, std::to_string(octets) + " octets received");
}

Reply greeting(std::string_view host) { return Reply(220, std::string(host) + " ESMTP exosim ready"); }

std::string hello_line(std::string_view host, std::string_view client_name) {
    return std::string(host) + " Hello " + std::string(client_name);
}

Reply service_closing(std::string_view host) {
    return Reply(221, EnhancedCode{2, 0, 0}, std::string(host) + " Service closing transmission channel");
}

Reply starttls_first() { return Reply(530, EnhancedCode{5, 7, 0}, "Must issue a STARTTLS command first"); }
Reply queued_as(std::string_view id) { return Reply(250, EnhancedCode{2, 0, 0}, "OK queued as " + std::string(id)); }
Reply help() { return Reply(214, EnhancedCode{2, 0, 0}, "See https://www.rfc-editor.org/rfc/rfc5321"); }

}  // namespace exosim::core::rfc_replies
