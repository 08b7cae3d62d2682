#!/usr/bin/env bash
# Offline-friendly install of code-server (= real VS Code 1.100.3 workbench + server) from the npm
# registry only. Replaces code-server's postinstall.sh (which fails here: @vscode/ripgrep downloads
# rg from GitHub, kerberos/argon2 try GitHub prebuilds, node-pty's postinstall runs `npx node-gyp`).
#
# Needs: node 20 (code-server 4.100.x has engines.node "20"), npm, g++/make/python3,
#        apt: ripgrep (for rg), optionally libkrb5-dev (kerberos native module; only used for
#        Kerberos proxy auth, skipped if krb5-config is missing).
# Usage: install-code-server.sh PREFIX   -> binary: PREFIX/node_modules/.bin/code-server
# (Copied from the shared vscode-e2e tools; editors/ci.sh installs into ~/.cache/nianbao-e2e/code-server.)
set -euo pipefail
PREFIX=${1:?usage: $0 PREFIX}
CS_VERSION=${CS_VERSION:-4.100.3}
JOBS=${JOBS:-$(nproc)}
# npm's bundled node-gyp (12.4.0 with npm 11.19) works when run by hand, one module at a time.
NODE_GYP=${NODE_GYP:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}
NODEDIR=${NODEDIR:-/usr}   # node headers live in /usr/include/node on this box
gyp() { node "$NODE_GYP" rebuild --nodedir="$NODEDIR" -j "$JOBS" >"build-$$.log" 2>&1 || { tail -30 "build-$$.log"; return 1; }; rm -f "build-$$.log"; }

t0=$(date +%s)
mkdir -p "$PREFIX" && cd "$PREFIX"
[ -f package.json ] || echo '{"name":"cs-host","private":true}' > package.json

echo "== 1. npm install code-server@$CS_VERSION (scripts off)"
npm install --ignore-scripts --no-audit --no-fund "code-server@$CS_VERSION"

echo "== 2. argon2 (top-level require of code-server, even with --auth none)"
( cd node_modules/argon2 && npm_config_node_gyp="$NODE_GYP" \
    ../.bin/node-pre-gyp rebuild --build-from-source --nodedir="$NODEDIR" >build.log 2>&1 || { tail -30 build.log; exit 1; } )
node -e 'require("argon2")' && echo "argon2 ok"

V="$PREFIX/node_modules/code-server/lib/vscode"
echo "== 3. VS Code server deps (scripts off), then native modules by hand"
( cd "$V" && npm install --omit=dev --ignore-scripts --no-audit --no-fund )
for m in @vscode/spdlog @vscode/deviceid native-watchdog node-pty; do
  echo "   node-gyp rebuild $m"; ( cd "$V/node_modules/$m" && gyp )
done
if command -v krb5-config >/dev/null; then echo "   node-gyp rebuild kerberos"; ( cd "$V/node_modules/kerberos" && gyp ); else echo "   (kerberos skipped: no libkrb5-dev)"; fi
# @parcel/watcher uses the prebuilt @parcel/watcher-linux-x64-glibc package from npm: nothing to build.
# windows-* modules are Windows-only: nothing to build.

echo "== 4. ripgrep: use Debian's rg instead of the GitHub download"
mkdir -p "$V/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$V/node_modules/@vscode/ripgrep/bin/rg"

echo "== 5. the symlinks code-server's postinstall.sh would make"
( cd "$V" && ln -sfn node_modules node_modules.asar \
  && ln -sfn code-linux.sh bin/remote-cli/code-server \
  && ln -sfn browser-linux.sh bin/helpers/browser.sh )

echo "== 6. built-in extensions' shared deps (typescript only)"
( cd "$V/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund && node postinstall.mjs >/dev/null )

echo "== done in $(( $(date +%s) - t0 ))s; size: $(du -sh "$PREFIX" | cut -f1)"
HOME=$(mktemp -d) "$PREFIX/node_modules/.bin/code-server" --version
