#pragma once
// Literal-byte traces for verdict tests: C("EHLO x\r\n"), S("250 ok\r\n"), tls("TLSv1.3"), ...
// Every entry advances the clock by `step` ms unless at()/wait() says otherwise.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "scenario/model.hpp"
#include "scenario/trace.hpp"
#include "scenario/verdict.hpp"

namespace exosim::scenario::test {

inline std::string good_body(std::string_view message_id = "<1@client>") {
    return "Date: Mon, 6 Jan 2025 10:00:00 +0000\r\nFrom: User <user@contoso.com>\r\nTo: rcpt@example.org\r\n"
           "Message-ID: " + std::string(message_id) + "\r\nSubject: test\r\n\r\nhello\r\n..dot line\r\n.\r\n";
}

class TraceBuilder {
public:
    TraceBuilder() { trace_.connections.emplace_back(); }
    TraceBuilder& C(std::string bytes) { return add(TraceEntry::Kind::client_bytes, std::move(bytes)); }
    TraceBuilder& S(std::string bytes) { return add(TraceEntry::Kind::server_bytes, std::move(bytes)); }
    TraceBuilder& tls(std::string version = "TLSv1.3") {
        add(TraceEntry::Kind::tls_started, "", std::move(version));
        in_tls_ = true;
        return *this;
    }
    TraceBuilder& tls_failed(std::string why) { return add(TraceEntry::Kind::tls_failed, "", std::move(why)); }
    TraceBuilder& client_closed() { return add(TraceEntry::Kind::client_closed, ""); }
    TraceBuilder& server_closed() { return add(TraceEntry::Kind::server_closed, ""); }
    TraceBuilder& timeout() { return add(TraceEntry::Kind::timeout, ""); }
    TraceBuilder& wait(long long ms) { now_ += ms; return *this; }
    TraceBuilder& next_connection() {
        trace_.connections.emplace_back();
        now_ = 0;
        in_tls_ = false;
        return *this;
    }
    TraceBuilder& implicit_tls(std::string version = "TLSv1.3") { return tls(std::move(version)); }
    Trace trace() const { return trace_; }
    operator Trace() const { return trace_; }

    // The default path of B2: greeting, EHLO, STARTTLS, TLS, EHLO with AUTH LOGIN.
    TraceBuilder& up_to_tls_ehlo(std::string post_caps = "250-mock.example\r\n250-PIPELINING\r\n250-AUTH LOGIN XOAUTH2\r\n250 8BITMIME\r\n") {
        S("220 mock.example ESMTP\r\n").C("EHLO client\r\n");
        S("250-mock.example\r\n250-PIPELINING\r\n250-SIZE 36700160\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
        C("STARTTLS\r\n").S("220 2.0.0 Ready to start TLS\r\n").tls().C("EHLO client\r\n").S(std::move(post_caps));
        return *this;
    }
    TraceBuilder& auth_login() {
        return C("AUTH LOGIN\r\n").S("334 VXNlcm5hbWU6\r\n").C("dXNlckBjb250b3NvLmNvbQ==\r\n").S("334 UGFzc3dvcmQ6\r\n")
            .C("c2VjcmV0cHc=\r\n").S("235 2.7.0 Authentication successful\r\n");
    }
    TraceBuilder& message(std::string body, std::string final_reply = "250 2.0.0 OK queued\r\n") {
        C("MAIL FROM:<user@contoso.com>\r\n").S("250 2.1.0 Sender OK\r\n").C("RCPT TO:<rcpt@example.org>\r\n")
            .S("250 2.1.5 Recipient OK\r\n").C("DATA\r\n").S("354 Start mail input\r\n").C(std::move(body));
        if (!final_reply.empty()) S(std::move(final_reply));
        return *this;
    }
    TraceBuilder& quit() { return C("QUIT\r\n").S("221 2.0.0 Bye\r\n").client_closed(); }
    // A complete good STARTTLS session.
    TraceBuilder& good(std::string body = good_body()) { return up_to_tls_ehlo().auth_login().message(std::move(body)).quit(); }


private:
    TraceBuilder& add(TraceEntry::Kind k, std::string bytes, std::string detail = "") {
        now_ += step;
        TraceEntry e{k, std::chrono::milliseconds(now_), std::move(bytes), std::move(detail), in_tls_};
        trace_.connections.back().entries.push_back(std::move(e));
        return *this;
    }
    static constexpr long long step = 10;
    Trace trace_;
    long long now_ = 0;
    bool in_tls_ = false;
};

inline Scenario scenario(std::string security = "starttls") {
    Scenario s;
    s.id = "test";
    s.send.security = std::move(security);
    s.send.user = "user@contoso.com";
    s.send.password = "secretpw";
    return s;
}

inline const Finding& rule(const Findings& f, std::string_view id) {
    const Finding* found = f.find(id);
    if (!found) throw std::runtime_error("no finding " + std::string(id));
    return *found;
}

// True when some quote of the finding contains `needle`.
inline bool quoted(const Finding& f, std::string_view needle) {
    for (const std::string& q : f.quotes)
        if (q.find(needle) != std::string::npos) return true;
    return false;
}

inline std::string dump(const Finding& f) {
    std::string out = f.rule + " " + std::string(verdict_name(f.verdict)) + ": " + f.message;
    for (const std::string& q : f.quotes) out += "\n  " + q;
    return out;
}

}  // namespace exosim::scenario::test

// Asserts a rule's verdict and prints the finding when it differs. Copies the finding: `findings`
// is often a temporary judge(...) result.
#define EXPECT_RULE(findings, id, v)                                                  \
    do {                                                                              \
        const ::exosim::scenario::Finding f_ = ::exosim::scenario::test::rule(findings, id); \
        EXPECT_EQ(f_.verdict, ::exosim::scenario::Verdict::v) << ::exosim::scenario::test::dump(f_); \
    } while (0)
