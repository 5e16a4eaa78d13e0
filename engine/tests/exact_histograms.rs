//! Exact histograms: with a column's bounds known before the scan, every bin counts exactly the
//! values whose published edges hold them, where the sketch's bins are estimates; they survive a
//! profile's round trip and a merge over the same edges, and give way to the sketch when a value
//! leaves the bounds or the edges differ.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use profiler_crds::{ColumnProfile, TableProfile};
use profiler_engine::{HistogramBounds, ProfileOptions, TableProfiler, merge_profiles};

mod support;
use support::document;

fn options(bounds: &[(&str, f64, f64)]) -> ProfileOptions {
    let bounds: HistogramBounds = bounds.iter().map(|&(c, l, u)| (c.to_owned(), (l, u))).collect();
    ProfileOptions { histogram_bins: 10, histogram_bounds: Arc::new(bounds), ..ProfileOptions::default() }
}

/// A sparse tail: 100,000 values near 0, 1,239 in [900, 1000), 300 at 1000.
fn skewed() -> Vec<f64> {
    let mut values: Vec<f64> = (0..100_000).map(|i| (i % 50) as f64).collect();
    values.extend((0..1_239).map(|i| 900.0 + (i % 100) as f64 * 0.99));
    values.extend(std::iter::repeat_n(1000.0, 300));
    values
}

fn profile(values: &[f64], options: &ProfileOptions) -> Vec<ColumnProfile> {
    let schema = Schema::new(vec![Field::new("x", DataType::Float64, true), Field::new("n", DataType::Int64, true)]);
    let x: ArrayRef = Arc::new(Float64Array::from(values.to_vec()));
    let n: ArrayRef = Arc::new(Int64Array::from(values.iter().map(|&v| v as i64).collect::<Vec<_>>()));
    let batch = RecordBatch::try_new(Arc::new(schema.clone()), vec![x, n]).unwrap();
    let mut profiler = TableProfiler::new(&schema, options).unwrap();
    for start in (0..batch.num_rows()).step_by(8192) {
        profiler.update(&batch.slice(start, 8192.min(batch.num_rows() - start))).unwrap();
    }
    profiler.finish()
}

/// `(exact, counts)` of column `name`'s histogram.
fn histogram(columns: &[ColumnProfile], name: &str) -> (bool, Vec<u64>) {
    let column = columns.iter().find(|c| c.name == name).unwrap();
    let d = column.numeric.as_ref().unwrap().distribution.as_ref().unwrap();
    (d.histogram_exact, d.histogram.iter().map(|b| b.count).collect())
}

/// The count of each bin of `columns`' `name` histogram by brute force over its published edges.
fn brute_force(columns: &[ColumnProfile], name: &str, values: &[f64]) -> Vec<u64> {
    let column = columns.iter().find(|c| c.name == name).unwrap();
    let bins = &column.numeric.as_ref().unwrap().distribution.as_ref().unwrap().histogram;
    bins.iter()
        .enumerate()
        .map(|(i, b)| {
            let last = i + 1 == bins.len();
            values.iter().filter(|&&x| x >= b.lower && (x < b.upper || last && x <= b.upper)).count() as u64
        })
        .collect()
}

#[test]
fn bounds_known_before_the_scan_make_every_bin_exact_where_the_sketch_estimates() {
    let values = skewed();
    let exact = profile(&values, &options(&[("x", 0.0, 1000.0), ("n", 0.0, 1000.0)]));
    for name in ["x", "n"] {
        let (is_exact, counts) = histogram(&exact, name);
        assert!(is_exact, "{name}");
        assert_eq!(counts, brute_force(&exact, name, &values), "{name}");
    }
    let (_, counts) = histogram(&exact, "x");
    assert_eq!(counts[9], 1_539, "the tail bin holds the 1,239 values and the 300 at the upper edge");

    let sketched = profile(&values, &ProfileOptions { histogram_bins: 10, ..ProfileOptions::default() });
    let (is_exact, counts) = histogram(&sketched, "x");
    assert!(!is_exact);
    assert_eq!(counts.iter().sum::<u64>(), values.len() as u64);
    let json = serde_json::to_string(&sketched[0]).unwrap();
    assert!(!json.contains("histogramExact"), "a sketched histogram does not say so");
}

#[test]
fn a_value_outside_the_bounds_hands_the_histogram_back_to_the_sketch() {
    let values = skewed();
    let columns = profile(&values, &options(&[("x", 0.0, 999.0)]));
    assert!(!histogram(&columns, "x").0, "1000 is beyond the bounds");
    assert!(!histogram(&columns, "n").0, "n had no bounds");
}

#[test]
fn exact_bins_survive_the_round_trip_and_a_merge_over_the_same_edges_only() {
    let values = skewed();
    let (a, b) = values.split_at(40_000);
    let bounds = options(&[("x", 0.0, 1000.0)]);
    let through_json = |columns: Vec<ColumnProfile>, rows: usize| -> TableProfile {
        serde_json::from_str(&serde_json::to_string(&document(columns, rows as u64)).unwrap()).unwrap()
    };
    let pa = through_json(profile(a, &bounds), a.len());
    let pb = through_json(profile(b, &bounds), b.len());
    let merged = merge_profiles(&pa, &pb, &bounds).unwrap();
    let whole = profile(&values, &bounds);
    assert_eq!(histogram(&merged.columns, "x"), histogram(&whole, "x"));
    assert!(histogram(&merged.columns, "x").0);

    let elsewhere = through_json(profile(b, &options(&[("x", 0.0, 1001.0)])), b.len());
    let merged = merge_profiles(&pa, &elsewhere, &bounds).unwrap();
    let (is_exact, counts) = histogram(&merged.columns, "x");
    assert!(!is_exact, "different edges do not add up");
    assert_eq!(counts.iter().sum::<u64>(), values.len() as u64);
}
