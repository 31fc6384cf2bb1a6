#!/usr/bin/env python3
"""The JSON gateway side of the gRPC-vs-gateway measurement: the same calls the etcd backend makes
(a create as a txn comparing create_revision, a linearizable range), sequentially over one
keep-alive HTTP/1.1 connection to a fresh one-member etcd on 127.0.0.1, and with 16 concurrent
connections. Compare with `SKIFF_STORAGE_BENCH=1 swift test --skip-build --filter EtcdBenchmarks`."""
import base64
import http.client
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "acceptance"))
from etcd import EtcdCluster  # noqa: E402

VALUE = base64.b64encode(b"a" * 1500).decode()


def b64(s):
    return base64.b64encode(s.encode()).decode()


def create_body(key):
    k = b64(key)
    return json.dumps({"compare": [{"key": k, "target": "CREATE", "result": "EQUAL", "create_revision": "0"}],
                       "success": [{"request_put": {"key": k, "value": VALUE}}]}).encode()


def call(conn, path, body):
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise RuntimeError(data)
    return time.perf_counter() - t0, data


def report(label, lat, elapsed):
    lat = sorted(lat)
    print(f"etcd JSON gateway: {label}: {len(lat)} in {elapsed:.2f} s = {len(lat) / elapsed:.0f}/s, "
          f"p50 {lat[len(lat) // 2] * 1000:.3f} ms, p99 {lat[len(lat) * 99 // 100] * 1000:.3f} ms")


def main():
    c = EtcdCluster(1).start()
    try:
        port = c.members[0].client_port
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for i in range(50):
            call(conn, "/v3/kv/txn", create_body(f"/warm/{i}"))
        lat, t0 = [], time.perf_counter()
        for i in range(2000):
            lat.append(call(conn, "/v3/kv/txn", create_body(f"/seq/{i}"))[0])
        report("sequential creates (txn)", lat, time.perf_counter() - t0)
        lat, t0 = [], time.perf_counter()
        for i in range(2000):
            lat.append(call(conn, "/v3/kv/range", json.dumps({"key": b64(f"/seq/{i}")}).encode())[0])
        report("sequential gets (linearizable range)", lat, time.perf_counter() - t0)
        lats, t0 = [], time.perf_counter()

        def writer(w):
            own = http.client.HTTPConnection("127.0.0.1", port)
            for i in range(250):
                lats.append(call(own, "/v3/kv/txn", create_body(f"/conc/{w}/{i}"))[0])
        threads = [threading.Thread(target=writer, args=(w,)) for w in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report("16 concurrent writers, creates", lats, time.perf_counter() - t0)
        t0 = time.perf_counter()
        end = b64("/conc0")
        _, data = call(conn, "/v3/kv/range", json.dumps({"key": b64("/conc/"), "range_end": end}).encode())
        n = len(json.loads(data).get("kvs", []))
        print(f"etcd JSON gateway: list of {n} values of 1.5 KB took {(time.perf_counter() - t0) * 1000:.1f} ms"
              f" (plus JSON decoding in the client)")
    finally:
        c.stop()


if __name__ == "__main__":
    main()
