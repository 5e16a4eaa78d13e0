"""moto's server for the tests, with the Redshift Data API made real.

moto's redshift-data never finishes a statement and always returns the same three rows, in a
shape the AWS SDKs cannot parse (ISO timestamps, `TotalNumberRows`, boolean `nullable`). This
launcher patches it in memory before starting `moto.server`: each statement really runs, on the
PostgreSQL server named by PROFILER_REDSHIFT_PG_URL (the statement's `Database` selects the
database), with the Data API's `:name` parameters. Where Redshift and Postgres differ, one thing is
translated: `APPROXIMATE COUNT(DISTINCT x)` becomes `COUNT(DISTINCT x)`. Results come back as the
real API sends them: typed fields, `isNull`, column metadata, `TotalNumRows`, epoch timestamps.

Usage: python moto_launcher.py HOST PORT
"""

import os
import re
import sys
import time
import urllib.parse
from decimal import Decimal

import json

import pg8000.native
from moto.redshiftdata import models, responses

PG_URL = urllib.parse.urlparse(os.environ.get("PROFILER_REDSHIFT_PG_URL", ""))
RESULTS = {}


def _connect(database):
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

if __name__ == "__main__":
    from moto.server import main

    host, port = sys.argv[1], sys.argv[2]
    main(["-H", host, "-p", port])
