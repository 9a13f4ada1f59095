#!/usr/bin/env bash
# The isolate baseline as a minimal judge would drive it: every test of a folder (NAME.in, NAME.out)
# run in an isolate box with limits and a meta file, its output compared byte for byte with the
# answer (bash builtins: no process per comparison), stopping at the first failure. Either one box
# reused for every test, set up before (`isolate --init` and the binary copied in as ./sol, once: the
# box stays warm as Verdict's daemon keeps its containers), or, given BINARY, a new box per test as
# CMS uses them (--init, copy, run, --cleanup).
#   bench/isolate-judge.sh ISOLATE BOX_ID TESTS_DIR [BINARY]
# Prints "ok N" and exits 0 when all N tests passed. No --cg: see README, Performance.
set -euo pipefail
isolate="$1" box_id="$2" tests="$3" binary="${4:-}"
fresh="$binary"
limits=(--box-id="$box_id" --time=2 --wall-time=5 --mem=262144 --processes=1 --fsize=65536 --silent)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

n=0
for input in "$tests"/*.in; do
  answer="${input%.in}.out"
  if [ -n "$fresh" ]; then
    cp "$binary" "$("$isolate" --box-id="$box_id" --init)/box/sol"
  fi
  status=0
  "$isolate" "${limits[@]}" --meta="$scratch/meta" --run -- ./sol <"$input" >"$scratch/out" 2>"$scratch/err" || status=$?
  if [ -n "$fresh" ]; then "$isolate" --box-id="$box_id" --cleanup; fi
  if [ "$status" -ne 0 ]; then
    echo "test $input: isolate exited $status: $(cat "$scratch/meta" "$scratch/err")" >&2
    exit 1
  fi
  got="" want=""
  IFS= read -r -d '' got <"$scratch/out" || true
  IFS= read -r -d '' want <"$answer" || true
  if [ "$got" != "$want" ]; then
    echo "test $input: wrong answer" >&2
    exit 1
  fi
  n=$((n + 1))
done
echo "ok $n"
