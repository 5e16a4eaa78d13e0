"""A minimal Iceberg REST catalog for the tests, serving a pyiceberg SQL catalog read-only.

Usage: python iceberg_rest.py HOST PORT CATALOG_URI TOKEN [S3_ENDPOINT]

Implements the two calls a reader makes (Apache Iceberg REST OpenAPI): `GET /v1/config` (which
announces the path prefix `tests`) and `GET /v1/{prefix}/namespaces/{namespace}/tables/{table}`
(LoadTableResult with the table's real metadata location and metadata). Every request must carry
`Authorization: Bearer TOKEN`, otherwise 401; an unknown table is a 404 with an ErrorModel body.
Prints "ready" once listening.
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse

from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import NoSuchTableError

PREFIX = "tests"


def main() -> None:
    host, port, uri, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    s3 = {}
    if len(sys.argv) > 5:
        s3 = {
            "s3.endpoint": sys.argv[5],
            "s3.access-key-id": "test",
            "s3.secret-access-key": "test",
            "s3.region": "us-east-1",
            "s3.force-virtual-addressing": "false",
        }
    catalog = SqlCatalog("fixtures", uri=uri, **s3)

    class Handler(BaseHTTPRequestHandler):
        def reply(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, kind: str, message: str) -> None:
            self.reply(status, {"error": {"message": message, "type": kind, "code": status}})

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.headers.get("Authorization") != f"Bearer {token}":
                return self.error(401, "NotAuthorizedException", "missing or wrong bearer token")
            parts = [unquote(p) for p in urlparse(self.path).path.strip("/").split("/")]
            if parts == ["v1", "config"]:
                return self.reply(200, {"defaults": {}, "overrides": {"prefix": PREFIX}})
            if len(parts) == 6 and parts[:3] == ["v1", PREFIX, "namespaces"] and parts[4] == "tables":
                namespace = tuple(parts[3].split("\x1f"))
                try:
                    table = catalog.load_table(namespace + (parts[5],))
                except NoSuchTableError as e:
                    return self.error(404, "NoSuchTableException", str(e))
                metadata = json.loads(table.metadata.model_dump_json(by_alias=True, exclude_none=True))
                return self.reply(
                    200, {"metadata-location": table.metadata_location, "metadata": metadata, "config": {}}
                )
            return self.error(404, "NotFound", f"no route {self.path}")

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
