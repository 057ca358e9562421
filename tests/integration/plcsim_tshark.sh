#!/usr/bin/env bash
# tshark's homeplug-av dissector reads what the simulated modems answer to open-plc-utils' requests (plctool
# -r/-a/-m/-M/-J/-p/-I, plcstat -t, dumped by test_plcsim_tools with CCS_PLCSIM_PCAP): no frame malformed, the
# messages and fields as the unit test sent and checked them.
set -euo pipefail
. "$(dirname "$0")/lib/tshark.sh"
tshark_dump test_plcsim_tools CCS_PLCSIM_PCAP

# distinct values of a field (list fields split), with their counts: "3x1 1x0"
values() { ts -Y "$1" -T fields -e "$2" | tr ',' '\n' | grep -v '^$' | sort | uniq -c | awk '{print $1 "x" $2}' |
           tr '\n' ' ' | sed 's/ $//'; }

expect "frames" "$(count 'homeplug-av')" "$(count 'frame')"
expect "malformed" "$(count '_ws.malformed')" "0"
expect "expert warnings" "$(count '_ws.expert.severity >= 6291456')" "0"

# Confirmations by name, as tshark spells them (VS_MODULE_OPERATION 0xA0B1 is not dissected by tshark 4.0).
names=$(ts -Y 'eth.src[0:3] == 02:b0:52' -T fields -e _ws.col.Info | sed -e 's/^Qualcomm Atheros, //' -e 's/ (.*//' |
        sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ' | sed 's/ $//')
expect "answers" "$names" "GET_SW.CNF=4 NW_INFO.CNF=6 OP_ATTR.CNF=1 SET_KEY.CNF=3 Unknown=9"

# plctool -r: the firmware string; -a: the report's fields.
expect "GET_SW version" "$(values 'homeplug_av.get_sw_cnf' homeplug_av.get_sw_cnf.ver_str)" \
    "4xMAC-QCA7000-1.1.0.727-02-20130826-FINAL"
oa='homeplug_av.op_attr_cnf'
expect "OP_ATTR cookie/size" "$(ts -Y "$oa" -T fields -e homeplug_av.op_attr.cookie -e homeplug_av.op_attr_cnf.size |
    tr '\t' ' ')" "8194 118"
expect "OP_ATTR platform/version" "$(ts -Y "$oa" -T fields -e homeplug_av.op_attr_cnf.data.hw \
    -e homeplug_av.op_attr_cnf.data.sw -e homeplug_av.op_attr_cnf.data.sw_major -e homeplug_av.op_attr_cnf.data.sw_minor \
    -e homeplug_av.op_attr_cnf.data.sw_date -e homeplug_av.op_attr_cnf.data.sw_rel | tr '\t' ' ')" \
    "QCA7000 MAC 1 1 20130826 FINAL"

# plctool -m / plcstat -t: MMV 1.1, AVLNs, the NID of "HomePlugAV"'s NMK once keyed, roles, stations.
nw='homeplug_av.nw_info_cnf'
expect "NW_INFO MMV 1.1" "$(values "$nw" homeplug_av.mmhdr.mmver)" "6x1"
expect "NW_INFO AVLNs" "$(values "$nw" homeplug_av.nw_info.num_avlns)" "1x0 5x1"
expect "NW_INFO keyed NID" "$(ts -Y "$nw" -T fields -e homeplug_av.nw_info.nid | grep -c b0f2e695666b03)" "4"
expect "NW_INFO roles" "$(values "$nw" homeplug_av.nw_info.sta_role)" "2x0x00 3x0x02"
expect "NW_INFO bridged hosts" "$(values "$nw" homeplug_av.nw_info_cnf.sta_indo.bda)" \
    "2x02:00:00:00:00:c1 2x02:00:00:00:00:e1 2x02:00:00:00:00:e2"
expect "NW_INFO PHY rates" "$(values "$nw" homeplug_av.nw_info_cnf.sta_indo.phy_dr_tx) $(values "$nw" \
    homeplug_av.nw_info_cnf.sta_indo.phy_dr_rx)" "6x10 6x10"

# plctool -M / -J: the key sent, confirmed (the unknown remote station refused).
expect "VS_SET_KEY NMK" "$(values 'homeplug_av.set_key_req' homeplug_av.set_key_req.nmk)" \
    "1x00000000000000000000000000000000 2x50d3e4933f855b7040784df815aa8db7"
expect "VS_SET_KEY status" "$(values 'homeplug_av.set_key_cnf' homeplug_av.set_key_cnf.status)" "2x0x00 1x0x01"

exit $fail
