#!/usr/bin/env python3
"""A pyPLC serial board on a pseudo-terminal, for ccsplc's serial backends: it writes the path of the tty ccsplc
opens to PATHFILE, logs every line it receives with its arrival time (seconds) to LOG, and answers as the board
does. celeron55device: contactor_confirmed follows contactor=N after 30 ms, plugged_in=1 every 200 ms.
dieter: the output word "do000N" is logged, A0= readings every 200 ms. MODE: normal; estop (after a second of
charging, that is with the contactor confirmed closed: emergency_stop=1, ccsplc's extension line); vanish (the
board goes away then: its tty closed). Ends after LIMIT seconds or at "unlock" (celeron55device) after a close.
Usage: serial_board.py PROTOCOL MODE PATHFILE LOG LIMIT"""
import os
import select
import sys
import time
import tty


def main():
    proto, mode, pathfile, logpath, limit = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
    master, slave = os.openpty()
    tty.setraw(slave)   # no echo, no line editing before ccsplc sets its own mode
    with open(pathfile + ".tmp", "w") as f:
        f.write(os.ttyname(slave))
    os.rename(pathfile + ".tmp", pathfile)
    log = open(logpath, "w")
    t0 = time.time()
    buf, pending, closed_at, ended = b"", [], None, False
    next_status = 0.0
    while time.time() - t0 < limit and not ended:
        now = time.time() - t0
        if select.select([master], [], [], 0.01)[0]:
            try:
                data = os.read(master, 1024)
            except OSError:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode("ascii", "replace").strip()
                log.write("%.3f %s\n" % (now, text))
                log.flush()
                if text in ("contactor=1", "contactor=0"):
                    pending.append((now + 0.03, "contactor_confirmed=" + text[-1]))
                    if text == "contactor=1" and closed_at is None:
                        closed_at = now
                if text == "do0003" and closed_at is None:
                    closed_at = now
                if text == "unlock" and closed_at is not None:
                    ended = True
        for item in [p for p in pending if p[0] <= now]:
            os.write(master, (item[1] + "\n").encode())
            pending.remove(item)
        if now >= next_status:
            next_status = now + 0.2
            os.write(master, b"plugged_in=1\nsoc_percent=50\n" if proto == "celeron55device" else b"A0=0000\n")
        if closed_at is not None and now - closed_at > 1.0 and mode in ("estop", "vanish"):
            if mode == "estop":
                log.write("%.3f >emergency_stop=1\n" % now)
                log.flush()
                os.write(master, b"emergency_stop=1\n")
                mode = "estop sent"
            else:
                log.write("%.3f >vanish\n" % now)
                log.flush()
                os.close(master)
                os.close(slave)
                return
    time.sleep(0.2)


if __name__ == "__main__":
    main()
