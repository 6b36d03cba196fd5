#!/usr/bin/env bash
# A scan under limits the process cannot change: an address space (`ulimit -v`), a number of
# processes (`ulimit -u`) and a stack (`ulimit -s`). Each run ends with a report or a located
# error, never an abort.
# Not run in the sanitized build, whose shadow memory needs terabytes of address space.
#   limits_test.sh GRANTLINT
set -u
grantlint=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
count_acc101() {  # count_acc101 REPORT.json: its ACC101 findings, empty when it does not read
  python3 -c "import json,sys; print(sum(f['ruleId'] == 'ACC101' for f in json.load(open(sys.argv[1]))['findings']))" \
    "$1" 2>/dev/null
}
python3 - "$work/export.json" <<'PY'
import json, sys
admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
users = [{"UserName": f"u{i}", "Arn": f"arn:aws:iam::111122223333:user/u{i}",
          "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": admin}], "GroupList": [], "AttachedManagedPolicies": []}
         for i in range(6)]
json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [], "Policies": [], "IsTruncated": False},
          open(sys.argv[1], "w"), indent=1)
PY
chmod 777 "$work"  # nobody writes the report below
chmod 644 "$work/export.json"

# glibc loads its unwinder when a thread first unwinds; under a tight address space that load
# failed and aborted the process (hostile26b F10). Exit 2 (not enough memory) is fine.
for threads in 1 2; do
  for kb in 20000 25000 30000 35000 40000 60000; do
    (ulimit -v $kb; "$grantlint" scan --threads $threads --format json -o "$work/out.json" "$work/export.json" \
       >"$work/err" 2>&1)
    rc=$?
    if [ $rc -gt 2 ]; then
      echo "FAIL: scan --threads $threads under ulimit -v $kb: exit $rc: $(head -c 200 "$work/err")"
      failures=$((failures + 1))
    fi
  done
done

# A worker thread that cannot start leaves its share to the calling thread (hostile26b F11).
# Root ignores the limit on processes: the run is made as nobody.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  for threads in 1 4; do
    rm -f "$work/out.json"
    (ulimit -u 1; "${as_nobody[@]}" "$grantlint" scan --threads $threads --format json -o "$work/out.json" \
       "$work/export.json" 2>"$work/err")
    found=$(count_acc101 "$work/out.json")
    if [ "$found" != 6 ]; then
      echo "FAIL: scan --threads $threads under ulimit -u 1: ${found:-no report}, 6 ACC101 expected: $(head -c 200 "$work/err")"
      failures=$((failures + 1))
    fi
  done
else
  echo "note: not root or no setpriv: the limit on processes is not tried"
fi

# Reading recurses once per level of nesting (256 at most): each thread gets a stack of its own
# whatever `ulimit -s` says, where a 96 KB limit made a 250-deep policy a segmentation fault
# (hostile h48 L12). The export holds the same policy in a seventh user.
python3 - "$work/deep.json" "$work/deep_export.json" "$work/export.json" <<'PY'
import json, sys
deep = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", ' \
       '"Condition": {"StringEquals": {"aws:PrincipalTag/team": ' + '[' * 250 + '"a"' + ']' * 250 + '}}}]}'
open(sys.argv[1], "w").write(deep)
export = json.load(open(sys.argv[3]))
user = dict(export["UserDetailList"][0], UserName="deep", Arn="arn:aws:iam::111122223333:user/deep")
text = json.dumps(export["UserDetailList"] + [user])
export_text = json.dumps(dict(export, UserDetailList=[])).replace('"UserDetailList": []', '"UserDetailList": ' + text)
export_text = export_text.replace('"UserName": "deep", "Arn": "arn:aws:iam::111122223333:user/deep", '
                                  '"UserPolicyList": [{"PolicyName": "p", "PolicyDocument": '
                                  + json.dumps(user["UserPolicyList"][0]["PolicyDocument"]),
                                  '"UserName": "deep", "Arn": "arn:aws:iam::111122223333:user/deep", '
                                  '"UserPolicyList": [{"PolicyName": "p", "PolicyDocument": ' + deep)
assert deep in export_text
open(sys.argv[2], "w").write(export_text)
PY
for kb in 32 96; do
  (ulimit -s $kb; "$grantlint" check --format json "$work/deep.json" >"$work/out.json" 2>"$work/err")
  rc=$?
  found=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/out.json" 2>/dev/null)
  if [ $rc != 1 ] || [ "${found:-0}" = 0 ]; then
    echo "FAIL: check of a 250-deep policy under ulimit -s $kb: exit $rc, ${found:-no} findings: $(head -c 200 "$work/err")"
    failures=$((failures + 1))
  fi
  for threads in 1 2; do
    rm -f "$work/out.json"
    (ulimit -s $kb; "$grantlint" scan --threads $threads --format json -o "$work/out.json" "$work/deep_export.json" \
       2>"$work/err")
    found=$(count_acc101 "$work/out.json")
    if [ "$found" != 7 ]; then
      echo "FAIL: scan --threads $threads under ulimit -s $kb: ${found:-no report}, 7 ACC101 expected: $(head -c 200 "$work/err")"
      failures=$((failures + 1))
    fi
  done
done

if [ "$failures" -gt 0 ]; then
  echo "$failures limits checks failed"
  exit 1
fi
echo "limits checks passed"
