#!/usr/bin/env bash
# docs/json-format.md against what `--format json` writes: every key of a report of each
# input kind (a template, an export of two pages, a Glue snapshot, suppressed findings, an unreadable
# file) is documented, and every key the document's tables list is written.
#   json_format_test.sh GRANTLINT SOURCE_DIR
set -uo pipefail
grantlint=$1
src=$2
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/repo"
cat >"$work/repo/admin.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Sid": "BreakGlass", "Effect": "Allow", "Action": "*", "Resource": "*"}]}
JSON
cat >"$work/repo/.grantlint.json" <<'JSON'
{"suppressions": [{"rule": "GRT001", "sid": "BreakGlass", "reason": "break-glass role"}]}
JSON
cp "$src/policies/GRT001/bad_cloudformation.yaml" "$work/repo/template.yaml"
(cd "$work/repo" && "$grantlint" check . missing.json --include-suppressed --format json -o "$work/check.json" 2>"$work/check.err")
# Two pages in one file: their findings and documents say which page.
cat "$src/policies/ACC103/bad_other_account_by_principal_account_condition.json" \
  "$src/policies/ACC103/bad_other_account_by_principal_account_condition.json" >"$work/pages.json"
"$grantlint" scan "$work/pages.json" "$src/policies/glue/sample" --format json -o "$work/scan.json"
expect_status 0 "the reports were written" -- test -s "$work/check.json" -a -s "$work/scan.json"
expect_status 0 "every key written is documented; every documented key is written" -- node -e '
  const fs = require("fs");
  const doc = fs.readFileSync(process.argv[1], "utf8");
  const mentioned = new Set([...doc.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]));
  for (const m of doc.matchAll(/^ *"([A-Za-z]+)":/gm)) mentioned.add(m[1]);
  const listed = new Set();
  for (const line of doc.split("\n")) {
    const cell = line.match(/^\| ([^|]+) \|/);
    if (cell) for (const m of cell[1].matchAll(/`([A-Za-z]+)`/g)) listed.add(m[1]);
  }
  const written = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) { written.add(k); walk(x); }
  };
  for (const f of process.argv.slice(2)) walk(JSON.parse(fs.readFileSync(f, "utf8")));
  const undocumented = [...written].filter((k) => !mentioned.has(k));
  const unwritten = [...listed].filter((k) => !written.has(k));
  if (undocumented.length) console.log("written, not documented:", undocumented.join(" "));
  if (unwritten.length) console.log("documented, not written:", unwritten.join(" "));
  process.exit(undocumented.length || unwritten.length ? 1 : 0);' "$src/docs/json-format.md" "$work/check.json" "$work/scan.json"
finish
