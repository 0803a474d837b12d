// Every ProtocolError the engine can raise maps to one entry of each reply catalogue: the RFC
// baseline (core/rfc_replies) and Exchange Online (policy/exchange_online/replies). A new
// enumerator without a row here fails CountMatchesTheEnum; a text written outside a catalogue
// fails the Exchange mapping, which compares against the catalogue functions themselves.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/rfc_replies.hpp"
#include "policy/exchange_online/client_submission.hpp"
#include "policy/exchange_online/replies.hpp"
#include "policy/exo_test_support.hpp"
#include "policy/rfc_policy.hpp"

namespace exosim::policy::exo {
namespace {

using namespace testing;
using core::ProtocolError;
namespace r = replies;

struct Row {
    ProtocolError error;
    int rfc_code;
    std::string rfc_enhanced;  // "x.y.z" as rendered
    std::function<core::Reply(std::string_view bracket)> exo;
};

std::string enhanced(const core::Reply& reply) { return reply.enhanced ? reply.enhanced->str() : ""; }

// The codes the RFC baseline sends (RFC sections cited in core/rfc_replies.cpp).
const std::vector<Row>& rows() {
    static const std::vector<Row> table = {
        {ProtocolError::line_too_long, 500, "5.5.2", r::line_too_long},
        {ProtocolError::unknown_command, 500, "5.5.1", [](auto b) { return r::unrecognized_command(b); }},
        {ProtocolError::syntax, 501, "5.5.4", r::syntax_error},
        {ProtocolError::bad_sequence, 503, "5.5.1", r::bad_sequence},
        {ProtocolError::need_hello, 503, "5.5.1", r::send_hello_first},
        {ProtocolError::bad_path, 501, "5.1.3", r::invalid_address},
        {ProtocolError::bad_param, 555, "5.5.4", r::unrecognized_parameter},
        {ProtocolError::utf8_not_negotiated, 553, "5.6.7", r::smtputf8_required},
        {ProtocolError::bare_line_ending, 500, "5.5.2", r::bare_line_feed},
        {ProtocolError::bare_line_ending_in_data, 554, "5.6.0", r::bare_line_feed},
        {ProtocolError::too_many_recipients, 452, "4.5.3", r::too_many_recipients},
        {ProtocolError::message_too_big, 552, "5.3.4", r::message_too_big},
        {ProtocolError::no_valid_recipients, 554, "5.5.1", r::no_valid_recipients},
        {ProtocolError::tls_already_active, 503, "5.5.1", r::bad_sequence},
        {ProtocolError::tls_not_available, 454, "4.7.0", r::tls_not_available},
        {ProtocolError::auth_already, 503, "5.5.1", r::bad_sequence},
        {ProtocolError::auth_in_transaction, 503, "5.5.1", r::bad_sequence},
        {ProtocolError::auth_unknown_mechanism, 504, "5.5.4", r::unrecognized_auth_type},
        {ProtocolError::auth_cancelled, 501, "5.7.0", r::auth_cancelled},
        {ProtocolError::auth_bad_base64, 501, "5.5.2", r::auth_bad_base64},
        {ProtocolError::auth_not_available, 503, "5.5.1", r::unrecognized_auth_type},
        {ProtocolError::bdat_not_offered, 503, "5.5.1", r::bad_sequence},
        {ProtocolError::unauthorized_pipelining, 554, "5.5.0", r::protocol_violation},
        {ProtocolError::pregreet, 554, "5.5.0", r::protocol_violation},
        {ProtocolError::too_many_errors, 421, "4.7.0", r::too_many_errors},
        {ProtocolError::timeout, 421, "4.4.2", r::timeout},
        {ProtocolError::shutting_down, 421, "4.3.2", r::shutting_down},
        {ProtocolError::input_overflow, 421, "4.7.0", r::too_many_errors},
        {ProtocolError::http_command, 421, "4.7.0", [](auto b) { return r::unrecognized_command(b); }},
        {ProtocolError::local_error, 451, "4.3.0", r::local_error},
    };
    return table;
}

TEST(ProtocolErrorCatalogue, CountMatchesTheEnum) {
    // local_error is the last enumerator of ProtocolError; a row per enumerator, in order.
    ASSERT_EQ(rows().size(), static_cast<std::size_t>(ProtocolError::local_error) + 1);
    for (std::size_t i = 0; i < rows().size(); ++i) EXPECT_EQ(static_cast<std::size_t>(rows()[i].error), i);
}

TEST(ProtocolErrorCatalogue, EveryErrorHasAnRfcEntry) {
    const RfcPolicy policy{RfcPolicyConfig{}};
    for (const Row& row : rows()) {
        const core::Reply reply = core::rfc_replies::protocol_error(row.error);
        SCOPED_TRACE(reply.render());
        EXPECT_EQ(reply.code, row.rfc_code);
        EXPECT_EQ(enhanced(reply), row.rfc_enhanced);
        EXPECT_FALSE(reply.lines.empty() || reply.lines.front().empty());
        EXPECT_EQ(policy.protocol_error(state(), row.error), reply);  // the RFC policy uses the module
    }
}

TEST(ProtocolErrorCatalogue, EveryErrorHasAnExchangeEntry) {
    Fixture fx;
    const ClientSubmissionPolicy policy(fx.env(), SubmissionEndpoint::standard);
    for (const Row& row : rows()) {
        const core::Reply reply = policy.protocol_error(state(), row.error);
        SCOPED_TRACE(reply.render());
        EXPECT_EQ(reply, row.exo(bracket_at_reference));
        EXPECT_TRUE(reply.one_line().ends_with(bracket_at_reference));
    }
}

}  // namespace
}  // namespace exosim::policy::exo
