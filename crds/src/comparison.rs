//! The comparison of two profiles of one table (drift): what `diff.json` holds.
//!
//! A comparison of profile B against an earlier profile A is computed from the two documents only
//! (counts, moments, quantiles and the sketch images they carry; no data is read again). It lists
//! [`Finding`]s, each graded by a [`Severity`] from [`DriftThresholds`], the per-column figures it
//! computed ([`ColumnComparison`]), the checks it could not run and why ([`SkippedCheck`]), and a
//! [`DriftSummary`], the short form a controller puts into a resource's status.
//!
//! These types hold data only (no engine or Arrow type), so the controller can depend on them.
//! `docs/drift.md` describes every statistic; `docs/diff.schema.json` is generated from these
//! types (`profiler schema --diff`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::profile::{ColumnKind, ProfileMode, SourceKind};
use crate::sampling::Sampling;

/// Version of the comparison document format written by this build.
pub const COMPARISON_FORMAT_VERSION: u32 = 1;

/// Most drifted column names listed in a comparison's summary.
pub const MAX_DRIFTED_COLUMNS: usize = 20;

/// Most drifted column names listed in a summary kept in a Kubernetes status.
pub const MAX_DRIFTED_COLUMNS_IN_STATUS: usize = 10;

/// The comparison of profile B (current) against profile A (baseline) of one table: `diff.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileComparison {
    /// Format version of this document (1); readers reject versions they do not know.
    pub format_version: u32,
    /// Version of the profiler that computed the comparison.
    pub profiler_version: String,
    /// The baseline profile (the earlier one).
    pub a: ProfileIdentity,
    /// The profile compared with the baseline (the later one).
    pub b: ProfileIdentity,
    /// The thresholds the findings were graded with.
    pub thresholds: DriftThresholds,
    /// Findings per severity, the highest severity, the drifted columns (at most
    /// [`MAX_DRIFTED_COLUMNS`] names) and whether there is drift.
    pub summary: DriftSummary,
    /// What changed, most severe first, then by column and kind.
    pub findings: Vec<Finding>,
    /// Every column of either profile with the figures computed for it, matched columns in B's
    /// order, then columns only A has.
    pub columns: Vec<ColumnComparison>,
    /// Checks that could not be run, and why (sampled, metadata or pushdown profiles lack some
    /// figures; columns of different kinds are not compared value by value).
    pub skipped: Vec<SkippedCheck>,
    /// Remarks on the comparison as a whole: different tables, different format versions,
    /// sampled profiles.
    pub notes: Vec<String>,
}

/// Which profile a side of the comparison is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileIdentity {
    /// Kind of source.
    pub kind: SourceKind,
    /// The source's location, as in the profile's `source.location`.
    pub location: String,
    /// Iceberg snapshot that was profiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<i64>,
    /// When the profile's run started (RFC 3339).
    pub started_at: String,
    /// Rows that went into the profile.
    pub row_count: u64,
    /// Format version of the profile document.
    pub format_version: u32,
    /// How the profile was obtained (scan, metadata, pushdown).
    pub mode: ProfileMode,
    /// The sampling of the profile.
    pub sampling: Sampling,
}

/// How serious a finding is. Ordered: `info` < `warning` < `critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Worth knowing, not drift (a column added, a rare new value).
    Info,
    /// Drift someone should look at.
    Warning,
    /// Drift that likely breaks consumers of the table.
    Critical,
}

impl Severity {
    /// Name as serialized: `info`, `warning` or `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    /// The severity named `s` (as serialized).
    pub fn parse(s: &str) -> Option<Self> {
        [Severity::Info, Severity::Warning, Severity::Critical].into_iter().find(|v| v.as_str() == s)
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FindingKind {
    /// The table's row count changed (statistic: relative change `(B − A) / A`).
    RowCountChanged,
    /// A column only B has.
    ColumnAdded,
    /// A column only A has.
    ColumnRemoved,
    /// A column with the same field id under another name.
    ColumnRenamed,
    /// A column whose data type changed.
    TypeChanged,
    /// The fraction of nulls changed (statistic: absolute difference).
    NullFractionChanged,
    /// The distinct count changed beyond both HLL error intervals (statistic: relative change).
    DistinctCountChanged,
    /// The mean moved (statistic: `|mean_B − mean_A| / stddev_A`).
    MeanShifted,
    /// The standard deviation changed (statistic: `|stddev_B − stddev_A| / stddev_A`).
    StddevChanged,
    /// A quantile (p5 .. p95) moved (statistic: largest `|q_B − q_A| / IQR_A`).
    QuantileShifted,
    /// Kolmogorov–Smirnov distance of the two KLL sketches.
    KsDistance,
    /// Population stability index over A's deciles.
    Psi,
    /// A frequent value of B that is not among A's (statistic: its share of B's values).
    TopValueAppeared,
    /// A frequent value of A that is not among B's (statistic: its share of A's values).
    TopValueDisappeared,
    /// The mix of string content types changed (statistic: total variation distance).
    ContentTypeMixChanged,
}

impl FindingKind {
    /// Name as serialized (camelCase).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::RowCountChanged => "rowCountChanged",
            FindingKind::ColumnAdded => "columnAdded",
            FindingKind::ColumnRemoved => "columnRemoved",
            FindingKind::ColumnRenamed => "columnRenamed",
            FindingKind::TypeChanged => "typeChanged",
            FindingKind::NullFractionChanged => "nullFractionChanged",
            FindingKind::DistinctCountChanged => "distinctCountChanged",
            FindingKind::MeanShifted => "meanShifted",
            FindingKind::StddevChanged => "stddevChanged",
            FindingKind::QuantileShifted => "quantileShifted",
            FindingKind::KsDistance => "ksDistance",
            FindingKind::Psi => "psi",
            FindingKind::TopValueAppeared => "topValueAppeared",
            FindingKind::TopValueDisappeared => "topValueDisappeared",
            FindingKind::ContentTypeMixChanged => "contentTypeMixChanged",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A column as the comparison names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ColumnRef {
    /// The column's name in B (in A for a removed column).
    pub name: String,
    /// Iceberg field id, when both profiles (or the one that has the column) carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_id: Option<i32>,
    /// The column's name in A, when it was renamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_name: Option<String>,
}

/// A figure of one side of a finding: a number, or text (a type, a value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Figure {
    /// A number (a count, a fraction, a mean).
    Number(f64),
    /// Text (a data type, a column name).
    Text(String),
}

/// One change between the two profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// What changed.
    pub kind: FindingKind,
    /// How serious it is, from the thresholds.
    pub severity: Severity,
    /// The column; absent for table-level findings (row count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<ColumnRef>,
    /// Which part of the column, when the kind needs one: the value of a top-value finding, the
    /// quantile (`p95`) of a quantile shift, the content types of a content-type change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The figure in A (absent when A has none, e.g. an added column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<Figure>,
    /// The figure in B (absent when B has none, e.g. a removed column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<Figure>,
    /// The statistic that was graded (see `kind`); absent for structural findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<f64>,
    /// The threshold the statistic reached, which gave the severity; absent for structural
    /// findings and for `info` findings below every threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The finding in one sentence.
    pub message: String,
}

/// Number of findings of each severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeverityCounts {
    /// `info` findings.
    pub info: u64,
    /// `warning` findings.
    pub warning: u64,
    /// `critical` findings.
    pub critical: u64,
}

/// The short form of a comparison: what a Kubernetes status and a one-line report hold.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftSummary {
    /// Whether any finding is a `warning` or `critical`.
    pub drift: bool,
    /// The highest severity among the findings; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highest_severity: Option<Severity>,
    /// Findings per severity.
    pub findings: SeverityCounts,
    /// Names of the columns with a `warning` or `critical` finding, most severe first, then in
    /// the order the comparison lists them; cut to a limit (20 in `diff.json`, 10 in a status).
    pub drifted_columns: Vec<String>,
    /// Number of drifted columns before the cut.
    pub drifted_column_count: u64,
}

impl DriftSummary {
    /// The summary of `findings` (in any order), listing at most `limit` drifted columns.
    pub fn of(findings: &[Finding], limit: usize) -> Self {
        let mut counts = SeverityCounts::default();
        for f in findings {
            match f.severity {
                Severity::Info => counts.info += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Critical => counts.critical += 1,
            }
        }
        let mut drifted: Vec<(Severity, usize, &str)> = Vec::new();
        for (i, f) in findings.iter().enumerate() {
            let Some(column) = &f.column else { continue };
            if f.severity < Severity::Warning {
                continue;
            }
            match drifted.iter_mut().find(|d| d.2 == column.name) {
                Some(d) => d.0 = d.0.max(f.severity),
                None => drifted.push((f.severity, i, &column.name)),
            }
        }
        drifted.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let highest_severity = findings.iter().map(|f| f.severity).max();
        Self {
            drift: highest_severity.is_some_and(|s| s >= Severity::Warning),
            highest_severity,
            findings: counts,
            drifted_column_count: drifted.len() as u64,
            drifted_columns: drifted.into_iter().take(limit).map(|d| d.2.to_owned()).collect(),
        }
    }

    /// The summary in one line: `drift in amount, status: 2 critical, 1 warning, 0 info` or
    /// `no drift: 0 critical, 0 warning, 1 info`.
    pub fn describe(&self) -> String {
        let f = &self.findings;
        let counts = format!("{} critical, {} warning, {} info", f.critical, f.warning, f.info);
        match (self.drift, self.drifted_columns.is_empty()) {
            (true, false) => format!("drift in {}: {counts}", self.drifted_columns.join(", ")),
            (true, true) => format!("drift: {counts}"),
            (false, _) => format!("no drift: {counts}"),
        }
    }

    /// The summary as a Kubernetes status keeps it: at most [`MAX_DRIFTED_COLUMNS_IN_STATUS`]
    /// drifted column names.
    pub fn for_status(&self) -> Self {
        self.truncated(MAX_DRIFTED_COLUMNS_IN_STATUS)
    }

    /// The same summary with at most `limit` drifted column names (for a Kubernetes status use
    /// [`MAX_DRIFTED_COLUMNS_IN_STATUS`]).
    pub fn truncated(&self, limit: usize) -> Self {
        let mut short = self.clone();
        short.drifted_columns.truncate(limit);
        short
    }
}

/// How a column of B was matched with a column of A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ColumnMatch {
    /// Both profiles carry field ids and they are equal (Iceberg; survives renames).
    FieldId,
    /// Same name (profiles without field ids).
    Name,
    /// Only B has the column.
    Added,
    /// Only A has the column.
    Removed,
}

/// One column of either profile and the figures the comparison computed for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ColumnComparison {
    /// The column.
    pub column: ColumnRef,
    /// How it was matched.
    #[serde(rename = "match")]
    pub matched_by: ColumnMatch,
    /// Kind in A (absent for an added column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_a: Option<ColumnKind>,
    /// Kind in B (absent for a removed column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_b: Option<ColumnKind>,
    /// Arrow data type in A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type_a: Option<String>,
    /// Arrow data type in B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type_b: Option<String>,
    /// The statistics computed (each absent when it could not be).
    #[serde(default)]
    pub statistics: ColumnStatistics,
}

/// The figures compared for one matched column; a figure is absent when a side lacks what it
/// needs (see the comparison's `skipped`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ColumnStatistics {
    /// Null fraction in A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_fraction_a: Option<f64>,
    /// Null fraction in B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_fraction_b: Option<f64>,
    /// Distinct estimate in A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_a: Option<f64>,
    /// Distinct estimate in B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_b: Option<f64>,
    /// Whether the two distinct counts' error intervals overlap (no significant change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_intervals_overlap: Option<bool>,
    /// `|mean_B − mean_A| / stddev_A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_shift: Option<f64>,
    /// `|stddev_B − stddev_A| / stddev_A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stddev_change: Option<f64>,
    /// Largest `|q_B − q_A| / IQR_A` over p5, p25, p50, p75, p95.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantile_shift: Option<f64>,
    /// Kolmogorov–Smirnov distance of the two KLL sketches, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ks: Option<f64>,
    /// Population stability index over A's deciles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psi: Option<f64>,
    /// Total variation distance of the content-type fractions, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type_distance: Option<f64>,
}

/// A check that was not run, for the listed columns (or the whole table), and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SkippedCheck {
    /// The check (named like the finding it would have given).
    pub check: FindingKind,
    /// The columns it was skipped for; empty when it concerns the table.
    pub columns: Vec<String>,
    /// Why.
    pub reason: String,
}

/// Thresholds that grade findings. A statistic at or above `…Critical` is `critical`, at or
/// above `…Warning` is `warning`, below that no finding is reported (except top values and
/// distinct counts, reported as `info`). Every field has the documented default, so a partial
/// override (a ProfileSchedule's `spec.drift.thresholds`, `profiler diff --thresholds FILE`)
/// keeps the defaults of the fields it does not name. Unknown fields are ignored here (a custom
/// resource's schema prunes them); `profiler diff` refuses them by [`DriftThresholds::field_names`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftThresholds {
    /// Row count change `|B − A| / A` that is a warning (0.5 = ±50%).
    #[serde(default = "defaults::row_count_warning")]
    pub row_count_warning: f64,
    /// Row count change `|B − A| / A` that is critical (0.9 = ±90%).
    #[serde(default = "defaults::row_count_critical")]
    pub row_count_critical: f64,
    /// Absolute change of a column's null fraction that is a warning.
    #[serde(default = "defaults::null_fraction_warning")]
    pub null_fraction_warning: f64,
    /// Absolute change of a column's null fraction that is critical.
    #[serde(default = "defaults::null_fraction_critical")]
    pub null_fraction_critical: f64,
    /// Relative change of the distinct count that is a warning, when the HLL intervals do not
    /// overlap (a change within them is never reported).
    #[serde(default = "defaults::distinct_warning")]
    pub distinct_warning: f64,
    /// Relative change of the distinct count that is critical (intervals not overlapping).
    #[serde(default = "defaults::distinct_critical")]
    pub distinct_critical: f64,
    /// Shift of the mean, in standard deviations of A, that is a warning.
    #[serde(default = "defaults::mean_shift_warning")]
    pub mean_shift_warning: f64,
    /// Shift of the mean, in standard deviations of A, that is critical.
    #[serde(default = "defaults::mean_shift_critical")]
    pub mean_shift_critical: f64,
    /// Relative change of the standard deviation that is a warning.
    #[serde(default = "defaults::stddev_change_warning")]
    pub stddev_change_warning: f64,
    /// Relative change of the standard deviation that is critical.
    #[serde(default = "defaults::stddev_change_critical")]
    pub stddev_change_critical: f64,
    /// Shift of a quantile (p5 .. p95), in interquartile ranges of A, that is a warning (0.35 IQR
    /// is about half a standard deviation of normal data, like `meanShiftWarning`).
    #[serde(default = "defaults::quantile_shift_warning")]
    pub quantile_shift_warning: f64,
    /// Shift of a quantile, in interquartile ranges of A, that is critical.
    #[serde(default = "defaults::quantile_shift_critical")]
    pub quantile_shift_critical: f64,
    /// Kolmogorov–Smirnov distance that is a warning.
    #[serde(default = "defaults::ks_warning")]
    pub ks_warning: f64,
    /// Kolmogorov–Smirnov distance that is critical.
    #[serde(default = "defaults::ks_critical")]
    pub ks_critical: f64,
    /// Population stability index that is a warning.
    #[serde(default = "defaults::psi_warning")]
    pub psi_warning: f64,
    /// Population stability index that is critical.
    #[serde(default = "defaults::psi_critical")]
    pub psi_critical: f64,
    /// Share of a side's non-null values held by a top value that appeared or disappeared, that
    /// is a warning (below it the finding is `info`).
    #[serde(default = "defaults::top_value_share_warning")]
    pub top_value_share_warning: f64,
    /// Share of a top value that appeared or disappeared that is critical.
    #[serde(default = "defaults::top_value_share_critical")]
    pub top_value_share_critical: f64,
    /// Total variation distance of the content-type mix that is a warning.
    #[serde(default = "defaults::content_type_warning")]
    pub content_type_warning: f64,
    /// Total variation distance of the content-type mix that is critical.
    #[serde(default = "defaults::content_type_critical")]
    pub content_type_critical: f64,
    /// Fewest values each side needs for the distribution checks (mean, stddev, quantiles, KS,
    /// PSI); below it they are skipped.
    #[serde(default = "defaults::min_values")]
    pub min_values: u64,
    /// Severity of a column only B has.
    #[serde(default = "defaults::column_added")]
    pub column_added: Severity,
    /// Severity of a column only A has.
    #[serde(default = "defaults::column_removed")]
    pub column_removed: Severity,
    /// Severity of a renamed column (same field id, other name).
    #[serde(default = "defaults::column_renamed")]
    pub column_renamed: Severity,
    /// Severity of a changed data type.
    #[serde(default = "defaults::type_changed")]
    pub type_changed: Severity,
}

impl Default for DriftThresholds {
    fn default() -> Self {
        use defaults::*;
        Self {
            row_count_warning: row_count_warning(),
            row_count_critical: row_count_critical(),
            null_fraction_warning: null_fraction_warning(),
            null_fraction_critical: null_fraction_critical(),
            distinct_warning: distinct_warning(),
            distinct_critical: distinct_critical(),
            mean_shift_warning: mean_shift_warning(),
            mean_shift_critical: mean_shift_critical(),
            stddev_change_warning: stddev_change_warning(),
            stddev_change_critical: stddev_change_critical(),
            quantile_shift_warning: quantile_shift_warning(),
            quantile_shift_critical: quantile_shift_critical(),
            ks_warning: ks_warning(),
            ks_critical: ks_critical(),
            psi_warning: psi_warning(),
            psi_critical: psi_critical(),
            top_value_share_warning: top_value_share_warning(),
            top_value_share_critical: top_value_share_critical(),
            content_type_warning: content_type_warning(),
            content_type_critical: content_type_critical(),
            min_values: min_values(),
            column_added: column_added(),
            column_removed: column_removed(),
            column_renamed: column_renamed(),
            type_changed: type_changed(),
        }
    }
}

impl DriftThresholds {
    /// The pairs `(name, warning, critical)` whose warning exceeds their critical or that are
    /// negative or not finite: a threshold set that would grade nothing sensibly.
    pub fn problems(&self) -> Vec<String> {
        let pairs = [
            ("rowCount", self.row_count_warning, self.row_count_critical),
            ("nullFraction", self.null_fraction_warning, self.null_fraction_critical),
            ("distinct", self.distinct_warning, self.distinct_critical),
            ("meanShift", self.mean_shift_warning, self.mean_shift_critical),
            ("stddevChange", self.stddev_change_warning, self.stddev_change_critical),
            ("quantileShift", self.quantile_shift_warning, self.quantile_shift_critical),
            ("ks", self.ks_warning, self.ks_critical),
            ("psi", self.psi_warning, self.psi_critical),
            ("topValueShare", self.top_value_share_warning, self.top_value_share_critical),
            ("contentType", self.content_type_warning, self.content_type_critical),
        ];
        let mut problems = Vec::new();
        for (name, warning, critical) in pairs {
            if !warning.is_finite() || !critical.is_finite() || warning < 0.0 || critical < 0.0 {
                problems.push(format!("{name}Warning and {name}Critical must be finite and >= 0"));
            } else if warning > critical {
                problems.push(format!("{name}Warning ({warning}) is above {name}Critical ({critical})"));
            }
        }
        problems
    }

    /// The JSON names of every field (camelCase), for callers that refuse unknown names.
    pub fn field_names() -> Vec<String> {
        match serde_json::to_value(Self::default()) {
            Ok(serde_json::Value::Object(fields)) => fields.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The severity of `statistic` against a warning and a critical threshold, with the threshold
    /// reached; None below the warning threshold.
    pub fn grade(statistic: f64, warning: f64, critical: f64) -> Option<(Severity, f64)> {
        if statistic >= critical {
            Some((Severity::Critical, critical))
        } else if statistic >= warning {
            Some((Severity::Warning, warning))
        } else {
            None
        }
    }
}

/// The documented default thresholds (docs/drift.md), one function per field for serde.
mod defaults {
    use super::Severity;

    pub fn row_count_warning() -> f64 {
        0.5
    }
    pub fn row_count_critical() -> f64 {
        0.9
    }
    pub fn null_fraction_warning() -> f64 {
        0.05
    }
    pub fn null_fraction_critical() -> f64 {
        0.2
    }
    pub fn distinct_warning() -> f64 {
        0.2
    }
    pub fn distinct_critical() -> f64 {
        0.5
    }
    pub fn mean_shift_warning() -> f64 {
        0.5
    }
    pub fn mean_shift_critical() -> f64 {
        1.0
    }
    pub fn stddev_change_warning() -> f64 {
        0.25
    }
    pub fn stddev_change_critical() -> f64 {
        1.0
    }
    pub fn quantile_shift_warning() -> f64 {
        0.35
    }
    pub fn quantile_shift_critical() -> f64 {
        0.7
    }
    pub fn ks_warning() -> f64 {
        0.1
    }
    pub fn ks_critical() -> f64 {
        0.25
    }
    pub fn psi_warning() -> f64 {
        0.1
    }
    pub fn psi_critical() -> f64 {
        0.25
    }
    pub fn top_value_share_warning() -> f64 {
        0.05
    }
    pub fn top_value_share_critical() -> f64 {
        0.2
    }
    pub fn content_type_warning() -> f64 {
        0.1
    }
    pub fn content_type_critical() -> f64 {
        0.3
    }
    pub fn min_values() -> u64 {
        30
    }
    pub fn column_added() -> Severity {
        Severity::Info
    }
    pub fn column_removed() -> Severity {
        Severity::Critical
    }
    pub fn column_renamed() -> Severity {
        Severity::Info
    }
    pub fn type_changed() -> Severity {
        Severity::Critical
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_override_keeps_the_other_defaults() {
        let t: DriftThresholds = serde_json::from_str(r#"{"ksWarning": 0.05, "columnAdded": "warning"}"#).unwrap();
        assert_eq!(t.ks_warning, 0.05);
        assert_eq!(t.column_added, Severity::Warning);
        assert_eq!(DriftThresholds { ks_warning: 0.1, column_added: Severity::Info, ..t }, DriftThresholds::default());
        assert!(DriftThresholds::field_names().contains(&"ksWarning".to_owned()));
        assert_eq!(DriftThresholds::field_names().len(), 25);
        let empty: DriftThresholds = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, DriftThresholds::default());
        assert!(DriftThresholds::default().problems().is_empty());
        let bad = DriftThresholds { psi_warning: 0.5, ..DriftThresholds::default() };
        assert_eq!(bad.problems(), vec!["psiWarning (0.5) is above psiCritical (0.25)".to_owned()]);
    }

    #[test]
    fn the_summary_counts_and_lists_drifted_columns() {
        let finding = |severity, name: Option<&str>| Finding {
            kind: FindingKind::NullFractionChanged,
            severity,
            column: name.map(|n| ColumnRef { name: n.into(), field_id: None, previous_name: None }),
            detail: None,
            a: None,
            b: None,
            statistic: None,
            threshold: None,
            message: String::new(),
        };
        let findings = vec![
            finding(Severity::Warning, Some("x")),
            finding(Severity::Info, Some("y")),
            finding(Severity::Critical, Some("z")),
            finding(Severity::Critical, None),
            finding(Severity::Critical, Some("x")),
        ];
        let s = DriftSummary::of(&findings, 20);
        assert!(s.drift);
        assert_eq!(s.highest_severity, Some(Severity::Critical));
        assert_eq!(s.findings, SeverityCounts { info: 1, warning: 1, critical: 3 });
        assert_eq!(s.drifted_columns, vec!["x", "z"]);
        assert_eq!(s.truncated(1).drifted_columns, vec!["x"]);
        assert_eq!(s.truncated(1).drifted_column_count, 2);
        let none = DriftSummary::of(&[finding(Severity::Info, Some("y"))], 20);
        assert!(!none.drift);
        assert!(none.drifted_columns.is_empty());
        assert_eq!(Severity::parse("warning"), Some(Severity::Warning));
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Critical);
    }
}
