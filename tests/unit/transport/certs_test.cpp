#include "transport/certs.hpp"

#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include "support/temp_dir.hpp"

namespace exosim::transport {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count_certs(const fs::path& p) {
    std::string text = slurp(p);
    std::size_t n = 0;
    for (std::size_t pos = 0; (pos = text.find("BEGIN CERTIFICATE", pos)) != std::string::npos; ++pos) ++n;
    return n;
}

struct Cli {
    int status;
    std::string output;
};

// Runs a shell command (the openssl CLI, an independent verifier) and captures its output.
Cli run(const std::string& command) {
    Cli r{-1, {}};
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[512];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) r.output.append(buf, n);
    int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

class Certs : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir("exosim-certs");
        ca_ = new CertificateAuthority(dir_->path() / "tls");
    }
    static void TearDownTestSuite() {
        delete ca_;
        delete dir_;
    }
    // `openssl verify` of the served leaf against ca.pem with the intermediate as untrusted.
    static Cli verify(const CertFiles& f, const std::string& extra = "", bool with_intermediate = true) {
        std::string cmd = "openssl verify -CAfile " + ca_->ca_file().string();
        if (with_intermediate) cmd += " -untrusted " + ca_->intermediate_file().string();
        return run(cmd + " " + extra + " " + f.chain.string());
    }
    static fs::path tls_dir() { return dir_->path() / "tls"; }

    static test::TempDir* dir_;
    static CertificateAuthority* ca_;
};
test::TempDir* Certs::dir_ = nullptr;
CertificateAuthority* Certs::ca_ = nullptr;

TEST_F(Certs, CreatesCaAndIntermediateWithPrivateKeys) {
    for (const char* name : {"ca.pem", "ca.key", "intermediate.pem", "intermediate.key"})
        EXPECT_TRUE(fs::exists(tls_dir() / name)) << name;
    struct stat st {};
    ASSERT_EQ(::stat((tls_dir() / "ca.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    Cli subject = run("openssl x509 -noout -subject -ext basicConstraints,keyUsage -in " + ca_->ca_file().string());
    EXPECT_NE(subject.output.find("exosim local CA"), std::string::npos) << subject.output;
    EXPECT_NE(subject.output.find("CA:TRUE"), std::string::npos) << subject.output;
    EXPECT_NE(subject.output.find("Certificate Sign, CRL Sign"), std::string::npos) << subject.output;
    Cli inter = verify(CertFiles{ca_->intermediate_file(), {}}, "", false);
    EXPECT_EQ(inter.status, 0) << inter.output;
}

TEST_F(Certs, DefaultsVerifyWithOpenssl) {
    ca_->ensure_defaults();
    for (const std::string& name : CertificateAuthority::default_names()) {
        CertFiles f = ca_->server_cert(name);
        EXPECT_EQ(count_certs(f.chain), 2u) << name;
        std::string host = name[0] == '*' ? "x" + name.substr(1) : name;
        std::string check = name == "127.0.0.1" ? "-verify_ip " + name : "-verify_hostname " + host;
        Cli r = verify(f, "-purpose sslserver " + check);
        EXPECT_EQ(r.status, 0) << name << ": " << r.output;
    }
    Cli text = run("openssl x509 -noout -text -in " + ca_->server_cert("127.0.0.1").chain.string());
    EXPECT_NE(text.output.find("IP Address:127.0.0.1"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("TLS Web Server Authentication"), std::string::npos);
    EXPECT_NE(text.output.find("sha256WithRSAEncryption"), std::string::npos);
    EXPECT_NE(text.output.find("Public-Key: (2048 bit)"), std::string::npos);
    EXPECT_NE(text.output.find("X509v3 Authority Key Identifier"), std::string::npos);
}

TEST_F(Certs, ReusesExistingFiles) {
    CertFiles first = ca_->server_cert("smtp.office365.com");
    std::string leaf = slurp(first.chain), root = slurp(ca_->ca_file());
    CertificateAuthority again(tls_dir());
    EXPECT_EQ(slurp(again.ca_file()), root);
    CertFiles second = again.server_cert("smtp.office365.com");
    EXPECT_EQ(second.chain, first.chain);
    EXPECT_EQ(slurp(second.chain), leaf);
}

TEST_F(Certs, BrokenVariantsFailForTheirReason) {
    struct Case {
        CertVariant variant;
        std::string expected;  // in openssl verify's output
    };
    const Case cases[] = {
        {CertVariant::expired, "certificate has expired"},
        {CertVariant::not_yet_valid, "certificate is not yet valid"},
        {CertVariant::self_signed, "self-signed certificate"},
        {CertVariant::unknown_ca, "unable to get local issuer certificate"},
        {CertVariant::wrong_host, "hostname mismatch"},
    };
    for (const Case& c : cases) {
        CertFiles f = ca_->server_cert("smtp.office365.com", c.variant);
        EXPECT_NE(f.chain.filename().string().find(cert_variant_name(c.variant)), std::string::npos);
        Cli r = verify(f, "-verify_hostname smtp.office365.com");
        EXPECT_NE(r.status, 0) << cert_variant_name(c.variant);
        EXPECT_NE(r.output.find(c.expected), std::string::npos) << cert_variant_name(c.variant) << ": " << r.output;
    }
    EXPECT_EQ(verify(ca_->server_cert("smtp.office365.com", CertVariant::wrong_host), "-verify_hostname other.example.org")
                  .status,
              0);
    Cli untrusted = run("openssl x509 -noout -issuer -in " + ca_->server_cert("x.test", CertVariant::unknown_ca).chain.string());
    EXPECT_NE(untrusted.output.find("exosim untrusted CA"), std::string::npos) << untrusted.output;
}

TEST_F(Certs, MissingIntermediateServesLeafOnly) {
    CertFiles f = ca_->server_cert("smtp.office365.com", CertVariant::missing_intermediate);
    EXPECT_EQ(count_certs(f.chain), 1u);
    EXPECT_NE(verify(f, "", false).status, 0);
    EXPECT_EQ(verify(f, "", true).status, 0);  // the leaf itself is fine
    EXPECT_EQ(count_certs(ca_->server_cert("smtp.office365.com", CertVariant::self_signed).chain), 1u);
}

TEST_F(Certs, ClientCertificates) {
    CertFiles f = ca_->client_cert("printer.contoso.com");
    EXPECT_EQ(f.chain.filename(), "client-printer.contoso.com.pem");
    EXPECT_EQ(count_certs(f.chain), 2u);
    Cli r = verify(f, "-purpose sslclient");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(verify(f, "-purpose sslserver").status, 0);
    EXPECT_NE(verify(ca_->client_cert("printer.contoso.com", CertVariant::unknown_ca), "-purpose sslclient").status, 0);
}

TEST_F(Certs, RegeneratesWhenTheIntermediateChanges) {
    const test::TempDir tmp("exosim-certs-regen");
    const fs::path& dir = tmp.path();
    {
        CertificateAuthority ca(dir);
        ca.server_cert("localhost");
    }
    std::string old_leaf = slurp(dir / "localhost.pem");
    fs::remove(dir / "intermediate.pem");
    CertificateAuthority ca(dir);
    CertFiles f = ca.server_cert("localhost");
    EXPECT_NE(slurp(f.chain), old_leaf);
    Cli r = run("openssl verify -CAfile " + ca.ca_file().string() + " -untrusted " + ca.intermediate_file().string() +
                " " + f.chain.string());
    EXPECT_EQ(r.status, 0) << r.output;
}

TEST_F(Certs, ConcurrentFirstStartAgrees) {
    const test::TempDir tmp("exosim-certs-race");
    const fs::path& dir = tmp.path();
    std::vector<std::string> leaves(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            CertificateAuthority ca(dir);
            leaves[i] = slurp(ca.server_cert("localhost").chain);
        });
    for (auto& t : threads) t.join();
    for (const std::string& leaf : leaves) EXPECT_EQ(leaf, leaves[0]);
    for (const auto& e : fs::directory_iterator(dir))
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    Cli r = run("openssl verify -CAfile " + (dir / "ca.pem").string() + " -untrusted " +
                (dir / "intermediate.pem").string() + " " + (dir / "localhost.pem").string());
    EXPECT_EQ(r.status, 0) << r.output;
}

TEST(CertNames, SafeNames) {
    EXPECT_EQ(CertificateAuthority::safe_name("*.mail.protection.outlook.com"), "_wildcard_.mail.protection.outlook.com");
    EXPECT_EQ(CertificateAuthority::safe_name("::1"), "__1");
    EXPECT_EQ(CertificateAuthority::safe_name("../etc/passwd"), "_._etc_passwd");
    CertVariant v{};
    EXPECT_TRUE(parse_cert_variant("missing_intermediate", v));
    EXPECT_EQ(v, CertVariant::missing_intermediate);
    EXPECT_FALSE(parse_cert_variant("bogus", v));
}

TEST_F(Certs, SigninCertificateNamesEveryLoginHostAndVerifies) {
    CertFiles f = ca_->signin_cert();
    EXPECT_EQ(f.chain, tls_dir() / "login.microsoftonline.com.pem");
    EXPECT_EQ(count_certs(f.chain), 2u);
    ASSERT_EQ(CertificateAuthority::signin_names().size(), 6u);
    for (const std::string& name : CertificateAuthority::signin_names()) {
        Cli r = verify(f, "-purpose sslserver -verify_hostname " + name);
        EXPECT_EQ(r.status, 0) << name << ": " << r.output;
    }
    Cli other = verify(f, "-purpose sslserver -verify_hostname outlook.office365.com");
    EXPECT_NE(other.status, 0) << other.output;
    Cli text = run("openssl x509 -noout -ext subjectAltName -in " + f.chain.string());
    EXPECT_NE(text.output.find("DNS:login.microsoftonline.com, DNS:login.microsoft.com, DNS:login.windows.net, "
                               "DNS:sts.windows.net, DNS:microsoft.com, DNS:www.microsoft.com"),
              std::string::npos)
        << text.output;
    std::string first = slurp(f.chain);
    EXPECT_EQ(slurp(ca_->signin_cert().chain), first) << "kept once issued";
}

TEST_F(Certs, SigninCertificateReplacesASingleNameFileOfTheSameStem) {
    std::string tmpl = (fs::temp_directory_path() / "exosim-certs-XXXXXX").string();
    fs::path dir = ::mkdtemp(tmpl.data());
    CertificateAuthority ca(dir);
    ca.server_cert("login.microsoftonline.com");  // an older layout: one name only
    CertFiles f = ca.signin_cert();
    EXPECT_EQ(run("openssl verify -CAfile " + ca.ca_file().string() + " -untrusted " + ca.intermediate_file().string() +
                  " -verify_hostname sts.windows.net " + f.chain.string())
                  .status,
              0);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

TEST_F(Certs, AppCertificateIsIssuedOnceUnderApps) {
    const std::string id = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44";
    CertFiles f = ca_->app_cert(id, "Contoso Scan Daemon");
    EXPECT_EQ(f.chain, tls_dir() / "apps" / (id + ".crt.pem"));
    EXPECT_EQ(f.key, tls_dir() / "apps" / (id + ".key.pem"));
    EXPECT_EQ(count_certs(f.chain), 1u) << "the leaf only: what an app registration holds";
    struct stat st {};
    ASSERT_EQ(::stat(f.key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    Cli subject = run("openssl x509 -noout -subject -ext extendedKeyUsage -in " + f.chain.string());
    EXPECT_NE(subject.output.find("CN = Contoso Scan Daemon"), std::string::npos) << subject.output;
    EXPECT_NE(subject.output.find("TLS Web Client Authentication"), std::string::npos) << subject.output;
    Cli r = verify(f, "-purpose sslclient");
    EXPECT_EQ(r.status, 0) << r.output;
    Cli match = run("openssl x509 -noout -pubkey -in " + f.chain.string() + " | openssl sha256; openssl pkey -pubout -in " +
                    f.key.string() + " | openssl sha256");
    auto nl = match.output.find('\n');
    ASSERT_NE(nl, std::string::npos);
    EXPECT_EQ(match.output.substr(0, nl + 1), match.output.substr(nl + 1)) << "key belongs to the certificate";
    std::string leaf = slurp(f.chain);
    CertificateAuthority again(tls_dir());
    EXPECT_EQ(slurp(again.app_cert(id, "Contoso Scan Daemon").chain), leaf) << "kept across restarts";
}

TEST_F(Certs, AppCertificateRefusesPathsInTheId) {
    EXPECT_THROW(ca_->app_cert("../evil", "X"), std::invalid_argument);
    EXPECT_THROW(ca_->app_cert("", "X"), std::invalid_argument);
    EXPECT_THROW(ca_->app_cert("6a8c0e2f", ""), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::transport
