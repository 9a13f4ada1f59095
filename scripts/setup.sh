#!/usr/bin/env bash
# Everything Verdict needs on a Debian/Ubuntu machine with Node 20, idempotent and quick when done:
# Docker (installed and started if missing), the npm dependencies, and the sandbox images
# (built locally, cached by content). Run as root, or as a user who may use sudo and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_apt+=(debootstrap)
# better-sqlite3 (the classroom service's store) is compiled on install: no prebuilt binary is fetched.
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || need_apt+=(g++ make python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! docker_ok=$(docker info --format '{{.ServerVersion}}' 2>/dev/null) || [ -z "$docker_ok" ]; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    log "starting Docker with systemd"
    $SUDO systemctl start docker
  else
    # No systemd (containers, CI): run the daemon ourselves. Sandboxes use no network, so Docker
    # needs neither its bridge nor iptables rules.
    log "starting dockerd in the background (log: /var/log/verdict-dockerd.log)"
    $SUDO sh -c 'setsid dockerd --iptables=false --bridge=none >/var/log/verdict-dockerd.log 2>&1 < /dev/null &'
  fi
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "Docker did not start; see /var/log/verdict-dockerd.log"; exit 1; }
fi
log "Docker $(docker info --format '{{.ServerVersion}}') is running"

stamp=node_modules/.verdict-install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  log "installing npm dependencies"
  # Native modules build from source: the machines we run on reach no download host but the registry.
  npm_config_build_from_source=true npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
node scripts/build.mjs
# The tests (`--tests`) also drive the extension in code-server with Debian's chromium, and the
# language server from Neovim (both cached after the first time).
if [ "${1:-}" = "--tests" ]; then
  bash scripts/install-code-server.sh
fi

log "building sandbox images (cached by content)"
# Air-gapped machines and this CI have no registry: make the Debian base with debootstrap.
node bin/verdict.js images build ${VERDICT_ROOTFS:+--rootfs "$VERDICT_ROOTFS"}
log "ready"
