#!/usr/bin/env bash
# End-to-end test of the packaged extension in a REAL VS Code: code-server 4.100.3 (= the VS Code
# 1.100.3 workbench, server and Node extension host) driven headless by playwright-core in Debian's
# chromium. One code-server and one browser for all cases (see e2e.js); everything lives in a fresh
# temp dir, and the server's whole process group is killed on exit.
#
# Usage: test/e2e/run.sh [VSIX]        (default: the newest nianbao-*.vsix in editors/vscode)
# Env:   CS_BIN        code-server binary (default ~/.cache/nianbao-e2e/code-server/node_modules/.bin/code-server)
#        PW_NODE_PATH  node_modules holding playwright-core (default editors/vscode/node_modules)
#        CHROMIUM      browser binary (default /usr/bin/chromium)
#        NIANBAO_BIN   the server binary the CLI-side checks use (default target/debug/nianbao)
#        E2E_SCREENSHOT_DIR  where screenshots go (default editors/vscode/test/screenshots)
#        E2E_RESULTS   JSON file receiving the per-case results (default $RUN/results.json)
#        E2E_ONLY      comma-separated case names to run (default: all)
# Prints one line per case and "N passed, M failed"; exit 0 only when every case passed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(cd "$HERE/../.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)
VSIX=${1:-$(ls -t "$EXT"/nianbao-*.vsix 2>/dev/null | head -1)}
[ -n "$VSIX" ] && [ -f "$VSIX" ] || { echo "no .vsix: run 'npm run package -- --binary …' first" >&2; exit 2; }
VSIX=$(readlink -f "$VSIX")
CS_BIN=${CS_BIN:-$HOME/.cache/nianbao-e2e/code-server/node_modules/.bin/code-server}
PW_NODE_PATH=${PW_NODE_PATH:-$EXT/node_modules}
SHOTS=${E2E_SCREENSHOT_DIR:-$EXT/test/screenshots}
for tool in "$CS_BIN" "${CHROMIUM:-/usr/bin/chromium}"; do
  [ -x "$tool" ] || { echo "missing $tool" >&2; exit 3; }
done
[ -d "$PW_NODE_PATH/playwright-core" ] || { echo "missing playwright-core in $PW_NODE_PATH (npm ci)" >&2; exit 3; }

RUN=$(mktemp -d /tmp/nianbao-e2e.XXXXXX)
RESULTS=${E2E_RESULTS:-$RUN/results.json}
t0=$(date +%s.%N); el() { python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}s')"; }

# code-server's UI is English (no language pack offline), and nianbao follows the UI language
# unless told otherwise: the test sets nianbao.language to zh, as a Chinese user of an English UI would.
# The workspace: copies of the seed reports, a report without its table 四, and a Markdown file
# that is not a report.
WS="$RUN/workspace"
mkdir -p "$WS" "$SHOTS"
cp "$REPO"/tests/corpus/*-eco-20??.txt "$WS"/
cp "$EXT"/test/fixtures/* "$WS"/
printf '# 会议纪要\n\n本周讨论了网站改版，共 3 项议题。\n' > "$WS/notes.md"

# code-server's config and logs stay out of $HOME; the VS Code profile is throw-away.
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share"
mkdir -p "$RUN/ud/User" "$HOME"
cat > "$RUN/ud/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "chat.commandCenter.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "window.restoreWindows": "none",
  "editor.minimap.enabled": false,
  "editor.stickyScroll.enabled": false,
  "editor.fontFamily": "'WenQuanYi Micro Hei Mono', 'Droid Sans Mono', monospace",
  "files.autoSave": "off",
  "workbench.editor.enablePreview": false,
  "nianbao.language": "zh"
}
EOF
COMMON=(--user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts")

"$CS_BIN" "${COMMON[@]}" --install-extension "$VSIX" >"$RUN/install-ext.log" 2>&1 \
  || { cat "$RUN/install-ext.log"; exit 1; }
echo "[e2e $(el)] installed $(basename "$VSIX"): $("$CS_BIN" "${COMMON[@]}" --list-extensions --show-versions | tr '\n' ' ')"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
setsid "$CS_BIN" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "${COMMON[@]}" "$WS" >"$RUN/server.log" 2>&1 &
SERVER_PID=$!
NODE_PID=
cleanup() {
  # The Playwright driver first (it closes its chromium on SIGTERM), then code-server: setsid made
  # SERVER_PID a process-group leader, so the group (server, extension host and the nianbao language
  # server it spawned) is ended by that id, and nothing else.
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$NODE_PID" 2>/dev/null || true
  fi
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  echo "[e2e $(el)] code-server (pgid $SERVER_PID) stopped; logs in $RUN"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
up=
for _ in $(seq 1 150); do
  if curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; then up=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
[ -n "$up" ] || { echo "code-server did not come up:"; tail -20 "$RUN/server.log"; exit 1; }
echo "[e2e $(el)] code-server up on 127.0.0.1:$PORT (pid $SERVER_PID)"

rc=0
# In the background and waited for, so that a TERM (from `timeout`) reaches the trap at once.
E2E_RUN_DIR="$RUN" E2E_SHOTS="$SHOTS" E2E_RESULTS="$RESULTS" NODE_PATH="$PW_NODE_PATH" \
  node "$HERE/e2e.js" "http://127.0.0.1:$PORT" "$WS" &
NODE_PID=$!
wait "$NODE_PID" || rc=$?
NODE_PID=
echo "[e2e $(el)] done (rc=$rc)"
exit $rc
