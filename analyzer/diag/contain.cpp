#include "diag/contain.h"

#include <stdexcept>

namespace grantlint {

namespace {
std::function<bool(std::string_view)>& fault_for_testing() {
  static std::function<bool(std::string_view)> fault;
  return fault;
}
}  // namespace

void set_fault_for_testing(std::function<bool(std::string_view place)> fault) {
  fault_for_testing() = std::move(fault);
}

void fault_point(std::string_view place) {
  const auto& fault = fault_for_testing();
  if (fault && fault(place)) throw std::runtime_error("fault injected at `" + std::string(place) + "`");
}

}  // namespace grantlint
