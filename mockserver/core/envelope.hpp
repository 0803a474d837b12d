#pragma once
// The transaction an accepted message carries to the store.
#include <string>
#include <vector>

#include "command.hpp"

namespace exosim::core {

struct Recipient {
    Path path;
    RcptParams params;
};

struct Envelope {
    Path reverse_path;
    MailParams params;
    std::vector<EsmtpParam> raw_mail_params;
    std::vector<Recipient> recipients;
    bool via_bdat = false;
};

}  // namespace exosim::core
