#!/usr/bin/env bash
# Times `grantlint check` as pre-commit and CI run it, process start included:
# one small policy (pre-commit's case) and the whole policies/ tree, side by side with
# `/bin/true` (the cost of starting any process here). Prints mean milliseconds per run.
#   bench/check_bench.sh [GRANTLINT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
grantlint=${1:-build/release/analyzer/grantlint}
runs=${2:-200}
[ -x "$grantlint" ] || { echo "build first: scripts/build.sh release" >&2; exit 2; }

mean_ms() {  # mean_ms RUNS COMMAND...: mean wall time of COMMAND in milliseconds
  local n=$1
  shift
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$n" 'BEGIN { printf "%.2f", ns / n / 1e6 }'
}

files=$(find policies -name '*.json' | wc -l)
bytes=$(find policies -name '*.json' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "grantlint check, mean wall time per run (process start included)"
printf '%-44s %10s ms\n' "/bin/true (process start only)" "$(mean_ms "$runs" /bin/true)"
printf '%-44s %10s ms\n' "one small policy (s3_reports_read_only.json)" \
  "$(mean_ms "$runs" "$grantlint" check policies/examples/s3_reports_read_only.json)"
printf '%-44s %10s ms\n' "one small policy, SARIF" \
  "$(mean_ms "$runs" "$grantlint" check --format sarif policies/examples/s3_reports_read_only.json)"
printf '%-44s %10s ms\n' "policies/ ($files files, $bytes bytes)" \
  "$(mean_ms $((runs / 10 + 1)) "$grantlint" check policies)"
printf '%-44s %10s ms\n' "policies/, SARIF" \
  "$(mean_ms $((runs / 10 + 1)) "$grantlint" check --format sarif policies)"

# A template of 3,000 chained conditions (G0 = Or of 10 comparisons, Gi = Not Gi-1, Hi = And
# of two) and 50 policies whose statements branch on them: evaluating conditions per way of
# the free ones (hostile27's case took 9 s when values were kept by name).
chain=$(mktemp --suffix=.yaml)
keys=$(mktemp --suffix=.json)
trap 'rm -f "$chain" "$keys"' EXIT
node -e '
  const N = 3000, R = 50, S = 20, L = ["Parameters:"];
  for (let k = 0; k < 10; k++) L.push(`  P${k}: {Type: String}`);
  L.push("Conditions:");
  for (let k = 0; k < 10; k++) L.push(`  F${k}: !Equals [!Ref P${k}, x]`);
  L.push("  G0: !Or [" + [...Array(10).keys()].map((k) => `!Condition F${k}`).join(", ") + "]");
  for (let i = 1; i < N; i++) L.push(`  G${i}: !Not [!Condition G${i - 1}]`);
  for (let i = 0; i < N - 1; i += 3) L.push(`  H${i}: !And [!Condition G${i}, !Condition G${i + 1}]`);
  L.push("Resources:");
  for (let r = 0; r < R; r++) {
    L.push(`  Policy${r}:`, "    Type: AWS::IAM::ManagedPolicy", "    Properties:", "      PolicyDocument:",
           "        Version: \"2012-10-17\"", "        Statement:");
    for (let k = 0; k < S; k++) {
      let i = ((r * S + k) * 3) % (N - 1); i -= i % 3;
      L.push("          - Effect: Allow", `            Action: !If [H${i}, "*", "s3:GetObject"]`,
             `            Resource: !If [G${N - 1 - ((r * S + k) % N)}, "*", "arn:aws:s3:::b/*"]`);
    }
  }
  require("fs").writeFileSync(process.argv[1], L.join("\n") + "\n");' "$chain"
printf '%-44s %10s ms\n' "template, 3,000 chained conditions" "$(mean_ms 3 "$grantlint" check --config none "$chain")"

# One statement with 200,000 unknown global condition keys: a "did you mean" read the global
# keys for each of them (a 56 MB policy of 3M keys took minutes); only the first thousand are
# looked for now.
node -e '
  const keys = {};
  for (let i = 0; i < 200000; i++) keys[`aws:Unknownkey${i}`] = "x";
  const doc = {Version: "2012-10-17", Statement: [{Effect: "Allow", Action: "s3:GetObject", Resource: "*",
                                                   Condition: {StringEquals: keys}}]};
  require("fs").writeFileSync(process.argv[1], JSON.stringify(doc));' "$keys"
printf '%-44s %10s ms\n' "policy, 200,000 unknown condition keys" "$(mean_ms 3 "$grantlint" check --config none "$keys")"
# The same keys under `ForAllValues:` in an Allow: each asked whether a `Null` condition of its
# statement requires it present (was a walk of all the statement's conditions per key: >100 s).
sed -i 's/"StringEquals"/"ForAllValues:StringEquals"/' "$keys"
printf '%-44s %10s ms\n' "policy, 200,000 ForAllValues keys" "$(mean_ms 3 "$grantlint" check --config none "$keys")"
# A resource and a condition value each of 80,000 nested policy variables (`${${…}}`): each
# `${` was checked up to the same first `}` (quadratic: 19 s); a variable now ends at its `}`.
node -e '
  const v = "arn:aws:s3:::b/" + "${".repeat(80000) + "aws:username" + "}".repeat(80000);
  const doc = {Version: "2012-10-17", Statement: [{Effect: "Allow", Action: "s3:GetObject", Resource: v,
                                                   Condition: {StringLike: {"s3:prefix": v}}}]};
  require("fs").writeFileSync(process.argv[1], JSON.stringify(doc));' "$keys"
printf '%-44s %10s ms\n' "policy, 80,000 nested policy variables" "$(mean_ms 3 "$grantlint" check --config none "$keys")"
# One Principal listing 60,000 roles and a session of each (RED004): each session was compared
# with every value of the list (quadratic: 52 s); the roles are now looked up by name.
node -e '
  const aws = [];
  for (let i = 0; i < 60000; i++) aws.push(`arn:aws:iam::111122223333:role/r${i}`);
  for (let i = 0; i < 60000; i++) aws.push(`arn:aws:sts::111122223333:assumed-role/r${i}/s`);
  const doc = {Version: "2012-10-17", Statement: [{Effect: "Allow", Principal: {AWS: aws}, Action: "s3:GetObject",
                                                   Resource: "arn:aws:s3:::b/*"}]};
  require("fs").writeFileSync(process.argv[1], JSON.stringify(doc));' "$keys"
printf '%-44s %10s ms\n' "policy, 60,000 roles and their sessions" "$(mean_ms 3 "$grantlint" check --config none "$keys")"
