# Shared by the tests/integration/*_tshark.sh scripts (sourced; not a test itself): skip without tshark, run a
# unit-test binary that dumps its frames to a pcap through an environment variable, and the helpers that
# compare what tshark reads there with what the test meant. Sets tmp, pcap and fail (the script's exit code).
# tshark_dump BINARY VARIABLE: runs $CCS_BUILD_DIR/tests/BINARY with VARIABLE=$pcap.
command -v tshark >/dev/null 2>&1 || { echo "tshark not installed"; exit 77; }
tshark_dump() {
    local bin="${CCS_BUILD_DIR:?}/tests/$1"
    [ -x "$bin" ] || { echo "missing $bin"; exit 1; }
    env "$2=$pcap" "$bin" >"$tmp/test.log" 2>&1 || { cat "$tmp/test.log"; exit 1; }
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pcap="$tmp/frames.pcap"
fail=0
ts() { tshark -r "$pcap" "$@" 2>/dev/null; }
expect() { # expect WHAT GOT WANT
    if [ "$2" != "$3" ]; then
        echo "FAIL $1: got '$2', want '$3'"
        fail=1
    else
        echo "ok   $1: $2"
    fi
}
count() { ts -Y "$1" | wc -l | tr -d ' '; }
