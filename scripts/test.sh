#!/usr/bin/env bash
# Installs missing packages, builds, and runs every test (unit + integration) with CTest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh" ${CMAKE_ARGS:-}   # CMAKE_ARGS: extra cmake options (e.g. -DCCS_SANITIZE=ON)
cd "${BUILD_DIR:-$here/build}"
# One test more than cores: most integration tests wait on real protocol timers (netns_session: 23 s of CPU in
# 135 s), and the live processes they start run at nice -19 (tests/integration/lib/realtime.sh). Four at once on
# two cores beside a build's load made a car miss its 250 ms once (netns_hostile). CTEST_JOBS overrides.
ctest --output-on-failure -j"${CTEST_JOBS:-$(( $(nproc) + 1 ))}" "$@"
