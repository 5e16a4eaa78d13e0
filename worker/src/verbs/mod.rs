//! The connector verbs, as library functions returning typed results (the CLI and, later, the
//! tool server for agents are thin shells around them): [`test_connection`], [`schema`],
//! [`count`], [`sample`], and [`profile_sql`] for `profile` on Athena and Redshift tables. Each
//! takes a source URI ([`SourceUri`](crate::source::uri::SourceUri)) and a [`PollPolicy`]: queries
//! are polled with backoff, stopped past the timeout or when the policy's cancel fires.

mod connection;
mod count;
mod profile;
mod sample;
mod schema;
mod target;

use std::time::Duration;

pub use connection::{ConnectionReport, Step, StepStatus, test_connection};
pub use count::{CountMethod, RowCount, count};
pub use profile::{SqlRequest, check_sql, profile_and_check_sql, profile_sql};
pub use sample::{MAX_SAMPLE_ROWS, Sample, TextRows, sample};
pub use schema::{SchemaColumn, TableSchema, schema};

use crate::connector::statement::PollPolicy;

/// Polling for the verbs: the first poll after `interval`, waits doubling up to 5 s (or
/// `interval`, if longer), the statement stopped after `timeout`.
pub fn poll_policy(interval: Duration, timeout: Duration) -> PollPolicy {
    PollPolicy { initial: interval, max: interval.max(Duration::from_secs(5)), timeout, ..PollPolicy::default() }
}

/// A duration as the CLI takes it: `500ms`, `2s`, `5m`, `1h`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let value: f64 = number.parse().map_err(|_| format!("{text:?} is not a duration (e.g. 500ms, 2s, 5m, 1h)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("{text:?}: unknown unit {unit:?}; use ms, s, m or h")),
    };
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(format!("{text:?}: a duration must be more than zero"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A plain text table: a header row, a rule, then the rows, columns padded to their widest cell.
pub fn text_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(&clean(cell)));
            }
        }
    }
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(width(c))))).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(headers.iter().map(|h| (*h).to_owned()).collect());
    out.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| clean(c)).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_duration("1h").unwrap(), Duration::from_secs(3600));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5 days").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn tables_pad_columns_by_characters() {
        let table = text_table(&["a", "bb"], &[vec!["été".into(), "x".into()], vec!["1".into(), "two\nlines".into()]]);
        assert_eq!(table, "a    bb\n---  ---------\nété  x\n1    two lines\n");
    }

    #[test]
    fn polling_waits_at_least_the_interval() {
        let p = poll_policy(Duration::from_secs(10), Duration::from_secs(60));
        assert_eq!(
            (p.initial, p.max, p.timeout),
            (Duration::from_secs(10), Duration::from_secs(10), Duration::from_secs(60))
        );
        assert_eq!(poll_policy(Duration::from_millis(100), Duration::from_secs(1)).max, Duration::from_secs(5));
    }
}
