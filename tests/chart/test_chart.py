"""The Helm chart: lint, rendering over several value sets, Kubernetes schema validation of every
rendered manifest, security context, RBAC, values that must be rejected, documentation."""

import copy
import glob
import os
import re
import unittest

import kubernetes_validate
import yaml

import kube_schema
from helm_util import CHART, K8S_VERSIONS, helm, template

EXAMPLE_RUNTIME = os.path.join(kube_schema.ROOT, "examples", "profilerruntime.yaml")


def _runtime_spec():
    with open(EXAMPLE_RUNTIME) as f:
        return yaml.safe_load(f)["spec"]


VALUE_SETS = {
    "default": {},
    "replicas-3": {"replicaCount": 3},
    "namespaced": {"watchNamespaces": ["team-a", "team-b"]},
    "irsa": {"serviceAccount": {"roleArn": "arn:aws:iam::123456789012:role/profiler-controller"},
             "aws": {"region": "eu-west-1", "requestsPerSecond": 2.5, "burst": 1000000}},
    "pod-identity-existing-sa": {"serviceAccount": {"create": False, "name": "profiler"}},
    "monitoring": {"metrics": {"serviceMonitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}}},
                   "prometheusRule": {"enabled": True}},
    "default-runtime": {"defaultRuntime": {"enabled": True, "spec": _runtime_spec()}},
    "database-secret": {"database": {"existingSecret": "profiler-db", "urlKey": "uri"}},
    "leader-one-replica": {"leaderElection": {"enabled": True}},
    "digest": {"image": {"digest": "sha256:" + "a" * 64, "pullPolicy": "Always"}},
}

# Exactly the Kubernetes API use of the controller.
JOB_RULES = {
    ("profiler.dev", "profilejobs"): {"get", "list", "watch", "create", "patch", "delete"},
    ("profiler.dev", "profilejobs/status"): {"patch"},
    ("profiler.dev", "profilejobs/finalizers"): {"update"},
    ("profiler.dev", "profileschedules"): {"get", "list", "watch"},
    ("profiler.dev", "profileschedules/status"): {"patch"},
    ("profiler.dev", "profileschedules/finalizers"): {"update"},
    ("events.k8s.io", "events"): {"create", "patch"},
    ("", "configmaps"): {"get"},
}
RUNTIME_RULES = {
    ("profiler.dev", "profilerruntimes"): {"get", "list", "watch"},
    ("profiler.dev", "profilerruntimes/status"): {"patch"},
}
LEASE_RULES = {("coordination.k8s.io", "leases"): {"get", "create", "patch"}}


def by_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def one(docs, kind):
    found = by_kind(docs, kind)
    assert len(found) == 1, f"expected one {kind}, got {len(found)}"
    return found[0]


def rule_map(rules):
    """{(group, resource): verbs} of a list of PolicyRules."""
    out = {}
    for r in rules:
        for g in r.get("apiGroups", []):
            for res in r.get("resources", []):
                out.setdefault((g, res), set()).update(r.get("verbs", []))
    return out


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


class ChartTest(unittest.TestCase):
    rendered = {}

    @classmethod
    def setUpClass(cls):
        cls.rendered = {name: template(values) for name, values in VALUE_SETS.items()}

    def test_lint_clean_and_strict(self):
        for strict in ([], ["--strict"]):
            proc = helm("lint", CHART, *strict)
            self.assertIn("0 chart(s) failed", proc.stdout)
            self.assertNotRegex(proc.stdout, r"\[(WARNING|ERROR)\]")
        for name, values in VALUE_SETS.items():
            with self.subTest(values=name):
                helm("lint", CHART, "--strict", values=values)

    def test_every_manifest_is_valid_for_kubernetes(self):
        crds = kube_schema.load_crds()
        for name, docs in self.rendered.items():
            for doc in docs:
                with self.subTest(values=name, kind=doc["kind"], name=doc["metadata"]["name"]):
                    group = doc["apiVersion"].split("/")[0]
                    if group == "profiler.dev":
                        _, errors = kube_schema.admit(doc, crds=crds)
                        self.assertEqual(errors, [])
                    elif group == "monitoring.coreos.com":
                        self.assertIn(doc["kind"], ("ServiceMonitor", "PrometheusRule"))
                        self.assertIn("spec", doc)
                    else:
                        for version in K8S_VERSIONS:
                            kubernetes_validate.validate(doc, version, strict=True)

    def test_validation_can_fail(self):
        deployment = copy.deepcopy(one(self.rendered["default"], "Deployment"))
        deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = 3
        with self.assertRaises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)
        deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"
        deployment["spec"]["template"]["spec"]["unknownField"] = True
        with self.assertRaises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)

    def test_deployment_security_probes_and_env(self):
        for name, docs in self.rendered.items():
            with self.subTest(values=name):
                pod = one(docs, "Deployment")["spec"]["template"]["spec"]
                self.assertTrue(pod["securityContext"]["runAsNonRoot"])
                self.assertEqual(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault")
                (c,) = pod["containers"]
                sc = c["securityContext"]
                self.assertTrue(sc["runAsNonRoot"])
                self.assertTrue(sc["readOnlyRootFilesystem"])
                self.assertFalse(sc["allowPrivilegeEscalation"])
                self.assertEqual(sc["capabilities"]["drop"], ["ALL"])
                self.assertNotIn("add", sc["capabilities"])
                self.assertEqual(sc["seccompProfile"]["type"], "RuntimeDefault")
                self.assertNotIn("privileged", sc)
                for key in ("requests", "limits"):
                    self.assertEqual(set(c["resources"][key]), {"cpu", "memory"})
                self.assertEqual(c["ports"], [{"name": "http", "containerPort": 8080, "protocol": "TCP"}])
                self.assertEqual(c["livenessProbe"]["httpGet"], {"path": "/healthz", "port": "http"})
                self.assertEqual(c["readinessProbe"]["httpGet"], {"path": "/readyz", "port": "http"})
                self.assertEqual(c["args"], ["run"])
                env = env_of(c)
                self.assertEqual(env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"], "metadata.name")
                self.assertEqual(env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"], "metadata.namespace")
                self.assertEqual(env["PROFILER_HTTP_ADDRESS"]["value"], "0.0.0.0:8080")
                self.assertEqual(env["PROFILER_LEASE_NAME"]["value"], "profiler-operator-leader")
                for e in env.values():  # no secret value in the manifest itself
                    self.assertNotRegex(str(e.get("value", "")), r"postgres(ql)?://")

    def test_leader_election_and_pdb_follow_replicas(self):
        expect = {"default": ("false", False), "replicas-3": ("true", True), "leader-one-replica": ("true", False)}
        for name, (leader, pdb) in expect.items():
            with self.subTest(values=name):
                docs = self.rendered[name]
                c = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
                self.assertEqual(env_of(c)["PROFILER_LEADER_ELECTION"]["value"], leader)
                self.assertEqual(len(by_kind(docs, "PodDisruptionBudget")), int(pdb))
                # Without leader election an upgrade must not run two controllers side by side.
                strategy = one(docs, "Deployment")["spec"]["strategy"]
                if leader == "true":
                    self.assertEqual(strategy["rollingUpdate"], {"maxUnavailable": 0, "maxSurge": 1})
                else:
                    self.assertEqual(strategy, {"type": "Recreate"})
        self.assertEqual(one(self.rendered["replicas-3"], "Deployment")["spec"]["replicas"], 3)
        self.assertEqual(one(self.rendered["replicas-3"], "PodDisruptionBudget")["spec"]["minAvailable"], 1)

    def test_watch_namespaces_env(self):
        c = one(self.rendered["namespaced"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(env_of(c)["PROFILER_WATCH_NAMESPACES"]["value"], "team-a,team-b")
        c = one(self.rendered["default"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(env_of(c)["PROFILER_WATCH_NAMESPACES"]["value"], "")

    def test_aws_rate_limit_env(self):
        # The controller's defaults (--aws-requests-per-second 20, --aws-burst 40) unless set; the
        # values reach the env as the plain numbers clap parses (no 1e+06 for a big integer).
        c = one(self.rendered["default"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(env_of(c)["PROFILER_AWS_REQUESTS_PER_SECOND"]["value"], "150")
        self.assertEqual(env_of(c)["PROFILER_AWS_BURST"]["value"], "800")
        c = one(self.rendered["irsa"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(env_of(c)["PROFILER_AWS_REQUESTS_PER_SECOND"]["value"], "2.5")
        self.assertEqual(env_of(c)["PROFILER_AWS_BURST"]["value"], "1000000")
        float(env_of(c)["PROFILER_AWS_REQUESTS_PER_SECOND"]["value"])

    def test_database_url_from_existing_secret(self):
        c = one(self.rendered["database-secret"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        ref = env_of(c)["PROFILER_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        self.assertEqual(ref, {"name": "profiler-db", "key": "uri"})
        c = one(self.rendered["default"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertNotIn("PROFILER_DATABASE_URL", env_of(c))
        self.assertEqual(by_kind(self.rendered["database-secret"], "Secret"), [])

    def test_service_account_irsa_and_pod_identity(self):
        sa = one(self.rendered["irsa"], "ServiceAccount")
        self.assertEqual(sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
                         "arn:aws:iam::123456789012:role/profiler-controller")
        c = one(self.rendered["irsa"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(env_of(c)["AWS_REGION"]["value"], "eu-west-1")
        sa = one(self.rendered["default"], "ServiceAccount")
        self.assertNotIn("annotations", sa["metadata"])  # EKS Pod Identity: nothing on the SA
        docs = self.rendered["pod-identity-existing-sa"]
        self.assertEqual(by_kind(docs, "ServiceAccount"), [])
        self.assertEqual(one(docs, "Deployment")["spec"]["template"]["spec"]["serviceAccountName"], "profiler")
        for b in by_kind(docs, "ClusterRoleBinding") + by_kind(docs, "RoleBinding"):
            self.assertEqual(b["subjects"][0]["name"], "profiler")

    def _assert_no_wildcards(self, docs):
        for d in docs:
            for r in d.get("rules", []):
                for key in ("verbs", "resources", "apiGroups"):
                    self.assertNotIn("*", r.get(key, []), f"{d['kind']} {d['metadata']['name']}: {key} has *")
                self.assertNotIn("nonResourceURLs", r)
                self.assertFalse({"secrets", "pods"} & set(r.get("resources", [])))
                if "configmaps" in r.get("resources", []):
                    # A job's rules (spec.rules.configMapRef): read one by name, nothing else.
                    self.assertEqual((r["resources"], r["verbs"]), (["configmaps"], ["get"]))

    def test_rbac_cluster_wide_is_exactly_what_the_controller_uses(self):
        docs = self.rendered["default"]
        self._assert_no_wildcards(docs)
        cr = one(docs, "ClusterRole")
        self.assertEqual(rule_map(cr["rules"]), {**JOB_RULES, **RUNTIME_RULES})
        (lease_role,) = [r for r in by_kind(docs, "Role") if r["metadata"]["name"].endswith("leader-election")]
        self.assertEqual(lease_role["metadata"]["namespace"], "profiler-system")
        self.assertEqual(rule_map(lease_role["rules"]), LEASE_RULES)
        named = [r for r in lease_role["rules"] if "get" in r["verbs"] or "patch" in r["verbs"]]
        self.assertTrue(all(r.get("resourceNames") == ["profiler-operator-leader"] for r in named))
        self.assertEqual(len(by_kind(docs, "Role")), 1)
        crb = one(docs, "ClusterRoleBinding")
        self.assertEqual(crb["roleRef"]["name"], cr["metadata"]["name"])
        self.assertEqual(crb["subjects"], [{"kind": "ServiceAccount", "name": "profiler-operator", "namespace": "profiler-system"}])

    def test_rbac_namespaced_mode(self):
        docs = self.rendered["namespaced"]
        self._assert_no_wildcards(docs)
        self.assertEqual(rule_map(one(docs, "ClusterRole")["rules"]), RUNTIME_RULES)
        job_roles = {r["metadata"]["namespace"]: r for r in by_kind(docs, "Role") if r["metadata"]["name"].endswith("-jobs")}
        self.assertEqual(set(job_roles), {"team-a", "team-b"})
        for ns, role in job_roles.items():
            self.assertEqual(rule_map(role["rules"]), JOB_RULES)
            (binding,) = [b for b in by_kind(docs, "RoleBinding")
                          if b["metadata"]["namespace"] == ns and b["roleRef"]["name"] == role["metadata"]["name"]]
            self.assertEqual(binding["subjects"][0]["namespace"], "profiler-system")

    def test_controller_sources_need_no_verb_the_roles_lack(self):
        # The roles grant no update on the CRDs, create on ProfileJobs only (a schedule's runs,
        # in controller/src/schedule/) and on Events (controller/src/events.rs) and only patch on their status: a new kube call that needs
        # more (Api::replace, replace_status, get_status, create elsewhere) fails here, so the
        # chart's RBAC follows the controller.
        found, lacking = set(), []
        for path in glob.glob(os.path.join(kube_schema.ROOT, "controller", "src", "**", "*.rs"), recursive=True):
            if path.endswith("_tests.rs"):
                continue
            with open(path) as f:
                text = re.sub(r"\s+", "", "\n".join(l for l in f if not l.lstrip().startswith("//")))
            found.update(re.findall(r"\.(patch_status|get_opt|delete)\(", text))
            found.update(re.findall(r"\b(finalizer)\(&api", text))
            for call in re.findall(r"\.(replace_status|get_status|replace_subresource|create_subresource)\(", text):
                lacking.append(f"{os.path.relpath(path, kube_schema.ROOT)}: {call}")
            for call in re.findall(r"\.(replace|create)\([^;]*?PostParams", text):
                rel = os.path.relpath(path, kube_schema.ROOT)
                creates_jobs = call == "create" and rel == os.path.join("controller", "src", "schedule", "reconcile.rs")
                # controller/src/events.rs creates events.k8s.io Events, which the roles grant.
                creates_events = call == "create" and rel == os.path.join("controller", "src", "events.rs")
                if not creates_jobs and not creates_events:
                    lacking.append(f"{os.path.relpath(path, kube_schema.ROOT)}: {call}")
        self.assertLessEqual({"patch_status", "get_opt", "delete", "finalizer"}, found, "the scan finds no kube calls")
        self.assertEqual(lacking, [], "the controller calls the API with a verb the chart's roles do not grant")

    def test_rbac_check_detects_an_extra_verb(self):
        cr = copy.deepcopy(one(self.rendered["default"], "ClusterRole"))
        cr["rules"][0]["verbs"].append("create")
        self.assertNotEqual(rule_map(cr["rules"]), {**JOB_RULES, **RUNTIME_RULES})

    def test_metrics_service_and_monitoring(self):
        svc = one(self.rendered["default"], "Service")
        self.assertEqual(svc["spec"]["ports"][0]["targetPort"], "http")
        pod_labels = one(self.rendered["default"], "Deployment")["spec"]["template"]["metadata"]["labels"]
        self.assertLessEqual(svc["spec"]["selector"].items(), pod_labels.items())
        self.assertEqual(by_kind(self.rendered["default"], "ServiceMonitor"), [])
        self.assertEqual(by_kind(self.rendered["default"], "PrometheusRule"), [])
        docs = self.rendered["monitoring"]
        sm = one(docs, "ServiceMonitor")
        self.assertEqual(sm["spec"]["endpoints"][0]["port"], "http")
        self.assertEqual(sm["metadata"]["labels"]["release"], "kube-prometheus-stack")
        self.assertLessEqual(sm["spec"]["selector"]["matchLabels"].items(), one(docs, "Service")["metadata"]["labels"].items())
        alerts = {r["alert"] for g in one(docs, "PrometheusRule")["spec"]["groups"] for r in g["rules"]}
        self.assertLessEqual({"ProfilerJobStuck", "ProfilerReconcileErrors", "ProfilerAwsThrottling",
                              "ProfilerControllerDown"}, alerts)
        # Without the ServiceMonitor nothing scrapes the Service as job <fullname>-metrics, so the
        # up{} alert would fire forever.
        docs = template({"prometheusRule": {"enabled": True}})
        alerts = {r["alert"] for g in one(docs, "PrometheusRule")["spec"]["groups"] for r in g["rules"]}
        self.assertIn("ProfilerJobStuck", alerts)
        self.assertNotIn("ProfilerControllerDown", alerts)

    def test_default_runtime(self):
        self.assertEqual(by_kind(self.rendered["default"], "ProfilerRuntime"), [])
        rt = one(self.rendered["default-runtime"], "ProfilerRuntime")
        self.assertEqual(rt["metadata"]["name"], "default")
        self.assertNotIn("namespace", rt["metadata"])  # cluster-scoped
        self.assertEqual(rt["spec"], _runtime_spec())

    def test_image_reference(self):
        c = one(self.rendered["default"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        with open(os.path.join(CHART, "Chart.yaml")) as f:
            app_version = yaml.safe_load(f)["appVersion"]
        self.assertEqual(c["image"], f"ghcr.io/profiler-operator/profiler-controller:{app_version}")
        c = one(self.rendered["digest"], "Deployment")["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(c["image"], "ghcr.io/profiler-operator/profiler-controller@sha256:" + "a" * 64)


# Values that must be rejected, with (part of) helm's message.
BAD_VALUES = [
    ({"replicaCount": 0}, "at '/replicaCount': minimum: got 0, want 1"),
    ({"replicaCount": -2}, "at '/replicaCount': minimum: got -2, want 1"),
    ({"replicaCount": "3"}, "at '/replicaCount': got string, want integer"),
    ({"replicaCount": 1.5}, "at '/replicaCount': got number, want integer"),
    ({"image": {"pullPolicy": "Sometimes"}}, "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'"),
    ({"image": {"digest": "latest"}}, "at '/image/digest'"),
    ({"unknownKey": True}, "additional properties 'unknownKey' not allowed"),
    ({"image": {"tga": "1"}}, "at '/image': additional properties 'tga' not allowed"),
    ({"watchNamespaces": "team-a"}, "at '/watchNamespaces': got string, want array"),
    ({"watchNamespaces": ["Team_A"]}, "at '/watchNamespaces/0': 'Team_A' does not match pattern"),
    ({"leaderElection": {"enabled": "yes"}}, "at '/leaderElection/enabled': got string, want boolean"),
    ({"serviceAccount": {"roleArn": "profiler-controller"}}, "at '/serviceAccount/roleArn': 'profiler-controller' does not match pattern"),
    ({"metrics": {"service": {"port": 70000}}}, "at '/metrics/service/port': maximum: got 70,000, want 65,535"),
    ({"metrics": {"serviceMonitor": {"interval": "often"}}}, "at '/metrics/serviceMonitor/interval'"),
    ({"listingMaxAge": 0}, "at '/listingMaxAge': minimum: got 0, want 1"),
    ({"groupProgressInterval": -1}, "at '/groupProgressInterval': minimum: got -1, want 0"),
    ({"defaultRuntime": {"enabled": True}}, "at '/defaultRuntime/spec': missing properties"),
    ({"aws": {"region": "Europe"}}, "at '/aws/region'"),
    ({"prometheusRule": {"throttleRatio": 2}}, "at '/prometheusRule/throttleRatio': maximum: got 2, want 1"),
    ({"aws": {"requestsPerSecond": 0}}, "at '/aws/requestsPerSecond': exclusiveMinimum: got 0, want 0"),
    ({"aws": {"requestsPerSecond": -5}}, "at '/aws/requestsPerSecond': exclusiveMinimum: got -5, want 0"),
    ({"aws": {"requestsPerSecond": "fast"}}, "at '/aws/requestsPerSecond': got string, want number"),
    ({"aws": {"requestsPerSecond": "20"}}, "at '/aws/requestsPerSecond': got string, want number"),
    ({"aws": {"burst": 0}}, "at '/aws/burst': minimum: got 0, want 1"),
    ({"aws": {"burst": -1}}, "at '/aws/burst': minimum: got -1, want 1"),
    ({"aws": {"burst": 2.5}}, "at '/aws/burst': got number, want integer"),
    ({"aws": {"burst": "40"}}, "at '/aws/burst': got string, want integer"),
    ({"aws": {"burst": 2 ** 32}}, "at '/aws/burst': maximum"),
]


class RejectedValuesTest(unittest.TestCase):
    def test_bad_values_are_rejected_with_the_schema_message(self):
        for values, message in BAD_VALUES:
            with self.subTest(values=values):
                proc = helm("template", "t", CHART, values=values, check=False)
                self.assertNotEqual(proc.returncode, 0, f"accepted: {values}")
                self.assertIn("values don't meet the specifications of the schema", proc.stderr)
                self.assertIn(message, proc.stderr)


def _leaf_keys(node, prefix=""):
    """Dotted paths of values.yaml's leaves (an empty map or list is a leaf)."""
    if isinstance(node, dict) and node:
        for k, v in node.items():
            yield from _leaf_keys(v, f"{prefix}.{k}" if prefix else k)
    else:
        yield prefix


class DocumentationTest(unittest.TestCase):
    def test_every_value_is_documented_with_its_default(self):
        with open(os.path.join(CHART, "values.yaml")) as f:
            values = yaml.safe_load(f)
        with open(os.path.join(CHART, "README.md")) as f:
            readme = f.read()
        rows = dict(re.findall(r"^\| `([^`]+)` \| ([^|]*) \|", readme, re.M))
        leaves = list(_leaf_keys(values))
        self.assertGreater(len(leaves), 40)
        for key in leaves:
            with self.subTest(key=key):
                self.assertIn(key, rows, f"{key} is not documented in charts/profiler-operator/README.md")
                default = values
                for part in key.split("."):
                    default = default[part]
                shown = re.fullmatch(r"\s*`(.*)`\s*", rows[key])
                self.assertTrue(shown, f"{key}: the default column is not `code`")
                self.assertEqual(yaml.safe_load(shown.group(1)), default, f"{key}: README default differs from values.yaml")
        self.assertEqual(sorted(set(rows) - set(leaves)), [], "README documents values that do not exist")

    def test_every_value_has_a_schema(self):
        import json

        with open(os.path.join(CHART, "values.yaml")) as f:
            values = yaml.safe_load(f)
        with open(os.path.join(CHART, "values.schema.json")) as f:
            schema = json.load(f)

        def walk(node, s, path):
            self.assertIn("description", s, f"{path}: no description in values.schema.json")
            if isinstance(node, dict) and s.get("additionalProperties") is False:
                for k, v in node.items():
                    self.assertIn(k, s["properties"], f"{path}.{k} missing from values.schema.json")
                    walk(v, s["properties"][k], f"{path}.{k}")

        walk(values, {"description": "root", **schema}, "")


if __name__ == "__main__":
    unittest.main()
