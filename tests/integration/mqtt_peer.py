#!/usr/bin/env python3
"""The other side of ccsplc's MQTT backend (tests/integration/mqtt_broker.sh): a minimal MQTT 3.1.1 client
(Python standard library) that subscribes to BASE/#, logs every message as "<n> <topic> <payload>" and, by mode,
publishes on BASE/command once charging: "stop" or "emergency_stop" 1.5 s after relay_request on; "restart":
"stop" once it has reconnected after the broker came back and heard ccsplc again; "charger" (a charger's power
supply side, charge_parameter_backend = mqtt): charger_max_current 20 (retained) at once, "stop" 4 s after a target_current
above 0; "psu": the same without the stop. Reconnects when the broker goes.

usage: mqtt_peer.py PORT BASE MODE LOG SECONDS"""
import socket
import struct
import sys
import time


def enc_str(s):
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def packet(kind, body):
    n, rem = len(body), b""
    while True:
        d, n = n % 128, n // 128
        rem += bytes([d | (0x80 if n else 0)])
        if not n:
            return bytes([kind]) + rem + body


def connect(port, base):
    s = socket.create_connection(("127.0.0.1", port), timeout=1)
    s.sendall(packet(0x10, enc_str("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 30) + enc_str("ccsplc-test-peer")))
    s.sendall(packet(0x82, struct.pack("!H", 1) + enc_str(base + "/#") + b"\x00"))
    s.settimeout(0.1)
    return s


def read_packets(buf):
    """Whole packets from the front of buf: [(type, body)], rest."""
    out = []
    while len(buf) >= 2:
        mult, n, i = 1, 0, 1
        while True:
            if i >= len(buf):
                return out, buf
            d = buf[i]
            n += (d & 0x7F) * mult
            mult *= 128
            i += 1
            if not d & 0x80:
                break
        if len(buf) < i + n:
            return out, buf
        out.append((buf[0] >> 4, buf[i:i + n]))
        buf = buf[i + n:]
    return out, buf


def main():
    port, base, mode, log_path, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
    end = time.monotonic() + seconds
    log = open(log_path, "w", buffering=1)
    seq, sock, buf, connects = 0, None, b"", 0
    charging_at, sent, heard_after_reconnect = None, False, False
    while time.monotonic() < end:
        if sock is None:
            try:
                sock = connect(port, base)
                connects += 1
                buf = b""
                log.write("%d #connected %d\n" % (seq, connects))
                if mode in ("charger", "psu"):
                    sock.sendall(packet(0x31, enc_str(base + "/charger_max_current") + b"20"))   # retained
            except OSError:
                time.sleep(0.1)
                continue
        try:
            data = sock.recv(4096)
            if not data:
                raise OSError("closed")
            buf += data
        except socket.timeout:
            pass
        except OSError:
            sock.close()
            sock = None
            log.write("%d #lost\n" % seq)
            continue
        pkts, buf = read_packets(buf)
        for kind, body in pkts:
            if kind != 3:
                continue
            tl = struct.unpack("!H", body[:2])[0]
            topic, payload = body[2:2 + tl].decode(), body[2 + tl:].decode(errors="replace")
            seq += 1
            log.write("%d %s %s\n" % (seq, topic, payload))
            if topic == base + "/relay_request" and payload == "on" and charging_at is None:
                charging_at = time.monotonic()
            if topic == base + "/target_current" and float(payload) > 0 and charging_at is None:
                charging_at = time.monotonic()
            if connects > 1 and topic == base + "/cpstate":
                heard_after_reconnect = True
        due = None
        if mode in ("stop", "emergency_stop") and charging_at and time.monotonic() - charging_at > 1.5:
            due = mode
        if mode == "charger" and charging_at and time.monotonic() - charging_at > 4:
            due = "stop"
        if mode == "restart" and heard_after_reconnect:
            due = "stop"
        if due and not sent:
            sock.sendall(packet(0x30, enc_str(base + "/command") + due.encode()))
            log.write("%d >command %s\n" % (seq, due))
            sent = True
    log.write("%d #end\n" % seq)


if __name__ == "__main__":
    main()
