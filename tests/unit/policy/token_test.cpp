// HMAC-SHA256 vectors and exosim's XOAUTH2 tokens on a virtual clock.
#include "policy/token.hpp"

#include <gtest/gtest.h>

#include "policy/exchange_online/hmac_sha256.hpp"
#include "policy/exo_test_support.hpp"
#include "policy/virtual_clock.hpp"

namespace exosim::policy {
namespace {

using namespace std::chrono_literals;

std::string hex(const exo::Sha256Digest& d) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : d) {
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

TEST(HmacSha256, Fips180Vectors) {
    EXPECT_EQ(hex(exo::sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(exo::sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(exo::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HmacSha256, Rfc4231Vectors) {
    EXPECT_EQ(hex(exo::hmac_sha256(std::string(20, '\x0b'), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hex(exo::hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Test case 6: key longer than the block.
    EXPECT_EQ(hex(exo::hmac_sha256(std::string(131, '\xaa'),
                                   "Test Using Larger Than Block-Size Key - Hash Key First")),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Base64Url, RoundTripAllLengths) {
    std::string s;
    for (int i = 0; i < 70; ++i) {
        EXPECT_EQ(base64url_decode(base64url_encode(s)), s) << i;
        s += static_cast<char>(i * 37);
    }
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_FALSE(base64url_decode("a"));
    EXPECT_FALSE(base64url_decode("ab+c"));
}

struct TokenTest : ::testing::Test {
    VirtualClock clock{exo::testing::reference_time()};
    TokenIssuer issuer{"secret-1"};
};

TEST_F(TokenTest, MintedTokenVerifiesUntilExpiry) {
    const std::string t = issuer.mint("printer@contoso.com", 3600s, clock);
    EXPECT_EQ(std::count(t.begin(), t.end(), '.'), 2);
    EXPECT_EQ(issuer.verify(t, "printer@contoso.com", clock), TokenStatus::ok);
    EXPECT_EQ(issuer.verify(t, "Printer@Contoso.com", clock), TokenStatus::ok);
    const auto claims = issuer.decode(t);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->aud, "https://outlook.office.com");
    EXPECT_EQ(claims->scp, "SMTP.Send");
    EXPECT_EQ(claims->exp - claims->iat, 3600);
    clock.advance(3599s);
    EXPECT_EQ(issuer.verify(t, "printer@contoso.com", clock), TokenStatus::ok);
    clock.advance(1s);
    EXPECT_EQ(issuer.verify(t, "printer@contoso.com", clock), TokenStatus::expired);
}

TEST_F(TokenTest, EachFailureHasItsStatus) {
    const std::string t = issuer.mint("printer@contoso.com", 3600s, clock);
    EXPECT_EQ(issuer.verify(t, "app@contoso.com", clock), TokenStatus::wrong_user);
    EXPECT_EQ(TokenIssuer("other-secret").verify(t, "printer@contoso.com", clock), TokenStatus::bad);
    std::string tampered = t;
    tampered[tampered.find('.') + 3] ^= 1;
    EXPECT_EQ(issuer.verify(tampered, "printer@contoso.com", clock), TokenStatus::bad);
    EXPECT_EQ(issuer.verify("garbage", "printer@contoso.com", clock), TokenStatus::bad);
    EXPECT_EQ(issuer.verify("", "printer@contoso.com", clock), TokenStatus::bad);
    EXPECT_EQ(issuer.verify("a.b.c.d", "printer@contoso.com", clock), TokenStatus::bad);

    const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
    TokenClaims c{"printer@contoso.com", "https://graph.microsoft.com", "SMTP.Send", now, now + 60};
    EXPECT_EQ(issuer.verify(issuer.mint(c), "printer@contoso.com", clock), TokenStatus::wrong_audience);
    c.aud = "https://outlook.office365.com";  // also accepted in practice (§10 [3P])
    EXPECT_EQ(issuer.verify(issuer.mint(c), "printer@contoso.com", clock), TokenStatus::ok);
    c.scp = "Mail.Read offline_access";
    EXPECT_EQ(issuer.verify(issuer.mint(c), "printer@contoso.com", clock), TokenStatus::wrong_scope);
    c.scp = "offline_access https://outlook.office.com/SMTP.Send";
    EXPECT_EQ(issuer.verify(issuer.mint(c), "printer@contoso.com", clock), TokenStatus::ok);
}

TEST_F(TokenTest, EmptySecretIsAConfigurationError) {
    EXPECT_THROW(TokenIssuer(""), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::policy
