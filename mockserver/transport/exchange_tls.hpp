#pragma once
// What Exchange Online's SMTP endpoints offer in TLS, as OpenSSL cipher strings
// (../shared/reference/exchange-online-smtp.md §8).
#include <string_view>

namespace exosim::transport {

// §8 "TLS cipher suites supported by Office 365", strongest first [DOC]; served in this order
// with server preference. RSA keys only, no ChaCha20, no RSA-key-exchange CBC suites.
inline constexpr std::string_view exchange_tls12_ciphers =
    "ECDHE-RSA-AES256-GCM-SHA384:"   // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    "ECDHE-RSA-AES128-GCM-SHA256:"   // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    "ECDHE-RSA-AES256-SHA384:"       // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
    "ECDHE-RSA-AES128-SHA256:"       // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
    "ECDHE-RSA-AES256-SHA:"          // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    "ECDHE-RSA-AES128-SHA:"          // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    "AES256-GCM-SHA384:"             // TLS_RSA_WITH_AES_256_GCM_SHA384
    "AES128-GCM-SHA256";             // TLS_RSA_WITH_AES_128_GCM_SHA256

// §8: the suites usable with TLS 1.0/1.1 until deprecation (those handshakes end in 421 4.7.66).
// The reference also lists TLS_RSA_WITH_AES_{256,128}_CBC_SHA256; those are TLS 1.2 suites
// (RFC 5246 A.5), which OpenSSL never negotiates below 1.2, so they are listed but inert.
inline constexpr std::string_view exchange_legacy_ciphers =
    "ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:AES256-SHA:AES128-SHA:AES256-SHA256:AES128-SHA256";

}  // namespace exosim::transport
