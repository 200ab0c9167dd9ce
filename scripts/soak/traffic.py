#!/usr/bin/env python3
"""Soak traffic, checked end to end through the tunnel.

  traffic.py serve ADDR PORT             TCP echo server (one thread per connection)
  traffic.py client ADDR PORT SECONDS BYTES_PER_SECOND STATS_FILE
      sends a deterministic pseudo-random stream, reads the echo and compares every byte with what was sent;
      rewrites STATS_FILE (JSON) every second: sent, checked, errors (with reasons), reconnects.
A mismatch, or no echoed byte for 20 s, is an error; the client then reconnects and goes on.
"""
import json, os, random, socket, sys, threading, time

BLOCK = 16384
STALL = 20.0


def serve(addr, port):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((addr, port))
    listener.listen(8)

    def echo(conn):
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                try:
                    conn.sendall(data)
                except OSError:
                    return

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def client(addr, port, seconds, rate, stats_file):
    stats = {"sent": 0, "checked": 0, "errors": 0, "error_reasons": [], "reconnects": 0}
    deadline = time.time() + seconds
    generation = 0

    def write_stats():
        tmp = stats_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(stats, f)
        os.replace(tmp, stats_file)

    def error(reason):
        stats["errors"] += 1
        stats["error_reasons"].append(f"{time.strftime('%H:%M:%S')} {reason}")
        write_stats()

    while time.time() < deadline:
        generation += 1
        rng = random.Random(generation)
        expected = bytearray()
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(1.0)
        try:
            sock.connect((addr, port))
        except OSError as e:
            error(f"connect: {e}")
            sock.close()
            time.sleep(1)
            continue
        if generation > 1:
            stats["reconnects"] += 1
        start = time.time()
        last_progress = time.time()
        last_stats = 0.0
        broken = False
        sent_here = 0
        while time.time() < deadline and not broken:
            # pace: send while behind the target rate and at most 4 blocks ahead of the echo
            due = (time.time() - start) * rate
            if sent_here < due and len(expected) < 4 * BLOCK:
                block = rng.randbytes(BLOCK)
                try:
                    sock.sendall(block)
                except OSError as e:
                    error(f"send: {e}")
                    broken = True
                    break
                expected += block
                stats["sent"] += BLOCK
                sent_here += BLOCK
            try:
                data = sock.recv(65536)
                if not data:
                    error("connection closed by the far end")
                    broken = True
                    break
                if bytes(expected[: len(data)]) != data:
                    error(f"echoed bytes differ from the sent ones at stream offset {stats['checked']}")
                    broken = True
                    break
                del expected[: len(data)]
                stats["checked"] += len(data)
                last_progress = time.time()
            except socket.timeout:
                pass
            except OSError as e:
                error(f"recv: {e}")
                broken = True
                break
            if time.time() - last_progress > STALL and expected:
                error(f"no echo for {STALL:.0f} s ({len(expected)} bytes outstanding)")
                broken = True
            if time.time() - last_stats >= 1:
                last_stats = time.time()
                write_stats()
        # drain what is still in flight at the end
        end = time.time() + 10
        while not broken and expected and time.time() < end:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            if bytes(expected[: len(data)]) != data:
                error("echoed bytes differ from the sent ones (final drain)")
                break
            del expected[: len(data)]
            stats["checked"] += len(data)
        if not broken and expected:
            error(f"{len(expected)} bytes never echoed at the end")
        sock.close()
    write_stats()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        client(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
