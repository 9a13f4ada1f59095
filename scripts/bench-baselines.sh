#!/usr/bin/env bash
# Builds the benchmark's outside baselines from their sources into a cache folder, idempotent and
# quick when done: online-judge-tools' `oj` (with its library, online-judge-api-client) in a Python
# venv over Debian's packages (PyPI is not needed), and ioi/isolate, built here with its own config.
#   git clone https://github.com/online-judge-tools/oj       SRC/oj
#   git clone https://github.com/online-judge-tools/api-client SRC/api-client
#   git clone https://github.com/ioi/isolate                 SRC/isolate
#   scripts/bench-baselines.sh SRC
# Either tool may be missing from SRC: it is skipped, and the benchmark says so. Nothing is installed
# outside the cache folder (${VERDICT_BENCH_TOOLS:-~/.cache/verdict/bench-tools}) but Debian packages.
# isolate needs root (or a setuid binary) to run, as upstream's `make install` sets it up.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
src="$(cd "${1:?usage: scripts/bench-baselines.sh SRC (holding oj/, api-client/, isolate/)}" && pwd)"
cache="${VERDICT_BENCH_TOOLS:-$HOME/.cache/verdict/bench-tools}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
log() { printf '[bench-baselines %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The version of a source tree: its commit when it is a clone, else a hash of its files.
revision() {
  if git -C "$1" rev-parse HEAD >/dev/null 2>&1; then
    git -C "$1" rev-parse HEAD
  else
    (cd "$1" && find . -type f -not -path './.git/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-40)
  fi
}

apt_need() {
  local need=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} with apt-get"
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
      { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
  fi
}

mkdir -p "$cache/bin"

# oj: the command-line tool and its API client, from source, with Debian's Python libraries (what
# they import: requests, bs4, lxml, appdirs, colorama, colorlog, packaging; jsonschema is used only
# by the client's own `oj-api` command, not by `oj`). Debian 12's packaging is 23.0 where oj's
# setup.py asks for 24; only its update check uses it (`packaging.version.parse`), so the
# dependency check is skipped (--no-deps) rather than fetching a newer one.
if [ -d "$src/oj" ] && [ -d "$src/api-client" ]; then
  want="oj $(revision "$src/oj") api-client $(revision "$src/api-client")"
  if [ -x "$cache/oj/venv/bin/oj" ] && [ "$(cat "$cache/oj/.installed" 2>/dev/null)" = "$want" ]; then
    log "oj already installed ($want)"
  else
    apt_need python3 python3-venv python3-pip python3-setuptools python3-requests python3-bs4 python3-lxml \
      python3-appdirs python3-colorama python3-colorlog python3-packaging
    log "installing oj from $src/oj and $src/api-client"
    rm -rf "$cache/oj"
    # Debian's interpreter, not whatever python3 is first on PATH (pyenv): its site-packages hold the libraries.
    /usr/bin/python3 -m venv --system-site-packages "$cache/oj/venv"
    build="$(mktemp -d)"
    trap 'rm -rf "$build"' EXIT
    cp -r "$src/oj" "$src/api-client" "$build/"
    "$cache/oj/venv/bin/pip" install --quiet --no-deps --no-index --no-build-isolation --disable-pip-version-check \
      "$build/api-client" "$build/oj"
    echo "$want" >"$cache/oj/.installed"
  fi
  ln -sf "$cache/oj/venv/bin/oj" "$cache/bin/oj"
  log "oj: $("$cache/bin/oj" --version 2>/dev/null | tail -n 1 || echo 'installed, but `oj --version` failed')"
else
  log "no $src/oj and $src/api-client: oj skipped"
fi

# isolate: only the sandbox binary (`make isolate`: no asciidoc for the manual pages, no libsystemd
# for the cgroup keeper), its config file compiled in as a path under the cache folder. Boxes get
# uids/gids 60000.. (first_uid, not subid_user: no system user to create). The cgroup root is named
# because the config requires one; it is used only with --cg, which needs a cgroup v2 hierarchy
# with its controllers delegated (isolate-check-environment tells).
if [ -d "$src/isolate" ]; then
  want="isolate $(revision "$src/isolate")"
  if [ -x "$cache/isolate/isolate" ] && [ "$(cat "$cache/isolate/.installed" 2>/dev/null)" = "$want" ]; then
    log "isolate already built ($want)"
  else
    apt_need gcc make pkg-config libcap-dev libseccomp-dev
    log "building isolate from $src/isolate"
    rm -rf "$cache/isolate"
    mkdir -p "$cache/isolate/box" "$cache/isolate/locks"
    cp -r "$src/isolate" "$cache/isolate/src"
    make -s -C "$cache/isolate/src" isolate CONFIG="$cache/isolate/isolate.cf" >/dev/null
    cp "$cache/isolate/src/isolate" "$cache/isolate/isolate"
    cat >"$cache/isolate/isolate.cf" <<EOF
# Written by Verdict's scripts/bench-baselines.sh for the benchmark's baseline.
box_root = $cache/isolate/box
lock_root = $cache/isolate/locks
cg_root = auto:/run/isolate/cgroup
first_uid = 60000
first_gid = 60000
num_boxes = 1000
EOF
    echo "$want" >"$cache/isolate/.installed"
  fi
  ln -sf "$cache/isolate/isolate" "$cache/bin/isolate"
  log "isolate: $("$cache/bin/isolate" --version 2>/dev/null | grep -v '^(c)' | paste -sd ' ' || echo 'built, but `isolate --version` failed')"
else
  log "no $src/isolate: isolate skipped"
fi
log "tools in $cache/bin"
