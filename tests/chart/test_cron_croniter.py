"""The controller's cron evaluator (`profiler-controller next-runs`, the code that schedules
ProfileSchedules) against PyPI croniter: seeded random 5-field schedules (values, ranges, steps,
lists, month and weekday names, day of month OR day of week) in UTC, zones with fractional offsets
and a zone with daylight saving time, eight fire times each from random instants. Schedules whose
hour field covers the hours clocks change in are left out in zones with daylight saving time: there
the controller follows Kubernetes CronJob (a time in the spring-forward gap does not fire that
day) and Vixie cron (a time in the fall-back fold fires once), which controller/src/schedule/cron.rs
documents and unit-tests; the last test pins those answers here too.

Needs the controller binary: PROFILER_TEST_CONTROLLER_BIN (scripts/test.sh sets it)."""

import datetime
import os
import random
import subprocess
import unittest
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter

CONTROLLER = os.environ.get("PROFILER_TEST_CONTROLLER_BIN")
SEED = int(os.environ.get("PROFILER_CRON_SEED", "20261202"))
CASES = int(os.environ.get("PROFILER_CRON_CASES", "240"))

FIELDS = [
    ["*", "0", "59", "*/15", "5,35", "10-20/5", "0-30/10", "7"],
    ["*", "0", "23", "*/6", "9-17", "8,12", "10"],
    ["*", "1", "15", "31", "29", "1-7", "*/10", "13"],
    ["*", "2", "jan-mar", "*/3", "12", "JUN,dec"],
    ["*", "1-5", "0", "sat,sun", "fri", "MON"],
]
ZONES = ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Europe/Paris"]
DST_ZONES = {"Europe/Paris"}


def ours(schedule, zone, after, count):
    proc = subprocess.run(
        [CONTROLLER, "next-runs", schedule, "--time-zone", zone, "--after", after.isoformat(), "--count", str(count)],
        capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(f"next-runs {schedule!r} {zone}: {proc.stderr}")
    return [line.split("\t")[0] for line in proc.stdout.splitlines() if line]


def theirs(schedule, zone, after, count):
    """croniter's next times; fewer when it gives up searching (e.g. `0 0 31 2 *`, never)."""
    it = croniter(schedule, after.astimezone(ZoneInfo(zone)))
    out = []
    for _ in range(count):
        try:
            out.append(it.get_next(datetime.datetime).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        except CroniterBadDateError:
            break
    return out


class CroniterTest(unittest.TestCase):
    def setUp(self):
        if not CONTROLLER:
            self.fail("set PROFILER_TEST_CONTROLLER_BIN to the profiler-controller binary (scripts/test.sh does)")

    def test_random_schedules_fire_when_croniter_says(self):
        rng = random.Random(SEED)
        compared, divergent = 0, []
        for _ in range(CASES):
            fields = [rng.choice(options) for options in FIELDS]
            zone = rng.choice(ZONES)
            if zone in DST_ZONES and fields[1] == "*":
                continue  # every hour crosses the changed hour: see the module's docstring
            schedule = " ".join(fields)
            after = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
                seconds=rng.randrange(3 * 365 * 86400))
            a, b = ours(schedule, zone, after, 8), theirs(schedule, zone, after, 8)
            if len(b) < 8:
                a = a[:len(b)]  # croniter searched less far ahead than the controller (9 years)
            compared += 1
            if a != b:
                divergent.append(f"{schedule!r} in {zone} after {after.isoformat()}:\n  ours     {a}\n  croniter {b}")
        self.assertGreater(compared, CASES // 2)
        self.assertEqual(divergent, [], f"{len(divergent)} of {compared} diverge:\n" + "\n".join(divergent[:5]))

    def test_daylight_saving_time_rules(self):
        ny = "America/New_York"
        start = datetime.datetime(2026, 3, 7, tzinfo=datetime.timezone.utc)
        # Spring forward: 02:30 does not exist on 2026-03-08, so nothing fires that day.
        self.assertEqual(ours("30 2 * * *", ny, start, 2), ["2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"])
        # Fall back: 01:30 happens twice on 2026-11-01 and fires once; every hour fires in both.
        start = datetime.datetime(2026, 10, 31, 12, tzinfo=datetime.timezone.utc)
        self.assertEqual(ours("30 1 * * *", ny, start, 2), ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"])
        start = datetime.datetime(2026, 11, 1, 4, tzinfo=datetime.timezone.utc)
        self.assertEqual(ours("30 * * * *", ny, start, 3),
                         ["2026-11-01T04:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"])
        # Month ends and leap days, with croniter.
        for schedule in ("0 0 31 * *", "0 0 29 2 *"):
            self.assertEqual(ours(schedule, "UTC", start, 3), theirs(schedule, "UTC", start, 3))


if __name__ == "__main__":
    unittest.main()
