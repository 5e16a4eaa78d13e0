"""The worker's state machine, run by moto through tests/emulators/moto_launcher.py.

Starts the launcher on a free port with PROFILER_TEST_WORKER_BIN set to a small shell script (the
"worker"), builds the ECS, VPC and S3 resources the state machine needs, and runs executions of a
state machine shaped like the one the controller generates: success, worker failure (the Fail
state's error and cause come from the worker's result.json in S3), stop (the worker process is
killed), timeout, invalid input, missing result.json; then, on a second launcher without
PROFILER_TEST_WORKER_BIN, a task that just exits 0; on a third, with one task slot, tasks that
wait PENDING for it; on a fourth, with PROFILER_TEST_TASK_MODE=instant, a task that leaves a
prepared result.json.

Run: .venv/bin/python tests/emulators/test_moto_stepfunctions.py  (about 30 s; needs boto3 and
moto[server] from tests/requirements.txt; no Postgres, no Docker)
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import boto3

LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_launcher.py")
REGION = "us-east-1"

WORKER_SCRIPT = r"""#!/bin/sh
# Test worker: records what it was given, then does what the job document's "mode" says.
out="$PROFILER_TEST_WORKER_OUT"
id=$(printf '%s' "$PROFILER_JOB" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p')
printf '%s' "$PROFILER_JOB" > "$out/$id.job"
printf '%s' "$FROM_TASK_DEFINITION" > "$out/$id.taskdef"
printf '%s' "$PROFILER_TEST_ECS_TASK_ARN" > "$out/$id.task"
echo $$ > "$out/$id.pid"
case "$PROFILER_JOB" in
  *'"mode": "fail"'*) exit 2 ;;
  *'"mode": "sleep"'*) exec sleep 120 ;;
esac
exit 0
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Moto:
    """One launcher process on a free port, in Step Functions execute mode."""

    def __init__(self, extra_env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, **extra_env)
        env.pop("PROFILER_REDSHIFT_PG_URL", None)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, LAUNCHER, "127.0.0.1", str(self.port)], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=1)
                break
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("moto did not start")
        if self.process.poll() is not None:
            raise RuntimeError("moto exited:\n" + self.output())
        config = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
        request = urllib.request.Request(self.url + "/moto-api/config", data=config, method="POST")
        request.add_header("Content-Type", "application/json")
        urllib.request.urlopen(request, timeout=5)

    def client(self, service):
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def create_resources(moto):
    """Cluster, VPC/subnet/security group, task definition and results bucket; returns their names."""
    ec2, ecs, s3 = moto.client("ec2"), moto.client("ecs"), moto.client("s3")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="profiler-worker", Description="worker", VpcId=vpc)["GroupId"]
    cluster = ecs.create_cluster(clusterName="profiler")["cluster"]["clusterArn"]
    task_definition = ecs.register_task_definition(
        family="profiler-worker",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="1024",
        memory="2048",
        containerDefinitions=[
            {
                "name": "worker",
                "image": "profiler-task:test",
                "memory": 2048,
                "essential": True,
                "environment": [{"name": "FROM_TASK_DEFINITION", "value": "yes"}],
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    s3.create_bucket(Bucket="results")
    return {"cluster": cluster, "task_definition": task_definition, "subnet": subnet, "security_group": group}


def definition(resources, timeout_seconds=None, retry=True):
    """The state machine's ASL, in the shape the controller generates."""
    run_worker = {
        "Type": "Task",
        "Resource": "arn:aws:states:::ecs:runTask.sync",
        "Parameters": {
            "Cluster": resources["cluster"],
            "TaskDefinition": resources["task_definition"],
            "LaunchType": "FARGATE",
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {
                    "Subnets": [resources["subnet"]],
                    "SecurityGroups": [resources["security_group"]],
                    "AssignPublicIp": "DISABLED",
                }
            },
            "Overrides": {
                "ContainerOverrides": [
                    {"Name": "worker", "Environment": [{"Name": "PROFILER_JOB", "Value.$": "$.jobDocument"}]}
                ]
            },
        },
        "ResultPath": "$.task",
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "ReadFailure"}],
        "Next": "CheckExit",
    }
    if retry:
        run_worker["Retry"] = [
            {
                "ErrorEquals": ["ECS.AmazonECSException", "ECS.ServerException", "ECS.ThrottlingException", "States.Timeout"],
                "IntervalSeconds": 2,
                "MaxAttempts": 3,
                "BackoffRate": 2,
            }
        ]
    if timeout_seconds:
        run_worker["TimeoutSeconds"] = timeout_seconds
    return json.dumps(
        {
            "StartAt": "ValidateInput",
            "States": {
                "ValidateInput": {
                    "Type": "Choice",
                    "Choices": [
                        {
                            "And": [
                                {"Variable": "$.jobDocument", "IsPresent": True},
                                {"Variable": "$.resultKey", "IsPresent": True},
                            ],
                            "Next": "RunWorker",
                        }
                    ],
                    "Default": "InvalidInput",
                },
                "InvalidInput": {"Type": "Fail", "Error": "InvalidInput", "Cause": "jobDocument and resultKey are required"},
                "RunWorker": run_worker,
                "CheckExit": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.task.Containers[0].ExitCode", "NumericEquals": 0, "Next": "Succeeded"}],
                    "Default": "ReadFailure",
                },
                "ReadFailure": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters": {"Bucket.$": "$.resultBucket", "Key.$": "$.resultKey"},
                    "ResultSelector": {"result.$": "States.StringToJson($.Body)"},
                    "ResultPath": "$.failure",
                    "Next": "WorkerFailed",
                },
                "WorkerFailed": {
                    "Type": "Fail",
                    "ErrorPath": "$.failure.result.error.kind",
                    "CausePath": "$.failure.result.error.message",
                },
                "Succeeded": {"Type": "Succeed"},
            },
        }
    )


def job_input(job_id, mode, result_key=None):
    return json.dumps(
        {
            "jobDocument": json.dumps({"id": job_id, "mode": mode}),
            "resultBucket": "results",
            "resultKey": result_key or f"runs/{job_id}/result.json",
        }
    )


def wait_closed(sfn, execution_arn, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.25)
    raise AssertionError(f"{execution_arn} still RUNNING after {seconds} s")


def wait_for(predicate, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def history(sfn, execution_arn):
    return sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]


def write_worker(directory):
    """WORKER_SCRIPT as an executable in `directory`; its path."""
    worker = os.path.join(directory, "worker.sh")
    with open(worker, "w") as script:
        script.write(WORKER_SCRIPT)
    os.chmod(worker, 0o755)
    return worker


class WorkerStateMachine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        worker = write_worker(cls.dir.name)
        cls.moto = Moto({"PROFILER_TEST_WORKER_BIN": worker, "PROFILER_TEST_WORKER_OUT": cls.dir.name})
        cls.sfn, cls.ecs, cls.s3 = cls.moto.client("stepfunctions"), cls.moto.client("ecs"), cls.moto.client("s3")
        cls.resources = create_resources(cls.moto)
        role = "arn:aws:iam::123456789012:role/profiler-sfn"
        cls.machine = cls.sfn.create_state_machine(name="profiler", definition=definition(cls.resources), roleArn=role)[
            "stateMachineArn"
        ]
        cls.timeout_machine = cls.sfn.create_state_machine(
            name="profiler-timeout", definition=definition(cls.resources, timeout_seconds=2, retry=False), roleArn=role
        )["stateMachineArn"]

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        cls.dir.cleanup()

    def recorded(self, job_id, what):
        with open(os.path.join(self.dir.name, f"{job_id}.{what}")) as recorded:
            return recorded.read()

    def start(self, name, job_id, mode, machine=None, **kwargs):
        return self.sfn.start_execution(
            stateMachineArn=machine or self.machine, name=name, input=job_input(job_id, mode, **kwargs)
        )["executionArn"]

    def describe_task(self, task_arn):
        tasks = self.ecs.describe_tasks(cluster=self.resources["cluster"], tasks=[task_arn])["tasks"]
        self.assertEqual(len(tasks), 1)
        return tasks[0]

    def test_success(self):
        execution = self.start("ok", "ok", "ok")
        described = wait_closed(self.sfn, execution)
        self.assertEqual(described["status"], "SUCCEEDED", self.moto.output())
        task = json.loads(described["output"])["task"]
        self.assertEqual(task["LastStatus"], "STOPPED")
        self.assertEqual(task["StopCode"], "EssentialContainerExited")
        self.assertEqual(task["Containers"][0]["ExitCode"], 0)
        self.assertEqual(task["Containers"][0]["Name"], "worker")
        self.assertEqual(task["StartedBy"], "AWS Step Functions")
        self.assertIsInstance(task["CreatedAt"], int)
        environment = task["Overrides"]["ContainerOverrides"][0]["Environment"]
        self.assertEqual(environment, [{"Name": "PROFILER_JOB", "Value": json.dumps({"id": "ok", "mode": "ok"})}])
        # The overrides' environment and the task definition's reached the process.
        self.assertEqual(self.recorded("ok", "job"), json.dumps({"id": "ok", "mode": "ok"}))
        self.assertEqual(self.recorded("ok", "taskdef"), "yes")
        self.assertEqual(self.recorded("ok", "task"), task["TaskArn"])
        # The same task, as ECS describes it.
        ecs_task = self.describe_task(task["TaskArn"])
        self.assertEqual(ecs_task["lastStatus"], "STOPPED")
        self.assertEqual(ecs_task["containers"][0]["exitCode"], 0)
        self.assertEqual(ecs_task["containers"][0]["taskArn"], task["TaskArn"])

    def test_worker_failure_reads_result_json(self):
        result = {"status": "failed", "exitCode": 2, "error": {"kind": "badInput", "message": 'orders: unknown column "nope"'}}
        self.s3.put_object(Bucket="results", Key="runs/bad/result.json", Body=json.dumps(result).encode())
        execution = self.start("bad", "bad", "fail")
        described = wait_closed(self.sfn, execution)
        self.assertEqual(described["status"], "FAILED", self.moto.output())
        self.assertEqual(described["error"], "badInput")
        self.assertEqual(described["cause"], 'orders: unknown column "nope"')
        # RunWorker failed with States.TaskFailed, its cause the stopped task as JSON.
        failed = [e["taskFailedEventDetails"] for e in history(self.sfn, execution) if e["type"] == "TaskFailed"]
        self.assertEqual(failed[0]["error"], "States.TaskFailed")
        self.assertEqual(failed[0]["resource"], "runTask.sync")
        cause = json.loads(failed[0]["cause"])
        self.assertEqual(cause["Containers"][0]["ExitCode"], 2)
        self.assertEqual(cause["LastStatus"], "STOPPED")
        self.assertEqual(self.describe_task(cause["TaskArn"])["containers"][0]["exitCode"], 2)
        # The Fail state's event carries the worker's kind and message.
        fail = [e for e in history(self.sfn, execution) if e["type"] == "ExecutionFailed"][0]
        self.assertEqual(fail["executionFailedEventDetails"]["error"], "badInput")

    def test_worker_failure_without_result_json(self):
        execution = self.start("noresult", "noresult", "fail")
        described = wait_closed(self.sfn, execution)
        self.assertEqual(described["status"], "FAILED")
        self.assertEqual(described["error"], "S3.NoSuchKeyException")

    def test_stop_execution_kills_the_worker(self):
        execution = self.start("stopped", "stopped", "sleep")
        pid_file = os.path.join(self.dir.name, "stopped.pid")
        self.assertTrue(wait_for(lambda: os.path.exists(pid_file) and os.path.getsize(pid_file) > 0), self.moto.output())
        pid = int(self.recorded("stopped", "pid"))
        task_arn = self.recorded("stopped", "task")
        self.assertTrue(process_alive(pid))
        # However often it is described, a task whose process runs stays RUNNING.
        for _ in range(6):
            self.assertEqual(self.describe_task(task_arn)["lastStatus"], "RUNNING")
        self.sfn.stop_execution(executionArn=execution, error="Cancelled", cause="test")
        self.assertEqual(wait_closed(self.sfn, execution)["status"], "ABORTED")
        self.assertTrue(wait_for(lambda: not process_alive(pid)), "worker still running after StopExecution")
        self.assertTrue(wait_for(lambda: self.describe_task(task_arn)["lastStatus"] == "STOPPED"))
        task = self.describe_task(task_arn)
        self.assertEqual(task["stopCode"], "UserInitiated")
        self.assertEqual(task["containers"][0]["exitCode"], 143)

    def test_timeout_kills_the_worker(self):
        execution = self.start("slow", "slow", "sleep", machine=self.timeout_machine)
        self.assertTrue(wait_for(lambda: os.path.exists(os.path.join(self.dir.name, "slow.pid"))))
        pid = int(self.recorded("slow", "pid"))
        described = wait_closed(self.sfn, execution)
        # States.Timeout is caught; there is no result.json, so reading it fails the execution.
        self.assertEqual(described["status"], "FAILED")
        events = history(self.sfn, execution)
        timed_out = [e for e in events if e["type"] == "TaskTimedOut"]
        self.assertEqual(timed_out[0]["taskTimedOutEventDetails"]["error"], "States.Timeout")
        self.assertTrue(wait_for(lambda: not process_alive(pid)), "worker still running after the timeout")

    def test_invalid_input(self):
        execution = self.sfn.start_execution(stateMachineArn=self.machine, name="invalid", input=json.dumps({"x": 1}))[
            "executionArn"
        ]
        described = wait_closed(self.sfn, execution)
        self.assertEqual((described["status"], described["error"]), ("FAILED", "InvalidInput"))


class WithoutWorkerBinary(unittest.TestCase):
    def test_task_exits_zero(self):
        moto = Moto({"PROFILER_TEST_WORKER_BIN": ""})
        try:
            sfn = moto.client("stepfunctions")
            resources = create_resources(moto)
            machine = sfn.create_state_machine(
                name="profiler", definition=definition(resources), roleArn="arn:aws:iam::123456789012:role/x"
            )["stateMachineArn"]
            execution = sfn.start_execution(stateMachineArn=machine, input=job_input("plain", "fail"))["executionArn"]
            described = wait_closed(sfn, execution)
            self.assertEqual(described["status"], "SUCCEEDED", moto.output())
            self.assertEqual(json.loads(described["output"])["task"]["Containers"][0]["ExitCode"], 0)
        finally:
            moto.stop()


class InstantTasks(unittest.TestCase):
    """PROFILER_TEST_TASK_MODE=instant (the controller's scale benchmark): no process starts; the
    task leaves the prepared result.json where the job document puts the attempt's outputs."""

    def test_task_writes_the_prepared_result(self):
        moto = Moto({"PROFILER_TEST_WORKER_BIN": "/bin/false", "PROFILER_TEST_TASK_MODE": "instant"})
        try:
            sfn, s3 = moto.client("stepfunctions"), moto.client("s3")
            resources = create_resources(moto)
            machine = sfn.create_state_machine(
                name="profiler", definition=definition(resources), roleArn="arn:aws:iam::123456789012:role/x"
            )["stateMachineArn"]
            document = {"output": {"bucket": "results", "prefix": "/profiles/"},
                        "job": {"namespace": "default", "name": "j", "uid": "u-1", "attempt": 2}}
            execution_input = json.dumps({"jobDocument": json.dumps(document), "resultBucket": "results",
                                          "resultKey": "profiles/default/j/u-1/attempt-2/result.json"})
            execution = sfn.start_execution(stateMachineArn=machine, input=execution_input)["executionArn"]
            described = wait_closed(sfn, execution)
            self.assertEqual(described["status"], "SUCCEEDED", moto.output())
            self.assertEqual(json.loads(described["output"])["task"]["Containers"][0]["ExitCode"], 0)
            body = s3.get_object(Bucket="results", Key="profiles/default/j/u-1/attempt-2/result.json")["Body"].read()
            result = json.loads(body)
            self.assertEqual((result["status"], result["rows"], result["columns"]), ("succeeded", 0, 0))
            self.assertEqual(result["profileUri"], "s3://results/profiles/default/j/u-1/attempt-2/profile.json")
        finally:
            moto.stop()


class CapacityLimit(unittest.TestCase):
    """PROFILER_TEST_MAX_RUNNING_TASKS=1: a second task waits PENDING until the first ends, and a
    PENDING task that is stopped never starts."""

    def test_one_task_at_a_time(self):
        out = tempfile.TemporaryDirectory()
        worker = write_worker(out.name)
        moto = Moto(
            {"PROFILER_TEST_WORKER_BIN": worker, "PROFILER_TEST_WORKER_OUT": out.name, "PROFILER_TEST_MAX_RUNNING_TASKS": "1"}
        )
        try:
            sfn = moto.client("stepfunctions")
            resources = create_resources(moto)
            machine = sfn.create_state_machine(
                name="profiler", definition=definition(resources), roleArn="arn:aws:iam::123456789012:role/x"
            )["stateMachineArn"]
            first = sfn.start_execution(stateMachineArn=machine, name="first", input=job_input("first", "sleep"))
            self.assertTrue(wait_for(lambda: os.path.exists(os.path.join(out.name, "first.pid"))), moto.output())
            second = sfn.start_execution(stateMachineArn=machine, name="second", input=job_input("second", "ok"))
            third = sfn.start_execution(stateMachineArn=machine, name="third", input=job_input("third", "ok"))
            time.sleep(3)
            self.assertFalse(os.path.exists(os.path.join(out.name, "second.pid")), "started beyond the limit")
            ecs = moto.client("ecs")
            pending = ecs.list_tasks(cluster=resources["cluster"], desiredStatus="RUNNING")["taskArns"]
            statuses = {t["lastStatus"] for t in ecs.describe_tasks(cluster=resources["cluster"], tasks=pending)["tasks"]}
            self.assertEqual(statuses, {"RUNNING", "PENDING"})
            sfn.stop_execution(executionArn=third["executionArn"])
            self.assertEqual(wait_closed(sfn, third["executionArn"])["status"], "ABORTED")
            sfn.stop_execution(executionArn=first["executionArn"])
            self.assertEqual(wait_closed(sfn, second["executionArn"])["status"], "SUCCEEDED", moto.output())
            time.sleep(1)
            self.assertFalse(os.path.exists(os.path.join(out.name, "third.pid")), "a stopped PENDING task started")
        finally:
            moto.stop()
            out.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
