#!/usr/bin/env bash
# Offline test of scripts/collect-glue-snapshot.sh: runs it with tests/glue/fake-aws/aws first
# on PATH, serving policies/glue/sample, and checks the snapshot it writes.
#   bash tests/glue/collect_test.sh
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
collector=$root/scripts/collect-glue-snapshot.sh
sample=$root/policies/glue/sample
fake_dir=$here/fake-aws

tmp=$(mktemp -d "${TMPDIR:-/tmp}/glue-collect-test.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok - $*"; }

for f in "$collector" "$fake_dir/aws" "$sample/manifest.json"; do
  [ -e "$f" ] || { echo "FAIL: missing $f" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "FAIL: python3 is needed" >&2; exit 1; }

# collect NAME SNAPSHOT DENY ARGS...: runs the collector with the fake aws; sets $rc;
# stdout/stderr/log in $tmp/NAME.{stdout,stderr,log}.
collect() {
  local name=$1 snapshot=$2 deny=$3; shift 3
  rc=0
  env PATH="$fake_dir:$PATH" FAKE_AWS_SNAPSHOT="$snapshot" FAKE_AWS_DENY="$deny" \
    FAKE_AWS_LOG="$tmp/$name.log" \
    bash "$collector" "$@" >"$tmp/$name.stdout" 2>"$tmp/$name.stderr" || rc=$?
}

show_stderr() { sed 's/^/    | /' "$tmp/$1.stderr" >&2; }

# compare SAMPLE OUT [MISSING_GLOB...] -- [EXTRA_GLOB...]: every file of SAMPLE but manifest.json
# must be in OUT byte-identical or JSON-equal, except those matching a MISSING glob, which must
# be absent; OUT must hold nothing else but manifest.json and files matching an EXTRA glob.
# Prints one line per problem; exit status 1 if there was any.
compare() {
  python3 - "$@" <<'EOF'
import fnmatch, json, os, sys
sample, out = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
sep = rest.index("--") if "--" in rest else len(rest)
missing, extra = rest[:sep], rest[sep + 1:]

def files(top):
    found = set()
    for d, dirs, names in os.walk(top):
        for n in names:
            found.add(os.path.relpath(os.path.join(d, n), top))
    return found

def matches(path, globs):
    return any(fnmatch.fnmatchcase(path, g) for g in globs)

problems = []
want, got = files(sample) - {"manifest.json"}, files(out)
for rel in sorted(want):
    if matches(rel, missing):
        if rel in got:
            problems.append("%s should not exist" % rel)
        continue
    if rel not in got:
        problems.append("%s is missing" % rel)
        continue
    a = open(os.path.join(sample, rel), "rb").read()
    b = open(os.path.join(out, rel), "rb").read()
    if a != b:
        try:
            same = json.loads(a) == json.loads(b)
        except ValueError as e:
            same = False
            problems.append("%s: not JSON (%s)" % (rel, e))
        if not same:
            problems.append("%s differs from the sample" % rel)
for rel in sorted(got - want - {"manifest.json"}):
    if not matches(rel, extra):
        problems.append("unexpected file %s" % rel)
if "manifest.json" not in got:
    problems.append("manifest.json is missing")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
}

# check_manifest OUT ACCOUNT REGION PARTITION
check_manifest() {
  python3 - "$@" <<'EOF'
import datetime, json, sys
out, account, region, partition = sys.argv[1:5]
problems = []
try:
    m = json.load(open(out + "/manifest.json", encoding="utf-8"))
except Exception as e:
    print("manifest.json unreadable: %s" % e)
    sys.exit(1)
want = {"format": "glue-kms-snapshot", "format_version": 1, "account_id": account,
        "partition": partition, "region": region, "collector": "collect-glue-snapshot.sh"}
for k, v in want.items():
    if m.get(k) != v:
        problems.append("manifest %s = %r, want %r" % (k, m.get(k), v))
try:
    t = datetime.datetime.fromisoformat(str(m.get("collected_at")).replace("Z", "+00:00"))
    if t.utcoffset() != datetime.timedelta(0):
        problems.append("manifest collected_at %r is not UTC" % m.get("collected_at"))
except ValueError:
    problems.append("manifest collected_at %r is not ISO 8601" % m.get("collected_at"))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
}

key_ids=()
while IFS= read -r -d '' k; do key_ids+=("$k"); done < <(
  python3 -c 'import json,sys
for k in json.load(open(sys.argv[1]))["Keys"]: sys.stdout.write(k["KeyId"] + "\0")' "$sample/kms/list-keys.json")
[ "${#key_ids[@]}" -gt 0 ] || { echo "FAIL: no keys in the sample's list-keys.json" >&2; exit 1; }

# ---------------------------------------------------------------- (a) everything readable
out=$tmp/a
collect a "$sample" "" --region us-east-1 "$out"
if [ "$rc" -eq 0 ]; then ok "(a) full run exits 0"; else fail "(a) full run exited $rc, want 0"; show_stderr a; fi
if problems=$(compare "$sample" "$out"); then
  ok "(a) all $(find "$sample" -type f ! -name manifest.json | wc -l) sample files reproduced, nothing else written"
else
  fail "(a) snapshot differs from the sample:"; printf '    %s\n' "$problems" >&2
fi
if problems=$(check_manifest "$out" 111122223333 us-east-1 aws); then
  ok "(a) manifest.json: account, region, partition, format, collected_at"
else
  fail "(a) $problems"
fi
if grep -q 'warning' "$tmp/a.stderr"; then fail "(a) warnings on a clean run:"; show_stderr a; else ok "(a) no warnings"; fi
# how the CLI was called (one logged line per call, shell-quoted)
log=$tmp/a.log
if [ -s "$log" ] && ! grep -v -- '--version' "$log" | grep -v -e '--output json' -e '--output=json' | grep -q .; then
  ok "(a) every call asks for --output json"
else fail "(a) a call without --output json (or no log):"; sed 's/^/    /' "$log" >&2; fi
if ! grep -v -- '--version' "$log" | grep -v -e '--region us-east-1' | grep -q .; then
  ok "(a) every call passes --region us-east-1"
else fail "(a) a call without --region us-east-1"; fi
if grep -q -- '--no-paginate' "$log"; then fail "(a) --no-paginate was passed"; else ok "(a) --no-paginate never passed"; fi
if grep 'get-connections' "$log" | grep -q -- '--hide-password'; then ok "(a) get-connections --hide-password"
else fail "(a) get-connections without --hide-password"; fi
n_policy=$(grep -c 'get-key-policy.*--policy-name default' "$log" || true)
if [ "$n_policy" -eq "${#key_ids[@]}" ]; then ok "(a) get-key-policy --policy-name default for each of the ${#key_ids[@]} keys"
else fail "(a) $n_policy get-key-policy --policy-name default calls for ${#key_ids[@]} keys"; fi

# ---------------------------------------------------------------- (b) AccessDenied, keep going
out=$tmp/b
collect b "$sample" "get-dev-endpoints get-key-policy" --region us-east-1 "$out"
if [ "$rc" -eq 2 ]; then ok "(b) run with denied calls exits 2"; else fail "(b) exited $rc, want 2"; show_stderr b; fi
if problems=$(compare "$sample" "$out" 'glue/get-dev-endpoints.json' 'kms/keys/*/get-key-policy.json' \
                -- 'glue/get-dev-endpoints.err' 'kms/keys/*/get-key-policy.err'); then
  ok "(b) all other files still there, the denied ones absent"
else
  fail "(b) snapshot with denied calls:"; printf '    %s\n' "$problems" >&2
fi
check_err() {  # CASE FILE COMMAND_WORD
  if [ ! -f "$2" ]; then fail "($1) ${2#"$tmp"/} is missing"
  elif ! grep -q 'AccessDenied' "$2"; then fail "($1) ${2#"$tmp"/} lacks the AccessDenied text"; sed 's/^/    | /' "$2" >&2
  elif ! grep -q "^command: aws .*$3" "$2"; then fail "($1) ${2#"$tmp"/} does not name the command"; sed 's/^/    | /' "$2" >&2
  else return 0
  fi
  return 1
}
bad=0
check_err b "$out/glue/get-dev-endpoints.err" get-dev-endpoints || bad=1
for k in "${key_ids[@]}"; do check_err b "$out/kms/keys/$k/get-key-policy.err" get-key-policy || bad=1; done
[ "$bad" -ne 0 ] || ok "(b) glue/get-dev-endpoints.err and ${#key_ids[@]} kms/keys/<id>/get-key-policy.err hold the command and AccessDenied"
if [ ! -e "$out/glue/get-dev-endpoints.json" ]; then ok "(b) glue/get-dev-endpoints.json not written"
else fail "(b) glue/get-dev-endpoints.json exists"; fi
n_warn=$(grep -c 'warning:' "$tmp/b.stderr" || true)
if [ "$n_warn" -eq $((1 + ${#key_ids[@]})) ]; then ok "(b) one warning line per denied call ($n_warn)"
else fail "(b) $n_warn warning lines, want $((1 + ${#key_ids[@]}))"; show_stderr b; fi
if problems=$(check_manifest "$out" 111122223333 us-east-1 aws); then ok "(b) manifest.json written"
else fail "(b) $problems"; fi

# ---------------------------------------------------------------- (c) usage errors
collect c1 "$sample" ""
if [ "$rc" -eq 1 ] && grep -q usage "$tmp/c1.stderr"; then ok "(c) no arguments: usage, exit 1"
else fail "(c) no arguments exited $rc, want 1 with usage"; show_stderr c1; fi
collect c2 "$sample" "" "$tmp/c2"
if [ "$rc" -eq 1 ] && [ ! -e "$tmp/c2" ]; then ok "(c) no --region: exit 1, nothing written"
else fail "(c) no --region exited $rc, want 1"; fi
collect c3 "$sample" "" --region us-east-1 --bogus "$tmp/c3"
if [ "$rc" -eq 1 ]; then ok "(c) unknown option: exit 1"; else fail "(c) unknown option exited $rc, want 1"; fi
mkdir -p "$tmp/c4" && : >"$tmp/c4/old-file"
collect c4 "$sample" "" --region us-east-1 "$tmp/c4"
if [ "$rc" -eq 1 ] && [ ! -e "$tmp/c4/sts" ]; then ok "(c) non-empty OUT_DIR refused: exit 1"
else fail "(c) non-empty OUT_DIR exited $rc, want 1"; fi
collect c5 "$sample" "get-caller-identity" --region us-east-1 "$tmp/c5"
if [ "$rc" -eq 1 ] && grep -q AccessDenied "$tmp/c5/sts/get-caller-identity.err" 2>/dev/null &&
   [ ! -e "$tmp/c5/manifest.json" ] && [ ! -e "$tmp/c5/iam" ]; then
  ok "(c) sts get-caller-identity denied: exit 1, sts/get-caller-identity.err, nothing else"
else fail "(c) sts denied exited $rc, want 1 with sts/get-caller-identity.err"; show_stderr c5; fi

# ---------------------------------------------------------------- (d) list-keys / describe-vpcs denied
out=$tmp/d
collect d "$sample" "list-keys,describe-vpcs" --region us-east-1 --profile audit "$out"
if [ "$rc" -eq 2 ]; then ok "(d) list-keys and describe-vpcs denied: exit 2"; else fail "(d) exited $rc, want 2"; show_stderr d; fi
if problems=$(compare "$sample" "$out" 'kms/list-keys.json' 'ec2/vpc-attributes/*' -- 'kms/list-keys.err' 'ec2/describe-vpcs.err'); then
  ok "(d) keys still described via list-aliases' TargetKeyId; list-keys.err, describe-vpcs.err"
else fail "(d) snapshot:"; printf '    %s\n' "$problems" >&2; fi
if ! grep -v -- '--version' "$tmp/d.log" | grep -v -e '--profile audit' | grep -q .; then ok "(d) every call passes --profile audit"
else fail "(d) a call without --profile audit"; fi

# ---------------------------------------------------------------- (e) ids with unusual characters
odd=$tmp/odd-sample
cp -R "$sample" "$odd"
odd_key=$'-odd key $(touch PWNED) *\'"\\\nnext'
odd_vpc=$'vpc odd;$HOME `id` *'
mv "$odd/kms/keys/${key_ids[0]}" "$odd/kms/keys/$odd_key"
vpc0=$(find "$sample/ec2/vpc-attributes" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)
mv "$odd/ec2/vpc-attributes/$(basename "$vpc0")" "$odd/ec2/vpc-attributes/$odd_vpc"
python3 - "$odd/kms/list-keys.json" "${key_ids[0]}" "$odd_key" <<'EOF'
import json, sys
path, old, new = sys.argv[1:4]
d = json.load(open(path))
for k in d["Keys"]:
    if k["KeyId"] == old:
        k["KeyId"] = new
open(path, "w").write(json.dumps(d, indent=4) + "\n")
EOF
out=$tmp/e
cd "$tmp" || exit 1   # where a wrongly executed $(touch PWNED) would leave its file
collect e "$odd" "" --region us-east-1 "$out"
if [ "$rc" -eq 0 ]; then ok "(e) odd key/VPC ids: exit 0"; else fail "(e) odd ids exited $rc, want 0"; show_stderr e; fi
if problems=$(compare "$odd" "$out"); then
  ok "(e) odd key/VPC ids reproduced (quotes, spaces, \$(), globs, newline, leading dash)"
else fail "(e) odd ids:"; printf '    %s\n' "$problems" >&2; fi
if [ -e "$tmp/PWNED" ] || [ -e "$root/PWNED" ]; then fail "(e) an id was executed as a command"; fi
# an id that would leave its directory is skipped, recorded as a failure, and nothing escapes
python3 - "$odd/kms/list-keys.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["Keys"].append({"KeyId": "../../escape", "KeyArn": "arn:aws:kms:us-east-1:111122223333:key/x"})
open(sys.argv[1], "w").write(json.dumps(d, indent=4) + "\n")
EOF
collect e3 "$odd" "" --region us-east-1 "$tmp/e3/out"
if [ "$rc" -eq 2 ] && [ ! -e "$tmp/e3/escape" ] && [ ! -e "$tmp/escape" ] && grep -q 'skipping key id' "$tmp/e3.stderr"; then
  ok "(e) a key id with '/' is skipped with a warning, exit 2"
else fail "(e) key id '../../escape': exit $rc"; show_stderr e3; fi

echo
if [ "$failures" -ne 0 ]; then
  echo "collect_test: $failures failure(s)" >&2
  exit 1
fi
echo "collect_test: all passed"
