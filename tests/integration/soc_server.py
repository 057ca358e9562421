#!/usr/bin/env python3
"""The endpoint of the charger's SoC callback (tests/integration/soc_callback.sh): an HTTP server on a loopback
port (Python standard library) that logs each request as "<METHOD> <path?query>" and answers STATUS.

usage: soc_server.py PORTFILE LOG STATUS SECONDS"""
import http.server
import sys
import threading
import time


def main():
    port_file, log_path, status, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    log = open(log_path, "w", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(n)
            log.write("POST %s\n" % self.path)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.replace(port_file + ".tmp", port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    time.sleep(seconds)
    srv.shutdown()


if __name__ == "__main__":
    main()
