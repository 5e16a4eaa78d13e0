//! Exact histograms from a source's statistics, through the `profiler` CLI: Parquet files whose
//! footers bound a sparse-tailed column get every bin counted exactly (the sketch's estimate of
//! the same bins is off); files written without statistics, or a row group without them, fall
//! back to the sketch and say so; an Iceberg table's manifests bound its columns the same way.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-exact-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A sparse tail: 200,000 amounts in [0, 50), 1,239 in [900, 999), 300 of exactly 1000; the
/// ids count up.
fn values() -> Vec<f64> {
    let mut values: Vec<f64> = (0..200_000).map(|i| (i % 5_000) as f64 / 100.0).collect();
    values.extend((0..1_239).map(|i| 900.0 + (i % 100) as f64 * 0.99));
    values.extend(std::iter::repeat_n(1000.0, 300));
    values
}

/// Writes `values` as `amount` (and `id`) into `path`, in row groups of 50,000 rows; statistics
/// of every column, or of none.
fn write(path: &Path, values: &[f64], statistics: bool) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("amount", DataType::Float64, true),
    ]));
    let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(0..values.len() as i64));
    let amounts: ArrayRef = Arc::new(Float64Array::from(values.to_vec()));
    let batch = RecordBatch::try_new(schema.clone(), vec![ids, amounts]).unwrap();
    let level = if statistics { EnabledStatistics::Chunk } else { EnabledStatistics::None };
    let properties =
        WriterProperties::builder().set_max_row_group_row_count(Some(50_000)).set_statistics_enabled(level).build();
    let mut writer = ArrowWriter::try_new(File::create(path).unwrap(), schema, Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn profile(source: &str, name: &str) -> Value {
    let out = tmp(&format!("{name}-out"));
    let o: Output = Command::new(env!("CARGO_BIN_EXE_profiler"))
        .args(["profile", source, "--bins", "10", "--quiet", "--out", out.to_str().unwrap()])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out.join("profile.json")).unwrap()).unwrap()
}

/// `(exact, bins as (lower, upper, count))` of column `name`'s histogram.
fn histogram(profile: &Value, name: &str) -> (bool, Vec<(f64, f64, u64)>) {
    let column = profile["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
    let d = &column["numeric"]["distribution"];
    let bins = d["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["lower"].as_f64().unwrap(), b["upper"].as_f64().unwrap(), b["count"].as_u64().unwrap()))
        .collect();
    (d["histogramExact"] == true, bins)
}

/// How many of `values` each bin holds, by its edges (the last bin closed).
fn counted(bins: &[(f64, f64, u64)], values: &[f64]) -> Vec<u64> {
    let last = bins.len() - 1;
    bins.iter()
        .enumerate()
        .map(|(i, &(lower, upper, _))| {
            values.iter().filter(|&&x| x >= lower && (x < upper || i == last && x <= upper)).count() as u64
        })
        .collect()
}

#[test]
fn parquet_statistics_make_every_bin_exact_and_files_without_them_use_the_sketch() {
    let values = values();
    let dir = tmp("with-statistics");
    write(&dir.join("part-0.parquet"), &values, true);
    let exact = profile(dir.to_str().unwrap(), "exact");
    let (is_exact, bins) = histogram(&exact, "amount");
    assert!(is_exact);
    assert_eq!((bins[0].0, bins[9].1), (0.0, 1000.0), "the footers' bounds are the data's");
    let counts: Vec<u64> = bins.iter().map(|b| b.2).collect();
    assert_eq!(counts, counted(&bins, &values));
    assert_eq!(counts[9], 1_539);
    let ids: Vec<f64> = (0..values.len()).map(|i| i as f64).collect();
    let (ids_exact, id_bins) = histogram(&exact, "id");
    assert!(ids_exact);
    assert_eq!(id_bins.iter().map(|b| b.2).collect::<Vec<_>>(), counted(&id_bins, &ids));

    // Without statistics the bins come from the sketch: over the same range, estimated.
    let dir = tmp("without-statistics");
    write(&dir.join("part-0.parquet"), &values, false);
    let sketched = profile(dir.to_str().unwrap(), "sketched");
    let (is_exact, bins) = histogram(&sketched, "amount");
    assert!(!is_exact);
    assert_eq!(bins.iter().map(|b| b.2).sum::<u64>(), values.len() as u64);
    let column = sketched["columns"].as_array().unwrap().iter().find(|c| c["name"] == "amount").unwrap();
    assert!(column["numeric"]["distribution"].get("histogramExact").is_none(), "absent when estimated");

    // One file of two without statistics: the column is not bounded, so the sketch decides.
    let dir = tmp("mixed");
    write(&dir.join("part-0.parquet"), &values[..100_000], true);
    write(&dir.join("part-1.parquet"), &values[100_000..], false);
    assert!(!histogram(&profile(dir.to_str().unwrap(), "mixed"), "amount").0);
}

#[test]
fn an_iceberg_tables_manifests_bound_its_columns() {
    let dir = tmp("iceberg");
    let python = std::env::var("PROFILER_TEST_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned());
    let out = Command::new(python).arg(root().join("tests/fixtures/make_iceberg.py")).arg(&dir).output().unwrap();
    assert!(out.status.success(), "make_iceberg.py: {}", String::from_utf8_lossy(&out.stderr));
    let fixture: Value = serde_json::from_slice(&out.stdout).unwrap();
    let table = profile(fixture["table_dir"].as_str().unwrap(), "iceberg");
    for name in ["id", "amount"] {
        let (is_exact, bins) = histogram(&table, name);
        assert!(is_exact, "{name}");
        let column = table["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
        assert_eq!(bins.iter().map(|b| b.2).sum::<u64>(), column["nonNull"].as_u64().unwrap(), "{name}");
    }
    let (_, ids) = histogram(&table, "id");
    let expected: Vec<f64> = (0..table["rowCount"].as_u64().unwrap()).map(|i| i as f64).collect();
    assert_eq!(ids.iter().map(|b| b.2).collect::<Vec<_>>(), counted(&ids, &expected), "ids 0.. count exactly");
}
