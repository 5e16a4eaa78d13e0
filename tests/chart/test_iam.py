"""deploy/iam/: every policy is valid JSON with no wildcard action, and allows every AWS operation
the code performs. The operations are found by scanning the Rust sources (controller/src for the
controller's role, worker/src for the worker task role, the state machine's service integrations
in controller/src/state_machine.rs for the Step Functions role), so a new SDK call without its
IAM action fails here."""

import copy
import glob
import json
import os
import re
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IAM = os.path.join(ROOT, "deploy", "iam")

# SDK crate (or controller client field) -> IAM service prefix.
SERVICE_PREFIX = {
    "sfn": "states",
    "ecs": "ecs",
    "s3": "s3",
    "athena": "athena",
    "redshiftdata": "redshift-data",
    "glue": "glue",
    "s3tables": "s3tables",
    "secretsmanager": "secretsmanager",
    "sts": "sts",
}
# S3 operations whose IAM action has another name.
S3_ACTIONS = {
    "HeadObject": "GetObject",
    "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "ListObjectsV2": "ListBucket",
    "HeadBucket": "ListBucket",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
}
# Step Functions service integrations -> what the state machine's role needs
# (https://docs.aws.amazon.com/step-functions/latest/dg/ecs-iam.html).
INTEGRATIONS = {
    "ecs:runTask.sync": {"ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks",
                         "events:PutTargets", "events:PutRule", "events:DescribeRule"},
    "ecs:runTask": {"ecs:RunTask"},
}
# A Map state in Distributed mode starts, follows and stops child executions of its own machine
# (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
DISTRIBUTED_MAP = {"states:StartExecution", "states:DescribeExecution", "states:StopExecution"}
# Methods on a client that are not AWS operations.
NOT_OPERATIONS = {"clone", "config", "as_ref"}
# Actions without resource-level permissions: the only ones a statement may grant on "*".
STAR_RESOURCE_OK = {
    "states:ListStateMachines", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition",
    "ecr:GetAuthorizationToken", "redshift-data:DescribeStatement", "redshift-data:GetStatementResult",
    "redshift-data:CancelStatement",
}


def pascal(snake):
    return "".join(part.capitalize() for part in snake.split("_"))


def iam_action(service, operation):
    prefix = SERVICE_PREFIX[service]
    if service == "s3":
        operation = S3_ACTIONS.get(operation, operation)
    return f"{prefix}:{operation}"


def _source(path):
    with open(path) as f:
        # Drop comment lines, then all whitespace, so a call split over lines reads as one.
        text = "\n".join(line for line in f if not line.lstrip().startswith("//"))
    return re.sub(r"\s+", "", text)


def controller_operations(src=os.path.join(ROOT, "controller", "src")):
    """IAM actions of `<...>.sfn.op()`, `.ecs.op()`, `.s3.op()` in the controller's sources."""
    found = {}
    for path in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True):
        for client, op in re.findall(r"\.(sfn|ecs|s3)\.([a-z][a-z0-9_]*)\(\)", _source(path)):
            if op not in NOT_OPERATIONS:
                found.setdefault(iam_action(client, pascal(op)), os.path.relpath(path, ROOT))
    return found


def worker_operations(src=os.path.join(ROOT, "worker", "src")):
    """IAM actions of `client.op()` in each worker source that uses one AWS SDK crate."""
    found = {}
    for path in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True):
        text = _source(path)
        calls = [op for op in re.findall(r"\bclient\.([a-z][a-z0-9_]*)\(\)", text) if op not in NOT_OPERATIONS]
        crates = set(re.findall(r"aws_sdk_([a-z0-9]+)::", text))
        if not calls or not crates:
            continue  # no AWS client here (e.g. the REST catalog's HTTP client)
        if len(crates) != 1:
            raise AssertionError(f"{path}: AWS calls with several SDK crates {crates}; teach test_iam.py which is which")
        (crate,) = crates
        if crate not in SERVICE_PREFIX:
            raise AssertionError(f"{path}: unknown SDK crate aws_sdk_{crate}; add its IAM prefix to test_iam.py")
        for op in calls:
            found.setdefault(iam_action(crate, pascal(op)), os.path.relpath(path, ROOT))
    return found


def state_machine_actions(path=os.path.join(ROOT, "controller", "src", "state_machine.rs")):
    with open(path) as f:
        text = f.read()
    actions = {}
    for resource in re.findall(r'"arn:aws:states:::([^"]+)"', text):
        if resource.startswith("aws-sdk:"):
            _, service, op = resource.split(":")
            actions[iam_action(service, op[0].upper() + op[1:])] = resource
        elif resource in INTEGRATIONS:
            for a in INTEGRATIONS[resource]:
                actions[a] = resource
        else:
            raise AssertionError(f"state machine integration {resource} unknown to test_iam.py")
    if re.search(r'"Mode":\s*"DISTRIBUTED"', text):
        for a in DISTRIBUTED_MAP:
            actions[a] = "Map (Distributed)"
    return actions


def allowed_actions(policy):
    out = set()
    for st in policy["Statement"]:
        if st.get("Effect") == "Allow":
            actions = st["Action"]
            out.update([actions] if isinstance(actions, str) else actions)
    return out


def missing(policy, required):
    have = {a.lower() for a in allowed_actions(policy)}
    return sorted(a for a in required if a.lower() not in have)


def load(name):
    with open(os.path.join(IAM, name)) as f:
        return json.load(f)


class PolicyFilesTest(unittest.TestCase):
    def test_every_file_is_a_valid_policy_without_wildcard_actions(self):
        files = sorted(glob.glob(os.path.join(IAM, "*.json")))
        self.assertGreaterEqual(len(files), 8)
        for path in files:
            with self.subTest(policy=os.path.basename(path)):
                with open(path) as f:
                    policy = json.load(f)
                self.assertEqual(policy["Version"], "2012-10-17")
                self.assertIsInstance(policy["Statement"], list)
                for st in policy["Statement"]:
                    self.assertEqual(st["Effect"], "Allow")
                    self.assertNotIn("NotAction", st)
                    self.assertNotIn("NotResource", st)
                    actions = [st["Action"]] if isinstance(st["Action"], str) else st["Action"]
                    for a in actions:
                        self.assertRegex(a, r"^[a-z0-9-]+:[A-Za-z0-9]+$", f"{a}: wildcard or malformed action")
                    if "Principal" in st:  # a trust policy
                        self.assertTrue(set(actions) <= {"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:TagSession"})
                        continue
                    resources = [st["Resource"]] if isinstance(st["Resource"], str) else st["Resource"]
                    if "*" in resources:
                        self.assertTrue(set(actions) <= STAR_RESOURCE_OK, f"{actions} granted on every resource")

    def test_trust_policies(self):
        principals = {
            "controller-trust-irsa.json": ("Federated", None),
            "controller-trust-pod-identity.json": ("Service", "pods.eks.amazonaws.com"),
            "state-machine-trust.json": ("Service", "states.amazonaws.com"),
            "worker-task-trust.json": ("Service", "ecs-tasks.amazonaws.com"),
            "worker-execution-trust.json": ("Service", "ecs-tasks.amazonaws.com"),
        }
        for name, (kind, service) in principals.items():
            with self.subTest(policy=name):
                (st,) = load(name)["Statement"]
                self.assertIn(kind, st["Principal"])
                if service:
                    self.assertEqual(st["Principal"][kind], service)


class ActionsTheCodeUsesTest(unittest.TestCase):
    def test_the_scan_finds_the_known_calls(self):
        # Guards the scanner itself: if it found nothing, every policy would pass.
        self.assertLessEqual({"states:StartExecution", "states:ListExecutions", "states:DescribeExecution",
                              "states:StopExecution", "ecs:RegisterTaskDefinition",
                              "s3:PutLifecycleConfiguration"}, set(controller_operations()))
        self.assertLessEqual({"athena:StartQueryExecution", "redshift-data:ExecuteStatement", "glue:GetTable",
                              "s3:GetObject", "s3:PutObject", "secretsmanager:GetSecretValue"},
                             set(worker_operations()))
        self.assertLessEqual({"ecs:RunTask", "s3:GetObject", "s3:PutObject", "states:StartExecution"},
                             set(state_machine_actions()))

    def test_controller_policy_allows_every_controller_call(self):
        required = set(controller_operations()) | {"iam:PassRole", "ecs:TagResource"}
        self.assertEqual(missing(load("controller-policy.json"), required), [])

    def test_state_machine_policy_allows_every_integration(self):
        required = set(state_machine_actions()) | {"iam:PassRole"}
        self.assertEqual(missing(load("state-machine-policy.json"), required), [])

    def test_worker_task_policy_allows_every_worker_call(self):
        self.assertEqual(missing(load("worker-task-policy.json"), set(worker_operations())), [])

    def test_worker_execution_policy_pulls_the_image_and_writes_logs(self):
        required = {"ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
                    "logs:CreateLogStream", "logs:PutLogEvents"}
        self.assertEqual(missing(load("worker-execution-policy.json"), required), [])

    def test_a_removed_action_is_detected(self):
        cases = [
            ("controller-policy.json", set(controller_operations()) | {"iam:PassRole"}),
            ("state-machine-policy.json", set(state_machine_actions())),
            ("worker-task-policy.json", set(worker_operations())),
        ]
        for name, required in cases:
            policy = load(name)
            for action in sorted(required):
                with self.subTest(policy=name, removed=action):
                    copy_ = copy.deepcopy(policy)
                    for st in copy_["Statement"]:
                        acts = [st["Action"]] if isinstance(st["Action"], str) else st["Action"]
                        st["Action"] = [a for a in acts if a != action]
                    self.assertIn(action, missing(copy_, required))

    def test_a_new_sdk_call_is_detected(self):
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "new.rs"), "w") as f:
                f.write("async fn f(client: &aws_sdk_glue::Client) {\n    client\n        .get_partitions()\n        .send()\n        .await;\n}\n")
            self.assertEqual(set(worker_operations(d)), {"glue:GetPartitions"})
            with open(os.path.join(d, "ctl.rs"), "w") as f:
                f.write("// ctx.aws.sfn.delete_state_machine() in a comment is not a call\nlet _ = ctx.aws\n  .sfn\n  .tag_resource()\n  .send();\n")
            self.assertEqual(set(controller_operations(d)), {"states:TagResource"})
            required = set(controller_operations(d))
            self.assertEqual(missing(load("controller-policy.json"), required), ["states:TagResource"])


if __name__ == "__main__":
    unittest.main()
