//! Comparisons of profiles built in memory through the engine's own accumulators.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use profiler_crds::{
    ColumnMatch, DistinctCount, DriftThresholds, Figure, FindingKind, PROFILE_FORMAT_VERSION, ProfileComparison,
    ProfileMode, Sampling, SamplingReport, Severity, SourceInfo, SourceKind, TableProfile,
};

use super::distribution::{ks, psi};
use super::{CompareError, compare};
use crate::options::ProfileOptions;
use crate::sketch::QuantileSketch;
use crate::table::TableProfiler;

/// SplitMix64 for reproducible test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A standard normal value (Box–Muller).
    fn normal(&mut self) -> f64 {
        (-2.0 * self.unit().ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos()
    }
}

/// The profile of the given columns (one batch), as a full scan of `table`.
fn profile(columns: Vec<(&str, ArrayRef)>) -> TableProfile {
    let schema =
        Schema::new(columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect::<Vec<_>>());
    let rows = columns.first().map(|(_, a)| a.len()).unwrap_or(0) as u64;
    let batch = RecordBatch::try_new(Arc::new(schema.clone()), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
    let mut profiler = TableProfiler::new(&schema, &ProfileOptions::default()).unwrap();
    profiler.update(&batch).unwrap();
    let columns = profiler.finish();
    TableProfile {
        format_version: PROFILE_FORMAT_VERSION,
        profiler_version: "test".into(),
        source: SourceInfo {
            kind: SourceKind::Parquet,
            location: "table".into(),
            files: 1,
            snapshot_id: None,
            iceberg: None,
        },
        mode: ProfileMode::Scan,
        sampling: SamplingReport { sampling: Sampling::Full, rows_read: rows, rows_profiled: rows },
        row_count: rows,
        column_count: columns.len() as u64,
        bytes_scanned: None,
        started_at: "2026-01-01T00:00:00Z".into(),
        duration_ms: 1,
        alerts: vec![],
        columns,
    }
}

fn floats(values: impl IntoIterator<Item = f64>) -> ArrayRef {
    Arc::new(Float64Array::from_iter_values(values))
}

fn normals(seed: u64, n: usize, mean: f64) -> ArrayRef {
    let mut r = Rng(seed);
    floats((0..n).map(|_| mean + r.normal()))
}

fn statuses(seed: u64, n: usize, extra: Option<(&str, f64)>) -> ArrayRef {
    let mut r = Rng(seed);
    let names = ["new", "paid", "shipped", "delivered"];
    Arc::new(StringArray::from_iter_values((0..n).map(|_| {
        let u = r.unit();
        match extra {
            Some((value, share)) if u < share => value.to_owned(),
            _ => names[(r.next() % 4) as usize].to_owned(),
        }
    })))
}

fn diff(a: &TableProfile, b: &TableProfile) -> ProfileComparison {
    compare(a, b, &DriftThresholds::default()).unwrap()
}

fn kinds(c: &ProfileComparison, column: &str) -> Vec<(FindingKind, Severity)> {
    c.findings
        .iter()
        .filter(|f| f.column.as_ref().is_some_and(|x| x.name == column))
        .map(|f| (f.kind, f.severity))
        .collect()
}

fn sketch_of(values: &ArrayRef) -> QuantileSketch {
    let p = profile(vec![("x", values.clone())]);
    QuantileSketch::from_profile(&p.columns[0]).unwrap()
}

#[test]
fn ks_and_psi_of_a_sketch_with_itself_are_zero() {
    let s = sketch_of(&normals(1, 50_000, 0.0));
    let v = s.sorted_view();
    assert_eq!(ks(&v, &v), 0.0);
    assert_eq!(psi(&v, &v), 0.0);
}

#[test]
fn ks_of_disjoint_ranges_is_one() {
    let a = sketch_of(&floats((0..10_000).map(f64::from)));
    let b = sketch_of(&floats((0..10_000).map(|i| 50_000.0 + f64::from(i))));
    assert_eq!(ks(&a.sorted_view(), &b.sorted_view()), 1.0);
    assert_eq!(ks(&b.sorted_view(), &a.sorted_view()), 1.0);
    assert!(psi(&a.sorted_view(), &b.sorted_view()) > 5.0);
}

#[test]
fn psi_of_two_samples_of_one_distribution_is_near_zero() {
    let a = sketch_of(&normals(1, 100_000, 0.0));
    let b = sketch_of(&normals(2, 100_000, 0.0));
    let p = psi(&a.sorted_view(), &b.sorted_view());
    assert!(p < 0.01, "PSI {p}");
    assert!(ks(&a.sorted_view(), &b.sorted_view()) < 0.03);
}

#[test]
fn ks_of_a_shifted_normal_is_close_to_the_analytic_value() {
    // D = sup |Φ(x) − Φ(x − δ)| = 2Φ(δ/2) − 1; for δ = 0.5, 2Φ(0.25) − 1 = 0.197413.
    let a = sketch_of(&normals(3, 200_000, 0.0));
    let b = sketch_of(&normals(4, 200_000, 0.5));
    let d = ks(&a.sorted_view(), &b.sorted_view());
    assert!((d - 0.197413).abs() < 0.015, "KS {d}");
    // PSI of a half-sigma shift is about δ² (0.25) for normals.
    let p = psi(&a.sorted_view(), &b.sorted_view());
    assert!((0.18..0.32).contains(&p), "PSI {p}");
}

#[test]
fn a_profile_compared_with_itself_has_no_findings() {
    let p = profile(vec![("amount", normals(5, 20_000, 10.0)), ("status", statuses(6, 20_000, None))]);
    let c = diff(&p, &p);
    assert!(c.findings.is_empty(), "{:#?}", c.findings);
    assert!(!c.summary.drift);
    assert_eq!(c.summary.highest_severity, None);
    let amount = &c.columns[0].statistics;
    assert_eq!((amount.ks, amount.psi, amount.mean_shift), (Some(0.0), Some(0.0), Some(0.0)));
    assert_eq!(amount.distinct_intervals_overlap, Some(true));
    assert!(c.skipped.is_empty(), "{:?}", c.skipped);
}

#[test]
fn a_reprofile_of_the_same_distribution_reports_no_drift() {
    let a = profile(vec![("amount", normals(7, 20_000, 10.0)), ("status", statuses(8, 20_000, None))]);
    let b = profile(vec![("amount", normals(9, 20_000, 10.0)), ("status", statuses(10, 20_000, None))]);
    let c = diff(&a, &b);
    assert!(!c.summary.drift, "{:#?}", c.findings);
}

#[test]
fn a_shifted_column_is_graded_by_ks_psi_mean_and_quantiles() {
    let a = profile(vec![("amount", normals(11, 50_000, 0.0))]);
    let b = profile(vec![("amount", normals(12, 50_000, 1.0))]);
    let c = diff(&a, &b);
    let found = kinds(&c, "amount");
    for kind in [FindingKind::KsDistance, FindingKind::Psi, FindingKind::MeanShifted, FindingKind::QuantileShifted] {
        assert!(found.contains(&(kind, Severity::Critical)), "{kind}: {found:?}");
    }
    let ks = c.findings.iter().find(|f| f.kind == FindingKind::KsDistance).unwrap();
    assert_eq!(ks.threshold, Some(0.25));
    // The figures are both CDFs where they are farthest apart (x = 0.5 for N(0,1), N(1,1), where
    // A's CDF is 0.69). The true difference is within 0.02 (the distance's tolerance below) of
    // its maximum from x = 0.1 to 0.9 (A's CDF 0.54 to 0.82), so where the sketches' CDFs peak
    // moves with their randomized compaction; the distance itself is checked below.
    let (Some(Figure::Number(fa)), Some(Figure::Number(fb))) = (&ks.a, &ks.b) else { panic!("{ks:?}") };
    assert!((fa - fb - ks.statistic.unwrap()).abs() < 1e-12, "{ks:?}");
    assert!((0.54..=0.82).contains(fa), "{ks:?}");
    let psi = c.findings.iter().find(|f| f.kind == FindingKind::Psi).unwrap();
    assert!(psi.detail.is_some() && psi.a.is_some() && psi.b.is_some(), "{psi:?}");
    assert!((ks.statistic.unwrap() - 0.3829).abs() < 0.02, "{ks:?}");
    assert!(c.summary.drift);
    assert_eq!(c.summary.drifted_columns, vec!["amount"]);
}

#[test]
fn a_null_rate_jump_is_critical() {
    let values = |nulls: u64| -> ArrayRef {
        let mut r = Rng(13);
        Arc::new(Int64Array::from_iter((0..10_000).map(|i| (i % 100 >= nulls).then(|| (r.next() % 1000) as i64))))
    };
    let c = diff(&profile(vec![("qty", values(1))]), &profile(vec![("qty", values(30))]));
    let f = c.findings.iter().find(|f| f.kind == FindingKind::NullFractionChanged).unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert!((f.statistic.unwrap() - 0.29).abs() < 1e-9);
    assert_eq!(f.threshold, Some(0.2));
}

#[test]
fn a_new_category_appears_among_the_top_values() {
    let a = profile(vec![("status", statuses(14, 20_000, None))]);
    let b = profile(vec![("status", statuses(15, 20_000, Some(("refunded", 0.1))))]);
    let c = diff(&a, &b);
    let f = c.findings.iter().find(|f| f.kind == FindingKind::TopValueAppeared).unwrap();
    assert_eq!(f.detail.as_deref(), Some("refunded"));
    assert_eq!(f.severity, Severity::Warning);
    assert!(!c.findings.iter().any(|f| f.kind == FindingKind::TopValueDisappeared), "{:#?}", c.findings);
    // Going back, the value disappears.
    let back = diff(&b, &a);
    assert!(back.findings.iter().any(|f| f.kind == FindingKind::TopValueDisappeared));
}

#[test]
fn a_renamed_column_is_matched_by_field_id() {
    let mut a = profile(vec![("id", normals(16, 1000, 0.0)), ("email", statuses(17, 1000, None))]);
    let mut b = profile(vec![("id", normals(16, 1000, 0.0)), ("mail", statuses(17, 1000, None))]);
    for p in [&mut a, &mut b] {
        p.columns[0].field_id = Some(1);
        p.columns[1].field_id = Some(2);
    }
    let c = diff(&a, &b);
    assert_eq!(c.findings.len(), 1, "{:#?}", c.findings);
    let f = &c.findings[0];
    assert_eq!((f.kind, f.severity), (FindingKind::ColumnRenamed, Severity::Info));
    let column = f.column.as_ref().unwrap();
    assert_eq!(
        (column.name.as_str(), column.field_id, column.previous_name.as_deref()),
        ("mail", Some(2), Some("email"))
    );
    assert_eq!(c.columns[1].matched_by, ColumnMatch::FieldId);
    // Without field ids the same change is a removed and an added column.
    for p in [&mut a, &mut b] {
        p.columns.iter_mut().for_each(|c| c.field_id = None);
    }
    let c = diff(&a, &b);
    assert_eq!(kinds(&c, "email"), vec![(FindingKind::ColumnRemoved, Severity::Critical)]);
    assert_eq!(kinds(&c, "mail"), vec![(FindingKind::ColumnAdded, Severity::Info)]);
    assert!(c.summary.drift);
}

#[test]
fn a_dropped_and_re_added_name_is_two_columns_under_field_ids() {
    let mut a = profile(vec![("x", normals(18, 1000, 0.0))]);
    let mut b = a.clone();
    a.columns[0].field_id = Some(1);
    b.columns[0].field_id = Some(9);
    let c = diff(&a, &b);
    let found: Vec<_> = c.findings.iter().map(|f| f.kind).collect();
    assert_eq!(found, vec![FindingKind::ColumnRemoved, FindingKind::ColumnAdded]);
}

#[test]
fn a_type_change_is_critical_and_values_still_compare_within_a_kind() {
    let a = profile(vec![("n", Arc::new(Int32Array::from_iter_values(0..5000)) as ArrayRef)]);
    let b = profile(vec![("n", Arc::new(Int64Array::from_iter_values(0..5000)) as ArrayRef)]);
    let c = diff(&a, &b);
    assert_eq!(kinds(&c, "n"), vec![(FindingKind::TypeChanged, Severity::Critical)]);
    assert!(c.columns[0].statistics.ks.is_some_and(|d| d < 0.02), "{:?}", c.columns[0].statistics);
    // Another kind: no value comparison.
    let b = profile(vec![("n", statuses(19, 5000, None))]);
    let c = diff(&a, &b);
    assert_eq!(kinds(&c, "n")[0], (FindingKind::TypeChanged, Severity::Critical));
    assert_eq!(c.columns[0].statistics.ks, None);
    assert!(!c.findings.iter().any(|f| matches!(f.kind, FindingKind::KsDistance | FindingKind::TopValueAppeared)));
}

#[test]
fn a_distinct_change_within_the_error_is_not_reported() {
    let ids = |from: i64, n: i64| -> ArrayRef { Arc::new(Int64Array::from_iter_values(from..from + n)) };
    // 50,000 vs 50,300 distinct values: within the HLL's ±1.6%.
    let c = diff(&profile(vec![("id", ids(0, 50_000))]), &profile(vec![("id", ids(7, 50_300))]));
    assert!(!c.findings.iter().any(|f| f.kind == FindingKind::DistinctCountChanged), "{:#?}", c.findings);
    assert_eq!(c.columns[0].statistics.distinct_intervals_overlap, Some(true));
    // Twice as many is beyond it.
    let c = diff(&profile(vec![("id", ids(0, 50_000))]), &profile(vec![("id", ids(0, 100_000))]));
    let f = c.findings.iter().find(|f| f.kind == FindingKind::DistinctCountChanged).unwrap();
    assert_eq!(f.severity, Severity::Critical);
}

#[test]
fn distinct_intervals_decide_on_their_own() {
    let mut a = profile(vec![("id", normals(20, 100, 0.0))]);
    let mut b = a.clone();
    let count = |estimate: f64, half: f64| DistinctCount {
        estimate,
        lower_bound: estimate - half,
        upper_bound: estimate + half,
        relative_standard_error: 0.0081,
        exact: false,
    };
    a.columns[0].distinct = Some(count(10_000.0, 200.0));
    b.columns[0].distinct = Some(count(10_350.0, 200.0));
    assert!(!diff(&a, &b).findings.iter().any(|f| f.kind == FindingKind::DistinctCountChanged));
    b.columns[0].distinct = Some(count(10_500.0, 200.0));
    let c = diff(&a, &b);
    let f = c.findings.iter().find(|f| f.kind == FindingKind::DistinctCountChanged).unwrap();
    // 5%: beyond the error, below the warning threshold.
    assert_eq!((f.severity, f.threshold), (Severity::Info, None));
}

#[test]
fn row_count_changes_are_graded_both_ways() {
    let a = profile(vec![("x", normals(21, 1000, 0.0))]);
    let mut b = a.clone();
    for (rows, severity) in [
        (400, Some(Severity::Warning)),
        (50, Some(Severity::Critical)),
        (1499, None),
        (2000, Some(Severity::Critical)),
        (1600, Some(Severity::Warning)),
    ] {
        b.row_count = rows;
        b.sampling.rows_profiled = rows;
        b.sampling.rows_read = rows;
        let c = diff(&a, &b);
        let found = c.findings.iter().find(|f| f.kind == FindingKind::RowCountChanged).map(|f| f.severity);
        assert_eq!(found, severity, "{rows}");
    }
}

#[test]
fn metadata_and_sampled_profiles_compare_what_both_have() {
    let a = profile(vec![("amount", normals(22, 5000, 0.0)), ("status", statuses(23, 5000, None))]);
    let mut b = a.clone();
    b.mode = ProfileMode::Metadata;
    for c in &mut b.columns {
        c.distinct = None;
        c.numeric = None;
        c.text = None;
        c.sketches = Default::default();
        c.nulls = 1000;
        c.null_fraction = 0.2;
    }
    let c = diff(&a, &b);
    assert!(c.findings.iter().all(|f| f.kind == FindingKind::NullFractionChanged), "{:#?}", c.findings);
    assert_eq!(c.findings.len(), 2);
    let ks = c.skipped.iter().find(|s| s.check == FindingKind::KsDistance).unwrap();
    assert_eq!(ks.columns, vec!["amount"]);
    assert!(ks.reason.contains("B is a metadata profile"), "{}", ks.reason);
    assert!(c.skipped.iter().any(|s| s.check == FindingKind::TopValueAppeared));
    assert!(c.notes.iter().any(|n| n.contains("metadata profile")));

    let mut sampled = a.clone();
    sampled.sampling =
        SamplingReport { sampling: Sampling::Reservoir { size: 5000, seed: 1 }, rows_read: 9000, rows_profiled: 5000 };
    sampled.source.location = "elsewhere".into();
    let c = diff(&a, &sampled);
    let rows = c.findings.iter().find(|f| f.kind == FindingKind::RowCountChanged).unwrap();
    assert_eq!(rows.b, Some(profiler_crds::Figure::Number(9000.0)));
    assert!(
        c.skipped.iter().any(|s| s.check == FindingKind::DistinctCountChanged && s.reason.contains("B is a sample"))
    );
    assert!(c.notes.iter().any(|n| n.contains("different sources")));
    sampled.source.kind = SourceKind::Athena;
    let c = diff(&a, &sampled);
    assert!(c.skipped.iter().any(|s| s.check == FindingKind::RowCountChanged && s.columns.is_empty()));
}

#[test]
fn unknown_format_versions_and_inverted_thresholds_are_errors() {
    let a = profile(vec![("x", normals(24, 100, 0.0))]);
    let mut b = a.clone();
    b.format_version = 99;
    let error = compare(&a, &b, &DriftThresholds::default()).unwrap_err();
    assert!(matches!(error, CompareError::UnknownFormatVersion { side: "B", version: 99, .. }));
    assert!(error.to_string().contains("format version 99"), "{error}");
    let bad = DriftThresholds { ks_warning: 0.5, ..DriftThresholds::default() };
    assert!(matches!(compare(&a, &a, &bad), Err(CompareError::InvalidThresholds(_))));
}

#[test]
fn content_type_mix_changes_are_graded_by_total_variation() {
    let texts = |emails: usize| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(
            (0..1000).map(|i| if i < emails { format!("user{i}@example.com") } else { format!("word{i}") }),
        ))
    };
    let c = diff(&profile(vec![("contact", texts(950))]), &profile(vec![("contact", texts(500))]));
    let f = c.findings.iter().find(|f| f.kind == FindingKind::ContentTypeMixChanged).unwrap();
    assert!((f.statistic.unwrap() - 0.45).abs() < 1e-9);
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.detail.as_deref(), Some("email"));
}

#[test]
fn temporal_shifts_are_reported_with_timestamps() {
    let day = 86_400_000_000i64;
    let start = 1_672_531_200_000_000i64; // 2023-01-01T00:00:00Z
    let times = |shift: i64| -> ArrayRef {
        Arc::new(
            arrow_array::TimestampMicrosecondArray::from_iter_values(
                (0..20_000).map(|i| start + shift + (i % 100) * day),
            )
            .with_timezone("UTC"),
        )
    };
    let c = diff(&profile(vec![("created_at", times(0))]), &profile(vec![("created_at", times(50 * day))]));
    let ks = c.findings.iter().find(|f| f.kind == FindingKind::KsDistance).unwrap();
    assert_eq!(ks.severity, Severity::Critical);
    let detail = ks.detail.as_deref().unwrap();
    assert!(detail.starts_with("at 2023-") && detail.ends_with('Z'), "{detail}");
    assert!(c.findings.iter().any(|f| f.kind == FindingKind::QuantileShifted && f.message.contains("2023-")));
}

#[test]
fn empty_and_all_null_profiles_compare_without_failing() {
    let a = profile(vec![("amount", normals(25, 2000, 0.0)), ("status", statuses(26, 2000, None))]);
    let empty = profile(vec![("amount", floats([])), ("status", statuses(27, 0, None))]);
    let c = diff(&a, &empty);
    let rows = c.findings.iter().find(|f| f.kind == FindingKind::RowCountChanged).unwrap();
    assert_eq!((rows.severity, rows.statistic), (Severity::Critical, Some(1.0)));
    assert!(c.skipped.iter().any(|s| s.check == FindingKind::NullFractionChanged && s.reason == "B has no rows"));
    assert!(diff(&empty, &empty).findings.is_empty());
    let nulls: ArrayRef = Arc::new(Float64Array::from(vec![None::<f64>; 2000]));
    let c = diff(&a, &profile(vec![("amount", nulls), ("status", statuses(28, 2000, None))]));
    assert_eq!(kinds(&c, "amount"), vec![(FindingKind::NullFractionChanged, Severity::Critical)]);
}
