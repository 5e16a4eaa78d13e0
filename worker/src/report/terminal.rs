//! The summary printed after a run: the alerts first (counts by kind, then one line each), then
//! a table of the columns.

use std::fmt::Write;

use profiler_crds::{ProfileMode, TableProfile, alert_counts};

use super::alerts as report_alerts;
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
    out.push_str(&alerts(profile));
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

/// The alerts block: a line of counts by kind, then a table of the alerts and a blank line.
fn alerts(profile: &TableProfile) -> String {
    if profile.alerts.is_empty() {
        return "alerts: none\n\n".to_owned();
    }
    let badges = alert_counts(&profile.alerts)
        .into_iter()
        .map(|(kind, n)| format!("[{} ×{n}]", kind.label()))
        .collect::<Vec<_>>()
        .join(" ");
    let rows: Vec<[String; 5]> = profile
        .alerts
        .iter()
        .map(|a| {
            [
                a.column.as_deref().map(|c| truncate(c, 28)).unwrap_or_else(|| "(table)".into()),
                a.kind.label().to_owned(),
                report_alerts::figure(a),
                report_alerts::threshold(a),
                truncate(report_alerts::detail(a), 100),
            ]
        })
        .collect();
    let table = super::text_table(["column", "alert", "figure", "threshold", "what"], &rows, |i| i == 2);
    format!("alerts: {} {badges}\n{table}\n", profile.alerts.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use profiler_crds::{
        Alert, AlertKind, ColumnKind, ColumnProfile, PROFILE_FORMAT_VERSION, Sampling, SamplingReport, SourceInfo,
        SourceKind,
    };

    use super::*;

    pub(crate) fn profile(alerts: Vec<Alert>) -> TableProfile {
        TableProfile {
            format_version: PROFILE_FORMAT_VERSION,
            profiler_version: "test".into(),
            source: SourceInfo {
                kind: SourceKind::Parquet,
                location: "t.parquet".into(),
                files: 1,
                snapshot_id: None,
                iceberg: None,
            },
            mode: ProfileMode::Scan,
            sampling: SamplingReport {
                sampling: Sampling::Reservoir { size: 10, seed: 1 },
                rows_read: 40,
                rows_profiled: 10,
            },
            row_count: 10,
            column_count: 1,
            bytes_scanned: None,
            started_at: "2026-01-01T00:00:00Z".into(),
            duration_ms: 1,
            alerts,
            columns: vec![ColumnProfile::with_counts("amount".into(), "Float64".into(), ColumnKind::Numeric, 10, 7)],
        }
    }

    #[test]
    fn alerts_come_first() {
        let p = profile(vec![
            Alert {
                kind: AlertKind::Sampled,
                column: None,
                figure: 0.25,
                threshold: 1.0,
                message: "the profile describes a sample".into(),
            },
            Alert {
                kind: AlertKind::MostlyNull,
                column: Some("amount".into()),
                figure: 0.7,
                threshold: 0.5,
                message: "amount: 7 of 10 values are null".into(),
            },
        ]);
        let text = render(&p);
        let alerts_at = text.find("alerts: 2 [mostly null ×1] [sampled ×1]").expect(&text);
        assert!(alerts_at < text.find("summary").expect("the column table"), "{text}");
        let line = text.lines().find(|l| l.starts_with("amount") && l.contains("mostly null")).expect(&text);
        assert!(line.contains("70%") && line.contains("> 50%") && line.contains("7 of 10 values are null"), "{line}");
        assert!(text.lines().any(|l| l.starts_with("(table)") && l.contains("25%") && l.contains("< 100%")), "{text}");
        assert!(render(&profile(vec![])).contains("alerts: none"));
    }
}
