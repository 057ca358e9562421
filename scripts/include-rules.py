#!/usr/bin/env python3
"""Checks the layering of includes (docs/architecture.md): which public headers each layer may include, that no
src/ module includes another module's private header (src/common is shared), and that the sans-I/O layers
(core, sim) use only the freestanding-friendly C headers. Usage: include-rules.py [SOURCE_DIR]; exit 1 on a
violation, each printed as file:line: what."""
import os
import re
import sys

# Layer of each src/ module and of each include/ccsplc/ folder.
MODULE_LAYER = {"common": "core", "exi": "core", "hpgp": "core", "transport": "core", "v2g": "core",
                "hw": "core", "chademo": "core", "qca": "core", "mininet": "core",
                "sim": "sim", "platform": "linux", "tool": "tools"}
# Which public headers a layer may include.
MAY_USE = {"core": {"core"}, "sim": {"core", "sim"}, "linux": {"core", "linux"},
           "tools": {"core", "linux", "tools"}}
# The C headers the sans-I/O layers may include: no stdio, stdlib (malloc), time, sockets or threads.
SANS_IO_SYSTEM = {"stddef.h", "stdint.h", "stdbool.h", "string.h", "math.h", "float.h", "limits.h"}
SANS_IO = {"core", "sim"}
# Known exceptions (a file or a folder, the header), each with its reason; a stale one is noted, not failed.
EXCEPTIONS = {
    ("src/platform", "transport/tcp_reasm.h"): "the Linux layer reuses the core's TCP reassembler",
    ("src/tool", "exi/values.h"): "the text tools print the codec's typed values",
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(rel):
    parts = rel.split("/")
    if parts[0] == "src" and len(parts) > 2:
        return MODULE_LAYER.get(parts[1]), parts[1]
    if parts[:2] == ["include", "ccsplc"] and len(parts) > 3:
        return parts[2], None
    return None, None


def check_file(root, rel, errors, used):
    layer, module = layer_of(rel)
    if layer is None:
        return
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, name = m.groups()
            where = "%s:%d: " % (rel, n)
            excused = [k for k in EXCEPTIONS if k[1] == name and (rel == k[0] or rel.startswith(k[0] + "/"))]
            if excused:
                used.update(excused)
                continue
            if name.startswith("ccsplc/"):
                target = name.split("/")[1]
                if target not in MAY_USE.get(layer, set()):
                    errors.append(where + "%s code includes %s header %s" % (layer, target, name))
            elif kind == "<":
                if layer in SANS_IO and name not in SANS_IO_SYSTEM:
                    errors.append(where + "sans-I/O %s code includes <%s>" % (layer, name))
            elif module is None:
                errors.append(where + "public header includes private header \"%s\"" % name)
            else:
                here = os.path.dirname(rel)
                if os.path.exists(os.path.join(root, here, name)):
                    owner = os.path.normpath(os.path.join(here, name)).split("/")[1]
                else:
                    owner = name.split("/")[0]
                if owner not in (module, "common"):
                    errors.append(where + "module %s includes %s's private header \"%s\"" % (module, owner, name))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    errors, used = [], set()
    for top in ("src", "include/ccsplc"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for fn in sorted(files):
                if fn.endswith((".c", ".h")):
                    check_file(root, os.path.relpath(os.path.join(d, fn), root), errors, used)
    for key in sorted(set(EXCEPTIONS) - used):
        print("note: exception no longer needed: %s includes %s" % key)
    for e in errors:
        print(e)
    print("include rules: %d violation(s)" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
