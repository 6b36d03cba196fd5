#!/usr/bin/env bash
# Rewrites docs/rules.md and the README's rule table from the rules' metadata
# (`grantlint rules --format markdown`). The cli test fails while either is stale.
#   scripts/update_rule_docs.sh [GRANTLINT]
set -euo pipefail
cd "$(dirname "$0")/.."
grantlint=${1:-build/dev/analyzer/grantlint}
"$grantlint" rules --format markdown >docs/rules.md
table=$(sed -n '/^| id/,/^$/p' docs/rules.md | sed '/^$/d')
awk -v table="$table" '
  /^<!-- rules:begin/ { print; print table; skip = 1; next }
  /^<!-- rules:end/ { skip = 0 }
  !skip { print }
' README.md >README.md.new
mv README.md.new README.md
