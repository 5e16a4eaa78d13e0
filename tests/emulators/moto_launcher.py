"""moto's server for the tests, with the Redshift Data API made real and Step Functions able to
run the worker.

**Redshift Data API.** moto's redshift-data never finishes a statement and always returns the same
three rows, in a shape the AWS SDKs cannot parse (ISO timestamps, `TotalNumberRows`, boolean
`nullable`). This launcher patches it in memory before starting `moto.server`: each statement really
runs, on the PostgreSQL server named by PROFILER_REDSHIFT_PG_URL (the statement's `Database` selects
the database), with the Data API's `:name` parameters. Where Redshift and Postgres differ, one thing
is translated: `APPROXIMATE COUNT(DISTINCT x)` becomes `COUNT(DISTINCT x)`. Results come back as the
real API sends them: typed fields, `isNull`, column metadata, `TotalNumRows`, epoch timestamps.
PROFILER_REDSHIFT_PG_URL is optional: without it only redshift-data statements fail.

**ECS tasks are local processes.** Every ECS `RunTask` (direct, or from a state machine) starts the
program named by PROFILER_TEST_WORKER_BIN as a local process, with moto's own environment plus the
task definition's first container's `environment`, then that container's override `environment`
(overrides win) and `PROFILER_TEST_ECS_TASK_ARN`; an override `command` becomes its arguments. Its
stdout/stderr go to moto's. The task stays RUNNING while it runs (however often DescribeTasks is
called), then is STOPPED with `stopCode` EssentialContainerExited and `containers[0].exitCode` = its
exit code (128 + N when killed by signal N). `StopTask` sends SIGTERM to its process group (SIGKILL
10 s later). Without PROFILER_TEST_WORKER_BIN every task stops at once with exit code 0. With
PROFILER_TEST_TASK_MODE=instant no process starts either (for the controller's scale benchmark,
which measures the controller and not the worker): each task writes a prepared `result.json` (a
succeeded TaskResult with zero rows and columns, whose profile and report URIs name objects that
are not written) where the job document in its environment says the worker would, and stops at
once with exit code 0; a job document passed as an `s3://` URI is not read (the task then leaves no
result and the execution fails with WorkerLost). With
PROFILER_TEST_MAX_RUNNING_TASKS=N at most N processes run at once, as with a Fargate capacity
limit: the others stay PENDING, in order, until a slot frees (a stopped PENDING task never starts).

**Step Functions in execute mode** (`POST /moto-api/config
{"stepfunctions":{"execute_state_machine":true}}`):
- ECS and aws-sdk integrations get their PascalCase parameters translated to the API's names, and
  their responses back to PascalCase (moto ships both translations as empty stubs);
- `arn:aws:states:::ecs:runTask.sync` waits for the task to stop and, as AWS does, returns the task
  description (`Containers[0].ExitCode`, `LastStatus`, `StopCode`, ...; timestamps in epoch
  milliseconds) when every container exited 0, and otherwise fails with `States.TaskFailed` whose
  cause is that description as JSON. A RunTask with `Failures` fails with `AmazonECS.Unknown`; ECS
  API errors are named `ECS.<code>` (`ECS.AmazonECSException` for ClientException and 5xx). When
  the execution is stopped or the state times out, the task is stopped (its process killed);
- `aws-sdk:s3:getObject` returns `Body` as a string (moto returned an unreadable stream); S3 errors
  are named `S3.<Code>Exception` as on AWS;
- a definite JSONPath through an array index (`$.task.Containers[0].ExitCode`) gives the value, not
  a one-element list;
- StartExecution without a name gets a UUID, as on AWS (moto named every such execution "None").
Execute mode keeps its own state machines: switch it on before creating them.

**Step Functions at scale** (the controller's scale benchmark starts thousands of executions; the
answers are moto's, only cheaper to compute): a state machine definition is parsed once per
definition text, not once per execution, and a JSONPath once per path; the boto3 clients
executions use to call moto itself (ECS RunTask/DescribeTasks, S3 GetObject) are made once per
region and service, not once per call (so they also keep their connections); StartExecution's name
check and DescribeExecution find an execution through an index by name and ARN, and ECS
DescribeTasks of one task ARN finds the task directly, instead of scanning every execution or task.
With PROFILER_TEST_TASK_MODE=instant, an execution's own service calls (RunTask, DescribeTasks,
GetObject) are dispatched to moto's backends in this process (moto's in-process mock) instead of
as HTTP requests to this server: the state machine runs state by state as before, without three
round trips per execution through the server's listen backlog. The server finds each request's
backend from its host name once per host name, not by listing moto's modules on disk per request.

Usage: python moto_launcher.py HOST PORT
"""

import atexit
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from decimal import Decimal

from moto.redshiftdata import models, responses

PG_URL = urllib.parse.urlparse(os.environ.get("PROFILER_REDSHIFT_PG_URL", ""))
RESULTS = {}


def _connect(database):
    import pg8000.native  # only needed once a redshift-data statement runs

    return pg8000.native.Connection(
        user=urllib.parse.unquote(PG_URL.username or "postgres"),
        password=urllib.parse.unquote(PG_URL.password or ""),
        host=PG_URL.hostname or "127.0.0.1",
        port=PG_URL.port or 5432,
        database=database,
    )


def _field(value):
    if value is None:
        return {"isNull": True}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"longValue": value}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, Decimal):
        return {"stringValue": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"blobValue": value.hex()}
    return {"stringValue": str(value)}


def _execute(statement):
    sql = re.sub(r"APPROXIMATE\s+COUNT\s*\(\s*DISTINCT", "COUNT(DISTINCT", statement.query_string, flags=re.I)
    params = {p["name"]: p["value"] for p in (statement.query_parameters or [])}
    started = time.time()
    try:
        conn = _connect(statement.database)
        try:
            rows = conn.run(sql, **params)
            columns = conn.columns or []
        finally:
            conn.close()
    except Exception as error:  # the API reports any failure as a FAILED statement
        statement.status = "FAILED"
        statement.error = str(error.args[0].get("M", error)) if error.args and isinstance(error.args[0], dict) else str(error)
        return
    statement.status = "FINISHED"
    statement.has_result_set = bool(columns)
    statement.result_rows = len(rows or [])
    statement.duration = int((time.time() - started) * 1e9)
    RESULTS[statement.id] = (
        [{"name": c["name"], "nullable": 1, "typeName": str(c.get("type_oid", ""))} for c in columns],
        [[_field(v) for v in row] for row in (rows or [])],
    )


_original_execute = models.RedshiftDataAPIServiceBackend.execute_statement


def execute_statement(self, *args, **kwargs):
    statement = _original_execute(self, *args, **kwargs)
    statement.error = None
    statement.created_epoch = time.time()
    _execute(statement)
    return statement


def statement_iter(self):
    yield "Id", self.id
    yield "ClusterIdentifier", self.cluster_identifier
    yield "CreatedAt", getattr(self, "created_epoch", time.time())
    yield "UpdatedAt", time.time()
    yield "Database", self.database
    yield "DbUser", self.db_user
    yield "Duration", self.duration
    yield "HasResultSet", self.has_result_set
    yield "QueryString", self.query_string
    yield "ResultRows", self.result_rows
    yield "ResultSize", -1
    yield "SecretArn", self.secret_arn
    yield "Status", self.status
    if getattr(self, "error", None):
        yield "Error", self.error


class Result:
    def __init__(self, metadata, records):
        self.metadata, self.records = metadata, records

    def __iter__(self):
        yield "ColumnMetadata", self.metadata
        yield "Records", self.records
        yield "TotalNumRows", len(self.records)


def get_statement_result(self, statement_id):
    statement = self.describe_statement(statement_id)
    if statement.status != "FINISHED" or statement_id not in RESULTS:
        raise models.ValidationException(f"Query does not have result. Status: {statement.status}")
    return Result(*RESULTS[statement_id])


def execute_statement_response(self):
    statement = self.redshiftdata_backend.execute_statement(
        cluster_identifier=self._get_param("ClusterIdentifier"),
        database=self._get_param("Database"),
        db_user=self._get_param("DbUser"),
        parameters=self._get_param("Parameters"),
        secret_arn=self._get_param("SecretArn"),
        sql=self._get_param("Sql"),
    )
    body = {"Id": statement.id, "CreatedAt": statement.created_epoch, "Database": statement.database}
    workgroup = self._get_param("WorkgroupName")
    if workgroup:
        body["WorkgroupName"] = workgroup
    if statement.cluster_identifier:
        body["ClusterIdentifier"] = statement.cluster_identifier
    return 200, {}, json.dumps(body)


responses.RedshiftDataAPIServiceResponse.execute_statement = execute_statement_response
models.RedshiftDataAPIServiceBackend.execute_statement = execute_statement
models.RedshiftDataAPIServiceBackend.get_statement_result = get_statement_result
models.Statement.__iter__ = statement_iter


# --- ECS tasks as local processes --------------------------------------------------------------

from moto.ecs import models as ecs_models  # noqa: E402

WORKER_BIN_ENV = "PROFILER_TEST_WORKER_BIN"
TASK_MODE_ENV = "PROFILER_TEST_TASK_MODE"
JOB_DOCUMENT_ENV = "PROFILER_JOB"  # crds/src/job.rs JOB_DOCUMENT_ENV
KILL_GRACE_SECONDS = 10
_WORKERS = {}  # task ARN -> running subprocess.Popen
_WORKERS_LOCK = threading.Lock()
_MAX_RUNNING = int(os.environ.get("PROFILER_TEST_MAX_RUNNING_TASKS") or 0)
_SLOTS = threading.Semaphore(_MAX_RUNNING) if _MAX_RUNNING > 0 else None
_QUEUED = {}  # task ARN -> task waiting for a slot
_STARTING = set()  # task ARNs given a slot whose process is being started
_LAUNCHED_BY = {}  # task ARN -> is_running of the state that launched it (runTask.sync)


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _task_last_status(self):
    # A task with a local process reports its own status; other tasks keep moto's state machine.
    pinned = self.__dict__.get("_pinned_status")
    return pinned if pinned is not None else self.status


def _set_task_last_status(self, value):
    if "_pinned_status" in self.__dict__:
        self._pinned_status = value
    self.status = value


def _container_override(task, name):
    overrides = (task.overrides or {}).get("containerOverrides") or []
    for override in overrides:
        if override.get("name") == name:
            return override
    return overrides[0] if len(overrides) == 1 and not overrides[0].get("name") else {}


def _finish_task(task, exit_code):
    now = _now()
    container = task.containers[0]
    container.exitCode = exit_code
    container.last_status = "STOPPED"
    task.desired_status = "STOPPED"
    if not getattr(task, "stop_code", None):
        task.stop_code = "EssentialContainerExited"
        task.stopped_reason = "Essential container in task exited"
    task.stopping_at = getattr(task, "stopping_at", None) or now
    task.execution_stopped_at = now
    task.stopped_at = now
    task._pinned_status = "STOPPED"


def _reap(task, process):
    code = process.wait()
    with _WORKERS_LOCK:
        _WORKERS.pop(task.task_arn, None)
    _finish_task(task, 128 - code if code < 0 else code)
    if _SLOTS is not None:
        _SLOTS.release()


def _start_worker(backend, task):
    definition = backend.describe_task_definition(task.task_definition_arn)
    container_definition = definition.container_definitions[0]
    container = task.containers[0]
    # moto puts the task definition's ARN in both; ECS uses these forms.
    container.task_arn = task.task_arn
    container.container_arn = task.task_arn.replace(":task/", ":container/", 1).rsplit("/", 1)[0] + (
        f"/{task.id}/{container.container_arn.rsplit('/', 1)[-1]}"
    )
    override = _container_override(task, container_definition.get("name"))
    now = _now()
    task.created_at = task.pull_started_at = task.pull_stopped_at = task.started_at = now
    task.cpu = definition.cpu
    task.memory = definition.memory
    task._pinned_status = "RUNNING"
    container.last_status = "RUNNING"
    binary = os.environ.get(WORKER_BIN_ENV)
    instant = os.environ.get(TASK_MODE_ENV) == "instant"
    if not binary and not instant:
        _finish_task(task, 0)
        return
    environment = dict(os.environ)
    for source in (container_definition.get("environment"), override.get("environment")):
        for pair in source or []:
            environment[pair["name"]] = pair.get("value", "")
    if instant:
        _write_prepared_result(backend.account_id, environment.get(JOB_DOCUMENT_ENV, ""))
        _finish_task(task, 0)
        return
    environment["PROFILER_TEST_ECS_TASK_ARN"] = task.task_arn
    arguments = override.get("command") or container_definition.get("command") or []
    if _SLOTS is None:
        _launch(task, binary, arguments, environment)
        return
    task._pinned_status = container.last_status = "PENDING"
    with _WORKERS_LOCK:
        _QUEUED[task.task_arn] = task

    def when_a_slot_frees():
        _SLOTS.acquire()
        with _WORKERS_LOCK:
            # A task whose launching state has ended (StopExecution, a timeout) stays queued for
            # that state's watcher to stop, however soon the slot freed.
            state_running = _LAUNCHED_BY.get(task.task_arn, lambda: True)()
            still_queued = state_running and _QUEUED.pop(task.task_arn, None) is not None
            if still_queued:
                _STARTING.add(task.task_arn)
        if not still_queued:  # stopped while PENDING
            _SLOTS.release()
            return
        task._pinned_status = container.last_status = "RUNNING"
        task.started_at = _now()
        _launch(task, binary, arguments, environment)

    threading.Thread(target=when_a_slot_frees, daemon=True).start()


def _write_prepared_result(account_id, document_text):
    """PROFILER_TEST_TASK_MODE=instant: the result.json a successful worker would leave, written
    straight into moto's S3 where the job document puts the attempt's outputs (crds/src/job.rs
    `output_prefix`, crds/src/result.rs `TaskResult`)."""
    try:
        document = json.loads(document_text)
        output, job = document["output"], document["job"]
    except (ValueError, KeyError, TypeError):
        print("moto_launcher: instant task without an inline job document; no result written", file=sys.stderr)
        return
    from moto.s3.models import s3_backends

    base = (output.get("prefix") or "").strip("/")
    tail = f"{job['namespace']}/{job['name']}/{job['uid']}/attempt-{job['attempt']}/"
    prefix = f"{base}/{tail}" if base else tail
    bucket = output["bucket"]
    result = {
        "status": "succeeded",
        "rows": 0,
        "columns": 0,
        "sampledRows": 0,
        "profileUri": f"s3://{bucket}/{prefix}profile.json",
        "reportUri": f"s3://{bucket}/{prefix}report.html",
        "durationMs": 0,
    }
    s3_backends[account_id]["aws"].put_object(bucket, f"{prefix}result.json", json.dumps(result).encode())


def _launch(task, binary, arguments, environment):
    container = task.containers[0]
    try:
        process = subprocess.Popen([binary, *arguments], env=environment, start_new_session=True)
    except OSError as error:
        print(f"moto_launcher: cannot start {binary}: {error}", file=sys.stderr)
        with _WORKERS_LOCK:
            _STARTING.discard(task.task_arn)
        task.stop_code = "TaskFailedToStart"
        task.stopped_reason = f"CannotStartContainerError: {error}"
        _finish_task(task, 127)
        container.reason = task.stopped_reason
        if _SLOTS is not None:
            _SLOTS.release()
        return
    with _WORKERS_LOCK:
        _WORKERS[task.task_arn] = process
        _STARTING.discard(task.task_arn)
    threading.Thread(target=_reap, args=(task, process), daemon=True).start()


def _kill(process):
    def signal_group(sig):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass

    signal_group(signal.SIGTERM)

    def escalate():
        try:
            process.wait(KILL_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            signal_group(signal.SIGKILL)

    threading.Thread(target=escalate, daemon=True).start()


def _kill_all_workers():
    with _WORKERS_LOCK:
        processes = list(_WORKERS.values())
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


_original_run_task = ecs_models.EC2ContainerServiceBackend.run_task
_original_stop_task = ecs_models.EC2ContainerServiceBackend.stop_task


def run_task(self, *args, **kwargs):
    tasks = _original_run_task(self, *args, **kwargs)
    for task in tasks:
        _start_worker(self, task)
    return tasks


def stop_task(self, cluster_str, task_str, reason):
    cluster = self._get_cluster(cluster_str)
    task_id = task_str.split("/")[-1]
    with _WORKERS_LOCK:
        queued = [arn for arn in _QUEUED if arn.endswith(task_id)]
        for arn in queued:
            task = _QUEUED.pop(arn)
            task.stop_code = "UserInitiated"
            task.stopped_reason = reason or "Task stopped by user"
            task.containers[0].last_status = "STOPPED"
            task.desired_status = "STOPPED"
            task.stopped_at = task.stopping_at = task.execution_stopped_at = _now()
            task._pinned_status = "STOPPED"
            return task
    for arn, task in self.tasks.get(cluster.name, {}).items():
        with _WORKERS_LOCK:
            process = _WORKERS.get(arn)
        if arn.endswith(task_id) and process is not None:
            # ECS stops the container first; the task is STOPPED once the process has exited.
            task.desired_status = "STOPPED"
            task.stop_code = "UserInitiated"
            task.stopped_reason = reason or "Task stopped by user"
            task.stopping_at = _now()
            _kill(process)
            return task
    return _original_stop_task(self, cluster_str, task_str, reason)


ecs_models.Task.last_status = property(_task_last_status, _set_task_last_status)
ecs_models.EC2ContainerServiceBackend.run_task = run_task
ecs_models.EC2ContainerServiceBackend.stop_task = stop_task
atexit.register(_kill_all_workers)


# --- Step Functions: service integrations and JSONPath -----------------------------------------

import botocore.session  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails  # noqa: E402
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (  # noqa: E402
    CustomErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (  # noqa: E402
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (  # noqa: E402
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (  # noqa: E402
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (  # noqa: E402
    state_task_service_aws_sdk as sfn_aws_sdk,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (  # noqa: E402
    state_task_service_ecs as sfn_ecs,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import (  # noqa: E402
    ResourceCondition,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails  # noqa: E402
from moto.stepfunctions.parser.asl.parse import asl_parser  # noqa: E402,F401  (loads every state module)
from moto.stepfunctions.parser.asl.utils import json_path  # noqa: E402
from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for  # noqa: E402
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str  # noqa: E402

_SERVICE_MODELS = {}


def _operation_model(self, boto_service_name, service_action_name):
    service = self._get_boto_service_name(boto_service_name)
    if service not in _SERVICE_MODELS:
        _SERVICE_MODELS[service] = botocore.session.get_session().get_service_model(service)
    model = _SERVICE_MODELS[service]
    wanted = (service_action_name or self.resource.api_action).replace("_", "").lower()
    for name in model.operation_names:
        if name.lower() == wanted:
            return model.operation_model(name)
    return None


def _normalise_parameters(self, parameters, boto_service_name=None, service_action_name=None):
    operation = _operation_model(self, boto_service_name, service_action_name)
    if operation is not None and operation.input_shape is not None:
        self._to_boto_request(parameters, operation.input_shape)


def _normalise_response(self, response, boto_service_name=None, service_action_name=None):
    operation = _operation_model(self, boto_service_name, service_action_name)
    if operation is not None and operation.output_shape is not None:
        self._from_boto_response(response, operation.output_shape)


def _epoch_millis(value):
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {key: _epoch_millis(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_epoch_millis(item) for item in value]
    return value


def _task_failure(self, env, error, cause):
    return FailureEventException(
        FailureEvent(
            env=env,
            error_name=StatesErrorName(typ=StatesErrorNameType.StatesTaskFailed)
            if error == "States.TaskFailed"
            else CustomErrorName(error),
            event_type=HistoryEventType.TaskFailed,
            event_details=EventDetails(
                taskFailedEventDetails=TaskFailedEventDetails(
                    resource=self._get_sfn_resource(),
                    resourceType=self._get_sfn_resource_type(),
                    error=error,
                    cause=cause,
                )
            ),
        )
    )


def _ecs_client(resource_runtime_part, state_credentials):
    return boto_client_for(
        region=resource_runtime_part.region, service="ecs", state_credentials=state_credentials
    )


def ecs_eval_service_task(self, env, resource_runtime_part, normalised_parameters, state_credentials):
    response = _ecs_client(resource_runtime_part, state_credentials).run_task(**normalised_parameters)
    response.pop("ResponseMetadata", None)
    self._normalise_response(response, service_action_name="run_task")
    response = _epoch_millis(response)
    if self.resource.condition is not None and (response.get("Failures") or not response.get("Tasks")):
        raise _task_failure(self, env, "AmazonECS.Unknown", to_json_str(response))
    if self.resource.condition is not None:
        # Watched from here, not from the sync resolver: an execution stopped while runTask was
        # in flight never asks for the resolver, and its queued task must not start later.
        task = response["Tasks"][0]
        with _WORKERS_LOCK:
            _LAUNCHED_BY[task["TaskArn"]] = env.is_running
        _stop_task_when_state_ends(env, _ecs_client(resource_runtime_part, state_credentials), task["ClusterArn"], task["TaskArn"])
    env.stack.append(response)


def _stop_task_when_state_ends(env, ecs, cluster_arn, task_arn):
    # StopExecution, or the state's TimeoutSeconds, ends the state's environment: stop the task then.
    def watch():
        while True:
            with _WORKERS_LOCK:
                # A task leaving the queue for a slot is starting: its process is not in _WORKERS
                # yet, and a stop now would miss it; wait until it is.
                starting = task_arn in _STARTING
                running = starting or task_arn in _WORKERS or task_arn in _QUEUED
            if not running:
                _LAUNCHED_BY.pop(task_arn, None)
                return
            if not env.is_running() and not starting:
                ecs.stop_task(cluster=cluster_arn, task=task_arn, reason="Step Functions execution stopped or state timed out")
                return
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True).start()


def ecs_build_sync_resolver(self, env, resource_runtime_part, normalised_parameters, state_credentials):
    ecs = _ecs_client(resource_runtime_part, state_credentials)
    submission = env.stack.pop()
    task_arn = submission["Tasks"][0]["TaskArn"]
    cluster_arn = submission["Tasks"][0]["ClusterArn"]

    def resolve():
        # moto asks every 0.5 s; while the task's process is queued or running the answer is
        # known here, without an HTTP round trip per execution (a thousand executions at once
        # would otherwise flood the server).
        with _WORKERS_LOCK:
            if task_arn in _QUEUED or task_arn in _STARTING or task_arn in _WORKERS:
                return None
        described = ecs.describe_tasks(cluster=cluster_arn, tasks=[task_arn])
        if not described.get("tasks") or described["tasks"][0].get("lastStatus") != "STOPPED":
            return None
        described.pop("ResponseMetadata", None)
        self._normalise_response(described, service_action_name="describe_tasks")
        task = _epoch_millis(described["Tasks"][0])
        # AWS fails the state when any container did not exit 0, with the task as the cause.
        if any(container.get("ExitCode") != 0 for container in task.get("Containers") or [{}]):
            raise _task_failure(self, env, "States.TaskFailed", to_json_str(task, separators=(",", ":")))
        return task

    return resolve


def ecs_from_error(self, env, ex):
    if isinstance(ex, ClientError):
        code = ex.response.get("Error", {}).get("Code") or ""
        status = ex.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        request_id = ex.response.get("ResponseMetadata", {}).get("RequestId", "")
        if code in ("ClientException", "ServerException") or not code.isidentifier() or status >= 500 and not code:
            error = "ECS.AmazonECSException"
        else:
            error = "ECS." + (code if code.endswith("Exception") else code + "Exception")
        message = ex.response.get("Error", {}).get("Message", str(ex))
        cause = f"{message} (Service: AmazonECS; Status Code: {status}; Error Code: {code}; Request ID: {request_id}; Proxy: null)"
        return _task_failure(self, env, error, cause).failure_event
    return _original_ecs_from_error(self, env, ex)


_original_ecs_from_error = sfn_ecs.StateTaskServiceEcs._from_error
for _cls in (sfn_ecs.StateTaskServiceEcs, sfn_aws_sdk.StateTaskServiceAwsSdk):
    _cls._normalise_parameters = _normalise_parameters
    _cls._normalise_response = _normalise_response
sfn_ecs.StateTaskServiceEcs._eval_service_task = ecs_eval_service_task
sfn_ecs.StateTaskServiceEcs._build_sync_resolver = ecs_build_sync_resolver
sfn_ecs.StateTaskServiceEcs._from_error = ecs_from_error
sfn_aws_sdk._SERVICE_ERROR_NAMES.setdefault("s3", "S3")

# JSONPath: AWS returns the value of a definite path; moto turns any value reached through an
# array index into a list (its fix for filters, getmoto/moto#7825). Indefinite paths (wildcards,
# slices, filters, unions, recursive descent) keep moto's handling.
_INDEFINITE_PATH = re.compile(r"\[[^\]]*[*?:,][^\]]*\]|\.\.|\.\*")
_original_extract_json = json_path.extract_json


def extract_json(path, data):
    if not _INDEFINITE_PATH.search(path):
        matches = json_path.parse(path).find(data)
        if len(matches) == 1:
            return matches[0].value
    return _original_extract_json(path, data)


for _module in list(sys.modules.values()):
    if getattr(_module, "extract_json", None) is _original_extract_json:
        _module.extract_json = extract_json

# StartExecution without a name: AWS names the execution with a UUID; moto's execute mode used
# "None", so a second unnamed execution failed with ExecutionAlreadyExists.
from moto.stepfunctions.parser import models as sfn_parser_models  # noqa: E402

_original_start_execution = sfn_parser_models.StepFunctionsParserBackend.start_execution


def start_execution(self, state_machine_arn, name=None, *args, **kwargs):
    return _original_start_execution(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)


sfn_parser_models.StepFunctionsParserBackend.start_execution = start_execution


# --- Step Functions at scale: the same answers, without per-execution work that grows ----------

import functools  # noqa: E402

from moto.stepfunctions import models as sfn_models  # noqa: E402
from moto.stepfunctions.parser.asl.utils import boto_client as sfn_boto_client  # noqa: E402
from moto.stepfunctions.parser.backend import execution_worker as sfn_execution_worker  # noqa: E402

_PARSED = {}  # definition text -> its evaluation entry point (components keep no per-run state)
_PARSED_LOCK = threading.Lock()


def _get_evaluation_entrypoint(self):
    definition = self._evaluation_details.state_machine_details.definition
    with _PARSED_LOCK:
        program = _PARSED.get(definition)
    if program is None:
        program = asl_parser.AmazonStateLanguageParser.parse(definition)[0]
        with _PARSED_LOCK:
            _PARSED[definition] = program
    return program


sfn_execution_worker.ExecutionWorker._get_evaluation_entrypoint = _get_evaluation_entrypoint

_original_boto_client_for = sfn_boto_client.boto_client_for


_CLIENTS = {}
_CLIENTS_LOCK = threading.Lock()


def _cached_boto_client(region, service, intercepting):
    # botocore clients are thread-safe; the interception flag is part of the key, as it decides
    # the endpoint. Made under a lock: the first executions of a burst all ask at once, and each
    # would otherwise build its own client (a second of work each when a hundred threads compete).
    key = (region, service, intercepting)
    with _CLIENTS_LOCK:
        if key not in _CLIENTS:
            _CLIENTS[key] = _original_boto_client_for(region=region, service=service)
        return _CLIENTS[key]


def boto_client_for(region, service, state_credentials=None):
    # moto's own function makes a client from the region and service only (the state's
    # credentials are not used: every client signs with the same test keys).
    from moto.core.models import botocore_stubber

    return _cached_boto_client(region, service, botocore_stubber.enabled)


for _module in list(sys.modules.values()):
    if getattr(_module, "boto_client_for", None) is _original_boto_client_for:
        _module.boto_client_for = boto_client_for
sfn_boto_client.boto_client_for = boto_client_for  # for modules imported later

# JSONPath expressions are parsed once per path (jsonpath_ng builds its lexer and parser tables for
# each parse; the parsed expression is immutable).
from moto.stepfunctions.parser.asl.component.common.path import result_path as sfn_result_path  # noqa: E402

json_path.parse = functools.lru_cache(maxsize=4096)(json_path.parse)
sfn_result_path.parse = functools.lru_cache(maxsize=4096)(sfn_result_path.parse)

_original_describe_tasks = ecs_models.EC2ContainerServiceBackend.describe_tasks


def describe_tasks(self, cluster_str, tasks):
    # One task named by its full ARN (what a state machine's runTask.sync asks every 0.5 s) is
    # looked up directly instead of matched against every task of every cluster.
    if tasks and len(tasks) == 1:
        self._get_cluster(cluster_str)
        for cluster_tasks in self.tasks.values():
            task = cluster_tasks.get(tasks[0])
            if task is not None:
                task.advance()
                return [task]
    return _original_describe_tasks(self, cluster_str, tasks)


ecs_models.EC2ContainerServiceBackend.describe_tasks = describe_tasks

_INDEX_LOCK = threading.Lock()
_INDEXES = {}  # state machine ARN -> [its executions list, entries indexed, by name, by ARN]


def _execution_index(state_machine):
    """(by name, by ARN) of a state machine's executions, brought up to date with its list (which
    moto only appends to; a replaced list is indexed afresh). Kept outside the state machine:
    StartExecution deep-copies it."""
    with _INDEX_LOCK:
        executions = state_machine.executions
        index = _INDEXES.get(state_machine.arn)
        if index is None or index[0] is not executions:
            index = _INDEXES[state_machine.arn] = [executions, 0, {}, {}]
        _, seen, by_name, by_arn = index
        for execution in executions[seen:]:
            by_name.setdefault(execution.name, execution)
            by_arn.setdefault(execution.execution_arn, execution)
        index[1] = len(executions)
        return by_name, by_arn


def _handle_name_input_idempotency(self, name, execution_input):
    execution = _execution_index(self)[0].get(name)
    if execution is None:
        return None
    if execution_input == execution.execution_input and execution.status == "RUNNING":
        return execution
    raise sfn_models.ExecutionAlreadyExists("Execution Already Exists: '" + execution.execution_arn + "'")


def describe_execution(self, execution_arn):
    self._validate_execution_arn(execution_arn)
    state_machine = self._get_state_machine_for_execution(execution_arn)
    execution = _execution_index(state_machine)[1].get(execution_arn)
    if execution is None:
        raise sfn_models.ExecutionDoesNotExist("Execution Does Not Exist: '" + execution_arn + "'")
    return execution


sfn_models.StateMachine._handle_name_input_idempotency = _handle_name_input_idempotency
sfn_models.StepFunctionBackend.describe_execution = describe_execution

# Instant tasks: an execution's service calls (ECS RunTask and DescribeTasks, S3 GetObject) are
# dispatched to moto's backends inside this process, as moto does under its in-process mock,
# instead of as HTTP requests to this same server. The state machine still runs state by state in
# moto's interpreter and every call gets moto's answer; it only no longer queues behind the
# controller's requests in the server's listen backlog and threads (three round trips per
# execution). Tasks that run a real worker keep the HTTP path.
if os.environ.get(TASK_MODE_ENV) == "instant":
    from moto.core.models import botocore_stubber

    # The clients then address AWS's own host names, which the stubber recognises (moto's
    # AWS_ENDPOINT_URL, kept for worker processes, would send them over HTTP); no process starts.
    os.environ.pop("AWS_ENDPOINT_URL", None)
    botocore_stubber.enabled = True

# Every request's backend is found from its host name under the server's one lock, and moto lists
# its own modules on disk for each (list_of_moto_modules): the answer per host name is remembered.
from moto.moto_server import werkzeug_app  # noqa: E402

_original_backend_for_host = werkzeug_app.DomainDispatcherApplication.get_backend_for_host
_BACKEND_FOR_HOST = {}


def get_backend_for_host(self, host):
    if host not in _BACKEND_FOR_HOST:
        _BACKEND_FOR_HOST[host] = _original_backend_for_host(self, host)
    return _BACKEND_FOR_HOST[host]


werkzeug_app.DomainDispatcherApplication.get_backend_for_host = get_backend_for_host


if __name__ == "__main__":
    from moto.server import main

    host, port = sys.argv[1], sys.argv[2]
    main(["-H", host, "-p", port])
