"""The send loop the soak's floods share: one datagram at a time from next_datagram() (None: nothing to send yet),
to (addr, port), at most per_second, for seconds; the count sent written to count_file every second and at the end.
every_second() runs once a second before the count is written."""
import socket
import time


def send_paced(addr, port, per_second, seconds, count_file, next_datagram, every_second=lambda: None):
    sock = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
    start = time.time()
    first = None
    sent = 0
    last = 0.0
    while time.time() - start < seconds:
        if time.time() - last >= 1:
            last = time.time()
            every_second()
            write_count(count_file, sent)
        datagram = next_datagram()
        if datagram is None:
            time.sleep(0.2)
            continue
        first = first or time.time()
        try:
            sock.sendto(datagram, (addr, port))
            sent += 1
        except OSError:
            pass
        if sent % 50 == 0:
            ahead = sent / per_second - (time.time() - first)
            if ahead > 0:
                time.sleep(ahead)
    write_count(count_file, sent)


def write_count(count_file, sent):
    with open(count_file, "w") as f:
        f.write(str(sent))
