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
    // Numbers right-aligned, text left-aligned.
    out.push_str(&super::text_table(header, &rows, |i| (2..=3).contains(&i)));
    out
}
