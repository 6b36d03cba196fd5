#!/usr/bin/env bash
# Installs what grantlint needs from Debian's packages, if anything is missing.
#   scripts/setup.sh [--tests] [--fuzz]
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail

packages=(cmake g++ ninja-build pkg-config libsimdjson-dev libre2-dev libfmt-dev libcli11-dev libyaml-dev zlib1g-dev)
for arg in "$@"; do
  case "$arg" in
    --tests) packages+=(catch2 pre-commit git dpkg-dev) ;;
    --fuzz) packages+=(clang-19 libclang-rt-19-dev) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
# The SARIF validator used by the test suite needs node and npm; any install of them will do.
if [[ " $* " == *" --tests "* ]] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# cmake, g++ and ninja may come from elsewhere than Debian; accept them when they are on PATH.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    cmake|ninja-build|g++) command -v "${p%-build}" >/dev/null && continue ;;
  esac
  filtered+=("$p")
done
missing=("${filtered[@]+"${filtered[@]}"}")

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "grantlint needs these Debian packages: ${missing[*]}" >&2
  echo "run as root:  $cmd" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
