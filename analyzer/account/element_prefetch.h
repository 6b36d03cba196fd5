// Parses and reads the elements of an export's lists ahead of the reader, on a thread of its
// own: the reader (authz_details.cpp) walks the lists, finding where each element ends, and
// the thread parses the one it expects next (a `{` after the last one's `,`, skimmed) and
// reads it into a model of its own. The reader takes what the thread made only for the same
// bytes, list and place, and otherwise parses and reads the element itself: what is read, and
// reported, is what reading alone gives. An element is parsed, read and freed on one thread
// (freeing another thread's memory takes that thread's heap lock, at every node). Small
// elements are the reader's: handing them over costs more than reading them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "account/model.h"
#include "diag/diagnostic.h"
#include "diag/emitter.h"
#include "json/node.h"
#include "json/parse.h"

namespace grantlint::account {

// Reads one parsed element of the list `key` at `pointer` into `out`, reporting through `emit`.
using ReadElement = std::function<void(const json::Node& element, std::string_view key, const std::string& pointer,
                                       Emitter& emit, Export& out)>;

// The JSON pointer of the element `index` of the list at `list`; `list` itself for an element
// of no list (kNoIndex: a bare list's elements, one per line).
inline constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
std::string element_pointer(std::string_view list, std::size_t index);

class ElementPrefetch {
 public:
  // An element parsed and read as the reader would, and what that reported.
  struct Read {
    bool parsed = false;            // false: it does not parse (reported in `found`)
    Export element;                 // what reading it added: a principal or a policy, or nothing
    std::vector<Diagnostic> found;  // in the order reported, not yet through the reader's budget
  };

  // Elements of `text` (the whole file) are parsed as parts of a file (json::ParseUnit::element),
  // with `opaque` members left unbuilt, and read by `read`, reported as `like` reports (its file
  // and document). The thread takes an element that ends within `window` bytes of its start;
  // larger ones (rare) are the reader's.
  ElementPrefetch(std::string_view text, const Emitter& like, std::span<const json::OpaqueMember> opaque,
                  ReadElement read, std::size_t window);
  ~ElementPrefetch();
  ElementPrefetch(const ElementPrefetch&) = delete;
  ElementPrefetch& operator=(const ElementPrefetch&) = delete;

  // Where the element at `begin` ends, by json::skim_value within the window, when the thread
  // found it; nullopt otherwise (the reader skims it itself).
  std::optional<std::size_t> end_of(std::size_t begin);

  // The element text[begin, end) of the list `key` at `list`, element `index`, when the thread
  // made it; nullopt when the reader is to. The thread then goes on from the element after it.
  // Elements are asked for in the order of the file.
  std::optional<Read> take(std::size_t begin, std::size_t end, std::string_view key, std::string_view list,
                           std::size_t index);

 private:
  struct Slot {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t index = 0;
    Read read;
  };
  // Where the element after one that ends at `end` starts, when a `,` and a `{` follow; npos.
  std::size_t next_element(std::size_t end) const;
  // The thread's next element when it is the one at `begin`, waiting for it when the thread is
  // at or before it; null when the thread has not it, nor is going to.
  Slot* await(std::size_t begin);
  // The thread goes on from the element after text[begin, end), what it holds dropped; not
  // after a small element.
  void restart(std::size_t begin, std::size_t end, std::string_view key, std::string_view list, std::size_t index);
  // Whether the thread is as far ahead as it goes (mutex_ held).
  [[nodiscard]] bool full() const;
  void work();
  void parse_ahead();  // work() but for what escapes it

  std::string_view text_;
  DiagnosticSink unused_sink_;  // what `like_` reports to: nothing, it is only copied
  Emitter like_;
  std::span<const json::OpaqueMember> opaque_;
  ReadElement read_;
  std::size_t window_;

  std::mutex mutex_;
  std::condition_variable worker_wake_;
  std::condition_variable reader_wake_;
  // Guarded by mutex_:
  std::deque<Slot> ready_;                      // made, in the file's order
  std::size_t ready_bytes_ = 0;                 // of text, in ready_
  std::size_t chain_ = std::string_view::npos;  // where the thread goes on; npos: nowhere
  std::size_t chain_index_ = 0;                 // the index there
  std::string chain_key_;                       // the list there, and its pointer
  std::string chain_list_;
  std::size_t generation_ = 0;  // counts restarts: what was begun before one is dropped
  // chain_key_, chain_list_ and generation_ are written by the reader only (restart). What the
  // reader holds and what is ready are of the current chain: a restart drops them, and the thread
  // drops what it made for an earlier one.
  bool reader_waiting_ = false;
  bool failed_ = false;  // the thread stopped (memory ran out): the reader reads everything
  bool stop_ = false;

  std::deque<Slot> taken_;  // the reader's own: handed over by the thread, not yet asked for
  bool idle_ = true;        // the reader's own: the thread has nothing to do since its last restart
  std::jthread worker_;     // last: started once the rest is set up
};

}  // namespace grantlint::account
