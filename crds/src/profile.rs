//! The profile document: what `profile.json` holds.
//!
//! The document is versioned by [`PROFILE_FORMAT_VERSION`]. Every field is documented here and the
//! JSON Schema in `docs/profile.schema.json` is generated from these types (`profiler schema`).
//! Derived figures (mean, quantiles, histogram, top values, distinct estimate) sit next to the
//! mergeable state they come from (moments and serialized sketches), so two profiles of parts of a
//! table can be merged into the profile of the whole.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::alerts::Alert;
use crate::sampling::SamplingReport;

/// Version of the profile document format written by this build.
pub const PROFILE_FORMAT_VERSION: u32 = 1;

/// The profile of one table (or of the sample of it that was read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TableProfile {
    /// Format version of this document; readers reject versions they do not know.
    pub format_version: u32,
    /// Version of the profiler that wrote the document.
    pub profiler_version: String,
    /// What was profiled.
    pub source: SourceInfo,
    /// Whether data files were scanned or only table metadata was read.
    pub mode: ProfileMode,
    /// The sampling applied and the rows read and profiled.
    pub sampling: SamplingReport,
    /// Rows that went into the profile (equals `sampling.rowsProfiled`).
    pub row_count: u64,
    /// Number of profiled columns (nested struct fields count one each).
    pub column_count: u64,
    /// Compressed bytes of the data the run read (Parquet column chunks of the profiled columns,
    /// Iceberg data file ranges; 0 in metadata mode). Absent when the source cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_scanned: Option<u64>,
    /// When the run started, RFC 3339 in UTC.
    pub started_at: String,
    /// Wall-clock duration of the run in milliseconds.
    pub duration_ms: u64,
    /// What the profile shows that is worth a look (constant or mostly null columns, likely keys,
    /// skew, ...), computed from the profile alone; empty in documents written before alerts.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// One entry per profiled column, in schema order; struct fields appear as `parent.child`.
    pub columns: Vec<ColumnProfile>,
}

/// Where the profiled data came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// Kind of source.
    pub kind: SourceKind,
    /// Path, glob, metadata file or catalog identifier as given by the user.
    pub location: String,
    /// Number of data files read (or, in metadata mode, described by the manifests).
    pub files: u64,
    /// Iceberg snapshot that was read, when the source is an Iceberg table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<i64>,
    /// How an Iceberg table was read: the schema, the delete files applied and the partitioning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iceberg: Option<IcebergReadInfo>,
}

/// How an Iceberg snapshot was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IcebergReadInfo {
    /// Id of the schema the columns were read under: the table's current schema for the current
    /// snapshot, the snapshot's own schema for an explicitly requested snapshot (time travel).
    /// Columns are matched to data files by field id, so renamed columns keep their data, columns
    /// added later read as null in older files and promoted types read as the promoted type.
    pub schema_id: i32,
    /// Merge-on-read delete files (position and equality deletes) applied to the scanned data
    /// files, so deleted rows are not counted. 0 in metadata mode, which refuses such snapshots.
    pub delete_files: u64,
    /// Partition specs and per-partition counts from the manifests; absent for an unpartitioned
    /// table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioning: Option<Partitioning>,
    /// How an incremental run (a profile built on an earlier one: `profiler profile --base`,
    /// or a ProfileJob's `incremental: true`) read the snapshot; absent for a plain scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental: Option<IncrementalRead>,
}

/// What an incremental run read: only the data files appended since its base profile's snapshot
/// (merged into the base profile), or the whole snapshot, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncrementalRead {
    /// Snapshot of the base profile; absent when there was no base profile to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_snapshot_id: Option<i64>,
    /// True when only the appended data files were read and merged into the base profile; false
    /// for a full scan of the snapshot.
    pub merged: bool,
    /// Data file ranges read.
    pub files_read: u64,
    /// Why this path was taken (`only appends since snapshot N`, or what broke the chain).
    pub reason: String,
}

/// Partitioning of an Iceberg snapshot, from its manifests (no data file is read for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Partitioning {
    /// The table's default partition spec (the one new data is written with).
    pub default_spec_id: i32,
    /// Every partition spec that live data files of the snapshot were written with, by id; a
    /// table whose spec changed over time lists several.
    pub specs: Vec<PartitionSpecInfo>,
    /// Number of distinct partitions (spec id and partition values).
    pub partition_count: u64,
    /// Rows and files per partition, ordered by spec id then values; at most
    /// [`MAX_REPORTED_PARTITIONS`] entries (see `partitionsTruncated`).
    pub partitions: Vec<PartitionCount>,
    /// Whether `partitions` was cut at [`MAX_REPORTED_PARTITIONS`].
    pub partitions_truncated: bool,
}

/// Most partitions listed in a profile's [`Partitioning::partitions`].
pub const MAX_REPORTED_PARTITIONS: usize = 10_000;

/// One partition spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartitionSpecInfo {
    /// Partition spec id.
    pub spec_id: i32,
    /// Partition fields in order; empty for the unpartitioned spec.
    pub fields: Vec<PartitionFieldInfo>,
}

/// One field of a partition spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartitionFieldInfo {
    /// Partition field name, for example `created_at_day`.
    pub name: String,
    /// Current name of the source column (empty when the column was dropped).
    pub source_column: String,
    /// Field id of the source column.
    pub source_field_id: i32,
    /// Transform as Iceberg writes it: `identity`, `bucket[16]`, `truncate[4]`, `year`,
    /// `month`, `day`, `hour` or `void`.
    pub transform: String,
}

/// Rows and files of one partition, as the manifests record them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartitionCount {
    /// Spec the partition's files were written with.
    pub spec_id: i32,
    /// Partition value per partition field name, rendered as text (dates for `day`, `2024-01`
    /// for `month`, `2024` for `year`, `2024-01-01-05` for `hour`); null for a null value.
    pub values: BTreeMap<String, Option<String>>,
    /// Record count of the partition's live data files (rows removed by delete files are not
    /// subtracted; see `deleteFiles`).
    pub rows: u64,
    /// Live data files.
    pub data_files: u64,
    /// Live delete files of the partition.
    pub delete_files: u64,
}

/// Kind of data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SourceKind {
    /// Apache Parquet files.
    Parquet,
    /// An Apache Iceberg table.
    Iceberg,
    /// A table queried through Amazon Athena.
    Athena,
    /// A table queried through Amazon Redshift.
    Redshift,
}

/// How the profile was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ProfileMode {
    /// Data was read row by row (possibly sampled) and every metric computed.
    Scan,
    /// Only table metadata (Iceberg manifests) was read: row count, null and value counts and
    /// min/max bounds per column; no data file was opened and no other metric is present.
    Metadata,
    /// A SQL engine (Athena, Redshift) computed the metrics by aggregate queries: counts,
    /// approximate distinct counts, min/max, moments, quantiles where the engine gives them, top
    /// values of low-cardinality strings. No sketch images (they cannot be merged).
    Pushdown,
}

/// Broad family of a column's type; decides which statistics block is present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ColumnKind {
    /// Integers, floats and decimals: `numeric` is present.
    Numeric,
    /// Dates, times and timestamps: `temporal` is present.
    Temporal,
    /// UTF-8 strings: `text` is present, with an inferred content type.
    String,
    /// Byte strings: `text` is present (lengths in bytes, values shown as hex).
    Binary,
    /// Booleans: `boolean` is present.
    Boolean,
    /// Lists: `list` is present (profiled by length).
    List,
    /// Any other type (intervals, durations, maps, unions, ...): counts only.
    Other,
}

/// The profile of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ColumnProfile {
    /// Column name; fields of structs are `parent.child`.
    pub name: String,
    /// Iceberg field id of the column (stable across renames), when the source has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_id: Option<i32>,
    /// Arrow data type as written by Arrow, for example `Int64` or `Timestamp(µs, "UTC")`.
    pub data_type: String,
    /// Broad family of the type.
    pub kind: ColumnKind,
    /// Rows seen (null or not).
    pub count: u64,
    /// Rows with a value.
    pub non_null: u64,
    /// Rows without a value (a null struct parent makes its fields null).
    pub nulls: u64,
    /// `nulls / count`, 0 when the column has no rows.
    pub null_fraction: f64,
    /// Smallest value, rendered as text (numbers in decimal, temporal values in ISO 8601,
    /// strings as they are, binary as hex). Absent when there is no non-null value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Largest value, rendered like `min`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Approximate number of distinct non-null values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<DistinctCount>,
    /// Statistics of numeric columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<NumericStats>,
    /// Statistics of temporal columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal: Option<TemporalStats>,
    /// Statistics of string and binary columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextStats>,
    /// Statistics of boolean columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boolean: Option<BooleanStats>,
    /// Statistics of list columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<ListStats>,
    /// Figures that come from table metadata (metadata mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataStats>,
    /// Serialized sketches (Apache DataSketches binary images, base64) so a later run can merge.
    #[serde(default, skip_serializing_if = "ColumnSketches::is_empty")]
    pub sketches: ColumnSketches,
}

impl ColumnProfile {
    /// A profile holding only identity and counts; the statistics blocks are filled by whoever
    /// computed them.
    pub fn with_counts(name: String, data_type: String, kind: ColumnKind, count: u64, nulls: u64) -> Self {
        Self {
            name,
            field_id: None,
            data_type,
            kind,
            count,
            non_null: count.saturating_sub(nulls),
            nulls,
            null_fraction: if count == 0 { 0.0 } else { nulls as f64 / count as f64 },
            min: None,
            max: None,
            distinct: None,
            numeric: None,
            temporal: None,
            text: None,
            boolean: None,
            list: None,
            metadata: None,
            sketches: ColumnSketches::default(),
        }
    }
}

/// Approximate distinct count from a HyperLogLog sketch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DistinctCount {
    /// Best estimate of distinct non-null values.
    pub estimate: f64,
    /// Lower bound at about 95% confidence (two standard deviations).
    pub lower_bound: f64,
    /// Upper bound at about 95% confidence (two standard deviations).
    pub upper_bound: f64,
    /// Relative standard error of the sketch configuration (1.04 / sqrt(2^lgK)).
    pub relative_standard_error: f64,
    /// Whether `estimate` is exact (small cardinalities, booleans).
    pub exact: bool,
}

/// Moments of a numeric stream in a form that merges exactly (Chan et al.).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct Moments {
    /// Finite values counted.
    pub n: u64,
    /// Mean of the finite values.
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
    /// Sum of the finite values.
    pub sum: f64,
}

/// One quantile estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Quantile {
    /// Normalized rank in [0, 1], e.g. 0.95 for p95.
    pub rank: f64,
    /// Value at that rank (for temporal columns: in the column's epoch unit).
    pub value: f64,
    /// The value rendered as text (ISO 8601 for temporal columns).
    pub label: String,
}

/// One histogram bin, `[lower, upper)` except the last which includes `upper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistogramBin {
    /// Lower edge.
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Values in the bin: counted exactly when the distribution's `histogramExact` is true,
    /// else estimated from the quantile sketch (within its rank error).
    pub count: u64,
}

/// Distribution of a numeric or temporal column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    /// p1, p5, p25, p50, p75, p95 and p99 from a KLL sketch.
    pub quantiles: Vec<Quantile>,
    /// Equal-width bins: over [min, max] from the quantile sketch, or, when `histogramExact`,
    /// counted exactly over the bounds the source's statistics gave before the scan.
    pub histogram: Vec<HistogramBin>,
    /// True when every bin's count is exact (numeric columns whose bounds the Parquet or
    /// Iceberg statistics gave before the scan, and that no value exceeded).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub histogram_exact: bool,
    /// Normalized rank error of the quantile sketch (99% confidence).
    pub rank_error: f64,
}

/// Statistics of a numeric column. Computed in f64; NaN and infinities are counted apart and
/// excluded from min, max, moments, quantiles and histogram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NumericStats {
    /// Smallest finite value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest finite value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Sum of finite values.
    pub sum: f64,
    /// Mean of finite values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Population variance of finite values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance: Option<f64>,
    /// Population standard deviation of finite values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stddev: Option<f64>,
    /// Values equal to zero.
    pub zeros: u64,
    /// Values below zero (including negative infinity).
    pub negatives: u64,
    /// NaN values (floats only).
    pub nan: u64,
    /// Positive infinities (floats only).
    pub positive_infinity: u64,
    /// Negative infinities (floats only).
    pub negative_infinity: u64,
    /// Mergeable moments the mean and variance come from.
    pub moments: Moments,
    /// Quantiles and histogram; absent when there is no finite value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Exact minimum, maximum and sum of a decimal column (the f64 figures above are rounded
    /// approximations of them; mean, variance, quantiles and histogram stay f64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal: Option<DecimalStats>,
}

/// Exact figures of a decimal column, as decimal text at the column's scale (for example
/// `9999999999999999.99`), computed in integers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecimalStats {
    /// Declared precision of the column.
    pub precision: u8,
    /// Declared scale of the column (digits after the decimal point).
    pub scale: i8,
    /// Exact smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Exact largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Exact sum of the values, at the column's scale; it may need more than 38 digits.
    pub sum: String,
    /// Whether `sum` has more than 38 digits, so it does not fit a DECIMAL(38) column.
    pub sum_exceeds_38_digits: bool,
}

/// Statistics of a date, time or timestamp column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemporalStats {
    /// Unit of the raw values: `days`, `milliseconds`, `microseconds`, `nanoseconds` or
    /// `seconds`, counted from 1970-01-01T00:00:00 (or from midnight for times).
    pub unit: String,
    /// Time zone of timestamps, when the type carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Smallest raw value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_raw: Option<i64>,
    /// Largest raw value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_raw: Option<i64>,
    /// Quantiles and histogram over the raw values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
}

/// A frequent value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValueCount {
    /// The value (binary values as hex).
    pub value: String,
    /// Estimated occurrences; exact when `topValuesMaxError` is 0.
    pub count: u64,
}

/// Content types recognised in string columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ContentType {
    /// Optional sign and digits.
    Integer,
    /// Optional sign, digits with one decimal point, optional exponent.
    Decimal,
    /// true/false, yes/no, t/f, y/n (any case).
    Boolean,
    /// YYYY-MM-DD.
    Date,
    /// YYYY-MM-DD, then `T` or a space, then hh:mm[:ss[.fraction]] and an optional zone.
    Timestamp,
    /// 8-4-4-4-12 hexadecimal digits.
    Uuid,
    /// local@domain.tld.
    Email,
    /// Anything else, including the empty string.
    Text,
}

/// The content type most non-null strings of a column match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InferredType {
    /// The most frequent content type.
    pub content_type: ContentType,
    /// Fraction of non-null values of that type.
    pub fraction: f64,
    /// Values per content type (mergeable).
    pub counts: BTreeMap<ContentType, u64>,
}

/// Statistics of string and binary columns. Lengths count characters for strings and bytes for
/// binary values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TextStats {
    /// Shortest length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Longest length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Mean length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_length: Option<f64>,
    /// Sum of all lengths (mergeable).
    pub total_length: u64,
    /// Empty values.
    pub empty: u64,
    /// Most frequent values, most frequent first (from a frequent-items sketch).
    pub top_values: Vec<ValueCount>,
    /// Largest possible over-estimate of a `topValues` count; 0 means the counts are exact.
    pub top_values_max_error: u64,
    /// Content type of string columns (absent for binary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred_type: Option<InferredType>,
}

/// Statistics of boolean columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BooleanStats {
    /// `true` values.
    pub true_count: u64,
    /// `false` values.
    pub false_count: u64,
}

/// Statistics of list columns, by list length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListStats {
    /// Shortest list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Longest list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Mean list length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_length: Option<f64>,
    /// Sum of all lengths (mergeable).
    pub total_length: u64,
    /// Empty lists.
    pub empty: u64,
}

/// Figures read from Iceberg manifests in metadata mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetadataStats {
    /// Data files that reported statistics for this column.
    pub files_with_stats: u64,
    /// Data files of the snapshot.
    pub files: u64,
    /// NaN values, when the manifests record them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nan_count: Option<u64>,
    /// Whether min/max come from bounds that writers may truncate (strings, binary): the true
    /// minimum is >= `min` and the true maximum <= `max` only up to the truncated prefix.
    pub bounds_may_be_truncated: bool,
}

/// Serialized sketches, standard Apache DataSketches images in base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct ColumnSketches {
    /// HyperLogLog (HLL_8) of the non-null values' bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hll: Option<String>,
    /// KLL sketch of f64 values (numeric columns, raw temporal values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kll: Option<String>,
    /// Frequent-items sketch of strings (string columns; binary values as hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequent_items: Option<String>,
}

impl ColumnSketches {
    /// True when no sketch is present.
    pub fn is_empty(&self) -> bool {
        self.hll.is_none() && self.kll.is_none() && self.frequent_items.is_none()
    }
}
