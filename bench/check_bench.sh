#!/usr/bin/env bash
# Times `grantlint check` as pre-commit and CI run it, process start included:
# one small policy (pre-commit's case) and the whole policies/ tree, side by side with
# `/bin/true` (the cost of starting any process here). Prints mean milliseconds per run.
#   bench/check_bench.sh [GRANTLINT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
grantlint=${1:-build/release/analyzer/grantlint}
runs=${2:-200}
[ -x "$grantlint" ] || { echo "build first: scripts/build.sh release" >&2; exit 2; }

mean_ms() {  # mean_ms RUNS COMMAND...: mean wall time of COMMAND in milliseconds
  local n=$1
  shift
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$n" 'BEGIN { printf "%.2f", ns / n / 1e6 }'
}

files=$(find policies -name '*.json' | wc -l)
bytes=$(find policies -name '*.json' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "grantlint check, mean wall time per run (process start included)"
printf '%-44s %10s ms\n' "/bin/true (process start only)" "$(mean_ms "$runs" /bin/true)"
printf '%-44s %10s ms\n' "one small policy (s3_reports_read_only.json)" \
  "$(mean_ms "$runs" "$grantlint" check policies/examples/s3_reports_read_only.json)"
printf '%-44s %10s ms\n' "one small policy, SARIF" \
  "$(mean_ms "$runs" "$grantlint" check --format sarif policies/examples/s3_reports_read_only.json)"
printf '%-44s %10s ms\n' "policies/ ($files files, $bytes bytes)" \
  "$(mean_ms $((runs / 10 + 1)) "$grantlint" check policies)"
printf '%-44s %10s ms\n' "policies/, SARIF" \
  "$(mean_ms $((runs / 10 + 1)) "$grantlint" check --format sarif policies)"
