"""Captures for tests (Python 3 standard library only): read pcap/pcapng frames, write classic pcap, build
Ethernet/IPv6/TCP frames with correct checksums, and insert 802.1Q VLAN tags into frames."""
import struct

ETH_IPV6 = 0x86DD
ETH_VLAN = 0x8100


def read_frames(path):
    """(timestamp in nanoseconds, frame bytes) of every packet of a pcap or pcapng file."""
    with open(path, "rb") as f:
        data = f.read()
    out = []
    if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):  # classic pcap, little-endian (us or ns)
        scale = 1000 if data[:4] == b"\xd4\xc3\xb2\xa1" else 1
        off = 24
        while off + 16 <= len(data):
            sec, frac, incl, _ = struct.unpack_from("<IIII", data, off)
            out.append((sec * 1000000000 + frac * scale, data[off + 16:off + 16 + incl]))
            off += 16 + incl
        return out
    off, endian, units = 0, "<", 1000000  # pcapng: Enhanced Packet Blocks; timestamps in microseconds by default
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from(endian + "II", data, off)
        if btype == 0x0A0D0D0A:
            endian = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype, blen = struct.unpack_from(endian + "II", data, off)
        if blen < 12:
            break
        if btype == 1:  # Interface Description: option 9 if_tsresol
            opt = off + 16
            while opt + 4 <= off + blen - 4:
                code, olen = struct.unpack_from(endian + "HH", data, opt)
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    r = data[opt + 4]
                    units = 10 ** (r & 0x7F) if not r & 0x80 else 2 ** (r & 0x7F)
                opt += 4 + (olen + 3) // 4 * 4
        if btype == 6:
            _, hi, lo, cap, _ = struct.unpack_from(endian + "IIIII", data, off + 8)
            out.append((((hi << 32) | lo) * 1000000000 // units, data[off + 28:off + 28 + cap]))
        off += blen
    return out


def write_pcap(path, frames):
    """frames: (timestamp in nanoseconds, bytes) -> a classic little-endian Ethernet pcap, nanosecond variant."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for ts, fr in frames:
            f.write(struct.pack("<IIII", ts // 1000000000, ts % 1000000000, len(fr), len(fr)))
            f.write(fr)


def vlan_tag(frame, vid=1, pcp=0):
    """The frame with an 802.1Q tag (TPID 0x8100, PCP, VID) between the source MAC and the EtherType."""
    return frame[:12] + struct.pack(">HH", ETH_VLAN, (pcp << 13) | (vid & 0xFFF)) + frame[12:]


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def link_local(mac):
    """fe80::/64 with the modified EUI-64 of mac (RFC 4291 appendix A)."""
    eui = bytes([mac[0] ^ 2]) + mac[1:3] + b"\xff\xfe" + mac[3:6]
    return b"\xfe\x80" + bytes(6) + eui


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def _ipv6(src_mac, dst_mac, proto, seg, csum_at, dst=None):
    """Ethernet + IPv6 (link-local source from the MAC, destination dst or from dst_mac) around an L4 segment
    whose checksum (RFC 8200 8.1 pseudo-header) goes at csum_at."""
    src, dst = link_local(src_mac), dst or link_local(dst_mac)
    pseudo = src + dst + struct.pack(">IxxxB", len(seg), proto)
    seg = seg[:csum_at] + struct.pack(">H", _csum(pseudo + seg)) + seg[csum_at + 2:]
    ip = struct.pack(">IHBB", 6 << 28, len(seg), proto, 64) + src + dst
    return dst_mac + src_mac + struct.pack(">H", ETH_IPV6) + ip + seg


def tcp_frame(src_mac, dst_mac, sport, dport, seq, ack, flags, payload=b""):
    """Ethernet + IPv6 (link-local addresses from the MACs) + TCP with a correct checksum."""
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 8192, 0, 0)
    return _ipv6(src_mac, dst_mac, 6, tcp + payload, 16)


ALL_NODES = bytes.fromhex("ff020000000000000000000000000001")


def udp_frame(src_mac, dst_mac, sport, dport, payload, dst=None):
    """Ethernet + IPv6 + UDP with a correct checksum (dst: e.g. ALL_NODES with dst_mac 33:33:00:00:00:01)."""
    return _ipv6(src_mac, dst_mac, 17, struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload, 6, dst)


def homeplug_frame(src_mac, dst_mac, mmtype, payload, mmv=0):
    """Ethernet + HomePlug AV management header (MMV, MMTYPE little-endian) + payload, padded to 60 bytes."""
    fr = dst_mac + src_mac + b"\x88\xe1" + bytes([mmv]) + struct.pack("<H", mmtype) + payload
    return fr + bytes(max(0, 60 - len(fr)))


def v2gtp(payload_type, exi):
    """A V2GTP message: version 0x01, its inverse, payload type, length, payload."""
    return struct.pack(">BBHI", 0x01, 0xFE, payload_type, len(exi)) + exi


class TcpConversation:
    """A car (TCP client) and a charger (server) exchanging V2GTP messages: handshake, then one segment per
    message and its ACK, 100 ms apart. frames holds (nanoseconds, frame)."""

    CAR_MAC = bytes.fromhex("020000000001")
    CHARGER_MAC = bytes.fromhex("020000000002")

    def __init__(self, t0=1_700_000_000_000_000_000, car_port=50000, charger_port=15118):
        self.t = t0
        self.ports = (car_port, charger_port)
        self.seq = [1000, 7000]
        self.frames = []
        self._seg(0, TCP_SYN)
        self._seg(1, TCP_SYN | TCP_ACK)
        self._seg(0, TCP_ACK)

    def _seg(self, side, flags, data=b""):
        macs = (self.CAR_MAC, self.CHARGER_MAC)
        fr = tcp_frame(macs[side], macs[1 - side], self.ports[side], self.ports[1 - side], self.seq[side],
                       self.seq[1 - side], flags, data)
        self.frames.append((self.t, fr))
        self.t += 100_000_000
        self.seq[side] += len(data) + (1 if flags & (TCP_SYN | TCP_FIN) else 0)

    def send(self, from_charger, payload_type, exi):
        self.send_raw(from_charger, v2gtp(payload_type, exi))

    def send_raw(self, from_charger, data):
        side = 1 if from_charger else 0
        self._seg(side, TCP_PSH | TCP_ACK, data)
        self._seg(1 - side, TCP_ACK)

    def sdp(self, security):
        """SDP before the connection (DIN 70121 9.2, ISO 15118-2 7.10.1): the car's request to all nodes, the
        charger's answer with its address and port (security 0x00 TLS, 0x10 none; transport 0x00 TCP)."""
        req = v2gtp(0x9000, bytes([security, 0x00]))
        res = v2gtp(0x9001, link_local(self.CHARGER_MAC) + struct.pack(">H", self.ports[1]) + bytes([security, 0]))
        frames = [udp_frame(self.CAR_MAC, bytes.fromhex("333300000001"), 50001, 15118, req, ALL_NODES),
                  udp_frame(self.CHARGER_MAC, self.CAR_MAC, 15118, 50001, res)]
        t = self.frames[0][0] - 1_000_000_000
        self.frames[:0] = [(t, frames[0]), (t + 50_000_000, frames[1])]

    def close(self):
        self._seg(0, TCP_FIN | TCP_ACK)
        self._seg(1, TCP_FIN | TCP_ACK)
        self._seg(0, TCP_ACK)
