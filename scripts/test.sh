#!/usr/bin/env bash
# Runs every test: unit tests, and end-to-end tests through HTTP against the XProtect simulator and
# a PostgreSQL the tests start themselves (or TEST_PG_URL=postgresql://user@host:port).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh
mvn -B -ntp verify "$@"
