"""Prints the CRI benchmark table: median and p99 per phase, ours vs containerd vs the floor."""
import json
import sys


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main():
    ours, containerd, floor, memory = (json.load(open(path)) for path in sys.argv[1:5])
    print(f"{'phase':<16}{'skiff p50':>11}{'p99':>9}{'containerd p50':>16}{'p99':>9}{'floor p50':>11}{'p99':>9}"
          f"{'skiff/ctrd':>12}{'skiff/floor':>13}")
    for phase, label in [("run", "RunPodSandbox"), ("create", "CreateContainer"), ("start", "StartContainer"), ("total", "total")]:
        o50, o99 = percentile(ours[phase], 0.5), percentile(ours[phase], 0.99)
        c50, c99 = percentile(containerd[phase], 0.5), percentile(containerd[phase], 0.99)
        f50, f99 = percentile(floor[phase], 0.5), percentile(floor[phase], 0.99)
        print(f"{label:<16}{o50:>9.1f}ms{o99:>7.1f}ms{c50:>14.1f}ms{c99:>7.1f}ms{f50:>9.1f}ms{f99:>7.1f}ms"
              f"{o50 / c50:>11.2f}x{o50 / f50:>12.2f}x")
    pods = len(ours["total"])
    print()
    print(f"runtime RSS with {pods} pods: skiff {memory['skiff_rss_kb'] / 1024:.1f} MB "
          f"({memory['skiff_private_kb'] / 1024:.1f} MB private, the rest shared libraries), "
          f"containerd {memory['containerd_rss_kb'] / 1024:.1f} MB ({memory['containerd_private_kb'] / 1024:.1f} MB private)")
    print(f"per-container monitor RSS: skiff conmon {memory['conmon_rss_kb'] / 1024:.2f} MB, "
          f"containerd shim {memory['shim_rss_kb'] / 1024:.2f} MB (one per pod)")


main()
