// Failures stay where they happen: an exception thrown while analysing one file, document
// or principal (a bug in grantlint, or memory running out) is reported as a tool error for
// that part, and the rest of the run, with every finding already made, is reported as
// usual. Tests prove the containment with a fault injected at a named place.
#pragma once

#include <exception>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "diag/diagnostic.h"

namespace grantlint {

// Tests only: makes fault_point throw wherever `fault` returns true for the place's name
// (a file's path, a document's JSON pointer, a principal's ARN). Set it before a run starts
// and clear it (an empty function) after; never set outside tests.
void set_fault_for_testing(std::function<bool(std::string_view place)> fault);
void fault_point(std::string_view place);

// Runs `work`; an exception escaping it becomes a failure in `sink` for `source`, saying
// what `describe()` names was not analysed (for example "the policy at `/Policies/3`").
// The description is made only on failure: this wraps every document and principal.
template <class Describe, class Work>
void contained(DiagnosticSink& sink, SourceId source, const Describe& describe, Work&& work) {
  std::string error;
  try {
    std::forward<Work>(work)();
    return;
  } catch (const std::bad_alloc&) {
    // Not a bug to report: the input needs more memory than the process may have.
    sink.fail(source, "not enough memory to analyse " + std::string(describe()) +
                          "; findings about it are missing, the rest of the run is complete");
    return;
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "an unknown exception";
  }
  sink.fail(source, "internal error while analysing " + std::string(describe()) + ": " + error +
                        "; findings about it may be missing, the rest of the run is complete (please report this)");
}

}  // namespace grantlint
