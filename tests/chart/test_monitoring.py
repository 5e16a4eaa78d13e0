"""The Grafana dashboard and the chart's PrometheusRule use only metrics the controller registers
(controller/src/metrics.rs, prefix profiler_operator) and cover stuck jobs, failing reconciles and
AWS throttling."""

import json
import os
import re
import unittest

from helm_util import template

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "profiler-operator.json")
METRICS_RS = os.path.join(ROOT, "controller", "src", "metrics.rs")


def registered_metrics():
    with open(METRICS_RS) as f:
        text = re.sub(r"\s+", "", f.read())
    prefix = re.search(r'Registry::with_prefix\("([a-z_]+)"\)', text).group(1)
    names = re.findall(r'\.register\("([a-z_]+)"', text)
    out = set()
    for n in names:  # counters are exposed with _total, gauges as they are
        out.update({f"{prefix}_{n}", f"{prefix}_{n}_total"})
    return out


def used_metrics(expr):
    return set(re.findall(r"\bprofiler_operator_[a-z_]+", expr))


class MonitoringTest(unittest.TestCase):
    def test_metrics_are_registered(self):
        known = registered_metrics()
        self.assertIn("profiler_operator_aws_throttles_total", known)
        self.assertIn("profiler_operator_oldest_active_job_seconds", known)

    def test_dashboard(self):
        with open(DASHBOARD) as f:
            dash = json.load(f)
        known = registered_metrics()
        ids, used = set(), set()
        for panel in dash["panels"]:
            self.assertNotIn(panel["id"], ids)
            ids.add(panel["id"])
            self.assertEqual(set(panel["gridPos"]), {"x", "y", "w", "h"})
            for target in panel.get("targets", []):
                metrics = used_metrics(target["expr"])
                self.assertTrue(metrics, target["expr"])
                self.assertLessEqual(metrics, known, f"panel {panel['title']!r} uses unknown metrics")
                used |= metrics
        for needed in ("profiler_operator_jobs", "profiler_operator_oldest_active_job_seconds",
                       "profiler_operator_reconcile_errors_total", "profiler_operator_aws_throttles_total",
                       "profiler_operator_aws_calls_total", "profiler_operator_leader"):
            self.assertIn(needed, used)
        self.assertEqual({v["name"] for v in dash["templating"]["list"]}, {"datasource", "namespace"})

    def test_prometheus_rule(self):
        docs = template({"prometheusRule": {"enabled": True, "stuckJobSeconds": 900}})
        (rule,) = [d for d in docs if d["kind"] == "PrometheusRule"]
        known = registered_metrics()
        alerts = {}
        for group in rule["spec"]["groups"]:
            for r in group["rules"]:
                self.assertLessEqual(used_metrics(r["expr"]), known, r["alert"])
                self.assertIn(r["labels"]["severity"], {"warning", "critical"})
                self.assertIn("summary", r["annotations"])
                alerts[r["alert"]] = r
        self.assertIn("> 900", alerts["ProfilerJobStuck"]["expr"])
        self.assertIn("profiler_operator_reconcile_errors_total", alerts["ProfilerReconcileErrors"]["expr"])
        self.assertIn("profiler_operator_aws_throttles_total", alerts["ProfilerAwsThrottling"]["expr"])
        self.assertIn("aws.requestsPerSecond (now 150)", alerts["ProfilerAwsThrottling"]["annotations"]["description"])
        drift = alerts["ProfilerDriftDetected"]["expr"]
        self.assertIn('profiler_operator_drift_comparisons_total{outcome="drift"}', drift)
        self.assertIn("DriftNotCompared", alerts["ProfilerDriftNotCompared"]["annotations"]["description"])
        rules = alerts["ProfilerRulesFailed"]
        self.assertIn('profiler_operator_rule_checks_total{outcome="failed"}', rules["expr"])
        self.assertIn("reason=RulesFailed", rules["annotations"]["description"])
        # Prometheus templates survive Helm's rendering.
        self.assertIn("{{ $labels.kind }}", alerts["ProfilerReconcileErrors"]["annotations"]["summary"])


if __name__ == "__main__":
    unittest.main()
