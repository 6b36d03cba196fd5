#include "account/element_prefetch.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <system_error>
#include <utility>

#include "json/offset_map.h"
#include "json/skim.h"

namespace grantlint::account {

namespace {

constexpr std::size_t kNone = std::string_view::npos;
// The thread stays at most this many elements ahead of the reader, and wakes a waiting
// reader once it has a few of them: one hand-over per few elements, not per element.
constexpr std::size_t kMostAhead = 64;
constexpr std::size_t kMostAheadBytes = std::size_t{4} << 20;  // of text: large elements (policies of many versions)
constexpr std::size_t kHandOver = 8;
// An element smaller than this is read faster than it is handed over (a list of a million
// `{}` read 60% slower): the thread stops at one, and the reader sets it going again only
// after a larger one.
constexpr std::size_t kSmallest = 256;

}  // namespace

std::string element_pointer(std::string_view list, std::size_t index) {
  return index == kNoIndex ? std::string(list) : fmt::format("{}/{}", list, index);
}

ElementPrefetch::ElementPrefetch(std::string_view text, const Emitter& like, std::span<const json::OpaqueMember> opaque,
                                 ReadElement read, std::size_t window)
    : text_(text), like_(unused_sink_, like), opaque_(opaque), read_(std::move(read)), window_(window) {
  try {
    worker_ = std::jthread([this] { work(); });
  } catch (const std::system_error&) {
    failed_ = true;  // a thread that cannot start (a limit on processes): the reader reads all
  }
}

ElementPrefetch::~ElementPrefetch() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  worker_wake_.notify_one();
  // worker_ joins when destroyed.
}

bool ElementPrefetch::full() const { return ready_.size() >= kMostAhead || ready_bytes_ >= kMostAheadBytes; }

std::size_t ElementPrefetch::next_element(std::size_t end) const {
  std::size_t at = json::skip_space(text_, end);
  if (at >= text_.size() || text_[at] != ',') return kNone;
  at = json::skip_space(text_, at + 1);
  return at < text_.size() && text_[at] == '{' ? at : kNone;
}

ElementPrefetch::Slot* ElementPrefetch::await(std::size_t begin) {
  for (;;) {
    while (!taken_.empty() && taken_.front().begin < begin) taken_.pop_front();
    if (!taken_.empty()) return taken_.front().begin == begin ? &taken_.front() : nullptr;
    std::unique_lock lock(mutex_);
    if (ready_.empty()) {
      // Nothing handed over: wait when the thread is at or before this element and going on.
      if (failed_ || chain_ == kNone || chain_ > begin) return nullptr;
      reader_waiting_ = true;
      reader_wake_.wait(lock, [&] { return failed_ || chain_ == kNone || ready_.size() >= kHandOver || full(); });
      reader_waiting_ = false;
      if (ready_.empty()) return nullptr;
    }
    std::ranges::move(ready_, std::back_inserter(taken_));
    ready_.clear();
    ready_bytes_ = 0;
    lock.unlock();
    worker_wake_.notify_one();  // room ahead again
  }
}

std::optional<std::size_t> ElementPrefetch::end_of(std::size_t begin) {
  if (idle_) return std::nullopt;
  const Slot* slot = await(begin);
  return slot != nullptr ? std::optional(slot->end) : std::nullopt;
}

std::optional<ElementPrefetch::Read> ElementPrefetch::take(std::size_t begin, std::size_t end, std::string_view key,
                                                           std::string_view list, std::size_t index) {
  // A run of small elements (a million scalars) costs no lock each.
  if (idle_ && end - begin < kSmallest) return std::nullopt;
  // The chain's list is the reader's to write (restart), so the reader reads it unlocked.
  if (Slot* slot = await(begin);
      slot != nullptr && slot->end == end && slot->index == index && chain_key_ == key && chain_list_ == list) {
    Read read = std::move(slot->read);
    taken_.pop_front();
    return read;
  }
  restart(begin, end, key, list, index);
  return std::nullopt;
}

void ElementPrefetch::restart(std::size_t begin, std::size_t end, std::string_view key, std::string_view list,
                              std::size_t index) {
  taken_.clear();
  bool goes_on = false;
  {
    const std::lock_guard lock(mutex_);
    ready_.clear();
    ready_bytes_ = 0;
    ++generation_;
    chain_ = failed_ || end - begin < kSmallest ? kNone : next_element(end);
    chain_index_ = index == kNoIndex ? kNoIndex : index + 1;
    chain_key_ = key;
    chain_list_ = list;
    goes_on = chain_ != kNone;
  }
  idle_ = !goes_on;
  // Woken only with work: a list of a million scalars (each the reader's) costs no system call each.
  if (goes_on) worker_wake_.notify_one();
}

void ElementPrefetch::work() {
  try {
    parse_ahead();
  } catch (...) {
    // Memory ran out outside an element's parse and read (those are contained below): the
    // reader, which contains it, reads the rest.
    const std::lock_guard lock(mutex_);
    failed_ = true;
    chain_ = kNone;
    reader_wake_.notify_one();
  }
}

void ElementPrefetch::parse_ahead() {
  json::Parser parser;
  std::unique_lock lock(mutex_);
  for (;;) {
    worker_wake_.wait(lock, [&] { return stop_ || (chain_ != kNone && !full()); });
    if (stop_) return;
    Slot slot;
    slot.begin = chain_;
    slot.index = chain_index_;
    const std::size_t generation = generation_;
    const std::string key = chain_key_;
    const std::string pointer = element_pointer(chain_list_, chain_index_);
    lock.unlock();
    std::size_t next = kNone;
    bool failed = false;
    auto end = json::skim_value(text_.substr(0, std::min(text_.size(), slot.begin + window_)), slot.begin);
    if (end && *end - slot.begin < kSmallest) end = std::unexpected(*end);  // the reader's
    if (end) {
      slot.end = *end;
      try {
        DiagnosticSink found;
        Emitter emit(found, like_);
        const auto node = parser.parse(text_.substr(slot.begin, *end - slot.begin),
                                       json::OffsetMap::shifted(static_cast<std::uint32_t>(slot.begin)), emit, opaque_,
                                       json::ParseUnit::element);
        slot.read.parsed = node.has_value();
        if (node) read_(*node, key, pointer, emit, slot.read.element);
        slot.read.found = std::move(found).take_unsorted();
        next = next_element(*end);
      } catch (...) {
        failed = true;  // memory ran out in this element: the reader reads it, and the rest
      }
    }
    lock.lock();
    if (failed) {
      failed_ = true;
      chain_ = kNone;
      reader_wake_.notify_one();
      return;
    }
    if (generation != generation_) continue;  // the reader restarted the chain meanwhile
    if (end) {
      ready_bytes_ += slot.end - slot.begin;
      ready_.push_back(std::move(slot));
    }
    chain_ = next;
    if (chain_index_ != kNoIndex) ++chain_index_;
    if (reader_waiting_ && (chain_ == kNone || ready_.size() >= kHandOver || full())) reader_wake_.notify_one();
  }
}

}  // namespace grantlint::account
