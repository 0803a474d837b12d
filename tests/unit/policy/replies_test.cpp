// Exact bytes of the Exchange Online reply catalogue (reference sections cited per test).
#include "policy/exchange_online/replies.hpp"

#include <gtest/gtest.h>

#include "policy/exo_test_support.hpp"

namespace exosim::policy::exo {
namespace {

using namespace testing;
namespace r = replies;

const NodeIdentity node{"SY5P282CA0097", "AUSP282", "PROD.OUTLOOK.COM"};

std::string b() { return diagnostic_bracket(node, reference_time(), session_id); }

TEST(ExoReplies, BannerMatchesReferenceByte4Byte) {  // §2 [WIRE] 2025-11-23
    EXPECT_EQ(r::banner("SY5P282CA0097.outlook.office365.com", reference_time(), "08DE2A6028D26C22").render(),
              "220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 "
              "11:12:20 +0000 [08DE2A6028D26C22]\r\n");
    EXPECT_EQ(r::banner("SC1PR80CA0174.outlook.office365.com", reference_time(), std::nullopt).render(),
              "220 SC1PR80CA0174.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 "
              "11:12:20 +0000\r\n");
}

TEST(ExoReplies, BannerDateHasNoLeadingZeroOnDay) {  // §2 [WIRE] "Mon, 4 Aug 2025 11:15:30 +0000"
    const auto aug4 = std::chrono::sys_days{std::chrono::year{2025} / 8 / 4} + 11h + 15min + 30s;
    EXPECT_EQ(banner_date(aug4), "Mon, 4 Aug 2025 11:15:30 +0000");
    const auto jun1 = std::chrono::sys_days{std::chrono::year{2015} / 6 / 1} + 12h;
    EXPECT_EQ(banner_date(jun1), "Mon, 1 Jun 2015 12:00:00 +0000");
    const auto nov9 = std::chrono::sys_days{std::chrono::year{2022} / 11 / 9} + 10h + 9min + 41s;
    EXPECT_EQ(banner_date(nov9), "Wed, 9 Nov 2022 10:09:41 +0000");
    const auto oct10 = std::chrono::sys_days{std::chrono::year{2019} / 10 / 11} + 16h + 40min + 13s;
    EXPECT_EQ(banner_date(oct10), "Fri, 11 Oct 2019 16:40:13 +0000");
}

TEST(ExoReplies, BracketHasMillisecondsAndSessionId) {  // §0 [WIRE]
    const auto t = std::chrono::sys_days{std::chrono::year{2025} / 4 / 26} + 18h + 6min + 35s + 781ms;
    const NodeIdentity n{"BMXPR01CA0083", "INDPRD01", "PROD.OUTLOOK.COM"};
    EXPECT_EQ(diagnostic_bracket(n, t, "08DD842467C8274D"),
              "[BMXPR01CA0083.INDPRD01.PROD.OUTLOOK.COM 2025-04-26T18:06:35.781Z 08DD842467C8274D]");
    EXPECT_EQ(diagnostic_bracket(n, t, "08DD842467C8274D", BracketStyle::legacy),
              "[BMXPR01CA0083.INDPRD01.PROD.OUTLOOK.COM]");
    EXPECT_EQ(iso8601_ms(t + 9ms), "2025-04-26T18:06:35.790Z");
    EXPECT_EQ(iso8601_ms(reference_time() + 5ms), "2025-11-23T11:12:20.005Z");
}

TEST(ExoReplies, EhloKeywordListsBeforeAndAfterTls) {  // §3 [WIRE]
    const std::vector<std::string> before = {"SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS",
                                             "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"};
    const std::vector<std::string> after = {"SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
                                            "AUTH LOGIN XOAUTH2", "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"};
    EXPECT_EQ(r::ehlo_keywords(157286400, true, false), before);
    EXPECT_EQ(r::ehlo_keywords(157286400, false, true), after);
    EXPECT_EQ(r::hello_line("PN4P287CA0064.outlook.office365.com", "2401:4900:a052:31f0:9beb:e613:56e8:f897"),
              "PN4P287CA0064.outlook.office365.com Hello [2401:4900:a052:31f0:9beb:e613:56e8:f897]");
}

TEST(ExoReplies, AuthTexts) {  // §4 table
    const std::string tail = " " + b() + "\r\n";
    EXPECT_EQ(r::auth_disabled_tenant(b()).render(),
              "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit "
              "https://aka.ms/smtp_auth_disabled for more information." + tail);
    EXPECT_EQ(r::auth_disabled_mailbox(b()).render(),
              "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit "
              "https://aka.ms/smtp_auth_disabled for more information." + tail);
    EXPECT_EQ(r::basic_auth_disabled(b()).render(),
              "535 5.7.139 Authentication unsuccessful, basic authentication is disabled." + tail);
    EXPECT_EQ(r::credentials_incorrect(b()).render(),
              "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect." + tail);
    EXPECT_EQ(r::conditional_access(b()).render(),
              "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated "
              "successfully. Contact your administrator." + tail);
    EXPECT_EQ(r::security_defaults(b()).render(),
              "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults "
              "policy. Contact your administrator." + tail);
    EXPECT_EQ(r::account_locked(b()).render(),
              "535 5.7.139 Authentication unsuccessful, account locked. Contact your administrator." + tail);
    EXPECT_EQ(r::oauth_failed(b()).render(), "535 5.7.3 Authentication unsuccessful" + tail);
    EXPECT_EQ(r::unrecognized_auth_type(b()).render(), "504 5.7.4 Unrecognized authentication type" + tail);
    EXPECT_EQ(r::basic_auth_retired(b()).render(),
              "550 5.7.30 Basic authentication is not supported for Client Submission." + tail);
    EXPECT_EQ(r::auth_success().render(), "235 2.7.0 Authentication successful\r\n");
    EXPECT_EQ(r::legacy_tls_refused(b()).render(),
              "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. "
              "Visit https://aka.ms/smtp_auth_tls." + tail);
}

TEST(ExoReplies, NotAuthenticatedEmbedsEarlierFailure) {  // §4 "MAIL FROM after a failed AUTH"
    const std::string tail = " " + b() + "\r\n";
    EXPECT_EQ(r::not_authenticated(b(), std::nullopt).render(),
              "530 5.7.57 Client not authenticated to send mail." + tail);
    const auto earlier = r::embeddable(r::conditional_access(b()));
    EXPECT_EQ(earlier,
              "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated "
              "successfully. Contact your administrator.");
    EXPECT_EQ(r::not_authenticated(b(), earlier).render(),
              "530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, the "
              "request did not meet the criteria to be authenticated successfully. Contact your administrator." + tail);
}

TEST(ExoReplies, EnvelopeAndDataTexts) {  // §4, §5 [WIRE]
    EXPECT_EQ(r::starttls_required(b()).render(), "451 5.7.3 STARTTLS is required to send mail " + b() + "\r\n");
    EXPECT_EQ(r::starttls_ready().render(), "220 2.0.0 SMTP server ready\r\n");
    EXPECT_EQ(r::sender_ok().render(), "250 2.1.0 Sender OK\r\n");
    EXPECT_EQ(r::recipient_ok().render(), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(r::start_mail_input().render(), "354 Start mail input; end with <CRLF>.<CRLF>\r\n");
    EXPECT_EQ(r::resetting().render(), "250 2.0.0 Resetting\r\n");
    EXPECT_EQ(r::closing().render(), "221 2.0.0 Service closing transmission channel\r\n");
    EXPECT_EQ(r::submission_queued("<b225fdda-3db5-4aeb-4d52-c74d71838980@sunshinesmallgoods.com.au>",
                                   "SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM")
                  .render(),
              "250 2.0.0 OK <b225fdda-3db5-4aeb-4d52-c74d71838980@sunshinesmallgoods.com.au> "
              "[Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]\r\n");
    EXPECT_EQ(r::mx_queued("<20230910203057.5BBB918C6@huyvl-linux-training.novalocal>", 38521561683110,
                           "TYZPR06MB6239.apcprd06.prod.outlook.com", 8547, 0.132)
                  .render(),
              "250 2.6.0 <20230910203057.5BBB918C6@huyvl-linux-training.novalocal> [InternalId=38521561683110, "
              "Hostname=TYZPR06MB6239.apcprd06.prod.outlook.com] 8547 bytes in 0.132, 63.232 KB/sec Queued mail for "
              "delivery\r\n");
}

TEST(ExoReplies, SubmissionErrors) {  // §6
    const std::string tail = " " + b() + "\r\n";
    EXPECT_EQ(r::send_as_denied("info@bizadmin.com.au", "noreply@bizadmin.com.au", "SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM")
                  .render()
                  .rfind("554 5.2.252 SendAsDenied; info@bizadmin.com.au not allowed to send as noreply@bizadmin.com.au; "
                         "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to "
                         "process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit "
                         "message. 1.84300:0A000000, ",
                         0),
              0u);
    EXPECT_EQ(r::send_as_denied_legacy(b()).render(),
              "550 5.7.60 SMTP; Client does not have permissions to send as this sender" + tail);
    EXPECT_EQ(r::submission_quota_exceeded(b()).render(),
              "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException" + tail);
    EXPECT_EQ(r::sender_thread_limit(b()).render(),
              "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded" + tail);
    EXPECT_EQ(r::too_many_recipients(b()).render(), "452 4.5.3 Too many recipients" + tail);
    EXPECT_EQ(r::message_too_big(b()).render(), "552 5.3.4 Message size exceeds fixed maximum message size" + tail);
}

TEST(ExoReplies, MxErrors) {  // §7
    const std::string tail = " " + b() + "\r\n";
    EXPECT_EQ(r::recipient_rejected(b()).render(), "550 5.4.1 Recipient address rejected: Access denied." + tail);
    EXPECT_EQ(r::relay_tenant_attribution(b()).render(), "550 5.7.64 TenantAttribution; Relay Access Denied" + tail);
    EXPECT_EQ(r::relay_access_denied(b()).render(), "550 5.4.1 Relay Access Denied" + tail);
    EXPECT_EQ(r::unable_to_relay(b()).render(),
              "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain" + tail);
    EXPECT_EQ(r::direct_send_rejected(b()).render(),
              "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized "
              "sources" + tail);
    EXPECT_EQ(r::banned_sending_ip("198.51.100.66", b()).render(),
              "550 5.7.606 Access denied, banned sending IP [198.51.100.66]. To request removal from this list please "
              "visit https://sender.office.com/ and follow the directions. For more information please go to  "
              "http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609)" + tail);
}

}  // namespace
}  // namespace exosim::policy::exo
