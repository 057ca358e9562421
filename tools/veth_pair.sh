# Sourced by the manual interop runs (tools/josev/run.sh, tools/everest/run.sh): veth_pair NS1 IF1 NS2 IF2 makes two
# network namespaces joined by one veth pair (IF1 in NS1, IF2 in NS2), loopback and the link up without duplicate
# address detection (the link-local addresses are usable at once), and removes both namespaces when the script exits.
veth_pair() {
    # shellcheck disable=SC2064 # the names are fixed now
    trap "ip netns del $1 2>/dev/null; ip netns del $3 2>/dev/null" EXIT
    ip netns add "$1" && ip netns add "$3"
    ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
    local ns dev
    for x in "$1 $2" "$3 $4"; do
        read -r ns dev <<<"$x"
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.accept_dad=0"
        ip netns exec "$ns" ip link set "$dev" up
    done
}
