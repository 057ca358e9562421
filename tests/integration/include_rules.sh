#!/usr/bin/env bash
# The layering of includes (scripts/include-rules.py, docs/architecture.md) holds for the tree, and the checker
# catches each kind of violation planted in a scratch tree.
set -euo pipefail
: "${CCS_SOURCE_DIR:?}"
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
rules=$CCS_SOURCE_DIR/scripts/include-rules.py
python3 "$rules" "$CCS_SOURCE_DIR"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plant() {  # $1: file (relative), $2: its include line, $3: the complaint expected
    rm -rf "$tmp/t" && mkdir -p "$tmp/t/src/hpgp" "$tmp/t/include/ccsplc/core" "$(dirname "$tmp/t/$1")"
    : >"$tmp/t/src/hpgp/slac_internal.h"
    printf '%s\n' "$2" >"$tmp/t/$1"
    local out
    if out=$(python3 "$rules" "$tmp/t"); then echo "FAIL: not caught: $1: $2"; exit 1; fi
    grep -qF "$3" <<<"$out" || { echo "FAIL: $1: $2: expected '$3', got: $out"; exit 1; }
}
plant src/v2g/x.c '#include "ccsplc/linux/log.h"' "core code includes linux header"
plant src/exi/x.c '#include "ccsplc/sim/plant.h"' "core code includes sim header"
plant src/sim/x.c '#include "ccsplc/tools/decode.h"' "sim code includes tools header"
plant include/ccsplc/core/x.h '#include "ccsplc/tools/exi_text.h"' "core code includes tools header"
plant src/v2g/x.c '#include "hpgp/slac_internal.h"' "module v2g includes hpgp's private header"
plant src/sim/x.c '#include "../hpgp/slac_internal.h"' "module sim includes hpgp's private header"
plant src/transport/x.c '#include <stdio.h>' "sans-I/O core code includes <stdio.h>"
plant src/sim/x.c '#include <stdlib.h>' "sans-I/O sim code includes <stdlib.h>"
plant include/ccsplc/core/x.h '#include "slac_internal.h"' "public header includes private header"
echo "include rules: the tree passes, planted violations are caught"
