// A device campaign (reference §3-4): one case at a time; a fault the device shows (no session
// within the reconnect window, the liveness probe down, a session past the deadline) is traced
// to its cause by Peach's back-search and confirmed by replays before it is reported.
#include <iostream>
#include <set>
#include <thread>

#include "app/fuzz_campaign.hpp"

namespace exosim::app {

namespace {

using Clock = std::chrono::steady_clock;

bool device_fault(const CaseRecord& r) {
    return r.fault && (r.fault->oracle == "probe" || r.fault->oracle == "reconnect" || r.fault->oracle == "hang");
}

// Windows of 1, 10, 20, 40, ... cases up to the bound (Peach's back-search, maxBackSearch).
std::vector<std::size_t> windows(std::size_t available, unsigned bound) {
    std::vector<std::size_t> out{1};
    for (std::size_t w = 10; w <= bound && w / 2 < available; w *= 2) out.push_back(std::min<std::size_t>(w, std::min<std::size_t>(bound, available)));
    return out;
}

// Replays the last `window` cases of `history`; true when any of them shows `oracle` again.
bool replay_shows(FuzzWorker& worker, const std::vector<fuzz::FuzzCase>& history, std::size_t window,
                  const std::string& oracle, const FuzzClientOptions& o) {
    bool shown = false;
    for (std::size_t i = history.size() - std::min(window, history.size()); i < history.size(); ++i) {
        const CaseRecord again = run_case(worker, history[i], o);
        shown = shown || (again.fault && again.fault->oracle == oracle);
    }
    return shown;
}

// Gives a faulted device the reconnect window to come back before the next replay.
void let_it_recover(const FuzzClientOptions& o) {
    if (o.trigger_url) std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(o.reconnect_within, std::chrono::seconds(2)));
}

void back_search(FuzzWorker& worker, const std::vector<fuzz::FuzzCase>& history, CaseRecord& r, const FuzzClientOptions& o) {
    for (std::size_t w : windows(history.size(), o.back_search)) {
        std::cout << "  back-search: replaying the last " << w << " case" << (w == 1 ? "" : "s") << std::endl;
        let_it_recover(o);
        if (!replay_shows(worker, history, w, r.fault->oracle, o)) continue;
        for (std::size_t i = history.size() - w; i < history.size(); ++i) r.window.push_back(fuzz::format_case_id(history[i].id));
        for (unsigned k = 0; k < o.confirm; ++k) {
            let_it_recover(o);
            r.confirmed += replay_shows(worker, history, w, r.fault->oracle, o) ? 1 : 0;
            ++r.confirm_runs;
        }
        return;
    }
}

}  // namespace

void device_campaign(FuzzWorker& worker, Recorder& recorder, std::uint64_t count,
                     const std::function<fuzz::FuzzCase(std::uint64_t)>& case_at, Clock::time_point stop_at,
                     const FuzzClientOptions& o) {
    std::vector<fuzz::FuzzCase> history;
    std::set<std::string> seen;
    for (std::uint64_t k = 0; k < count && Clock::now() < stop_at; ++k) {
        history.push_back(case_at(k));
        if (history.size() > o.back_search) history.erase(history.begin());
        CaseRecord r = run_case(worker, history.back(), o);
        if (device_fault(r) && seen.insert(r.signature).second) back_search(worker, history, r, o);
        recorder.record(std::move(r));
    }
}

}  // namespace exosim::app
