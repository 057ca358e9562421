#!/usr/bin/env bash
# `ccsplc evse -i IF` / `ccsplc pev -i IF` on an interface without a HomePlug modem (a veth pair, no plcsim): each
# asks the modem first (GET_SW) and says "no HomePlug modem answered on IF" with the next step within 2 s of real
# time, instead of waiting silently for SLAC. With plcsim on the other end the modem answers (no such line).
# Needs root and `ip netns`.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/netns.sh"

id=$$
SIM=ccsMs$id; NS=ccsMh$id
veth "$SIM" "$NS" m$id   # hm$id in NS; nothing answers on sm$id

ms() { date +%s%3N; }
for role in evse pev; do
    t0=$(ms)
    ip netns exec "$NS" timeout 8 "$CCSPLC" "$role" -i "hm$id" -t 4 >"$tmp/$role.out" 2>"$tmp/$role.log" </dev/null &
    pids+=($!)
    seen=
    while [ $(( $(ms) - t0 )) -lt 5000 ]; do
        grep -q "no HomePlug modem answered on hm$id" "$tmp/$role.log" && { seen=$(( $(ms) - t0 )); break; }
        sleep 0.02
    done
    [ -n "$seen" ] || fail "$role: no 'no HomePlug modem answered' line within 5 s"
    [ "$seen" -le 2000 ] || fail "$role: the no-modem line came after $seen ms (> 2 s)"
    grep -q "ccsplc modem list -i hm$id" "$tmp/$role.log" || fail "$role: no next step in the message"
    echo "ok: $role -i hm$id without a modem: said after $seen ms, with the next step"
done
wait

# plcsim on the other end plays the modem: it answers, nothing is said
start_plcsim "$SIM" "$tmp/plcsim.log" --port "evse=sm$id,role=evse"
ip netns exec "$NS" timeout 8 "$CCSPLC" evse -i "hm$id" -t 3 >"$tmp/sim.out" 2>"$tmp/sim.log" </dev/null
grep -q "modem: .* on hm$id answered" "$tmp/sim.log" || fail "plcsim's modem did not answer"
! grep -q "no HomePlug modem" "$tmp/sim.log" || fail "no-modem line with a modem"
echo "ok: with plcsim's modem: it answered, no warning"
