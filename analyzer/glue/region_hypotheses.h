// A template or plan that does not say its Region but names several may deploy to any of
// them: the pack runs once with the Region unknown and once for each Region named, and the
// runs' findings are merged here.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"

namespace grantlint::glue {

struct RegionRun {
  std::string region;
  DiagnosticSink found;
};

// Into `into`: each finding every run gives alike but for the Region (in the named Regions'
// words, the Region written `${AWS::Region}`); each ACC005 note of any run (what is not
// evaluated in one Region is not evaluated), once; and for a finding only some runs give, an
// ACC005 note that it depends on the Region `path` deploys to.
void merge_region_runs(const DiagnosticSink& unknown_region, const std::vector<RegionRun>& named,
                       std::string_view path, DiagnosticSink& into);

}  // namespace grantlint::glue
