#include "harness/job_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <thread>

namespace exosim::harness {
namespace {

std::vector<std::size_t> indices(std::size_t n) {
    std::vector<std::size_t> v(n);
    std::iota(v.begin(), v.end(), 0);
    return v;
}

TEST(JobPool, EveryItemRunsOnceAndEachWorkerIsBuiltOnce) {
    constexpr std::size_t items = 50;
    std::vector<std::atomic<int>> runs(items);
    std::atomic<int> built{0};
    std::mutex m;
    std::set<std::thread::id> threads;
    run_pool(indices(items), 4, [&](std::size_t) -> PoolTask {
        ++built;
        {
            std::lock_guard lock(m);
            threads.insert(std::this_thread::get_id());
        }
        return [&](std::size_t i) { ++runs[i]; };
    });
    EXPECT_EQ(built.load(), 4);
    EXPECT_EQ(threads.size(), 4u);
    for (std::size_t i = 0; i < items; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
}

TEST(JobPool, WorkersReallyRunConcurrently) {
    // Four items that each wait for all four to have started: finishes only when four run at once.
    std::mutex m;
    std::condition_variable cv;
    int started = 0;
    bool all = true;
    run_pool(indices(4), 4, [&](std::size_t) -> PoolTask {
        return [&](std::size_t) {
            std::unique_lock lock(m);
            ++started;
            cv.notify_all();
            if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return started == 4; })) all = false;
        };
    });
    EXPECT_TRUE(all);
}

TEST(JobPool, OneWorkerRunsInQueueOrderOnTheCallingThread) {
    std::vector<std::size_t> order;
    const auto caller = std::this_thread::get_id();
    run_pool({3, 1, 2, 0}, 1, [&](std::size_t w) -> PoolTask {
        EXPECT_EQ(w, 0u);
        EXPECT_EQ(std::this_thread::get_id(), caller);
        return [&](std::size_t i) { order.push_back(i); };
    });
    EXPECT_EQ(order, (std::vector<std::size_t>{3, 1, 2, 0}));
}

TEST(JobPool, NoMoreWorkersThanItemsAndZeroMeansOne) {
    std::atomic<int> built{0};
    auto make = [&](std::size_t) -> PoolTask {
        ++built;
        return [](std::size_t) {};
    };
    run_pool(indices(2), 8, make);
    EXPECT_EQ(built.exchange(0), 2);
    run_pool(indices(3), 0, make);
    EXPECT_EQ(built.exchange(0), 1);
    run_pool({}, 4, make);  // nothing queued: one worker is still built (and takes nothing)
    EXPECT_EQ(built.exchange(0), 1);
}

TEST(JobPool, AFailingTaskStopsTheQueueAndIsRethrown) {
    std::atomic<int> ran{0};
    EXPECT_THROW(run_pool(indices(100), 1,
                          [&](std::size_t) -> PoolTask {
                              return [&](std::size_t i) {
                                  ++ran;
                                  if (i == 2) throw std::runtime_error("boom");
                              };
                          }),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), 3);
}

TEST(JobPool, AWorkerThatCannotStartFailsTheRun) {
    try {
        run_pool(indices(20), 3, [&](std::size_t w) -> PoolTask {
            if (w == 1) throw std::runtime_error("cannot bind");
            return [](std::size_t) {};
        });
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "cannot bind");
    }
}

}  // namespace
}  // namespace exosim::harness
