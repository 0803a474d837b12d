// Stage names and their mapping onto scenario steps.
#include "fuzz/stage.hpp"

#include <array>

namespace exosim::fuzz {

namespace {

struct StageRow {
    Stage stage;
    std::string_view name;
    scenario::Step step;
    std::optional<bool> after_tls;
    int code;
};

constexpr std::array<StageRow, 11> rows{{
    {Stage::greeting, "greeting", scenario::Step::greeting, std::nullopt, 220},
    {Stage::ehlo, "ehlo", scenario::Step::ehlo, false, 250},
    {Stage::ehlo_tls, "ehlo_tls", scenario::Step::ehlo, true, 250},
    {Stage::starttls, "starttls", scenario::Step::starttls, std::nullopt, 220},
    {Stage::auth, "auth", scenario::Step::auth, std::nullopt, 334},
    {Stage::mail, "mail", scenario::Step::mail, std::nullopt, 250},
    {Stage::rcpt, "rcpt", scenario::Step::rcpt, std::nullopt, 250},
    {Stage::data, "data", scenario::Step::data, std::nullopt, 354},
    {Stage::end_of_data, "end_of_data", scenario::Step::end_of_data, std::nullopt, 250},
    {Stage::rset, "rset", scenario::Step::rset, std::nullopt, 250},
    {Stage::quit, "quit", scenario::Step::quit, std::nullopt, 221},
}};

constexpr auto stages = [] {
    std::array<Stage, rows.size()> s{};
    for (std::size_t i = 0; i < rows.size(); ++i) s[i] = rows[i].stage;
    return s;
}();

const StageRow& row(Stage s) { return rows[static_cast<std::size_t>(s)]; }

}  // namespace

std::span<const Stage> all_stages() { return stages; }
std::string_view stage_name(Stage s) { return row(s).name; }

std::optional<Stage> stage_from_name(std::string_view name) {
    for (const StageRow& r : rows) {
        if (r.name == name) return r.stage;
    }
    return std::nullopt;
}

scenario::Step stage_step(Stage s) { return row(s).step; }
std::optional<bool> stage_after_tls(Stage s) { return row(s).after_tls; }
int valid_code(Stage s) { return row(s).code; }

}  // namespace exosim::fuzz
