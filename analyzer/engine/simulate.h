// The `simulate` pipeline: request files (or the flag form) in, decisions out. It never
// prints. A request whose policies are malformed gets its grammar findings instead of a
// decision, and the rest of a batch is still answered.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "eval/decide.h"
#include "source/source_file.h"

namespace grantlint {

// A problem with a request itself (a missing field, an unreadable policy file).
struct RequestError {
  std::string message;
  std::optional<Location> location;
};

struct SimulationOutcome {
  std::string name;  // the request's "name", if any
  std::string principal;
  std::string action;
  std::string resource;
  std::optional<std::string> expect;   // the request's "expect", checked by the reporter
  std::optional<RequestError> error;   // no decision when set, or when `findings` holds errors
  std::vector<Diagnostic> findings;    // grammar errors in the request's policies
  std::optional<eval::Answer> answer;  // points into policies the Simulator owns
  // How explanations name each policy: "identity[0]", "resource", "scp[1][0]".
  std::vector<std::pair<const eval::CompiledPolicy*, std::string>> labels;

  [[nodiscard]] bool as_expected() const;
  [[nodiscard]] std::string_view label_of(const eval::CompiledPolicy* policy) const;
};

// The flag form: `grantlint simulate --principal P --action A --resource R ...`.
struct FlagRequest {
  std::string principal;
  std::string action;
  std::string resource = "*";
  std::string resource_account;
  std::vector<std::string> context;  // key=value; a repeated key makes a set
  std::vector<std::string> unknown;  // keys (patterns) whose values are unknown
  std::vector<std::string> identity_policies;
  std::string resource_policy;
  std::vector<std::string> boundary_policies;
  std::vector<std::string> scp_policies;  // one level each
  std::string session_policy;
};

namespace catalog {
class Catalog;
}

struct SimulatorOptions {
  // Whether a policy given as a path is read from disk (the fuzz target turns it off).
  bool read_policy_files = true;
  // Condition key types (which keys are multivalued); nullptr: the built-in catalog.
  const catalog::Catalog* catalog = nullptr;
};

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options = {});
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // A request file: one request object, or an array of them. A file that cannot be read
  // or is not JSON gives one outcome with that error.
  void simulate_file(const std::string& path);
  void simulate_bytes(std::string path, std::string_view bytes);
  void simulate_flags(const FlagRequest& request);

  // True when the file held an array (JSON Lines out).
  [[nodiscard]] bool batch() const;
  [[nodiscard]] const std::vector<SimulationOutcome>& outcomes() const;
  [[nodiscard]] const SourceSet& sources() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace grantlint
