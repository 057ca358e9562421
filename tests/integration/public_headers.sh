#!/usr/bin/env bash
# Every public header (include/ccsplc/**, and the generated version.h) stands alone: it compiles by itself as
# C11 and, with its extern "C" guard, as C++.
set -euo pipefail
: "${CCS_SOURCE_DIR:?}" "${CCS_BUILD_DIR:?}"
cc=${CC:-cc}
cxx=$(command -v c++ || command -v g++ || command -v clang++ || true)
inc=(-I"$CCS_SOURCE_DIR/include" -I"$CCS_BUILD_DIR/include")
n=0
while read -r h; do
    grep -q 'extern "C"' "$CCS_SOURCE_DIR/include/$h" || { echo "FAIL: $h has no extern \"C\" guard"; exit 1; }
    echo "#include \"$h\"" | "$cc" -x c -std=c11 -Wall -Wextra -Werror "${inc[@]}" -fsyntax-only - ||
        { echo "FAIL: $h does not compile alone as C11"; exit 1; }
    if [ -n "$cxx" ]; then
        echo "#include \"$h\"" | "$cxx" -x c++ -std=c++17 -Wall -Wextra -Werror "${inc[@]}" -fsyntax-only - ||
            { echo "FAIL: $h does not compile as C++"; exit 1; }
    fi
    n=$((n + 1))
done < <(cd "$CCS_SOURCE_DIR/include" && find ccsplc -name '*.h' | sort)
[ -f "$CCS_BUILD_DIR/include/ccsplc/core/version.h" ] || { echo "FAIL: no generated version.h"; exit 1; }
echo '#include "ccsplc/core/version.h"
#if CCSPLC_VERSION_NUMBER != CCSPLC_VERSION_MAJOR * 10000 + CCSPLC_VERSION_MINOR * 100 + CCSPLC_VERSION_PATCH
#error version macros disagree
#endif
char v[] = CCSPLC_VERSION_STRING;' | "$cc" -x c -std=c11 -Werror "${inc[@]}" -fsyntax-only -
echo "public headers: $n compile alone as C11${cxx:+ and C++}"
