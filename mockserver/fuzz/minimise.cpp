// Rules, lines, octets: the three passes of reply-script minimisation.
#include "fuzz/minimise.hpp"

namespace exosim::fuzz {

namespace {

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) out += p;
    return out;
}

// Reduces one rule's raw bytes with `pieces` as the units; an empty result is never tried (a rule
// with no bytes is a different anomaly).
template <class Unit>
void reduce_raw(std::vector<scenario::Rule>& rules, std::size_t r, std::vector<Unit> units, const ScriptTest& test,
                std::size_t& budget) {
    auto with = [&](const std::vector<Unit>& kept) {
        std::vector<scenario::Rule> trial = rules;
        std::string bytes;
        for (const Unit& u : kept) bytes += u;
        trial[r].action.reply.raw = bytes;
        return trial;
    };
    const std::function<bool(const std::vector<Unit>&)> still = [&](const std::vector<Unit>& kept) {
        return !kept.empty() && test(with(kept));
    };
    const std::vector<Unit> kept = ddmin(std::move(units), still, budget);
    rules = with(kept);
}

}  // namespace

std::vector<std::string> split_lines(const std::string& bytes) {
    std::vector<std::string> lines;
    for (std::size_t from = 0; from < bytes.size();) {
        std::size_t nl = bytes.find('\n', from);
        nl = nl == std::string::npos ? bytes.size() : nl + 1;
        lines.push_back(bytes.substr(from, nl - from));
        from = nl;
    }
    return lines;
}

Minimised minimise_script(std::vector<scenario::Rule> rules, const ScriptTest& test, std::size_t budget) {
    const std::size_t start = budget;
    const std::function<bool(const std::vector<scenario::Rule>&)> keep = [&](const std::vector<scenario::Rule>& r) {
        return !r.empty() && test(r);
    };
    rules = ddmin(std::move(rules), keep, budget);
    for (std::size_t r = 0; r < rules.size(); ++r) {
        if (!rules[r].action.reply.raw || rules[r].action.reply.raw->empty()) continue;
        reduce_raw(rules, r, split_lines(*rules[r].action.reply.raw), test, budget);
        const std::string raw = *rules[r].action.reply.raw;
        reduce_raw(rules, r, std::vector<char>(raw.begin(), raw.end()), test, budget);
    }
    // split_at offsets past the reduced bytes are dropped by the shaper (ReplyScript); none kept here.
    return {std::move(rules), start - budget};
}

}  // namespace exosim::fuzz
