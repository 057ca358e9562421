#!/usr/bin/env bash
# tshark's homeplug-av dissector reads the frames of an in-process SLAC session (EVSE + PEV + simulated
# modems, dumped by test_slac with CCS_SLAC_PCAP) and names the messages and fields as we meant them.
set -euo pipefail
. "$(dirname "$0")/lib/tshark.sh"
tshark_dump test_slac CCS_SLAC_PCAP

field() { ts -Y "$1" -T fields -e "$2" | sort -u | tr '\n' ' ' | sed 's/ $//'; }

# Every frame is HomePlug AV, none malformed.
expect "frames" "$(count 'homeplug-av')" "$(count 'frame')"
expect "malformed" "$(count '_ws.malformed')" "0"

# Message names, as tshark spells them, with their counts.
names=$(ts -T fields -e _ws.col.Info | sed -e 's/^Qualcomm Atheros, //' -e 's/ (.*//' | sort | uniq -c |
        awk '{print $2 "=" $1}' | tr '\n' ' ' | sed 's/ $//')
want="CM_ATTEN_CHAR.IND=1 CM_ATTEN_CHAR.RSP=1 CM_ATTEN_PROFILE.IND=10 CM_MNBC_SOUND.IND=10"
want="$want CM_SET_KEY.CNF=2 CM_SET_KEY.REQ=2 CM_SLAC_MATCH.CNF=1 CM_SLAC_MATCH.REQ=1 CM_SLAC_PARM.CNF=1"
want="$want CM_SLAC_PARM.REQ=1 CM_START_ATTEN_CHAR.IND=3 GET_SW.CNF=2 GET_SW.REQ=1"
expect "messages" "$names" "$want"

# SLAC_PARAM: the EVSE echoes the car's RunID and names the car as forwarding station.
req='homeplug_av.mmhdr.mmtype == 0x6064'
cnf='homeplug_av.mmhdr.mmtype == 0x6065'
run=$(field "$req" homeplug_av.gp.cm_slac_parm.runid)
car=$(field "$req" eth.src)
expect "CNF RunID" "$(field "$cnf" homeplug_av.gp.cm_slac_parm.runid)" "$run"
expect "CNF forwarding STA" "$(field "$cnf" homeplug_av.gp.cm_slac_parm.forwarding_sta)" "$car"
expect "CNF sounds/time-out/resp" "$(ts -Y "$cnf" -T fields -e homeplug_av.gp.cm_slac_parm.sound_count \
    -e homeplug_av.gp.cm_slac_parm.time_out -e homeplug_av.gp.cm_slac_parm.resptype | tr '\t' ' ')" "0x0a 6 0x01"

# Sounding: START_ATTEN_CHAR with Time_Out 6, ten sounds counting down, one profile per sound.
sac='homeplug_av.mmhdr.mmtype == 0x606a'
expect "START_ATTEN_CHAR time-out" "$(field "$sac" homeplug_av.gp.cm_start_atten_char.time_out)" "6"
expect "START_ATTEN_CHAR RunID" "$(field "$sac" homeplug_av.gp.cm_start_atten_char.runid)" "$run"
expect "MNBC countdown" "$(ts -Y 'homeplug_av.mmhdr.mmtype == 0x6076' -T fields \
    -e homeplug_av.gp.cm_mnbc_sound.countdown | tr '\n' ' ' | sed 's/ $//')" "9 8 7 6 5 4 3 2 1 0"
expect "ATTEN_PROFILE PEV" "$(field 'homeplug_av.mmhdr.mmtype == 0x6086' homeplug_av.gp.cm_atten_profile_ind.pev_mac)" "$car"

# ATTEN_CHAR.IND: 10 sounds, 58 groups, all at the simulated 20 dB.
aci='homeplug_av.mmhdr.mmtype == 0x606e'
expect "ATTEN_CHAR sounds/groups" "$(ts -Y "$aci" -T fields -e homeplug_av.gp.cm_atten_char.sounds_count \
    -e homeplug_av.gp.cm_atten_char.groups_count | tr '\t' ' ')" "10 58"
expect "ATTEN_CHAR groups at 20 dB" "$(field "$aci" homeplug_av.gp.cm_atten_char.aag | tr ',' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')" "20"
expect "ATTEN_CHAR.RSP result" "$(field 'homeplug_av.mmhdr.mmtype == 0x606f' homeplug_av.gp.cm_atten_char.result)" "0x00"

# SLAC_MATCH: lengths, and the car gives its modem the NMK of the CNF.
smc='homeplug_av.mmhdr.mmtype == 0x607d'
expect "MATCH.REQ length" "$(field 'homeplug_av.mmhdr.mmtype == 0x607c' homeplug_av.gp.cm_slac_match.length)" "0x003e"
expect "MATCH.CNF length" "$(field "$smc" homeplug_av.gp.cm_slac_match.length)" "0x0056"
expect "MATCH.CNF RunID" "$(field "$smc" homeplug_av.gp.cm_slac_match.runid)" "$run"
nmk=$(field "$smc" homeplug_av.gp.cm_slac_match.nmk)
expect "car's SET_KEY NMK" "$(field "homeplug_av.mmhdr.mmtype == 0x6008 && eth.src == $car" homeplug_av.cm_set_key_req.nw_key)" "$nmk"
expect "NMK length" "${#nmk}" "32"

# Link check: both modems answer GET_SW.
expect "GET_SW.CNF sources" "$(ts -Y 'homeplug_av.mmhdr.mmtype.qualcomm == 0xa001' -T fields -e eth.src | sort -u | wc -l | tr -d ' ')" "2"
expect "GET_SW version" "$(field 'homeplug_av.mmhdr.mmtype.qualcomm == 0xa001' homeplug_av.get_sw_cnf.ver_str)" \
    "MAC-QCA7000-1.1.0.727-02-20130826-FINAL"

exit $fail
