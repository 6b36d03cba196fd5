#!/usr/bin/env bash
# The pre-commit hook as a user meets it: a throw-away git repository uses the hook from
# this checkout (its .pre-commit-hooks.yaml, committed into a scratch hook repository), with
# Debian's pre-commit; a bad policy and a bad template are blocked, a good policy and other JSON and YAML commit.
#   precommit_test.sh GRANTLINT REPO_ROOT
set -euo pipefail
grantlint=$1
root=$2
command -v pre-commit >/dev/null || { echo "precommit_test: pre-commit is missing (scripts/setup.sh --tests)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" PRE_COMMIT_HOME="$work/cache" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" "$work/bin"
ln -s "$grantlint" "$work/bin/grantlint"
export PATH="$work/bin:$PATH"
git config --global user.email test@example.com
git config --global user.name test
git config --global init.defaultBranch main

hooks="$work/hooks"
mkdir -p "$hooks" && cp "$root/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q && git -C "$hooks" add . && git -C "$hooks" commit -qm hooks
rev=$(git -C "$hooks" rev-parse HEAD)

repo="$work/repo"
mkdir -p "$repo" && cd "$repo" && git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: grantlint
YAML
git add .pre-commit-config.yaml && git commit -qm config
pre-commit install >/dev/null

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A bad policy: the commit is refused and names the rule.
cat >admin.json <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
JSON
git add admin.json
if git commit -qm "bad policy" >"$work/bad.txt" 2>&1; then fail "a bad policy was committed"; fi
grep -q "GRT001" "$work/bad.txt" || fail "the refusal does not name GRT001: $(cat "$work/bad.txt")"
[ "$(git rev-list --count HEAD)" = 1 ] || fail "the bad commit landed"

# A good policy, and JSON that is not a policy: the commit goes through.
git rm -q --cached admin.json && rm admin.json
cat >reader.json <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
JSON
printf '%s\n' '{"name": "app", "version": "1.0.0"}' >package.json
git add reader.json package.json
git commit -qm "good policy" >"$work/good.txt" 2>&1 || fail "a good policy was refused: $(cat "$work/good.txt")"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the good commit did not land"

# A CloudFormation template in YAML is checked; other YAML (a workflow) is not.
cat >stack.yaml <<'YAML'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: !Sub "arn:${AWS::Partition}:s3:::*"
          - Effect: Allow
            Action: iam:PassRole
            Resource: "*"
YAML
printf 'on: push\njobs: {build: {runs-on: ubuntu-latest}}\n' >workflow.yml
git add stack.yaml workflow.yml
if git commit -qm "bad template" >"$work/template.txt" 2>&1; then fail "a bad template was committed"; fi
grep -q "stack.yaml:13:13: warning: .*\[GRT005\]" "$work/template.txt" ||
  fail "the refusal does not name GRT005 at stack.yaml:13:13: $(cat "$work/template.txt")"
grep -q "workflow.yml" "$work/template.txt" && fail "the workflow was reported: $(cat "$work/template.txt")"
git rm -q --cached stack.yaml && rm stack.yaml
git commit -qm "workflow" >"$work/workflow.txt" 2>&1 || fail "a workflow was refused: $(cat "$work/workflow.txt")"

if [ "$failures" -ne 0 ]; then exit 1; fi
echo "pre-commit $(pre-commit --version | cut -d' ' -f2): a bad policy and a bad template blocked, a good policy," \
  "package.json and a workflow committed"
