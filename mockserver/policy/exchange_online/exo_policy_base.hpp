#pragma once
// What every Exchange Online profile shares: banner, hello line, the diagnostic bracket, the
// replies to STARTTLS, RSET, QUIT, VRFY, HELP, NOOP, DATA and the wording of protocol errors.
#include <memory>
#include <optional>
#include <string>

#include "core/session_policy.hpp"
#include "policy/exchange_online/environment.hpp"

namespace exosim::policy::exo {

class ExoPolicyBase : public core::SessionPolicy {
public:
    core::EngineSettings settings(const core::SessionState&) const override;
    core::Decision on_connect(const core::SessionState& state) override;
    core::Decision on_ehlo(const core::SessionState& state, std::string_view domain, bool esmtp) override;
    std::string ehlo_greeting(const core::SessionState& state) const override;
    core::Decision on_starttls(const core::SessionState& state) override;
    core::Decision on_data(const core::SessionState& state) override;
    core::Decision on_quit(const core::SessionState& state) override;
    core::Decision on_rset(const core::SessionState& state) override;
    core::Decision on_vrfy(const core::SessionState& state, std::string_view arg) override;
    core::Reply help(const core::SessionState& state) const override;
    core::Reply noop(const core::SessionState& state) const override;
    core::Reply protocol_error(const core::SessionState& state, core::ProtocolError error) const override;

    // The stored copy (core::SessionPolicy): what on_message decided for the message just accepted.
    std::string annotations_json(const core::SessionState& state) const override;
    std::optional<std::string> stored_content(const core::SessionState& state,
                                              std::string_view received) const override;

    // The trailer for an error reply at this moment of this session.
    std::string bracket(const core::SessionState& state) const;
    const ExoEnvironment& environment() const { return *env_; }

protected:
    // `node`: the node named in brackets; `host`: the name in banner and hello line.
    ExoPolicyBase(std::shared_ptr<const ExoEnvironment> env, NodeIdentity node, std::string host,
                  bool banner_session_id);

    TimePoint now() const { return env_->clock->now(); }
    static std::string seen_address(const core::SessionState& state);
    // Message-ID of `content`, or one generated the way Exchange's mailbox servers write them.
    std::string message_id_for(const core::SessionState& state, std::string_view content,
                               const NodeIdentity& server) const;
    // The Received trace field this front end prepends to the stored copy (RFC 5321 4.4), CRLF-ended.
    std::string received_header(const core::SessionState& state) const;

    std::shared_ptr<const ExoEnvironment> env_;
    NodeIdentity node_;
    std::string host_;
    bool banner_session_id_;
    std::string annotations_ = "{}";
    std::optional<std::string> stored_content_;  // set by on_message when the stored copy differs
};

// RFC 5321 4.1.2 Domain / address-literal shape as Exchange checks EHLO ("MacBook.." fails, §3).
bool plausible_ehlo_domain(std::string_view domain);
// Minimal JSON string escaping for annotation values.
std::string json_string(std::string_view s);

}  // namespace exosim::policy::exo
