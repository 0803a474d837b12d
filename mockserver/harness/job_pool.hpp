#pragma once
// `exosim certify --jobs N`: scenarios taken from one queue by N workers, each of which first
// builds what it runs scenarios on (its own server) and then runs one scenario at a time on it.
// Results go to the scenario's own slot, so the caller's report keeps the suite order whatever
// order they finish in.
#include <cstddef>
#include <functional>
#include <vector>

namespace exosim::harness {

// Runs one queued item (an index into the caller's list) on the worker that took it.
using PoolTask = std::function<void(std::size_t item)>;

// Workers 0..workers-1 each call make_worker(w) on their own thread, then take items from
// `queue` front to back, calling the task it returned, until the queue is empty. With one worker
// everything runs on the calling thread. The first exception (from make_worker or a task) stops
// every worker from taking further items and is rethrown once all of them have returned.
// `workers` == 0 counts as 1; more workers than items are not started.
void run_pool(const std::vector<std::size_t>& queue, std::size_t workers,
              const std::function<PoolTask(std::size_t worker)>& make_worker);

}  // namespace exosim::harness
