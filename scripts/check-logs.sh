#!/usr/bin/env bash
# Reads every log the test suite wrote (each test class's output, which holds the in-process
# gateways' logs, and the logs of the gateway processes the tests start) for secrets: the tests'
# passwords, bearer tokens (JWTs, ours and the simulated IDP's), XProtect VMS tokens and refresh
# tokens. Any hit fails, naming the file and line. Run by scripts/test.sh after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
logs=( */target/surefire-reports/*-output.txt */target/test-logs/*.log )
if [ ${#logs[@]} -eq 0 ]; then
  echo "check-logs: no test output found (run the tests first)" >&2
  exit 1
fi
# The passwords the tests use; a JWT (header.payload.); a VMS token; a refresh token field.
patterns='harness-admin-password|harness-user-password|long enough password|another long password|bench-admin-password|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.|TOKEN#[0-9a-f-]{36}|refreshToken"?[:=] *"?[A-Za-z0-9_-]{40}'
if grep -a -n -E "$patterns" "${logs[@]}" | cut -c1-300; then
  echo "check-logs: secrets were logged (above)" >&2
  exit 1
fi
echo "check-logs: ${#logs[@]} log files, no password, token or key in them"
