//! Sketch images written by the Apache DataSketches C++ library (through its Python binding, by
//! `tests/reference/make_reference.py`), read the way the engine reads the sketches of a profile
//! (base64 in a column's `sketches`, restored into its accumulator), checked against what the
//! library reported of them (`tests/reference/reference.json`), and merged with the engine's own
//! sketches of other values.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, StringArray};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use profiler_crds::{ColumnProfile, Distribution};
use profiler_engine::{ColumnAccumulator, EngineError, ProfileOptions};
use serde_json::Value;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn reference() -> Value {
    let path = reference_dir().join("reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("reference.json is JSON")
}

/// The entries of one kind of sketch in reference.json.
fn entries(kind: &str) -> Vec<Value> {
    let entries = reference()[kind].as_array().unwrap_or_else(|| panic!("reference.json has no {kind}")).clone();
    assert!(!entries.is_empty(), "reference.json has no {kind} entry");
    entries
}

/// The base64 of the image an entry names, as a profile carries it.
fn image(entry: &Value) -> String {
    let path = reference_dir().join(entry["file"].as_str().expect("file"));
    BASE64.encode(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn int(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("{value} is not a count"))
}

fn float(value: &Value) -> f64 {
    value.as_f64().unwrap_or_else(|| panic!("{value} is not a number"))
}

/// `prefix{i}` for i in start..end (make_reference.py's `strings`).
fn strings(spec: &Value) -> Vec<String> {
    let prefix = spec["prefix"].as_str().expect("prefix");
    (int(&spec["start"])..int(&spec["end"])).map(|i| format!("{prefix}{i}")).collect()
}

/// `offset + step * j` for j in 0..count, in the order j = i * stride mod count
/// (make_reference.py's `doubles`).
fn doubles(spec: &Value) -> Vec<f64> {
    let (count, stride) = (int(&spec["count"]), int(&spec["stride"]));
    let (step, offset) = (float(&spec["step"]), float(&spec["offset"]));
    (0..count).map(|i| offset + step * ((i * stride) % count) as f64).collect()
}

/// Item i of `count` with weight top / (i + 1) (make_reference.py's `weighted`).
fn weighted(spec: &Value) -> Vec<(String, u64)> {
    let prefix = spec["prefix"].as_str().expect("prefix");
    let top = int(&spec["top"]);
    (0..int(&spec["count"])).map(|i| (format!("{prefix}{i}"), top / (i + 1))).collect()
}

/// The engine's accumulator of a column `value` holding `array`.
fn accumulate(array: ArrayRef) -> ColumnAccumulator {
    let options = ProfileOptions::default();
    let mut acc = ColumnAccumulator::new("value".into(), array.data_type().clone(), &options).expect("accumulator");
    acc.update(&array).expect("update");
    acc
}

fn string_column(values: &[String]) -> ColumnAccumulator {
    accumulate(Arc::new(StringArray::from_iter_values(values)))
}

fn float_column(values: &[f64]) -> ColumnAccumulator {
    accumulate(Arc::new(Float64Array::from(values.to_vec())))
}

/// `profile` with `edit` applied, restored into an accumulator as a merge of profiles would. The
/// tests put a library image into a profile of the engine's own: only the sketch is read from it.
fn restore(
    mut profile: ColumnProfile,
    edit: impl FnOnce(&mut ColumnProfile),
) -> Result<ColumnAccumulator, EngineError> {
    edit(&mut profile);
    ColumnAccumulator::restore(&profile, &ProfileOptions::default())
}

fn finish(acc: &ColumnAccumulator) -> ColumnProfile {
    acc.finish(&ProfileOptions::default())
}

fn merged(a: &ColumnAccumulator, b: &ColumnAccumulator) -> ColumnProfile {
    let mut merged = a.clone();
    merged.merge(b).expect("merge");
    finish(&merged)
}

fn assert_close(found: f64, expected: f64, what: &str) {
    let tolerance = 1e-12 * expected.abs().max(1.0);
    assert!((found - expected).abs() <= tolerance, "{what}: the engine says {found}, the library said {expected}");
}

fn distribution(profile: &ColumnProfile) -> &Distribution {
    profile.numeric.as_ref().and_then(|n| n.distribution.as_ref()).expect("a numeric distribution")
}

/// Every reported quantile's true rank among `values` is within `tolerance` of its rank.
fn assert_ranks_within(distribution: &Distribution, values: &[f64], tolerance: f64, what: &str) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    for q in &distribution.quantiles {
        let below = sorted.partition_point(|&x| x < q.value) as f64 / n;
        let upto = sorted.partition_point(|&x| x <= q.value) as f64 / n;
        let error = (below - q.rank).max(q.rank - upto).max(0.0);
        assert!(error <= tolerance, "{what}: p{} = {} has true rank in [{below}, {upto}]", q.rank * 100.0, q.value);
    }
}

#[test]
fn hll_images_read_with_the_librarys_estimate_and_merge_into_the_union() {
    for entry in entries("hll") {
        let file = entry["file"].as_str().expect("file");
        let ours = string_column(&strings(&entry["mergedWith"]));
        let theirs =
            restore(finish(&ours), |p| p.sketches.hll = Some(image(&entry))).unwrap_or_else(|e| panic!("{file}: {e}"));

        let distinct = finish(&theirs).distinct.expect("a distinct count");
        assert_close(distinct.estimate, float(&entry["estimate"]), file);
        assert!(distinct.lower_bound <= distinct.estimate && distinct.estimate <= distinct.upper_bound, "{file}");

        let union: HashSet<String> =
            strings(&entry["values"]).into_iter().chain(strings(&entry["mergedWith"])).collect();
        let estimate = merged(&theirs, &ours).distinct.expect("a distinct count").estimate;
        assert_close(estimate, float(&entry["mergedEstimate"]), &format!("{file} merged"));
        let lg_k = int(&entry["lgK"]).min(u64::from(ProfileOptions::default().hll_lg_k));
        let rse = 1.04 / f64::from(1u32 << lg_k).sqrt();
        let truth = union.len() as f64;
        assert!((estimate - truth).abs() <= 3.0 * rse * truth, "{file} merged: {estimate} for {truth} distinct values");
    }
}

#[test]
fn kll_images_read_with_the_librarys_quantiles_and_merge_within_the_rank_error() {
    for entry in entries("kll") {
        let file = entry["file"].as_str().expect("file");
        let values = doubles(&entry["values"]);
        let ours = float_column(&doubles(&entry["mergedWith"]));
        let theirs =
            restore(finish(&ours), |p| p.sketches.kll = Some(image(&entry))).unwrap_or_else(|e| panic!("{file}: {e}"));

        let profile = finish(&theirs);
        let numeric = profile.numeric.as_ref().expect("numeric stats");
        assert_eq!(numeric.min, Some(float(&entry["min"])), "{file}: minimum");
        assert_eq!(numeric.max, Some(float(&entry["max"])), "{file}: maximum");
        let read = distribution(&profile);
        assert_eq!(read.histogram.iter().map(|b| b.count).sum::<u64>(), int(&entry["n"]), "{file}: n");
        assert_close(read.rank_error, float(&entry["normalizedRankError"]), &format!("{file} rank error"));
        let ranks: Vec<f64> = read.quantiles.iter().map(|q| q.rank).collect();
        let expected_ranks: Vec<f64> = entry["ranks"].as_array().expect("ranks").iter().map(float).collect();
        assert_eq!(ranks, expected_ranks, "{file}: the engine reports the ranks the library was asked");
        let quantiles: Vec<f64> = read.quantiles.iter().map(|q| q.value).collect();
        let expected: Vec<f64> = entry["quantiles"].as_array().expect("quantiles").iter().map(float).collect();
        assert_eq!(quantiles, expected, "{file}: quantiles");
        if entry["estimationMode"] == false {
            // Every value retained: the engine's own sketch of them answers the same.
            let own = finish(&float_column(&values));
            let own: Vec<f64> = distribution(&own).quantiles.iter().map(|q| q.value).collect();
            assert_eq!(own, expected, "{file}: the engine's own sketch of the same values");
        }

        let union: Vec<f64> = values.iter().copied().chain(doubles(&entry["mergedWith"])).collect();
        let merged = merged(&theirs, &ours);
        let numeric = merged.numeric.as_ref().expect("numeric stats");
        assert_eq!(numeric.min, union.iter().copied().reduce(f64::min), "{file} merged: minimum");
        assert_eq!(numeric.max, union.iter().copied().reduce(f64::max), "{file} merged: maximum");
        let both = distribution(&merged);
        assert_eq!(both.histogram.iter().map(|b| b.count).sum::<u64>(), union.len() as u64, "{file} merged: n");
        assert_ranks_within(both, &union, both.rank_error, &format!("{file} merged"));
    }
}

#[test]
fn frequent_items_images_read_with_the_librarys_top_values_and_merge_within_the_error() {
    for entry in entries("frequentItems") {
        let file = entry["file"].as_str().expect("file");
        assert_eq!(int(&entry["topK"]), ProfileOptions::default().top_k as u64, "{file}: top k");
        let other = weighted(&entry["mergedWith"]);
        let rows: Vec<String> = other.iter().flat_map(|(v, w)| std::iter::repeat_n(v.clone(), *w as usize)).collect();
        let ours = string_column(&rows);
        let max_error = int(&entry["maximumError"]);
        let theirs = restore(finish(&ours), |p| {
            p.sketches.frequent_items = Some(image(&entry));
            p.text.as_mut().expect("text stats").top_values_max_error = max_error;
        })
        .unwrap_or_else(|e| panic!("{file}: {e}"));

        let text = finish(&theirs).text.expect("text stats");
        assert_eq!(text.top_values_max_error, max_error, "{file}: maximum error");
        let top: Vec<(String, u64)> = text.top_values.iter().map(|v| (v.value.clone(), v.count)).collect();
        let expected: Vec<(String, u64)> = entry["topValues"]
            .as_array()
            .expect("topValues")
            .iter()
            .map(|v| (v["value"].as_str().expect("value").to_owned(), int(&v["count"])))
            .collect();
        assert_eq!(top, expected, "{file}: top values");

        let mut truth: HashMap<String, u64> = weighted(&entry["values"]).into_iter().collect();
        for (value, weight) in other {
            *truth.entry(value).or_default() += weight;
        }
        let text = merged(&theirs, &ours).text.expect("text stats");
        let mut by_truth: Vec<(&String, &u64)> = truth.iter().collect();
        by_truth.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let reported: Vec<&String> = text.top_values.iter().map(|v| &v.value).collect();
        let heaviest: Vec<&String> = by_truth.iter().take(reported.len()).map(|(v, _)| *v).collect();
        assert_eq!(reported, heaviest, "{file} merged: the heaviest values, heaviest first");
        for v in &text.top_values {
            let true_count = truth[&v.value];
            assert!(
                true_count <= v.count && v.count <= true_count + text.top_values_max_error,
                "{file} merged: {} counted {} for {true_count} (maximum error {})",
                v.value,
                v.count,
                text.top_values_max_error
            );
        }
    }
}

#[test]
fn images_of_another_item_type_are_refused_not_misread() {
    for entry in entries("refused") {
        let file = entry["file"].as_str().expect("file");
        let template = finish(&float_column(&[1.0, 2.0]));
        let error = restore(template, |p| p.sketches.kll = Some(image(&entry)))
            .err()
            .unwrap_or_else(|| panic!("{file}: read as a KLL doubles sketch"));
        assert!(matches!(error, EngineError::BadSketch { sketch: "kll", .. }), "{file}: {error}");
    }
}
