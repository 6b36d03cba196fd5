// How far a long run is, for a progress display: phases of counted steps, advanced from any
// thread. Without a display, advancing is one relaxed atomic increment.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace grantlint {

class Progress {
 public:
  // Called with the phase, the steps done and the total; `done == total` ends the phase. An
  // empty function shows nothing.
  using Show = std::function<void(std::string_view phase, std::size_t done, std::size_t total)>;

  explicit Progress(Show show = {}, std::chrono::milliseconds interval = std::chrono::milliseconds(100))
      : show_(std::move(show)), interval_(interval) {}

  // Starts a phase; not concurrently with advance().
  void begin(std::string_view phase, std::size_t total) {
    phase_ = phase;
    total_ = total;
    done_.store(0, std::memory_order_relaxed);
    last_shown_ = std::chrono::steady_clock::now();
  }

  // One step (or `steps`) of the phase is done; shows the count at most once per interval.
  void advance(std::size_t steps = 1) {
    const std::size_t done = done_.fetch_add(steps, std::memory_order_relaxed) + steps;
    if (!show_ || done % 16 != 0) return;
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_shown_ < interval_) return;
    last_shown_ = now;
    show_(phase_, done, total_);
  }

  // Ends the phase: shown complete, whatever the interval.
  void end() {
    if (show_) show_(phase_, total_, total_);
  }

 private:
  Show show_;
  std::chrono::milliseconds interval_;
  std::string phase_;
  std::size_t total_ = 0;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_shown_{};
};

}  // namespace grantlint
