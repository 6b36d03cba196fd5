// How far a long run is, for a progress display: phases of counted steps, advanced from any
// thread. Without a display, advancing is one relaxed atomic increment. Each phase's wall
// time is kept (`scan --timings`).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace grantlint {

class Progress {
 public:
  // Called with the phase, the steps done and the total; `done == total` ends the phase. An
  // empty function shows nothing.
  using Show = std::function<void(std::string_view phase, std::size_t done, std::size_t total)>;

  explicit Progress(Show show = {}, std::chrono::milliseconds interval = std::chrono::milliseconds(100))
      : show_(std::move(show)), interval_(interval) {}

  // A phase that ended: its steps and how long it took.
  struct PhaseTime {
    std::string phase;
    std::size_t steps = 0;
    std::chrono::steady_clock::duration took{};
  };

  // Starts a phase; not concurrently with advance().
  void begin(std::string_view phase, std::size_t total) {
    started_ = std::chrono::steady_clock::now();
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
    phase_times_.push_back(PhaseTime{phase_, total_, std::chrono::steady_clock::now() - started_});
    if (show_) show_(phase_, total_, total_);
  }

  // The phases ended so far, in order (a phase of each account of a scan, each on its own).
  [[nodiscard]] const std::vector<PhaseTime>& phase_times() const { return phase_times_; }

 private:
  Show show_;
  std::chrono::milliseconds interval_;
  std::string phase_;
  std::size_t total_ = 0;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_shown_{};
  std::chrono::steady_clock::time_point started_{};
  std::vector<PhaseTime> phase_times_;
};

}  // namespace grantlint
