//! The mapping between the profile document and the rows of the store's tables.
//!
//! Each statistics block of a [`ColumnProfile`] is a group of nullable columns of
//! `column_profiles`; quantiles, histogram bins, top values and sketches are child rows. The
//! Iceberg read info of a [`TableProfile`] is a group of columns of `table_profiles` (the partition
//! specs as JSON) and one `partition_counts` row per listed partition. Unsigned counts are stored
//! as `bigint` (a count beyond 2^63 is refused); seeds are stored bit for bit; exact decimals are
//! `numeric`, written and read as text.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, SecondsFormat, Utc};
use profiler_crds::{
    Alert, BooleanStats, ColumnKind, ColumnProfile, ColumnSketches, ContentType, DecimalStats, DistinctCount,
    Distribution, HistogramBin, IcebergReadInfo, InferredType, ListStats, MetadataStats, Moments, NumericStats,
    PartitionCount, PartitionSpecInfo, Partitioning, ProfileMode, Quantile, Sampling, SamplingReport, SourceInfo,
    SourceKind, TableProfile, TemporalStats, TextStats, ValueCount,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Postgres;
use sqlx::query_builder::Separated;

use crate::error::StoreError;

/// A count as `bigint`.
pub(crate) fn to_i64(value: u64, field: impl FnOnce() -> String) -> Result<i64, StoreError> {
    i64::try_from(value)
        .map_err(|_| StoreError::InvalidValue { field: field(), reason: format!("{value} exceeds 2^63") })
}

/// A stored `bigint` count back as `u64`.
pub(crate) fn to_u64(value: i64, field: impl FnOnce() -> String) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt { field: field(), reason: format!("negative count {value}") })
}

fn opt_i64(value: Option<u64>, field: &str, column: usize) -> Result<Option<i64>, StoreError> {
    value.map(|v| to_i64(v, || format!("columns[{column}].{field}"))).transpose()
}

fn opt_u64(value: Option<i64>, field: &str, column: &str) -> Result<Option<u64>, StoreError> {
    value.map(|v| to_u64(v, || format!("column_profiles.{field} of {column:?}"))).transpose()
}

/// The serde name of a unit enum variant (`numeric`, `iceberg`, `email`, ...).
pub(crate) fn enum_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// A unit enum variant back from its serde name.
pub(crate) fn enum_value<T: DeserializeOwned>(name: &str, field: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|_| StoreError::Corrupt { field: field.to_owned(), reason: format!("unknown value {name:?}") })
}

/// An RFC 3339 timestamp of the document as a `timestamptz`.
pub(crate) fn parse_time(text: &str, field: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| StoreError::InvalidValue {
        field: field.to_owned(),
        reason: format!("{text:?} is not RFC 3339: {e}"),
    })
}

/// A `timestamptz` as the document writes it (UTC, milliseconds).
pub(crate) fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Checks that `text` is decimal text at `scale` in the form Postgres prints a `numeric` (no sign
/// but `-`, no leading zeros, no exponent, no negative zero, `max(scale, 0)` fraction digits), so
/// that it reads back unchanged.
pub(crate) fn decimal_text(text: &str, scale: i8, field: impl FnOnce() -> String) -> Result<String, StoreError> {
    let digits = fraction_digits(scale);
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = all_digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(all_digits)
        && fraction.map_or(0, str::len) == digits;
    let negative_zero = text.starts_with('-') && unsigned.bytes().all(|b| b == b'0' || b == b'.');
    if well_formed && !negative_zero {
        return Ok(text.to_owned());
    }
    Err(StoreError::InvalidValue {
        field: field(),
        reason: format!(
            "{text:?} is not decimal text at scale {scale} (digits, an optional '-', {digits} digits after the point, \
             no leading zeros, no negative zero, e.g. {example:?})",
            example = if digits == 0 { "-12300".to_owned() } else { format!("-10.{}", "5".repeat(digits)) }
        ),
    })
}

/// Digits after the decimal point of decimal text at `scale` (none for a negative scale).
fn fraction_digits(scale: i8) -> usize {
    usize::try_from(scale).unwrap_or(0)
}

/// One row of `table_profiles` (without run_id and namespace, which the writer knows).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TableRow {
    pub table_ref: String,
    pub source_kind: String,
    pub source_files: i64,
    pub snapshot_id: Option<i64>,
    pub mode: String,
    pub sampling_method: String,
    pub sample_size: Option<i64>,
    pub sample_fraction: Option<f64>,
    pub sample_seed: Option<i64>,
    pub rows_read: i64,
    pub rows_profiled: i64,
    pub column_count: i32,
    pub bytes_scanned: Option<i64>,
    pub format_version: i32,
    pub profiler_version: String,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    // How an Iceberg snapshot was read, and its partitioning (partitions are child rows).
    pub iceberg_schema_id: Option<i32>,
    pub iceberg_delete_files: Option<i64>,
    pub partition_default_spec_id: Option<i32>,
    pub partition_specs: Option<serde_json::Value>,
    pub partition_count: Option<i64>,
    pub partitions_truncated: Option<bool>,
}

/// One row of `partition_counts` (without run_id and namespace).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PartitionRow {
    pub position: i32,
    pub spec_id: i32,
    pub partition_values: serde_json::Value,
    pub row_count: i64,
    pub data_files: i64,
    pub delete_files: i64,
}

impl TableRow {
    pub(crate) fn from_profile(p: &TableProfile) -> Result<Self, StoreError> {
        if p.row_count != p.sampling.rows_profiled {
            return Err(StoreError::InvalidValue {
                field: "rowCount".into(),
                reason: format!("{} differs from sampling.rowsProfiled {}", p.row_count, p.sampling.rows_profiled),
            });
        }
        let field = |name: &str| name.to_owned();
        let (method, size, fraction, seed) = match p.sampling.sampling {
            Sampling::Full => ("full", None, None, None),
            Sampling::Reservoir { size, seed } => {
                ("reservoir", Some(to_i64(size, || field("sampling.size"))?), None, Some(seed as i64))
            }
            Sampling::Bernoulli { fraction, seed } => ("bernoulli", None, Some(fraction), Some(seed as i64)),
        };
        let iceberg = p.source.iceberg.as_ref();
        let partitioning = iceberg.and_then(|i| i.partitioning.as_ref());
        Ok(Self {
            table_ref: p.source.location.clone(),
            source_kind: enum_name(&p.source.kind),
            source_files: to_i64(p.source.files, || field("source.files"))?,
            snapshot_id: p.source.snapshot_id,
            mode: enum_name(&p.mode),
            sampling_method: method.to_owned(),
            sample_size: size,
            sample_fraction: fraction,
            sample_seed: seed,
            rows_read: to_i64(p.sampling.rows_read, || field("sampling.rowsRead"))?,
            rows_profiled: to_i64(p.sampling.rows_profiled, || field("sampling.rowsProfiled"))?,
            column_count: i32::try_from(p.column_count).map_err(|_| StoreError::InvalidValue {
                field: field("columnCount"),
                reason: format!("{} columns exceed 2^31", p.column_count),
            })?,
            bytes_scanned: p.bytes_scanned.map(|b| to_i64(b, || field("bytesScanned"))).transpose()?,
            format_version: i32::try_from(p.format_version).map_err(|_| StoreError::InvalidValue {
                field: field("formatVersion"),
                reason: format!("{} exceeds 2^31", p.format_version),
            })?,
            profiler_version: p.profiler_version.clone(),
            started_at: parse_time(&p.started_at, "startedAt")?,
            duration_ms: to_i64(p.duration_ms, || field("durationMs"))?,
            iceberg_schema_id: iceberg.map(|i| i.schema_id),
            iceberg_delete_files: iceberg
                .map(|i| to_i64(i.delete_files, || field("source.iceberg.deleteFiles")))
                .transpose()?,
            partition_default_spec_id: partitioning.map(|p| p.default_spec_id),
            partition_specs: partitioning
                .map(|p| {
                    serde_json::to_value(&p.specs).map_err(|e| StoreError::InvalidValue {
                        field: field("source.iceberg.partitioning.specs"),
                        reason: e.to_string(),
                    })
                })
                .transpose()?,
            partition_count: partitioning
                .map(|p| to_i64(p.partition_count, || field("source.iceberg.partitioning.partitionCount")))
                .transpose()?,
            partitions_truncated: partitioning.map(|p| p.partitions_truncated),
        })
    }

    /// The rebuilt document. `partitions` are the run's `partition_counts` rows in position order,
    /// `alerts` the run's alerts in document order.
    pub(crate) fn into_profile(
        self,
        columns: Vec<ColumnProfile>,
        partitions: Vec<PartitionRow>,
        alerts: Vec<Alert>,
    ) -> Result<TableProfile, StoreError> {
        let field = |name: &str| format!("table_profiles.{name}");
        let seed = || {
            self.sample_seed.map(|s| s as u64).ok_or_else(|| StoreError::Corrupt {
                field: field("sample_seed"),
                reason: "missing for a sampled run".into(),
            })
        };
        let sampling = match self.sampling_method.as_str() {
            "full" => Sampling::Full,
            "reservoir" => Sampling::Reservoir {
                size: to_u64(self.sample_size.unwrap_or(-1), || field("sample_size"))?,
                seed: seed()?,
            },
            "bernoulli" => Sampling::Bernoulli {
                fraction: self.sample_fraction.ok_or_else(|| StoreError::Corrupt {
                    field: field("sample_fraction"),
                    reason: "missing for a Bernoulli sample".into(),
                })?,
                seed: seed()?,
            },
            other => {
                return Err(StoreError::Corrupt {
                    field: field("sampling_method"),
                    reason: format!("unknown {other:?}"),
                });
            }
        };
        let rows_profiled = to_u64(self.rows_profiled, || field("rows_profiled"))?;
        let partitioning = match (
            self.partition_default_spec_id,
            self.partition_specs,
            self.partition_count,
            self.partitions_truncated,
        ) {
            (Some(default_spec_id), Some(specs), Some(partition_count), Some(partitions_truncated)) => {
                let specs = serde_json::from_value::<Vec<PartitionSpecInfo>>(specs)
                    .map_err(|e| StoreError::Corrupt { field: field("partition_specs"), reason: e.to_string() })?;
                let partitions = partitions.into_iter().map(PartitionRow::into_count).collect::<Result<_, _>>()?;
                Some(Partitioning {
                    default_spec_id,
                    specs,
                    partition_count: to_u64(partition_count, || field("partition_count"))?,
                    partitions,
                    partitions_truncated,
                })
            }
            _ if !partitions.is_empty() => {
                return Err(StoreError::Corrupt {
                    field: "partition_counts".into(),
                    reason: format!("{} partitions of a table without partitioning", partitions.len()),
                });
            }
            _ => None,
        };
        let iceberg = match (self.iceberg_schema_id, self.iceberg_delete_files) {
            (Some(schema_id), Some(delete_files)) => Some(IcebergReadInfo {
                schema_id,
                delete_files: to_u64(delete_files, || field("iceberg_delete_files"))?,
                partitioning,
                incremental: None,
            }),
            _ if partitioning.is_some() => {
                return Err(StoreError::Corrupt {
                    field: field("iceberg_schema_id"),
                    reason: "missing for a partitioned Iceberg table".into(),
                });
            }
            _ => None,
        };
        Ok(TableProfile {
            format_version: self.format_version as u32,
            profiler_version: self.profiler_version,
            source: SourceInfo {
                kind: enum_value::<SourceKind>(&self.source_kind, "table_profiles.source_kind")?,
                location: self.table_ref,
                files: to_u64(self.source_files, || field("source_files"))?,
                snapshot_id: self.snapshot_id,
                iceberg,
            },
            mode: enum_value::<ProfileMode>(&self.mode, "table_profiles.mode")?,
            sampling: SamplingReport {
                sampling,
                rows_read: to_u64(self.rows_read, || field("rows_read"))?,
                rows_profiled,
            },
            row_count: rows_profiled,
            column_count: self.column_count.max(0) as u64,
            bytes_scanned: self.bytes_scanned.map(|b| to_u64(b, || field("bytes_scanned"))).transpose()?,
            started_at: format_time(self.started_at),
            duration_ms: to_u64(self.duration_ms, || field("duration_ms"))?,
            alerts,
            columns,
        })
    }
}

/// The `partition_counts` rows of a profile, in the document's order.
pub(crate) fn partition_rows(p: &TableProfile) -> Result<Vec<PartitionRow>, StoreError> {
    let Some(partitioning) = p.source.iceberg.as_ref().and_then(|i| i.partitioning.as_ref()) else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::with_capacity(partitioning.partitions.len());
    for (index, c) in partitioning.partitions.iter().enumerate() {
        let field = |name: &str| format!("source.iceberg.partitioning.partitions[{index}].{name}");
        rows.push(PartitionRow {
            position: i32::try_from(index).map_err(|_| StoreError::InvalidValue {
                field: "source.iceberg.partitioning.partitions".into(),
                reason: "more than 2^31 partitions".into(),
            })?,
            spec_id: c.spec_id,
            partition_values: serde_json::to_value(&c.values)
                .map_err(|e| StoreError::InvalidValue { field: field("values"), reason: e.to_string() })?,
            row_count: to_i64(c.rows, || field("rows"))?,
            data_files: to_i64(c.data_files, || field("dataFiles"))?,
            delete_files: to_i64(c.delete_files, || field("deleteFiles"))?,
        });
    }
    Ok(rows)
}

impl PartitionRow {
    fn into_count(self) -> Result<PartitionCount, StoreError> {
        let position = self.position;
        let field = |name: &str| format!("partition_counts.{name} at position {position}");
        Ok(PartitionCount {
            spec_id: self.spec_id,
            values: serde_json::from_value::<BTreeMap<String, Option<String>>>(self.partition_values)
                .map_err(|e| StoreError::Corrupt { field: field("partition_values"), reason: e.to_string() })?,
            rows: to_u64(self.row_count, || field("row_count"))?,
            data_files: to_u64(self.data_files, || field("data_files"))?,
            delete_files: to_u64(self.delete_files, || field("delete_files"))?,
        })
    }
}

/// Declares [`ColumnRow`], one line per column of `column_profiles` (the field is named as the
/// SQL column), and derives from that one list the writer's [`COLUMN_FIELDS`] and
/// [`ColumnRow::bind`] and the reader's [`COLUMN_SELECT`]. A column whose SQL type has no Rust
/// counterpart here (`numeric`) is a `String` marked `as "numeric"`: written as text cast to that
/// type, read back cast to text. Adding a metric: a column in a migration, a line here, and its
/// mapping in [`column_rows`] and [`column_profile`].
macro_rules! column_row {
    (@select $field:ident) => {
        stringify!($field)
    };
    (@select $field:ident $sql:literal) => {
        concat!(stringify!($field), "::text as ", stringify!($field))
    };
    (@cast $b:ident) => {};
    (@cast $b:ident $sql:literal) => {
        $b.push_unseparated(concat!("::", $sql));
    };
    ($($field:ident: $ty:ty $(as $sql:literal)?,)*) => {
        /// One row of `column_profiles` (without run_id and namespace).
        #[derive(Debug, Clone, Default, sqlx::FromRow)]
        pub(crate) struct ColumnRow {
            $(pub $field: $ty,)*
        }

        /// The columns of `column_profiles` the writer fills, in [`ColumnRow::bind`] order.
        pub(crate) const COLUMN_FIELDS: &[&str] = &["run_id", "namespace", $(stringify!($field)),*];

        /// The select list that reads a [`ColumnRow`] (with run_id and namespace).
        pub(crate) const COLUMN_SELECT: &[&str] =
            &["run_id", "namespace", $(column_row!(@select $field $($sql)?)),*];

        impl ColumnRow {
            /// Binds the row's values (after run_id and namespace) in [`COLUMN_FIELDS`] order.
            pub(crate) fn bind<'q>(&'q self, b: &mut Separated<'_, 'q, Postgres, &'static str>) {
                $(
                    b.push_bind(&self.$field);
                    column_row!(@cast b $($sql)?);
                )*
            }
        }
    };
}

column_row! {
    ordinal: i32,
    name: String,
    data_type: String,
    kind: String,
    row_count: i64,
    non_null: i64,
    nulls: i64,
    null_fraction: f64,
    min_value: Option<String>,
    max_value: Option<String>,
    // distinct (HyperLogLog)
    distinct_estimate: Option<f64>,
    distinct_lower: Option<f64>,
    distinct_upper: Option<f64>,
    distinct_rse: Option<f64>,
    distinct_exact: Option<bool>,
    // numeric
    num_min: Option<f64>,
    num_max: Option<f64>,
    num_sum: Option<f64>,
    num_mean: Option<f64>,
    num_variance: Option<f64>,
    num_stddev: Option<f64>,
    zeros: Option<i64>,
    negatives: Option<i64>,
    nan_count: Option<i64>,
    positive_infinity: Option<i64>,
    negative_infinity: Option<i64>,
    moments_n: Option<i64>,
    moments_mean: Option<f64>,
    moments_m2: Option<f64>,
    moments_sum: Option<f64>,
    // temporal
    temporal_unit: Option<String>,
    temporal_timezone: Option<String>,
    min_raw: Option<i64>,
    max_raw: Option<i64>,
    // distribution of numeric and temporal columns (quantiles and bins are child rows)
    rank_error: Option<f64>,
    histogram_exact: Option<bool>,
    // strings and binary
    min_length: Option<i64>,
    max_length: Option<i64>,
    mean_length: Option<f64>,
    total_length: Option<i64>,
    empty_count: Option<i64>,
    top_values_max_error: Option<i64>,
    content_type: Option<String>,
    content_fraction: Option<f64>,
    content_counts: Option<serde_json::Value>,
    // booleans
    true_count: Option<i64>,
    false_count: Option<i64>,
    // lists
    list_min_length: Option<i64>,
    list_max_length: Option<i64>,
    list_mean_length: Option<f64>,
    list_total_length: Option<i64>,
    list_empty: Option<i64>,
    // Iceberg manifest figures (metadata mode)
    meta_files_with_stats: Option<i64>,
    meta_files: Option<i64>,
    meta_nan_count: Option<i64>,
    meta_bounds_may_be_truncated: Option<bool>,
    // Iceberg field id (stable across renames)
    field_id: Option<i32>,
    // exact figures of decimal columns
    decimal_precision: Option<i16>,
    decimal_scale: Option<i16>,
    decimal_min: Option<String> as "numeric",
    decimal_max: Option<String> as "numeric",
    decimal_sum: Option<String> as "numeric",
    decimal_sum_exceeds_38_digits: Option<bool>,
}

/// Child rows of one column: quantiles, histogram bins, top values and sketches.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnChildren {
    pub quantiles: Vec<QuantileRow>,
    pub bins: Vec<BinRow>,
    pub frequencies: Vec<FrequencyRow>,
    pub sketches: Vec<SketchRow>,
}

/// One row of `column_quantiles`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct QuantileRow {
    pub ordinal: i32,
    pub rank: f64,
    pub value: f64,
    pub label: String,
}

/// One row of `column_histograms`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct BinRow {
    pub ordinal: i32,
    pub bin: i32,
    pub lower: f64,
    pub upper: f64,
    pub count: i64,
}

/// One row of `column_frequencies`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct FrequencyRow {
    pub ordinal: i32,
    pub rank: i32,
    pub value: String,
    pub count: i64,
}

/// One row of `column_sketches`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SketchRow {
    pub ordinal: i32,
    pub kind: String,
    pub image: Vec<u8>,
}

/// Splits a column profile into its row and child rows.
pub(crate) fn column_rows(index: usize, c: &ColumnProfile) -> Result<(ColumnRow, ColumnChildren), StoreError> {
    let ordinal = i32::try_from(index)
        .map_err(|_| StoreError::InvalidValue { field: "columns".into(), reason: "more than 2^31 columns".into() })?;
    let count = |v: u64, name: &str| to_i64(v, || format!("columns[{index}].{name}"));
    let mut row = ColumnRow {
        ordinal,
        name: c.name.clone(),
        field_id: c.field_id,
        data_type: c.data_type.clone(),
        kind: enum_name(&c.kind),
        row_count: count(c.count, "count")?,
        non_null: count(c.non_null, "nonNull")?,
        nulls: count(c.nulls, "nulls")?,
        null_fraction: c.null_fraction,
        min_value: c.min.clone(),
        max_value: c.max.clone(),
        ..ColumnRow::default()
    };
    let mut children = ColumnChildren::default();
    if let Some(d) = &c.distinct {
        row.distinct_estimate = Some(d.estimate);
        row.distinct_lower = Some(d.lower_bound);
        row.distinct_upper = Some(d.upper_bound);
        row.distinct_rse = Some(d.relative_standard_error);
        row.distinct_exact = Some(d.exact);
    }
    let mut distribution = None;
    if let Some(n) = &c.numeric {
        row.num_min = n.min;
        row.num_max = n.max;
        row.num_sum = Some(n.sum);
        row.num_mean = n.mean;
        row.num_variance = n.variance;
        row.num_stddev = n.stddev;
        row.zeros = Some(count(n.zeros, "numeric.zeros")?);
        row.negatives = Some(count(n.negatives, "numeric.negatives")?);
        row.nan_count = Some(count(n.nan, "numeric.nan")?);
        row.positive_infinity = Some(count(n.positive_infinity, "numeric.positiveInfinity")?);
        row.negative_infinity = Some(count(n.negative_infinity, "numeric.negativeInfinity")?);
        row.moments_n = Some(count(n.moments.n, "numeric.moments.n")?);
        row.moments_mean = Some(n.moments.mean);
        row.moments_m2 = Some(n.moments.m2);
        row.moments_sum = Some(n.moments.sum);
        if let Some(d) = &n.decimal {
            let field = |name: &'static str| move || format!("columns[{index}].numeric.decimal.{name}");
            row.decimal_precision = Some(i16::from(d.precision));
            row.decimal_scale = Some(i16::from(d.scale));
            row.decimal_min = d.min.as_deref().map(|v| decimal_text(v, d.scale, field("min"))).transpose()?;
            row.decimal_max = d.max.as_deref().map(|v| decimal_text(v, d.scale, field("max"))).transpose()?;
            row.decimal_sum = Some(decimal_text(&d.sum, d.scale, field("sum"))?);
            row.decimal_sum_exceeds_38_digits = Some(d.sum_exceeds_38_digits);
        }
        distribution = n.distribution.as_ref();
    }
    if let Some(t) = &c.temporal {
        row.temporal_unit = Some(t.unit.clone());
        row.temporal_timezone = t.timezone.clone();
        row.min_raw = t.min_raw;
        row.max_raw = t.max_raw;
        distribution = distribution.or(t.distribution.as_ref());
    }
    if let Some(d) = distribution {
        row.rank_error = Some(d.rank_error);
        row.histogram_exact = Some(d.histogram_exact);
        children.quantiles = d
            .quantiles
            .iter()
            .map(|q| QuantileRow { ordinal, rank: q.rank, value: q.value, label: q.label.clone() })
            .collect();
        for (bin, b) in d.histogram.iter().enumerate() {
            children.bins.push(BinRow {
                ordinal,
                bin: bin as i32,
                lower: b.lower,
                upper: b.upper,
                count: count(b.count, "histogram.count")?,
            });
        }
    }
    if let Some(t) = &c.text {
        row.min_length = opt_i64(t.min_length, "text.minLength", index)?;
        row.max_length = opt_i64(t.max_length, "text.maxLength", index)?;
        row.mean_length = t.mean_length;
        row.total_length = Some(count(t.total_length, "text.totalLength")?);
        row.empty_count = Some(count(t.empty, "text.empty")?);
        row.top_values_max_error = Some(count(t.top_values_max_error, "text.topValuesMaxError")?);
        if let Some(inferred) = &t.inferred_type {
            row.content_type = Some(enum_name(&inferred.content_type));
            row.content_fraction = Some(inferred.fraction);
            row.content_counts =
                Some(serde_json::to_value(&inferred.counts).map_err(|e| StoreError::InvalidValue {
                    field: format!("columns[{index}].text.inferredType.counts"),
                    reason: e.to_string(),
                })?);
        }
        for (rank, v) in t.top_values.iter().enumerate() {
            children.frequencies.push(FrequencyRow {
                ordinal,
                rank: rank as i32 + 1,
                value: v.value.clone(),
                count: count(v.count, "text.topValues.count")?,
            });
        }
    }
    if let Some(b) = &c.boolean {
        row.true_count = Some(count(b.true_count, "boolean.trueCount")?);
        row.false_count = Some(count(b.false_count, "boolean.falseCount")?);
    }
    if let Some(l) = &c.list {
        row.list_min_length = opt_i64(l.min_length, "list.minLength", index)?;
        row.list_max_length = opt_i64(l.max_length, "list.maxLength", index)?;
        row.list_mean_length = l.mean_length;
        row.list_total_length = Some(count(l.total_length, "list.totalLength")?);
        row.list_empty = Some(count(l.empty, "list.empty")?);
    }
    if let Some(m) = &c.metadata {
        row.meta_files_with_stats = Some(count(m.files_with_stats, "metadata.filesWithStats")?);
        row.meta_files = Some(count(m.files, "metadata.files")?);
        row.meta_nan_count = opt_i64(m.nan_count, "metadata.nanCount", index)?;
        row.meta_bounds_may_be_truncated = Some(m.bounds_may_be_truncated);
    }
    for (kind, image) in
        [("hll", &c.sketches.hll), ("kll", &c.sketches.kll), ("frequentItems", &c.sketches.frequent_items)]
    {
        if let Some(text) = image {
            let image = BASE64.decode(text).map_err(|e| StoreError::InvalidValue {
                field: format!("columns[{index}].sketches.{kind}"),
                reason: format!("not base64: {e}"),
            })?;
            children.sketches.push(SketchRow { ordinal, kind: kind.to_owned(), image });
        }
    }
    Ok((row, children))
}

/// Rebuilds a column profile from its row and child rows.
pub(crate) fn column_profile(row: ColumnRow, children: ColumnChildren) -> Result<ColumnProfile, StoreError> {
    let name = row.name.clone();
    let field = |f: &str| format!("column_profiles.{f} of {name:?}");
    let count = |v: i64, f: &str| to_u64(v, || field(f));
    let kind: ColumnKind = enum_value(&row.kind, &field("kind"))?;
    let mut c = ColumnProfile::with_counts(
        row.name.clone(),
        row.data_type.clone(),
        kind,
        count(row.row_count, "row_count")?,
        count(row.nulls, "nulls")?,
    );
    c.field_id = row.field_id;
    c.non_null = count(row.non_null, "non_null")?;
    c.null_fraction = row.null_fraction;
    c.min = row.min_value;
    c.max = row.max_value;
    if let (Some(estimate), Some(lower_bound), Some(upper_bound), Some(rse), Some(exact)) =
        (row.distinct_estimate, row.distinct_lower, row.distinct_upper, row.distinct_rse, row.distinct_exact)
    {
        c.distinct = Some(DistinctCount { estimate, lower_bound, upper_bound, relative_standard_error: rse, exact });
    }
    let distribution = match row.rank_error {
        Some(rank_error) => {
            let mut histogram = Vec::with_capacity(children.bins.len());
            for b in children.bins {
                histogram.push(HistogramBin { lower: b.lower, upper: b.upper, count: count(b.count, "histogram")? });
            }
            let quantiles = children
                .quantiles
                .into_iter()
                .map(|q| Quantile { rank: q.rank, value: q.value, label: q.label })
                .collect();
            Some(Distribution {
                quantiles,
                histogram,
                rank_error,
                histogram_exact: row.histogram_exact.unwrap_or(false),
            })
        }
        None => None,
    };
    if let (Some(n), Some(mean), Some(m2), Some(sum)) =
        (row.moments_n, row.moments_mean, row.moments_m2, row.moments_sum)
    {
        let required = |v: Option<i64>, f: &str| -> Result<u64, StoreError> {
            count(v.ok_or_else(|| StoreError::Corrupt { field: field(f), reason: "missing".into() })?, f)
        };
        let decimal =
            match (row.decimal_precision, row.decimal_scale, row.decimal_sum, row.decimal_sum_exceeds_38_digits) {
                (Some(precision), Some(scale), Some(sum), Some(sum_exceeds_38_digits)) => Some(DecimalStats {
                    precision: u8::try_from(precision).map_err(|_| StoreError::Corrupt {
                        field: field("decimal_precision"),
                        reason: format!("{precision} is not a precision"),
                    })?,
                    scale: i8::try_from(scale).map_err(|_| StoreError::Corrupt {
                        field: field("decimal_scale"),
                        reason: format!("{scale} is not a scale"),
                    })?,
                    min: row.decimal_min,
                    max: row.decimal_max,
                    sum,
                    sum_exceeds_38_digits,
                }),
                _ => None,
            };
        c.numeric = Some(NumericStats {
            min: row.num_min,
            max: row.num_max,
            sum: row.num_sum.unwrap_or(sum),
            mean: row.num_mean,
            variance: row.num_variance,
            stddev: row.num_stddev,
            zeros: required(row.zeros, "zeros")?,
            negatives: required(row.negatives, "negatives")?,
            nan: required(row.nan_count, "nan_count")?,
            positive_infinity: required(row.positive_infinity, "positive_infinity")?,
            negative_infinity: required(row.negative_infinity, "negative_infinity")?,
            moments: Moments { n: count(n, "moments_n")?, mean, m2, sum },
            distribution: distribution.clone(),
            decimal,
        });
    }
    if let Some(unit) = row.temporal_unit {
        c.temporal = Some(TemporalStats {
            unit,
            timezone: row.temporal_timezone,
            min_raw: row.min_raw,
            max_raw: row.max_raw,
            distribution: if c.numeric.is_none() { distribution } else { None },
        });
    }
    if let (Some(total_length), Some(empty), Some(max_error)) =
        (row.total_length, row.empty_count, row.top_values_max_error)
    {
        let inferred_type = match (row.content_type, row.content_fraction, row.content_counts) {
            (Some(t), Some(fraction), Some(counts)) => Some(InferredType {
                content_type: enum_value::<ContentType>(&t, &field("content_type"))?,
                fraction,
                counts: serde_json::from_value::<BTreeMap<ContentType, u64>>(counts)
                    .map_err(|e| StoreError::Corrupt { field: field("content_counts"), reason: e.to_string() })?,
            }),
            _ => None,
        };
        let mut top_values = Vec::with_capacity(children.frequencies.len());
        for f in children.frequencies {
            top_values.push(ValueCount { value: f.value, count: count(f.count, "frequency")? });
        }
        c.text = Some(TextStats {
            min_length: opt_u64(row.min_length, "min_length", &name)?,
            max_length: opt_u64(row.max_length, "max_length", &name)?,
            mean_length: row.mean_length,
            total_length: count(total_length, "total_length")?,
            empty: count(empty, "empty_count")?,
            top_values,
            top_values_max_error: count(max_error, "top_values_max_error")?,
            inferred_type,
        });
    }
    if let (Some(t), Some(f)) = (row.true_count, row.false_count) {
        c.boolean = Some(BooleanStats { true_count: count(t, "true_count")?, false_count: count(f, "false_count")? });
    }
    if let (Some(total), Some(empty)) = (row.list_total_length, row.list_empty) {
        c.list = Some(ListStats {
            min_length: opt_u64(row.list_min_length, "list_min_length", &name)?,
            max_length: opt_u64(row.list_max_length, "list_max_length", &name)?,
            mean_length: row.list_mean_length,
            total_length: count(total, "list_total_length")?,
            empty: count(empty, "list_empty")?,
        });
    }
    if let (Some(with_stats), Some(files), Some(truncated)) =
        (row.meta_files_with_stats, row.meta_files, row.meta_bounds_may_be_truncated)
    {
        c.metadata = Some(MetadataStats {
            files_with_stats: count(with_stats, "meta_files_with_stats")?,
            files: count(files, "meta_files")?,
            nan_count: opt_u64(row.meta_nan_count, "meta_nan_count", &name)?,
            bounds_may_be_truncated: truncated,
        });
    }
    let mut sketches = ColumnSketches::default();
    for s in children.sketches {
        let slot = match s.kind.as_str() {
            "hll" => &mut sketches.hll,
            "kll" => &mut sketches.kll,
            "frequentItems" => &mut sketches.frequent_items,
            other => {
                return Err(StoreError::Corrupt {
                    field: field("sketches"),
                    reason: format!("unknown kind {other:?}"),
                });
            }
        };
        *slot = Some(BASE64.encode(&s.image));
    }
    c.sketches = sketches;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::{COLUMN_FIELDS, COLUMN_SELECT, decimal_text};

    /// The SQL types of `column_profiles`' columns.
    const TYPES: [&str; 8] = ["bigint", "integer", "smallint", "text", "double", "boolean", "jsonb", "numeric"];

    /// A column's name if `line` declares one (its name then its type; constraints and comments
    /// are not columns).
    fn declared_column(line: &str) -> Option<String> {
        let line = line.trim().strip_prefix("add column if not exists ").unwrap_or(line);
        let mut words = line.split_whitespace();
        let (name, kind) = (words.next()?, words.next()?);
        (!name.starts_with("--") && TYPES.contains(&kind.trim_end_matches([',', ';']))).then(|| name.to_owned())
    }

    /// The columns `create table profiler.column_profiles` and later `alter table` declare in the
    /// migrations.
    fn migration_columns() -> Vec<String> {
        let sql = include_str!("../../migrations/20261125200100_profile_store.sql");
        let body = sql.split("create table if not exists profiler.column_profiles (").nth(1).expect("the table");
        let body = &body[..body.find("\n);").expect("the end of the table")];
        let mut columns: Vec<String> = body.lines().filter_map(declared_column).collect();
        let sql = include_str!("../../migrations/20261202120000_iceberg_layout_and_decimals.sql");
        let body = sql.split("alter table profiler.column_profiles\n").nth(1).expect("the added columns");
        let body = &body[..body.find(';').expect("the end of the statement") + 1];
        columns.extend(body.lines().filter_map(declared_column));
        let sql = include_str!("../../migrations/20261203120000_exact_histograms.sql");
        let body = sql.split("alter table profiler.column_profiles\n").nth(1).expect("the added column");
        columns.extend(body.lines().filter_map(declared_column));
        columns
    }

    #[test]
    fn the_column_row_declares_every_column_of_the_migrations_once() {
        let mut declared: Vec<&str> = COLUMN_FIELDS.to_vec();
        let mut migrated = migration_columns();
        declared.sort_unstable();
        migrated.sort_unstable();
        assert_eq!(declared.len(), 65);
        assert_eq!(declared, migrated);
    }

    #[test]
    fn numeric_columns_are_read_as_text() {
        assert_eq!(COLUMN_SELECT.len(), COLUMN_FIELDS.len());
        assert!(COLUMN_SELECT.contains(&"decimal_sum::text as decimal_sum"));
        assert!(COLUMN_SELECT.contains(&"field_id"));
    }

    #[test]
    fn decimal_text_is_accepted_only_as_postgres_prints_it() {
        let ok =
            |text: &str, scale: i8| decimal_text(text, scale, || "f".into()).map(|_| ()).map_err(|e| e.to_string());
        for (text, scale) in [
            ("9999999999999999.99", 2),
            ("-9999999999999999.99", 2),
            ("0.00", 2),
            ("10.50", 2),
            ("-0.5", 1),
            ("12300", -2),
            ("0", 0),
            ("-7", 0),
            ("123456789012345678901234567890123456789.12", 2),
        ] {
            assert_eq!(ok(text, scale), Ok(()), "{text} at scale {scale}");
        }
        for (text, scale) in [
            ("10.5", 2),
            ("10.500", 2),
            ("10", 2),
            ("010.50", 2),
            ("+10.50", 2),
            ("-0.00", 2),
            ("1e3", 0),
            (".50", 2),
            ("10.", 0),
            ("", 0),
            ("-", 0),
            ("NaN", 0),
            ("1 000", 0),
            ("12300.0", -2),
        ] {
            let err = ok(text, scale).expect_err(text);
            assert!(err.contains("decimal text") && err.contains('f'), "{err}");
        }
    }
}
