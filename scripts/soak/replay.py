#!/usr/bin/env python3
"""Soak replay flood: junk.py's neighbour. replay.py ADDR PORT PER_SECOND SECONDS PCAP_FILE COUNT_FILE
Sends, at most PER_SECOND, for SECONDS, the WireGuard transport message held in PCAP_FILE (one UDP datagram over
Ethernet and IPv4, as tcpdump -w writes it), re-read whenever the file changes (the soak captures a fresh one
from the live session every few seconds, so the replays keep hitting a current keypair); writes how many were sent
to COUNT_FILE every second. Nothing is sent until a capture is there."""
import os, struct, sys

from pacing import send_paced

addr, port, per_second, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
pcap_file, count_file = sys.argv[5], sys.argv[6]


def read_transport(path):
    """The UDP payload of the first record, when it is a transport message (type 4), else None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if len(data) < 24 + 16:
        return None
    captured = struct.unpack_from("<I", data, 24 + 8)[0]
    frame = data[40:40 + captured]
    if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00":
        return None
    ip_header = (frame[14] & 0x0F) * 4
    payload = frame[14 + ip_header + 8:]
    return payload if len(payload) >= 32 and payload[0] == 4 else None


state = {"stamp": None, "message": None}


def refresh():
    try:
        current = os.stat(pcap_file).st_mtime_ns
    except OSError:
        current = None
    if current != state["stamp"]:
        state["stamp"] = current
        state["message"] = read_transport(pcap_file) or state["message"]


send_paced(addr, port, per_second, seconds, count_file, lambda: state["message"], refresh)
