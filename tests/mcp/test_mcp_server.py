"""`profiler mcp` driven by the official MCP Python SDK client over stdio, as an agent framework
would: the tool list and its input schemas, each tool against local Parquet files this test
writes (and against moto's Athena and Redshift Data API when scripts/test.sh runs moto), the
operator's limits (a source outside the allow-list, a path outside the allowed directories, an
oversized sample) refused as tool errors, and the server still answering after each refusal.

Needs the CLI binary: PROFILER_TEST_PROFILER_BIN (scripts/test.sh sets it). The moto cases also
need PROFILER_TEST_MOTO_URL (and PROFILER_TEST_DATABASE_URL for Redshift), else they are skipped."""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.request

import pyarrow as pa
import pyarrow.parquet as pq
from mcp import ClientSession, StdioServerParameters, stdio_client

PROFILER = os.environ.get("PROFILER_TEST_PROFILER_BIN")
MOTO = os.environ.get("PROFILER_TEST_MOTO_URL")
DATABASE = os.environ.get("PROFILER_TEST_DATABASE_URL")

# The tools every build serves; suggest_rules and check_rules join them where the build has them.
CORE_TOOLS = {"test_connection", "get_schema", "get_row_count", "get_sample", "profile", "diff"}
MAX_SAMPLE = 25
ROWS = 500


def aws_env():
    """moto as the server's AWS, as the worker tests reach it."""
    return {
        "AWS_ENDPOINT_URL": MOTO,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "PROFILER_S3_FORCE_PATH_STYLE": "true",
    }


def write_orders(path, rows, shift=0.0, status_values=("new", "paid", "shipped")):
    table = pa.table({
        "id": pa.array(range(1, rows + 1), pa.int64()),
        "amount": pa.array([float(i % 97) + shift for i in range(rows)], pa.float64()),
        "status": pa.array([status_values[i % len(status_values)] if i % 10 else None for i in range(rows)]),
    })
    pq.write_table(table, path)


def text_of(result):
    return "".join(getattr(block, "text", "") for block in result.content)


@unittest.skipUnless(PROFILER, "PROFILER_TEST_PROFILER_BIN is not set (scripts/test.sh sets it)")
class McpServerTest(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="profiler-mcp-test-")
        cls.data = os.path.join(cls.root, "data")
        cls.out = os.path.join(cls.root, "out")
        cls.outside = os.path.join(cls.root, "outside")
        for d in (cls.data, cls.outside):
            os.makedirs(d)
        cls.orders = os.path.join(cls.data, "orders.parquet")
        cls.orders_later = os.path.join(cls.data, "orders_later.parquet")
        write_orders(cls.orders, ROWS)
        write_orders(cls.orders_later, ROWS * 2, shift=500.0, status_values=("new", "cancelled"))
        cls.secret = os.path.join(cls.outside, "secret.parquet")
        write_orders(cls.secret, 10)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def server_args(self, *extra):
        return [
            "mcp",
            "--allow-dir", self.data,
            "--allow-source", "athena://AwsDataCatalog/mcp_*",
            "--allow-source", "redshift://mcp-wg/*/public.mcp_*",
            "--max-sample-rows", str(MAX_SAMPLE),
            "--query-timeout", "120",
            "--output-dir", self.out,
            *extra,
        ]

    @contextlib.asynccontextmanager
    async def session(self, *extra):
        env = {"PROFILER_LOG": "info"}
        if MOTO:
            env.update(aws_env())
        params = StdioServerParameters(command=PROFILER, args=self.server_args(*extra), env=env)
        with open(os.path.join(self.root, "server-stderr.log"), "a") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    yield session

    async def call_ok(self, session, name, arguments):
        result = await session.call_tool(name, arguments)
        self.assertFalse(result.is_error, f"{name}({arguments}) failed: {text_of(result)}")
        self.assertIsInstance(result.structured_content, dict, f"{name} returned no structured content")
        return result.structured_content

    async def call_refused(self, session, name, arguments, *words):
        result = await session.call_tool(name, arguments)
        self.assertTrue(result.is_error, f"{name}({arguments}) was not refused: {result.structured_content}")
        message = text_of(result)
        for word in words:
            self.assertIn(word, message)
        return message

    async def test_lists_the_tools_with_input_schemas(self):
        async with self.session() as session:
            tools = {t.name: t for t in (await session.list_tools()).tools}
            self.assertLessEqual(CORE_TOOLS, set(tools), sorted(tools))
            self.assertLessEqual(set(tools), CORE_TOOLS | {"suggest_rules", "check_rules"})
            for name, tool in tools.items():
                self.assertTrue(tool.description, name)
                self.assertEqual(tool.input_schema.get("type"), "object", name)
            for name in ("test_connection", "get_schema", "get_row_count", "get_sample", "profile"):
                schema = tools[name].input_schema
                self.assertIn("source", schema["properties"], name)
                self.assertIn("source", schema.get("required", []), name)
            sample = tools["get_sample"].input_schema
            self.assertIn("rows", sample["properties"])
            profile = tools["profile"].input_schema["properties"]
            self.assertLessEqual({"columns", "sample_rows", "metadata_only", "snapshot_id"}, set(profile))
            diff = tools["diff"].input_schema
            self.assertEqual(set(diff["required"]), {"baseline", "current"})
            self.assertIsNotNone(tools["profile"].output_schema)
            self.assertIsNotNone(tools["diff"].output_schema)

    async def test_profile_and_diff_local_parquet(self):
        async with self.session() as session:
            first = await self.call_ok(session, "profile", {"source": self.orders})
            self.assertEqual(first["rows"], ROWS)
            self.assertEqual([c["name"] for c in first["columns"]], ["id", "amount", "status"])
            status = next(c for c in first["columns"] if c["name"] == "status")
            self.assertEqual(status["nulls"], ROWS // 10)
            self.assertIsInstance(first["alerts"], list)
            self.assertTrue(first["profileJson"].startswith(os.path.realpath(self.out)), first["profileJson"])
            with open(first["profileJson"]) as f:
                self.assertEqual(json.load(f)["rowCount"], ROWS)
            self.assertTrue(os.path.exists(first["reportHtml"]))

            later = await self.call_ok(session, "profile", {"source": self.orders_later})
            self.assertEqual(later["rows"], ROWS * 2)
            self.assertNotEqual(os.path.dirname(first["profileJson"]), os.path.dirname(later["profileJson"]))

            sampled = await self.call_ok(session, "profile", {"source": self.orders, "sample_rows": 100, "columns": ["amount"]})
            self.assertEqual((sampled["rows"], sampled["rowsRead"]), (100, ROWS))
            self.assertEqual([c["name"] for c in sampled["columns"]], ["amount"])

            diff = await self.call_ok(session, "diff", {"baseline": first["profileJson"], "current": later["profileJson"]})
            self.assertTrue(diff["summary"]["drift"])
            self.assertIn("amount", diff["summary"]["driftedColumns"])
            self.assertTrue(any(f["kind"] == "rowCountChange" or "row" in f["message"].lower() for f in diff["findings"]))
            self.assertTrue(os.path.exists(diff["diffJson"]))

            same = await self.call_ok(session, "diff", {"baseline": first["profileJson"], "current": first["profileJson"],
                                                       "thresholds": {"rowCountWarning": 0.5}})
            self.assertFalse(same["summary"]["drift"])

    async def test_suggest_and_check_rules(self):
        async with self.session() as session:
            tools = {t.name for t in (await session.list_tools()).tools}
            if "suggest_rules" not in tools:
                self.skipTest("this build has no suggest_rules")
            profile = await self.call_ok(session, "profile", {"source": self.orders})
            suggested = await self.call_ok(session, "suggest_rules", {"profile": profile["profileJson"]})
            self.assertGreater(suggested["ruleCount"], 0)
            self.assertEqual(len(suggested["ruleSet"]["rules"]), suggested["ruleCount"])
            types = {r["type"] for r in suggested["ruleSet"]["rules"]}
            self.assertIn("rowCount", types)
            self.assertTrue(os.path.exists(suggested["rulesYaml"]))
            held = await self.call_ok(session, "check_rules", {"source": self.orders, "rules": suggested["rulesYaml"]})
            summary = held["report"]["summary"]
            self.assertEqual((summary["rules"], summary["failed"]), (suggested["ruleCount"], 0), held["report"])
            self.assertTrue(os.path.exists(held["checkJson"]))
            broken = await self.call_ok(session, "check_rules", {"source": self.orders_later, "rules": suggested["rulesYaml"]})
            self.assertGreater(broken["report"]["summary"]["failed"], 0)
            await self.call_refused(session, "check_rules", {"source": self.secret, "rules": suggested["rulesYaml"]}, "refused")
            await self.call_refused(session, "suggest_rules", {"profile": self.secret}, "refused")

    async def test_connector_verbs_on_local_parquet(self):
        async with self.session() as session:
            connection = await self.call_ok(session, "test_connection", {"source": self.orders})
            self.assertTrue(connection["ok"], connection)
            schema = await self.call_ok(session, "get_schema", {"source": self.orders})
            self.assertEqual([c["name"] for c in schema["columns"]], ["id", "amount", "status"])
            by_uri = await self.call_ok(session, "get_row_count", {"source": f"file://{self.orders}"})
            self.assertEqual(by_uri["rows"], ROWS)
            count = await self.call_ok(session, "get_row_count", {"source": os.path.join(self.data, "*.parquet")})
            self.assertEqual(count["rows"], ROWS * 3)
            sample = await self.call_ok(session, "get_sample", {"source": self.orders, "rows": MAX_SAMPLE})
            self.assertEqual(sample["columns"], ["id", "amount", "status"])
            self.assertEqual(len(sample["rows"]), MAX_SAMPLE)
            self.assertEqual(sample["rows"][0][0], "1")

    async def test_refusals_are_tool_errors_and_the_server_keeps_serving(self):
        async with self.session() as session:
            await self.call_refused(session, "get_schema", {"source": self.secret}, "refused", "outside")
            await self.call_refused(session, "profile", {"source": os.path.join(self.data, "..", "outside", "secret.parquet")},
                                    "refused", "'..'")
            await self.call_refused(session, "get_row_count", {"source": "athena://finance.ledger"},
                                    "refused", "athena://AwsDataCatalog/finance.ledger?workgroup=primary", "not allowed")
            await self.call_refused(session, "get_sample", {"source": "redshift://other-wg/dev/public.mcp_orders?user=admin"},
                                    "refused", "not allowed")
            await self.call_refused(session, "get_sample", {"source": self.orders, "rows": MAX_SAMPLE + 1},
                                    "refused", f"maximum of {MAX_SAMPLE}")
            await self.call_refused(session, "diff", {"baseline": self.secret, "current": self.secret}, "refused")
            await self.call_refused(session, "get_schema", {"source": "ftp://host/table"}, "unknown scheme")
            await self.call_refused(session, "profile", {"source": os.path.join(self.data, "missing.parquet")},
                                    "no such file")
            # Still serving: a good call after every refusal.
            count = await self.call_ok(session, "get_row_count", {"source": self.orders})
            self.assertEqual(count["rows"], ROWS)

    async def test_profile_needs_an_output_directory(self):
        params = StdioServerParameters(command=PROFILER, args=["mcp", "--allow-dir", self.data])
        with open(os.path.join(self.root, "server-stderr.log"), "a") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    init = await session.initialize()
                    self.assertIn("at most 100 sample rows", init.instructions)
                    await self.call_refused(session, "profile", {"source": self.orders}, "--output-dir")

    def test_bad_limits_stop_the_server_with_exit_code_2(self):
        config = os.path.join(self.root, "limits.json")
        with open(config, "w") as f:
            json.dump({"allowedSources": ["s3://bucket/"], "maxSampleRows": 0}, f)
        proc = subprocess.run([PROFILER, "mcp", "--config", config], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("maximum sample rows 0", proc.stderr)
        self.assertEqual(proc.stdout, "")
        with open(config, "w") as f:
            json.dump({"allowedSource": ["s3://bucket/"]}, f)
        proc = subprocess.run([PROFILER, "mcp", "--config", config], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("allowedSource", proc.stderr)

    async def test_limits_from_a_config_file(self):
        config = os.path.join(self.root, "limits-ok.json")
        with open(config, "w") as f:
            json.dump({"allowedDirs": [self.outside], "maxSampleRows": 3, "outputDir": self.out}, f)
        params = StdioServerParameters(command=PROFILER, args=["mcp", "--config", config])
        with open(os.path.join(self.root, "server-stderr.log"), "a") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    sample = await self.call_ok(session, "get_sample", {"source": self.secret, "rows": 3})
                    self.assertEqual(len(sample["rows"]), 3)
                    await self.call_refused(session, "get_sample", {"source": self.secret, "rows": 4}, "maximum of 3")
                    await self.call_refused(session, "get_schema", {"source": self.orders}, "outside")


def moto_post(path, body):
    request = urllib.request.Request(MOTO + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status // 100 == 2, response.status


def queue_athena(*results):
    """Queues moto's answers to the next Athena queries (a header row, then rows; None is NULL)."""
    def row(values):
        return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}
    moto_post("/moto-api/static/athena/query-results", {
        "account_id": "123456789012", "region": "us-east-1",
        "results": [{"rows": [row(r) for r in rows]} for rows in results],
    })


ATHENA_COLUMNS = [["column_name", "data_type", "is_nullable"], ["id", "bigint", "NO"], ["status", "varchar", "YES"]]


@unittest.skipUnless(PROFILER and MOTO, "PROFILER_TEST_PROFILER_BIN and PROFILER_TEST_MOTO_URL are not set")
class McpServerOnMotoTest(McpServerTest):
    """The connector tools against moto's Athena (queued results) and Redshift Data API (statements
    run on the test Postgres), through the same server and limits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import boto3
        kwargs = {"endpoint_url": MOTO, "region_name": "us-east-1", "aws_access_key_id": "test",
                  "aws_secret_access_key": "test"}
        cls.athena_db = f"mcp_db_{os.getpid()}"
        boto3.client("s3", **kwargs).create_bucket(Bucket="mcp-results")
        boto3.client("athena", **kwargs).start_query_execution(
            QueryString=f"CREATE DATABASE {cls.athena_db}", WorkGroup="primary",
            ResultConfiguration={"OutputLocation": "s3://mcp-results/q/"})
        cls.secret_arn = boto3.client("secretsmanager", **kwargs).create_secret(
            Name=f"mcp/redshift-{os.getpid()}", SecretString=json.dumps({"username": "u", "password": "p"}))["ARN"]

    # The local cases run once, in McpServerTest.
    test_lists_the_tools_with_input_schemas = None
    test_profile_and_diff_local_parquet = None
    test_suggest_and_check_rules = None
    test_connector_verbs_on_local_parquet = None
    test_refusals_are_tool_errors_and_the_server_keeps_serving = None
    test_profile_needs_an_output_directory = None
    test_bad_limits_stop_the_server_with_exit_code_2 = None
    test_limits_from_a_config_file = None

    async def test_athena_tools(self):
        uri = f"athena://{self.athena_db}.orders?output=s3://mcp-results/q/"
        async with self.session() as session:
            queue_athena(ATHENA_COLUMNS)
            connection = await self.call_ok(session, "test_connection", {"source": uri})
            self.assertTrue(connection["ok"], connection)
            self.assertEqual([s["name"] for s in connection["steps"]], ["workgroup", "result location", "database", "table"])
            queue_athena(ATHENA_COLUMNS)
            schema = await self.call_ok(session, "get_schema", {"source": uri})
            self.assertEqual([(c["name"], c["sourceType"]) for c in schema["columns"]], [("id", "bigint"), ("status", "varchar")])
            queue_athena([["rows"], ["1234"]])
            count = await self.call_ok(session, "get_row_count", {"source": uri})
            self.assertEqual((count["rows"], count["method"]), (1234, "query"))
            queue_athena(ATHENA_COLUMNS, [["id", "status"], ["1", "new"], ["2", None]])
            sample = await self.call_ok(session, "get_sample", {"source": uri, "rows": 2})
            self.assertEqual(sample["rows"], [["1", "new"], ["2", None]])
            await self.call_refused(session, "get_sample", {"source": uri, "rows": MAX_SAMPLE + 1}, "maximum")

    @unittest.skipUnless(DATABASE, "PROFILER_TEST_DATABASE_URL is not set (Redshift runs on the test Postgres)")
    async def test_redshift_tools(self):
        import pg8000.native
        from urllib.parse import urlparse
        server = urlparse(DATABASE)
        connect = dict(user=server.username, password=server.password, host=server.hostname, port=server.port)
        database = f"mcp_{os.getpid()}"
        admin = pg8000.native.Connection(database=server.path.lstrip("/") or "postgres", **connect)
        admin.run(f"drop database if exists {database}")
        admin.run(f"create database {database}")
        admin.close()
        conn = pg8000.native.Connection(database=database, **connect)
        conn.run("create table public.mcp_orders (id bigint not null, status text, amount numeric(10,2))")
        conn.run("insert into public.mcp_orders select i, (array['new','paid'])[1 + i % 2], "
                 "case when i % 10 = 0 then null else i * 1.5 end from generate_series(1, 300) as i")
        conn.close()
        uri = f"redshift://mcp-wg/{database}/public.mcp_orders?secret={self.secret_arn}"
        async with self.session() as session:
            connection = await self.call_ok(session, "test_connection", {"source": uri})
            self.assertTrue(connection["ok"], connection)
            schema = await self.call_ok(session, "get_schema", {"source": uri})
            self.assertEqual([c["name"] for c in schema["columns"]], ["id", "status", "amount"])
            count = await self.call_ok(session, "get_row_count", {"source": uri})
            self.assertEqual(count["rows"], 300)
            sample = await self.call_ok(session, "get_sample", {"source": uri, "rows": 5})
            self.assertEqual(len(sample["rows"]), 5)
            profile = await self.call_ok(session, "profile", {"source": uri})
            self.assertEqual((profile["rows"], profile["mode"]), (300, "pushdown"))
            amount = next(c for c in profile["columns"] if c["name"] == "amount")
            self.assertEqual(amount["nulls"], 30)
            sampled = await self.call_ok(session, "profile", {"source": uri, "sample_rows": 50})
            self.assertEqual(sampled["mode"], "scan")
            self.assertLessEqual(sampled["rows"], 50)
            await self.call_refused(session, "get_schema", {"source": f"redshift://mcp-wg/{database}/public.other"},
                                    "not allowed")


if __name__ == "__main__":
    unittest.main()
