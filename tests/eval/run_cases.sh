#!/usr/bin/env bash
# Decides every request of one case file with `grantlint simulate` and fails when a
# decision differs from the case's `expect` or a request cannot be decided. The cases come
# from AWS's documentation (each says why), never from grantlint's own answers.
set -uo pipefail
grantlint=$1
cases=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$grantlint" simulate --request "$cases" --format json >"$out"
status=$?
total=$(wc -l <"$out")
bad=$(grep -c -e '"asExpected":false' -e '"error":' "$out")
if [[ $status -ne 0 || $bad -ne 0 ]]; then
  echo "$cases: $bad of $total requests not as expected (exit $status):"
  grep -e '"asExpected":false' -e '"error":' "$out"
  exit 1
fi
echo "$cases: $total requests as expected"
