"""One set of rules: whatever a user can write in a ProfileJob, ProfileSchedule or ProfilerRuntime, the API server
(the CRD's schema and CEL rules, evaluated by kube_schema as the other chart tests do) admits it
exactly when the controller's own checks accept it (`profiler-controller validate`: the spec, the
job document built from it, which is what the worker validates again).

Thousands of specs are generated from valid ones by changing one to three fields to hostile
strings (empty, control characters, quotes, multibyte, at and past every length limit, a trailing
newline), boundary numbers and option combinations. ProfileSchedules get seeded random cron
strings (values at and past each field's range, ranges both ways, steps, names, lists, shorthands,
wrong field counts, stray whitespace), time zones, limits and a job template mutated like a
ProfileJob's spec. A divergence fails the test and prints the spec and both verdicts.

Needs the controller binary: PROFILER_TEST_CONTROLLER_BIN (scripts/test.sh sets it)."""

import copy
import json
import os
import random
import subprocess
import unittest

import kube_schema

CONTROLLER = os.environ.get("PROFILER_TEST_CONTROLLER_BIN")
SEED = int(os.environ.get("PROFILER_PARITY_SEED", "20261202"))
CASES = int(os.environ.get("PROFILER_PARITY_CASES", "3000"))

STRINGS = [
    "", "a", "orders", "Orders Table", 'a"b', "a'b", "a\\b", "a\x00b", "tab\there", "abc\n", "\x7f", "x\u0085",
    "é" * 63, "é" * 64, "x" * 127, "x" * 128, "x" * 255, "x" * 256, "\U0001F642" * 32, "\U0001F642" * 31,
    "s3://acme-results/profiler/", "s3://Bad_Bucket/x", "s3://ab", "s3://a..b/x", "s3://acme-data/", "s3://acme-data",
    "s3://acme-data/o/*.parquet", "s3://acme-data/o\x7f/", "https://catalog.example.com/api",
    "http://", "https:///x", "ftp://x", "http://host name", "sqlite:///tmp/c.db", "postgres://u@h/db",
    "postgresql://h/db", "mysql://h", "123456789012", "12345678901", "1234567890123",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC123",
    "arn:aws:secretsmanager:us-east-1:123:secret:x", "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
    "arn:aws:s3tables:us-east-1:123456789012:bucket/my-tables", "arn:aws:s3tables:us-east-1:123456789012:bucket/AB",
    "arn:aws:iam::123456789012:role/profiler", "arn:aws:iam::123456789012:role/", "arn:aws:iam::12:role/x",
    "wg1", "ab", "analytics-wg", "Analytics", "cluster-1", "1cluster", "a--b", "a-", "primary", "my.workgroup_1",
    "profiler-results", "my.results", "a.b.", "ab", "Acme_Results", "-x", "default", "team-a.runtime", "Default",
    "w" * 64, "w" * 65, "p" * 512, "p" * 513, "profiles/", "machine_1", "m" * 80, "m" * 81,
]
COUNTS = [-1, 0, 1, 2, 10, 11, 255, 999, 1000, 1001, 31536000, 31536001, 2**31, 2**53]
FRACTIONS = [0, 0.0, 1e-9, 0.5, 1, 1.0, 1.0000001, -0.1, 2]
TASKS = [(256, 512), (256, 4096), (512, 1024), (512, 1536), (1024, 2048), (1024, 9216), (4096, 30720),
         (8192, 20480), (8192, 16384), (16384, 122880), (300, 1024), (2048, 4095)]


def base_sources():
    return [
        {"iceberg": {"catalog": {"glue": {}}, "namespace": "lake", "table": "orders"}},
        {"iceberg": {"catalog": {"glue": {"catalogId": "123456789012"}}, "namespace": "lake", "table": "orders",
                     "metadataOnly": True}},
        {"iceberg": {"catalog": {"rest": {"uri": "https://catalog.example.com", "warehouse": "main"}},
                     "namespace": "lake", "table": "orders", "snapshotId": 42}},
        {"iceberg": {"catalog": {"s3Tables": {"tableBucketArn": "arn:aws:s3tables:us-east-1:123456789012:bucket/t"}},
                     "namespace": "lake", "table": "orders"}},
        {"iceberg": {"catalog": {"sql": {"uri": "postgres://h/db", "name": "main"}}, "namespace": "lake",
                     "table": "orders"}},
        {"athena": {"database": "sales", "table": "orders"}},
        {"athena": {"catalog": "AwsDataCatalog", "database": "sales", "table": "orders", "workgroup": "analytics",
                    "outputLocation": "s3://athena-results/x/", "method": "sample"}},
        {"redshift": {"target": {"workgroup": "analytics"}, "database": "dev", "schema": "public", "table": "events"}},
        {"redshift": {"target": {"cluster": "warehouse-1"}, "database": "dev", "schema": "public", "table": "events",
                      "auth": {"dbUser": "profiler"}, "method": "sample"}},
        {"redshift": {"target": {"workgroup": "analytics"}, "database": "dev", "schema": "public", "table": "events",
                      "auth": {"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-AbC123"}}},
        {"parquet": {"uri": "s3://acme-data/orders/"}},
        {"parquet": {"uri": "s3://acme-data/orders/dt=2024-*/*.parquet"}},
    ]


def string_paths(value, path=()):
    """Every string leaf of a source, as a path."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from string_paths(v, path + (k,))
    elif isinstance(value, str):
        yield path


def put(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    if value is None:
        obj.pop(path[-1], None)
    else:
        obj[path[-1]] = value


def sampling(rng):
    return rng.choice([
        {"method": "full"},
        {"method": "reservoir", "size": rng.choice(COUNTS), "seed": rng.choice([0, 7])},
        {"method": "bernoulli", "fraction": rng.choice(FRACTIONS), "seed": 1},
        {"method": "reservoir", "size": 10},
        {"method": "bernoulli", "fraction": 0.5, "seed": 1, "size": 3},
        {"method": "full", "seed": 1},
        {"method": "systematic"},
    ])


# spec.parallelism (int-or-string) and a runtime's worker.maxParallelism: in range, out of range,
# of the wrong spelling or type.
PARALLELISM = ["auto", 1, 2, 4, 100, 0, 101, -1, "Auto", "many", "4", 2.5, True, None]


# spec.incremental: a boolean, or not one.
INCREMENTAL = [True, True, False, "true", 1, None]


def mutate_job(rng, spec):
    source = next(iter(spec["source"].values()))
    if rng.random() < 0.25:
        # A fan-out beside whatever else is mutated: sources, rules and sampling that cannot split.
        spec["parallelism"] = rng.choice(PARALLELISM)
    if rng.random() < 0.2:
        # Incremental beside whatever else is mutated: sources, sampling, rules, fan-outs.
        spec["incremental"] = rng.choice(INCREMENTAL)
    choice = rng.randrange(15)
    if choice <= 3:
        paths = list(string_paths(spec["source"]))
        put(spec["source"], rng.choice(paths), rng.choice(STRINGS))
    elif choice == 4:
        spec["columns"] = rng.choice([
            [], ["a"], ["a", "a"], ["id", "amount"], [rng.choice(STRINGS)], [rng.choice(STRINGS), "id"],
            [f"c{i}" for i in range(1000)], [f"c{i}" for i in range(1001)],
        ])
    elif choice == 5:
        spec["sampling"] = sampling(rng)
    elif choice == 6:
        spec["metrics"] = {rng.choice(["histogramBins", "topK"]): rng.choice(COUNTS)}
    elif choice == 7:
        cpu, memory = rng.choice(TASKS)
        spec["task"] = {"cpu": cpu, "memory": memory}
    elif choice == 8:
        spec[rng.choice(["backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"])] = rng.choice(COUNTS)
    elif choice == 9:
        spec["runtimeRef"] = {"name": rng.choice(STRINGS)}
    elif choice == 10:
        key = "iceberg" if "iceberg" in spec["source"] else next(iter(spec["source"]))
        if key == "iceberg":
            source["metadataOnly"] = rng.choice([True, False])
        else:
            source["method"] = rng.choice(["pushdown", "sample"])
        spec["sampling"] = sampling(rng)
    elif choice == 11 and "redshift" in spec["source"]:
        source["target"] = rng.choice([{"cluster": rng.choice(STRINGS)}, {"workgroup": rng.choice(STRINGS)}])
        if rng.random() < 0.5:
            source.pop("auth", None)
    elif choice == 13:
        spec["drift"] = drift(rng)
    elif choice == 14:
        spec["rules"] = rules(rng)
    elif choice == 12 and "iceberg" in spec["source"]:
        source["catalog"] = rng.choice([
            {"glue": {"catalogId": rng.choice(STRINGS)}},
            {"rest": {"uri": rng.choice(STRINGS)}},
            {"rest": {"uri": "https://c.example.com", "warehouse": rng.choice(STRINGS)}},
            {"s3Tables": {"tableBucketArn": rng.choice(STRINGS)}},
            {"sql": {"uri": rng.choice(STRINGS)}},
            {"sql": {"uri": "sqlite:///c.db", "name": rng.choice(STRINGS)}},
        ])


THRESHOLD_PAIRS = ["rowCount", "nullFraction", "distinct", "meanShift", "stddevChange", "quantileShift", "ks", "psi",
                   "topValueShare", "contentType"]
THRESHOLD_VALUES = [0, 0.0, 0.05, 0.1, 0.25, 0.5, 1, 2.5, -0.1, -1]
BASELINES = ["s3://acme-results/profiles/team-a/orders/u/attempt-1/profile.json", "s3://acme-results/",
             "s3://acme-results", "s3://Bad_Bucket/p.json", "https://x/profile.json", "s3://ab/k", "s3://abc/k\x00"]


def drift(rng):
    """spec.drift: a baseline (good or not) and some thresholds (pairs in order, reversed,
    negative, or one side only, which the other side's default then judges)."""
    out = {}
    if rng.random() < 0.7:
        out["baseline"] = rng.choice(BASELINES + [rng.choice(STRINGS)])
    if rng.random() < 0.7:
        thresholds = {}
        for _ in range(rng.randrange(1, 4)):
            pair = rng.choice(THRESHOLD_PAIRS)
            for side in rng.sample(["Warning", "Critical"], rng.randrange(1, 3)):
                thresholds[pair + side] = rng.choice(THRESHOLD_VALUES)
        if rng.random() < 0.2:
            thresholds["minValues"] = rng.choice(COUNTS)
        if rng.random() < 0.2:
            thresholds[rng.choice(["columnAdded", "columnRemoved", "typeChanged"])] = rng.choice(
                ["info", "warning", "critical", "fatal"])
        out["thresholds"] = thresholds
    return out


RULE_TYPES = ["rowCount", "completeness", "uniqueness", "allowedValues", "range", "nonNegative", "stringLength",
              "contentType"]
RULE_NAMES = ["r", "amount-range", "a_b", "x" * 63, "x" * 64, "Bad-Name", "a-", "-a", "a b", "é", "9lives"]
RULE_NUMBERS = [0, 0.0, 0.5, 1, 1.0, 1.5, 2, -1, -0.5, 10, 1e9, 1e15, 3.25]
TIME_BOUNDS = ["2024-01-01", "2024-01-01T10:00:00Z", "2024-01-01 10:00", "2024-01-01T10:00:00.123456789+02:00",
               "2024-1-1", "yesterday", "2024-01-01T10:00:00+0200", "2024-01-01T10:00:00.1234567890Z"]
CONFIG_MAP_KEYS = ["rules.yaml", "checks.json", "a", "rules/yaml", "", "x" * 253, "x" * 254, "r ules", "._-"]


def rule(rng, i):
    """One inline rule: a valid one of a random type, then zero to two fields set to something
    the type may or may not take (a field it does not take, a bound out of range, min > max, a
    bad name, column, value or time bound, both bound pairs, a missing required field)."""
    ty = rng.choice(RULE_TYPES)
    out = {"name": f"r{i}", "type": ty}
    if ty != "rowCount":
        out["column"] = "amount"
    if ty in ("rowCount", "range", "stringLength"):
        out["min"] = 1
    if ty == "allowedValues":
        out["values"] = ["new", "paid"]
    if ty == "contentType":
        out["contentType"] = "email"
    for _ in range(rng.randint(0, 2)):
        field = rng.choice(["name", "column", "min", "max", "values", "earliest", "latest", "contentType", "drop",
                            "rationale"])
        if field == "name":
            out["name"] = rng.choice(RULE_NAMES + [rng.choice(STRINGS)])
        elif field == "column":
            out["column"] = rng.choice(STRINGS)
        elif field in ("min", "max"):
            out[field] = rng.choice(RULE_NUMBERS)
        elif field == "values":
            out["values"] = rng.choice([[], ["a"], [""], [rng.choice(STRINGS)], ["x" * 1024], ["x" * 1025],
                                        [str(v) for v in range(1000)], [str(v) for v in range(1001)]])
        elif field in ("earliest", "latest"):
            out[field] = rng.choice(TIME_BOUNDS)
        elif field == "contentType":
            out["contentType"] = rng.choice(["email", "uuid", "date", "phone"])
        elif field == "rationale":
            out["rationale"] = rng.choice(STRINGS)
        else:
            out.pop(rng.choice([k for k in out if k != "type"]), None)
    return out


def rules(rng):
    """spec.rules: inline rules (valid or not, names unique or repeated), a ConfigMap reference
    (good or bad name and key), both, neither, or an empty list."""
    shape = rng.randrange(8)
    if shape == 0:
        ref = {"name": rng.choice(["orders-rules", "rules.v1"] + STRINGS)}
        if rng.random() < 0.5:
            ref["key"] = rng.choice(CONFIG_MAP_KEYS)
        return {"configMapRef": ref}
    if shape == 1:
        return {}
    if shape == 2:
        return {"inline": [rule(rng, 0)], "configMapRef": {"name": "orders-rules"}}
    if shape == 3:
        return {"inline": []}
    inline = [rule(rng, i) for i in range(rng.randint(1, 4))]
    if len(inline) > 1 and rng.random() < 0.15:
        inline[-1]["name"] = inline[0].get("name", "r0")
    return {"inline": inline}


def job(spec, i):
    return {"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileJob",
            "metadata": {"name": f"job-{i}", "namespace": "default"}, "spec": spec}


def base_runtime():
    return {
        "ecs": {"cluster": "profiler", "subnets": ["subnet-0123456789abcdef0"], "securityGroups": ["sg-0123"]},
        "taskRoleArn": "arn:aws:iam::123456789012:role/profiler-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/profiler-execution",
        "stateMachineRoleArn": "arn:aws:iam::123456789012:role/profiler-states",
        "worker": {"image": "ghcr.io/profiler-operator/profiler-worker:0.1.0"},
        "results": {"bucket": "profiler-results"},
    }


def mutate_runtime(rng, spec):
    choice = rng.randrange(8)
    if choice == 0:
        spec["results"]["bucket"] = rng.choice(STRINGS)
    elif choice == 1:
        spec["results"]["prefix"] = rng.choice(STRINGS)
    elif choice == 2:
        spec["databaseSecretArn"] = rng.choice(STRINGS)
    elif choice == 3:
        spec[rng.choice(["taskRoleArn", "executionRoleArn", "stateMachineRoleArn"])] = rng.choice(STRINGS)
    elif choice == 4:
        spec["stateMachineName"] = rng.choice(STRINGS)
    elif choice == 5:
        cpu, memory = rng.choice(TASKS)
        spec["worker"]["size"] = {"cpu": cpu, "memory": memory}
    elif choice == 6:
        spec["worker"]["distributedMapAbove"] = rng.choice(PARALLELISM)
    else:
        spec["worker"]["maxParallelism"] = rng.choice(PARALLELISM)


def runtime(spec, i):
    return {"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfilerRuntime", "metadata": {"name": f"rt-{i}"},
            "spec": spec}


def generate(rng, n):
    objects = []
    for i in range(n):
        if i % 5 == 4:
            spec = base_runtime()
            for _ in range(rng.randint(0, 2)):
                mutate_runtime(rng, spec)
            objects.append(runtime(spec, i))
        else:
            spec = {"source": copy.deepcopy(rng.choice(base_sources()))}
            for _ in range(rng.randint(0, 3)):
                mutate_job(rng, spec)
            objects.append(job(spec, i))
    return objects


CRON_FIELDS = [  # (min, max, names)
    (0, 59, []),
    (0, 23, []),
    (1, 31, []),
    (1, 12, ["jan", "FEB", "Mar", "dec", "january"]),
    (0, 6, ["sun", "MON", "Fri", "sat", "sunday"]),
]
TIME_ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kathmandu", "Etc/GMT+5", "US/Eastern", "Factory",
              "utc", "Local", "", "Mars/Olympus", "Europe/Paris ", "europe/paris", "x" * 65, "America/Argentina/Buenos_Aires"]


def cron_value(rng, lo, hi, names):
    """A value of the field: mostly valid (bounds, a leading zero, a name), sometimes just past it."""
    if rng.random() < 0.93:
        return rng.choice([str(lo), str(hi), str(rng.randint(lo, hi)), f"0{lo}" if lo < 10 else str(lo),
                           *(names[:4] or [str(rng.randint(lo, hi))])])
    return rng.choice([str(hi + 1), str(lo - 1) if lo > 0 else "-1", f"00{lo}", "x", "7", *names[4:]])


def cron_element(rng, field):
    lo, hi, names = CRON_FIELDS[field]
    kind = rng.randrange(6)
    if kind <= 1:
        base = "*"
    elif kind <= 3:
        base = cron_value(rng, lo, hi, names)
    else:
        a, b = sorted((rng.randint(lo, hi), rng.randint(lo, hi)))
        if rng.random() < 0.05:
            a, b = b, a  # reversed (refused unless equal)
        base = f"{a}-{b}" if rng.random() < 0.9 else f"{cron_value(rng, lo, hi, names)}-{cron_value(rng, lo, hi, names)}"
    if rng.random() < 0.25:
        base += "/" + rng.choice(["1", "2", "15", "99", "5", "10", "100", "0", "", "x"] if rng.random() < 0.2
                                 else ["1", "2", "15", "99", "5", "10"])
    return base


def cron(rng):
    choice = rng.randrange(20)
    if choice == 0:
        return rng.choice(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@Daily",
                           "@every 1h", "@reboot", " @daily ", "@daily\n", "TZ=UTC 0 0 * * *", ""])
    fields = [",".join(cron_element(rng, f) for _ in range(rng.choice([1, 1, 1, 1, 2, 3]))) for f in range(5)]
    if choice == 1:
        fields = fields[:rng.choice([3, 4])]
    elif choice == 2:
        fields.append(rng.choice(["*", "2026"]))
    sep = rng.choice([" ", " ", " ", "  ", "\t"])
    text = sep.join(fields)
    if choice == 3:
        text = rng.choice([" ", "\t", "\n"]) + text + rng.choice(["", " ", "\n"])
    return text


def schedule_object(rng, i):
    spec = {"schedule": cron(rng), "jobTemplate": {"spec": {"source": copy.deepcopy(rng.choice(base_sources()))}}}
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        choice = rng.randrange(6)
        if choice == 0:
            spec["timeZone"] = rng.choice(TIME_ZONES)
        elif choice == 1:
            spec[rng.choice(["successfulJobsHistoryLimit", "failedJobsHistoryLimit"])] = rng.choice(COUNTS + [100, 101])
        elif choice == 2:
            spec["startingDeadlineSeconds"] = rng.choice(COUNTS)
        elif choice == 3:
            spec["concurrencyPolicy"] = rng.choice(["Forbid", "Allow", "Replace", "Never", "forbid"])
        else:
            mutate_job(rng, spec["jobTemplate"]["spec"])
    if rng.random() < 0.15:
        # An incremental schedule builds on its own last profile, never on a fixed baseline.
        template = spec["jobTemplate"]["spec"]
        template["incremental"] = True
        if rng.random() < 0.5:
            template["drift"] = rng.choice([{"baseline": BASELINES[0]}, {"thresholds": {"rowCountWarning": 0.1}}])
    return {"apiVersion": "profiler.dev/v1alpha1", "kind": "ProfileSchedule",
            "metadata": {"name": f"schedule-{i}", "namespace": "default"}, "spec": spec}


def controller_verdicts(objects):
    """The controller's verdict on each object (as the API server stores it: defaults applied)."""
    stream = "".join(json.dumps(o) + "\n" for o in objects)
    proc = subprocess.run([CONTROLLER, "validate", "-"], input=stream, capture_output=True, text=True, timeout=300)
    if proc.returncode not in (0, 2):
        raise AssertionError(f"profiler-controller validate failed ({proc.returncode}): {proc.stderr}")
    # Split on "\n" only: a verdict may quote U+0085 or U+2028, which splitlines() splits on.
    verdicts = [json.loads(line) for line in proc.stdout.split("\n") if line]
    if len(verdicts) != len(objects):
        raise AssertionError(f"{len(objects)} manifests, {len(verdicts)} verdicts: {proc.stderr}")
    return verdicts


class AdmissionParityTest(unittest.TestCase):
    crds = kube_schema.load_crds()

    def setUp(self):
        if not CONTROLLER:
            self.fail("set PROFILER_TEST_CONTROLLER_BIN to the profiler-controller binary (scripts/test.sh does)")

    def check(self, objects):
        admitted = [kube_schema.admit(o, crds=self.crds) for o in objects]
        verdicts = controller_verdicts([stored for stored, _ in admitted])
        divergent = []
        for obj, (_, errors), verdict in zip(objects, admitted, verdicts):
            if (not errors) != verdict["valid"]:
                spec = json.dumps(obj["spec"])
                spec = spec if len(spec) <= 600 else spec[:600] + " ..."
                divergent.append(f"{spec}\n    API server: {errors or 'admitted'}"
                                 f"\n    controller: {str(verdict['error'] or 'accepted')[:600]}")
        self.assertEqual(divergent, [], f"{len(divergent)} of {len(objects)} diverge; first ones:\n"
                         + "\n".join(divergent[:10]))
        return sum(1 for _, errors in admitted if not errors)

    def test_generated_specs_are_judged_alike(self):
        objects = generate(random.Random(SEED), CASES)
        accepted = self.check(objects)
        # A generator that produced only good (or only bad) specs would prove nothing.
        self.assertGreater(accepted, len(objects) // 5, "too few valid specs generated")
        self.assertLess(accepted, len(objects) * 4 // 5, "too few invalid specs generated")

    def test_generated_schedules_are_judged_alike(self):
        rng = random.Random(SEED + 1)
        objects = [schedule_object(rng, i) for i in range(CASES // 6)]
        accepted = self.check(objects)
        self.assertGreater(accepted, len(objects) // 5, "too few valid schedules generated")
        self.assertLess(accepted, len(objects) * 4 // 5, "too few invalid schedules generated")

    def test_every_rule_shape_is_judged_alike(self):
        """Each rule type valid, then each way a rule or spec.rules can be wrong, one at a time."""
        base = {
            "rowCount": {"min": 1, "max": 10},
            "completeness": {"column": "amount", "min": 0.99},
            "uniqueness": {"column": "id"},
            "allowedValues": {"column": "status", "values": ["new", "paid"]},
            "range": {"column": "created_at", "earliest": "2024-01-01", "latest": "2025-01-01T00:00:00Z"},
            "nonNegative": {"column": "amount"},
            "stringLength": {"column": "note", "max": 20},
            "contentType": {"column": "email", "contentType": "email", "min": 0.9},
        }
        good = [{"name": f"r{i}", "type": ty, **fields} for i, (ty, fields) in enumerate(base.items())]
        broken = [
            {"name": "r", "type": "rowCount", "column": "id", "min": 1},  # a field the type does not take
            {"name": "r", "type": "completeness"},  # column missing
            {"name": "r", "type": "completeness", "column": "a", "min": 1.5},  # not a fraction
            {"name": "r", "type": "rowCount", "min": 1.5},  # not a whole number
            {"name": "r", "type": "rowCount", "min": -1},
            {"name": "r", "type": "range", "column": "a", "min": 5, "max": 1},  # min > max
            {"name": "r", "type": "range", "column": "a"},  # no bound
            {"name": "r", "type": "range", "column": "a", "min": 1, "earliest": "2024-01-01"},  # both pairs
            {"name": "r", "type": "range", "column": "a", "earliest": "yesterday"},
            {"name": "r", "type": "allowedValues", "column": "a"},  # values missing
            {"name": "r", "type": "allowedValues", "column": "a", "values": []},
            {"name": "r", "type": "allowedValues", "column": "a", "values": ["x" * 1025]},
            {"name": "r", "type": "contentType", "column": "a"},  # contentType missing
            {"name": "r", "type": "nonNegative", "column": "a", "values": ["1"]},
            {"name": "Bad Name", "type": "nonNegative", "column": "a"},
            {"name": "r", "type": "nonNegative", "column": ""},
            {"name": "r", "type": "unknown", "column": "a"},
        ]
        specs = [{"inline": good}, {"inline": good[:1]}, {"configMapRef": {"name": "orders-rules"}},
                 {"configMapRef": {"name": "orders-rules", "key": "checks.json"}}]
        bad_specs = [{"inline": [r]} for r in broken] + [
            {"inline": [good[0], good[0]]},  # a repeated name
            {"inline": []}, {}, {"inline": good[:1], "configMapRef": {"name": "r"}},
            {"configMapRef": {"name": "Orders"}}, {"configMapRef": {"name": "r", "key": "a/b"}},
        ]
        source = {"iceberg": {"catalog": {"glue": {}}, "namespace": "lake", "table": "orders"}}
        objects = [job({"source": source, "rules": r}, i) for i, r in enumerate(specs + bad_specs)]
        self.assertEqual(self.check(objects), len(specs), "exactly the good rule specs are admitted")

    def test_examples_are_judged_alike(self):
        import glob

        import yaml

        objects = []
        for path in sorted(glob.glob(os.path.join(kube_schema.ROOT, "examples", "**", "*.yaml"), recursive=True)):
            with open(path) as f:
                docs = [d for d in yaml.safe_load_all(f) if d and d.get("apiVersion", "").startswith("profiler.dev/")]
            if path.endswith("update-changes-source.yaml"):
                docs = docs[:1]  # the update's rule is a transition rule; the stored object is valid
            objects.extend(docs)
        self.assertGreater(len(objects), 15)
        self.check(objects)


if __name__ == "__main__":
    unittest.main()
