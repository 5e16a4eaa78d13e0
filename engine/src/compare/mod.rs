//! The comparison of two profiles of one table (drift), from the two documents only.
//!
//! [`compare`] matches the columns of profile B with those of an earlier profile A (by Iceberg
//! field id when both carry one, else by name), compares what both profiles have — row counts,
//! structure, null fractions, distinct counts within their HLL error, moments, quantiles, the
//! Kolmogorov–Smirnov distance and population stability index of the KLL sketches, top values,
//! content types — grades each change by [`DriftThresholds`] and says which checks it skipped and
//! why. `docs/drift.md` gives every formula.

mod collector;
mod columns;
mod distribution;
mod matching;
#[cfg(test)]
mod tests;

use std::cmp::Reverse;

use profiler_crds::Figure::Number;
use profiler_crds::{
    COMPARISON_FORMAT_VERSION, DriftSummary, DriftThresholds, FindingKind, MAX_DRIFTED_COLUMNS, PROFILE_FORMAT_VERSION,
    ProfileComparison, ProfileIdentity, ProfileMode, Sampling, SourceKind, TableProfile,
};

use self::collector::{Collector, Draft};
pub use self::distribution::{CdfOverlay, PSI_BINS, PSI_EPSILON, cdf_overlay};

/// Profile format versions this build compares.
const KNOWN_FORMAT_VERSIONS: [u32; 1] = [PROFILE_FORMAT_VERSION];

/// Why two profiles cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// A profile of a format version this build does not know.
    #[error(
        "profile {side} has format version {version}, which this build does not read (it reads version {known}); compare it with the profiler that wrote it, or upgrade this one"
    )]
    UnknownFormatVersion {
        /// `A` or `B`.
        side: &'static str,
        /// The document's version.
        version: u32,
        /// The version this build reads.
        known: u32,
    },
    /// Thresholds that cannot grade anything sensibly.
    #[error("invalid drift thresholds: {0}")]
    InvalidThresholds(String),
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side<'p> {
    /// `A` or `B`.
    pub label: &'static str,
    pub profile: &'p TableProfile,
}

impl Side<'_> {
    /// Whether the profile is of a sample rather than every row.
    pub fn sampled(&self) -> bool {
        self.profile.sampling.sampling != Sampling::Full
    }

    /// Why this side has no `what`, in words that do not name a column (skips of one reason are
    /// listed together).
    pub fn lacks(&self, what: &str) -> String {
        let label = self.label;
        match self.profile.mode {
            ProfileMode::Metadata => {
                format!("{label} is a metadata profile (manifest counts and bounds only): it has no {what}")
            }
            ProfileMode::Pushdown => {
                format!("{label} is a pushdown profile (SQL aggregates, no sketch images): it has no {what}")
            }
            ProfileMode::Scan => format!("{label} has no {what}"),
        }
    }

    /// Rows of the table, when the profile tells them.
    fn table_rows(&self) -> Result<u64, String> {
        let p = self.profile;
        let read_in_full = matches!(p.source.kind, SourceKind::Parquet | SourceKind::Iceberg);
        match p.sampling.sampling {
            Sampling::Full => Ok(p.row_count),
            _ if read_in_full && p.mode == ProfileMode::Scan => Ok(p.sampling.rows_read),
            _ => Err(format!("{} is a sample drawn by the SQL engine: the table's row count is unknown", self.label)),
        }
    }

    fn identity(&self) -> ProfileIdentity {
        let p = self.profile;
        ProfileIdentity {
            kind: p.source.kind,
            location: p.source.location.clone(),
            snapshot_id: p.source.snapshot_id,
            started_at: p.started_at.clone(),
            row_count: p.row_count,
            format_version: p.format_version,
            mode: p.mode,
            sampling: p.sampling.sampling,
        }
    }
}

/// What every column check needs.
pub(crate) struct Context<'p> {
    pub a: Side<'p>,
    pub b: Side<'p>,
    pub thresholds: &'p DriftThresholds,
}

/// Compares profile `b` with the earlier profile `a` of the same table, grading changes by
/// `thresholds`. Profiles of different tables or format versions still compare (with a note);
/// checks a side lacks the figures for are skipped and listed, never an error. Fails only on a
/// format version this build does not know, or on thresholds whose warning exceeds their
/// critical.
pub fn compare(
    a: &TableProfile,
    b: &TableProfile,
    thresholds: &DriftThresholds,
) -> Result<ProfileComparison, CompareError> {
    for (side, p) in [("A", a), ("B", b)] {
        if !KNOWN_FORMAT_VERSIONS.contains(&p.format_version) {
            return Err(CompareError::UnknownFormatVersion {
                side,
                version: p.format_version,
                known: PROFILE_FORMAT_VERSION,
            });
        }
    }
    let problems = thresholds.problems();
    if !problems.is_empty() {
        return Err(CompareError::InvalidThresholds(problems.join("; ")));
    }
    let cx = Context { a: Side { label: "A", profile: a }, b: Side { label: "B", profile: b }, thresholds };
    let mut out = Collector::default();
    row_count(&cx, &mut out);
    let columns: Vec<_> = matching::match_columns(&a.columns, &b.columns)
        .iter()
        .map(|pair| columns::compare_column(pair, &cx, &mut out))
        .collect();
    let Collector { mut findings, skipped } = out;
    findings.sort_by(|x, y| {
        let key = |f: &profiler_crds::Finding| {
            (Reverse(f.severity), f.column.as_ref().map(|c| c.name.clone()), f.kind, f.detail.clone())
        };
        key(x).cmp(&key(y))
    });
    Ok(ProfileComparison {
        format_version: COMPARISON_FORMAT_VERSION,
        profiler_version: crate::ENGINE_VERSION.to_owned(),
        a: cx.a.identity(),
        b: cx.b.identity(),
        thresholds: thresholds.clone(),
        summary: DriftSummary::of(&findings, MAX_DRIFTED_COLUMNS),
        findings,
        columns,
        skipped,
        notes: notes(&cx),
    })
}

fn row_count(cx: &Context, out: &mut Collector) {
    let t = cx.thresholds;
    let (ra, rb) = match (cx.a.table_rows(), cx.b.table_rows()) {
        (Ok(ra), Ok(rb)) => (ra, rb),
        (Err(reason), _) | (_, Err(reason)) => return out.skip(FindingKind::RowCountChanged, None, reason),
    };
    if ra == 0 {
        if rb > 0 {
            out.skip(FindingKind::RowCountChanged, None, "A has no rows: a relative change is undefined");
        }
        return;
    }
    let relative = (rb as f64 - ra as f64) / ra as f64;
    let draft = Draft::new(FindingKind::RowCountChanged, None, Some(Number(ra as f64)), Some(Number(rb as f64)))
        .statistic(relative.abs())
        .message(format!("row count {ra} -> {rb} ({:+}, {:+.1}%)", rb as i128 - ra as i128, relative * 100.0));
    out.graded(draft, t.row_count_warning, t.row_count_critical, false);
}

fn notes(cx: &Context) -> Vec<String> {
    let (a, b) = (cx.a.profile, cx.b.profile);
    let mut notes = Vec::new();
    if a.source.location != b.source.location {
        notes.push(format!(
            "the profiles are of different sources ({} and {}); columns were compared anyway",
            a.source.location, b.source.location
        ));
    }
    if a.format_version != b.format_version {
        notes.push(format!(
            "the profiles have different format versions ({} and {})",
            a.format_version, b.format_version
        ));
    }
    if a.started_at > b.started_at {
        notes.push("A was profiled after B: the comparison reads as B against a later baseline".to_owned());
    }
    for side in [cx.a, cx.b] {
        match side.profile.mode {
            ProfileMode::Metadata => notes.push(format!(
                "{} is a metadata profile: only row counts, columns, types and null fractions compare",
                side.label
            )),
            ProfileMode::Pushdown => notes.push(format!(
                "{} is a pushdown profile: no sketch images, so KS and PSI are not computed",
                side.label
            )),
            ProfileMode::Scan => {}
        }
        if side.sampled() {
            notes.push(format!(
                "{} is a sample ({} of {} rows read): its figures carry sampling error and distinct counts are not compared",
                side.label, side.profile.sampling.rows_profiled, side.profile.sampling.rows_read
            ));
        }
    }
    notes
}

/// `s` cut to `max` characters with an ellipsis.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max.saturating_sub(1)).collect::<String>())
    }
}
