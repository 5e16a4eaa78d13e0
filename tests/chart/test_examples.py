"""examples/: every manifest is admitted by the CRD schema and its CEL rules; every manifest in
examples/bad/ is rejected with the message its `# expect:` line names; transition rules (oldSelf)
reject a changed source and accept toggling suspend; docs/crd-reference.md is up to date."""

import copy
import glob
import os
import subprocess
import sys
import unittest

import yaml

import gen_crd_reference
import kube_schema

EXAMPLES = os.path.join(kube_schema.ROOT, "examples")


def load(path):
    with open(path) as f:
        text = f.read()
    expect = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# expect:")]
    return [d for d in yaml.safe_load_all(text) if d], expect


class ExamplesTest(unittest.TestCase):
    crds = kube_schema.load_crds()

    def test_good_examples_are_admitted(self):
        files = sorted(glob.glob(os.path.join(EXAMPLES, "*.yaml")))
        kinds = set()
        for path in files:
            docs, _ = load(path)
            for doc in docs:
                if not doc["apiVersion"].startswith("profiler.dev/"):
                    continue  # an Argo CD Application, a job's rules ConfigMap
                with self.subTest(example=os.path.basename(path)):
                    _, errors = kube_schema.admit(doc, crds=self.crds)
                    self.assertEqual(errors, [])
                    kinds.add(doc["kind"])
                    if doc["kind"] == "ProfileJob":
                        kinds.add(next(iter(doc["spec"]["source"])))
        self.assertLessEqual({"ProfileJob", "ProfilerRuntime", "iceberg", "athena", "redshift"}, kinds)

    def test_bad_examples_are_rejected_with_their_message(self):
        files = sorted(glob.glob(os.path.join(EXAMPLES, "bad", "*.yaml")))
        self.assertGreaterEqual(len(files), 10)
        for path in files:
            with self.subTest(example=os.path.basename(path)):
                docs, expect = load(path)
                self.assertEqual(len(expect), 1, "a bad example needs exactly one '# expect:' line")
                if len(docs) == 2:  # an update: stored object, then the new one
                    old, new = docs
                    _, errors = kube_schema.admit(old, crds=self.crds)
                    self.assertEqual(errors, [], "the stored object itself must be valid")
                    _, errors = kube_schema.admit(new, old=old, crds=self.crds)
                else:
                    (doc,) = docs
                    _, errors = kube_schema.admit(doc, crds=self.crds)
                self.assertIn(expect[0], errors)

    def test_argocd_application_points_at_the_chart(self):
        (app,), _ = load(os.path.join(EXAMPLES, "argocd-application.yaml"))
        self.assertEqual(app["kind"], "Application")
        source = app["spec"]["source"]
        self.assertEqual(source["path"], "charts/profiler-operator")
        self.assertTrue(os.path.isfile(os.path.join(kube_schema.ROOT, source["path"], "Chart.yaml")))
        # its values pass the chart's schema
        import helm_util

        helm_util.template(source["helm"]["valuesObject"])


class TransitionRulesTest(unittest.TestCase):
    crds = kube_schema.load_crds()

    def setUp(self):
        (self.job,), _ = load(os.path.join(EXAMPLES, "profilejob-athena.yaml"))

    def update(self, change):
        new = copy.deepcopy(self.job)
        change(new["spec"])
        return kube_schema.admit(new, old=self.job, crds=self.crds)[1]

    def test_toggling_suspend_is_accepted(self):
        self.assertEqual(self.update(lambda s: s.update(suspend=True)), [])
        self.assertEqual(self.update(lambda s: s.update(suspend=False)), [])

    def test_an_unchanged_update_is_accepted(self):
        self.assertEqual(self.update(lambda s: None), [])

    def test_changing_anything_else_is_rejected(self):
        immutable = 'spec: Invalid value: "object": spec is immutable once submitted, except suspend; create a new ProfileJob'
        changes = {
            "source": lambda s: s["source"]["athena"].update(table="other"),
            "columns": lambda s: s.update(columns=["customer_id"]),
            "drop columns": lambda s: s.pop("columns"),
            "sampling": lambda s: s["sampling"].update(seed=43),
            "task": lambda s: s.update(task={"cpu": 4096, "memory": 8192}),
            "backoffLimit": lambda s: s.update(backoffLimit=5),
            "runtimeRef": lambda s: s.update(runtimeRef={"name": "other"}),
            "ttl": lambda s: s.update(ttlSecondsAfterFinished=60),
            "rules": lambda s: s.update(rules={"configMapRef": {"name": "other-rules"}}),
        }
        for name, change in changes.items():
            with self.subTest(change=name):
                self.assertIn(immutable, self.update(change))

    def test_a_create_never_runs_transition_rules(self):
        self.assertEqual(kube_schema.admit(self.job, crds=self.crds)[1], [])


class CrdReferenceTest(unittest.TestCase):
    def test_committed_reference_is_generated_from_the_crds(self):
        with open(gen_crd_reference.OUT) as f:
            committed = f.read()
        self.assertEqual(committed, gen_crd_reference.render(),
                         "docs/crd-reference.md is stale: run .venv/bin/python tests/chart/gen_crd_reference.py")
        proc = subprocess.run([sys.executable, gen_crd_reference.__file__, "--check"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_reference_names_every_field_and_rule(self):
        text = gen_crd_reference.render()
        for (_, kind), (_, schema) in kube_schema.load_crds().items():
            self.assertIn(f"## {kind}", text)

            def walk(node, path):
                for name, prop in node.get("properties", {}).items():
                    p = f"{path}.{name}"
                    if ".conditions" in path:
                        continue
                    self.assertIn(f"`{p}`", text)
                    for v in prop.get("x-kubernetes-validations", []):
                        # Table cells escape "|".
                        self.assertIn(v["message"].replace("|", "\\|"), text)
                    child = prop.get("items", prop)
                    walk(child, f"{p}[]" if prop.get("type") == "array" else p)

            for part in ("spec", "status"):
                walk(schema["properties"][part], part)


if __name__ == "__main__":
    unittest.main()
