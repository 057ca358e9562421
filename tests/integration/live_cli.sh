#!/usr/bin/env bash
# `ccsplc evse` / `ccsplc pev` without root: --sim sessions (the simulated modems and peer in-process) from the
# command line and from an INI file with pyPLC's key names; --pcap of a --sim run; config and usage errors
# (exit 2, the file's line named).
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/realtime.sh"   # --sim runs on real timers too
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -20 "$f"; }; done; exit 1; }
run() {   # run NAME EXPECTED_EXIT ARGS...: bounded, output in $tmp/NAME.out/.err
    local name=$1 want=$2; shift 2
    timeout 60 "$CCSPLC" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    local got=$?
    [ "$got" = "$want" ] || fail "$name: exit $got, expected $want ($*)"
}

# --sim from the command line: both roles end normally at the target SoC (the battery model's number)
run sim_pev 0 pev --sim --soc 70 --target-soc 72 --capacity 10 --pcap "$tmp/sim.pcapng"
grep -q "result      ended normally" "$tmp/sim_pev.out" || fail "pev --sim result"
grep -Eq "SoC 70.0 % -> 72\.[0-9]+ %" "$tmp/sim_pev.out" || fail "pev --sim SoC"
run sim_evse 0 evse --sim --max-current 50
grep -q "result      ended normally" "$tmp/sim_evse.out" || fail "evse --sim result"
# the default charger and the simulated default car negotiated ISO-20 DC (the car's first choice); the charger's
# limit reached the session: its charge loop responses at 50 A, none above
grep -q "^evse session (iso20-dc, simulated peer)" "$tmp/sim_evse.out" || fail "evse --sim: not ISO-20 DC"
awk '/<charger DC_ChargeLoopRes/ { n++; for (i = 1; i <= NF; i++) if ($i ~ /^A=/) { a = substr($i, 3); if (a == "") a = $(i + 1)
         if (a + 0 > 50.05) bad = 1; if (a + 0 > 49.9) at++ } }
     END { exit bad || !n || !at }' "$tmp/sim_evse.out" || fail "evse --sim --max-current 50 exceeded (or never reached)"
# the car's list: DIN only, ISO-2 AC; a car cannot list AC and DC; bad lists
run sim_din 0 pev --sim --proto din --soc 70 --target-soc 71 --capacity 10
grep -q "^pev session (din, simulated peer)" "$tmp/sim_din.out" || fail "pev --sim --proto din: not DIN"
run sim_ac 0 pev --sim --proto ' iso2-ac ' --soc 70 --target-soc 71 --capacity 10
grep -q "^pev session (iso2-ac, simulated peer)" "$tmp/sim_ac.out" || fail "pev --sim --proto iso2-ac: not ISO-2 AC"
run mixed 1 pev --sim --proto iso2-ac,din
grep -q "a car charges AC (iso2-ac, iso20-ac) or DC" "$tmp/mixed.err" || fail "pev --proto iso2-ac,din: not refused with why"
run empty_entry 1 evse --sim --proto din,,iso2-dc
run iso20_wpt 1 evse --sim --proto din,iso20-wpt
run sim_iso20_ac 0 pev --sim --proto iso20-ac,iso2-ac --soc 70 --target-soc 71 --capacity 10
grep -q "^pev session (iso20-ac, simulated peer)" "$tmp/sim_iso20_ac.out" || fail "pev --sim --proto iso20-ac: not ISO-20 AC"
run evse_ac 0 evse --sim --proto iso2-ac,iso20-ac
grep -q "^evse session (iso20-ac, simulated peer)" "$tmp/evse_ac.out" || fail "evse --sim AC only: the simulated car's ISO-20 AC first"
echo "ok: protocol lists: the negotiated protocol named, a car's AC and DC refused, bad lists refused"
"$CCSPLC" decode "$tmp/sim.pcapng" >"$tmp/decode.out" 2>&1 || fail "decode of the --sim pcap"
grep -q "end      SessionStop (OK)" "$tmp/decode.out" || fail "--sim pcap: no complete session"
echo "ok: --sim sessions for both roles, --pcap decodes"

# A charger whose maximum (300 V, from the INI file for the simulated charger) is below the battery's voltage:
# the car refuses its limits at ChargeParameterDiscovery and does not precharge (issue 16 item 9)
printf '[evse]\nmax_voltage = 300\n' >"$tmp/low_max.ini"
run sim_low_max 1 pev --sim -c "$tmp/low_max.ini"
grep -q "stop        charger limits impossible" "$tmp/sim_low_max.out" || fail "pev --sim, charger at 300 V: stop reason"
! grep -q "PreChargeReq" "$tmp/sim_low_max.out" || fail "pev --sim, charger at 300 V: precharged"
echo "ok: a charger maximum below the battery is refused at ChargeParameterDiscovery"

# pyPLC's key names: mode (the command wins), is_simulation_without_modems, charge_target_voltage,
# u_delta_max_for_end_of_precharge; keys without a meaning here are ignored; ours in [pev]
cat >"$tmp/pyPlc.ini" <<'INI'
# pyPlc.ini as pyPLC users have it
[general]
mode = EvseMode
is_simulation_without_modems = true
eth_interface = eth0
display_via_serial = yes
charge_target_voltage = 390
u_delta_max_for_end_of_precharge = 8
exit_on_session_end = True
[pev]
soc = 40
target_soc = 41
capacity_kwh = 10
INI
run ini_pev 0 pev -c "$tmp/pyPlc.ini"
grep -q "mode = EvseMode ignored" "$tmp/ini_pev.err" || fail "mode mismatch not reported"
grep -Eq "SoC 40.0 % -> 41\.[0-9]+ %" "$tmp/ini_pev.out" || fail "ini soc/target_soc not applied"
run ini_override 0 pev -c "$tmp/pyPlc.ini" --target-soc 42
grep -Eq "SoC 40.0 % -> 42\.[0-9]+ %" "$tmp/ini_override.out" || fail "command line did not win over the file"
echo "ok: pyPlc.ini keys read, command line wins"

# a car whose target voltage (270 V, its maximum too) is below its battery (347 V at 20 %) cannot be charged: the
# session ends at once, not after 6 h of no current, with a named stop reason; not normal (exit 1)
printf '[general]\ncharge_target_voltage = 270\n' >"$tmp/low.ini"
run low_target 1 evse --sim -c "$tmp/low.ini"
grep -Eq "^  stop        [a-z]" "$tmp/low_target.out" || fail "low target: no stop reason"
grep -q "result      FAILED" "$tmp/low_target.out" || fail "low target: result"
echo "ok: a target below the battery ends with '$(grep -o 'stop  .*' "$tmp/low_target.out")'"

# refusals: exit 2 and the line
bad() {   # bad NAME LINE TEXT
    printf '%b' "$3" >"$tmp/$1.ini"
    run "$1" 2 pev --sim -c "$tmp/$1.ini"
    grep -q "line $2" "$tmp/$1.err" || fail "$1: line $2 not named: $(cat "$tmp/$1.err")"
}
bad unknown_key 2 '[pev]\nsocc = 10\n'
bad out_of_range 3 '[pev]\nsoc = 10\ntarget_soc = 170\n'
bad not_a_number 2 '[evse]\nmax_current = lots\n'
bad no_separator 1 'just words\n'
bad bad_section 1 '[pev\n'
bad bad_bool 2 '[general]\nsim = maybe\n'
run missing 2 pev --sim -c "$tmp/does-not-exist.ini"
grep -q "cannot read" "$tmp/missing.err" || fail "missing file"
run no_if 2 evse
run bad_stop 2 pev --sim --stop-after charge
run evse_opt_on_pev 2 pev --sim --max-current 10
run soc_order 2 pev --sim --soc 80 --target-soc 70
run help 0 evse --help
grep -q "stop-after" "$tmp/help.out" || fail "--help"
run proto 1 pev --sim --proto nonesuch
# TLS (docs/pnc.md): the car's mode names, role-only options, settings refused before anything starts
bad bad_tls_mode 2 '[tls]\nmode = sometimes\n'
run tls_mode 2 pev --sim --tls sometimes
run tls_only_on_pev 2 pev --sim --tls-only
run tls_on_evse 2 evse --sim --tls ask
run tls_no_roots 1 pev -i lo --tls require
grep -q "needs its V2G root certificate" "$tmp/tls_no_roots.err" || fail "tls: a car without roots"
run tls_sim 1 pev --sim --tls ask --tls-ca /dev/null
grep -q "not with --sim" "$tmp/tls_sim.err" || fail "tls: --sim"
run tls_no_key 1 evse -i lo --tls-cert /dev/null
grep -q "a TLS server needs a certificate and its key" "$tmp/tls_no_key.err" || fail "tls: a charger without a key"
run tls_bad_cert 1 evse -i lo --tls-cert /dev/null --tls-key /dev/null
grep -q "TLS: certificate /dev/null" "$tmp/tls_bad_cert.err" || fail "tls: a certificate that does not load"
echo "ok: config and usage errors"
