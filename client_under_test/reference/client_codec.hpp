#pragma once
// Sans-I/O SMTP submission client: reply bytes and transport events in, actions (bytes to send,
// start TLS, close) out. No sockets, clocks or randomness, so every path runs under a unit test and
// the fuzzer (FZ-05). The transport executes actions in order and reports back.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/reply_parser.hpp"
#include "reference/capabilities.hpp"
#include "reference/client_config.hpp"
#include "reference/sasl_client.hpp"

namespace exosim::client {

struct ClientAction {
    enum class Kind { send, start_tls, close };
    Kind kind = Kind::send;
    std::string bytes;  // send: what goes on the wire
    std::string log;    // send: one transcript line per command, AUTH secrets redacted
};

// Which RFC 5321 4.5.3.2 timeout the transport should apply to the wait in progress.
enum class Wait { none, greeting, command, mail, rcpt, data_init, data_term, tls };

class ClientCodec {
public:
    explicit ClientCodec(ClientConfig config);

    // TCP is up; tls_active when implicit TLS has already been negotiated (RFC 8314).
    void on_connected(bool tls_active);
    void on_bytes(std::string_view bytes);
    // The handshake asked for by a start_tls action succeeded; a failed one ends the session in the
    // transport (the codec never goes on in plaintext after STARTTLS, TLS-04).
    void on_tls_established();
    void on_closed();
    void on_timeout();

    std::vector<ClientAction> take_actions();
    bool finished() const { return finished_; }
    Wait waiting_for() const;
    bool tls_active() const { return tls_active_; }
    const Outcome& outcome() const { return outcome_; }
    // Plaintext bytes dropped at the TLS upgrade (CC-04); non-zero means the server injected some.
    std::size_t discarded_pre_tls_bytes() const { return discarded_pre_tls_; }

private:
    enum class Expect { greeting, ehlo, helo, starttls, auth, mail, rcpt, data, dot, rset, quit };
    struct Command {
        Expect expect;
        std::size_t rcpt = 0;  // index in batch_ for Expect::rcpt
    };

    void process_replies();
    void check_unsolicited();
    static bool unexpected_class(Expect expect, const core::Reply& reply);
    void handle(const Command& command, const core::Reply& reply);
    void on_greeting(const core::Reply& reply);
    void on_ehlo(const core::Reply& reply);
    void on_starttls(const core::Reply& reply);
    void on_auth(const core::Reply& reply);
    void on_mail(const core::Reply& reply);
    void on_rcpt(std::size_t index, const core::Reply& reply);
    void on_data(const core::Reply& reply);
    void on_dot(const core::Reply& reply);

    void advance();
    bool may_send_in_plaintext() const;
    void start_auth();
    void begin_transaction();
    void send_next_rcpt_or_data();
    void end_transaction(bool needs_rset);
    void settle_accepted(const core::Reply& reply);
    void settle_all(const core::Reply& reply);
    void settle(const std::string& recipient, const core::Reply& reply);
    void finish_delivery();
    void note(const core::Reply& reply);
    void quit();
    void fail(Result result, const core::Reply& reply, std::string detail);
    void close();
    void send(std::string bytes, std::string log, std::vector<Command> expects);

    ClientConfig config_;
    core::ReplyParser parser_;
    std::string data_;  // the encoded DATA payload, built once
    Capabilities caps_;
    std::optional<SaslClient> sasl_;
    int auth_round_ = 0;

    std::vector<ClientAction> actions_;
    std::vector<Command> unsent_;      // emitted, not yet taken by the transport
    std::deque<Command> in_flight_;    // taken: their replies are due, in order (RFC 2920 3.1)
    bool awaiting_tls_ = false;
    bool tls_active_ = false;
    bool starttls_sent_ = false;
    bool stripped_accepted_ = false;  // --quirk ignore-stripped-starttls took effect
    bool authenticated_ = false;
    bool pipelined_ = false;
    bool finished_ = false;
    bool settled_ = false;  // finish_delivery() ran: the outcome is final
    bool closing_ = false;
    std::size_t discarded_pre_tls_ = 0;

    std::deque<std::string> queue_;   // recipients not yet in a transaction
    std::vector<std::string> batch_;  // recipients of the current transaction
    std::vector<int> batch_codes_;    // RCPT reply per batch_ entry (0: none yet)
    bool mail_ok_ = false;
    std::size_t next_rcpt_ = 0;
    core::Reply mail_reply_;
    core::Reply last_ok_, last_temporary_, last_permanent_;  // deciding replies for the outcome
    Outcome outcome_;
};

}  // namespace exosim::client
