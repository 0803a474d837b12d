// SHA-256 (the identifiers Exchange prints) against FIPS 180-4 vectors, including the padding
// boundaries (55, 56 and 64 octets), which the example vectors alone do not reach.
#include "policy/exchange_online/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/ascii.hpp"

namespace exosim::policy {
namespace {

std::string hex(const exo::Sha256Digest& d) {
    return core::ascii::hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

TEST(Sha256, Fips180Vectors) {
    EXPECT_EQ(hex(exo::sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(exo::sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(exo::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, PaddingBoundaries) {
    EXPECT_EQ(hex(exo::sha256(std::string(55, 'a'))), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    EXPECT_EQ(hex(exo::sha256(std::string(56, 'a'))), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    EXPECT_EQ(hex(exo::sha256(std::string(64, 'a'))), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

}  // namespace
}  // namespace exosim::policy
