#!/usr/bin/env bash
# "Lint on save" outside the editor: the pre-commit hook this repository defines
# (.pre-commit-hooks.yaml) run by a real pre-commit, and the commands of the GitHub Actions example
# (docs/ci/github-actions.yml) run as the workflow runs them.
#
# Usage: editors/test/cli-on-save.sh
# Env:   NIANBAO_BIN  the nianbao binary (default target/debug/nianbao)
#        PRE_COMMIT   the pre-commit executable (default: `pre-commit` on PATH)
# Prints PASS/FAIL per case and a summary; exit 0 when all passed, 1 on a failure, 77 when it
# cannot run (no binary, no pre-commit), after "SKIPPED: <why>".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(readlink -f "${NIANBAO_BIN:-$ROOT/target/debug/nianbao}")
PRE_COMMIT=${PRE_COMMIT:-$(command -v pre-commit || true)}
[ -x "$BIN" ] || { echo "SKIPPED: cli-on-save: no nianbao binary at $BIN (cargo build)"; exit 77; }
[ -n "$PRE_COMMIT" ] && [ -x "$PRE_COMMIT" ] || { echo "SKIPPED: cli-on-save: pre-commit is not installed (pip install pre-commit)"; exit 77; }

WORK=$(mktemp -d /tmp/nianbao-cli-on-save.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
pass() { echo "PASS cli-$1"; passed=$((passed + 1)); }
fail() { echo "FAIL cli-$1: $2"; failed=$((failed + 1)); }
DATONG="$ROOT/tests/corpus/datong-eco-2023.txt"

# --- pre-commit --------------------------------------------------------------------------------
if out=$("$PRE_COMMIT" validate-manifest "$ROOT/.pre-commit-hooks.yaml" 2>&1); then
  pass precommit-manifest
else
  fail precommit-manifest "$out"
fi

# A repository using the hook. pre-commit would build nianbao with cargo for `language: rust`; here
# the same hook definition (id, entry, files, types, serial) runs the binary built by this checkout
# as a `language: system` hook, so that pre-commit's own file selection and exit-code handling are
# what is tested.
REPO="$WORK/repo"
mkdir -p "$REPO/reports" "$REPO/src"
# A Python with PyYAML: pre-commit's own (it depends on PyYAML), else the system one.
PY=$(dirname "$PRE_COMMIT")/python
"$PY" -c 'import yaml' 2>/dev/null || PY=python3
"$PY" -c 'import yaml' 2>/dev/null || { echo "SKIPPED: cli-on-save: no Python with PyYAML"; exit 77; }
python_yaml() { "$PY" - "$@"; }
if ! python_yaml "$ROOT/.pre-commit-hooks.yaml" "$BIN" > "$REPO/.pre-commit-config.yaml" <<'PY'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
hook = next(h for h in hooks if h["id"] == "nianbao-check")
assert hook["entry"].startswith("nianbao "), hook["entry"]
local = {k: v for k, v in hook.items() if k not in ("language", "minimum_pre_commit_version")}
local["language"] = "system"
local["entry"] = sys.argv[2] + hook["entry"][len("nianbao"):]
print(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True))
PY
then
  fail precommit-run "could not read .pre-commit-hooks.yaml"
else
  cp "$DATONG" "$REPO/reports/"
  printf '# 会议纪要\n\n本周讨论了网站改版。\n' > "$REPO/notes.md"
  printf 'fn main() {}\n' > "$REPO/src/main.rs"
  (cd "$REPO" && git init -q && git add -A) >/dev/null 2>&1
  export PRE_COMMIT_HOME="$WORK/pre-commit-home"
  out=$(cd "$REPO" && "$PRE_COMMIT" run --all-files --color never 2>&1); rc=$?
  if [ $rc -eq 1 ] && grep -q 'NB304' <<<"$out" && grep -q 'nianbao 年报检查' <<<"$out" && ! grep -q 'main\.rs' <<<"$out"; then
    pass precommit-blocks-errors
  else
    fail precommit-blocks-errors "expected exit 1 with NB304 (rc=$rc): $(head -c 1500 <<<"$out")"
  fi
  # Correct the two 总计 cells (the NB203 label warnings stay): warnings alone do not block.
  sed -i '409s/.*/\t1/; 414s/.*/\t0/' "$REPO/reports/datong-eco-2023.txt"
  (cd "$REPO" && git add -A)
  out=$(cd "$REPO" && "$PRE_COMMIT" run --all-files --color never 2>&1); rc=$?
  if [ $rc -eq 0 ] && grep -q 'Passed' <<<"$out"; then
    pass precommit-passes-clean
  else
    fail precommit-passes-clean "expected exit 0 once the totals are right (rc=$rc): $(head -c 1500 <<<"$out")"
  fi
fi

# --- the GitHub Actions example ------------------------------------------------------------------
WF="$ROOT/docs/ci/github-actions.yml"
GH="$WORK/gh"
mkdir -p "$GH/reports" "$GH/bin"
cp "$DATONG" "$ROOT/tests/corpus/hengshui-eco-2023.txt" "$GH/reports/"
ln -s "$BIN" "$GH/bin/nianbao"
# The workflow's own `run:` lines for the two nianbao steps, in a shell like the runner's (bash -e).
if ! python_yaml "$WF" > "$GH/steps.sh" <<'PY'
import shlex, sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
steps = wf["jobs"]["nianbao"]["steps"]
uses = [s.get("uses", "") for s in steps]
assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses), uses
runs = [s for s in steps if "nianbao check" in s.get("run", "")]
assert [("--format sarif" in s["run"]) for s in runs] == [True, False], runs
assert "--format github" in runs[1]["run"]
print("export REPORTS=%s" % wf["env"]["REPORTS"])
for s in runs:
    print("echo '::step::%s'" % s["name"])
    print("bash -e -c %s; echo \"::rc::$?\"" % shlex.quote(s["run"]))
PY
then
  fail github-actions-example "the workflow does not have the expected steps"
else
  out=$(cd "$GH" && PATH="$GH/bin:$PATH" bash "$GH/steps.sh" 2>&1)
  rcs=$(grep -o '::rc::[0-9]*' <<<"$out" | tr '\n' ' ')
  if [ "$rcs" = "::rc::0 ::rc::1 " ]; then pass github-actions-steps
  else fail github-actions-steps "expected the SARIF step to pass and the check step to fail on errors, got: $rcs $(head -c 800 <<<"$out")"; fi
  if grep -Eq '^::error file=reports/datong-eco-2023\.txt,line=409,col=2,.*NB304' <<<"$out"; then pass github-annotations
  else fail github-annotations "no ::error annotation for NB304 at 409:2: $(grep '^::' <<<"$out" | head -5)"; fi
  if python3 - "$GH/nianbao.sarif" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0", s.get("version")
run = s["runs"][0]
assert run["tool"]["driver"]["name"] == "nianbao"
hits = [r for r in run["results"] if r["ruleId"] == "NB304"
        and r["locations"][0]["physicalLocation"]["region"]["startLine"] in (409, 414)]
assert len(hits) == 2, hits
rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
assert "NB304" in rules, rules
PY
  then pass sarif
  else fail sarif "nianbao.sarif is not SARIF 2.1.0 with the two NB304 results"; fi
fi

echo "[cli-on-save] $passed passed, $failed failed"
[ $failed -eq 0 ]
