// One command line into a Command (RFC 5321 4.1.1, 4.1.2; RFC 1869/1870/3030/3461/4954/6152/6531).
#include "core/command_parser.hpp"

#include <array>

#include "core/ascii.hpp"

namespace exosim::core {

namespace {

struct VerbRow {
    std::string_view name;
    Verb verb;
};

constexpr std::array<VerbRow, 14> verbs{{
    {"EHLO", Verb::ehlo}, {"HELO", Verb::helo}, {"MAIL", Verb::mail}, {"RCPT", Verb::rcpt},
    {"DATA", Verb::data}, {"BDAT", Verb::bdat}, {"RSET", Verb::rset}, {"NOOP", Verb::noop},
    {"QUIT", Verb::quit}, {"VRFY", Verb::vrfy}, {"EXPN", Verb::expn}, {"HELP", Verb::help},
    {"STARTTLS", Verb::starttls}, {"AUTH", Verb::auth},
}};

std::string_view trim_trailing(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126),
// widened to UTF-8 octets for RFC 6531.
bool esmtp_keyword(std::string_view k) {
    if (k.empty() || !ascii::is_alnum(k[0])) return false;
    for (char c : k) {
        if (!ascii::is_alnum(c) && c != '-') return false;
    }
    return true;
}

bool esmtp_value(std::string_view v) {
    if (v.empty()) return false;
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u == '=' || u == 127) return false;
    }
    return true;
}

// Mail-parameters / Rcpt-parameters = esmtp-param *(SP esmtp-param).
CommandError esmtp_params(std::string_view s, std::vector<EsmtpParam>& out) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == ' ') { ++i; continue; }
        std::size_t j = s.find(' ', i);
        if (j == std::string_view::npos) j = s.size();
        const std::string_view p = s.substr(i, j - i);
        const std::size_t eq = p.find('=');
        const std::string_view key = p.substr(0, eq);
        if (!esmtp_keyword(key)) return CommandError::syntax;
        EsmtpParam param{ascii::upper(key), {}};
        if (eq != std::string_view::npos) {
            if (!esmtp_value(p.substr(eq + 1))) return CommandError::syntax;
            param.value = std::string(p.substr(eq + 1));
        }
        for (const auto& prev : out) {
            if (prev.keyword == param.keyword) return CommandError::syntax;  // RFC 1869 6: once only
        }
        out.push_back(std::move(param));
        i = j;
    }
    return CommandError::none;
}

CommandError mail_param(const EsmtpParam& p, MailParams& m) {
    const bool has_value = !p.value.empty();
    if (p.keyword == "SIZE") {  // RFC 1870 4
        m.size = ascii::parse_u64(p.value);
        return m.size ? CommandError::none : CommandError::syntax;
    }
    if (p.keyword == "BODY") {  // RFC 6152 2, RFC 3030 3
        const std::string v = ascii::upper(p.value);
        if (v == "7BIT") m.body = Body::seven_bit;
        else if (v == "8BITMIME") m.body = Body::eight_bit_mime;
        else if (v == "BINARYMIME") m.body = Body::binary_mime;
        else return CommandError::syntax;
        return CommandError::none;
    }
    if (p.keyword == "SMTPUTF8") {  // RFC 6531 3.4: no value
        m.smtputf8 = true;
        return has_value ? CommandError::syntax : CommandError::none;
    }
    if (p.keyword == "RET") {  // RFC 3461 4.3
        const std::string v = ascii::upper(p.value);
        if (v != "FULL" && v != "HDRS") return CommandError::syntax;
        m.ret = v;
        return CommandError::none;
    }
    if (p.keyword == "ENVID" || p.keyword == "AUTH") {  // RFC 3461 4.4, RFC 4954 5
        if (!has_value) return CommandError::syntax;
        (p.keyword == "ENVID" ? m.envid : m.auth) = p.value;
        return CommandError::none;
    }
    return CommandError::bad_param;
}

bool valid_notify(std::string_view v) {
    const std::string u = ascii::upper(v);
    if (u == "NEVER") return true;
    std::size_t i = 0;
    while (i <= u.size()) {
        std::size_t j = u.find(',', i);
        if (j == std::string::npos) j = u.size();
        const std::string_view item = std::string_view(u).substr(i, j - i);
        if (item != "SUCCESS" && item != "FAILURE" && item != "DELAY") return false;
        i = j + 1;
    }
    return true;
}

CommandError rcpt_param(const EsmtpParam& p, RcptParams& r) {
    if (p.keyword == "NOTIFY") {  // RFC 3461 4.1
        if (!valid_notify(p.value)) return CommandError::syntax;
        r.notify = ascii::upper(p.value);
        return CommandError::none;
    }
    if (p.keyword == "ORCPT") {  // RFC 3461 4.2: addr-type ";" xtext
        const std::size_t semi = p.value.find(';');
        if (semi == std::string::npos || semi == 0 || semi + 1 == p.value.size()) return CommandError::syntax;
        r.orcpt = p.value;
        return CommandError::none;
    }
    return CommandError::bad_param;
}

CommandError path_error(PathError e) {
    switch (e) {
        case PathError::none: return CommandError::none;
        case PathError::too_long:
        case PathError::local_part_too_long:
        case PathError::domain_too_long: return CommandError::path_too_long;
        case PathError::non_ascii: return CommandError::non_ascii_path;
        case PathError::syntax: break;
    }
    return CommandError::bad_path;
}

// "FROM:" / "TO:" then Path, then parameters. A space after the colon is tolerated (common clients).
CommandError path_command(std::string_view arg, std::string_view keyword, Command& c) {
    if (!ascii::istarts_with(arg, keyword)) return CommandError::syntax;
    std::string_view rest = arg.substr(keyword.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const bool rcpt = c.verb == Verb::rcpt;
    PathParse pp = parse_path(rest, true);
    if (rcpt && pp.error == PathError::syntax && rest.size() >= 12 && ascii::iequals(rest.substr(0, 12), "<postmaster>")) {
        pp = PathParse{Path{false, Mailbox{"Postmaster", ""}}, PathError::none, 12};  // RFC 5321 4.1.1.3
    }
    if (pp.error != PathError::none) return path_error(pp.error);
    c.path = *pp.path;
    if (rcpt && c.path.null) return CommandError::bad_path;
    rest.remove_prefix(pp.consumed);
    if (!rest.empty() && rest.front() != ' ') return CommandError::syntax;
    if (CommandError e = esmtp_params(rest, c.params); e != CommandError::none) return e;
    for (const auto& p : c.params) {
        const CommandError e = rcpt ? rcpt_param(p, c.rcpt) : mail_param(p, c.mail);
        if (e != CommandError::none) return e;
    }
    if (!rcpt && !c.mail.smtputf8 && ascii::has_non_ascii(c.path.str())) return CommandError::non_ascii_path;
    return CommandError::none;
}

// RFC 3030 2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]
CommandError bdat_args(std::string_view arg, Command& c) {
    const std::size_t sp = arg.find(' ');
    const auto size = ascii::parse_u64(arg.substr(0, sp));
    if (!size) return CommandError::bdat_size;
    c.bdat_size = *size;
    if (sp == std::string_view::npos) return CommandError::none;
    if (!ascii::iequals(arg.substr(sp + 1), "LAST")) return CommandError::syntax;
    c.bdat_last = true;
    return CommandError::none;
}

CommandError arguments(Command& c) {
    const std::string_view arg = c.argument;
    switch (c.verb) {
        case Verb::ehlo:
        case Verb::helo:
        case Verb::vrfy:
        case Verb::expn:
        case Verb::auth: return arg.empty() ? CommandError::syntax : CommandError::none;
        case Verb::data:
        case Verb::rset:
        case Verb::quit:
        case Verb::starttls: return arg.empty() ? CommandError::none : CommandError::unexpected_arg;
        case Verb::mail: return path_command(arg, "FROM:", c);
        case Verb::rcpt: return path_command(arg, "TO:", c);
        case Verb::bdat: return bdat_args(arg, c);
        case Verb::noop:
        case Verb::help: return CommandError::none;
        case Verb::unknown: return CommandError::unknown_verb;
    }
    return CommandError::unknown_verb;
}

}  // namespace

Verb verb_from_name(std::string_view word) {
    for (const VerbRow& row : verbs) {
        if (ascii::iequals(row.name, word)) return row.verb;
    }
    return Verb::unknown;
}

CommandParse parse_command(std::string_view line) {
    CommandParse out;
    out.command.raw = std::string(line);
    const std::string_view trimmed = trim_trailing(line);
    const std::size_t sp = trimmed.find(' ');
    const std::string_view name = trimmed.substr(0, sp);
    for (const auto& row : verbs) {
        if (ascii::iequals(name, row.name)) out.command.verb = row.verb;
    }
    if (sp != std::string_view::npos) out.command.argument = std::string(trimmed.substr(sp + 1));
    out.error = arguments(out.command);
    return out;
}

namespace {

std::string format_path(const Path& p) {
    if (p.null) return "<>";
    if (p.mailbox.domain.empty()) return "<" + p.mailbox.local_part + ">";
    return "<" + p.mailbox.str() + ">";
}

}  // namespace

std::string format_command(const Command& c) {
    std::string out(verb_name(c.verb));
    switch (c.verb) {
        case Verb::mail:
        case Verb::rcpt:
            out += c.verb == Verb::mail ? " FROM:" : " TO:";
            out += format_path(c.path);
            for (const auto& p : c.params) out += " " + p.keyword + (p.value.empty() ? "" : "=" + p.value);
            return out;
        case Verb::bdat: return out + " " + std::to_string(c.bdat_size) + (c.bdat_last ? " LAST" : "");
        case Verb::unknown: return c.raw;
        default: return c.argument.empty() ? out : out + " " + c.argument;
    }
}

}  // namespace exosim::core
