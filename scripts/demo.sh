#!/usr/bin/env bash
# Installs missing packages, builds, and runs the main job: a simulated charging session (EVSE + PEV, no hardware).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh"
exec "${BUILD_DIR:-$here/build}/ccsplc" demo "$@"
