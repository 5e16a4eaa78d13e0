"""helm for the chart tests: the binary from PROFILER_TEST_HELM (scripts/test.sh installs it into
.cache/helm), else .cache/helm/helm/helm, else `helm` on PATH."""

import os
import shutil
import subprocess
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHART = os.path.join(ROOT, "charts", "profiler-operator")
# The Kubernetes versions rendered manifests are validated against: the chart's minimum
# (kubeVersion >=1.29) and the newest the pinned kubernetes-validate knows well.
K8S_VERSIONS = ("1.29.0", "1.35.0")


def helm_binary():
    candidates = [os.environ.get("PROFILER_TEST_HELM"), os.path.join(ROOT, ".cache", "helm", "helm", "helm"), shutil.which("helm")]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    raise RuntimeError("helm not found: run scripts/test.sh (installs it into .cache/helm) or set PROFILER_TEST_HELM")


def helm(*args, values=None, check=True):
    """Runs helm; `values` (a dict) is passed as a values file."""
    cmd = [helm_binary(), *args]
    tmp = None
    if values is not None:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        yaml.safe_dump(values, tmp)
        tmp.close()
        cmd += ["-f", tmp.name]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    finally:
        if tmp:
            os.unlink(tmp.name)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def template(values=None, namespace="profiler-system", release="profiler-operator"):
    """The rendered manifests (list of dicts) for `values`."""
    out = helm("template", release, CHART, "--namespace", namespace, values=values).stdout
    return [d for d in yaml.safe_load_all(out) if d]
