"""The output side of ccsplc's GPIO file chip (gpio_chip = file:DIR), shared by the tests' wiring fakes
(tests/integration/gpio_fake.py, chademo_wiring.py): the lines ccsplc appends to DIR/outputs ("<pin> <0|1>"), read as they come."""
import os


class Outputs:
    """changes() -> [(pin, value)] written since the last call, each a change of that pin's level"""

    def __init__(self, d):
        self.path = os.path.join(d, "outputs")
        self.pos = 0
        self.level = {}

    def changes(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path) as f:
            f.seek(self.pos)
            chunk = f.read()
        lines = chunk.split("\n")
        self.pos += len(chunk) - len(lines[-1])
        out = []
        for ln in lines[:-1]:
            pin, v = (int(x) for x in ln.split())
            if self.level.get(pin) != v:
                self.level[pin] = v
                out.append((pin, v))
        return out
