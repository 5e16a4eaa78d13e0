"""deploy/argocd/health-profilejob.lua and health-profileschedule.lua run in Lua 5.1 (lupa; Argo
CD's gopher-lua is 5.1) against sample ProfileJobs and ProfileSchedules: Progressing, Healthy,
Degraded and Suspended as status.phase, the conditions and spec.suspend say."""

import os
import unittest

from lupa import lua51

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "deploy", "argocd", "health-profilejob.lua")
SCHEDULE_SCRIPT = os.path.join(ROOT, "deploy", "argocd", "health-profileschedule.lua")


def health(obj, script=SCRIPT):
    """Runs the script as Argo CD does: `obj` is a global, the script returns {status, message}."""
    lua = lua51.LuaRuntime(unpack_returned_tuples=True)

    def to_lua(v):
        if isinstance(v, dict):
            return lua.table_from({k: to_lua(x) for k, x in v.items()})
        if isinstance(v, list):
            return lua.table_from([to_lua(x) for x in v])
        return v

    with open(script) as f:
        source = f.read()
    run = lua.eval(
        "function(obj, src) local f = assert(loadstring(src, 'health')); "
        "setfenv(f, setmetatable({obj = obj}, {__index = _G})); return f() end"
    )
    result = run(to_lua(obj), source)
    return result["status"], result["message"]


def job(phase=None, suspend=None, conditions=None, generation=1, observed=1, **status):
    obj = {"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob",
           "metadata": {"name": "j", "namespace": "n", "generation": generation},
           "spec": {"source": {"athena": {"database": "d", "table": "t"}}}}
    if suspend is not None:
        obj["spec"]["suspend"] = suspend
    if phase is not None or conditions is not None or status:
        obj["status"] = {"observedGeneration": observed, **status}
        if phase is not None:
            obj["status"]["phase"] = phase
        if conditions is not None:
            obj["status"]["conditions"] = conditions
    return obj


def cond(ctype, status, message="", reason="R"):
    return {"type": ctype, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": "2025-01-01T00:00:00Z"}


class HealthTest(unittest.TestCase):
    def test_table(self):
        cases = [
            ("new, no status", job(), "Progressing", "Waiting for the controller"),
            ("pending", job("Pending", message="waiting for runtime default"), "Progressing", "Pending: waiting for runtime default"),
            ("runtime not ready", job("Pending", conditions=[cond("Ready", "False", "runtime default is not Ready")]),
             "Progressing", "Pending: runtime default is not Ready"),
            ("submitted", job("Submitted", attempt=1), "Progressing", "Submitted: in progress"),
            ("running, retry", job("Running", attempt=2, message="attempt 2"), "Progressing", "Running (attempt 2): attempt 2"),
            ("stale status", job("Running", generation=2, observed=1), "Progressing", "Waiting for the controller to observe generation 2"),
            ("succeeded", job("Succeeded", result={"rows": 1234, "columns": 5}), "Healthy", "Profiled 1234 rows"),
            ("succeeded no result", job("Succeeded", message="done"), "Healthy", "done"),
            ("failed", job("Failed", message="table crm.x does not exist"), "Degraded", "Failed: table crm.x does not exist"),
            ("cancelled", job("Cancelled"), "Degraded", "Cancelled: no message"),
            ("failed condition", job("Running", conditions=[cond("Failed", "True", "deadline exceeded")]), "Degraded", "deadline exceeded"),
            ("suspended before submit", job(suspend=True), "Suspended", "Suspended before submission"),
            ("suspended pending", job("Pending", suspend=True, message="suspended"), "Suspended", "suspended"),
            ("suspended condition", job("Pending", conditions=[cond("Suspended", "True")]), "Suspended", "Suspended"),
            ("suspended but done", job("Succeeded", suspend=True, result={"rows": 1}), "Healthy", "Profiled 1 rows"),
        ]
        for name, obj, status, message in cases:
            with self.subTest(case=name):
                self.assertEqual(health(obj), (status, message))

    def test_only_argo_statuses(self):
        for phase in ("Pending", "Submitted", "Running", "Succeeded", "Failed", "Cancelled", "Unknown"):
            self.assertIn(health(job(phase))[0], {"Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"})


def schedule(suspend=None, conditions=None, generation=1, observed=1, **status):
    obj = {"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileSchedule",
           "metadata": {"name": "s", "namespace": "n", "generation": generation},
           "spec": {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"source": {"athena": {"database": "d", "table": "t"}}}}}}
    if suspend is not None:
        obj["spec"]["suspend"] = suspend
    if conditions is not None or status:
        obj["status"] = {"observedGeneration": observed, **status}
        if conditions is not None:
            obj["status"]["conditions"] = conditions
    return obj


class ScheduleHealthTest(unittest.TestCase):
    def test_table(self):
        scheduling = cond("Ready", "True", "next run at 2026-12-03T02:00:00Z", "Scheduling")
        cases = [
            ("new, no status", schedule(), "Progressing", "Waiting for the controller"),
            ("scheduling", schedule(conditions=[scheduling]), "Healthy", "next run at 2026-12-03T02:00:00Z"),
            ("scheduling, ran", schedule(conditions=[scheduling], lastScheduleTime="2026-12-02T02:00:00Z"), "Healthy",
             "next run at 2026-12-03T02:00:00Z; last run scheduled 2026-12-02T02:00:00Z"),
            ("stale status", schedule(conditions=[scheduling], generation=2), "Progressing",
             "Waiting for the controller to observe generation 2"),
            ("suspended spec", schedule(suspend=True), "Suspended", "Suspended: no new runs"),
            ("suspended condition", schedule(conditions=[cond("Ready", "False", "suspended", "Suspended")]), "Suspended",
             "Suspended: no new runs"),
            ("invalid", schedule(conditions=[cond("Ready", "False", "spec.timeZone: \"Mars\" must be ...", "InvalidSchedule")]),
             "Degraded", "spec.timeZone: \"Mars\" must be ..."),
            ("invalid and suspended", schedule(suspend=True, conditions=[cond("Ready", "False", "bad", "InvalidSchedule")]),
             "Degraded", "bad"),
        ]
        for name, obj, status, message in cases:
            with self.subTest(case=name):
                self.assertEqual(health(obj, SCHEDULE_SCRIPT), (status, message))


if __name__ == "__main__":
    unittest.main()
