#pragma once
// Builds the RFC 5322 / MIME (RFC 2045, 2046) message the reference client submits: a scanned PDF
// mailed by a printer is the typical case. Bcc never appears here: it lives only in the envelope.
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::client {

// Input that would inject a header, a recipient or an end of data (CC-24): refused, never sent.
struct MimeError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct Attachment {
    std::string filename;  // without directories
    std::string content;   // raw bytes
};

struct MailContent {
    std::string from;
    std::vector<std::string> to;
    std::vector<std::string> cc;
    std::string subject;  // UTF-8
    std::string body;     // UTF-8, any line endings
    std::vector<Attachment> attachments;
    std::string message_id;  // "<token@domain>", from new_message_id()
    std::string boundary;    // from new_boundary(); must not occur in any part
    std::time_t date = 0;
};

// RFC 5321 4.1.2 Mailbox, restricted to what a device needs: local@domain in printable ASCII with no
// spaces, angle brackets, quotes, commas or control characters. Used for envelope and headers alike.
bool valid_mailbox(std::string_view address);
// "application/pdf" for "scan.pdf"; application/octet-stream when the extension is unknown.
std::string content_type_for(std::string_view filename);
// RFC 5322 3.6.4: "<random@domain-of-from>"; random from OpenSSL's CSPRNG.
std::string new_message_id(std::string_view from);
std::string new_boundary();
// Throws MimeError on a CR or LF in any header field or an invalid address.
std::string build_message(const MailContent& mail);

}  // namespace exosim::client
