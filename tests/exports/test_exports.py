"""The rule set exports of `profiler suggest`, read by the tools they are written for.

A Parquet table made here with pyarrow (hostile column names included) is profiled and suggested
on by the built `profiler` binary; then:

- the DQDL export is parsed by the parser generated from the published DQDL grammar
  (tests/exports/dqdl/), every rule of a known DQDL rule type with its parameters;
- the Great Expectations suite is loaded with the `great_expectations` package and validated on a
  pandas DataFrame of the same table (every expectation passes), and on broken copies (each
  breakage caught by the expectation meant to catch it);
- the Soda checks are parsed and run by soda-core on DuckDB over the same table (no parse error,
  every check passes), and on a broken copy;
- a bad rule file makes `profiler rules export` exit with code 2 naming the rule and field;
- `profiler schema --rules` / `--check` match docs/rules.schema.json / docs/check.schema.json, and
  the suggested rules.yaml is valid against the former.

Needs the CLI binary: PROFILER_TEST_PROFILER_BIN (scripts/test.sh sets it), else
$CARGO_TARGET_DIR/debug/profiler or target/debug/profiler; skipped when none is built.
"""

import contextlib
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "dqdl"))

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def profiler_binary():
    named = os.environ.get("PROFILER_TEST_PROFILER_BIN")
    if named:
        if not os.path.exists(named):
            raise AssertionError(f"PROFILER_TEST_PROFILER_BIN={named} does not exist: build it first")
        return named
    for target in (os.environ.get("CARGO_TARGET_DIR"), os.path.join(ROOT, "target")):
        if target and os.path.exists(os.path.join(target, "debug", "profiler")):
            return os.path.join(target, "debug", "profiler")
    return None


PROFILER = profiler_binary()

# Column names a format must quote: spaces, parentheses, a non-ASCII letter, a backtick, quotes.
ORDER_ID = "order id (€)"
CODE = 'we"ird`code'
KIND = "kind's"
ROWS = 4000


def table(rows=ROWS, seed=7):
    r = random.Random(seed)
    ids = list(range(1, rows + 1))
    r.shuffle(ids)
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    return pa.table({
        ORDER_ID: pa.array(ids, pa.int64()),
        "amount": [None if r.random() < 0.02 else round(r.random() * 1000, 2) for _ in range(rows)],
        "status": [r.choice(["new", "paid", "shipped"]) for _ in range(rows)],
        KIND: [r.choice(["it's", "plain"]) for _ in range(rows)],
        "email": ["n/a" if i % 100 == 0 else f"user{r.randrange(900)}@example.com" for i in range(rows)],
        "token": [str(uuid.UUID(int=r.getrandbits(128))) for _ in range(rows)],
        CODE: [f"C{r.randrange(10000):04d}" for _ in range(rows)],
        "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=r.randrange(300)) for _ in range(rows)]),
        "created": pa.array([start + datetime.timedelta(seconds=r.randrange(86400 * 60)) for _ in range(rows)],
                            pa.timestamp("us", tz="UTC")),
    })


def load_yaml(text):
    """YAML with PyYAML (a YAML 1.1 reader): rules.yaml quotes every string, so `no` or a date
    stays text."""
    import yaml

    return yaml.safe_load(text)


def run(*args, check=True):
    result = subprocess.run([PROFILER, *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"profiler {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


@unittest.skipUnless(PROFILER, "no profiler binary: set PROFILER_TEST_PROFILER_BIN or build it")
class Exports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.table = table()
        cls.parquet = os.path.join(cls.dir, "orders.parquet")
        pq.write_table(cls.table, cls.parquet)
        run("profile", cls.parquet, "-o", os.path.join(cls.dir, "prof"), "-q")
        cls.out = os.path.join(cls.dir, "out")
        run("suggest", os.path.join(cls.dir, "prof", "profile.json"), "--out-dir", cls.out,
            "--export", "dqdl,gx,soda", "-q")
        with open(os.path.join(cls.out, "rules.yaml")) as f:
            cls.rules_yaml = f.read()
        with open(os.path.join(cls.out, "rules.dqdl")) as f:
            cls.dqdl = f.read()
        with open(os.path.join(cls.out, "expectations.json")) as f:
            cls.gx = json.load(f)
        with open(os.path.join(cls.out, "checks.yml")) as f:
            cls.soda = f.read()
        cls.rules = load_yaml(cls.rules_yaml)["rules"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rule(self, name):
        return next(r for r in self.rules if r["name"] == name)

    def test_the_suggestion_has_the_expected_rules(self):
        self.assertIsInstance(load_yaml(self.rules_yaml)["suggestedFrom"]["profiledAt"], str)
        names = {r["name"] for r in self.rules}
        for name in ("row-count", "order_id-uniqueness", "order_id-range", "amount-completeness",
                     "status-allowed-values", "kind_s-allowed-values", "email-content-type",
                     "token-content-type", "we_ird_code-string-length", "day-range", "created-range"):
            self.assertIn(name, names)
        self.assertTrue(self.rule("order_id-uniqueness")["rationale"].startswith("likely unique"))
        self.assertLess(self.rule("email-content-type")["min"], 0.99)

    # DQDL ---------------------------------------------------------------------------------------

    def parse_dqdl(self, text):
        from antlr4 import CommonTokenStream, InputStream
        from antlr4.error.ErrorListener import ErrorListener
        from DataQualityDefinitionLanguageLexer import DataQualityDefinitionLanguageLexer
        from DataQualityDefinitionLanguageParser import DataQualityDefinitionLanguageParser

        class Errors(ErrorListener):
            def __init__(self):
                self.errors = []

            def syntaxError(self, recognizer, symbol, line, column, message, e):
                self.errors.append(f"{line}:{column} {message}")

        errors = Errors()
        # The generated code prints a notice that it names a newer runtime (same ATN format).
        with contextlib.redirect_stdout(io.StringIO()):
            lexer = DataQualityDefinitionLanguageLexer(InputStream(text))
            lexer.removeErrorListeners()
            lexer.addErrorListener(errors)
            parser = DataQualityDefinitionLanguageParser(CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(errors)
        tree = parser.document()
        return errors.errors, tree

    def dq_rules(self, top):
        """The plain DQDL rules under a top-level rule (through parentheses and and/or)."""
        if top.dqRule() is not None:
            return [top.dqRule()]
        return [rule for child in top.topLevelRule() for rule in self.dq_rules(child)]

    def test_dqdl_parses_with_the_published_grammar(self):
        errors, tree = self.parse_dqdl(self.dqdl)
        self.assertEqual(errors, [], self.dqdl)
        tops = tree.rulesOrAnalyzers().rules().dqRules().topLevelRule()
        # Every rule is written but those on the column DQDL cannot name.
        not_exported = [r["name"] for r in self.rules if r.get("column") == CODE]
        self.assertEqual(len(tops), len(self.rules) - len(not_exported), self.dqdl)
        self.assertEqual(self.dqdl.count("# not exported: DQDL cannot name the column"), len(not_exported))
        # Rule types of DQDL's rule catalogue, with their parameter counts.
        parameters = {"RowCount": 0, "IsComplete": 1, "Completeness": 1, "IsUnique": 1, "CustomSql": 1,
                      "ColumnValues": 1, "ColumnLength": 1}
        columns = set(self.table.column_names)
        for top in tops:
            for rule in self.dq_rules(top):
                kind = rule.ruleType().getText()
                self.assertIn(kind, parameters)
                params = [p.parameter().getText() for p in rule.parameterWithConnectorWord()]
                self.assertEqual(len(params), parameters[kind], rule.getText())
                if kind not in ("RowCount", "CustomSql"):
                    self.assertIn(params[0][1:-1], columns)
                if rule.tagWithCondition():
                    self.assertEqual(rule.tagWithCondition()[0].tagValues().getText(), "threshold")
                if rule.whereClause():
                    where = rule.whereClause().quotedString().getText()
                    self.assertTrue(where.endswith(' is not null"'), where)
        self.assertIn('IsUnique "order id (€)" where "`order id (€)` is not null"', self.dqdl)
        self.assertIn('ColumnValues "kind\'s" in ["it\'s", "plain", NULL]', self.dqdl.replace('"plain", "it\'s"', '"it\'s", "plain"'))

    def test_the_dqdl_parser_refuses_what_the_grammar_does(self):
        for broken in ('Rules = [ IsComplete "a",, ]', 'Rules = [ ColumnValues "a" >= 1e5 ]', 'Rules [ ]'):
            self.assertNotEqual(self.parse_dqdl(broken)[0], [], broken)

    # Great Expectations -------------------------------------------------------------------------

    def gx_validate(self, frame):
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite
        from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

        suite = ExpectationSuite(
            name=self.gx["name"],
            expectations=[ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e["meta"])
                          for e in self.gx["expectations"]],
            meta=self.gx["meta"],
            notes=self.gx["notes"],
        )
        context = gx.get_context(mode="ephemeral")
        asset = context.data_sources.add_pandas("pandas").add_dataframe_asset("orders")
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame})
        with contextlib.redirect_stderr(io.StringIO()):
            result = batch.validate(context.suites.add(suite))
        return {r.expectation_config.meta["profiler"]["rule"]: r for r in result.results}

    def test_great_expectations_validates_the_suite_on_the_table(self):
        self.assertEqual(self.gx["meta"]["notExported"], [])
        self.assertEqual(len(self.gx["expectations"]), len(self.rules))
        results = self.gx_validate(self.table.to_pandas())
        failed = {name: r.result for name, r in results.items() if not r.success}
        self.assertEqual(failed, {})
        errors = {name: r.exception_info for name, r in results.items()
                  if r.exception_info and r.exception_info.get("raised_exception")}
        self.assertEqual(errors, {})

    def test_great_expectations_catches_each_breakage(self):
        frame = self.table.to_pandas()
        frame.loc[0:200, "status"] = None  # nulls in a complete column
        frame.loc[5, "status"] = "lost"  # a new category
        frame.loc[7, "amount"] = -5.0  # out of range, negative
        frame.loc[9, ORDER_ID] = frame.loc[10, ORDER_ID]  # a duplicate key
        frame.loc[0:300, "email"] = "nobody"  # content type below its threshold
        results = self.gx_validate(frame)
        broken = {name for name, r in results.items() if not r.success}
        self.assertEqual(broken, {"status-completeness", "status-allowed-values", "amount-range",
                                  "amount-non-negative", "order_id-uniqueness", "email-content-type"})

    # Soda ---------------------------------------------------------------------------------------

    def soda_scan(self, arrow_table):
        import duckdb
        from soda.scan import Scan

        connection = duckdb.connect()
        connection.register("orders_arrow", arrow_table)
        connection.execute("CREATE TABLE orders AS SELECT * FROM orders_arrow")
        scan = Scan()
        scan.set_scan_definition_name("exports")
        scan.set_data_source_name("duckdb")
        scan.add_duckdb_connection(duckdb_connection=connection, data_source_name="duckdb")
        scan.add_sodacl_yaml_str(self.soda)
        scan.execute()
        return scan

    def test_soda_parses_and_runs_the_checks(self):
        scan = self.soda_scan(self.table)
        self.assertFalse(scan.has_error_logs(), scan.get_error_logs_text())
        checks = scan.get_scan_results()["checks"]
        outcomes = {c["name"]: c["outcome"] for c in checks}
        self.assertEqual({n: o for n, o in outcomes.items() if o != "pass"}, {})
        # Written: every rule but those SodaCL cannot state, each of which is a comment.
        comments = self.soda.count("# not exported:")
        self.assertEqual(len(outcomes) + comments, len(self.rules))
        for reason in ("no escape for a double quote", "without escaping a single quote", "valid min and max are numbers"):
            self.assertIn(reason, self.soda)
        self.assertIn("order_id-uniqueness", outcomes)

    def test_soda_catches_a_breakage(self):
        frame = self.table.to_pandas()
        frame.loc[3, "status"] = "lost"
        frame.loc[4, "amount"] = 5000.0
        scan = self.soda_scan(pa.Table.from_pandas(frame, preserve_index=False))
        self.assertFalse(scan.has_error_logs(), scan.get_error_logs_text())
        failed = {c["name"] for c in scan.get_scan_results()["checks"] if c["outcome"] == "fail"}
        self.assertEqual(failed, {"status-allowed-values", "amount-range"})

    # Rule files and schemas ---------------------------------------------------------------------

    def test_a_bad_rule_file_names_the_rule_and_field(self):
        bad = os.path.join(self.dir, "bad.yaml")
        with open(bad, "w") as f:
            f.write("formatVersion: 1\nrules:\n  - {name: ok, type: rowCount, min: 1}\n"
                    "  - {name: amount-complete, type: completeness, column: amount, min: 1.5}\n")
        result = run("rules", "export", bad, "--format", "dqdl", check=False)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("rules[1] (amount-complete, completeness): min: must be a fraction between 0 and 1",
                      result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        with open(bad, "w") as f:
            f.write("formatVersion: 1\nrules:\n  - {name: a, type: range, column: x, min: low}\n")
        result = run("rules", "validate", bad, check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("rules[0].min", result.stderr)

    def test_rules_export_writes_a_hand_written_set(self):
        rules = os.path.join(self.dir, "hand.yaml")
        with open(rules, "w") as f:
            f.write("formatVersion: 1\ntable: sales.orders\nrules:\n"
                    "  - {name: a-unique, type: uniqueness, column: a, min: 0.9}\n"
                    "  - {name: t-text, type: contentType, column: t, contentType: text}\n")
        out = os.path.join(self.dir, "hand.json")
        run("rules", "export", rules, "--format", "gx", "-o", out)
        with open(out) as f:
            suite = json.load(f)
        self.assertEqual(suite["name"], "orders")
        self.assertEqual(suite["expectations"][0]["type"], "expect_column_proportion_of_unique_values_to_be_between")
        self.assertEqual([n["rule"] for n in suite["meta"]["notExported"]], ["t-text"])
        dqdl = run("rules", "export", rules, "--format", "dqdl").stdout
        self.assertEqual(self.parse_dqdl(dqdl)[0], [])
        self.assertIn('CustomSql "SELECT COUNT(DISTINCT `a`) / COUNT(`a`) FROM primary" >= 0.9', dqdl)

    def test_the_schemas_match_the_docs_and_the_rules(self):
        import jsonschema

        for flag, doc in (("--rules", "rules.schema.json"), ("--check", "check.schema.json")):
            with open(os.path.join(ROOT, "docs", doc)) as f:
                self.assertEqual(json.loads(run("schema", flag).stdout), json.load(f),
                                 f"docs/{doc} is stale: profiler schema {flag} > docs/{doc}")
        schema = json.loads(run("schema", "--rules").stdout)
        jsonschema.validate(load_yaml(self.rules_yaml), schema)
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate({"formatVersion": 1, "rules": [{"name": "Bad Name", "type": "rowCount"}]}, schema)


if __name__ == "__main__":
    unittest.main()
