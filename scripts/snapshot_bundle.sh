#!/usr/bin/env bash
# Writes an account snapshot directory as one fuzz input for fuzz_snapshot: each file as a
# line `@@ PATH` followed by its bytes.
#   scripts/snapshot_bundle.sh SNAPSHOT_DIR > BUNDLE
set -euo pipefail
cd "$1"
find . -type f \( -name '*.json' -o -name '*.err' \) | LC_ALL=C sort | while IFS= read -r file; do
  printf '@@ %s\n' "${file#./}"
  cat "$file"
  printf '\n'
done
