#!/usr/bin/env python3
"""PIB fixtures and checks for modem_pib_cli.sh, written from HOMEPLUG-NOTES.md independently of the C code.

make DIR                  flat.pib, chain.nvm (applet, PIB, firmware images), bad.pib (a flipped byte), short.pib
check ORIG NEW ROLE       NEW is ORIG with ROLE's fields set, every checksum valid, nothing else changed
"""
import struct
import sys

PIB_LEN, HDR = 0x2000, 96
ROLE = {"pev": (b"PEV", 1), "evse": (b"EVSE", 2)}


def xor32(b):
    x = 0
    for (w,) in struct.iter_unpack("<I", b):
        x ^= w
    return x


def flat(n=PIB_LEN):
    p = bytearray((i * 13) % 251 for i in range(n))
    struct.pack_into("<H", p, 4, n)
    p[0x0C:0x12] = bytes.fromhex("00b052123456")
    struct.pack_into("<I", p, 8, 0)
    struct.pack_into("<I", p, 8, ~xor32(p) & 0xFFFFFFFF)
    return p


def header(data_off, image, nxt, typ):
    h = bytearray(HDR)
    struct.pack_into("<IIIIIII", h, 0, 0x00010001, 0, data_off, 0, len(image), ~xor32(image) & 0xFFFFFFFF, 0)
    struct.pack_into("<I", h, 28, nxt)
    struct.pack_into("<I", h, 36, typ)
    struct.pack_into("<I", h, 92, ~xor32(h) & 0xFFFFFFFF)
    return h


def chain():
    applet, pib, fw = bytes(range(256)), flat(), bytes((i * 7) % 253 for i in range(512))
    pib_hdr = HDR + len(applet)
    fw_hdr = pib_hdr + HDR + len(pib)
    return (header(HDR, applet, pib_hdr, 0x0007) + applet + header(pib_hdr + HDR, pib, fw_hdr, 0x000F) + pib +
            header(fw_hdr + HDR, fw, 0xFFFFFFFF, 0x0004) + fw)


def pib_image(f):
    """(offset, length) of the PIB image; asserts every checksum of the file."""
    if struct.unpack_from("<I", f, 0)[0] != 0x00010001:
        assert xor32(f) == 0xFFFFFFFF, "flat checksum"
        return 0, len(f)
    off, found = 0, None
    while True:
        h = f[off:off + HDR]
        assert xor32(h) == 0xFFFFFFFF, "header checksum at %d" % off
        length, cks, nxt, typ = (struct.unpack_from("<I", h, o)[0] for o in (16, 20, 28, 36))
        assert ~xor32(f[off + HDR:off + HDR + length]) & 0xFFFFFFFF == cks, "image checksum at %d" % off
        if typ == 0x000F:
            found = (off + HDR, length)
        if nxt in (0, 0xFFFFFFFF):
            return found
        off = nxt


def check(orig, new, role):
    hfid, mode = ROLE[role]
    off, n = pib_image(new)
    assert pib_image(orig) == (off, n) and len(orig) == len(new)
    p = new[off:off + n]
    assert p[0x74:0x74 + 64] == hfid + bytes(64 - len(hfid)), "HFID"
    assert p[0xF4] == mode and p[0x1653] == mode, "CCo selection / SLAC mode"
    assert struct.unpack_from("<II", p, 0x1C98) == (10240, 102400), "link speeds"
    changed = {i for i in range(len(new)) if new[i] != orig[i]}
    allowed = set(range(off + 0x74, off + 0x74 + 64)) | {off + 0xF4, off + 0x1653} | set(range(off + 0x1C98, off + 0x1CA0))
    if off == 0:
        allowed |= set(range(8, 12))
    else:
        allowed |= set(range(off - HDR + 20, off - HDR + 24)) | set(range(off - HDR + 92, off - HDR + 96))
    assert changed <= allowed, "unexpected changes at %s" % sorted(changed - allowed)[:8]


def main():
    if sys.argv[1] == "make":
        d = sys.argv[2]
        open(d + "/flat.pib", "wb").write(flat())
        open(d + "/chain.nvm", "wb").write(chain())
        bad = flat()
        bad[0x1000] ^= 0x40
        open(d + "/bad.pib", "wb").write(bad)
        open(d + "/short.pib", "wb").write(flat(0x1000))
        badchain = bytearray(chain())
        badchain[-1] ^= 1  # the firmware image after the PIB
        open(d + "/bad.nvm", "wb").write(badchain)
    else:
        check(open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read(), sys.argv[4])


if __name__ == "__main__":
    main()
