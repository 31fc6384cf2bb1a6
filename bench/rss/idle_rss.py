#!/usr/bin/env python3
"""make bench-rss: idle RSS of skiff's long-running processes, broken down from /proc/PID/smaps.

Starts, each in temporary directories on loopback (the runtime and agent need root):
- `skiff server` (SQLite, no runtime or kubelet in the process: --disable-agent), and again with
  --disable-scheduler --disable-controllers;
- `skiff runtime` alone (CRI server; its own cgroup root, CNI dir, state and root dirs);
- `skiff agent` (the kubelet) joined to the first server, driving that runtime over its socket;
lets each sit idle for IDLE_SECONDS (default 5) and prints, per process: RSS from smaps_rollup,
anonymous vs file-backed, and the file-backed (and copy-on-write) pages per mapped file.

SKIFF_BIN names the binary (default .build/release/skiff)."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("SKIFF_BIN", os.path.join(ROOT, ".build", "release", "skiff"))
IDLE = float(os.environ.get("IDLE_SECONDS", "5"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rollup(pid):
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


def mappings(pid):
    """kB resident per mapped object: (file-backed pages, anonymous pages in it) by name."""
    by = {}
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if not parts[0].endswith(":") or "-" in parts[0]:
                # A mapping header: address perms offset dev inode [path]
                name = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
                by.setdefault(name, [0, 0])
            elif parts[0] == "Rss:":
                by[name][0] += int(parts[1])
            elif parts[0] == "Anonymous:":
                by[name][1] += int(parts[1])
    return by


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def report(label, pid):
    r = rollup(pid)
    rss, anon = r.get("Rss", 0), r.get("Anonymous", 0)
    print(f"\n{label} (pid {pid}, {threads(pid)} threads): RSS {rss / 1024:.1f} MB ="
          f" anonymous {anon / 1024:.1f} MB + file-backed {(rss - anon) / 1024:.1f} MB")
    rows = sorted(mappings(pid).items(), key=lambda kv: -kv[1][0])
    for name, (res, an) in rows:
        if res < 256:
            continue
        print(f"  {name:<44} {res / 1024:7.1f} MB  (file {(res - an) / 1024:5.1f}, anonymous {an / 1024:5.1f})")
    return rss


def wait_for(what, check, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def main():
    load = os.getloadavg()
    print(f"idle RSS of {BIN} (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, idle {IDLE:.0f} s each)")
    tmp = tempfile.mkdtemp(prefix="skiff-rss-")
    procs = []
    cgroup = f"/skiff-rss-{os.getpid()}"

    def spawn(args, log):
        p = subprocess.Popen([BIN] + args, stdout=open(os.path.join(tmp, log), "w"), stderr=subprocess.STDOUT)
        procs.append(p)
        return p

    try:
        servers = []
        for name, extra in (("server", []), ("server --disable-scheduler --disable-controllers",
                                             ["--disable-scheduler", "--disable-controllers"])):
            d = os.path.join(tmp, f"server{len(servers)}")
            port = free_port()
            p = spawn(["server", "--data-dir", d, "--port", str(port), "--disable-agent", "--log-level", "warning"]
                      + extra, f"server{len(servers)}.log")
            wait_for(name, lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() or True)
            servers.append((name, p, d, port))
        time.sleep(IDLE)
        for name, p, _, _ in servers:
            report(f"skiff {name} (SQLite, --disable-agent)", p.pid)
        if os.getuid() != 0:
            print("\n(not root: skiff runtime and skiff agent skipped)")
            return
        rt = os.path.join(tmp, "runtime")
        os.makedirs(os.path.join(rt, "net.d"))
        sock = os.path.join(rt, "cri.sock")
        runtime = spawn(["runtime", "--listen", sock, "--state-dir", os.path.join(rt, "state"), "--root-dir",
                         os.path.join(rt, "root"), "--cni-conf-dir", os.path.join(rt, "net.d"), "--cgroup-root",
                         cgroup + "/runtime", "--log-level", "warning"], "runtime.log")
        wait_for("skiff runtime", lambda: os.path.exists(sock))
        _, _, d, port = servers[0]
        token = open(os.path.join(d, "pki", "admin.token")).read().strip()
        ag = os.path.join(tmp, "agent")
        agent = spawn(["agent", "--server", f"https://127.0.0.1:{port}", "--token", token, "--ca-file",
                       os.path.join(d, "pki", "ca.crt"), "--node-name", "rss-node", "--node-ip", "127.0.0.1",
                       "--kubelet-address", "127.0.0.1", "--kubelet-port", str(free_port()),
                       "--container-runtime-endpoint", "unix://" + sock, "--kubelet-root-dir", os.path.join(ag, "kubelet"),
                       "--pod-logs-dir", os.path.join(ag, "pod-logs"), "--kubelet-cgroup-root", cgroup + "/kubepods",
                       "--disable-csi", "--log-level", "warning"], "agent.log")
        time.sleep(IDLE + 3)
        report("skiff runtime (CRI server alone)", runtime.pid)
        report("skiff agent (kubelet, runtime in its own process, no CSI driver)", agent.pid)
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        # The runtime keeps its network-namespace directory as a mount point of its own; take it
        # (and anything else mounted under the scratch directory) down before removing it.
        with open("/proc/self/mountinfo") as f:
            points = [line.split(" ")[4] for line in f if line.split(" ")[4].startswith(tmp + "/")]
        for point in sorted(set(points), reverse=True):
            subprocess.run(["umount", "-l", point], check=False)
        for p in procs:
            if p.returncode not in (0, -15, 143):
                print(f"(exit {p.returncode}: {' '.join(p.args[1:3])}; log kept in {tmp})")
                break
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        for hierarchy in ("/sys/fs/cgroup",) + tuple(f"/sys/fs/cgroup/{h}" for h in ("pids", "memory", "cpu", "cpu,cpuacct", "cpuset", "unified")):
            path = hierarchy + cgroup
            if os.path.isdir(path):
                for dirpath, _, _ in sorted(os.walk(path), key=lambda w: -len(w[0])):
                    try:
                        os.rmdir(dirpath)
                    except OSError:
                        pass
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
