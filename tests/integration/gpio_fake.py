#!/usr/bin/env python3
"""The wiring behind ccsplc's GPIO backend on its file chip (gpio_chip = file:DIR, tests/integration/
gpio_session.sh): reads the output lines ccsplc writes (DIR/outputs: "<pin> <0|1>"), logs each change in order
as "<n> <name> <0|1>", and plays the inputs: the contactor's and the lock's feedback follow their outputs after
50 ms, the plug is in. Modes: normal; estop (the emergency-stop button pressed 1.5 s after the contactor closed);
dropout (the contactor's feedback falls open 1.5 s after it closed, the output still on: stuck or dropped out);
welded (the contactor's feedback stays closed when its output goes off).

usage: gpio_fake.py DIR MODE SECONDS   (pins: cp 17, contactor 27, lock 22, power 23; inputs: contactor
feedback 5, lock feedback 6, emergency stop 13, plugged 19)"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from file_chip import Outputs  # noqa: E402

OUT = {17: "cp", 27: "contactor", 22: "lock", 23: "power"}
FB_CONTACTOR, FB_LOCK, ESTOP, PLUGGED = 5, 6, 13, 19


def put(d, pin, v):
    tmp = os.path.join(d, "in%d.tmp" % pin)
    with open(tmp, "w") as f:
        f.write("1" if v else "0")
    os.replace(tmp, os.path.join(d, "in%d" % pin))


def main():
    d, mode, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    end = time.monotonic() + seconds
    log = open(os.path.join(d, "fake.log"), "w", buffering=1)
    put(d, PLUGGED, 1)
    outputs = Outputs(d)
    level, n, closed_at = outputs.level, 0, None
    pending = []   # (due, pin, value)
    while time.monotonic() < end:
        for pin, v in outputs.changes():
            n += 1
            log.write("%d %s %d\n" % (n, OUT.get(pin, "pin%d" % pin), v))
            now = time.monotonic()
            if pin == 27:
                if v and closed_at is None:
                    closed_at = now
                if v or mode != "welded":
                    pending.append((now + 0.05, FB_CONTACTOR, v))
            if pin == 22:
                pending.append((now + 0.05, FB_LOCK, v))
        now = time.monotonic()
        for item in [p for p in pending if p[0] <= now]:
            put(d, item[1], item[2])
            pending.remove(item)
        if mode == "estop" and closed_at and now - closed_at > 1.5 and not os.path.exists(os.path.join(d, "in%d" % ESTOP)):
            put(d, ESTOP, 1)
            n += 1
            log.write("%d >emergency_stop 1\n" % n)
        if mode == "dropout" and closed_at and now - closed_at > 1.5 and level.get(27) and not os.path.exists(
                os.path.join(d, "dropped")):
            open(os.path.join(d, "dropped"), "w").close()
            put(d, FB_CONTACTOR, 0)
            n += 1
            log.write("%d >feedback_open 1\n" % n)
        time.sleep(0.01)


if __name__ == "__main__":
    main()
