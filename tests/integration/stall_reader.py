#!/usr/bin/env python3
"""A reader that stops reading, for tests of output that must never block: opens the FIFO PATH, shrinks its
buffer to one page, reads nothing until the writer has filled it (within SLACK bytes: a pipe takes a small
write whole or not at all; then creates OUT.full), waits for OUT.go to appear, then reads everything into OUT
until the writer closes. At most LIMIT seconds (default 120) in all.

usage: stall_reader.py PATH OUT [LIMIT]
"""
import fcntl
import os
import sys
import termios
import time

F_SETPIPE_SZ = 1031   # linux/fcntl.h
PAGE = 4096
SLACK = 512   # more than a log line or a pcapng block of a V2G frame


def main():
    path, out = sys.argv[1], sys.argv[2]
    end = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 120.0)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)   # does not wait for the writer
    size = fcntl.fcntl(fd, F_SETPIPE_SZ, PAGE)
    buf = bytearray(4)
    while True:   # until full
        fcntl.ioctl(fd, termios.FIONREAD, buf)
        if int.from_bytes(buf, sys.byteorder) >= size - SLACK:
            break
        if time.monotonic() > end:
            sys.exit("stall_reader: the writer never filled the pipe")
        time.sleep(0.02)
    open(out + ".full", "w").close()
    while not os.path.exists(out + ".go"):
        if time.monotonic() > end:
            sys.exit("stall_reader: never told to go on")
        time.sleep(0.02)
    os.set_blocking(fd, True)
    with open(out, "wb") as f:
        while True:
            data = os.read(fd, 65536)
            if not data:   # every writer closed
                break
            f.write(data)
            if time.monotonic() > end:
                sys.exit("stall_reader: the writer did not close in time")


if __name__ == "__main__":
    main()
