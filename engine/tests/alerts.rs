//! Alerts of profiles made by real scans of small tables: each kind raised past its threshold and
//! not at it.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use profiler_crds::{
    Alert, AlertKind, ColumnKind, ColumnProfile, MetadataStats, PROFILE_FORMAT_VERSION, ProfileMode, Sampling,
    SamplingReport, SourceInfo, SourceKind, TableProfile,
};
use profiler_engine::alerts::{
    DEFAULT_EMPTY_STRINGS, DEFAULT_HIGH_CARDINALITY, DEFAULT_IMBALANCE, DEFAULT_MIXED_TYPES, DEFAULT_MOSTLY_NULL,
    DEFAULT_SKEWNESS, DEFAULT_TRUNCATED_BOUND_LENGTH, DEFAULT_ZEROS,
};
use profiler_engine::{
    AlertThresholds, EngineError, Partition, ProfileOptions, alerts, alerts_with, merge_profiles, scan,
};

/// One in-memory partition.
struct Chunk(Vec<RecordBatch>);
impl Partition for Chunk {
    type Error = EngineError;
    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), EngineError> {
        self.0.into_iter().try_for_each(sink)
    }
}

/// The profile of `columns` scanned with `sampling`, with its alerts, as the worker finishes it.
fn profile_sampled(columns: Vec<(&str, ArrayRef)>, sampling: Sampling) -> TableProfile {
    let schema = Arc::new(Schema::new(
        columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
    let out =
        scan(schema, vec![Chunk(vec![batch])], sampling, &ProfileOptions::default(), 1, &AtomicU64::new(0)).unwrap();
    let mut p = document(out.columns, ProfileMode::Scan, sampling, out.rows_read, out.rows_profiled);
    p.alerts = alerts(&p);
    p
}

fn profile(columns: Vec<(&str, ArrayRef)>) -> TableProfile {
    profile_sampled(columns, Sampling::Full)
}

fn document(
    columns: Vec<ColumnProfile>,
    mode: ProfileMode,
    sampling: Sampling,
    rows_read: u64,
    rows_profiled: u64,
) -> TableProfile {
    TableProfile {
        format_version: PROFILE_FORMAT_VERSION,
        profiler_version: "test".into(),
        source: SourceInfo {
            kind: SourceKind::Parquet,
            location: "mem".into(),
            files: 1,
            snapshot_id: None,
            iceberg: None,
        },
        mode,
        sampling: SamplingReport { sampling, rows_read, rows_profiled },
        row_count: rows_profiled,
        column_count: columns.len() as u64,
        bytes_scanned: None,
        started_at: "2026-01-01T00:00:00Z".into(),
        duration_ms: 1,
        alerts: vec![],
        columns,
    }
}

/// The alert of `kind` on `column`, if any.
fn find<'a>(p: &'a TableProfile, column: &str, kind: AlertKind) -> Option<&'a Alert> {
    p.alerts.iter().find(|a| a.kind == kind && a.column.as_deref() == Some(column))
}

fn has(p: &TableProfile, column: &str, kind: AlertKind) -> bool {
    find(p, column, kind).is_some()
}

fn ints(values: impl IntoIterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(Int64Array::from_iter(values))
}

fn floats(values: impl IntoIterator<Item = f64>) -> ArrayRef {
    Arc::new(Float64Array::from_iter_values(values))
}

fn strings<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(values))
}

#[test]
fn all_null_and_mostly_null() {
    let p = profile(vec![
        ("none", Arc::new(Int32Array::from(vec![None::<i32>; 10])) as ArrayRef),
        ("six", ints((0..10).map(|i| (i >= 6).then_some(i)))),
        ("five", ints((0..10).map(|i| (i >= 5).then_some(i)))),
    ]);
    let all = find(&p, "none", AlertKind::AllNull).expect("all null");
    assert_eq!((all.figure, all.threshold), (1.0, 1.0));
    assert_eq!(p.alerts.iter().filter(|a| a.column.as_deref() == Some("none")).count(), 1, "nothing else on it");
    let mostly = find(&p, "six", AlertKind::MostlyNull).expect("6 of 10 null is above 50%");
    assert_eq!((mostly.figure, mostly.threshold), (0.6, DEFAULT_MOSTLY_NULL));
    assert!(!has(&p, "six", AlertKind::AllNull));
    assert!(!has(&p, "five", AlertKind::MostlyNull), "exactly 50% is not above the threshold");
}

#[test]
fn constant() {
    let p = profile(vec![
        ("same", strings(["a"; 30])),
        ("two", strings((0..30).map(|i| if i == 0 { "b" } else { "a" }))),
        ("zero", floats([0.0; 30])),
    ]);
    let c = find(&p, "same", AlertKind::Constant).expect("one distinct value");
    assert_eq!((c.figure, c.threshold), (1.0, 1.0));
    assert!(c.message.contains("(a)"), "{}", c.message);
    assert!(!has(&p, "two", AlertKind::Constant));
    assert!(has(&p, "zero", AlertKind::Constant));
    assert!(!has(&p, "zero", AlertKind::Zeros), "a constant column raises no value alert beside it");
    assert!(!has(&p, "same", AlertKind::Imbalanced));
}

#[test]
fn unique_only_when_the_distinct_bounds_include_the_non_null_count() {
    let n = 5_000i64;
    let p = profile(vec![
        ("key", ints((0..n).map(Some))),
        ("dups", ints((0..n).map(|i| Some(i % 4_000)))),
        ("one_dup", ints((0..n).map(|i| Some(if i == 0 { 1 } else { i })))),
        ("flag", Arc::new(BooleanArray::from_iter((0..n).map(|i| Some(i < 2))))),
    ]);
    let key = find(&p, "key", AlertKind::Unique).expect("a key");
    assert_eq!(key.threshold, n as f64, "the threshold is the non-null count");
    assert!(key.message.contains("likely unique"), "{}", key.message);
    let d = p.columns[0].distinct.as_ref().unwrap();
    assert_eq!(key.figure, d.estimate);
    assert!(d.lower_bound <= n as f64 && n as f64 <= d.upper_bound);
    assert!(!has(&p, "key", AlertKind::HighCardinality), "a key is not also reported as high cardinality");
    assert!(!has(&p, "dups", AlertKind::Unique), "4000 distinct of 5000 is far outside the bounds");
    // One duplicate: the alert follows the sketch's bounds, not the estimate alone.
    let one = p.columns.iter().find(|c| c.name == "one_dup").unwrap().distinct.clone().unwrap();
    let inside = one.lower_bound <= n as f64 && n as f64 <= one.upper_bound;
    assert_eq!(has(&p, "one_dup", AlertKind::Unique), inside);
    assert!(!has(&p, "flag", AlertKind::Unique), "booleans are never keys");
    // Two rows, two values: exact distinct count, but a boolean.
    let small = profile(vec![("b", Arc::new(BooleanArray::from(vec![true, false])) as ArrayRef)]);
    assert!(!has(&small, "b", AlertKind::Unique));
}

#[test]
fn unique_in_a_sample_says_so() {
    let p = profile_sampled(vec![("id", ints((0..2_000).map(Some)))], Sampling::Reservoir { size: 500, seed: 7 });
    let u = find(&p, "id", AlertKind::Unique).expect("unique in the sample");
    assert_eq!(u.threshold, 500.0);
    assert!(u.message.contains("likely unique") && u.message.contains("of the sample"), "{}", u.message);
}

#[test]
fn high_cardinality_strings() {
    let over = (DEFAULT_HIGH_CARDINALITY as usize) + 1;
    let at = DEFAULT_HIGH_CARDINALITY as usize;
    let p = profile(vec![
        ("over", strings((0..over * 2).map(|i| format!("v{}", i % over)))),
        ("at", strings((0..over * 2).map(|i| format!("v{}", i % at)))),
        ("numbers", ints((0..over as i64 * 2).map(|i| Some(i % over as i64)))),
    ]);
    let h = find(&p, "over", AlertKind::HighCardinality).expect("51 distinct strings");
    assert_eq!(h.threshold, DEFAULT_HIGH_CARDINALITY);
    assert!((h.figure - over as f64).abs() < 0.5, "{}", h.figure);
    assert!(!has(&p, "at", AlertKind::HighCardinality), "50 distinct strings is not above 50");
    assert!(!has(&p, "numbers", AlertKind::HighCardinality), "only string columns");
}

#[test]
fn imbalanced_categories() {
    let bools = |trues: usize| -> ArrayRef { Arc::new(BooleanArray::from_iter((0..100).map(|i| Some(i < trues)))) };
    let p = profile(vec![
        ("skewed_flag", bools(95)),
        ("fair_flag", bools(85)),
        (
            "status",
            strings((0..100).map(|i| match i {
                0..=1 => "failed",
                2..=3 => "pending",
                _ => "ok",
            })),
        ),
    ]);
    let flag = find(&p, "skewed_flag", AlertKind::Imbalanced).expect("95/5");
    // 1 − H/ln 2 with H the entropy of (0.95, 0.05).
    let h = -(0.95f64 * 0.95f64.ln() + 0.05 * 0.05f64.ln());
    assert!((flag.figure - (1.0 - h / 2f64.ln())).abs() < 1e-12);
    assert_eq!(flag.threshold, DEFAULT_IMBALANCE);
    assert!(!has(&p, "fair_flag", AlertKind::Imbalanced), "85/15 has imbalance 0.39");
    let status = find(&p, "status", AlertKind::Imbalanced).expect("96/2/2");
    assert!(status.message.contains("\"ok\" is 96.0%"), "{}", status.message);
    let thirds = profile(vec![("colour", strings((0..99).map(|i| ["red", "green", "blue"][i % 3])))]);
    assert!(!has(&thirds, "colour", AlertKind::Imbalanced), "equal thirds");
}

#[test]
fn skewed_numbers() {
    let n = 2_000;
    let u = |i: usize| (i as f64 + 0.5) / n as f64;
    let p = profile(vec![
        ("cubes", floats((0..n).map(|i| u(i).powi(3)))),
        ("negative_cubes", floats((0..n).map(|i| -u(i).powi(3)))),
        ("squares", floats((0..n).map(|i| u(i).powi(2)))),
        ("uniform", floats((0..n).map(u))),
    ]);
    // u³: p5 ≈ 0.000125, p50 = 0.125, p95 ≈ 0.857: (0.857 + 0.000125 − 0.25) / 0.857 ≈ 0.71.
    let right = find(&p, "cubes", AlertKind::Skewed).expect("u cubed");
    assert!((right.figure - 0.708).abs() < 0.02, "{}", right.figure);
    assert_eq!(right.threshold, DEFAULT_SKEWNESS);
    assert!(right.message.contains("right"), "{}", right.message);
    let left = find(&p, "negative_cubes", AlertKind::Skewed).expect("its mirror");
    assert!(left.figure < -0.5 && left.message.contains("left"), "{left:?}");
    // u²: (0.9025 + 0.0025 − 0.5) / 0.9 = 0.45, below 0.5.
    assert!(!has(&p, "squares", AlertKind::Skewed));
    assert!(!has(&p, "uniform", AlertKind::Skewed));
    let few = profile(vec![("few", floats((0..19).map(|i| (i as f64).powi(4))))]);
    assert!(!has(&few, "few", AlertKind::Skewed), "fewer than 20 values are not judged");
}

#[test]
fn zeros_and_infinities() {
    let with_zeros = |zeros: usize| floats((0..100).map(move |i| if i < zeros { 0.0 } else { i as f64 }));
    let p = profile(vec![
        ("eleven", with_zeros(11)),
        ("ten", with_zeros(10)),
        ("inf", floats((0..100).map(|i| if i == 3 { f64::INFINITY } else { i as f64 }))),
        ("neg_inf", floats((0..100).map(|i| if i == 3 { f64::NEG_INFINITY } else { i as f64 }))),
    ]);
    let z = find(&p, "eleven", AlertKind::Zeros).expect("11% zeros");
    assert_eq!((z.figure, z.threshold), (0.11, DEFAULT_ZEROS));
    assert!(!has(&p, "ten", AlertKind::Zeros), "10% is not above 10%");
    let inf = find(&p, "inf", AlertKind::Infinite).expect("one +inf");
    assert_eq!((inf.figure, inf.threshold), (0.01, 0.0));
    assert!(has(&p, "neg_inf", AlertKind::Infinite));
    assert!(!has(&p, "eleven", AlertKind::Infinite));
}

#[test]
fn empty_strings() {
    let with_empty =
        |empty: usize| strings((0..100).map(move |i| if i < empty { String::new() } else { format!("w{}", i % 7) }));
    let p = profile(vec![("two", with_empty(2)), ("one", with_empty(1))]);
    let e = find(&p, "two", AlertKind::EmptyStrings).expect("2% empty");
    assert_eq!((e.figure, e.threshold), (0.02, DEFAULT_EMPTY_STRINGS));
    assert!(!has(&p, "one", AlertKind::EmptyStrings), "1% is not above 1%");
}

#[test]
fn mixed_content_types() {
    let numbers_with =
        |text: usize| strings((0..100).map(move |i| if i < text { "n/a".to_owned() } else { format!("{}", i % 9) }));
    let p = profile(vec![
        ("two_text", numbers_with(2)),
        ("one_text", numbers_with(1)),
        ("dates", strings((0..100).map(|i| if i < 50 { "2024-01-02" } else { "2024-01-02 10:00:00" }))),
        ("free_text", strings((0..100).map(|i| if i < 30 { "12" } else { "12B" }))),
        ("with_empty", strings((0..100).map(|i| if i < 5 { "" } else { "7" }))),
    ]);
    let m = find(&p, "two_text", AlertKind::MixedTypes).expect("2% text among numbers");
    assert_eq!((m.figure, m.threshold), (0.02, DEFAULT_MIXED_TYPES));
    assert!(m.message.contains("not numbers"), "{}", m.message);
    assert!(!has(&p, "one_text", AlertKind::MixedTypes), "1% is not above 1%");
    assert!(!has(&p, "dates", AlertKind::MixedTypes), "dates and timestamps are one family");
    assert!(!has(&p, "free_text", AlertKind::MixedTypes), "a free-text column is not a typed one");
    assert!(!has(&p, "with_empty", AlertKind::MixedTypes), "empty strings are their own alert");
    assert!(has(&p, "with_empty", AlertKind::EmptyStrings));
}

#[test]
fn truncated_metadata_bounds() {
    let column = |name: &str, min: &str, max: &str| {
        let mut c = ColumnProfile::with_counts(name.into(), "Utf8".into(), ColumnKind::String, 100, 0);
        c.min = Some(min.into());
        c.max = Some(max.into());
        c.metadata =
            Some(MetadataStats { files_with_stats: 2, files: 2, nan_count: None, bounds_may_be_truncated: true });
        c
    };
    let mut p = document(
        vec![column("long", "a", "abcdefghijklmnop"), column("short", "aa", "zz"), column("same", "aaa", "aaa")],
        ProfileMode::Metadata,
        Sampling::Full,
        0,
        100,
    );
    p.alerts = alerts(&p);
    let t = find(&p, "long", AlertKind::TruncatedBounds).expect("a 16-character bound");
    assert_eq!((t.figure, t.threshold), (16.0, DEFAULT_TRUNCATED_BOUND_LENGTH));
    assert!(!has(&p, "short", AlertKind::TruncatedBounds));
    assert!(!has(&p, "same", AlertKind::Constant), "equal bounds that may be truncated do not prove a constant");
    assert!(p.alerts.iter().all(|a| a.kind != AlertKind::Sampled), "metadata mode reads no sample");
    let every = AlertThresholds { truncated_bound_length: 1.0, ..AlertThresholds::default() };
    assert!(alerts_with(&p, &every).iter().any(|a| a.kind == AlertKind::TruncatedBounds && a.figure == 2.0));
}

#[test]
fn sampled_profile_is_a_table_alert() {
    let values = || ints((0..1_000).map(|i| Some(i % 10)));
    let p = profile_sampled(vec![("x", values())], Sampling::Reservoir { size: 100, seed: 1 });
    let s = p.alerts.first().expect("the table-level alert comes first");
    assert_eq!(s.kind, AlertKind::Sampled);
    assert_eq!((s.column.as_deref(), s.figure, s.threshold), (None, 0.1, 1.0));
    let whole = profile_sampled(vec![("x", values())], Sampling::Reservoir { size: 5_000, seed: 1 });
    assert!(whole.alerts.iter().all(|a| a.kind != AlertKind::Sampled), "a reservoir larger than the table");
    assert!(profile(vec![("x", values())]).alerts.iter().all(|a| a.kind != AlertKind::Sampled));
}

#[test]
fn merge_recomputes_alerts_and_old_documents_parse() {
    let a = profile(vec![("id", ints((0..500).map(Some)))]);
    let b = profile(vec![("id", ints((500..1_000).map(Some)))]);
    let merged = merge_profiles(&a, &b, &ProfileOptions::default()).unwrap();
    let u = find(&merged, "id", AlertKind::Unique).expect("the union is still a key");
    assert_eq!(u.threshold, 1_000.0);
    assert_eq!(merged.alerts, alerts(&merged));
    // A document written before alerts has no `alerts` key.
    let mut json = serde_json::to_value(&merged).unwrap();
    json.as_object_mut().unwrap().remove("alerts");
    let old: TableProfile = serde_json::from_value(json).unwrap();
    assert!(old.alerts.is_empty());
    // Every figure is finite, so the document is valid JSON.
    assert!(merged.alerts.iter().all(|a| a.figure.is_finite() && a.threshold.is_finite()));
}
