#!/usr/bin/env python3
"""A stand-in Kubernetes API server for bench/footprint.sh (unless --no-kubernetes).

Serves what `run` asks of a cluster where all is well: Cilium's ConfigMap (TLS on, client
CA set, listening on HUBBLE_PORT), the Node (for the uid its Events point at), and accepts
Events. Plain HTTP on 127.0.0.1; prints its port, then one line per request on stderr.

    bench/stub-apiserver.py NODE HUBBLE_PORT
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NODE = sys.argv[1]
HUBBLE_PORT = sys.argv[2]
CONFIG = {
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "cilium-config", "namespace": "kube-system",
                 "uid": "00000000-0000-0000-0000-00000000c0f1", "resourceVersion": "1"},
    "data": {"cluster-name": "default", "hubble-disable-tls": "false",
             "hubble-listen-address": ":" + HUBBLE_PORT,
             "hubble-tls-client-ca-files": "/var/lib/cilium/tls/hubble/client-ca.crt"},
}
NODE_OBJECT = {
    "apiVersion": "v1", "kind": "Node",
    "metadata": {"name": NODE, "uid": "00000000-0000-0000-0000-0000000000de",
                 "resourceVersion": "1"},
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path))

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(length) or b"{}")

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/api/v1/namespaces/kube-system/configmaps/cilium-config":
            self.reply(200, CONFIG)
        elif path == "/api/v1/nodes/" + NODE:
            self.reply(200, NODE_OBJECT)
        else:
            self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                             "reason": "NotFound", "code": 404})

    def do_POST(self):
        self.reply(201, self.body())

    def do_PATCH(self):
        self.reply(200, self.body())


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
