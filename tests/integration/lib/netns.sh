# Shared by the tests/integration/netns_*.sh scripts (sourced; not a test itself): the root check, network
# namespaces and veth pairs made here and removed by an EXIT trap, plcsim started in the background, failures
# reported with the logs. Sets tmp (a scratch directory, kept when KEEP_TMP is set) and pids (background
# processes the trap kills).
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, raw sockets)"
command -v ip >/dev/null || skip "needs iproute2 (ip netns)"
. "$(dirname "${BASH_SOURCE[0]}")/realtime.sh"   # the live processes before a parallel build's load

tmp=$(mktemp -d)
pids=()
netns_made=()
netns_cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    for ns in "${netns_made[@]}"; do ip netns del "$ns" 2>/dev/null; done
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap netns_cleanup EXIT

fail() {
    echo "FAIL: $*"
    for f in "$tmp"/*.log "$tmp"/*.out; do [ -f "$f" ] && { echo "== $f"; cat "$f"; }; done
    exit 1
}
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }   # foreground only: `&` would background a subshell

# netns_add NS: a namespace (once; removed at exit) with lo up; skips the test where namespaces cannot be made.
netns_add() {
    ip netns list | grep -qw "$1" && return
    ip netns add "$1" 2>/dev/null || skip "cannot create network namespaces here"
    netns_made+=("$1")
    inns "$1" ip link set lo up
}

# veth SIM NS NAME: host end h$NAME in NS, plcsim end s$NAME in SIM. IPv6 off on the plcsim end (only simulated
# traffic reaches the hosts), no duplicate address detection on the host end (its link-local address is usable
# at once); no offloads on either end: plcsim forwards frames one by one as the socket saw them (no GSO
# super-frames, no unfilled checksums).
veth() {
    local sim=$1 ns=$2 name=$3
    netns_add "$sim"
    netns_add "$ns"
    ip link add "h$name" netns "$ns" type veth peer name "s$name" netns "$sim" || fail "veth $name"
    inns "$sim" sysctl -qw "net.ipv6.conf.s$name.disable_ipv6=1"
    inns "$ns" sysctl -qw "net.ipv6.conf.h$name.accept_dad=0"
    inns "$ns" ethtool -K "h$name" tx off gso off tso off gro off >/dev/null 2>&1
    inns "$sim" ethtool -K "s$name" tx off gso off tso off gro off >/dev/null 2>&1
    inns "$ns" ip link set "h$name" up
    inns "$sim" ip link set "s$name" up
}
# hostmac NS NAME: the MAC of h$NAME.
hostmac() { inns "$1" cat "/sys/class/net/h$2/address"; }

# start_plcsim SIM LOG ARGS...: `ccsplc plcsim ARGS` in SIM in the background (at most 300 s) until it says it
# runs; its pid in plcsim.
start_plcsim() {
    local sim=$1 log=$2
    shift 2
    ip netns exec "$sim" timeout 300 "$CCSPLC" plcsim "$@" >"$log" 2>&1 &
    plcsim=$!
    pids+=($plcsim)
    for _ in $(seq 50); do grep -q running "$log" && return; sleep 0.1; done
    fail "plcsim did not start"
}

# wait_peer PID TAG: PID's exit status; fails at once when the firmware under test (pid in fw) ends before PID.
wait_peer() {
    while kill -0 "$1" 2>/dev/null; do
        kill -0 "$fw" 2>/dev/null || { wait "$fw"; fail "$2: the firmware ended first (exit $?)"; }
        sleep 0.2
    done
    wait "$1"
}

# start_evse NAME ARGS...: `ccsplc evse -i he$id ARGS` in E in the background (at most 100 s), its output in
# $tmp/NAME.out and NAME.log; its pid in evse.
start_evse() {
    local n=$1
    shift
    ip netns exec "$E" timeout 100 "$CCSPLC" evse -i he$id "$@" >"$tmp/$n.out" 2>"$tmp/$n.log" </dev/null &
    evse=$!
    pids+=($evse)
}

# charger_and_car X: the usual three namespaces, S (plcsim), E (charger, interface he$id) and P (car, hp$id), named
# ccsXS$id, ccsXE$id, ccsXP$id, joined by plcsim at 20 dB (its log in $tmp/plcsim.log).
charger_and_car() {
    S=ccs${1}S$id; E=ccs${1}E$id; P=ccs${1}P$id
    veth "$S" "$E" e$id
    veth "$S" "$P" p$id
    start_plcsim "$S" "$tmp/plcsim.log" --port evse=se$id,role=evse --port car=sp$id,role=pev --atten evse:car=20
}

# need_iso20_keys: skip without python3 (pty_keys.py) or without ISO 15118-20 DC in this build.
need_iso20_keys() {
    command -v python3 >/dev/null || skip "needs python3"
    "$CCSPLC" demo --proto iso20-dc --soc 79 --target-soc 80 >/dev/null 2>&1 || skip "no ISO 15118-20 DC in this build"
}

# on_pty NS NAME KEY PEER -- COMMAND...: COMMAND in NS on a pseudo-terminal (pty_keys.py), KEY pressed once its
# status line shows current in DC_ChargeLoop, its terminal then in $tmp/NAME.log; the peer (pid PEER) waited for.
# Fails when either exits non-zero.
on_pty() {
    local ns=$1 name=$2 key=$3 peer=$4
    shift 5
    ip netns exec "$ns" python3 "$(dirname "$0")/pty_keys.py" "$tmp/$name.tty" \
        "DC_ChargeLoop +[0-9.]+ V +[1-9][0-9]*\.[0-9] A" "$key" 60 -- "$@" || fail "$name exit $?"
    wait "$peer" || fail "peer of $name exit $?"
    tr '\r' '\n' <"$tmp/$name.tty" >"$tmp/$name.log"
}

# evse_key KEY: `ccsplc evse -i he$id --stop-after session` in E on a pseudo-terminal, KEY pressed while charging
# (on_pty), its terminal in $tmp/evse.log; the car (pid in pev) waited for.
evse_key() {
    on_pty "$E" evse "$1" "$pev" -- timeout 55 "$CCSPLC" evse -i he$id --stop-after session --timeout 50
}
