#!/usr/bin/env bash
# `cmake --install` puts the binary, the man page and the completions in place, and
# `cpack -G DEB` packages them.
#   install_test.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/usr" >/dev/null
for f in bin/grantlint share/man/man1/grantlint.1 share/bash-completion/completions/grantlint \
         share/zsh/site-functions/_grantlint; do
  [ -s "$work/usr/$f" ] || { echo "install_test: $f was not installed" >&2; exit 1; }
done
"$work/usr/bin/grantlint" --version | grep -q '^grantlint ' || { echo "install_test: the installed binary does not run" >&2; exit 1; }
man -l "$work/usr/share/man/man1/grantlint.1" 2>/dev/null | grep -q -- '--skip-non-policy' ||
  grep -q -- '--skip-non-policy' "$work/usr/share/man/man1/grantlint.1" ||
  { echo "install_test: the man page lacks check's options" >&2; exit 1; }
# The completion offers the options of a subcommand.
completions=$(bash -c '. "$1"; COMP_WORDS=(grantlint scan --wr); COMP_CWORD=2; _grantlint; echo "${COMPREPLY[*]}"' _ \
  "$work/usr/share/bash-completion/completions/grantlint")
[ "$completions" = "--write-baseline" ] || { echo "install_test: completion gave \`$completions\`" >&2; exit 1; }
if command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null && command -v cpack >/dev/null; then
  (cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null)
  deb=$(ls "$work"/*.deb)
  dpkg-deb -c "$deb" >"$work/contents.txt"
  grep -q './usr/bin/grantlint' "$work/contents.txt" || { echo "install_test: the package lacks the binary" >&2; exit 1; }
  dpkg-deb -f "$deb" Depends | grep -q 'libsimdjson' || { echo "install_test: the package does not depend on libsimdjson" >&2; exit 1; }
  echo "installed and packaged: $(basename "$deb")"
else
  echo "installed (dpkg-dev or cpack missing: no package built; scripts/setup.sh --tests installs dpkg-dev)"
fi
