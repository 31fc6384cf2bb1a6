"""A watch's byte stream over a raw TLS socket: a client that stops reading holds the server's
writes back (nothing is lost or reordered), and gets everything once it reads again."""
import json
import socket
import ssl
import time
import urllib.request


def tls():
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


def request(server, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + server.token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=tls(), timeout=60) as r:
        return json.loads(r.read())


def chunks(raw):
    """The body of a chunked response and whether its last chunk came."""
    out, i = b"", 0
    while True:
        j = raw.index(b"\r\n", i)
        size = int(raw[i:j], 16)
        if size == 0:
            return out, True
        out += raw[j + 2:j + 2 + size]
        assert raw[j + 2 + size:j + 4 + size] == b"\r\n"
        i = j + 4 + size


def test_a_watcher_that_stops_reading_gets_every_event_in_order_afterwards(server, ns):
    rv = request(server, "GET", f"/api/v1/namespaces/{ns}/configmaps")["metadata"]["resourceVersion"]
    raw = socket.create_connection(("127.0.0.1", server.port))
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
    sock = tls().wrap_socket(raw)
    sock.sendall(f"GET /api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={rv}&timeoutSeconds=12 HTTP/1.1\r\n"
                 f"Host: x\r\nAuthorization: Bearer {server.token}\r\n\r\n".encode())
    # 48 objects of 200 kB: far more than the socket buffers between us hold while we don't read.
    filler = "x" * 200_000
    names = [f"big-{i:02d}" for i in range(48)]
    for name in names:
        request(server, "POST", f"/api/v1/namespaces/{ns}/configmaps",
                {"metadata": {"name": name}, "data": {"filler": filler}})
    time.sleep(1)
    request(server, "POST", f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "after"}, "data": {"a": "b"}})

    got = b""
    sock.settimeout(30)
    while True:
        part = sock.recv(1 << 20)
        if not part:
            break
        got += part
        if got.endswith(b"\r\n0\r\n\r\n"):
            break
    sock.close()
    head, _, rest = got.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    assert b"transfer-encoding: chunked" in head.lower()
    body, ended = chunks(rest)
    assert ended
    events = [json.loads(line) for line in body.split(b"\n") if line]
    # The namespace's own kube-root-ca.crt comes at some point too.
    events = [e for e in events if e["object"]["metadata"]["name"] != "kube-root-ca.crt"]
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", n) for n in names + ["after"]]
    assert all(e["object"]["data"]["filler"] == filler for e in events[:-1])
