# Sourced by integration tests that depend on how the tree under test was built: reads CCS_BUILD_DIR's CMakeCache.
# build_cache NAME prints the cached value; build_sanitized is true for ASan/UBSan (CCS_SANITIZE) and fuzz builds.
build_cache() { sed -n "s/^$1:[A-Z]*=//p" "${CCS_BUILD_DIR:?build directory}/CMakeCache.txt"; }
build_sanitized() {
    local opt
    for opt in CCS_SANITIZE CCS_FUZZ; do
        case $(build_cache "$opt") in ON|1|TRUE) return 0 ;; esac
    done
    return 1
}
