//! Test support: a fresh database per test on the Postgres that scripts/test.sh starts, and
//! profiles made by the real engine.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use arrow_array::builder::{ListBuilder, StringBuilder, StructBuilder};
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Fields, Schema, TimeUnit};
use chrono::{TimeZone, Utc};
use profiler_crds::JobPhase;
use profiler_crds::{
    COMPARISON_FORMAT_VERSION, ColumnComparison, ColumnKind, ColumnMatch, ColumnProfile, ColumnRef, ColumnStatistics,
    DecimalStats, DriftSummary, DriftThresholds, Figure, Finding, FindingKind, IcebergReadInfo, MAX_DRIFTED_COLUMNS,
    MetadataStats, Moments, NumericStats, PROFILE_FORMAT_VERSION, PartitionCount, PartitionFieldInfo,
    PartitionSpecInfo, Partitioning, ProfileComparison, ProfileIdentity, ProfileMode, Sampling, SamplingReport,
    Severity, SkippedCheck, SourceInfo, SourceKind, TableProfile,
};
use profiler_engine::{ProfileOptions, TableProfiler};
use profiler_store::{DatabaseConfig, JobRecord, RunKey, RunOutcome, RunStatus, Store};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

/// The server's URL (superuser), from scripts/test.sh.
pub fn server_url() -> String {
    std::env::var("PROFILER_TEST_DATABASE_URL")
        .expect("PROFILER_TEST_DATABASE_URL is not set: run scripts/test.sh, which starts a Postgres for the tests")
}

/// A new, empty database on the test server; returns its settings.
pub async fn fresh_database() -> DatabaseConfig {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!("store_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut admin = PgConnection::connect(&server_url()).await.expect("connect to the test server");
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    DatabaseConfig::from_url(&server_url()).unwrap().with_database(&name)
}

/// A migrated store in a fresh database (connected as the superuser, the schema's owner).
pub async fn migrated_store() -> (Store, DatabaseConfig) {
    let config = fresh_database().await;
    let store = Store::connect(&config).await.unwrap();
    store.migrate().await.unwrap();
    (store, config)
}

/// A job record in `namespace`.
pub fn job(namespace: &str, name: &str) -> JobRecord {
    JobRecord {
        uid: Uuid::new_v4(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        spec: serde_json::json!({"source": {"iceberg": {"table": "db.orders"}}, "sampling": {"method": "full"}}),
        phase: JobPhase::Running,
        message: None,
        created_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
        completed_at: None,
    }
}

/// Records `job`, starts attempt 1 and writes `profile` for it.
pub async fn store_profile(store: &Store, job: &JobRecord, profile: &TableProfile) -> RunKey {
    store.record_job(job).await.unwrap();
    let run = RunKey { job_uid: job.uid, attempt: 1 };
    store.start_run(run, None, Utc::now()).await.unwrap();
    store.write_profile(run, profile).await.unwrap();
    run
}

/// A table profile of many column types (numbers with NaN and infinities, decimals, strings with
/// empties and unicode, binary, booleans, dates, timestamps, lists, a struct, an all-null column)
/// computed by the real engine; every column but the all-null one has a field id (1, 2, ...), and
/// the decimal column `price` its exact figures.
pub fn engine_profile(location: &str, started_at: &str) -> TableProfile {
    let rows = 300usize;
    let city = Field::new("city", DataType::Utf8, true);
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("amount", DataType::Float64, true),
        Field::new("price", DataType::Decimal128(12, 2), true),
        Field::new("word", DataType::Utf8, true),
        Field::new("payload", DataType::Binary, true),
        Field::new("flag", DataType::Boolean, true),
        Field::new("day", DataType::Date32, true),
        Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new("tags", DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))), true),
        Field::new("address", DataType::Struct(Fields::from(vec![city.clone()])), true),
        Field::new("nothing", DataType::Int32, true),
    ]));
    let words = ["alpha", "", "ünïcødé ✓", "42", "2024-02-29", "x@y.org"];
    let mut tags = ListBuilder::new(StringBuilder::new());
    let mut address = StructBuilder::from_fields(vec![city], rows);
    for i in 0..rows {
        if i % 10 == 0 {
            tags.append_null();
        } else {
            for t in 0..(i % 4) {
                tags.values().append_value(format!("t{t}"));
            }
            tags.append(true);
        }
        let city_builder = address.field_builder::<StringBuilder>(0).unwrap();
        if i % 9 == 0 {
            city_builder.append_null();
            address.append(false);
        } else {
            city_builder.append_value(["Oslo", "Lima", "Pune"][i % 3]);
            address.append(true);
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values((0..rows as i64).map(|i| i * 7 - 500))),
        Arc::new(Float64Array::from_iter((0..rows).map(|i| match i % 50 {
            0 => None,
            1 => Some(f64::NAN),
            2 => Some(f64::INFINITY),
            3 => Some(0.0),
            _ => Some(i as f64 * 1.25 - 40.0),
        }))),
        Arc::new(
            Decimal128Array::from_iter((0..rows).map(|i| (i % 7 != 0).then_some(i as i128 * 101)))
                .with_precision_and_scale(12, 2)
                .unwrap(),
        ),
        Arc::new(StringArray::from_iter((0..rows).map(|i| (i % 13 != 0).then(|| words[i % words.len()])))),
        Arc::new(BinaryArray::from_iter((0..rows).map(|i| (i % 5 != 0).then(|| vec![i as u8, 0xff])))),
        Arc::new(BooleanArray::from_iter((0..rows).map(|i| (i % 6 != 0).then_some(i % 3 == 0)))),
        Arc::new(Date32Array::from_iter((0..rows).map(|i| (i % 8 != 0).then_some(19_000 + i as i32)))),
        Arc::new(
            TimestampMicrosecondArray::from_iter(
                (0..rows).map(|i| (i % 11 != 0).then_some(1_700_000_000_000_000 + i as i64 * 3_600_000_000)),
            )
            .with_timezone("UTC"),
        ),
        Arc::new(tags.finish()),
        Arc::new(address.finish()),
        Arc::new(Int32Array::from(vec![None::<i32>; rows])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut profiler = TableProfiler::new(&schema, &ProfileOptions::default()).unwrap();
    profiler.update(&batch).unwrap();
    let mut columns = profiler.finish();
    for (i, column) in columns.iter_mut().enumerate() {
        column.field_id = (column.name != "nothing").then_some(i as i32 + 1);
    }
    // price: i * 1.01 for i not a multiple of 7, as DECIMAL(12, 2).
    let cents: Vec<i128> = (0..rows).filter(|i| i % 7 != 0).map(|i| i as i128 * 101).collect();
    let text = |c: i128| format!("{}.{:02}", c / 100, c % 100);
    let price = columns.iter_mut().find(|c| c.name == "price").expect("the price column");
    price.numeric.as_mut().expect("price is numeric").decimal = Some(DecimalStats {
        precision: 12,
        scale: 2,
        min: cents.iter().min().copied().map(text),
        max: cents.iter().max().copied().map(text),
        sum: text(cents.iter().sum()),
        sum_exceeds_38_digits: false,
    });
    let mut profile = TableProfile {
        format_version: PROFILE_FORMAT_VERSION,
        profiler_version: "test".into(),
        source: SourceInfo {
            kind: SourceKind::Parquet,
            location: location.into(),
            files: 2,
            snapshot_id: None,
            iceberg: None,
        },
        mode: ProfileMode::Scan,
        sampling: SamplingReport {
            sampling: Sampling::Reservoir { size: 1_000, seed: u64::MAX - 3 },
            rows_read: rows as u64,
            rows_profiled: rows as u64,
        },
        row_count: rows as u64,
        column_count: columns.len() as u64,
        bytes_scanned: Some(123_456),
        started_at: started_at.into(),
        duration_ms: 42,
        alerts: vec![],
        columns,
    };
    profile.alerts = profiler_engine::alerts(&profile);
    profile
}

/// A numeric column of two values with exact decimal figures as given (no distribution).
pub fn decimal_column(name: &str, field_id: i32, decimal: DecimalStats) -> ColumnProfile {
    let parse = |v: &Option<String>| v.as_deref().map(|v| v.parse::<f64>().unwrap());
    let (min, max) = (parse(&decimal.min), parse(&decimal.max));
    let sum: f64 = decimal.sum.parse().unwrap();
    let n = u64::from(min.is_some()) + u64::from(max.is_some());
    let data_type = format!("Decimal128({}, {})", decimal.precision, decimal.scale);
    let mut column = ColumnProfile::with_counts(name.into(), data_type, ColumnKind::Numeric, 3, 3 - n);
    column.numeric = Some(NumericStats {
        min,
        max,
        sum,
        mean: (n > 0).then(|| sum / n as f64),
        variance: (n > 0).then_some(1.0e32),
        stddev: (n > 0).then_some(1.0e16),
        zeros: 0,
        negatives: u64::from(min.is_some_and(|m| m < 0.0)),
        nan: 0,
        positive_infinity: 0,
        negative_infinity: 0,
        moments: Moments { n, mean: if n > 0 { sum / n as f64 } else { 0.0 }, m2: 2.0e32, sum },
        distribution: None,
        decimal: Some(decimal),
    });
    column.field_id = Some(field_id);
    column
}

/// Decimal columns at the edges: DECIMAL(18, 2)'s extremes with a 41-digit sum, trailing zeros at
/// scale 10, a negative scale, and a column with no value (no min or max, a zero sum).
pub fn extreme_decimal_columns() -> Vec<ColumnProfile> {
    let decimal =
        |precision: u8, scale: i8, min: Option<&str>, max: Option<&str>, sum: &str, exceeds: bool| DecimalStats {
            precision,
            scale,
            min: min.map(str::to_owned),
            max: max.map(str::to_owned),
            sum: sum.to_owned(),
            sum_exceeds_38_digits: exceeds,
        };
    vec![
        decimal_column(
            "balance",
            101,
            decimal(
                18,
                2,
                Some("-9999999999999999.99"),
                Some("9999999999999999.99"),
                "123456789012345678901234567890123456789.50",
                true,
            ),
        ),
        decimal_column(
            "rate",
            102,
            decimal(38, 10, Some("0.0000000000"), Some("10.5000000000"), "10.5000000000", false),
        ),
        decimal_column("rounded", 103, decimal(5, -2, Some("-12300"), Some("9900000"), "9887700", false)),
        decimal_column("empty_amount", 104, decimal(10, 2, None, None, "0.00", false)),
    ]
}

/// The Iceberg read info of [`iceberg_profile`]: schema 3, two delete files, three partition specs
/// (unpartitioned, day + bucket, identity on a dropped column), six partitions with null values.
pub fn iceberg_read_info() -> IcebergReadInfo {
    let field = |name: &str, source_column: &str, source_field_id: i32, transform: &str| PartitionFieldInfo {
        name: name.into(),
        source_column: source_column.into(),
        source_field_id,
        transform: transform.into(),
    };
    let values = |pairs: &[(&str, Option<&str>)]| -> BTreeMap<String, Option<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.map(str::to_owned))).collect()
    };
    let count = |spec_id: i32, pairs: &[(&str, Option<&str>)], rows: u64, data_files: u64, delete_files: u64| {
        PartitionCount { spec_id, values: values(pairs), rows, data_files, delete_files }
    };
    IcebergReadInfo {
        schema_id: 3,
        delete_files: 2,
        partitioning: Some(Partitioning {
            default_spec_id: 2,
            specs: vec![
                PartitionSpecInfo { spec_id: 0, fields: Vec::new() },
                PartitionSpecInfo {
                    spec_id: 1,
                    fields: vec![field("ts_day", "ts", 8, "day"), field("id_bucket", "id", 1, "bucket[16]")],
                },
                PartitionSpecInfo { spec_id: 2, fields: vec![field("region", "", 42, "identity")] },
            ],
            partition_count: 6,
            partitions: vec![
                count(0, &[], 10, 1, 0),
                count(1, &[("id_bucket", Some("3")), ("ts_day", Some("2023-11-14"))], 120, 2, 1),
                count(1, &[("id_bucket", None), ("ts_day", Some("2023-11-15"))], 50, 1, 0),
                count(1, &[("id_bucket", Some("15")), ("ts_day", None)], 0, 1, 1),
                count(2, &[("region", Some("ünïcødé ✓ \"quoted\" {}"))], i64::MAX as u64, 7, 0),
                count(2, &[("region", None)], 1, 1, 0),
            ],
            partitions_truncated: false,
        }),
        incremental: None,
    }
}

/// A scanned Iceberg table: the engine's columns of [`engine_profile`] plus
/// [`extreme_decimal_columns`], with [`iceberg_read_info`].
pub fn iceberg_profile(location: &str, started_at: &str) -> TableProfile {
    let mut profile = engine_profile(location, started_at);
    profile.source.kind = SourceKind::Iceberg;
    profile.source.snapshot_id = Some(7_654_321_987_654_321);
    profile.source.iceberg = Some(iceberg_read_info());
    profile.columns.extend(extreme_decimal_columns());
    profile.column_count = profile.columns.len() as u64;
    profile.alerts = profiler_engine::alerts(&profile);
    profile
}

/// A metadata-mode profile of an Iceberg table, as the manifests describe it.
pub fn metadata_profile(location: &str) -> TableProfile {
    let mut id = ColumnProfile::with_counts("id".into(), "Int64".into(), ColumnKind::Numeric, 1000, 0);
    id.field_id = Some(1);
    id.min = Some("1".into());
    id.max = Some("1000".into());
    id.metadata =
        Some(MetadataStats { files_with_stats: 3, files: 3, nan_count: None, bounds_may_be_truncated: false });
    let mut name = ColumnProfile::with_counts("name".into(), "Utf8".into(), ColumnKind::String, 1000, 12);
    name.min = Some("aa".into());
    name.metadata =
        Some(MetadataStats { files_with_stats: 2, files: 3, nan_count: Some(0), bounds_may_be_truncated: true });
    let mut profile = TableProfile {
        format_version: PROFILE_FORMAT_VERSION,
        profiler_version: "test".into(),
        source: SourceInfo {
            kind: SourceKind::Iceberg,
            location: location.into(),
            files: 3,
            snapshot_id: Some(-42),
            iceberg: Some(IcebergReadInfo { schema_id: 0, delete_files: 0, partitioning: None, incremental: None }),
        },
        mode: ProfileMode::Metadata,
        sampling: SamplingReport { sampling: Sampling::Full, rows_read: 0, rows_profiled: 1000 },
        row_count: 1000,
        column_count: 2,
        bytes_scanned: Some(0),
        started_at: "2026-11-02T10:00:00.000Z".into(),
        duration_ms: 3,
        alerts: vec![],
        columns: vec![id, name],
    };
    profile.alerts = profiler_engine::alerts(&profile);
    profile
}

/// Rows in each profile table, for checking that nothing was duplicated or left behind.
pub async fn row_counts(store: &Store) -> Vec<(String, i64)> {
    let mut counts = Vec::new();
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from profiler.{table}"))
            .fetch_one(store.pool())
            .await
            .unwrap();
        counts.push((table.to_string(), n));
    }
    counts
}

/// Every table of the profile store.
pub const TABLES: [&str; 12] = [
    "profile_jobs",
    "profile_runs",
    "table_profiles",
    "column_profiles",
    "column_quantiles",
    "column_histograms",
    "column_frequencies",
    "column_sketches",
    "partition_counts",
    "profile_comparisons",
    "comparison_findings",
    "profile_alerts",
];

/// Records `job` (if new), starts its attempt `attempt` at `started_at`, writes `profile` and
/// finishes the run as Succeeded.
pub async fn store_succeeded_run(store: &Store, job: &JobRecord, attempt: u32, profile: &TableProfile) -> RunKey {
    store.record_job(job).await.unwrap();
    let run = RunKey { job_uid: job.uid, attempt };
    let started_at = chrono::DateTime::parse_from_rfc3339(&profile.started_at).unwrap().with_timezone(&Utc);
    store.start_run(run, None, started_at).await.unwrap();
    store.write_profile(run, profile).await.unwrap();
    let outcome = RunOutcome {
        status: RunStatus::Succeeded,
        finished_at: started_at + chrono::Duration::seconds(5),
        error: None,
        profile_uri: None,
        report_uri: None,
    };
    store.finish_run(run, &outcome).await.unwrap();
    run
}

/// Which profile a side of a comparison is.
pub fn identity(profile: &TableProfile) -> ProfileIdentity {
    ProfileIdentity {
        kind: profile.source.kind,
        location: profile.source.location.clone(),
        snapshot_id: profile.source.snapshot_id,
        started_at: profile.started_at.clone(),
        row_count: profile.row_count,
        format_version: profile.format_version,
        mode: profile.mode,
        sampling: profile.sampling.sampling,
    }
}

/// A finding as the engine would write it.
pub fn finding(kind: FindingKind, severity: Severity, column: Option<ColumnRef>, message: &str) -> Finding {
    Finding {
        kind,
        severity,
        column,
        detail: None,
        a: None,
        b: None,
        statistic: None,
        threshold: None,
        message: message.to_owned(),
    }
}

/// A column as a comparison names it.
pub fn column_ref(name: &str, field_id: Option<i32>, previous_name: Option<&str>) -> ColumnRef {
    ColumnRef { name: name.to_owned(), field_id, previous_name: previous_name.map(str::to_owned) }
}

/// The comparison of `b` against `a` with `findings`, their summary, some per-column figures, a
/// skipped check and notes (built by hand, as the engine would).
pub fn comparison_with(a: &TableProfile, b: &TableProfile, findings: Vec<Finding>) -> ProfileComparison {
    let column = |name: &str, field_id, matched_by, kind_a, kind_b, statistics| ColumnComparison {
        column: column_ref(name, field_id, None),
        matched_by,
        kind_a,
        kind_b,
        data_type_a: kind_a.map(|_| "Float64".to_owned()),
        data_type_b: kind_b.map(|_| "Float64".to_owned()),
        statistics,
    };
    let numeric = Some(ColumnKind::Numeric);
    ProfileComparison {
        format_version: COMPARISON_FORMAT_VERSION,
        profiler_version: "test".into(),
        a: identity(a),
        b: identity(b),
        thresholds: DriftThresholds { ks_warning: 0.05, column_added: Severity::Warning, ..DriftThresholds::default() },
        summary: DriftSummary::of(&findings, MAX_DRIFTED_COLUMNS),
        findings,
        columns: vec![
            column(
                "amount",
                Some(2),
                ColumnMatch::FieldId,
                numeric,
                numeric,
                ColumnStatistics {
                    null_fraction_a: Some(0.02),
                    null_fraction_b: Some(0.12),
                    distinct_a: Some(281.0),
                    distinct_b: Some(290.5),
                    distinct_intervals_overlap: Some(true),
                    mean_shift: Some(0.30000000000000004),
                    stddev_change: Some(0.0),
                    quantile_shift: Some(1e-7),
                    ks: Some(0.125),
                    psi: Some(2.5e-17),
                    content_type_distance: None,
                },
            ),
            column("id", None, ColumnMatch::Name, numeric, numeric, ColumnStatistics::default()),
            column("extra", Some(40), ColumnMatch::Added, None, numeric, ColumnStatistics::default()),
            column("legacy", Some(12), ColumnMatch::Removed, numeric, None, ColumnStatistics::default()),
        ],
        skipped: vec![
            SkippedCheck {
                check: FindingKind::KsDistance,
                columns: vec!["word".into(), "ünïcødé ✓".into()],
                reason: "A is a sample without KLL sketches".into(),
            },
            SkippedCheck { check: FindingKind::RowCountChanged, columns: Vec::new(), reason: "sampled".into() },
        ],
        notes: vec!["A and B are reservoir samples of 1000 rows".into(), "\"quoted\" ✓".into()],
    }
}

/// Findings of every severity: table-level and per column, a removed column, a renamed column
/// (with its previous name), a type change, statistics with thresholds, text and number figures,
/// details, and numbers at the edges of f64.
pub fn all_kinds_of_findings() -> Vec<Finding> {
    let mut row_count = finding(FindingKind::RowCountChanged, Severity::Critical, None, "rows fell by 95%");
    row_count.a = Some(Figure::Number(300.0));
    row_count.b = Some(Figure::Number(15.0));
    row_count.statistic = Some(-0.95);
    row_count.threshold = Some(0.9);
    let mut removed = finding(
        FindingKind::ColumnRemoved,
        Severity::Critical,
        Some(column_ref("legacy", Some(12), None)),
        "column legacy was removed",
    );
    removed.a = Some(Figure::Text("Int64".into()));
    let mut retyped = finding(
        FindingKind::TypeChanged,
        Severity::Critical,
        Some(column_ref("amount", Some(2), None)),
        "amount changed type",
    );
    retyped.a = Some(Figure::Text("Float64".into()));
    retyped.b = Some(Figure::Text("Decimal128(12, 2)".into()));
    let mut nulls = finding(
        FindingKind::NullFractionChanged,
        Severity::Warning,
        Some(column_ref("amount", Some(2), None)),
        "amount: nulls 2% -> 12%",
    );
    nulls.a = Some(Figure::Number(0.02));
    nulls.b = Some(Figure::Number(0.12));
    nulls.statistic = Some(0.09999999999999999);
    nulls.threshold = Some(0.05);
    let mut quantile = finding(
        FindingKind::QuantileShifted,
        Severity::Warning,
        Some(column_ref("price", Some(3), None)),
        "price: p95 moved",
    );
    quantile.detail = Some("p95".into());
    quantile.a = Some(Figure::Number(5e-324));
    quantile.b = Some(Figure::Number(1.7976931348623157e308));
    quantile.statistic = Some(0.30000000000000004);
    quantile.threshold = Some(0.35 - 0.05);
    let mut renamed = finding(
        FindingKind::ColumnRenamed,
        Severity::Info,
        Some(column_ref("customer_email", Some(4), Some("email"))),
        "email is now customer_email",
    );
    renamed.a = Some(Figure::Text("email".into()));
    renamed.b = Some(Figure::Text("customer_email".into()));
    let mut appeared = finding(
        FindingKind::TopValueAppeared,
        Severity::Info,
        Some(column_ref("word", Some(5), None)),
        "a new frequent value",
    );
    appeared.detail = Some("ünïcødé ✓ \"quoted\" {}".into());
    appeared.b = Some(Figure::Number(1e-7));
    appeared.statistic = Some(1e-7);
    let added = finding(FindingKind::ColumnAdded, Severity::Info, Some(column_ref("extra", None, None)), "added");
    vec![row_count, removed, retyped, nulls, quantile, renamed, appeared, added]
}
