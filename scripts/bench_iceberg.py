"""The incremental benchmark's Iceberg table, written with pyiceberg (by profiler-bench).

Usage: python scripts/bench_iceberg.py OUT_DIR BASE.parquet APPEND.parquet

Creates, once (an existing table is reused), a SQL (sqlite) catalog OUT_DIR/catalog.db with a
file:// warehouse OUT_DIR/warehouse and the table `bench.orders`: one append of every row of
BASE.parquet (snapshot 1), then one append of every row of APPEND.parquet (snapshot 2). Prints one
JSON object: {"metadata_file": str, "snapshots": [snapshot 1 id, snapshot 2 id], "rows": [rows
after snapshot 1, rows after snapshot 2]}.
"""

import json
import os
import sys

import pyarrow.parquet as pq
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import NoSuchTableError


def main():
    out_dir, base, append = (os.path.abspath(p) for p in sys.argv[1:4])
    os.makedirs(os.path.join(out_dir, "warehouse"), exist_ok=True)
    catalog = SqlCatalog(
        "bench",
        uri=f"sqlite:///{os.path.join(out_dir, 'catalog.db')}",
        warehouse=f"file://{os.path.join(out_dir, 'warehouse')}",
    )
    catalog.create_namespace_if_not_exists("bench")
    try:
        table = catalog.load_table("bench.orders")
    except NoSuchTableError:
        first = pq.read_table(base)
        table = catalog.create_table("bench.orders", schema=first.schema)
        table.append(first)
        del first
        table.append(pq.read_table(append))
        table = catalog.load_table("bench.orders")
    snapshots = [s for s in table.metadata.snapshots]
    rows = [int(s.summary["total-records"]) for s in snapshots]
    print(json.dumps({
        "metadata_file": table.metadata_location,
        "snapshots": [s.snapshot_id for s in snapshots],
        "rows": rows,
    }))


if __name__ == "__main__":
    main()
