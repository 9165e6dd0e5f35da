#!/usr/bin/env bash
# The test command: install missing real servers, type-check, run every tap suite.
# Prints tap's TAP stream and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
./node_modules/.bin/tsc --noEmit
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
set +e
./node_modules/.bin/tap -R tap "$@" | node scripts/tap-summary.mjs
rc=${PIPESTATUS[0]}
set -e
exit "$rc"
