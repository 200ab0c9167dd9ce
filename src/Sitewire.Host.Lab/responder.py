# Sitewire lab service responder: answers every TCP connection; HTTP requests get "200 sitewire lab: HOST", a POST its body back;
# with "udp", answers every datagram with "sitewire lab: HOST".
# usage: python3 responder.py ADDRESS PORT HOST [tcp|udp]
import socket, sys, http.server, socketserver

address, port, host = sys.argv[1], int(sys.argv[2]), sys.argv[3]
transport = sys.argv[4] if len(sys.argv) > 4 else "tcp"
family = socket.AF_INET6 if ":" in address else socket.AF_INET

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"sitewire lab: {host} {address}:{port} client {self.client_address[0]}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_POST(self):
        # the lab's full-size probe: the body comes back as it arrived, so segments of full size cross both ways
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    address_family = family

    def server_bind(self):
        # "::" answers IPv6 only: a node's IPv4 flows have their own responder on 0.0.0.0 and the same port.
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        # HTTPServer.server_bind resolves the host name (getfqdn): without DNS in the lab that stalls for seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = address, port

def serve_udp():
    udp = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET6:
        udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    udp.bind((address, port))
    reply = f"sitewire lab: {host}\n".encode()
    while True:
        _, client = udp.recvfrom(2048)
        udp.sendto(reply, client)

if transport == "udp":
    serve_udp()
else:
    Server((address, port), Handler).serve_forever()
