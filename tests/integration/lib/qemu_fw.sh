# Shared by tests/integration/qemu_*.sh (sourced after lib/netns.sh; not a test itself): the mps2-an386 car
# firmware built into $tmp/fw, a tap device in the plcsim namespace for its NIC, and QEMU running it there.
command -v qemu-system-arm >/dev/null || skip "needs qemu-system-arm"
command -v arm-none-eabi-gcc >/dev/null || skip "needs arm-none-eabi-gcc (gcc-arm-none-eabi)"
[ -c /dev/net/tun ] || skip "needs /dev/net/tun (tap devices)"
fw_mac=02:00:00:ca:00:12

# qemu_fw_build: the firmware into $tmp/fw (its sizes in $tmp/build.log).
qemu_fw_build() {
    "$(dirname "${BASH_SOURCE[0]}")/../../../firmware/mps2-an386/build.sh" "$tmp/fw" >"$tmp/build.log" 2>&1 ||
        fail "firmware build"
}

# qemu_tap SIM TAP: a tap device in SIM for QEMU's NIC, IPv6 off (only simulated traffic reaches the firmware).
qemu_tap() {
    inns "$1" ip tuntap add dev "$2" mode tap || skip "cannot create a tap device here"
    inns "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
    inns "$1" ip link set "$2" up
}

# start_qemu SIM TAP: QEMU in SIM (the tap lives there) in the background, its pid in qemu (and fw); its NIC's frames dumped
# as pcap into $tmp/fw.pcap (filter-dump), the UART log in $tmp/uart.log; the firmware ends the run through
# semihosting with its verdict as the exit status. -icount shift=0: each instruction is 1 ns of virtual time, so
# the firmware's 25 MHz counter counts instructions (40 per tick); sleep=on: while the firmware waits in WFI the
# virtual clock follows real time (the charger's timers are real). QEMU_ICOUNT overrides it.
icount=${QEMU_ICOUNT:-shift=0,sleep=on}
start_qemu() {
    ip netns exec "$1" timeout 300 qemu-system-arm -M mps2-an386 -kernel "$tmp/fw/car.elf" -display none \
        -monitor none -serial "file:$tmp/uart.log" -semihosting-config enable=on,target=native -icount "$icount" \
        -netdev tap,id=n0,ifname="$2",script=no,downscript=no -net nic,netdev=n0,macaddr=$fw_mac \
        -object filter-dump,id=f0,netdev=n0,file="$tmp/fw.pcap" >"$tmp/qemu.log" 2>&1 </dev/null &
    qemu=$!
    fw=$qemu   # the firmware under test, for wait_peer
    pids+=($qemu)
}
