#!/usr/bin/env python3
"""Soak junk flood: traffic.py's neighbour. junk.py ADDR PORT PER_SECOND SECONDS COUNT_FILE
Random datagrams of 0-2000 bytes, 70 % with a valid WireGuard type byte (1-4, reserved bytes zero), some with the
exact handshake sizes, at most PER_SECOND, for SECONDS; writes how many were sent to COUNT_FILE every second."""
import os, random, sys

from pacing import send_paced

addr, port, per_second, seconds, count_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
rng = random.Random(5)
blob = os.urandom(8192)


def junk():
    length = rng.choice((148, 92, 64, 32)) if rng.random() < 0.1 else rng.randint(0, 2000)
    offset = rng.randint(0, 4096)
    datagram = bytearray(blob[offset:offset + length])
    if length >= 4 and rng.random() < 0.7:
        datagram[0] = rng.randint(1, 4)
        datagram[1:4] = b"\0\0\0"
    return datagram


send_paced(addr, port, per_second, seconds, count_file, junk)
