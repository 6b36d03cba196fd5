#!/usr/bin/env bash
# Installs what is missing, builds grantlint and runs the whole test suite under ctest.
#   scripts/test.sh            the release build with tests, then the ASan+UBSan build
#   GRANTLINT_SKIP_SANITIZE=1 scripts/test.sh   the release build with tests only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
jobs=$(nproc)

# The suite runs on the optimised build the quick start ships (same flags, so GCC's -O3 warnings stop it too) rather
# than on the dev preset: one optimised build instead of two keeps the command well inside CI's fifteen minutes.
scripts/build.sh release-tests
ctest --preset release-tests -j "$jobs"

if [ "${GRANTLINT_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
  scripts/build.sh asan-ubsan
  ctest --preset asan-ubsan -j "$jobs"
fi
