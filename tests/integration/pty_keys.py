#!/usr/bin/env python3
"""Run a command on a pseudo-terminal (stdin and stderr are a tty), type KEY once its output matches WAIT_FOR (a
regular expression), and copy everything it printed to OUT. Exit status: the command's. Bounded by LIMIT seconds.
Usage: pty_keys.py OUT WAIT_FOR KEY LIMIT -- COMMAND..."""
import os
import pty
import re
import select
import sys
import time


def main():
    out, wait_for, key, limit = sys.argv[1], re.compile(sys.argv[2].encode()), sys.argv[3].encode(), float(sys.argv[4])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen, typed, t0 = b"", False, time.time()
    while time.time() - t0 < limit:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:   # the child closed the terminal
                break
            if not data:
                break
            seen += data
        if not typed and wait_for.search(seen):
            os.write(fd, key)
            typed = True
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(seen)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


main()
