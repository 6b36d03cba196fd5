#include "checks/checks.h"

namespace grantlint::checks {

void run_all(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  check_actions(document, catalog, emit);
  check_conditions(document, catalog, emit);
  check_tag_keys(document, catalog, emit);
  check_condition_meaning(document, emit);
  check_variables(document, emit);
  check_variable_keys(document, catalog, emit);
  check_resources(document, catalog, emit);
  check_redundancy(document, catalog, emit);
  check_redundant_values(document, emit);
  check_grants(document, catalog, emit);
  check_resource_policies(document, emit);
  check_trust(document, emit);
  check_attached_resource(document, catalog, emit);
  check_condition_context(document, catalog, emit);
}

}  // namespace grantlint::checks
