//! Findings and skipped checks, gathered while two profiles are compared.

use profiler_crds::{ColumnRef, DriftThresholds, Figure, Finding, FindingKind, Severity, SkippedCheck};

/// A finding before it is graded.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub kind: FindingKind,
    pub column: Option<ColumnRef>,
    pub detail: Option<String>,
    pub a: Option<Figure>,
    pub b: Option<Figure>,
    pub statistic: Option<f64>,
    pub message: String,
}

impl Draft {
    /// A draft of `kind` about `column` with figures `a` and `b`.
    pub fn new(kind: FindingKind, column: Option<&ColumnRef>, a: Option<Figure>, b: Option<Figure>) -> Self {
        Self { kind, column: column.cloned(), detail: None, a, b, statistic: None, message: String::new() }
    }

    /// The same draft with `statistic`.
    pub fn statistic(mut self, statistic: f64) -> Self {
        self.statistic = Some(statistic);
        self
    }

    /// The same draft with `detail`.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The same draft with `message`.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

/// What a comparison has found so far.
#[derive(Debug, Default)]
pub(super) struct Collector {
    pub findings: Vec<Finding>,
    pub skipped: Vec<SkippedCheck>,
}

impl Collector {
    /// Records `draft` with `severity`, naming the `threshold` that gave it.
    pub fn add(&mut self, draft: Draft, severity: Severity, threshold: Option<f64>) {
        let Draft { kind, column, detail, a, b, statistic, message } = draft;
        self.findings.push(Finding { kind, severity, column, detail, a, b, statistic, threshold, message });
    }

    /// Records `draft` graded by its statistic against `warning` and `critical`; nothing below
    /// `warning`, unless `info_below` (then an `info` finding without threshold).
    pub fn graded(&mut self, draft: Draft, warning: f64, critical: f64, info_below: bool) {
        let statistic = draft.statistic.unwrap_or(0.0);
        match DriftThresholds::grade(statistic, warning, critical) {
            Some((severity, threshold)) => self.add(draft, severity, Some(threshold)),
            None if info_below => self.add(draft, Severity::Info, None),
            None => {}
        }
    }

    /// Notes that `check` could not run for `column` (None: the table) because of `reason`;
    /// columns skipped for the same check and reason are listed together.
    pub fn skip(&mut self, check: FindingKind, column: Option<&str>, reason: impl Into<String>) {
        let reason = reason.into();
        let entry = match self.skipped.iter_mut().find(|s| s.check == check && s.reason == reason) {
            Some(entry) => entry,
            None => {
                self.skipped.push(SkippedCheck { check, columns: Vec::new(), reason });
                let last = self.skipped.len() - 1;
                &mut self.skipped[last]
            }
        };
        if let Some(column) = column {
            entry.columns.push(column.to_owned());
        }
    }
}
