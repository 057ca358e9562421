"""HomePlug GP frames for Python test peers (standard library only): build and read the SLAC and key
management messages of ../shared/HOMEPLUG-NOTES.md, and a raw AF_PACKET socket for ethertype 0x88E1.
Offsets are absolute frame offsets as in that file; MMTYPE is little-endian on the wire."""
import hashlib
import os
import select
import socket
import struct
import time

ETHERTYPE = 0x88E1
BROADCAST = b"\xff" * 6
LOCAL_MODEM = bytes.fromhex("00b052000001")
NUM_GROUPS = 58

SLAC_PARAM_REQ, SLAC_PARAM_CNF = 0x6064, 0x6065
START_ATTEN_CHAR_IND = 0x606A
ATTEN_CHAR_IND, ATTEN_CHAR_RSP = 0x606E, 0x606F
MNBC_SOUND_IND = 0x6076
SLAC_MATCH_REQ, SLAC_MATCH_CNF = 0x607C, 0x607D
SET_KEY_REQ = 0x6008

PACKET_OUTGOING = 4   # sll_pkttype of a frame this host sent


def mac(text):
    return bytes.fromhex(text.replace(":", ""))


def mac_text(b):
    return ":".join(f"{x:02x}" for x in b)


def random_mac():
    """A locally administered unicast MAC."""
    b = bytearray(os.urandom(6))
    b[0] = (b[0] & 0xFC) | 0x02
    return bytes(b)


def frame(dst, src, mmtype, payload):
    """A CM_ message (MMV 1, FMI 0, payload at 19), zero-padded to 60 bytes."""
    f = dst + src + struct.pack(">HB", ETHERTYPE, 1) + struct.pack("<H", mmtype) + b"\x00\x00" + payload
    return f.ljust(60, b"\x00")


def parse(f):
    """(dst, src, mmtype, payload) of a CM_ message (MMV 1), or None."""
    if len(f) < 19 or struct.unpack(">H", f[12:14])[0] != ETHERTYPE or f[14] != 1:
        return None
    return f[0:6], f[6:12], struct.unpack("<H", f[15:17])[0], f[19:]


def at(f, offset, n):
    """n bytes at an absolute frame offset."""
    return f[offset:offset + n]


# ---- messages (field layout: HOMEPLUG-NOTES.md) ----

def slac_param_req(src, run_id):
    return frame(BROADCAST, src, SLAC_PARAM_REQ, b"\x00\x00" + run_id)


def start_atten_char_ind(src, run_id, num_sounds=10, time_out=6):
    return frame(BROADCAST, src, START_ATTEN_CHAR_IND,
                 bytes([0, 0, num_sounds, time_out, 1]) + src + run_id)


def mnbc_sound_ind(src, run_id, cnt):
    return frame(BROADCAST, src, MNBC_SOUND_IND, b"\x00\x00" + bytes(17) + bytes([cnt]) + run_id + bytes(8)
                 + os.urandom(16))


def atten_char_ind(dst, src, pev, run_id, num_sounds, aag, num_groups=NUM_GROUPS):
    """dst: the car; src: the station reporting; aag: one dB value per group."""
    return frame(dst, src, ATTEN_CHAR_IND, b"\x00\x00" + pev + run_id + bytes(34) + bytes([num_sounds, num_groups])
                 + bytes(aag))


def atten_char_rsp(dst, src, run_id):
    return frame(dst, src, ATTEN_CHAR_RSP, b"\x00\x00" + src + run_id + bytes(34) + b"\x00")


def slac_match_req(dst, src, run_id):
    """The car `src` asks the EVSE `dst` to match."""
    return frame(dst, src, SLAC_MATCH_REQ, b"\x00\x00" + struct.pack("<H", 0x3E) + bytes(17) + src + bytes(17) + dst
                 + run_id + bytes(8))


def set_key_req(src, nmk, nid):
    """CM_SET_KEY.REQ to the local modem: join the AVLN of this NMK."""
    return frame(LOCAL_MODEM, src, SET_KEY_REQ, b"\x01" + os.urandom(4) + bytes(4) + b"\x04\x00\x00\x00\x00"
                 + nid + b"\x01" + nmk)


def param_cnf_run_id(f):
    return at(f, 36, 8)


def atten_char_run_id(f):
    return at(f, 27, 8)


def match_cnf_fields(f):
    """(pev mac, evse mac, run id, nid, nmk) of a CM_SLAC_MATCH.CNF."""
    return at(f, 40, 6), at(f, 63, 6), at(f, 69, 8), at(f, 85, 7), at(f, 93, 16)


def nid_from_nmk(nmk, level=0):
    d = hashlib.sha256(nmk).digest()
    for _ in range(4):
        d = hashlib.sha256(d).digest()
    return d[:6] + bytes([(level << 4) | (d[6] >> 4)])


# ---- the link ----

class Link:
    """A raw socket on an interface for HomePlug frames; recv skips what this host sent itself."""

    def __init__(self, ifname):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
        self.s.bind((ifname, ETHERTYPE))
        self.mac = self.s.getsockname()[4][:6]

    def send(self, f):
        self.s.send(f)

    def recv(self, timeout):
        """The next received CM_ frame as parse() gives it plus the raw frame, or None after timeout seconds."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.s], [], [], left)[0]:
                return None
            f, addr = self.s.recvfrom(2048)
            p = parse(f)
            if p and addr[2] != PACKET_OUTGOING:
                return p + (f,)
