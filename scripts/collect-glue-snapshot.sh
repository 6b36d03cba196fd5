#!/usr/bin/env bash
# Writes the Glue/KMS account snapshot that grantlint's Glue rules read, for one account and
# Region, with the AWS CLI v2: manifest.json, sts/, iam/, glue/, kms/ (kms/keys/<KeyId>/ for every
# key of list-keys), ec2/ (ec2/vpc-attributes/<VpcId>/ for every VPC of describe-vpcs); the
# layout of policies/glue/sample, which tests/glue/collect_test.sh checks it reproduces.
#   scripts/collect-glue-snapshot.sh --region REGION [--profile PROFILE] OUT_DIR
# OUT_DIR must not exist or be empty. Every call's output is written to a temporary file and
# moved into place only when the call succeeded and printed JSON; a failed call (AccessDenied,
# a service not offered in the Region, ...) leaves `<path minus .json>.err` holding the command
# and the CLI's stderr instead, prints a one-line warning and the collection goes on.
# Exit status: 0 everything was read; 2 complete run, but something was recorded as .err;
#              1 usage error, or sts get-caller-identity itself failed.
# Needs: aws (CLI v2; it paginates by itself, so --no-paginate is never passed), python3.
# Permissions: SecurityAudit-level read, kms:GetKeyPolicy admitted by each key policy, and
# kms:Decrypt on the catalog key for glue get-connections on an encrypted Data Catalog.
set -euo pipefail

prog=collect-glue-snapshot.sh

usage() {
  echo "usage: scripts/$prog --region REGION [--profile PROFILE] OUT_DIR" >&2
  exit "${1:-1}"
}
die() { echo "$prog: error: $*" >&2; exit 1; }
warn() { echo "$prog: warning: $*" >&2; }

region="" profile="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --region) [ -n "${2:-}" ] || usage; region=$2; shift 2 ;;
    --region=?*) region=${1#--region=}; shift ;;
    --profile) [ -n "${2:-}" ] || usage; profile=$2; shift 2 ;;
    --profile=?*) profile=${1#--profile=}; shift ;;
    -h|--help) usage 0 ;;
    --) [ $# -eq 2 ] || usage; [ -z "$out" ] || usage; out=$2; shift 2 ;;
    -*) echo "$prog: unknown option: $1" >&2; usage ;;
    *) [ -z "$out" ] || usage; out=$1; shift ;;
  esac
done
[ -n "$region" ] || usage
[ -n "$out" ] || usage
if [ -e "$out" ] && { [ ! -d "$out" ] || [ -n "$(ls -A -- "$out")" ]; }; then
  die "OUT_DIR '$out' exists and is not an empty directory"
fi
command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not on PATH"
command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH"
# The interpreter itself, so that version-manager shims (pyenv, ~0.1 s each) are run only once;
# the snippets need only the standard library: isolated (-I), no site-packages (-S, faster).
python_bin=$(python3 -c 'import sys; print(sys.executable or "")' 2>/dev/null) || python_bin=""
[ -n "$python_bin" ] && [ -x "$python_bin" ] || python_bin=python3
py() { "$python_bin" -I -S "$@"; }

# Never page or prompt: the output goes to files and nobody is there to answer.
export AWS_PAGER=""
unset AWS_CLI_AUTO_PROMPT
cli_version=$(aws --version 2>&1 </dev/null | head -n 1) || cli_version=""
aws_opts=(--region "$region" --output json)
[ -z "$profile" ] || aws_opts+=(--profile "$profile")
case "$cli_version" in
  aws-cli/2.*) aws_opts+=(--no-cli-auto-prompt) ;;
  *) warn "'aws --version' says '${cli_version:-nothing}', not aws-cli/2.x; going on (CLI v1 prints epoch timestamps)" ;;
esac

# The snapshot describes the account's security setup: keep it private (mktemp files are 0600 anyway).
umask 077
mkdir -p -- "$out"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/collect-glue-snapshot.XXXXXX")
cur_tmp=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  [ -z "$cur_tmp" ] || rm -f -- "$cur_tmp"
  rm -rf -- "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

collected_at=$(py -c 'import datetime; print(datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))')
failures=0

# check_json FILE: fails unless FILE holds one JSON document; warns if a pagination token
# is left over (the CLI paginates by itself, so the file would be incomplete).
check_json() {
  py - "$1" <<'EOF'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
except Exception as e:  # noqa: BLE001
    print("output is not JSON: %s" % e, file=sys.stderr)
    sys.exit(1)
if isinstance(doc, dict):
    left = [k for k in ("NextToken", "NextMarker", "Marker") if doc.get(k)]
    left += [k for k in ("IsTruncated", "Truncated") if doc.get(k) is True]
    if left:
        print("warning: %s still has %s; the listing is incomplete" % (sys.argv[1], "/".join(left)),
              file=sys.stderr)
EOF
}

# run_aws DEST SERVICE COMMAND [ARG...]: runs `aws SERVICE COMMAND ARG... <global options>`;
# on success moves its stdout to DEST, else writes DEST minus .json plus .err (or $err_path,
# if set) and returns 1.
run_aws() {
  local dest=$1; shift
  local err="${err_path:-${dest%.json}.err}" dir status=0 cmd
  dir=$(dirname -- "$dest")
  mkdir -p -- "$dir"
  cur_tmp=$(mktemp "$dir/.tmp.XXXXXX")
  aws "$@" "${aws_opts[@]}" >"$cur_tmp" 2>"$scratch/stderr" </dev/null || status=$?
  if [ "$status" -eq 0 ] && ! check_json "$cur_tmp" 2>>"$scratch/stderr"; then
    status=255
  elif [ "$status" -eq 0 ]; then
    # pagination warnings of check_json only
    [ ! -s "$scratch/stderr" ] || grep -h '^warning: ' "$scratch/stderr" | sed "s/^/$prog: /" >&2 || true
  fi
  if [ "$status" -eq 0 ]; then
    mv -f -- "$cur_tmp" "$dest"
    cur_tmp=""
    return 0
  fi
  rm -f -- "$cur_tmp"
  cur_tmp=""
  printf -v cmd '%q ' aws "$@" "${aws_opts[@]}"
  {
    printf 'command: %s\n' "${cmd% }"
    printf 'exit status: %s\n' "$status"
    printf 'stderr:\n'
    cat -- "$scratch/stderr"
  } >"$err"
  local first
  first=$(grep -m 1 -v '^[[:space:]]*$' "$scratch/stderr" || true)
  warn "aws $1 $2 failed (exit $status), recorded in ${err#"$out"/}: ${first:-no message}"
  failures=$((failures + 1))
  return 1
}

# ids_from FILE LISTKEY FIELD OUTFILE: the distinct non-empty string FIELD of the objects in
# FILE's LISTKEY array, NUL-separated into OUTFILE (ids may contain anything but NUL).
ids_from() {
  py - "$@" <<'EOF'
import json, sys
path, list_key, field, dest = sys.argv[1:5]
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
seen = []
for item in (doc.get(list_key) or []) if isinstance(doc, dict) else []:
    v = item.get(field) if isinstance(item, dict) else None
    if isinstance(v, str) and v and "\0" not in v and v not in seen:
        seen.append(v)
with open(dest, "w", encoding="utf-8", newline="") as f:
    f.write("".join(v + "\0" for v in seen))
EOF
}

# safe_component ID: a directory name that cannot leave its parent directory.
safe_component() {
  case "$1" in
    ""|.|..|*/*) return 1 ;;
  esac
}

# --- identity: without it there is no snapshot
if ! run_aws "$out/sts/get-caller-identity.json" sts get-caller-identity; then
  die "sts get-caller-identity failed; see $out/sts/get-caller-identity.err"
fi
read -r account_id partition < <(py - "$out/sts/get-caller-identity.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
arn = d.get("Arn") or ""
parts = arn.split(":")
print(d.get("Account") or "-", parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else "-")
EOF
) || true
case "${account_id:-}" in ""|-) die "sts get-caller-identity printed no Account" ;; esac
case "${partition:-}" in ""|-) warn "no partition in the caller ARN; assuming aws"; partition=aws ;; esac

# --- IAM (global)
run_aws "$out/iam/get-account-authorization-details.json" iam get-account-authorization-details || true

# --- Glue
run_aws "$out/glue/get-data-catalog-encryption-settings.json" glue get-data-catalog-encryption-settings || true
run_aws "$out/glue/get-security-configurations.json" glue get-security-configurations || true
run_aws "$out/glue/get-jobs.json" glue get-jobs || true
run_aws "$out/glue/get-crawlers.json" glue get-crawlers || true
run_aws "$out/glue/get-dev-endpoints.json" glue get-dev-endpoints || true
run_aws "$out/glue/get-connections.json" glue get-connections --hide-password || true

# --- KMS
run_aws "$out/kms/list-aliases.json" kms list-aliases || true
key_source=""
if run_aws "$out/kms/list-keys.json" kms list-keys; then
  ids_from "$out/kms/list-keys.json" Keys KeyId "$scratch/key-ids"
  key_source=list-keys
elif [ -f "$out/kms/list-aliases.json" ]; then
  # Keys an alias points to can still be described (their ids are in list-aliases).
  ids_from "$out/kms/list-aliases.json" Aliases TargetKeyId "$scratch/key-ids"
  key_source=list-aliases
  warn "kms list-keys failed; describing only the keys that aliases point to"
fi
if [ -n "$key_source" ]; then
  while IFS= read -r -d '' key_id; do
    if ! safe_component "$key_id"; then
      warn "skipping key id $(printf '%q' "$key_id") from $key_source: not usable as a directory name"
      failures=$((failures + 1))
      continue
    fi
    run_aws "$out/kms/keys/$key_id/describe-key.json" kms describe-key "--key-id=$key_id" || true
    run_aws "$out/kms/keys/$key_id/get-key-policy.json" kms get-key-policy "--key-id=$key_id" --policy-name default || true
  done <"$scratch/key-ids"
fi

# --- EC2 / VPC
run_aws "$out/ec2/describe-security-groups.json" ec2 describe-security-groups || true
run_aws "$out/ec2/describe-subnets.json" ec2 describe-subnets || true
run_aws "$out/ec2/describe-vpc-endpoints.json" ec2 describe-vpc-endpoints || true
# describe-vpcs only drives the loop: it is not part of the snapshot layout, so it is kept in
# the scratch directory; only a failure is recorded (ec2/describe-vpcs.err).
mkdir -p -- "$out/ec2"
if err_path="$out/ec2/describe-vpcs.err" run_aws "$scratch/describe-vpcs.json" ec2 describe-vpcs; then
  ids_from "$scratch/describe-vpcs.json" Vpcs VpcId "$scratch/vpc-ids"
  while IFS= read -r -d '' vpc_id; do
    if ! safe_component "$vpc_id"; then
      warn "skipping VPC id $(printf '%q' "$vpc_id"): not usable as a directory name"
      failures=$((failures + 1))
      continue
    fi
    for attribute in enableDnsSupport enableDnsHostnames; do
      run_aws "$out/ec2/vpc-attributes/$vpc_id/$attribute.json" \
        ec2 describe-vpc-attribute "--vpc-id=$vpc_id" --attribute "$attribute" || true
    done
  done <"$scratch/vpc-ids"
fi

# --- manifest last: its presence says the run finished
py - "$out/manifest.json" "$account_id" "$partition" "$region" "$collected_at" "$prog" "$cli_version" <<'EOF'
import json, os, sys
dest, account, partition, region, collected_at, collector, cli = sys.argv[1:8]
manifest = {
    "format": "glue-kms-snapshot",
    "format_version": 1,
    "account_id": account,
    "partition": partition,
    "region": region,
    "collected_at": collected_at,
    "collector": collector,
}
if cli:
    manifest["aws_cli_version"] = cli
tmp = dest + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    json.dump(manifest, f, indent=4)
    f.write("\n")
os.replace(tmp, dest)
EOF

if [ "$failures" -gt 0 ]; then
  echo "$prog: snapshot of account $account_id, $region written to $out; $failures call(s) failed (see the .err files)" >&2
  exit 2
fi
echo "$prog: snapshot of account $account_id, $region written to $out" >&2
exit 0
