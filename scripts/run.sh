#!/usr/bin/env bash
# Builds the gateway and starts it with embedded defaults: with no DATABASE_URL it runs its own
# PostgreSQL under DATA_DIR (./data), with no MILESTONE_BASE_URL it starts the XProtect simulator.
# Serves http://localhost:8080 (HTTP_PORT). Every variable of the README's table applies.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh
mvn -B -ntp -DskipTests package
exec java --enable-native-access=ALL-UNNAMED -jar gateway/target/cns-gateway.jar
