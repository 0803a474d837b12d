#pragma once
// One fuzz-client worker: certify's server (CertifyServer: listeners on free ports, the scenario
// slot) and one case at a time on it: arm the case's scenario, run the client command once under
// the case deadline and the memory limit, wait for its sessions to end, judge the wire with
// certify's rules and observe the process for the oracles.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "app/certify_server.hpp"
#include "app/fuzz_client.hpp"
#include "fuzz/oracle.hpp"
#include "scenario/model.hpp"

namespace exosim::app {

struct CaseRun {
    fuzz::Observation observation;
    std::string transcript;        // every connection, "C:"/"S:" lines
    std::string stdout_tail;
    std::chrono::milliseconds duration{0};
    std::size_t connections = 0;
    std::string error;             // the harness could not run the case (not the client's fault)
};

// What certify's server set-up needs to know of a fuzz run (target, ports, config, timeouts).
CertifyOptions certify_options(const FuzzClientOptions& o);

class FuzzWorker {
public:
    // Starts the server (throws std::runtime_error when it cannot).
    FuzzWorker(const AppConfig& config, const std::filesystem::path& data_dir, const FuzzClientOptions& options);
    CaseRun run(std::shared_ptr<const scenario::Scenario> scenario);

    CertifyServer& server() { return *server_; }

private:
    std::string token(const std::string& user);
    void run_device(const scenario::Scenario& s, CaseRun& r);
    void finish(CaseRun& r, std::chrono::steady_clock::time_point started);

    const FuzzClientOptions& options_;
    std::unique_ptr<CertifyServer> server_;
    harness::RunnerOptions runner_;
    std::map<std::string, std::string> tokens_;  // minted once per user: RSA signing is not per case
};

// A temporary data root (removed on destruction) or --data-dir.
class FuzzDataRoot {
public:
    explicit FuzzDataRoot(const std::optional<std::filesystem::path>& given);
    ~FuzzDataRoot();
    FuzzDataRoot(const FuzzDataRoot&) = delete;
    FuzzDataRoot& operator=(const FuzzDataRoot&) = delete;
    // Before the workers start: with several, the run's CA and keys are made once here.
    void seed(std::size_t workers);
    // Worker w's directory (its own copy of the CA with several workers: seed_tls_dir).
    std::filesystem::path worker_dir(std::size_t worker, std::size_t workers) const;

private:
    bool temp_;
    std::filesystem::path path_;
};

}  // namespace exosim::app
