// Mail transactions (RFC 5321 3.3): MAIL, RCPT, DATA, the body and its final reply, with PIPELINING
// (RFC 2920), SIZE (RFC 1870) and recipient batches of at most 100 (RFC 5321 4.5.3.1.10, CC-19).
#include <algorithm>

#include "reference/client_codec.hpp"

namespace exosim::client {
namespace {

bool remove_one(std::vector<std::string>& list, const std::string& value) {
    auto it = std::find(list.begin(), list.end(), value);
    if (it == list.end()) return false;
    list.erase(it);
    return true;
}

// RFC 5321 4.5.3.1.10: 452 (and 552, which RFC 821 wrongly used) to a RCPT means "too many
// recipients in this transaction": send that recipient again in the next one.
bool too_many_recipients(int code) { return code == 452 || code == 552; }

}  // namespace

void ClientCodec::begin_transaction() {
    if (queue_.empty()) return finish_delivery();
    if (!may_send_in_plaintext()) return fail(Result::refused, {}, "TLS required before MAIL");
    // RFC 1870 6: refuse locally rather than send what the server already said it will not take (CC-25).
    if (caps_.max_size() != 0 && data_.size() > caps_.max_size())
        return fail(Result::refused, {}, "message of " + std::to_string(data_.size()) +
                                             " bytes exceeds the server's SIZE " + std::to_string(caps_.max_size()));
    std::size_t n = std::min(queue_.size(), config_.max_recipients_per_transaction);
    batch_.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    batch_codes_.assign(n, 0);
    mail_ok_ = false;
    next_rcpt_ = 0;
    mail_reply_ = {};

    std::string mail = "MAIL FROM:<" + config_.from + ">";
    if (caps_.has("SIZE")) mail += " SIZE=" + std::to_string(data_.size());
    pipelined_ = caps_.has("PIPELINING") || config_.quirks.pipeline_unadvertised;
    if (!pipelined_) return send(mail + "\r\n", mail, {{Expect::mail}});
    // RFC 2920 3.1: MAIL, every RCPT and DATA in one group; the body waits for 354.
    std::string bytes = mail + "\r\n";
    std::string log = mail;
    std::vector<Command> expects{{Expect::mail}};
    for (std::size_t i = 0; i < batch_.size(); ++i) {
        bytes += "RCPT TO:<" + batch_[i] + ">\r\n";
        log += "\nRCPT TO:<" + batch_[i] + ">";
        expects.push_back({Expect::rcpt, i});
    }
    bytes += "DATA\r\n";
    log += "\nDATA";
    expects.push_back({Expect::data});
    next_rcpt_ = batch_.size();
    send(std::move(bytes), std::move(log), std::move(expects));
}

void ClientCodec::on_mail(const core::Reply& reply) {
    mail_reply_ = reply;
    mail_ok_ = reply.code / 100 == 2;
    if (pipelined_) return;  // the RCPT and DATA replies are on their way regardless
    if (mail_ok_) return send_next_rcpt_or_data();
    // A refused sender is refused for every transaction of this message.
    settle_all(reply);
}

void ClientCodec::on_rcpt(std::size_t index, const core::Reply& reply) {
    // After a refused MAIL the RCPT replies (503) say nothing about the recipients.
    if (!mail_ok_) return;
    batch_codes_[index] = reply.code;
    note(reply);
    if (reply.code / 100 == 5 && !too_many_recipients(reply.code) && remove_one(outcome_.deferred, batch_[index]))
        outcome_.rejected.push_back(batch_[index]);
    if (!pipelined_) send_next_rcpt_or_data();
}

void ClientCodec::send_next_rcpt_or_data() {
    if (next_rcpt_ < batch_.size()) {
        std::string rcpt = "RCPT TO:<" + batch_[next_rcpt_] + ">";
        send(rcpt + "\r\n", rcpt, {{Expect::rcpt, next_rcpt_}});
        ++next_rcpt_;
        return;
    }
    bool any = std::any_of(batch_codes_.begin(), batch_codes_.end(), [](int c) { return c / 100 == 2; });
    // CC-19: no accepted recipient, no DATA.
    if (!any) return end_transaction(true);
    send("DATA\r\n", "DATA", {{Expect::data}});
}

void ClientCodec::on_data(const core::Reply& reply) {
    bool any = std::any_of(batch_codes_.begin(), batch_codes_.end(), [](int c) { return c / 100 == 2; });
    if (reply.code / 100 == 3) {
        // RFC 2920 3.1: DATA accepted although nothing can be delivered: end an empty message at once.
        if (!mail_ok_ || !any) return send(".\r\n", ".", {{Expect::dot}});
        return send(data_, "<message: " + std::to_string(data_.size()) + " bytes, then CRLF.CRLF>", {{Expect::dot}});
    }
    if (!mail_ok_) return settle_all(mail_reply_);
    settle_accepted(reply);
    end_transaction(true);
}

void ClientCodec::on_dot(const core::Reply& reply) {
    bool any = std::any_of(batch_codes_.begin(), batch_codes_.end(), [](int c) { return c / 100 == 2; });
    if (mail_ok_ && any) settle_accepted(reply);
    end_transaction(!(mail_ok_ && any));
}

// The recipients a RCPT accepted share the fate of the DATA or end-of-data reply.
void ClientCodec::settle_accepted(const core::Reply& reply) {
    for (std::size_t i = 0; i < batch_.size(); ++i) {
        if (batch_codes_[i] / 100 == 2) settle(batch_[i], reply);
    }
}

void ClientCodec::settle(const std::string& recipient, const core::Reply& reply) {
    note(reply);
    if (reply.code / 100 == 2 && remove_one(outcome_.deferred, recipient)) outcome_.accepted.push_back(recipient);
    if (reply.code / 100 == 5 && remove_one(outcome_.deferred, recipient)) outcome_.rejected.push_back(recipient);
}

// MAIL failed: this reply decides for every recipient not yet decided, then the session ends.
void ClientCodec::settle_all(const core::Reply& reply) {
    for (const std::string& r : batch_) settle(r, reply);
    for (const std::string& r : queue_) settle(r, reply);
    queue_.clear();
    finish_delivery();
}

void ClientCodec::end_transaction(bool needs_rset) {
    bool progress = std::any_of(batch_codes_.begin(), batch_codes_.end(), [](int c) { return c / 100 == 2; });
    // Re-batch the "too many recipients" ones only if this transaction moved forward; otherwise they
    // stay deferred for a later attempt, so a server that answers 452 to everything cannot loop us.
    if (progress) {
        for (std::size_t i = batch_.size(); i-- > 0;) {
            if (too_many_recipients(batch_codes_[i])) queue_.push_front(batch_[i]);
        }
    }
    batch_.clear();
    batch_codes_.clear();
    if (queue_.empty()) return finish_delivery();
    if (needs_rset && mail_ok_) return send("RSET\r\n", "RSET", {{Expect::rset}});
    begin_transaction();
}

void ClientCodec::note(const core::Reply& reply) {
    switch (reply.code / 100) {
    case 2: last_ok_ = reply; break;
    case 4: last_temporary_ = reply; break;
    case 5: last_permanent_ = reply; break;
    default: break;
    }
}

// Every recipient has an answer (or is owed a retry): the overall result, then QUIT.
void ClientCodec::finish_delivery() {
    if (!outcome_.deferred.empty()) {
        outcome_.result = Result::deferred;
        outcome_.reply = last_temporary_.code != 0 ? last_temporary_ : last_permanent_;
    } else if (!outcome_.rejected.empty()) {
        outcome_.result = Result::rejected;
        outcome_.reply = last_permanent_;
    } else {
        outcome_.result = Result::delivered;
        outcome_.reply = last_ok_;
    }
    settled_ = true;
    quit();
}

}  // namespace exosim::client
