#!/usr/bin/env bash
# Installs missing packages and builds ccsplc with its tests into ./build (BUILD_DIR overrides; extra args go to
# cmake); warnings are errors here (CCS_WERROR=ON), as in CI. Tests and the Wireshark plugin are switched on
# explicitly: a build directory scripts/demo.sh configured without them gets them here.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/deps.sh"
build=${BUILD_DIR:-$here/build}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} -DCCS_WERROR=ON -DBUILD_TESTING=ON \
      -DCCS_WIRESHARK=AUTO "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" >&2
