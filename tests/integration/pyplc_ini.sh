#!/usr/bin/env bash
# pyPLC's ini as it is (tests/fixtures/pyPlc.ini: every key of its current template): `ccsplc pev -c` accepts
# every key, names the ones without a use in ONE warning line, and refuses the template's charge_target_voltage
# (270 V, below the simulated battery) at start with a clear message; with the target raised the session runs.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
. "$(dirname "$0")/lib/realtime.sh"   # --sim runs on real timers too
: "${CCS_SOURCE_DIR:?}"
ini=$CCS_SOURCE_DIR/tests/fixtures/pyPlc.ini
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*; do echo "== $f"; tail -20 "$f"; done; exit 1; }

# the template as it is: 270 V can never charge a battery at 350-390 V: exit 2 at once, the key and the need named
timeout 30 "$CCSPLC" pev -c "$ini" --sim >"$tmp/as_is.out" 2>"$tmp/as_is.err" </dev/null
rc=$?
[ "$rc" = 2 ] || fail "template as it is: exit $rc, expected 2"
grep -q "charge_target_voltage.* 270 V is below its battery's voltage.*set it to at least [0-9]* V" "$tmp/as_is.err" ||
    fail "template as it is: no clear refusal"
! grep -q "unknown key" "$tmp/as_is.err" || fail "a template key refused"
echo "ok: the template's charge_target_voltage = 270 is refused at start: $(grep -o 'below its.*' "$tmp/as_is.err")"

# the same file with the target voltage from the command line: a whole session
timeout 60 "$CCSPLC" pev -c "$ini" --sim --target-voltage 410 --soc 70 --target-soc 72 >"$tmp/run.out" 2>"$tmp/run.err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "template with --target-voltage 410: exit $rc"
grep -q "result      ended normally" "$tmp/run.out" || fail "template run: result"
n=$(grep -c "pyPLC keys not used here" "$tmp/run.err")
[ "$n" = 1 ] || fail "expected one warning line for the unused keys, got $n"
for k in display_via_serial logging_url evsemode_environment sniffer_print_raw_exi smart_listener_configuration; do
    grep "pyPLC keys not used here" "$tmp/run.err" | grep -q "$k" || fail "unused key $k not named"
done
for k in charge_target_voltage digital_output_device serial_baud mqtt_broker soc_callback_endpoint; do   # used: not in the warning
    ! grep "pyPLC keys not used here" "$tmp/run.err" | grep -q "$k" || fail "used key $k named as unused"
done
# every key of the fixture is either used or named in that line
used=" mode is_simulation_without_modems eth_interface digital_output_device analog_input_device serial_port "
used+="serial_baud u_delta_max_for_end_of_precharge charge_target_voltage exit_on_session_end "
used+="mqtt_broker mqtt_topic charge_parameter_backend soc_callback_enabled soc_callback_endpoint "
used+="soc_fallback_energy_capacity "   # docs/hardware.md: MQTT and the SoC callback
warning=$(grep "pyPLC keys not used here" "$tmp/run.err" | sed 's/.*(read and ignored): //')
keys=$(grep -E '^[a-z_]+ *=' "$ini" | cut -d= -f1 | tr -d ' ')
[ "$(echo "$keys" | wc -l)" = 35 ] || fail "fixture: not the template's 35 keys"
for k in $keys; do
    case "$used" in *" $k "*) continue ;; esac
    case ", $warning," in *", $k,"*) ;; *) fail "key $k neither used nor named in the warning" ;; esac
done
echo "ok: every template key accepted ($(echo "$keys" | wc -l) keys), the unused ones in one warning line"
