#!/usr/bin/env bash
# Installs missing packages and builds ccsplc into ./build (BUILD_DIR overrides; extra args go to cmake); warnings
# are errors here (CCS_WERROR=ON), as in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/deps.sh"
build=${BUILD_DIR:-$here/build}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} -DCCS_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" >&2
