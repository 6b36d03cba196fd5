#!/usr/bin/env bash
# Writes SARIF for the bundled policies (findings, an unreadable file, a clean run) and
# validates it, with every checked-in .expected.sarif, using ../shared/sarif/validate.
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
cd "$root"
"$grantlint" check policies --format sarif -o "$out/policies.sarif" || [ $? -eq 1 ]
"$grantlint" check policies/examples --format sarif -o "$out/examples.sarif" || [ $? -eq 1 ]
"$grantlint" check policies/examples/missing-file.json --format sarif -o "$out/unreadable.sarif" || [ $? -eq 2 ]
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' \
  | "$grantlint" check - --format sarif -o "$out/clean.sarif"
files=("$out"/*.sarif)
while IFS= read -r -d '' f; do files+=("$f"); done < <(find policies -name '*.expected.sarif' -print0)
bash "$validate" "${files[@]}"
echo "${#files[@]} passed, 0 failed"
