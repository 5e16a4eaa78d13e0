//! The summary table printed after a run.

use std::fmt::Write;

use profiler_crds::{ProfileMode, TableProfile};

use super::{bound, describe_sampling, headline, short_number, truncate};
use crate::progress::human;

/// Renders `profile` as a plain-text table, `width` characters wide at most.
pub fn render(profile: &TableProfile) -> String {
    let mut out = String::new();
    let sampling = describe_sampling(&profile.sampling.sampling);
    let mode = match profile.mode {
        ProfileMode::Scan => format!("{sampling}, {} rows read", human(profile.sampling.rows_read as f64)),
        ProfileMode::Metadata => "metadata only (manifests; no data file read)".to_owned(),
        ProfileMode::Pushdown => "pushdown (aggregates computed by the SQL engine)".to_owned(),
    };
    let _ = writeln!(
        out,
        "{}  ·  {} rows × {} columns  ·  {}  ·  {} ms",
        profile.source.location, profile.row_count, profile.column_count, mode, profile.duration_ms
    );
    if let Some(iceberg) = &profile.source.iceberg {
        let snapshot = profile.source.snapshot_id.map(|s| format!("snapshot {s} · ")).unwrap_or_default();
        let _ = writeln!(out, "{snapshot}{}", super::iceberg_line(iceberg));
    }
    let header = ["column", "type", "nulls", "distinct", "min", "max", "summary"];
    let rows: Vec<[String; 7]> = profile
        .columns
        .iter()
        .map(|c| {
            [
                truncate(&c.name, 28),
                truncate(&c.data_type, 22),
                format!("{:.1}%", c.null_fraction * 100.0),
                c.distinct
                    .as_ref()
                    .map(|d| format!("~{}", short_number(d.estimate.round())))
                    .unwrap_or_else(|| "-".into()),
                bound(c, c.min.as_deref(), 24),
                bound(c, c.max.as_deref(), 24),
                headline(c),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            // Numbers right-aligned, text left-aligned.
            if (2..=3).contains(&i) {
                let _ = write!(s, "{}{}  ", " ".repeat(pad), cell);
            } else {
                let _ = write!(s, "{}{}  ", cell, " ".repeat(pad));
            }
        }
        s.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(&header.map(String::from)));
    let _ = writeln!(out, "{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }
    out
}
