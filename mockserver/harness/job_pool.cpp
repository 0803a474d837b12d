#include "harness/job_pool.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>

namespace exosim::harness {

namespace {

class Queue {
public:
    explicit Queue(const std::vector<std::size_t>& items) : items_(items) {}

    // The next item, or false once the queue is empty or a worker failed.
    bool take(std::size_t& item) {
        std::lock_guard lock(mutex_);
        if (failure_ || next_ == items_.size()) return false;
        item = items_[next_++];
        return true;
    }
    void fail(std::exception_ptr e) {
        std::lock_guard lock(mutex_);
        if (!failure_) failure_ = std::move(e);
    }
    void rethrow() const {
        if (failure_) std::rethrow_exception(failure_);
    }

private:
    const std::vector<std::size_t>& items_;
    std::mutex mutex_;
    std::size_t next_ = 0;
    std::exception_ptr failure_;
};

void work(Queue& queue, std::size_t worker, const std::function<PoolTask(std::size_t)>& make_worker) {
    try {
        PoolTask task = make_worker(worker);
        std::size_t item = 0;
        while (queue.take(item)) task(item);
    } catch (...) {
        queue.fail(std::current_exception());
    }
}

}  // namespace

void run_pool(const std::vector<std::size_t>& items, std::size_t workers,
              const std::function<PoolTask(std::size_t worker)>& make_worker) {
    Queue queue(items);
    workers = std::clamp<std::size_t>(workers, 1, std::max<std::size_t>(1, items.size()));
    if (workers == 1) {
        work(queue, 0, make_worker);
    } else {
        std::vector<std::jthread> threads;
        for (std::size_t w = 0; w < workers; ++w) threads.emplace_back([&, w] { work(queue, w, make_worker); });
    }  // joined here
    queue.rethrow();
}

}  // namespace exosim::harness
