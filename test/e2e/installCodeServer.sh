#!/usr/bin/env bash
# Installs code-server (the real VS Code the e2e suite drives) OUTSIDE the project, once, and reuses
# it afterwards. The recipe and every workaround below are the verified ones from shared/e2e.md §1:
# the npm package compiles native modules and would otherwise try to reach GitHub.
#   LIVE_SCHEMA_E2E_HOME  where to install (default: $HOME/.cache/live-schema-e2e)
# Prints the path of the code-server binary on its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
ROOT=${LIVE_SCHEMA_E2E_HOME:-$HOME/.cache/live-schema-e2e}
DIR=$ROOT/code-server-$CODE_SERVER_VERSION
BIN=$DIR/node_modules/.bin/code-server

if [ -x "$BIN" ] && [ -f "$DIR/.installed" ]; then
  echo "$BIN"
  exit 0
fi

log() { printf '[e2e install] %s\n' "$*" >&2; }
started=$(date +%s)
rm -rf "$DIR"
mkdir -p "$DIR/build"
BUILD=$DIR/build

# Kerberos headers for the `kerberos` native module, unpacked privately (no system-wide -dev install).
log "Kerberos headers"
(cd "$BUILD" && apt-get download libkrb5-dev krb5-multidev comerr-dev >/dev/null)
mkdir -p "$BUILD/krb5/lib"
for f in "$BUILD"/*.deb; do dpkg -x "$f" "$BUILD/krb5/root"; done
for l in gssapi_krb5 krb5 k5crypto krb5support com_err; do
  ln -sf "$(ls /usr/lib/x86_64-linux-gnu/lib$l.so.* | head -1)" "$BUILD/krb5/lib/lib$l.so"
done

# @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache with Debian's rg instead.
log "ripgrep cache"
(cd "$BUILD" && apt-get download ripgrep >/dev/null && dpkg -x ripgrep_*.deb rg)
mkdir -p "$BUILD/tmp/vscode-ripgrep-cache-1.15.11"
tar czf "$BUILD/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" \
  -C "$BUILD/rg/usr/bin" rg

log "npm install code-server@$CODE_SERVER_VERSION (compiles native modules, about 90 s)"
cd "$DIR"
echo '{ "name": "live-schema-e2e-code-server", "private": true }' >package.json
TMPDIR=$BUILD/tmp CPATH=$BUILD/krb5/root/usr/include LIBRARY_PATH=$BUILD/krb5/lib JOBS=max \
  npm_config_nodedir=${npm_config_nodedir:-/usr} npm_config_yes=true npm_config_unsafe_perm=true \
  npm_config_cache=$ROOT/npm-cache \
  npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" >"$DIR/install.log" 2>&1 ||
  {
    tail -40 "$DIR/install.log" >&2
    log "FAILED; full log: $DIR/install.log"
    exit 1
  }
rm -rf "$BUILD"
touch "$DIR/.installed"
log "installed in $(($(date +%s) - started)) s"
echo "$BIN"
