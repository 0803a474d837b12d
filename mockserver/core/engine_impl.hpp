#pragma once
// Engine internals shared by engine.cpp (lifecycle, framing), engine_commands.cpp (the command
// table), engine_auth.cpp (SASL) and engine_data.cpp (DATA, BDAT, end of message). Not installed.
#include <optional>
#include <string>
#include <vector>

#include "core/data_reader.hpp"
#include "core/engine.hpp"
#include "core/line_reader.hpp"
#include "core/sasl.hpp"

namespace exosim::core {

struct Command;
struct CommandParse;

struct Engine::Impl {
    Impl(SessionPolicy& p, ConnectionInfo c);

    // --- engine.cpp: lifecycle, framing, replies
    void start();
    void feed(std::string_view bytes);
    void process();
    bool read_line();
    void on_line(LineReader::Result&& r);
    void command_line(const std::string& text);
    bool unauthorized_pipelining();
    void enter(Phase p);
    void send(Reply r);
    void answer(const Decision& d, Reply default_reply);
    void error(ProtocolError e);
    void finding(std::string rule, std::string detail = {});
    void close();
    void reset_transaction();
    std::string_view pending() const { return std::string_view(in_).substr(pos_); }
    Capabilities caps() const { return policy_.capabilities(state_); }

    // --- engine_commands.cpp: one row per verb: check, decide (policy), proceed
    void dispatch(const CommandParse& p);
    std::optional<ProtocolError> check_hello(const Command& c);
    std::optional<ProtocolError> check_mail(const Command& c);
    std::optional<ProtocolError> check_rcpt(const Command& c);
    std::optional<ProtocolError> check_data(const Command& c);
    std::optional<ProtocolError> check_starttls(const Command& c);
    std::optional<ProtocolError> check_auth(const Command& c);
    std::optional<ProtocolError> check_none(const Command& c);
    Decision decide_hello(const Command& c);
    Decision decide_mail(const Command& c);
    Decision decide_rcpt(const Command& c);
    Decision decide_data(const Command& c);
    Decision decide_starttls(const Command& c);
    Decision decide_auth(const Command& c);
    Decision decide_rset(const Command& c);
    Decision decide_vrfy(const Command& c);
    Decision decide_quit(const Command& c);
    Decision decide_ok(const Command& c);
    void proceed_hello(const Command& c, const Decision& d);
    void proceed_mail(const Command& c, const Decision& d);
    void proceed_rcpt(const Command& c, const Decision& d);
    void proceed_data(const Command& c, const Decision& d);
    void proceed_rset(const Command& c, const Decision& d);
    void proceed_noop(const Command& c, const Decision& d);
    void proceed_help(const Command& c, const Decision& d);
    void proceed_vrfy(const Command& c, const Decision& d);
    void proceed_expn(const Command& c, const Decision& d);
    void proceed_quit(const Command& c, const Decision& d);
    void proceed_starttls(const Command& c, const Decision& d);
    void proceed_auth(const Command& c, const Decision& d);

    // --- engine_auth.cpp
    void sasl_line(const std::string& text);
    void sasl_step(SaslExchange::Step step);
    void sasl_abort(std::optional<ProtocolError> e);

    // --- engine_data.cpp
    bool read_data();
    bool interrupted_mid_data();
    bool read_chunk();
    void finish_data();
    void bdat_command(const Command& c);
    void finish_chunk();
    void end_message(std::string content);
    void stored(bool ok, std::string_view id);
    std::uint64_t message_cap() const;

    SessionPolicy& policy_;
    SessionState state_;
    EngineSettings settings_;
    Phase phase_ = Phase::greeting;
    std::vector<Action> actions_;
    std::vector<Event> events_;

    std::string in_;       // unprocessed input, from pos_
    std::size_t pos_ = 0;
    LineReader lines_;
    std::size_t skipped_ = 0;  // octets dropped from the current over-long line

    std::optional<DataReader> data_;
    std::optional<SaslExchange> sasl_;
    // BDAT (RFC 3030): the chunk being read, and the reply owed once it has been read.
    std::uint64_t chunk_remaining_ = 0;
    bool chunk_active_ = false;
    bool chunk_last_ = false;
    std::optional<ProtocolError> chunk_error_;
    std::optional<Decision> chunk_rejection_;
    std::string bdat_content_;
    bool bdat_overflow_ = false;
    std::uint64_t bdat_size_ = 0;

    std::string stored_content_;               // waiting for message_stored
    std::optional<Decision> tls_rejection_;    // on_tls_established refused: answer the next command
    bool started_ = false;
    bool pregreet_ = false;
    bool connect_rejected_ = false;
    bool shutting_down_ = false;
    bool any_line_ = false;
    std::size_t errors_ = 0;
    std::size_t junk_ = 0;
};

}  // namespace exosim::core
