//! The comparison of two profiles as plain text: who was compared, the summary, and the findings
//! table (most severe first), then the skipped checks and notes.

use std::fmt::Write;

use profiler_crds::{Figure, Finding, ProfileComparison, ProfileIdentity, Severity};

use super::{short_number, truncate};

/// Renders `comparison` as text for a terminal.
pub fn render(c: &ProfileComparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "A  {}", identity(&c.a));
    let _ = writeln!(out, "B  {}", identity(&c.b));
    let _ = writeln!(out, "{}", summary_line(c));
    if !c.findings.is_empty() {
        out.push('\n');
        out.push_str(&findings_table(&c.findings));
    }
    if !c.skipped.is_empty() {
        let _ = writeln!(out, "\nskipped checks:");
        for s in &c.skipped {
            let columns = match s.columns.len() {
                0 => "table".to_owned(),
                n if n <= 6 => s.columns.join(", "),
                n => format!("{} and {} more", s.columns[..5].join(", "), n - 5),
            };
            let _ = writeln!(out, "  {} ({columns}): {}", s.check, s.reason);
        }
    }
    for note in &c.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

/// `drift: yes · 1 critical, 2 warning, 0 info · drifted columns: a, b`.
pub fn summary_line(c: &ProfileComparison) -> String {
    let s = &c.summary;
    let mut line = format!(
        "drift: {} · {} critical, {} warning, {} info",
        if s.drift { "yes" } else { "no" },
        s.findings.critical,
        s.findings.warning,
        s.findings.info
    );
    if !s.drifted_columns.is_empty() {
        let more = s.drifted_column_count.saturating_sub(s.drifted_columns.len() as u64);
        let _ = write!(line, " · drifted columns: {}", s.drifted_columns.join(", "));
        if more > 0 {
            let _ = write!(line, " and {more} more");
        }
    }
    line
}

fn identity(p: &ProfileIdentity) -> String {
    let snapshot = p.snapshot_id.map(|s| format!(" @ snapshot {s}")).unwrap_or_default();
    format!("{}{snapshot}  ·  {} rows  ·  started {}", p.location, p.row_count, p.started_at)
}

/// A figure in one cell.
pub fn figure(f: Option<&Figure>) -> String {
    match f {
        None => "-".to_owned(),
        Some(Figure::Number(x)) => short_number(*x),
        Some(Figure::Text(t)) => truncate(t, 24),
    }
}

fn findings_table(findings: &[Finding]) -> String {
    let header = ["severity", "column", "kind", "A", "B", "statistic", "threshold"];
    let rows: Vec<[String; 7]> = findings
        .iter()
        .map(|f| {
            let column = f.column.as_ref().map(|c| c.name.as_str()).unwrap_or("(table)");
            let kind = match &f.detail {
                Some(d) => format!("{} {}", f.kind, truncate(d, 20)),
                None => f.kind.to_string(),
            };
            [
                severity_cell(f.severity),
                truncate(column, 28),
                kind,
                figure(f.a.as_ref()),
                figure(f.b.as_ref()),
                f.statistic.map(|s| format!("{s:.3}")).unwrap_or_else(|| "-".into()),
                f.threshold.map(short_number).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    // Figures right-aligned, text left-aligned.
    super::text_table(header, &rows, |i| i >= 3)
}

fn severity_cell(s: Severity) -> String {
    s.as_str().to_owned()
}
