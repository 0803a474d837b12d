#pragma once
// The sans-I/O SMTP server session (RFC 5321 with PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES,
// CHUNKING, SMTPUTF8, DSN, STARTTLS, AUTH). Bytes and events in, actions out. No sockets, clock or
// randomness: the transport executes actions and reports TLS and storage outcomes back.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actions.hpp"
#include "events.hpp"
#include "session_policy.hpp"
#include "session_state.hpp"

namespace exosim::core {

class Engine {
public:
    // `policy` must outlive the engine. `connection` identifies the session for the policy.
    Engine(SessionPolicy& policy, ConnectionInfo connection);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Produces the greeting (or the connect rejection). Call once, first.
    void start();
    // Feed bytes received from the client. All bytes are taken (buffered internally up to
    // limits::max_pipelined_input while the engine waits for TLS or storage).
    void feed(std::string_view bytes);
    // Client bytes that arrived before the greeting was sent (e.g. during a greeting delay): recorded
    // as Finding{"pregreet"}; with settings.reject_pregreet answered by 554 and Close, otherwise fed.
    // feed() before start() is treated the same way once start() runs.
    void feed_pregreet(std::string_view bytes);
    // The client closed its side; a partial message is discarded.
    void eof();
    // Deadline for the current step passed (RFC 5321 4.5.3.2): 421 and close.
    void timeout();
    // Server shutting down: 421 4.3.2 and close once idle.
    void shutdown();

    // Answers to StartTls. On an implicit-TLS connection (ConnectionInfo::implicit_tls) also called
    // once before start(): the session is then TLS from the greeting on (a rejection by the policy
    // answers the first command, closing after it when the decision closes).
    void tls_established(const TlsInfo& info);
    void tls_failed();
    // Answer to StoreMessage. `ok` false gives 451 4.3.0; the id goes into the 250.
    void message_stored(bool ok, std::string_view id);

    std::vector<Action> take_actions();
    std::vector<Event> take_events();

    Phase phase() const;
    const SessionState& state() const;
    bool closed() const;
    // True while reading a message body (DATA or BDAT chunk): the transport applies the data deadline.
    bool in_message_data() const;
    // True while waiting for an action's outcome (TLS or store); the transport must not feed meanwhile.
    bool waiting() const;

    // Internal state, defined in engine_impl.hpp (split over engine*.cpp); not part of the interface.
    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace exosim::core
