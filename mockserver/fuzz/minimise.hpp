#pragma once
// Delta debugging (Zeller's ddmin) of a finding's reply script: drop whole rules, then lines of
// each raw reply, then octets, keeping each step only when a confirming run still shows the
// same signature. Sans-I/O: the caller's `still_fails` runs the client. A budget bounds the runs
// (a hang costs a whole case deadline per run).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "scenario/model.hpp"

namespace exosim::fuzz {

// ddmin over `items`: a smallest-found subsequence for which `test` still holds. Each call of
// `test` spends one unit of `budget`; at 0 the best so far is returned.
template <class T>
std::vector<T> ddmin(std::vector<T> items, const std::function<bool(const std::vector<T>&)>& test, std::size_t& budget) {
    std::size_t n = 2;
    while (items.size() >= 2 && budget > 0) {
        const std::size_t chunk = (items.size() + n - 1) / n;
        bool reduced = false;
        for (std::size_t start = 0; start < items.size() && budget > 0; start += chunk) {
            std::vector<T> complement(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(start));
            complement.insert(complement.end(), items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), start + chunk)), items.end());
            --budget;
            if (test(complement)) {
                items = std::move(complement);
                n = std::max<std::size_t>(n - 1, 2);
                reduced = true;
                break;
            }
        }
        if (reduced) continue;
        if (n >= items.size()) break;
        n = std::min(items.size(), n * 2);
    }
    return items;
}

// Lines of `bytes`, each with its terminator (the last may have none).
std::vector<std::string> split_lines(const std::string& bytes);

using ScriptTest = std::function<bool(const std::vector<scenario::Rule>&)>;

struct Minimised {
    std::vector<scenario::Rule> rules;
    std::size_t runs = 0;   // confirming runs spent
};

// Rules, then lines, then octets of every raw reply. `rules` must fail `test` on entry (not
// re-checked); the result fails it too (every kept step was confirmed).
Minimised minimise_script(std::vector<scenario::Rule> rules, const ScriptTest& test, std::size_t budget);

}  // namespace exosim::fuzz
