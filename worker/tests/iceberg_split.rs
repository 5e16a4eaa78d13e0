//! Iceberg data files cut at their row groups, as a fan-out plans them: every row group is read
//! by exactly one range (the split scan profiles the same rows as the whole files), and a scan in
//! one task joins each file's adjacent ranges into pieces of at least a given size.

use std::path::{Path, PathBuf};
use std::process::Command;

use profiler_worker::run::{OpenedScan, ProfileRequest, Progress, open_source, profile};
use profiler_worker::source::SourceSpec;
use profiler_worker::source::iceberg::{DataFilePartition, PIECE_BYTES};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The `fixtures.orders` table: two data files of 3,000 and 2,000 rows, in row groups of 1,000;
/// one copy per test (`tag`).
fn orders_table(tag: &str) -> String {
    let dir = std::env::temp_dir().join(format!("profiler-iceberg-split-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let python = std::env::var("PROFILER_TEST_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned());
    let out = Command::new(python).arg(root().join("tests/fixtures/make_iceberg.py")).arg(&dir).output().unwrap();
    assert!(out.status.success(), "make_iceberg.py: {}", String::from_utf8_lossy(&out.stderr));
    let fixture: Value = serde_json::from_slice(&out.stdout).unwrap();
    fixture["table_dir"].as_str().unwrap().to_owned()
}

fn request(table: &str, split_row_groups: bool) -> ProfileRequest {
    ProfileRequest { split_row_groups, ..ProfileRequest::every_row(SourceSpec::detect(table, None), 2) }
}

/// `(key, bytes)` of each partition of `scan`.
fn parts(scan: &OpenedScan) -> Vec<(String, u64)> {
    scan.planned_parts().parts
}

#[test]
fn row_group_ranges_read_every_row_once_and_join_back_into_their_files() {
    let table = orders_table("ranges");
    let whole = parts(&open_source(&request(&table, false)).unwrap());
    let split = parts(&open_source(&request(&table, true)).unwrap());
    assert_eq!(whole.len(), 2, "two data files: {whole:?}");
    assert_eq!(split.len(), 5, "one range per row group: {split:?}");
    assert_eq!(
        split.iter().map(|p| p.1).sum::<u64>(),
        whole.iter().map(|p| p.1).sum::<u64>(),
        "the ranges tile the files"
    );

    let joined = |min_bytes: u64| {
        let mut scan = open_source(&request(&table, true)).unwrap();
        scan.join_row_groups(min_bytes);
        parts(&scan)
    };
    assert_eq!(joined(PIECE_BYTES), whole, "files smaller than a piece are read whole");
    assert_eq!(joined(u64::MAX), whole);
    assert_eq!(joined(1), split, "every range is a piece already");
    // Pieces of more than the first range of the 3,000-row file: its first two ranges join, its
    // third stays alone.
    let file = |key: &str| DataFilePartition::data_file_of(key).to_owned();
    let of_file = |parts: &[(String, u64)], name: &str| -> Vec<(String, u64)> {
        parts.iter().filter(|p| file(&p.0) == name).cloned().collect()
    };
    let larger = file(&split[0].0);
    let larger = if of_file(&split, &larger).len() == 3 { larger } else { file(&split[split.len() - 1].0) };
    let ranges = of_file(&split, &larger);
    assert_eq!(ranges.len(), 3, "{split:?}");
    let pieces = of_file(&joined(ranges[0].1 + 1), &larger);
    assert_eq!(pieces, [(ranges[0].0.clone(), ranges[0].1 + ranges[1].1), ranges[2].clone()]);

    // A fan-out group's ranges, in any order: the adjacent ones of a file are read as one piece.
    let group: Vec<String> = ranges.iter().rev().map(|r| r.0.clone()).collect();
    let mut scan = open_source(&request(&table, true)).unwrap();
    scan.select(&group).unwrap();
    assert_eq!(parts(&scan), [(ranges[0].0.clone(), ranges.iter().map(|r| r.1).sum())]);
    let gaps = [ranges[2].0.clone(), ranges[0].0.clone()];
    let mut scan = open_source(&request(&table, true)).unwrap();
    scan.select(&gaps).unwrap();
    assert_eq!(parts(&scan), [ranges[0].clone(), ranges[2].clone()], "ranges apart stay apart");
    let mut scan = open_source(&request(&table, true)).unwrap();
    assert!(scan.select(&["gone.parquet@4".to_owned()]).unwrap_err().to_string().contains("no longer in the source"));

    let by_file = profile(&request(&table, false), &Progress::default()).unwrap();
    let by_range = profile(&request(&table, true), &Progress::default()).unwrap();
    assert_eq!(by_range.row_count, 5_000);
    assert_eq!(by_range.row_count, by_file.row_count);
    for (a, b) in by_range.columns.iter().zip(&by_file.columns) {
        assert_eq!((&a.name, a.count, a.nulls, &a.min, &a.max), (&b.name, b.count, b.nulls, &b.min, &b.max));
    }
}

#[test]
fn threads_beyond_the_files_share_the_columns_and_profile_the_same() {
    let table = orders_table("columns");
    let spec = || SourceSpec::detect(&table, None);
    // Two data files, eight threads: each file is read as several column sets, by field id.
    // The selection is out of schema order, so each set maps positions to the right field ids.
    let columns = Some(vec!["status".to_owned(), "id".to_owned(), "amount".to_owned()]);
    let shared = ProfileRequest { columns: columns.clone(), ..ProfileRequest::every_row(spec(), 8) };
    let single = ProfileRequest { columns, ..ProfileRequest::every_row(spec(), 1) };
    let shared = profile(&shared, &Progress::default()).unwrap();
    let single = profile(&single, &Progress::default()).unwrap();
    assert_eq!(shared.row_count, 5_000);
    assert_eq!(shared.row_count, single.row_count);
    let names: Vec<&str> = shared.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["status", "id", "amount"]);
    for (a, b) in shared.columns.iter().zip(&single.columns) {
        assert_eq!(
            (&a.name, a.count, a.nulls, &a.min, &a.max, a.distinct.as_ref().map(|d| d.estimate)),
            (&b.name, b.count, b.nulls, &b.min, &b.max, b.distinct.as_ref().map(|d| d.estimate))
        );
        // The files' column sets may land on different threads: moments merge, equal to rounding.
        if let (Some(x), Some(y)) = (&a.numeric, &b.numeric) {
            assert_eq!((x.moments.n, x.moments.sum), (y.moments.n, y.moments.sum));
            assert!((x.moments.mean - y.moments.mean).abs() <= 1e-12 * y.moments.mean.abs(), "{x:?} {y:?}");
            assert!((x.moments.m2 - y.moments.m2).abs() <= 1e-12 * y.moments.m2.abs(), "{x:?} {y:?}");
        }
    }
}
