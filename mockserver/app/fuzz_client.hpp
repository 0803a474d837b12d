#pragma once
// `exosim fuzz-client` (issue 12): a hostile server for a client. Each case is a generated
// scenario (fuzz/ model) served by certify's server and run against the client command once;
// oracles judge the run from the outside; findings are de-duplicated by signature, minimised and
// written with a reproducer scenario that `exosim certify --scenario FILE` replays.
// A device (--manual, --trigger-url) runs one case at a time; its oracles are the reconnect
// watchdog, the --probe liveness check and the behaviour rules; a device fault is traced to the
// case that caused it by back-search (replay the last 1, 10, 20, 40 ... cases) and confirmed.
// Exit 0: no finding; 1: findings (or the server could not start); 2: usage errors.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_case.hpp"

namespace exosim::app {

struct FuzzClientOptions {
    std::optional<std::string> client;               // command template (certify's placeholders)
    // A device instead of a command (one case at a time; the configured ports, --bind, --real-ports).
    bool manual = false;                             // a person triggers each case
    std::optional<std::string> trigger_url;          // an HTTP GET triggers each case
    std::optional<std::string> bind;
    bool real_ports = false;
    std::optional<std::pair<std::string, std::uint16_t>> probe;  // --probe tcp:HOST:PORT, after every case
    std::chrono::seconds reconnect_within{60};       // after the trigger, the device's session must start in time
    unsigned confirm = 2;                            // replays of a back-searched window before reporting
    unsigned back_search = 80;                       // Peach's maxBackSearch: the longest window replayed
    std::optional<std::uint64_t> seed;               // default: from std::random_device, printed
    std::optional<std::uint64_t> cases;              // at most this many cases
    std::optional<double> minutes;                   // stop starting cases after this long
    fuzz::Mode mode = fuzz::Mode::catalogue;
    unsigned depth = 1;                              // anomalies per random case
    std::vector<fuzz::Stage> stages;                 // empty: all
    std::vector<std::size_t> anomalies;              // class indices; empty: all
    std::string endpoint = "submission";
    std::filesystem::path out = "fuzz-report";
    unsigned jobs = 1;
    bool list = false;
    std::optional<std::string> case_id;              // --case ID: replay exactly this one
    std::chrono::milliseconds deadline{10'000};      // per case: no exit by then is a hang
    std::chrono::seconds client_timeout{2};          // {exosim_client_args} --timeout
    std::size_t max_rss_mb = 1024;                   // memory oracle; 0: off
    std::size_t minimise_budget = 60;                // confirming runs per finding; 0: no minimisation
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    bool help = false;
    std::string listing;  // --list-stages / --list-anomalies: printed instead of a run
};

// `args` excludes the program name and the command word. Throws UsageError.
FuzzClientOptions parse_fuzz_client_options(const std::vector<std::string>& args);
std::string fuzz_client_help();
int fuzz_client(const FuzzClientOptions& options);
// Parses, prints help or listings, runs; usage errors exit 2 with the message.
int fuzz_client_command(const std::vector<std::string>& args);
bool is_device(const FuzzClientOptions& o);
// "tcp:HOST:PORT"; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_probe(const std::string& text);

}  // namespace exosim::app
