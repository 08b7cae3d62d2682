#!/usr/bin/env bash
# The editor tests, as CI runs them: installs what they need on a fresh Debian 12 machine, packages
# the VS Code extension with the debug server binary, and runs
#   - the VS Code end-to-end test (code-server 4.100.3 + headless chromium),
#   - the Emacs 28 + eglot batch test,
#   - the "lint on save" tests of the pre-commit hook and the GitHub Actions example.
# (The headless Neovim test lives with the language server's tests in tests/.)
#
# Usage: editors/ci.sh
# Env:   CI=true or NIANBAO_REQUIRE_E2E=1  a test that cannot run is a failure (elsewhere: "SKIPPED: …")
#        NIANBAO_BIN      server binary to test (default: target/debug/nianbao, built with `cargo build`)
#        NIANBAO_E2E_CACHE  where code-server and pre-commit are installed (default ~/.cache/nianbao-e2e)
#        E2E_SCREENSHOT_DIR where the VS Code test writes screenshots (default: a temp dir; set it to
#                         editors/vscode/test/screenshots to refresh the committed ones)
# Prints PASS/FAIL per case and, last, "N passed, M failed". Exit 0 only when nothing failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXT="$ROOT/editors/vscode"
CACHE=${NIANBAO_E2E_CACHE:-$HOME/.cache/nianbao-e2e}
REQUIRE=0
if [ "${CI:-}" = "true" ] || [ "${NIANBAO_REQUIRE_E2E:-}" = "1" ]; then REQUIRE=1; fi
WORK=$(mktemp -d /tmp/nianbao-editors-ci.XXXXXX)
t0=$(date +%s)
passed=0; failed=0; skipped=0
say() { echo "[editors/ci $(( $(date +%s) - t0 ))s] $*"; }
skip() {
  echo "SKIPPED: $*"
  if [ $REQUIRE -eq 1 ]; then echo "FAIL skipped-in-ci: $*"; failed=$((failed + 1)); else skipped=$((skipped + 1)); fi
}
# Runs one test runner, shows its output, and counts its PASS/FAIL lines. Exit 77 means "cannot run".
run_suite() {
  local name=$1; shift
  local log="$WORK/$name.log" rc
  "$@" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 77 ]; then
    skip "$(grep -m1 '^SKIPPED: ' "$log" | sed 's/^SKIPPED: //')"
    return
  fi
  local p f
  p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log")
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $name: exited $rc without naming a failed case"; failed=$((failed + 1))
  fi
}
finish() {
  rm -rf "$WORK"
  say "done"
  [ $skipped -gt 0 ] && echo "($skipped suite(s) skipped; CI=true makes that a failure)"
  echo "$passed passed, $failed failed"
  [ $failed -eq 0 ]
  exit $?
}

# --- 1. Debian packages ---------------------------------------------------------------------------
declare -A PKG_FOR=([chromium]=chromium [rg]=ripgrep [emacs]=emacs-nox [nvim]=neovim [g++]=g++ [make]=make [curl]=curl)
missing=()
for cmd in "${!PKG_FOR[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing+=("${PKG_FOR[$cmd]}"); done
ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1 || missing+=(elpa-eglot)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)   # Chinese text in screenshots
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
    say "apt-get install ${missing[*]}"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; say "apt-get failed"; }
  else
    say "cannot install ${missing[*]} (not root, no sudo)"
  fi
fi

# --- 2. the server binary -------------------------------------------------------------------------
if [ -n "${NIANBAO_BIN:-}" ]; then
  BIN=$(readlink -f "$NIANBAO_BIN")
else
  say "cargo build"
  (cd "$ROOT" && cargo build --quiet --bin nianbao) || say "cargo build failed"
  BIN="$ROOT/target/debug/nianbao"
fi
if [ ! -x "$BIN" ]; then
  echo "FAIL server-binary: no nianbao binary at $BIN"
  failed=$((failed + 1))
  finish
fi
export NIANBAO_BIN="$BIN"

# --- 3. the VS Code extension and its end-to-end test ---------------------------------------------
vscode_e2e() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then skip "VS Code e2e: node/npm not installed"; return; fi
  if [ ! -f "$EXT/node_modules/.package-lock.json" ] || [ "$EXT/package-lock.json" -nt "$EXT/node_modules/.package-lock.json" ]; then
    say "npm ci (editors/vscode)"
    (cd "$EXT" && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 \
      || { tail -20 "$WORK/npm.log"; echo "FAIL vscode-npm-ci: npm ci failed"; failed=$((failed + 1)); return; }
  fi
  local cs="$CACHE/code-server/node_modules/.bin/code-server"
  if [ ! -x "$cs" ]; then
    if ! command -v rg >/dev/null || ! command -v g++ >/dev/null; then skip "VS Code e2e: ripgrep/g++ missing, cannot install code-server"; return; fi
    say "installing code-server into $CACHE/code-server (about 90 s, once)"
    rm -rf "$CACHE/code-server"
    bash "$EXT/test/e2e/install-code-server.sh" "$CACHE/code-server" >"$WORK/code-server.log" 2>&1 \
      || { tail -30 "$WORK/code-server.log"; echo "FAIL vscode-code-server: install failed"; failed=$((failed + 1)); return; }
  fi
  if ! command -v chromium >/dev/null; then skip "VS Code e2e: chromium not installed (apt-get install chromium)"; return; fi
  say "packaging the .vsix with $BIN"
  (cd "$EXT" && npm run --silent package -- --target linux-x64 --binary "$BIN" --out "$WORK/vsix") >"$WORK/package.log" 2>&1 \
    || { tail -30 "$WORK/package.log"; echo "FAIL vscode-package: npm run package failed"; failed=$((failed + 1)); return; }
  local vsix; vsix=$(ls "$WORK"/vsix/nianbao-linux-x64-*.vsix)
  say "VS Code e2e ($(basename "$vsix"), $(du -h "$vsix" | cut -f1))"
  CS_BIN="$cs" E2E_SCREENSHOT_DIR="${E2E_SCREENSHOT_DIR:-$WORK/screenshots}" \
    run_suite vscode-e2e timeout 420 bash "$EXT/test/e2e/run.sh" "$vsix"
}
vscode_e2e

# --- 4. Emacs + eglot -----------------------------------------------------------------------------
if command -v emacs >/dev/null; then
  say "Emacs eglot test"
  run_suite emacs timeout 120 emacs -Q --batch -l "$ROOT/editors/emacs/test/e2e.el"
else
  skip "Emacs eglot test: emacs not installed (apt-get install emacs-nox elpa-eglot)"
fi

# --- 5. lint on save outside the editor: pre-commit, GitHub Actions ----------------------------
PRE_COMMIT="$CACHE/venv/bin/pre-commit"
if [ ! -x "$PRE_COMMIT" ]; then
  say "installing pre-commit into $CACHE/venv"
  { python3 -m venv "$CACHE/venv" && "$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit==4.7.0; } \
    >"$WORK/pip.log" 2>&1 || { tail -10 "$WORK/pip.log"; rm -rf "$CACHE/venv"; }
fi
say "pre-commit hook and GitHub Actions example"
PRE_COMMIT="$PRE_COMMIT" run_suite cli-on-save timeout 120 bash "$ROOT/editors/test/cli-on-save.sh"

finish
