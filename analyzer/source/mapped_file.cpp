#include "source/mapped_file.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <utility>

namespace grantlint {

namespace {

// The mappings the SIGBUS handler may repair. Slots are claimed under a mutex and read by the
// handler without one, so each field is an atomic and `end` is written last.
struct Slot {
  std::atomic<std::uintptr_t> begin{0};
  std::atomic<std::uintptr_t> end{0};
  std::atomic<bool> faulted{false};
};
constexpr std::size_t kSlots = 1024;
std::array<Slot, kSlots> g_slots;
std::mutex g_slots_mutex;
struct sigaction g_previous {};

std::size_t page_size() {
  static const auto size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

std::uintptr_t round_down(std::uintptr_t value, std::size_t page) { return value & ~(std::uintptr_t{page} - 1); }
std::size_t round_up(std::size_t value, std::size_t page) { return (value + page - 1) & ~(page - 1); }

// A read past the end of a file that shrank under its mapping raises SIGBUS. The page is
// replaced by zeros, the mapping marked, and the read retried; a SIGBUS anywhere else goes to
// the handler that was there before (by default: the process ends, as it would have).
void on_sigbus(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  // A SIGBUS sent by a process (kill, sigqueue) is no fault: only faults are repaired.
  const bool fault = info->si_code > 0;
  for (Slot& slot : g_slots) {
    if (!fault) break;
    const std::uintptr_t end = slot.end.load(std::memory_order_acquire);
    if (end == 0 || address < slot.begin.load(std::memory_order_relaxed) || address >= end) continue;
    const std::size_t page = page_size();
    void* at = reinterpret_cast<void*>(round_down(address, page));
    if (mmap(at, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      slot.faulted.store(true, std::memory_order_relaxed);
      return;
    }
    break;
  }
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(signal, info, context);
    return;
  }
  // The faulting read runs again under the old action; a sent signal is raised again under it.
  sigaction(SIGBUS, &g_previous, nullptr);
  if (!fault) raise(signal);
}

int claim_slot(std::uintptr_t begin, std::uintptr_t end) {
  const std::lock_guard lock(g_slots_mutex);
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGBUS, &action, &g_previous) == 0;
  }();
  if (!installed) return -1;
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (g_slots[i].end.load(std::memory_order_relaxed) != 0) continue;
    g_slots[i].faulted.store(false, std::memory_order_relaxed);
    g_slots[i].begin.store(begin, std::memory_order_relaxed);
    g_slots[i].end.store(end, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void free_slot(int slot) {
  if (slot < 0) return;
  const std::lock_guard lock(g_slots_mutex);
  g_slots[static_cast<std::size_t>(slot)].end.store(0, std::memory_order_release);
  g_slots[static_cast<std::size_t>(slot)].begin.store(0, std::memory_order_relaxed);
}

}  // namespace

Result<MappedFile> MappedFile::map(const std::string& path, int fd, std::size_t size, std::size_t padding) {
  const std::size_t page = page_size();
  const std::size_t mapped = round_up(size + padding, page);
  // Reserve room for the file and its padding, then map the file over the front: the bytes
  // past its end, to the padding's end, are zeros.
  void* reserved = mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (reserved == MAP_FAILED) return make_error(fmt::format("cannot map `{}`: {}", path, std::strerror(errno)));
  if (size > 0 && mmap(reserved, round_up(size, page), PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    const int saved_errno = errno;
    munmap(reserved, mapped);
    return make_error(fmt::format("cannot map `{}`: {}", path, std::strerror(saved_errno)));
  }
  struct stat identity {};
  if (fstat(fd, &identity) != 0) {
    const int saved_errno = errno;
    munmap(reserved, mapped);
    return make_error(fmt::format("cannot read `{}`: {}", path, std::strerror(saved_errno)));
  }
  auto* base = static_cast<char*>(reserved);
  const int slot = claim_slot(reinterpret_cast<std::uintptr_t>(base), reinterpret_cast<std::uintptr_t>(base) + mapped);
  if (slot < 0) {
    munmap(reserved, mapped);
    return make_error(fmt::format("cannot map `{}`: too many files mapped at once", path));
  }
  return MappedFile(path, base, size, mapped, identity, slot);
}

MappedFile::MappedFile(const std::string& path, char* base, std::size_t size, std::size_t mapped, struct stat identity,
                       int slot)
    : path_(path), base_(base), size_(size), mapped_(mapped), identity_(identity), slot_(slot) {}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, 0)),
      identity_(other.identity_),
      slot_(std::exchange(other.slot_, -1)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
    identity_ = other.identity_;
    slot_ = std::exchange(other.slot_, -1);
  }
  return *this;
}

MappedFile::~MappedFile() { unmap(); }

void MappedFile::unmap() {
  if (base_ != nullptr) munmap(base_, mapped_);
  free_slot(slot_);
  base_ = nullptr;
  slot_ = -1;
}

void MappedFile::release(std::size_t begin, std::size_t end) const {
  end = std::min(end, size_);
  if (base_ == nullptr || begin >= end) return;
  // Only whole pages inside the range: a page it shares with text outside stays.
  const std::size_t page = page_size();
  const std::size_t first = round_up(begin, page);
  const std::size_t last = end == size_ ? round_up(end, page) : round_down(end, page);
  if (first < last) madvise(base_ + first, last - first, MADV_DONTNEED);
}

bool MappedFile::changed_on_disk() const {
  if (slot_ >= 0 && g_slots[static_cast<std::size_t>(slot_)].faulted.load(std::memory_order_relaxed)) return true;
  if (base_ == nullptr) return false;
  struct stat now {};
  if (stat(path_.c_str(), &now) != 0) return errno == ENOENT || errno == ENOTDIR;  // deleted or moved away
  if (now.st_dev != identity_.st_dev || now.st_ino != identity_.st_ino) return true;  // replaced
  // The change time too: a rewrite whose modification time was set back (`touch -r`, `cp -p`)
  // still moves it.
  return now.st_size != identity_.st_size || now.st_mtim.tv_sec != identity_.st_mtim.tv_sec ||
         now.st_mtim.tv_nsec != identity_.st_mtim.tv_nsec || now.st_ctim.tv_sec != identity_.st_ctim.tv_sec ||
         now.st_ctim.tv_nsec != identity_.st_ctim.tv_nsec;
}

}  // namespace grantlint
