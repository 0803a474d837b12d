// The scenario's identity: section (issue 13): every key decoded, and every mistake a clear error
// naming the file, line, column and key.
#include <gtest/gtest.h>

#include "scenario/scenario_error.hpp"
#include "scenario/yaml_io.hpp"

namespace exosim::scenario {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(IdentitySection, DecodesEveryKey) {
    const Scenario s = parse_scenario_yaml(R"(
send: {auth: xoauth2, token: none, user: printer@contoso.com}
identity:
  expect_flow: device_code
  approval: decline
  approval_delay: 1500ms
  user: mfa@contoso.com
  tenant: fabrikam.com
  client_id: 9e1f3a5c-7b2d-4e6f-8a0c-2d4f6b8a0e55
  client_secret: s3
  jobs: 3
  access_token_lifetime: 10s
  faults:
    user_state: {mfa_required: true, ca_blocked: false, disabled: true, password_expired: true, locked: false}
    device_code: expire
    token_endpoint: {status: 503, retry_after: 2, times: 3, then: timeout, delay: 12s}
    nbf_ahead: 10m
    consent_missing: fabrikam.com
    secret_expired: true
    revoke_refresh_tokens: true
    rotate_signing_key: true
    advance: 61m
  between_jobs: {advance: 1d, rotate_signing_key: true, wait: 2s}
)", "s.yaml", "s");
    const IdentityScript& id = s.identity;
    EXPECT_TRUE(id.present);
    EXPECT_EQ(s.send.token, "none");
    EXPECT_EQ(id.expect_flow, ExpectFlow::device_code);
    EXPECT_EQ(id.approval, Approval::decline);
    EXPECT_EQ(id.approval_delay, milliseconds(1500));
    EXPECT_EQ(id.user, "mfa@contoso.com");
    EXPECT_EQ(id.tenant, "fabrikam.com");
    EXPECT_EQ(id.client_id, "9e1f3a5c-7b2d-4e6f-8a0c-2d4f6b8a0e55");
    EXPECT_EQ(id.client_secret, "s3");
    EXPECT_EQ(id.jobs, 3u);
    EXPECT_EQ(id.access_token_lifetime, seconds(10));
    EXPECT_EQ(id.between_jobs.wait, milliseconds(2000));
    const IdentityFaults& f = id.faults;
    EXPECT_EQ(f.user_state.mfa_required, true);
    EXPECT_EQ(f.user_state.ca_blocked, false);
    EXPECT_EQ(f.user_state.disabled, true);
    EXPECT_EQ(f.user_state.password_expired, true);
    EXPECT_EQ(f.user_state.locked, false);
    EXPECT_EQ(f.device_code, DeviceCodeFault::expire);
    ASSERT_TRUE(f.token_endpoint);
    EXPECT_EQ(f.token_endpoint->status, 503u);
    EXPECT_EQ(f.token_endpoint->retry_after, 2u);
    EXPECT_EQ(f.token_endpoint->times, 3u);
    EXPECT_EQ(f.token_endpoint->then, OutageThen::timeout);
    EXPECT_EQ(f.token_endpoint->delay, milliseconds(12000));
    EXPECT_EQ(f.nbf_ahead, seconds(600));
    EXPECT_EQ(f.consent_missing, "fabrikam.com");
    EXPECT_TRUE(f.secret_expired && f.revoke_refresh_tokens && f.rotate_signing_key);
    EXPECT_EQ(f.advance, seconds(3660));
    EXPECT_EQ(id.between_jobs.advance, seconds(86400));
    EXPECT_TRUE(id.between_jobs.rotate_signing_key);
    EXPECT_FALSE(id.between_jobs.secret_expired);
}

TEST(IdentitySection, DefaultsWithoutTheSection) {
    const Scenario s = parse_scenario_yaml("send: {auth: xoauth2}\n", "s.yaml", "s");
    EXPECT_FALSE(s.identity.present);
    EXPECT_EQ(s.send.token, "minted");
    const Scenario e = parse_scenario_yaml("identity: {}\n", "s.yaml", "s");
    EXPECT_TRUE(e.identity.present);
    EXPECT_EQ(e.identity.expect_flow, ExpectFlow::any);
    EXPECT_EQ(e.identity.approval, Approval::auto_approve);
    EXPECT_EQ(e.identity.jobs, 1u);
    EXPECT_TRUE(e.identity.faults.empty());
}

struct ErrorCase {
    const char* yaml;
    const char* what;
};

class IdentityErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(IdentityErrors, NameFileLineColumnAndKey) {
    try {
        parse_scenario_yaml(GetParam().yaml, "e.yaml", "e");
        FAIL() << "no error for: " << GetParam().yaml;
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), GetParam().what);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, IdentityErrors,
    ::testing::Values(
        ErrorCase{"identity: {flow: device_code}\n",
                  "e.yaml:1:12: identity.flow: unknown key (expected one of: expect_flow, approval, approval_delay, user, "
                  "tenant, client_id, client_secret, jobs, access_token_lifetime, faults, between_jobs)"},
        ErrorCase{"identity: {jobs: 2, between_jobs: {wait: 11m}}\n",
                  "e.yaml:1:42: identity.between_jobs.wait: longer than 10 minutes (use advance to move the sign-in clock)"},
        ErrorCase{"identity: {access_token_lifetime: 0s}\n",
                  "e.yaml:1:35: identity.access_token_lifetime: at least 1s"},
        ErrorCase{"identity: {expect_flow: device-code}\n",
                  "e.yaml:1:25: identity.expect_flow: \"device-code\" is not one of: device_code, authorization_code, "
                  "client_credentials, any"},
        ErrorCase{"identity: {approval: later}\n",
                  "e.yaml:1:22: identity.approval: \"later\" is not one of: auto, decline, manual"},
        ErrorCase{"identity: {approval_delay: 2 weeks}\n",
                  "e.yaml:1:28: identity.approval_delay: expected a duration (\"1500ms\", \"2s\", \"61m\", \"3h\", \"89d\"), found \"2 weeks\""},
        ErrorCase{"identity: {faults: {advance: 367d}}\n", "e.yaml:1:30: identity.faults.advance: longer than 366 days"},
        ErrorCase{"identity: {faults: {advance: -1s}}\n",
                  "e.yaml:1:30: identity.faults.advance: expected a duration (\"1500ms\", \"2s\", \"61m\", \"3h\", \"89d\"), found \"-1s\""},
        ErrorCase{"identity: {jobs: 0}\n", "e.yaml:1:18: identity.jobs: must be between 1 and 100, found 0"},
        ErrorCase{"identity: {jobs: 101}\n", "e.yaml:1:18: identity.jobs: must be between 1 and 100, found 101"},
        ErrorCase{"identity: {faults: {user_state: {mfa: true}}}\n",
                  "e.yaml:1:34: identity.faults.user_state.mfa: unknown key (expected one of: mfa_required, ca_blocked, "
                  "disabled, password_expired, locked)"},
        ErrorCase{"identity: {faults: {device_code: approve}}\n",
                  "e.yaml:1:34: identity.faults.device_code: \"approve\" is not one of: decline, expire"},
        ErrorCase{"identity: {faults: {token_endpoint: {status: 404}}}\n",
                  "e.yaml:1:46: identity.faults.token_endpoint.status: must be between 500 and 599, found 404"},
        ErrorCase{"identity: {faults: {token_endpoint: {then: hang}}}\n",
                  "e.yaml:1:44: identity.faults.token_endpoint.then: \"hang\" is not one of: timeout, slow"},
        ErrorCase{"identity: {faults: {secret_expired: yes}}\n",
                  "e.yaml:1:37: identity.faults.secret_expired: expected true or false, found \"yes\""},
        ErrorCase{"identity: {between_jobs: {advance: 1d}}\n",
                  "e.yaml:1:26: identity.between_jobs: needs jobs: 2 or more"},
        ErrorCase{"identity: {jobs: 2, between_jobs: {device_code: expire}}\n",
                  "e.yaml:1:35: identity.between_jobs: device_code applies to the run, not between jobs (use faults)"},
        ErrorCase{"send: {auth: login, token: none}\n", "e.yaml:1:7: send.token: token: none needs auth: xoauth2"},
        ErrorCase{"send: {auth: xoauth2, token: later}\n",
                  "e.yaml:1:30: send.token: \"later\" is not one of: minted, none"}));

}  // namespace
}  // namespace exosim::scenario
