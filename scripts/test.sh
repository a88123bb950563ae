#!/usr/bin/env bash
# Runs every test: unit tests, and end-to-end tests through HTTP against the XProtect simulator and
# a PostgreSQL the tests start themselves (or TEST_PG_URL=postgresql://user@host:port), and an hls.js
# browser test in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh --tests
# The browser test's npm packages (playwright-core drives Debian's Chromium; hls.js plays).
(cd gateway/src/test/browser && npm ci --no-audit --no-fund --loglevel=error)
mvn -B -ntp verify "$@"
# No password, token or key in any log the tests wrote.
scripts/check-logs.sh
