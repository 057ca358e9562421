#!/usr/bin/env bash
# `ccsplc evse` / `ccsplc pev` --sim with the ISO 15118-20 options (docs/config.md): --vas internet (the charger's
# VASList, the car's ServiceDetail of service 65 and its selection of the https set), --control-mode scheduled and
# --departure (the car's ServiceSelection and ScheduleExchangeReq), --receipt (the charger's MeteringConfirmation
# notification, the car's MeteringConfirmationReq of that reading), the same from an INI file; --renegotiate-at (the
# car's SessionStop ServiceRenegotiation, the services again in the same session) and [evse] service_renegotiation
# = no (not supported, never asked); bad values exit 2.
set -u
CCSPLC=${CCSPLC:?path of the ccsplc binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -20 "$f"; }; done; exit 1; }
run() {   # run NAME EXPECTED_EXIT ARGS...: bounded; the capture decoded as JSON Lines into $tmp/NAME.json
    local name=$1 want=$2; shift 2
    timeout 120 "$CCSPLC" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    local got=$?
    [ "$got" = "$want" ] || fail "$name: exit $got, expected $want ($*)"
    [ "$want" != 0 ] || "$CCSPLC" decode --json "$tmp/$name.pcapng" >"$tmp/$name.json" 2>/dev/null ||
        fail "$name: decode"
}
has() {   # has NAME MESSAGE PATTERN: a MESSAGE of NAME's capture whose fields match PATTERN
    grep "\"msg\":\"$2\"" "$tmp/$1.json" | grep -q "$3" || fail "$1: no $2 with $3"
}

car="--soc 70 --target-soc 71 --capacity 10"
run opts 0 pev --sim $car --vas internet --control-mode scheduled --departure 3600 --pcap "$tmp/opts.pcapng"
has opts ServiceDiscoveryRes '"VASList.Service\[0\].ServiceID":"65"'
has opts ServiceDetailReq '"ServiceID":"65"'
has opts ServiceSelectionReq '"SelectedEnergyTransferService.ParameterSetID":"2","SelectedVASList.SelectedService\[0\].ServiceID":"65","SelectedVASList.SelectedService\[0\].ParameterSetID":"4"'
has opts ScheduleExchangeReq '"Scheduled_SEReqControlMode.DepartureTime":"3600"'
grep -q "result      ended normally" "$tmp/opts.out" || fail "opts: not ended normally"
echo "ok: --vas internet, --control-mode scheduled, --departure 3600 on the wire"

run receipt 0 evse --sim --receipt 2 --pcap "$tmp/receipt.pcapng"
has receipt DC_ChargeLoopRes '"EVSEStatus.EVSENotification":"MeteringConfirmation","MeterInfo.MeterID"'
has receipt MeteringConfirmationReq '"SignedMeteringData.MeterInfo.ChargedEnergyReadingWh"'
has receipt MeteringConfirmationRes '"ResponseCode":"OK"'
! grep -q "MeteringConfirmation" <(grep -v '"msg":"\(DC_ChargeLoopRes\|MeteringConfirmationReq\|MeteringConfirmationRes\)"' "$tmp/receipt.json") ||
    fail "receipt: MeteringConfirmation elsewhere"
echo "ok: --receipt 2: the charger asks, the car confirms, OK"

printf '[evse]\nreceipt_interval = 2\nvas = internet\n[pev]\nvas = internet\ncontrol_mode = scheduled\ndeparture = 600\n' >"$tmp/ini.ini"
run ini 0 pev --sim $car -c "$tmp/ini.ini" --pcap "$tmp/ini.pcapng"
has ini ServiceSelectionReq '"SelectedVASList.SelectedService\[0\].ServiceID":"65"'
has ini ScheduleExchangeReq '"Scheduled_SEReqControlMode.DepartureTime":"600"'
has ini MeteringConfirmationReq '"SignedMeteringData.Scheduled_SMDTControlMode.SelectedScheduleTupleID":"1"'
echo "ok: the same from [evse] receipt_interval, vas and [pev] vas, control_mode, departure"

run reneg 0 pev --sim $car --renegotiate-at 71 --target-soc 72 --pcap "$tmp/reneg.pcapng"
has reneg SessionStopReq '"ChargingSession":"ServiceRenegotiation"'
has reneg SessionStopRes '"ResponseCode":"OK"'
has reneg SessionStopReq '"ChargingSession":"Terminate"'
[ "$(grep -c '"msg":"ServiceDiscoveryReq"' "$tmp/reneg.json")" = 2 ] || fail "reneg: not two ServiceDiscoveryReq"
[ "$(grep -c '"msg":"SessionSetupReq"' "$tmp/reneg.json")" = 1 ] || fail "reneg: not one session"
grep -q "result      ended normally" "$tmp/reneg.out" || fail "reneg: not ended normally"
printf '[evse]\nservice_renegotiation = no\n[pev]\nrenegotiate_at = 71\n' >"$tmp/noreneg.ini"
run noreneg 0 pev --sim $car --target-soc 72 -c "$tmp/noreneg.ini" --pcap "$tmp/noreneg.pcapng"
has noreneg ServiceDiscoveryRes '"ServiceRenegotiationSupported":"false"'
! grep -q '"ServiceRenegotiation"' "$tmp/noreneg.json" || fail "noreneg: renegotiated"
echo "ok: --renegotiate-at 71: SessionStop ServiceRenegotiation OK, the services again, one session; [evse]" \
    "service_renegotiation = no: not supported, not asked"

run bad_reneg 2 pev --sim --renegotiate-at 0
run charger_reneg 2 evse --sim --renegotiate-at 50
run car_noreneg 2 pev --sim --no-renegotiation
run bad_vas 2 pev --sim --vas parking
run bad_mode 2 pev --sim --control-mode smart
run charger_mode 2 evse --sim --control-mode scheduled
printf '[pev]\ncontrol_mode = fast\n' >"$tmp/bad.ini"
run bad_ini 2 pev --sim -c "$tmp/bad.ini"
echo "ok: bad values and a car's option given to the charger refused (exit 2)"
