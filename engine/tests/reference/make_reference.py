"""Writes the reference sketch images that engine/tests/sketch_reference.rs reads.

Usage (from the repository root, with the package of tests/requirements.txt):

    python -m pip install "datasketches==5.2.*"
    python engine/tests/reference/make_reference.py

The images are written by the Apache DataSketches C++ library through its Python binding, from
fixed inputs, into this directory, with reference.json beside them: for each image the inputs it
holds, what the library reports of it, and the inputs the Rust test merges in with what the
library reports of that union. The engine must read every image as the library does.

The inputs are fixed and the script draws no random numbers, so the HLL and frequent-items
images, and the KLL image in exact mode, come out byte for byte the same on every run. A KLL
sketch past exact mode compacts on coin flips of the library's own clock-seeded generator: its
image (kll_doubles_k200_20000.bin) differs from run to run, and its figures in reference.json
come from the same run as the image, so the two are committed together.
"""

import json
import sys
from pathlib import Path

import datasketches as ds

OUT = Path(__file__).resolve().parent

# Quantile ranks the engine reports (profiler_engine::QUANTILE_RANKS).
QUANTILE_RANKS = [0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99]


def strings(prefix: str, start: int, end: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(start, end)]


def doubles(count: int, stride: int, step: float, offset: float) -> list[float]:
    """`offset + step * j` for j in 0..count, in the order j = i * stride mod count."""
    return [offset + step * ((i * stride) % count) for i in range(count)]


def weighted(prefix: str, count: int, top: int) -> list[tuple[str, int]]:
    """Item i of `count` with weight top // (i + 1): a few heavy items and a long tail."""
    return [(f"{prefix}{i}", top // (i + 1)) for i in range(count)]


def composite_estimate(*sketches: "ds.hll_sketch") -> float:
    """The estimate of the union of `sketches` as the engine reports it: the union's result is
    marked out of order once two sketches in HLL mode meet, so the library then reports the
    composite estimator (the engine always does) instead of the HIP one."""
    union = ds.hll_union(max(s.lg_config_k for s in sketches))
    for sketch in sketches:
        union.update(sketch)
    return union.get_result(ds.tgt_hll_type.HLL_8).get_estimate()


def hll_entry(file: str, hll_type, lg_k: int, values: dict, merged_with: dict) -> dict:
    sketch = ds.hll_sketch(lg_k, hll_type)
    for value in strings(**values):
        sketch.update(value)
    (OUT / file).write_bytes(sketch.serialize_compact())
    other = ds.hll_sketch(14, ds.tgt_hll_type.HLL_8)
    for value in strings(**merged_with):
        other.update(value)
    return {
        "file": file,
        "type": str(hll_type).rsplit(".", 1)[-1],
        "lgK": lg_k,
        "values": values,
        # The sketch united with itself: the same registers (or coupons), read as the engine does.
        "estimate": composite_estimate(sketch, sketch),
        "mergedWith": merged_with,
        "mergedEstimate": composite_estimate(sketch, other),
    }


def kll_entry(file: str, k: int, values: dict, merged_with: dict) -> dict:
    sketch = ds.kll_doubles_sketch(k)
    for value in doubles(**values):
        sketch.update(value)
    (OUT / file).write_bytes(sketch.serialize())
    return {
        "file": file,
        "k": k,
        "values": values,
        "n": sketch.n,
        "estimationMode": sketch.is_estimation_mode(),
        "min": sketch.get_min_value(),
        "max": sketch.get_max_value(),
        "ranks": QUANTILE_RANKS,
        # Inclusive search, as the engine reports quantiles (the binding's default is exclusive).
        "quantiles": sketch.get_quantiles(QUANTILE_RANKS, inclusive=True),
        "normalizedRankError": sketch.normalized_rank_error(False),
        "mergedWith": merged_with,
    }


def frequent_items_entry(file: str, lg_max_map_size: int, values: dict, merged_with: dict, top_k: int) -> dict:
    sketch = ds.frequent_strings_sketch(lg_max_map_size)
    for item, weight in weighted(**values):
        sketch.update(item, weight)
    (OUT / file).write_bytes(sketch.serialize())
    first = next(iter(weighted(**values)))[0]
    maximum_error = sketch.get_upper_bound(first) - sketch.get_lower_bound(first)
    rows = sketch.get_frequent_items(ds.frequent_items_error_type.NO_FALSE_POSITIVES)
    # The engine's top values: no false positives, most frequent first, ties by value, the first
    # top_k, and only counts above the maximum error.
    rows = sorted(rows, key=lambda row: (-row[1], row[0]))[:top_k]
    top = [{"value": item, "count": estimate} for item, estimate, _, _ in rows if estimate > maximum_error]
    return {
        "file": file,
        "lgMaxMapSize": lg_max_map_size,
        "values": values,
        "totalWeight": sketch.total_weight,
        "maximumError": maximum_error,
        "topK": top_k,
        "topValues": top,
        "mergedWith": merged_with,
    }


# (file, type, lgK, the values "item-{i}" for i in [start, end), the values merged in by the test).
HLL_CASES = [
    ("hll8_lgk14_100000.bin", ds.tgt_hll_type.HLL_8, 14, (0, 100_000), (50_000, 150_000)),
    ("hll4_lgk12_100000.bin", ds.tgt_hll_type.HLL_4, 12, (0, 100_000), (50_000, 150_000)),
    ("hll8_lgk14_1000.bin", ds.tgt_hll_type.HLL_8, 14, (0, 1_000), (500, 1_500)),
]

# (file, k, the values as (count, stride, step, offset) of `doubles`, the values merged in).
KLL_CASES = [
    ("kll_doubles_k400_300.bin", 400, (300, 7, 0.5, -20.0), (300, 1, 0.5, 55.0)),
    ("kll_doubles_k200_20000.bin", 200, (20_000, 7_919, 0.25, 0.0), (30_000, 1, 0.25, 2_500.0)),
]

# (file, lgMaxMapSize, the items as (count, top) of `weighted`, the items merged in, top k).
FREQUENT_ITEMS_CASES = [
    ("frequent_strings_lg10.bin", 10, (3_000, 5_000), (40, 600), 10),
]


def main() -> int:
    def items(prefix, start, end):
        return {"prefix": prefix, "start": start, "end": end}

    def values(count, stride, step, offset):
        return {"count": count, "stride": stride, "step": step, "offset": offset}

    def weights(count, top):
        return {"prefix": "value-", "count": count, "top": top}

    reference = {
        "generator": f"Apache DataSketches C++ through its Python binding, datasketches {ds_version()}",
        "hll": [
            hll_entry(file, hll_type, lg_k, items("item-", *own), items("item-", *merged))
            for file, hll_type, lg_k, own, merged in HLL_CASES
        ],
        "kll": [kll_entry(file, k, values(*own), values(*merged)) for file, k, own, merged in KLL_CASES],
        "frequentItems": [
            frequent_items_entry(file, lg_size, weights(*own), weights(*merged), top_k)
            for file, lg_size, own, merged, top_k in FREQUENT_ITEMS_CASES
        ],
    }
    # A KLL floats image: the engine keeps doubles and must refuse it rather than misread it.
    floats = ds.kll_floats_sketch(400)
    for value in doubles(300, 7, 0.5, -20.0):
        floats.update(value)
    (OUT / "kll_floats_k400_300.bin").write_bytes(floats.serialize())
    reference["refused"] = [{"file": "kll_floats_k400_300.bin", "sketch": "kll"}]
    text = json.dumps(reference, indent=2) + "\n"
    (OUT / "reference.json").write_text(text)
    print(text, end="")
    return 0


def ds_version() -> str:
    from importlib.metadata import version

    return version("datasketches")


if __name__ == "__main__":
    sys.exit(main())
