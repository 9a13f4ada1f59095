#!/usr/bin/env bash
# Installs the editors the tests drive, once: code-server (VS Code in the browser, from npm, into
# ~/.cache/verdict/code-server) with Debian's chromium for the extension's end-to-end test, and
# Debian's neovim for the language server's test from another editor's own LSP client. VS Code desktop builds cannot be
# downloaded here; code-server 4.100.3 runs on Node 20. Work-arounds (../shared/RECIPES.md): its
# native modules need Debian's dev headers; @vscode/ripgrep's install downloads rg, so it gets
# Debian's rg from its own cache; node-pty's install runs `npx node-gyp`, which must not prompt.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
prefix="${VERDICT_CODE_SERVER_DIR:-$HOME/.cache/verdict/code-server}"
version=4.100.3
log() { printf '[code-server %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

need=()
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium neovim; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ -x "$prefix/node_modules/.bin/code-server" ] && [ -f "$prefix/.installed-$version" ]; then
  log "code-server $version already installed in $prefix"
  exit 0
fi
mkdir -p "$prefix"
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
if [ ! -f "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ]; then
  bin=$(mktemp -d)
  cp "$(command -v rg)" "$bin/rg"
  tar -C "$bin" -czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
  rm -rf "$bin"
fi
command -v node-gyp >/dev/null 2>&1 || npm i -g node-gyp@12.4.0 --loglevel=error
log "installing code-server $version (a few minutes: native modules are compiled)"
cd "$prefix"
[ -f package.json ] || echo '{"private":true}' > package.json
npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$version"
touch ".installed-$version"
log "done"
