#!/usr/bin/env bash
# Installs missing packages, builds, and runs every test (unit + integration) with CTest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh" ${CMAKE_ARGS:-}   # CMAKE_ARGS: extra cmake options (e.g. -DCCS_SANITIZE=ON)
cd "${BUILD_DIR:-$here/build}"
ctest --output-on-failure -j"$(nproc)" "$@"
