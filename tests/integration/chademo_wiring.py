#!/usr/bin/env python3
"""The CHAdeMO connector's wires between ccsplc's adapter on its GPIO file chip and `ccsplc chademo-car` on CAN over
UDP (tests/integration/chademo_gpio.sh): a relay in the middle of the bus (cannelloni's UDP format, version 2) that
turns the adapter's GPIO outputs d1/d2 (DIR/outputs, "<pin> <0|1>") into the simulated car's wire frame 0x7F0, and
the car's wire frame 0x7F1 into the adapter's inputs: k as the file chip's DIR/in<pin>, the voltage at the car's
inlet as the ADC file DIR/cdm_v. The car's 0x7F1 is not passed on (the adapter must read k and the voltage from
its hardware); every other frame goes through. Logs each change, in order, as "<n> <name> <value>": outputs d1, d2,
lock; inputs >k; from the adapter's 0x109: stopflag (the StatusChargerStopControl bit) with its present current.
Mode klost: k falls (the wire broken) 1.5 s after the adapter
first sent more than 20 A, while the car still gives it. Mode isofault: the insulation monitor's alarm input is on
from the start (the adapter's 0x109 FaultStationMalfunction bit logged as malfunction).

usage: chademo_wiring.py DIR MODE SECONDS FROM_ADAPTER TO_ADAPTER FROM_CAR TO_CAR   (UDP ports on 127.0.0.1;
pins: d1 24, d2 25, lock 26, k 16, the insulation monitor's alarm 20)"""
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from file_chip import Outputs  # noqa: E402

OUT = {24: "d1", 25: "d2", 26: "lock"}
PIN_K, PIN_ISO = 16, 20
SIM_EVSE, SIM_EV, EVSE_STATUS = 0x7F0, 0x7F1, 0x109


def frames(pkt):
    """cannelloni v2 DATA packet -> [(id, data)] (classic frames)"""
    if len(pkt) < 5 or pkt[0] != 2 or pkt[1] != 0:
        return []
    count, at, out = struct.unpack(">H", pkt[3:5])[0], 5, []
    for _ in range(count):
        if len(pkt) - at < 5:
            break
        cid, ln = struct.unpack(">IB", pkt[at:at + 5])
        out.append((cid & 0x7FF, pkt[at + 5:at + 5 + (ln & 0x7F)]))
        at += 5 + (ln & 0x7F)
    return out


def packet(seq, fs):
    b = bytearray(struct.pack(">BBBH", 2, 0, seq & 0xFF, len(fs)))
    for cid, data in fs:
        b += struct.pack(">IB", cid, len(data)) + data
    return bytes(b)


def put(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    d, mode, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    from_adapter, to_adapter, from_car, to_car = (int(x) for x in sys.argv[4:8])
    end = time.monotonic() + seconds
    log = open(os.path.join(d, "wiring.log"), "w", buffering=1)
    n = 0

    def note(text):
        nonlocal n
        n += 1
        log.write("%d %s\n" % (n, text))

    sa = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sa.bind(("127.0.0.1", from_adapter))
    sc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sc.bind(("127.0.0.1", from_car))
    adc = open(os.path.join(d, "cdm_v"), "w")   # rewritten in place (the adapter keeps it open, as a sysfs file)

    def volts(v):
        adc.seek(0)
        adc.write("%8d\n" % v)   # a fixed width: never empty, never a stale tail
        adc.flush()

    volts(0)
    if mode == "isofault":
        put(os.path.join(d, "in%d" % PIN_ISO), "1")
        note(">isolation_fault 1")
    outputs = Outputs(d)
    level = outputs.level
    seq, k, present_a, stopflag, malfunction = 0, None, 0, 0, 0
    first_current, k_broken, next_wire = None, False, 0.0
    while time.monotonic() < end:
        ready, _, _ = select.select([sa, sc], [], [], 0.005)
        now = time.monotonic()
        for pin, v in outputs.changes():
            note("%s %d" % (OUT.get(pin, "pin%d" % pin), v))
        if sa in ready:
            pkt = sa.recv(2048)
            for cid, data in frames(pkt):
                if cid == EVSE_STATUS and len(data) >= 6:
                    present_a = data[3]
                    if present_a > 20 and first_current is None:
                        first_current = now
                    if data[5] & 0x02 and not malfunction:
                        malfunction = 1
                        note("malfunction")
                    if data[5] & 0x20 and not stopflag:
                        stopflag = 1
                        note("stopflag %d" % present_a)
            sc.sendto(pkt, ("127.0.0.1", to_car))
        if sc in ready:
            pkt = sc.recv(2048)
            rest = []
            for cid, data in frames(pkt):
                if cid != SIM_EV:
                    rest.append((cid, data))
                    continue
                kv = 0 if k_broken else data[0] & 1
                if kv != k:
                    k = kv
                    put(os.path.join(d, "in%d" % PIN_K), "1" if k else "0")
                    note(">k %d" % k)
                volts(data[1] | data[2] << 8)
            if rest:
                seq += 1
                sa.sendto(packet(seq, rest), ("127.0.0.1", to_adapter))
        if mode == "klost" and first_current is not None and not k_broken and now - first_current > 1.5:
            k_broken = True
            k = 0
            put(os.path.join(d, "in%d" % PIN_K), "0")
            note(">k 0")
        if now >= next_wire:   # the car's d1/d2 wires, every 10 ms
            next_wire = now + 0.01
            wire = (1 if level.get(24) else 0) | (2 if level.get(25) else 0)
            seq += 1
            sc.sendto(packet(seq, [(SIM_EVSE, bytes([wire]) + bytes(7))]), ("127.0.0.1", to_car))


if __name__ == "__main__":
    main()
