# Minimal stand-in for the `aiofile` package (no Debian package): async_open for reading Josev's EV config file (tools/josev/run.sh).
class async_open:
    def __init__(self, path, mode="r"):
        self.path, self.mode = path, mode

    async def __aenter__(self):
        self.f = open(self.path, self.mode)
        return self

    async def read(self, *a):
        return self.f.read(*a)

    async def __aexit__(self, *exc):
        self.f.close()
