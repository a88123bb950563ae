#!/usr/bin/env bash
# Runs a benchmark and writes its section of BENCHMARKS.md: scripts/bench.sh timeline|playback|speed|burst|queries|soak|soak-cluster|export
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh --bench
mvn -B -ntp -q -DskipTests install
mvn -B -ntp -q -pl bench exec:java -Dexec.args="$* $(pwd)/BENCHMARKS.md"
