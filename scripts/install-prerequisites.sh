#!/usr/bin/env bash
# Installs what the gateway and its tests need on a Debian machine: PostgreSQL server binaries,
# GStreamer with the plugins the transcoder and the simulator use, ffmpeg (ffprobe for the tests),
# Maven/JDK and npm (the dashboard's build) if missing, and with --tests Chromium for the browser tests. Each package group is installed only when its tool is absent, so a second run is instant.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }

ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
have gst-inspect-1.0 && gst-inspect-1.0 mpegtsmux >/dev/null 2>&1 && gst-inspect-1.0 x264enc >/dev/null 2>&1 \
  && gst-inspect-1.0 x265enc >/dev/null 2>&1 \
  || need+=(gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
            gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x)
have ffprobe || need+=(ffmpeg)
have mvn || need+=(maven)
have javac || need+=(openjdk-17-jdk-headless)
# The dashboard is built with the machine's npm (Maven runs it; no node download).
have npm || need+=(nodejs npm)
# With --tests: what only the tests use (Chromium for the browser tests, Prometheus's promtool to check the scrape and the alert rules, nginx to check signed URLs with its
# secure_link module and to run deploy/'s site config in the cluster harness, openssl and curl for the HTTPS test and the harness).
if [ "${1:-}" = "--tests" ]; then
  have chromium || need+=(chromium)
  have promtool || need+=(prometheus)
  have nginx || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  have openssl || need+=(openssl)
  have curl || need+=(curl)
  # deploy/'s checks: systemd-analyze verifies the unit.
  have systemd-analyze || need+=(systemd)
fi
# With --bench: the reference tools the benchmarks measure against (nginx, and wrk to load it), and
# curl for the cluster harness the queries and soak-cluster benchmarks run (jcmd comes with the JDK).
if [ "${1:-}" = "--bench" ]; then
  have nginx || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  have wrk || need+=(wrk)
  have curl || need+=(curl)
fi

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "Installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
