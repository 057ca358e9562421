"""Reads tools/exigen/caps.options: the capacities of the generated structs per profile, as the caps dict the
generator walks ({"array_default", "array_min", "arrays", "string_default", "strings", "binary_default",
"binaries", "bigint_bytes"}), resolved for one codec."""
import re

KINDS = {"array": "arrays", "string": "strings", "binary": "binaries"}


class OptionsError(Exception):
    pass


def load(path):
    """{profile: [(codec or None, kind, name, value)]} in file order; the first profile must be [full]."""
    profiles, cur = {}, None
    for no, raw in enumerate(open(path), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"\[([A-Za-z0-9_]+)\]", line)
        if m:
            cur = profiles.setdefault(m.group(1), [])
            continue
        m = re.fullmatch(r"(?:([a-z0-9-]+):)?(array|string|binary|bigint)(?:\.([A-Za-z0-9_.]+))?\s+(\d+)", line)
        if not m or cur is None or (m.group(2) == "bigint") != (m.group(3) is None):
            raise OptionsError("%s:%d: cannot read %r" % (path, no, raw.rstrip()))
        value = int(m.group(4))
        if value < 1:
            raise OptionsError("%s:%d: a capacity is at least 1" % (path, no))
        cur.append((m.group(1), m.group(2), m.group(3), value))
    if not profiles or next(iter(profiles)) != "full":
        raise OptionsError("%s: the first profile must be [full]" % path)
    return profiles


def caps_for(layers, codec):
    """The caps dict of one codec from layers of rules ([full's] or [full's, a profile's]): a later layer beats an
    earlier one, and within a layer a rule scoped to the codec beats an unscoped one."""
    caps = {"arrays": {}, "strings": {}, "binaries": {}}
    scoped = [r for rules in layers for r in sorted(rules, key=lambda r: r[0] is not None) if r[0] in (None, codec)]
    for _, kind, name, value in scoped:
        if kind == "bigint":
            caps["bigint_bytes"] = value
        elif name in ("default", "min"):
            caps["%s_%s" % (kind, name)] = value
        else:
            caps[KINDS[kind]][name] = value
    return caps
