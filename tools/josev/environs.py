# Minimal stand-in for the `environs` package (no Debian package): the calls Josev makes. tools/josev/run.sh only.
import os, pathlib


class Env:
    def __init__(self, eager=True):
        self._dump = {}

    def read_env(self, path=None, **kw):
        if path and os.path.isfile(path):
            for line in open(path):
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    k, v = line.split("=", 1)
                    os.environ.setdefault(k.strip(), v.strip().strip('"'))

    def _get(self, name, default, conv):
        v = os.environ.get(name)
        val = conv(v) if v is not None else default
        self._dump[name] = val
        return val

    def str(self, name, default=None):
        return self._get(name, default, lambda v: v)

    def bool(self, name, default=None):
        return self._get(name, default, lambda v: v.strip().lower() in ("1", "true", "yes", "on"))

    def list(self, name, default=None):
        return self._get(name, default, lambda v: [x.strip() for x in v.split(",") if x.strip()])

    def path(self, name, default=None):
        return self._get(name, default, pathlib.Path)

    def seal(self):
        pass

    def dump(self):
        return dict(self._dump)
