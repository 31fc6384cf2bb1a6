"""Manifests the acceptance tests apply."""


def pod(name, image="busybox:1.36", labels=None, extra_container=False):
    labels = labels or {"app": name}
    lines = [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        f"  name: {name}",
        "  labels:",
    ] + [f"    {k}: {v}" for k, v in labels.items()] + [
        "spec:",
        "  containers:",
        "  - name: main",
        f"    image: {image}",
        "    command: ['sleep', '3600']",
        "    ports:",
        "    - containerPort: 8080",
        "    resources:",
        "      requests:",
        "        cpu: 100m",
        "        memory: 64Mi",
        "      limits:",
        "        cpu: 1000m",
        "        memory: 0.125Gi",
    ]
    if extra_container:
        lines += ["  - name: sidecar", "    image: busybox:1.36", "    command: ['sleep', '3600']"]
    return "\n".join(lines) + "\n"
