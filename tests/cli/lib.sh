# Shared by the CLI test scripts: a scratch directory and pass/fail bookkeeping.
#   . lib.sh   (then: expect_status, expect_grep, expect_count, absent, finish)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

expect_status() {  # expect_status WANT DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"
    sed 's/^/  out: /' "$work/out" | head -20
    sed 's/^/  err: /' "$work/err" | head -20
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
expect_grep() {  # expect_grep FILE PATTERN DESCRIPTION
  if grep -qE -- "$2" "$1"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $3: \`$2\` not in $(basename "$1")"
    sed 's/^/  | /' "$1" | head -20
    failures=$((failures + 1))
  fi
}
expect_count() {  # expect_count FILE PATTERN WANT DESCRIPTION
  local got
  got=$(grep -cE -- "$2" "$1")
  if [ "$got" = "$3" ]; then passes=$((passes + 1)); else
    echo "FAIL: $4: $got lines match \`$2\`, expected $3"
    failures=$((failures + 1))
  fi
}
absent() {  # absent FILE PATTERN DESCRIPTION
  if grep -qE -- "$2" "$1"; then echo "FAIL: $3: \`$2\` in $(basename "$1")"; failures=$((failures + 1));
  else passes=$((passes + 1)); fi
}

finish() {  # the summary line, and the script's exit status
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
