#!/usr/bin/env bash
# The bad inputs of issue 6 through the executable, each beside a good neighbour: each ends in
# an error at its file, line and column (or names the path that cannot be read), the
# neighbour's findings are still reported, and the run stays within a stated time and peak
# memory. The sanitized build runs the same cases with the export of a million users cut to
# 100,000 and no memory bound (its shadow memory is not grantlint's).
#   hostile_test.sh GRANTLINT [SANITIZED]
set -u
grantlint=$(realpath "$1")
sanitized=${2:-0}
. "$(dirname "$0")/lib.sh"
chmod 755 "$work"  # nobody reads some of it below

# measure SECONDS MAX_MB DESCRIPTION -- COMMAND...: runs COMMAND (stdout in $work/out, stderr in
# $work/err) and fails on a signal, an exit above 2, more than SECONDS (ten times as many in the
# slower sanitized build) or a peak above MAX_MB. Sets $status.
cat >"$work/measure.py" <<'PY'
import resource, subprocess, sys, time
seconds, out, err = float(sys.argv[1]), sys.argv[2], sys.argv[3]
start = time.monotonic()
with open(out, "wb") as o, open(err, "wb") as e:
    try:
        rc = subprocess.run(sys.argv[4:], stdout=o, stderr=e, timeout=seconds).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
    except OSError as error:
        rc = f"none ({error.strerror})".replace(" ", "_")
print(rc, f"{time.monotonic() - start:.2f}", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
measure() {
  local seconds=$1 max_mb=$2 what=$3
  shift 4
  [ "$sanitized" = 0 ] || seconds=$((seconds * 10))
  local elapsed peak
  read -r status elapsed peak < <(python3 "$work/measure.py" "$seconds" "$work/out" "$work/err" "$@")
  if ! [[ "$status" =~ ^[0-2]$ ]]; then
    echo "FAIL: $what: exit $status after $elapsed s (a crash, a signal or past $seconds s)"
    sed 's/^/  err: /' "$work/err" | head -20
    failures=$((failures + 1))
  elif [ "$sanitized" = 0 ] && [ "$peak" -gt "$max_mb" ]; then
    echo "FAIL: $what: peak memory $peak MB, more than $max_mb MB"
    failures=$((failures + 1))
  else
    echo "ok: $what: exit $status, $elapsed s, $peak MB"
    passes=$((passes + 1))
  fi
}
expect_exit() {  # expect_exit WANT DESCRIPTION: $status of the last measure
  if [ "$status" = "$1" ]; then passes=$((passes + 1)); else
    echo "FAIL: $2: exit $status, expected $1"
    failures=$((failures + 1))
  fi
}

cd "$work"
admin='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
printf '%s' "$admin" >admin.json
neighbour='admin.json:1:65: warning: .* \[GRT001\]'
allowed_everything='warning: user `arn:aws:iam::111122223333:user/u[0-9]+` is allowed everything.*\[ACC101\]'

# An export of three users, each allowed everything by an inline policy; the middle one holds
# an extra member written as the given bytes.
cat >export.py <<'PY'
import sys
out, kind = sys.argv[1], sys.argv[2]
admin = b'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
def user(i, extra=b""):
    return (b'{"UserName":"u%d","UserId":"AIDA%d","Arn":"arn:aws:iam::111122223333:user/u%d",%s'
            b'"UserPolicyList":[{"PolicyName":"p","PolicyDocument":%s}],"GroupList":[],"AttachedManagedPolicies":[]}'
            % (i, i, i, extra, admin))
extra = {
    "deep": b'"Tags":' + b"[" * 100000 + b"]" * 100000 + b",",
    "utf8": b'"Path":"/caf\xe9/",',
    "nul": b'"Path":"/a\x00b/",',
    "numbers": b'"Count":1e999999,"Big":' + b"9" * 400 + b",",
}[kind]
open(out, "wb").write(b'{"UserDetailList":[\n' + user(0) + b",\n" + user(1, extra) + b",\n" + user(2) +
                      b'\n],"GroupDetailList":[],"RoleDetailList":[],"Policies":[],"IsTruncated":false}\n')
PY

# Nesting 100,000 levels deep: in a policy (walked beside a good one) and in an export element.
mkdir walk
cp admin.json walk/
python3 -c "import sys; n = 100000; sys.stdout.write('{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",'
  '\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":' + '[' * n + ']' * n + '}]}')" >walk/deep.json
measure 20 200 "a policy nested 100,000 deep, walked" -- "$grantlint" check walk
expect_exit 1 "a policy nested 100,000 deep"
expect_grep out '^walk/deep.json:1:360: error: JSON nested more than 256 levels deep.*\[JSON005\]' "deep policy located"
expect_grep out "^walk/$neighbour" "the policy beside the deep one"

# An export element that is broken (nested too deep) is located, and the users on either side
# of it are analysed; one with a byte no string may hold (not UTF-8, a NUL) is read with `_` in
# its place (h44 M1: the user was lost); huge numbers are valid JSON and break nothing.
expected_error() {
  case $1 in
    deep) echo '^deep.json:3:339: error: JSON nested more than 256 levels deep; the element is not analysed \[JSON005\]' ;;
    utf8) echo '^utf8.json:3:89: error: invalid UTF-8 byte 0xE9 inside a string, and AWS refuses it; the element is read with `_` in its place \[JSON001\]' ;;
    nul) echo '^nul.json:3:87: error: control character U\+0000 must be escaped inside a string, and AWS refuses it; the element is read with `_` in its place \[JSON001\]' ;;
    numbers) echo '^0 errors, 6 warnings' ;;
  esac
}
for kind in deep utf8 nul numbers; do
  python3 export.py "$kind.json" "$kind"
  measure 20 200 "an export with a $kind element" -- "$grantlint" scan "$kind.json"
  expect_exit 1 "an export with a $kind element"
  expect_grep out "$(expected_error "$kind")" "$kind: the element located"
  expect_grep out "^$kind.json:2:41: $allowed_everything" "$kind: the user before it"
  expect_grep out "^$kind.json:4:41: $allowed_everything" "$kind: the user after it"
  [ "$kind" = deep ] || expect_grep out "^$kind.json:3:41: $allowed_everything" "$kind: the user itself"
done

# A 100 MiB string: the policy is measured and checked, and its neighbour too.
mkdir big
cp admin.json big/
python3 -c "import sys; sys.stdout.write('{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"' + 'a' * (100 << 20) +
  '\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}')" >big/sid.json
measure 60 1200 "a policy with a 100 MiB Sid" -- "$grantlint" check big
expect_exit 1 "a policy with a 100 MiB Sid"
expect_grep out '^big/sid.json:1:1: error: the policy is 104857694 characters without white space.*\[POL010\]' "100 MiB: size"
expect_grep out '^big/sid.json:1:104857674: warning: .*\[GRT001\]' "100 MiB: its statement still checked"
expect_grep out "^big/$neighbour" "100 MiB: the policy beside it"
rm -r big

# Numbers no condition operator can hold: located, and the rest checked.
python3 -c "import sys; sys.stdout.write('{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",'
  '\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":[1e999999,' +
  '9' * 400 + ']}}}]}')" >numbers.json
measure 20 200 "huge numbers in a condition" -- "$grantlint" check numbers.json admin.json
expect_grep out '^numbers.json:1:142: error: `1e999999` is not a value `NumericLessThan` can compare.*\[CON003\]' "1e999999"
expect_grep out '^numbers.json:1:151: error: `9999.*` \(400 bytes\) is not a value `NumericLessThan`.*\[CON003\]' \
  "a 400-digit integer"
expect_grep out "^$neighbour" "huge numbers: the policy beside them"

# A binary file (the same bytes every run), named: a JSON error at 1:1 for `check`, not an
# export for `scan`; the file beside it is reported either way.
python3 -c "import sys; sys.stdout.buffer.write(bytes([0xA5]) + bytes((i * 167 + 13) % 256 for i in range(4095)))" \
  >binary.json
measure 20 200 "a binary file named to check" -- "$grantlint" check binary.json admin.json
expect_exit 1 "a binary file named to check"
expect_grep out '^binary.json:1:1: error: expected a value, found byte 0xA5 \[JSON001\]' "binary: located"
expect_grep out "^$neighbour" "binary: the policy beside it"
measure 20 200 "a binary file named to scan" -- "$grantlint" scan binary.json utf8.json
expect_exit 1 "a binary file named to scan"
expect_grep out '^binary.json:1:1: error: this file is not `aws iam get-account-authorization-details` output.*\[ACC001\]' \
  "binary scan: not an export"
expect_count out "^utf8.json:[24]:41: $allowed_everything" 2 "binary scan: the export beside it"

# Links in a loop: a file that links to itself through another is named and not read; a
# directory that links to its parent is not walked again. Named, each is an error too.
mkdir -p loop/sub
cp admin.json loop/
ln -s b.json loop/a.json
ln -s a.json loop/b.json
ln -s .. loop/sub/up
measure 20 200 "links in a loop, walked" -- "$grantlint" check loop
expect_exit 2 "links in a loop, walked"
expect_grep err '^grantlint: error: cannot read `loop/a.json`: Too many levels of symbolic links' "loop: a.json named"
expect_grep err '^grantlint: error: cannot read `loop/b.json`: Too many levels of symbolic links' "loop: b.json named"
expect_count out '^loop/admin.json:1:65: .*\[GRT001\]' 1 "loop: the policy beside them, once"
absent out 'sub/up' "loop: the directory link not followed"
measure 20 200 "a link loop named to check" -- "$grantlint" check loop/a.json admin.json
expect_exit 2 "a link loop named to check"
expect_grep err '^grantlint: error: cannot open `loop/a.json`: Too many levels of symbolic links' "named loop: the error"
expect_grep out "^$neighbour" "named loop: the policy beside it"
measure 20 200 "a link loop named to scan" -- "$grantlint" scan loop/a.json utf8.json
expect_exit 2 "a link loop named to scan"
expect_grep err '^grantlint: error: cannot open `loop/a.json`: Too many levels of symbolic links' "scan loop: the error"
expect_count out "^utf8.json:[24]:41: $allowed_everything" 2 "scan loop: the export beside it"

# Files and directories that may not be read (as nobody: root reads anything).
mkdir -p locked/closed
cp admin.json locked/
cp admin.json locked/secret.json
cp admin.json locked/closed/inner.json
chmod 000 locked/secret.json locked/closed
as_user=()
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); else as_user=(skip); fi
fi
if [ "${as_user[*]}" = skip ]; then
  echo "note: root without setpriv: unreadable files are not tried"
else
  measure 20 200 "unreadable files, walked" -- "${as_user[@]}" "$grantlint" check locked
  expect_exit 2 "unreadable files, walked"
  expect_grep err '^grantlint: error: cannot open `locked/secret.json`: Permission denied' "unreadable file named"
  expect_grep err '^grantlint: error: cannot read directory `locked/closed`: Permission denied' "unreadable directory named"
  expect_grep out '^locked/admin.json:1:65: .*\[GRT001\]' "unreadable: the policy beside them"
  measure 20 200 "an unreadable export named to scan" -- "${as_user[@]}" "$grantlint" scan locked/secret.json utf8.json
  expect_exit 2 "an unreadable export named to scan"
  expect_grep err '^grantlint: error: cannot open `locked/secret.json`: Permission denied' "unreadable export named"
  expect_count out "^utf8.json:[24]:41: $allowed_everything" 2 "unreadable export: the export beside it"
fi
chmod 755 locked/closed

# A report to a socket: open() refuses it as it does a named pipe without a reader, but it is
# named for what it is (h44 L1: the message spoke of a 5 s wait that never happened).
python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('report.sock')"
measure 20 200 "a report written to a socket" -- "$grantlint" check admin.json -o report.sock
expect_exit 2 "a report written to a socket"
expect_grep err "cannot write \`report.sock\`: a socket, not a file" "socket: named for what it is"
# And one read: a socket named as input, configuration or baseline (h45 low 11: "No such device
# or address").
measure 20 200 "a socket read" -- "$grantlint" check report.sock admin.json
expect_exit 2 "a socket read"
expect_grep err "cannot read \`report.sock\`: a socket, not a file" "socket read: named for what it is"
expect_grep out "$neighbour" "socket read: the neighbour is still reported"
measure 20 200 "a socket as baseline" -- "$grantlint" check admin.json --baseline report.sock
expect_grep err "cannot read \`report.sock\`: a socket, not a file" "socket baseline: named for what it is"
# A 5 KB path that cannot be read is quoted cut in an error (h47 L1: whole).
long_path=$(python3 -c "print('/'.join(['d' * 250] * 20) + '.json')")
measure 20 200 "a 5 KB baseline path" -- "$grantlint" check admin.json --baseline "$long_path"
absent err '^.{1000}' "a 5 KB path: cut in the error"
expect_grep err 'cannot open `d+…` \([0-9]+ bytes\)' "a 5 KB path: the error names it, cut"
# Named to `scan`, or met in a walk, alike (h47 L2: "not a regular file").
measure 20 200 "a socket scanned" -- "$grantlint" scan report.sock
expect_grep err "cannot read \`report.sock\`: a socket, not a file" "socket scanned: named for what it is"
mkdir sockets
python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('sockets/s.json')"
measure 20 200 "a socket walked" -- "$grantlint" check sockets
expect_grep err "cannot read \`sockets/s.json\`: a socket, not a file" "socket walked: named for what it is"
rm -r sockets

# A template behind a first YAML document that is not one is said to be lost, in a walk too
# (h44 H4: the walk said nothing); a workflow of two documents stays quiet.
mkdir yaml
printf -- '--- null\n---\nAWSTemplateFormatVersion: "2010-09-09"\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n' \
  >yaml/template.yaml
printf 'name: ci\n---\nother: document\n' >yaml/workflow.yaml
measure 20 200 "a template in a second YAML document, walked" -- "$grantlint" check yaml
expect_exit 1 "a template in a second YAML document, walked"
expect_grep out '^yaml/template.yaml:2:1: error: a later YAML document, starting here, is a CloudFormation template.*\[TPL001\]' \
  "second document: said"
absent out 'workflow' "second document: a workflow stays quiet"
# The template may be the third document, its type written with an escape, which only a YAML
# reader decodes (h45: a search of the text for `AWS::` missed it, and the walk said nothing).
printf -- 'foo: 1\n---\nbar: 2\n---\nResources: {P: {Type: "\\x41WS::IAM::ManagedPolicy", Properties: {PolicyDocument: %s}}}\n' \
  '{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}' >yaml/escaped.yaml
measure 20 200 "an escaped template in a third YAML document, walked" -- "$grantlint" check yaml
expect_grep out '^yaml/escaped.yaml:4:1: error: a later YAML document, starting here, is a CloudFormation template' \
  "third document, escaped type: said where it starts"
# Many documents: each of the first 10,000 is parsed on its own in time linear in the file (an
# escaped type in the 9,999th is found), and past them the text is searched, the finding placed
# at the document that holds the template (h46: the 66th document's start was named).
python3 - <<'PY'
template = 'Resources: {P: {Type: "%s", Properties: {PolicyDocument: ' \
           '{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}}}\n'
with open("yaml/many_escaped.yaml", "w", encoding="utf-8") as f:
    f.write("---\n".join(["name: \u00e9%d\n" % i for i in range(9998)] + [template % "\\x41WS::IAM::ManagedPolicy"]))
with open("yaml/many_plain.yaml", "w", encoding="utf-8") as f:
    f.write("---\n".join(["name: \u00e9%d\n" % i for i in range(200000)] + [template % "AWS::IAM::ManagedPolicy"]))
PY
measure 20 200 "a template behind 9,998 or 200,000 YAML documents, walked" -- "$grantlint" check yaml
expect_grep out '^yaml/many_escaped.yaml:19996:1: error: a later YAML document, starting here, is a CloudFormation template' \
  "9,999th document, escaped type: found and placed"
expect_grep out '^yaml/many_plain.yaml:400000:1: error: a later YAML document, starting here, is a CloudFormation template' \
  "200,001st document: found by its text and placed at its start"
# Those documents share one budget of values, as one document has: 1,000 small alias bombs (each
# 900,000 values) before a template took 41 s when each had its own (h47 H1).
python3 - <<'PY'
bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcd", "bcde")) + "f: [" + ", ".join(["*e"] * 9) + "]\n"
template = ('---\nAWSTemplateFormatVersion: "2010-09-09"\nResources: {P: {Type: AWS::IAM::ManagedPolicy, Properties: '
            '{PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}}}\n')
with open("yaml/bombs.yaml", "w") as f:
    f.write("name: not a template\n" + bomb * 1000 + template)
PY
measure 20 400 "1,000 alias bombs in YAML documents before a template" -- "$grantlint" check yaml/bombs.yaml
expect_grep out '^yaml/bombs.yaml:[0-9]+:1: error: a later YAML document, starting here, is a CloudFormation template' \
  "alias bombs before a template: the template is still found"

# Templates whose functions or conditions multiply the work (h45): a thousand statements each
# naming a 300 KB value built by `Fn::Sub`s nested in `Fn::Sub` variable maps (2.7 GB and 26 s
# before the template's 16 MB allowance for built text); 4,000 comparisons of one parameter,
# each an `Fn::If` of its own, and a chain of 4,000 `Fn::Or`s (42 s and over a minute before the
# template's budget for varying its conditions). Each ends in a TPL003 note, and the grant
# beside them is still found.
mkdir templates
python3 - <<'PY'
import json
def sub(level):
    return "arn:aws:s3:::bucket" if level == 0 else {"Fn::Sub": ["${A}${A}${A}${A}", {"A": sub(level - 1)}]}
statements = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": sub(7)} for _ in range(1000)]
statements.append({"Effect": "Allow", "Action": "*", "Resource": "*"})
json.dump({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",
                               "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}}}},
          open("templates/sub.json", "w"))
policy = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n" \
         "        Version: '2012-10-17'\n        Statement:\n"
admin = "          - {Effect: Allow, Action: '*', Resource: '*'}\n"
with open("templates/flat.yaml", "w") as f:
    f.write("Parameters:\n  Env: {Type: String}\nConditions:\n")
    f.writelines(f"  C{i}: !Equals [!Ref Env, v{i}]\n" for i in range(4000))
    f.write(policy + admin)
    f.writelines(f"          - {{Effect: Allow, Action: !If [C{i}, 's3:GetObject', 's3:PutObject'], Resource: '*'}}\n"
                 for i in range(4000))
with open("templates/chain.yaml", "w") as f:
    f.write("Parameters:\n  Env: {Type: String}\nConditions:\n")
    f.writelines(f"  C{i}: !Or [!Condition C{i + 1}, !Equals [!Ref Env, v{i}]]\n" for i in range(3999))
    f.write("  C3999: !Equals [!Ref Env, last]\n")
    f.write(policy + admin + "          - {Effect: Allow, Action: !If [C0, 's3:GetObject', 's3:PutObject'], Resource: '*'}\n")
PY
measure 30 800 "1,000 statements of nested Fn::Sub, 300 KB each" -- "$grantlint" check --config none templates/sub.json
expect_grep out "^templates/sub.json:.*\`Fn::Sub\` and \`Fn::Join\` built 16 MB of text.*\[TPL003\]" "Fn::Sub: allowance said"
expect_grep out '^templates/sub.json:.*\[GRT001\]' "Fn::Sub: the grant beside it"
for name in flat chain; do
  measure 30 800 "4,000 conditions ($name)" -- "$grantlint" check --config none "templates/$name.yaml"
  expect_grep out "^templates/$name.yaml:.*took 64000000 steps to vary.*\[TPL003\]" "$name conditions: budget said"
  expect_grep out "^templates/$name.yaml:.*\[GRT001\]" "$name conditions: the grant beside them"
done

# A `Transform` naming nothing is CloudFormation's error, not a transform: it hid every finding
# behind a note (h45).
printf 'Transform: ""\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: %s\n' \
  "$admin" >templates/transform.yaml
measure 20 200 "a Transform naming nothing" -- "$grantlint" check --config none templates/transform.yaml
expect_grep out '^templates/transform.yaml:1:12: error: `Transform` takes the name of a transform or macro.*\[TPL002\]' \
  "empty Transform: said"
expect_grep out '^templates/transform.yaml:.*\[GRT001\]' "empty Transform: the policy is analysed"

# Terraform configuration that names IAM policies and does not parse is said when walked (h45),
# and so is one that names them in escapes, broken or not (h46).
mkdir terraform
printf '{"resource": {"aws_iam_policy": {"p": {"policy": "x"}}' >terraform/broken.tf.json
printf '{"resource": {"\\u0061ws_iam_policy": {"p": {"policy": "x"}}}}' >terraform/escaped.tf.json
printf '{"resource": {"aws\\u005fiam_policy": {"p": {"policy": "x"}}' >terraform/escaped_broken.tf.json
printf '{"resource": {"\\u0061ws_s3_bucket": {"b": {}}}}' >terraform/bucket.tf.json
measure 20 200 "a broken .tf.json, walked" -- "$grantlint" check terraform
expect_grep out '^terraform/broken.tf.json:1:.*\[JSON001\]' "broken .tf.json: said"
expect_grep out '^terraform/escaped.tf.json:1:1: warning: this is Terraform configuration.*\[TPL003\]' \
  "escaped aws_iam_ type in a .tf.json: said"
expect_grep out '^terraform/escaped_broken.tf.json:1:.*\[JSON001\]' "escaped aws_iam_ type in a broken .tf.json: said"
absent out 'bucket.tf.json' "a .tf.json without IAM stays quiet"

# Thirty excludes and thirty suppressions of 3.9 KB globs (under the 4,096 limit, each
# different, each passing the search for its longest literal run, `/`) over thirty files at 2 KB
# paths (h45 finding 1: 38 s when each match filled a table of |glob| x |path|).
python3 - <<'PY'
import json, os
directory = "globs/" + "/".join(["a" * 200] * 9)
os.makedirs(directory)
for i in range(30):
    with open(f"{directory}/{'a' * 200}{i:04d}.json", "w") as f:
        f.write('{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"*","Resource":"*"}]}')
def glob(g):
    return "**/" + "**a" * g + "**x" + "**a" * (1300 - g)
config = {"exclude": [glob(g) for g in range(30)],
          "suppressions": [{"rule": "GRT001", "path": glob(g), "sid": "S", "reason": "r"} for g in range(30, 60)]}
with open("globs/.grantlint.json", "w") as f:
    json.dump(config, f)
PY
measure 5 200 "30 excludes and 30 suppressions of 3.9 KB globs over 30 files at 2 KB paths" -- \
  "$grantlint" check --config globs/.grantlint.json globs
expect_exit 1 "long globs over long paths"
expect_count out '^globs/a{200}(/a{200}){8}/a{200}00[0-9]{2}\.json:1:[0-9]+: warning: .*\[GRT001\]' 30 \
  "long globs over long paths: no glob matches, every file checked"
rm -r globs

# Suppressions times files has a budget (h46 M6: each match bounded, the product not): 400
# suppressions of 3.9 KB globs over 200 files at 2 KB paths would take 80,000 matches of 124,000
# word operations; the matching stops past 4,000,000,000, says so where, and every file's
# finding is still reported.
python3 - <<'PY'
import json, os
directory = "globs/" + "/".join(["a" * 200] * 9)
os.makedirs(directory)
for i in range(200):
    with open(f"{directory}/{'a' * 200}{i:04d}.json", "w") as f:
        f.write('{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"*","Resource":"*"}]}')
def glob(g):
    return "**/" + "**a" * (g % 1300) + "**x" + "**a" * (1300 - g % 1300)
config = {"suppressions": [{"rule": "GRT001", "path": glob(g), "sid": "S", "reason": "r"} for g in range(400)]}
# A path without a wildcard is looked up, never matched: the budget does not stop it (h47 M5).
config["suppressions"].append({"rule": "GRT001", "path": directory[len("globs/"):] + "/" + "a" * 200 + "0007.json",
                               "sid": "S", "reason": "exact"})
with open("globs/.grantlint.json", "w") as f:
    json.dump(config, f)
PY
measure 20 200 "400 suppressions of 3.9 KB globs over 200 files at 2 KB paths" -- \
  "$grantlint" check --config globs/.grantlint.json globs
expect_exit 1 "suppression globs past their budget"
expect_grep out '^globs/.grantlint.json:1:[0-9]+: warning: matching suppression paths against the files of this run stopped here, past 4,000,000,000 word operations.*\[CFG001\]' \
  "suppression globs past their budget: said where"
expect_count out '^globs/a{200}(/a{200}){8}/a{200}0[0-9]{3}\.json:1:[0-9]+: warning: .*\[GRT001\]' 199 \
  "suppression globs past their budget: every file's finding reported but the one an exact path takes"
rm -r globs

# A directory deeper than a path may name (PATH_MAX) is reported, its 4 KB path cut in the
# message as quoted text is (h46 L6), and the files above it are checked.
python3 - <<'PY'
import os
start = os.getcwd()
os.mkdir("deep")
os.chdir("deep")
for depth in range(20):
    os.mkdir("d" * 250)
    os.chdir("d" * 250)
    if depth == 14:
        with open("p.json", "w") as f:
            f.write('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')
os.chdir(start)
PY
measure 20 200 "a directory past PATH_MAX" -- "$grantlint" check deep
expect_exit 2 "a directory past PATH_MAX"
expect_grep out '^deep/d{250}(/d{250}){14}/p.json:1:[0-9]+: warning: .*\[GRT001\]' "past PATH_MAX: the file above is checked"
expect_grep err 'cannot read directory `deep/d+…` \([0-9]+ bytes\)' "past PATH_MAX: said, its path cut"
absent err '^.{2000}' "past PATH_MAX: no line quotes the whole path"
rm -rf deep

# simulate with long wildcard patterns over long keys and values (h45 findings 2 and 3: 12 s
# and 17 s when each pattern was scanned with a backtrack point, O(|pattern| x |text|)): 1,000
# unknownContext patterns of 500 bytes tried on twenty 1,000-byte condition keys, and
# ForAnyValue:StringLike with 300 patterns of 300 bytes against 300 values of 600 bytes. The
# patterns end in `*`, so that their ends refuse nothing and every one is matched to the end.
python3 - <<'PY'
import json
def request(policy, **extra):
    return dict(principal="arn:aws:iam::111122223333:user/u", action="s3:GetObject", resource="arn:aws:s3:::b/k",
                policies={"identity": policy}, **extra)
statements = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
               "Condition": {"StringEquals": {"aws:" + "a" * 1000 + str(j): "x"}}} for j in range(20)]
json.dump({"Version": "2012-10-17", "Statement": statements}, open("unknown_policy.json", "w"))
patterns = ["*" + "a" * 500 + "b%d*" % i for i in range(1000)]
json.dump(request("unknown_policy.json", unknownContext=patterns), open("unknown_request.json", "w"))
like = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAnyValue:StringLike":
         {"aws:TagKeys": ["*" + "a" * 300 + "b%d*" % i for i in range(300)]}}}]
json.dump({"Version": "2012-10-17", "Statement": like}, open("like_policy.json", "w"))
values = ["a" * 600 + "%d" % i for i in range(300)]
json.dump(request("like_policy.json", context={"aws:TagKeys": values}), open("like_request.json", "w"))
PY
measure 5 200 "1,000 unknownContext patterns of 500 bytes over 1,000-byte keys" -- \
  "$grantlint" simulate --request unknown_request.json
expect_exit 0 "long unknownContext patterns"
expect_grep out '^implicit_deny: ' "long unknownContext patterns: no key is unknown, no statement allows"
measure 5 200 "ForAnyValue:StringLike, 300 patterns of 300 bytes against 300 values of 600 bytes" -- \
  "$grantlint" simulate --request like_request.json
expect_exit 0 "long StringLike patterns and values"
expect_grep out 'condition `ForAnyValue:StringLike` on `aws:TagKeys` is not met' "long StringLike: no value matches"
rm unknown_*.json like_*.json

# An export of a million users (100,000 in the sanitized build), three of them allowed
# everything (the first, the middle, the last) and one broken three quarters in.
users=1000000
[ "$sanitized" = 0 ] || users=100000
python3 - million.json "$users" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
admin = ('{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*",'
         '"Resource":"*"}]}}')
with open(out, "w", encoding="latin-1") as f:
    f.write('{"UserDetailList":[\n')
    for i in range(n):
        inline = admin if i in (0, n // 2, n - 1) else ""
        path = "/caf\xe9/" if i == 3 * n // 4 else "/"
        f.write('{"UserName":"u%d","UserId":"AIDA%d","Arn":"arn:aws:iam::111122223333:user/u%d","Path":"%s",'
                '"UserPolicyList":[%s],"GroupList":[],"AttachedManagedPolicies":[]}%s\n'
                % (i, i, i, path, inline, "," if i < n - 1 else ""))
    f.write('],"GroupDetailList":[],"RoleDetailList":[],"Policies":[],"IsTruncated":false}\n')
PY
measure 180 1600 "an export of $users users" -- "$grantlint" scan million.json
expect_exit 1 "an export of $users users"
expect_count out "^million.json:[0-9]+:[0-9]+: $allowed_everything" 3 "$users users: the three allowed everything"
expect_grep out "^million.json:$((users + 1)):[0-9]+: warning: user \`arn:aws:iam::111122223333:user/u$((users - 1))\`" \
  "$users users: the last one"
expect_grep out "^million.json:$((3 * users / 4 + 2)):[0-9]+: error: invalid UTF-8 byte 0xE9 inside a string, and AWS refuses it; the element is read with" \
  "$users users: the broken one located"
rm million.json

# The Glue pack asks whether an operator may pass each job's role at most 1,000,000 times a run:
# 1,100 roles and jobs and 1,100 operators (1.2 million questions) end within it, the roles past it
# said not asked (h48 H3: every operator about every role, 3,000 of each took 11 s).
cp -r "$(dirname "$(realpath "$0")")/../../policies/glue/repo" glue-volume
python3 - glue-volume <<'PY'
import json, sys
config = json.load(open(sys.argv[1] + "/.grantlint.json"))
glue = config["glue"]
role = glue["roles"]["AWSGlueServiceRole-OrdersETL"]
for i in range(1100):
    glue["roles"]["R%d" % i] = dict(role)
    glue["jobs"]["j%d" % i] = {"role": "R%d" % i, "encrypts": ["s3", "cloudwatch", "bookmarks"], "jdbc": True}
    glue.setdefault("operators", {})["op%d" % i] = {"policies": ["iam/glue-encryption-admins.json"]}
json.dump(config, open(sys.argv[1] + "/volume.json", "w"))
PY
measure 20 400 "1,100 Glue roles, jobs and operators" -- \
  bash -c "cd glue-volume && '$grantlint' check iam/orders-etl.json --config volume.json"
expect_exit 1 "1,100 Glue roles, jobs and operators"
expect_grep out "job .j1099. runs as role .R1099., .*whether a Glue operator may pass it was not asked: the pack asks at most 1,000,000 such questions a run" \
  "the roles past the budget are said not asked"
expect_grep out "job .j0. runs as role .R0., outside the .AWSGlueServiceRole\*. names the Glue console policies may pass; no Glue operator" \
  "the first roles are answered"
rm -r glue-volume

# A policy variable is not substituted where its value makes the pattern longer than the text it
# is for, which it then cannot match: a user of a 10,000-byte name whose policy repeats
# `${aws:username}` 1,000 times built 10 MB for every probe (h49 H2: 14.9 s).
python3 - long-name.json <<'PY'
import json, sys
def user(name, resource):
    return {"UserName": name, "Arn": f"arn:aws:iam::111122223333:user/{name}", "GroupList": [],
            "AttachedManagedPolicies": [], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": resource}]}}]}
json.dump({"UserDetailList": [user("u" * 10000, "arn:aws:s3:::" + "${aws:username}" * 1000), user("u1", "*")],
           "GroupDetailList": [], "RoleDetailList": [], "Policies": [], "IsTruncated": False}, open(sys.argv[1], "w"))
PY
measure 5 200 "a 10,000-byte user name in 1,000 variables" -- "$grantlint" scan long-name.json
expect_exit 1 "a 10,000-byte user name in 1,000 variables"
expect_grep out "$allowed_everything" "the neighbour is reported beside the long name"
rm long-name.json

# The reach pass (ACC102 through another principal) weighs a question by the matching it may
# do and the principals a trust policy lists, not only by its statements: users under a Deny of
# long patterns against administrators of 500-byte paths, a trust policy naming 20,000
# principals and one guarded by long `aws:PrincipalArn` patterns end within the budget of
# questions (h50 H1: past 60 s; H2: 19 s; h51 H1), said in a note.
python3 - reach-work.json reach-guarded.json <<'PY'
import json, sys
account = "111122223333"
def document(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}
def user(name, statements, path="/"):
    return {"UserName": name, "Path": path, "Arn": f"arn:aws:iam::{account}:user{path}{name}", "GroupList": [],
            "AttachedManagedPolicies": [], "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": document(*statements)}]}
admin = {"Effect": "Allow", "Action": "*", "Resource": "*"}
long_path = "/" + "x" * 500 + "/"
patterns = [f"arn:aws:iam::{account}:user/*" + "*x" * (100 + k) + "*d*" for k in range(20)]
users = [user(f"adm{i}", [admin], long_path) for i in range(300)]
users += [user(f"k{i}", [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"},
                         {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": patterns},
                         {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": f"arn:aws:iam::{account}:user/*",
                          "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]) for i in range(300)]
users += [user(f"t{i}", [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]) for i in range(2000)]
trust = document({"Effect": "Allow", "Action": "sts:AssumeRole",
                  "Principal": {"AWS": [f"arn:aws:iam::{account}:user/t{i}" for i in range(20000)]}})
role = {"RoleName": "r", "Path": "/", "Arn": f"arn:aws:iam::{account}:role/r", "AssumeRolePolicyDocument": trust,
        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": document(admin)}], "AttachedManagedPolicies": []}
# A trust policy admitting the account under 300 `aws:PrincipalArn` patterns of 1 KB, more `x`s than the
# callers' paths hold, each read to its end (h51 H1: 1,000 of them took 19 ms a question).
guarded = document({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Condition": {"StringLike": {"aws:PrincipalArn": [
                        f"arn:aws:iam::{account}:user/" + "*x" * (505 + i % 50) + "*" + "?" * (i // 50) + "*"
                        for i in range(300)]}}})
guarded_role = dict(role, RoleName="g", Arn=f"arn:aws:iam::{account}:role/g", AssumeRolePolicyDocument=guarded)
json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [role], "Policies": [],
           "IsTruncated": False}, open(sys.argv[1], "w"))
assumers = [user(f"a{i}", [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}], long_path)
            for i in range(2000)]
json.dump({"UserDetailList": assumers, "GroupDetailList": [], "RoleDetailList": [guarded_role], "Policies": [],
           "IsTruncated": False}, open(sys.argv[2], "w"))
PY
measure 10 300 "the reach pass over long patterns and a long trust policy" -- "$grantlint" scan reach-work.json
expect_exit 1 "the reach pass over long patterns and a long trust policy"
expect_grep out "until 1000000 questions to the evaluator; the rest were not asked" "the budget of questions is said"
expect_grep out "user .arn:aws:iam::111122223333:user/t0. can raise its own permissions \\(assume-role\\)" \
  "the first users are answered"
# 2.5-2.9 s alone on a slower machine (2026-12-07), past 5 s with two more runs beside it: 10 s still
# catches the per-question cost h51 H1 found (19 ms a question, minutes for the budget).
measure 10 300 "a trust policy guarded by long aws:PrincipalArn patterns" -- "$grantlint" scan reach-guarded.json
expect_exit 1 "a trust policy guarded by long aws:PrincipalArn patterns"
expect_grep out "until 1000000 questions to the evaluator; the rest were not asked" \
  "the budget of questions is said for the guarded role"
rm reach-work.json reach-guarded.json

# KMS001 asks each caller a key policy names whether a Deny refuses it `kms:PutKeyPolicy`, each
# question reading the whole policy: a `NotPrincipal` of 20,000 users is 20,000 callers times
# 20,000 names (h51 H2: 25 s). Past its budget the Deny is not judged; a small lockout still is.
python3 - kms-wide.json kms-locked.json <<'PY'
import json, sys
account = "111122223333"
def key_policy(exempt):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*",
         "Resource": "*"},
        {"Sid": "D", "Effect": "Deny", "NotPrincipal": {"AWS": exempt}, "Action": "kms:PutKeyPolicy", "Resource": "*"}]}
json.dump(key_policy([f"arn:aws:iam::{account}:user/u{k}" for k in range(20000)]), open(sys.argv[1], "w"))
json.dump(key_policy([f"arn:aws:iam::{account}:user/u0"]), open(sys.argv[2], "w"))
PY
measure 5 200 "a key policy's Deny exempting 20,000 users" -- \
  "$grantlint" check --policy-type kms-key kms-wide.json kms-locked.json
expect_exit 1 "a key policy's Deny exempting 20,000 users"
expect_grep out "^kms-locked.json:[0-9]+:[0-9]+: error: this statement denies .kms:PutKeyPolicy. to every caller its .NotPrincipal. does not exempt.*\[KMS001\]" \
  "the small lockout beside it is still found"
rm kms-wide.json kms-locked.json

# GLUE-IAM-10's budget weighs a question by the statements it reads: 300 roles and 300 operators
# sharing a policy of 2,000 `iam:PassRole` statements (h51 H3: 31 s for 90,000 questions).
cp -r "$(dirname "$(realpath "$0")")/../../policies/glue/repo" glue-wide
python3 - glue-wide <<'PY'
import json, sys
folder = sys.argv[1]
config = json.load(open(folder + "/.grantlint.json"))
glue = config["glue"]
statements = [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::444455556666:role/other{k}*"}
              for k in range(2000)]
statements.append({"Effect": "Allow", "Action": "glue:*", "Resource": "*"})
json.dump({"Version": "2012-10-17", "Statement": statements}, open(folder + "/iam/wide-operator.json", "w"))
for i in range(300):
    glue["roles"]["R%d" % i] = {"policies": ["iam/orders-etl.json"], "trust": "iam/glue-trust.json"}
    glue["jobs"]["j%d" % i] = {"role": "R%d" % i, "encrypts": ["s3"]}
glue["operators"] = {"op%d" % i: {"policies": ["iam/wide-operator.json"]} for i in range(300)}
json.dump(config, open(folder + "/wide.json", "w"))
PY
measure 5 200 "300 Glue roles and 300 operators of 2,000 statements" -- \
  bash -c "cd glue-wide && '$grantlint' check iam/orders-etl.json --config wide.json"
expect_exit 1 "300 Glue roles and 300 operators of 2,000 statements"
expect_grep out "job .j299. runs as role .R299., .*whether a Glue operator may pass it was not asked" \
  "the roles past the weighed budget are said not asked"
expect_grep out "job .j0. runs as role .R0., outside the .AWSGlueServiceRole\*. names the Glue console policies may pass; no Glue operator" \
  "the first roles are answered"

# ... and by the actions its statements list: one statement of 20,000 `iam:` patterns (h52 H3:
# 90,000 questions weighed 1 each took 40 s).
python3 - glue-wide <<'PY'
import json, sys
folder = sys.argv[1]
actions = ["iam:" + "*s" * 30 + "Q%d" % k for k in range(20000)]
statement = {"Effect": "Allow", "Action": actions + ["glue:*"], "Resource": "*"}
json.dump({"Version": "2012-10-17", "Statement": [statement]}, open(folder + "/iam/wide-operator.json", "w"))
PY
measure 5 200 "300 Glue roles and 300 operators of 20,000 actions" -- \
  bash -c "cd glue-wide && '$grantlint' check iam/orders-etl.json --config wide.json"
expect_exit 1 "300 Glue roles and 300 operators of 20,000 actions"
expect_grep out "job .j299. runs as role .R299., .*whether a Glue operator may pass it was not asked" \
  "the roles past the budget weighed by actions are said not asked"
rm -r glue-wide

# KMS001 weighs condition values by their length, and asks the accounts a key policy names only
# outside kms:PutKeyPolicy as one (h52 H1: 500 patterns of 2 KB against 1 KB ARNs took 20 s; H2:
# 1,500 accounts allowed kms:Decrypt put a 22 KB lockout past the budget, unsaid).
python3 - <<'PY'
import json
users = ["arn:aws:iam::111122223333:user/%s/u%d" % ("p" * 1000, i) for i in range(500)]
patterns = ["arn:aws:iam::111122223333:user/" + "*x" * 1000 + str(i) for i in range(500)]
root = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}
json.dump({"Version": "2012-10-17", "Statement": [root,
    {"Effect": "Allow", "Principal": {"AWS": users}, "Action": "kms:*", "Resource": "*"},
    {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*",
     "Condition": {"StringNotLike": {"aws:PrincipalArn": patterns}}}]}, open("kms-long.json", "w"))
accounts = ["%012d" % (200000000000 + i) for i in range(1500)]
json.dump({"Version": "2012-10-17", "Statement": [root,
    {"Effect": "Allow", "Principal": {"AWS": accounts}, "Action": "kms:Decrypt", "Resource": "*"},
    {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::999988887777:user/x"}, "Action": "kms:PutKeyPolicy",
     "Resource": "*"}]}, open("kms-accounts.json", "w"))
PY
measure 5 200 "a key policy of 500 long ARN patterns and one naming 1,500 accounts" -- \
  "$grantlint" check --policy-type kms-key kms-long.json kms-accounts.json
expect_exit 1 "a key policy of 500 long ARN patterns and one naming 1,500 accounts"
expect_grep out "^kms-long.json:[0-9]+:[0-9]+: note: whether a Deny statement refuses .kms:PutKeyPolicy. .*was not worked out.*\[KMS001\]" \
  "the long patterns' lockout is said not worked out"
expect_grep out "^kms-accounts.json:[0-9]+:[0-9]+: error: this statement denies .kms:PutKeyPolicy. to every caller its .NotPrincipal. does not exempt.*\[KMS001\]" \
  "the lockout of the policy naming 1,500 accounts is found"
rm kms-long.json kms-accounts.json

# KMS001 fills `aws:PrincipalArn` patterns in for each account within its budget: 10,000 accounts
# allowed kms:* and as many patterns of no account named (review of ce95b15: 1.2 s, growing with
# the square of the policy, before the budget was looked at).
python3 - <<'PY'
import json
accounts = ["%012d" % (200000000000 + i) for i in range(10000)]
patterns = ["arn:aws:iam::%012d?:role/r%d" % (99999999990 + i % 10, i) for i in range(10000)]
json.dump({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": accounts}, "Action": "kms:*", "Resource": "*"},
    {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*",
     "Condition": {"ArnNotLike": {"aws:PrincipalArn": patterns}}}]}, open("kms-square.json", "w"))
PY
measure 5 200 "a key policy of 10,000 accounts and 10,000 patterns" -- \
  "$grantlint" check --policy-type kms-key kms-square.json
expect_exit 1 "a key policy of 10,000 accounts and 10,000 patterns"
expect_grep out "^kms-square.json:[0-9]+:[0-9]+: note: whether a Deny statement refuses .kms:PutKeyPolicy. .*was not worked out.*\[KMS001\]" \
  "the lockout question past the budget is said not worked out"
rm kms-square.json

finish
