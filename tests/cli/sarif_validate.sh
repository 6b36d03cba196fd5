#!/usr/bin/env bash
# Writes SARIF for the bundled policies (findings, the Glue sample account, an unreadable file, a clean run) and
# validates it, with every checked-in .expected.sarif, twice: with ../shared/sarif/validate
# (the OASIS schema and GitHub's required properties, through ajv) and with Microsoft's
# SARIF Multitool (its own schema copy, SARIF and GitHub rules; errors and warnings fail).
#   sarif_validate.sh GRANTLINT REPO_ROOT OUT_DIR
set -euo pipefail
grantlint=$1
root=$2
out=$3
validate="$root/../shared/sarif/validate"
if [ ! -x "$validate" ] && [ ! -f "$validate" ]; then
  echo "sarif_validate: $validate is missing (the shared folder must sit beside the repository)" >&2
  exit 1
fi
mkdir -p "$out"
rm -f "$out"/*.sarif  # what an earlier run wrote is not validated again
cd "$root"
"$grantlint" check policies --format sarif -o "$out/policies.sarif" || [ $? -eq 1 ]
"$grantlint" check policies/examples --format sarif -o "$out/examples.sarif" || [ $? -eq 1 ]
"$grantlint" scan policies/glue/sample --format sarif -o "$out/glue-sample.sarif" || [ $? -eq 1 ]
# Policy-file mode, on a copy of the example repository with a role missing its catalog key.
rm -rf "$out/repo" && cp -r policies/glue/repo "$out/repo"
node -e 'const fs = require("fs"); const p = process.argv[1]; const d = JSON.parse(fs.readFileSync(p));
  d.Statement = d.Statement.filter((s) => s.Sid !== "CatalogKey"); fs.writeFileSync(p, JSON.stringify(d));' \
  "$out/repo/iam/orders-etl.json"
(cd "$out/repo" && "$grantlint" check . --format sarif -o "$out/glue-files.sarif") || [ $? -eq 1 ]
grep -q GLUE-IAM-02 "$out/glue-files.sarif" || { echo "sarif_validate: policy-file mode found nothing" >&2; exit 1; }
"$grantlint" check policies/examples/missing-file.json --format sarif -o "$out/unreadable.sarif" || [ $? -eq 2 ]
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}' \
  | "$grantlint" check - --format sarif -o "$out/clean.sarif"
# A plan resource's address of a megabyte: its logical locations name it cut (hostile40 L4).
node -e 'const name = "p".repeat(1 << 20);
  const policy = JSON.stringify({Version: "2012-10-17", Statement: [{Effect: "Allow", Action: "*", Resource: "*"}]});
  process.stdout.write(JSON.stringify({format_version: "1.2", planned_values: {root_module: {resources: [
    {address: `aws_iam_policy.${name}`, mode: "managed", type: "aws_iam_policy", name, values: {policy}}]}}}));' \
  >"$out/long-address.json"
"$grantlint" check --config none "$out/long-address.json" --format sarif -o "$out/long-address.sarif" || [ $? -eq 1 ]
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])).runs[0].results[0];
  const names = r.locations[0].logicalLocations.map((l) => l.fullyQualifiedName);
  if (names.length === 0 || !names.every((n) => n.length < 1100 && n.endsWith("(1048591 bytes)"))) process.exit(1);' \
  "$out/long-address.sarif" || { echo "sarif_validate: a megabyte address is not cut" >&2; exit 1; }
rm "$out/long-address.json"
# More results than GitHub takes in one run (25,000): the SARIF keeps the most severe (the one
# error, listed last, among 25,198 warnings) and says how many are left out. Too big for the
# Multitool's default size limit, it is validated on its own.
node -e 'const n = 12600, users = [];
  const doc = (action) => ({Version: "2012-10-17", Statement: [{Effect: "Allow", Action: action, Resource: "*"}]});
  for (let i = 0; i < n; i++) users.push({UserName: `u${i}`, Arn: `arn:aws:iam::111122223333:user/u${i}`,
    UserPolicyList: [{PolicyName: "p", PolicyDocument: doc(i === n - 1 ? "s3:GetObjct" : "*")}]});
  process.stdout.write(JSON.stringify({UserDetailList: users, GroupDetailList: [], RoleDetailList: [], Policies: []}));' \
  >"$out/many-admins.json"
mkdir -p "$out/big"
"$grantlint" scan "$out/many-admins.json" --format sarif -o "$out/big/capped.sarif" 2>"$out/capped.err" || [ $? -eq 1 ]
grep -q "199 of the 25199 results are left out of this SARIF run" "$out/capped.err" ||
  { cat "$out/capped.err" >&2; echo "sarif_validate: no warning that results were left out" >&2; exit 1; }
node -e 'const run = JSON.parse(require("fs").readFileSync(process.argv[1])).runs[0];
  const notes = run.invocations[0].toolExecutionNotifications;
  if (run.results.length !== 25000 || run.results.filter((r) => r.level === "error").length !== 1 ||
      !notes.some((n) => n.level === "warning" && /left out/.test(n.message.text))) process.exit(1);' \
  "$out/big/capped.sarif" ||
  { echo "sarif_validate: the capped run is not the 25,000 most severe with a notification" >&2; exit 1; }
bash "$validate" "$out/big/capped.sarif"
rm "$out/many-admins.json"
# Hostile shapes: the corpus's exports and every export golden case scanned at once; its templates, seeds and
# regressions checked; a file named with a byte that is not UTF-8 and a control character, holding both in a string.
"$grantlint" scan corpus/exports policies/ACC00{1,2,3,4} policies/ACC10{1,2} policies/JSON001 --format sarif \
  -o "$out/corpus-exports.sarif" || [ $? -eq 1 ]
"$grantlint" check corpus/templates corpus/seeds corpus/regressions --format sarif -o "$out/corpus-policies.sarif" ||
  [ $? -eq 1 ]
rm -rf "$out/odd" && mkdir "$out/odd"
printf '{"Version":"2012-10-17","Statement":[{"Sid":"caf\xe9\x01","Effect":"Allow","Action":"*","Resource":"*"}]}' \
  >"$out/odd/$(printf 'bad\xff\x01name.json')"
"$grantlint" check "$out/odd" --format sarif -o "$out/odd-names.sarif" || [ $? -eq 1 ]
grep -q '"ruleId": *"JSON001"' "$out/odd-names.sarif" || { echo "sarif_validate: the odd file was not read" >&2; exit 1; }
files=("$out"/*.sarif)
while IFS= read -r -d '' f; do files+=("$f"); done < <(find policies -name '*.expected.sarif' -print0)
bash "$validate" "${files[@]}"

# The Multitool ships as a self-contained binary inside an npm package; install it once.
multitool_version=5.7.0
cache=${SARIF_MULTITOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grantlint-sarif-multitool-$multitool_version}
multitool="$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm install --no-audit --no-fund --silent "@microsoft/sarif-multitool-linux@$multitool_version" >/dev/null 2>&1) ||
    { echo "sarif_validate: npm install of the SARIF Multitool failed in $cache" >&2; exit 1; }
fi
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
"$multitool" validate "${files[@]}" -o "$out/multitool-findings.json" --log ForceOverwrite \
  --rule-kind "Sarif;Gh" --level "Error;Warning" >"$out/multitool.txt" 2>&1 || true
if grep -E ": (error|warning) [A-Z]+[0-9]+" "$out/multitool.txt"; then
  echo "sarif_validate: the SARIF Multitool reports the errors or warnings above" >&2
  exit 1
fi
grep -q "Analysis completed successfully" "$out/multitool.txt" ||
  { cat "$out/multitool.txt" >&2; echo "sarif_validate: the SARIF Multitool did not complete" >&2; exit 1; }
echo "SARIF Multitool $multitool_version: no errors or warnings in ${#files[@]} files"
echo "${#files[@]} passed, 0 failed"
