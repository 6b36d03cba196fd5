#!/usr/bin/env bash
# Installs what is missing, builds grantlint and runs the whole test suite under ctest.
#   scripts/test.sh            the dev build, then the ASan+UBSan build
#   GRANTLINT_SKIP_SANITIZE=1 scripts/test.sh   the dev build only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
jobs=$(nproc)

scripts/build.sh dev
ctest --preset dev -j "$jobs"

echo "== the release build the quick start uses"
scripts/build.sh release

if [ "${GRANTLINT_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
  scripts/build.sh asan-ubsan
  ctest --preset asan-ubsan -j "$jobs"
fi
