#!/usr/bin/env bash
# Generates the man page and the bash and zsh completions from the CLI's own --help, so that
# they never drift from it (the build runs this; `cmake --install` installs the results).
#   scripts/gen_cli_docs.sh GRANTLINT OUT_DIR
set -euo pipefail
grantlint=$1
out=$2
mkdir -p "$out"
subcommands=$("$grantlint" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' | tr '\n' ' ')

# Each option line of a help text: `--name` and `-x` spellings.
options() { "$@" --help | grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | sed 's/^[ ,]//' | sort -u | tr '\n' ' '; }

roff() { sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/" -e 's/`//g'; }

version=$("$grantlint" --version | awk '{ print $2 }')
{
  echo ".TH GRANTLINT 1 \"\" \"grantlint $version\" \"User Commands\""
  echo ".SH NAME"
  echo "grantlint \\- a static analyzer for AWS IAM and KMS policies"
  echo ".SH SYNOPSIS"
  echo ".B grantlint"
  echo "SUBCOMMAND [OPTIONS]"
  echo ".SH DESCRIPTION"
  echo ".nf"
  "$grantlint" --help | roff
  echo ".fi"
  for sub in $subcommands; do
    echo ".SH \"GRANTLINT ${sub^^}\""
    echo ".nf"
    "$grantlint" "$sub" --help | roff
    echo ".fi"
  done
  echo ".SH EXIT STATUS"
  echo "0: no finding at or above --fail-on; 1: findings at or above it; 2: an input could not be read, or a usage error."
  echo ".SH FILES"
  echo ".grantlint.json, found from the working directory upwards: rules, suppressions, walk globs and the Glue pack's policy files."
} >"$out/grantlint.1"

{
  echo "# bash completion for grantlint (generated from its --help by scripts/gen_cli_docs.sh)"
  echo "_grantlint() {"
  echo '  local cur=${COMP_WORDS[COMP_CWORD]} sub=${COMP_WORDS[1]}'
  echo '  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "'"$subcommands --help --version"'" -- "$cur")); return; fi'
  echo '  case "$sub" in'
  for sub in $subcommands; do
    echo "    $sub) [[ \$cur == -* ]] && COMPREPLY=(\$(compgen -W \"$(options "$grantlint" "$sub")\" -- \"\$cur\")) || COMPREPLY=(\$(compgen -f -- \"\$cur\")) ;;"
  done
  echo "  esac"
  echo "}"
  echo "complete -F _grantlint grantlint"
} >"$out/grantlint.bash"

{
  echo "#compdef grantlint"
  echo "# zsh completion for grantlint (generated from its --help by scripts/gen_cli_docs.sh)"
  echo "_grantlint() {"
  echo "  if (( CURRENT == 2 )); then compadd -- $subcommands; return; fi"
  echo '  case ${words[2]} in'
  for sub in $subcommands; do
    echo "    $sub) _arguments '*:file:_files' $(for o in $(options "$grantlint" "$sub"); do printf "'%s' " "$o"; done) ;;"
  done
  echo "  esac"
  echo "}"
  echo '_grantlint "$@"'
} >"$out/_grantlint"
