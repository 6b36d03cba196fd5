// A map and a set kept in one vector and searched in order: for the few entries a principal
// holds (its policies), a linear search is faster than hashing, and filling one allocates
// once or twice instead of once per entry. Past kIndexedFrom entries (a user in thousands of
// groups) a hash index is kept beside the vector, so filling one stays linear. The subset of
// std::unordered_map's interface the callers use; emplace and insert keep the first entry of a
// key, as the standard ones do.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace grantlint {

inline constexpr std::size_t kIndexedFrom = 32;

template <class Key, class Value>
class FlatMap {
 public:
  using value_type = std::pair<Key, Value>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  [[nodiscard]] const_iterator begin() const { return entries_.begin(); }
  [[nodiscard]] const_iterator end() const { return entries_.end(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

  [[nodiscard]] const_iterator find(const Key& key) const {
    if (!index_.empty()) {
      const auto it = index_.find(key);
      return it == index_.end() ? end() : entries_.begin() + static_cast<std::ptrdiff_t>(it->second);
    }
    return std::ranges::find_if(entries_, [&](const value_type& entry) { return entry.first == key; });
  }
  [[nodiscard]] bool contains(const Key& key) const { return find(key) != end(); }
  [[nodiscard]] const Value& at(const Key& key) const {
    const auto it = find(key);
    if (it == end()) throw std::out_of_range("FlatMap::at");
    return it->second;
  }
  // Whether it was added (false: the key was there, and keeps its value).
  bool emplace(const Key& key, Value value) {
    if (contains(key)) return false;
    entries_.emplace_back(key, std::move(value));
    if (entries_.size() == kIndexedFrom) {
      for (std::size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].first, i);
    } else if (entries_.size() > kIndexedFrom) {
      index_.emplace(key, entries_.size() - 1);
    }
    return true;
  }

 private:
  std::vector<value_type> entries_;
  std::unordered_map<Key, std::size_t> index_;  // past kIndexedFrom entries
};

template <class Key>
class FlatSet {
 public:
  [[nodiscard]] bool contains(const Key& key) const {
    if (!index_.empty()) return index_.contains(key);
    return std::ranges::find(keys_, key) != keys_.end();
  }
  bool insert(const Key& key) {
    if (contains(key)) return false;
    keys_.push_back(key);
    if (keys_.size() == kIndexedFrom) {
      index_.insert(keys_.begin(), keys_.end());
    } else if (keys_.size() > kIndexedFrom) {
      index_.insert(key);
    }
    return true;
  }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] bool empty() const { return keys_.empty(); }

 private:
  std::vector<Key> keys_;
  std::unordered_set<Key> index_;  // past kIndexedFrom keys
};

}  // namespace grantlint
