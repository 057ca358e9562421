#!/usr/bin/env python3
"""PIB fixtures and checks for modem_pib_cli.sh, written from HOMEPLUG-NOTES.md and open-plc-utils' nvm_header2
independently of the C code; the good fixtures are what open-plc-utils' chkpib accepts (the preferred NID is the
NMK's, PrevHeader links, contiguous headers).

make DIR                  flat.pib, chain.nvm (applet, PIB, firmware images), bad.pib (a flipped byte), short.pib,
                          bad.nvm (a flipped firmware byte), badlink.nvm (the first PrevHeader 0, resealed)
check ORIG NEW ROLE       NEW is ORIG with ROLE's fields set, every checksum valid, nothing else changed
"""
import struct
import sys

PIB_LEN, HDR, LAST = 0x2000, 96, 0xFFFFFFFF
# The notes' check values: the NMK of the password "HomePlugAV" and its NID at security level 0.
NMK, NID = bytes.fromhex("50D3E4933F855B7040784DF815AA8DB7"), bytes.fromhex("B0F2E695666B03")
ROLE = {"pev": (b"PEV", 1), "evse": (b"EVSE", 2)}


def xor32(b):
    x = 0
    for (w,) in struct.iter_unpack("<I", b):
        x ^= w
    return x


def image(n=PIB_LEN):
    """A PIB image: MAC, NMK and its NID; length (0x04) and checksum (0x08) 0, as in a chain."""
    p = bytearray((i * 13) % 251 for i in range(n))
    p[4:12] = bytes(8)
    p[0x0C:0x12] = bytes.fromhex("00b052123456")
    p[0x64:0x74] = NMK
    p[0xF8:0xFF] = NID
    return p


def flat(n=PIB_LEN):
    p = image(n)
    struct.pack_into("<H", p, 4, n)
    struct.pack_into("<I", p, 8, ~xor32(p) & 0xFFFFFFFF)
    return p


def seal(f, off=0):
    """HeaderChecksum of the header at off: the header XORs to 0xFFFFFFFF."""
    struct.pack_into("<I", f, off + 92, 0)
    struct.pack_into("<I", f, off + 92, ~xor32(f[off:off + HDR]) & 0xFFFFFFFF)


def header(prev, img, nxt, typ):
    """nvm_header2: version 1.1, ImageLength 16, ImageChecksum 20, NextHeader 28, PrevHeader 32, ImageType 36."""
    h = bytearray(HDR)
    struct.pack_into("<HH", h, 0, 1, 1)
    struct.pack_into("<II", h, 16, len(img), ~xor32(img) & 0xFFFFFFFF)
    struct.pack_into("<III", h, 28, nxt, prev, typ)
    seal(h)
    return h


def chain():
    applet, pib, fw = bytes(range(256)), image(), bytes((i * 7) % 253 for i in range(512))
    pib_hdr = HDR + len(applet)
    fw_hdr = pib_hdr + HDR + len(pib)
    return (header(LAST, applet, pib_hdr, 0x0007) + applet + header(0, pib, fw_hdr, 0x000F) + pib +
            header(pib_hdr, fw, LAST, 0x0004) + fw)


def pib_image(f):
    """(offset, length) of the PIB image; asserts every checksum of the file."""
    if struct.unpack_from("<I", f, 0)[0] != 0x00010001:
        assert xor32(f) == 0xFFFFFFFF, "flat checksum"
        return 0, len(f)
    off, prev, found = 0, LAST, None
    while True:
        h = f[off:off + HDR]
        assert xor32(h) == 0xFFFFFFFF, "header checksum at %d" % off
        length, cks, nxt, back, typ = (struct.unpack_from("<I", h, o)[0] for o in (16, 20, 28, 32, 36))
        assert ~xor32(f[off + HDR:off + HDR + length]) & 0xFFFFFFFF == cks, "image checksum at %d" % off
        assert back == prev, "PrevHeader at %d" % off
        if typ == 0x000F:
            found = (off + HDR, length)
        if nxt == LAST:
            assert off + HDR + length == len(f), "bytes after the last image"
            return found
        assert nxt == off + HDR + length, "NextHeader at %d" % off
        prev, off = off, nxt


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
        badlink = bytearray(chain())
        struct.pack_into("<I", badlink, 32, 0)  # the first PrevHeader must be 0xFFFFFFFF
        seal(badlink)
        open(d + "/badlink.nvm", "wb").write(badlink)
    else:
        check(open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read(), sys.argv[4])


if __name__ == "__main__":
    main()
