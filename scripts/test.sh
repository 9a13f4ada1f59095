#!/usr/bin/env bash
# The test command (`npm test`): sets up what is missing, type-checks, then runs the unit tests and
# the tests against real Docker, real images and real sandboxes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
# CLI tests attach to this user's background runner (docs/daemon.md): it is stopped when the tests end, pass or fail.
trap 'node bin/verdict.js daemon stop >/dev/null 2>&1 || true' EXIT
npx tsc -b   # each part (protocol, runner, server, client) on its own, then tests, bench and scripts
npx prettier --check --log-level warn "{protocol,runner,server,client,test,bench,scripts,media}/**/*.{ts,mjs}"   # `npm run format` fixes
node --import tsx --test --test-concurrency=1 --test-timeout=600000 test/unit/*.test.ts test/docker/*.test.ts
