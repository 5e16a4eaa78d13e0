//! Alerts computed from a finished profile alone ([`alerts`]): constant and null columns, likely
//! keys, high cardinality, imbalance, skew, zeros, infinities, empty strings, mixed content types,
//! truncated metadata bounds and sampling. Each alert carries the figure that triggered it and
//! the threshold it crossed; the defaults are the `DEFAULT_*` constants.

use profiler_crds::{
    Alert, AlertKind, ColumnKind, ColumnProfile, ContentType, DistinctCount, ProfileMode, Sampling, TableProfile,
};

/// Null fraction above which a column is mostly null.
pub const DEFAULT_MOSTLY_NULL: f64 = 0.5;
/// Distinct strings above which a string column has a high cardinality (ydata-profiling's
/// `vars.cat.cardinality_threshold`).
pub const DEFAULT_HIGH_CARDINALITY: f64 = 50.0;
/// Imbalance `1 − H / ln k` above which categories are imbalanced (ydata-profiling's
/// `vars.cat.imbalance_threshold`).
pub const DEFAULT_IMBALANCE: f64 = 0.5;
/// Absolute quantile skewness `(p95 + p5 − 2·p50) / (p95 − p5)` above which a numeric column is
/// skewed (about 0.56 for an exponential distribution, 0 for any symmetric one).
pub const DEFAULT_SKEWNESS: f64 = 0.5;
/// Zero fraction of the non-null values above which a column has many zeros.
pub const DEFAULT_ZEROS: f64 = 0.1;
/// Infinite fraction of the non-null values above which a column is flagged (0: any infinity).
pub const DEFAULT_INFINITE: f64 = 0.0;
/// Empty-string fraction of the non-null values above which a column is flagged.
pub const DEFAULT_EMPTY_STRINGS: f64 = 0.01;
/// Fraction of non-empty strings outside the most common content type family above which a typed
/// string column (numbers, dates, UUIDs, e-mails, booleans) has mixed types.
pub const DEFAULT_MIXED_TYPES: f64 = 0.01;
/// Bound length (characters; bytes for binary) from which a metadata-mode string or binary
/// bound may be a truncated prefix: Iceberg writers truncate bounds to 16 by default.
pub const DEFAULT_TRUNCATED_BOUND_LENGTH: f64 = 16.0;
/// Finite values a numeric column needs before its skewness is judged.
pub const MIN_VALUES_FOR_SKEWNESS: u64 = 20;

/// The thresholds of [`alerts_with`]; [`Default`] gives the `DEFAULT_*` constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertThresholds {
    /// See [`DEFAULT_MOSTLY_NULL`].
    pub mostly_null: f64,
    /// See [`DEFAULT_HIGH_CARDINALITY`].
    pub high_cardinality: f64,
    /// See [`DEFAULT_IMBALANCE`].
    pub imbalance: f64,
    /// See [`DEFAULT_SKEWNESS`].
    pub skewness: f64,
    /// See [`DEFAULT_ZEROS`].
    pub zeros: f64,
    /// See [`DEFAULT_INFINITE`].
    pub infinite: f64,
    /// See [`DEFAULT_EMPTY_STRINGS`].
    pub empty_strings: f64,
    /// See [`DEFAULT_MIXED_TYPES`].
    pub mixed_types: f64,
    /// See [`DEFAULT_TRUNCATED_BOUND_LENGTH`].
    pub truncated_bound_length: f64,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        Self {
            mostly_null: DEFAULT_MOSTLY_NULL,
            high_cardinality: DEFAULT_HIGH_CARDINALITY,
            imbalance: DEFAULT_IMBALANCE,
            skewness: DEFAULT_SKEWNESS,
            zeros: DEFAULT_ZEROS,
            infinite: DEFAULT_INFINITE,
            empty_strings: DEFAULT_EMPTY_STRINGS,
            mixed_types: DEFAULT_MIXED_TYPES,
            truncated_bound_length: DEFAULT_TRUNCATED_BOUND_LENGTH,
        }
    }
}

/// The alerts of `profile` at the default thresholds: table-level ones first, then each column's
/// in schema order.
pub fn alerts(profile: &TableProfile) -> Vec<Alert> {
    alerts_with(profile, &AlertThresholds::default())
}

/// The alerts of `profile` at `thresholds`.
pub fn alerts_with(profile: &TableProfile, thresholds: &AlertThresholds) -> Vec<Alert> {
    let mut out = Vec::new();
    sampled(profile, &mut out);
    let sampled = profile.sampling.rows_profiled < profile.sampling.rows_read;
    for column in &profile.columns {
        let mut found = Column { column, thresholds, sampled, out: &mut out };
        found.check();
    }
    out
}

/// A table-level alert when the profile describes a sample of the rows read.
fn sampled(p: &TableProfile, out: &mut Vec<Alert>) {
    let (read, profiled) = (p.sampling.rows_read, p.sampling.rows_profiled);
    if p.mode == ProfileMode::Metadata || p.sampling.sampling == Sampling::Full || read == 0 || profiled >= read {
        return;
    }
    let figure = profiled as f64 / read as f64;
    out.push(Alert {
        kind: AlertKind::Sampled,
        column: None,
        figure,
        threshold: 1.0,
        message: format!(
            "the profile describes a sample: {profiled} of {read} rows read ({}); counts, distinct values and \
             uniqueness are those of the sample",
            percent(figure)
        ),
    });
}

/// The checks of one column, pushing into `out`.
struct Column<'a> {
    column: &'a ColumnProfile,
    thresholds: &'a AlertThresholds,
    /// Whether the profile is of a sample (uniqueness is then the sample's).
    sampled: bool,
    out: &'a mut Vec<Alert>,
}

impl Column<'_> {
    fn push(&mut self, kind: AlertKind, figure: f64, threshold: f64, message: String) {
        if figure.is_finite() && threshold.is_finite() {
            let column = Some(self.column.name.clone());
            self.out.push(Alert {
                kind,
                column,
                figure,
                threshold,
                message: format!("{}: {message}", self.column.name),
            });
        }
    }

    fn check(&mut self) {
        let c = self.column;
        if c.count == 0 {
            return;
        }
        if c.non_null == 0 {
            self.push(AlertKind::AllNull, 1.0, 1.0, format!("all {} values are null", c.count));
            return;
        }
        if c.null_fraction > self.thresholds.mostly_null {
            let message = format!(
                "{} of {} values are null ({}, threshold {})",
                c.nulls,
                c.count,
                percent(c.null_fraction),
                percent(self.thresholds.mostly_null)
            );
            self.push(AlertKind::MostlyNull, c.null_fraction, self.thresholds.mostly_null, message);
        }
        self.truncated_bounds();
        if self.constant() {
            return;
        }
        if !self.unique() {
            self.high_cardinality();
        }
        self.imbalanced();
        self.skewed();
        self.zeros_and_infinities();
        self.empty_strings();
        self.mixed_types();
    }

    /// Whether the column holds one distinct value (pushing the alert when it does).
    fn constant(&mut self) -> bool {
        let c = self.column;
        let truncated = c.metadata.as_ref().is_some_and(|m| m.bounds_may_be_truncated);
        let special = c.numeric.as_ref().map_or(0, |n| n.nan + n.positive_infinity + n.negative_infinity);
        let one = match &c.distinct {
            Some(d) => d.estimate.round() == 1.0,
            None => !truncated && special == 0 && c.min.is_some() && c.min == c.max,
        };
        if one {
            let value = c.min.as_deref().map(|v| format!(" ({})", shorten(v, 40))).unwrap_or_default();
            self.push(AlertKind::Constant, 1.0, 1.0, format!("every non-null value is the same{value}"));
        }
        one
    }

    /// Whether the distinct estimate's bounds include the non-null count (pushing the alert).
    fn unique(&mut self) -> bool {
        let c = self.column;
        let Some(d) = &c.distinct else { return false };
        let n = c.non_null as f64;
        if c.non_null < 2 || c.kind == ColumnKind::Boolean || !includes(d, n) {
            return false;
        }
        let message = if d.exact && !self.sampled {
            format!("unique: {} distinct values in {} non-null values (a key)", d.estimate, c.non_null)
        } else {
            let scope = if self.sampled { " of the sample" } else { "" };
            format!(
                "likely unique (a candidate key): ~{:.0} distinct values, 95% bounds {:.0}–{:.0}, include the {} \
                 non-null values{scope}",
                d.estimate, d.lower_bound, d.upper_bound, c.non_null
            )
        };
        self.push(AlertKind::Unique, d.estimate, n, message);
        true
    }

    fn high_cardinality(&mut self) {
        let c = self.column;
        let threshold = self.thresholds.high_cardinality;
        let Some(d) = c.distinct.as_ref().filter(|_| c.kind == ColumnKind::String) else { return };
        // The estimate of a few dozen values is within a hair of the true count: compare it whole.
        if d.estimate.round() > threshold {
            let message = format!("~{:.0} distinct strings (threshold {threshold})", d.estimate);
            self.push(AlertKind::HighCardinality, d.estimate, threshold, message);
        }
    }

    /// ydata-profiling's imbalance of a column whose every category and count is known: booleans,
    /// and strings whose exact top values cover every non-null value.
    fn imbalanced(&mut self) {
        let c = self.column;
        let counts: Vec<(String, u64)> = if let Some(b) = &c.boolean {
            vec![("true".into(), b.true_count), ("false".into(), b.false_count)]
        } else if let Some(t) = &c.text {
            let covered: u64 = t.top_values.iter().map(|v| v.count).sum();
            if t.top_values_max_error != 0 || covered != c.non_null {
                return;
            }
            t.top_values.iter().map(|v| (v.value.clone(), v.count)).collect()
        } else {
            return;
        };
        let counts: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
        let total: u64 = counts.iter().map(|(_, n)| n).sum();
        let k = counts.len();
        if k < 2 || total == 0 || k as f64 > self.thresholds.high_cardinality {
            return;
        }
        let entropy: f64 = counts
            .iter()
            .map(|(_, n)| {
                let p = *n as f64 / total as f64;
                -p * p.ln()
            })
            .sum();
        let imbalance = 1.0 - entropy / (k as f64).ln();
        let threshold = self.thresholds.imbalance;
        if imbalance > threshold {
            let (top, n) = counts.iter().max_by_key(|(_, n)| *n).map(|(v, n)| (v.as_str(), *n)).unwrap_or(("", 0));
            let message = format!(
                "imbalanced categories: imbalance {imbalance:.2} over {k} categories (threshold {threshold}); \
                 {:?} is {} of the values",
                shorten(top, 40),
                percent(n as f64 / total as f64)
            );
            self.push(AlertKind::Imbalanced, imbalance, threshold, message);
        }
    }

    /// Quantile skewness of a numeric column's p5, p50 and p95.
    fn skewed(&mut self) {
        let Some(n) = &self.column.numeric else { return };
        let Some(d) = &n.distribution else { return };
        if n.moments.n < MIN_VALUES_FOR_SKEWNESS {
            return;
        }
        let at = |rank: f64| d.quantiles.iter().find(|q| (q.rank - rank).abs() < 1e-9).map(|q| q.value);
        let (Some(p5), Some(p50), Some(p95)) = (at(0.05), at(0.5), at(0.95)) else { return };
        let spread = p95 - p5;
        if spread <= 0.0 || !spread.is_finite() {
            return;
        }
        let skewness = (p95 + p5 - 2.0 * p50) / spread;
        let threshold = self.thresholds.skewness;
        if skewness.abs() > threshold {
            let side = if skewness > 0.0 { "right" } else { "left" };
            let message = format!(
                "skewed to the {side}: quantile skewness {skewness:.2} (threshold ±{threshold}); p5 {}, median {}, \
                 p95 {}",
                short(p5),
                short(p50),
                short(p95)
            );
            self.push(AlertKind::Skewed, skewness, threshold, message);
        }
    }

    fn zeros_and_infinities(&mut self) {
        let c = self.column;
        let Some(n) = &c.numeric else { return };
        let of = |count: u64| count as f64 / c.non_null as f64;
        let zeros = of(n.zeros);
        if n.zeros > 0 && zeros > self.thresholds.zeros {
            let threshold = self.thresholds.zeros;
            let message =
                format!("{} zeros, {} of the values (threshold {})", n.zeros, percent(zeros), percent(threshold));
            self.push(AlertKind::Zeros, zeros, threshold, message);
        }
        let infinite = n.positive_infinity + n.negative_infinity;
        if infinite > 0 && of(infinite) > self.thresholds.infinite {
            let message = format!(
                "{infinite} infinite values (+inf {}, −inf {}), {} of the values",
                n.positive_infinity,
                n.negative_infinity,
                percent(of(infinite))
            );
            self.push(AlertKind::Infinite, of(infinite), self.thresholds.infinite, message);
        }
    }

    fn empty_strings(&mut self) {
        let c = self.column;
        let Some(t) = c.text.as_ref().filter(|_| c.kind == ColumnKind::String) else { return };
        let fraction = t.empty as f64 / c.non_null as f64;
        let threshold = self.thresholds.empty_strings;
        if t.empty > 0 && fraction > threshold {
            let message = format!(
                "{} empty strings, {} of the values (threshold {})",
                t.empty,
                percent(fraction),
                percent(threshold)
            );
            self.push(AlertKind::EmptyStrings, fraction, threshold, message);
        }
    }

    /// Strings of a typed column (its most common content type family is not free text) that are
    /// of another family; empty strings are left to [`Self::empty_strings`].
    fn mixed_types(&mut self) {
        let Some(inferred) = self.column.text.as_ref().and_then(|t| t.inferred_type.as_ref().map(|i| (t, i))) else {
            return;
        };
        let (text, inferred) = inferred;
        let mut families: Vec<(Family, u64)> = Vec::new();
        for (&content, &count) in &inferred.counts {
            let count = if content == ContentType::Text { count.saturating_sub(text.empty) } else { count };
            let family = Family::of(content);
            match families.iter_mut().find(|(f, _)| *f == family) {
                Some((_, n)) => *n += count,
                None => families.push((family, count)),
            }
        }
        let total: u64 = families.iter().map(|(_, n)| n).sum();
        let Some(&(dominant, most)) = families.iter().max_by_key(|(_, n)| *n) else { return };
        if total == 0 || dominant == Family::Text {
            return;
        }
        let figure = (total - most) as f64 / total as f64;
        let threshold = self.thresholds.mixed_types;
        if figure > threshold {
            let others = families
                .iter()
                .filter(|(f, n)| *f != dominant && *n > 0)
                .map(|(f, n)| format!("{} {n}", f.name()))
                .collect::<Vec<_>>()
                .join(", ");
            let message = format!(
                "mixed content types: {} of the values are not {} ({others}; threshold {})",
                percent(figure),
                dominant.name(),
                percent(threshold)
            );
            self.push(AlertKind::MixedTypes, figure, threshold, message);
        }
    }

    /// Metadata-mode bounds of a string or binary column long enough to be truncated prefixes.
    fn truncated_bounds(&mut self) {
        let c = self.column;
        if !c.metadata.as_ref().is_some_and(|m| m.bounds_may_be_truncated) {
            return;
        }
        // Binary bounds are rendered as hex: two characters a byte.
        let per_unit = if c.kind == ColumnKind::Binary { 2 } else { 1 };
        let length = [&c.min, &c.max].into_iter().flatten().map(|v| v.chars().count() / per_unit).max();
        let threshold = self.thresholds.truncated_bound_length;
        if let Some(length) = length.map(|l| l as f64).filter(|l| *l >= threshold) {
            let unit = if per_unit == 2 { "bytes" } else { "characters" };
            let message = format!(
                "min/max come from file metadata and bounds of {threshold} {unit} or more may be truncated \
                 prefixes (longest bound {length} {unit}): the true min/max may differ beyond the prefix"
            );
            self.push(AlertKind::TruncatedBounds, length, threshold, message);
        }
    }
}

/// Whether the distinct estimate's bounds include `n` (for an exact count: equal it).
fn includes(d: &DistinctCount, n: f64) -> bool {
    if d.exact { d.estimate == n } else { d.lower_bound <= n && n <= d.upper_bound }
}

/// Content types grouped by what a typed column would hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Number,
    Boolean,
    Temporal,
    Uuid,
    Email,
    Text,
}

impl Family {
    fn of(t: ContentType) -> Family {
        match t {
            ContentType::Integer | ContentType::Decimal => Family::Number,
            ContentType::Boolean => Family::Boolean,
            ContentType::Date | ContentType::Timestamp => Family::Temporal,
            ContentType::Uuid => Family::Uuid,
            ContentType::Email => Family::Email,
            ContentType::Text => Family::Text,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::Number => "numbers",
            Family::Boolean => "booleans",
            Family::Temporal => "dates or timestamps",
            Family::Uuid => "UUIDs",
            Family::Email => "e-mail addresses",
            Family::Text => "text",
        }
    }
}

/// A fraction as a percentage with one decimal (two below 1%).
fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p != 0.0 && p.abs() < 1.0 { format!("{p:.2}%") } else { format!("{p:.1}%") }
}

/// A number in short form (whole numbers without a fraction).
fn short(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{x:.0}") } else { format!("{x:.4}") }
}

/// `s` cut to `max` characters with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
