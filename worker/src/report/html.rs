//! `report.html`: one self-contained page (inline CSS and SVG; no script, font or image is
//! fetched): the alerts first (badges with counts by kind, then one row each), the table overview
//! and a card per column.

use std::fmt::Write;
use std::path::Path;

use profiler_crds::{
    Alert, ColumnProfile, DriftResult, HistogramBin, ProfileMode, TableProfile, ValueCount, alert_counts,
};

use super::alerts as report_alerts;
use super::{bound, describe_sampling, short_number, sum_text, truncate};
use crate::error::WorkerError;

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1d2433;background:#f6f7f9}\
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.05rem;margin:0 0 .5rem}.muted{color:#5b6475}\
table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #e3e6eb}\
th{font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:1rem;margin-top:1rem}\
.card{background:#fff;border:1px solid #e3e6eb;border-radius:8px;padding:1rem}\
.kind{font-size:.75rem;background:#eef1f6;border-radius:4px;padding:.05rem .4rem;margin-left:.4rem}\
svg text{font:11px system-ui,sans-serif;fill:#5b6475}.bar{fill:#4c78a8}.overview td{border:0}\
.alerts{background:#fff;border:1px solid #f0d9a8;border-radius:8px;padding:1rem;margin:1rem 0}\
.badge{display:inline-block;border-radius:999px;padding:.1rem .6rem;margin:0 .35rem .5rem 0;font-size:.8rem;background:#fdecc8;color:#6b4300}\
.badge b{margin-left:.3rem}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the report of `profile` to `path`.
pub fn write(profile: &TableProfile, path: &Path) -> Result<(), WorkerError> {
    std::fs::write(path, render(profile))
        .map_err(|e| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() })
}

/// The report as a string.
pub fn render(p: &TableProfile) -> String {
    render_with_comparison(p, None)
}

/// The report, with a line on the comparison with the job's baseline and a link to diff.html
/// (written beside the report) when there is one.
pub fn render_with_comparison(p: &TableProfile, drift: Option<&DriftResult>) -> String {
    let mut h = String::new();
    let title = format!("Profile of {}", p.source.location);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1>",
        escape(&title),
        escape(&title)
    );
    let mode = match p.mode {
        ProfileMode::Scan => "scan",
        ProfileMode::Metadata => "metadata only (from Iceberg manifests; no data file read)",
        ProfileMode::Pushdown => "pushdown (aggregates computed by the SQL engine)",
    };
    let _ = write!(
        h,
        "<p class=\"muted\">profiler {} · started {} · {} ms</p>",
        escape(&p.profiler_version),
        escape(&p.started_at),
        p.duration_ms
    );
    alerts_section(&mut h, &p.alerts);
    let _ = write!(h, "<table class=\"overview\">");
    let sampling = describe_sampling(&p.sampling.sampling);
    for (k, v) in [
        ("Source", format!("{:?} · {}", p.source.kind, p.source.location)),
        ("Files", p.source.files.to_string()),
        ("Snapshot", p.source.snapshot_id.map(|s| s.to_string()).unwrap_or_else(|| "-".into())),
        ("Mode", mode.to_owned()),
        ("Sampling", sampling),
        ("Rows read", p.sampling.rows_read.to_string()),
        ("Rows profiled", p.row_count.to_string()),
        ("Columns", p.column_count.to_string()),
    ]
    .into_iter()
    .chain(p.source.iceberg.as_ref().map(|i| ("Iceberg", super::iceberg_line(i))))
    {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&v));
    }
    if let Some(d) = drift {
        let text = match (&d.summary, &d.error) {
            (Some(s), _) => s.describe(),
            (None, Some(e)) => format!("not compared: {e}"),
            (None, None) => "not compared".to_owned(),
        };
        let link = if d.diff_report_uri.is_some() { " · <a href=\"diff.html\">comparison</a>" } else { "" };
        let _ = write!(h, "<tr><th>Drift</th><td>{} (baseline {}){link}</td></tr>", escape(&text), escape(&d.baseline));
    }
    h.push_str("</table>");
    h.push_str("<h2 style=\"margin-top:1.5rem\">Columns</h2><table><tr><th>column</th><th>type</th><th>nulls</th><th>distinct</th><th>min</th><th>max</th></tr>");
    for c in &p.columns {
        let _ = write!(
            h,
            "<tr><td><a href=\"#col-{i}\">{}</a></td><td>{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.name),
            escape(&c.data_type),
            c.null_fraction * 100.0,
            c.distinct.as_ref().map(|d| short_number(d.estimate.round())).unwrap_or_else(|| "-".into()),
            escape(&bound(c, c.min.as_deref(), 40)),
            escape(&bound(c, c.max.as_deref(), 40)),
            i = anchor(&c.name),
        );
    }
    h.push_str("</table><div class=\"grid\">");
    for c in &p.columns {
        column_card(&mut h, c, &p.alerts);
    }
    h.push_str("</div></body></html>\n");
    h
}

fn anchor(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The alerts: a row of badges (counts by kind), then a table of every alert, each column linked
/// to its card.
fn alerts_section(h: &mut String, alerts: &[Alert]) {
    h.push_str("<section class=\"alerts\" id=\"alerts\"><h2>Alerts</h2>");
    if alerts.is_empty() {
        h.push_str("<p class=\"muted\">No alerts.</p></section>");
        return;
    }
    h.push_str("<div class=\"badges\">");
    for (kind, n) in alert_counts(alerts) {
        let _ = write!(
            h,
            "<span class=\"badge\" data-kind=\"{}\">{}<b>{n}</b></span>",
            kind.as_str(),
            escape(kind.label())
        );
    }
    h.push_str("</div><table><tr><th>column</th><th>alert</th><th>figure</th><th>threshold</th><th>what</th></tr>");
    for a in alerts {
        let column = match &a.column {
            Some(c) => format!("<a href=\"#col-{}\">{}</a>", anchor(c), escape(c)),
            None => "<span class=\"muted\">table</span>".to_owned(),
        };
        let _ = write!(
            h,
            "<tr><td>{column}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(a.kind.label()),
            escape(&report_alerts::figure(a)),
            escape(&report_alerts::threshold(a)),
            escape(report_alerts::detail(a)),
        );
    }
    h.push_str("</table></section>");
}

fn column_card(h: &mut String, c: &ColumnProfile, alerts: &[Alert]) {
    let _ = write!(
        h,
        "<section class=\"card\" id=\"col-{}\"><h2>{}<span class=\"kind\">{}</span></h2><table>",
        anchor(&c.name),
        escape(&c.name),
        escape(&c.data_type)
    );
    let mut rows: Vec<(&str, String)> =
        vec![("rows", c.count.to_string()), ("nulls", format!("{} ({:.2}%)", c.nulls, c.null_fraction * 100.0))];
    let labels: Vec<&str> =
        alerts.iter().filter(|a| a.column.as_deref() == Some(c.name.as_str())).map(|a| a.kind.label()).collect();
    if !labels.is_empty() {
        rows.insert(0, ("alerts", labels.join(", ")));
    }
    if let Some(d) = &c.distinct {
        let bound = if d.exact {
            String::new()
        } else {
            format!(" (95%: {}–{})", short_number(d.lower_bound.round()), short_number(d.upper_bound.round()))
        };
        rows.push(("distinct", format!("{}{bound}", short_number(d.estimate.round()))));
    }
    if c.min.is_some() {
        rows.push(("min", bound(c, c.min.as_deref(), 60)));
    }
    if c.max.is_some() {
        rows.push(("max", bound(c, c.max.as_deref(), 60)));
    }
    if let Some(n) = &c.numeric {
        for (k, v) in [("mean", n.mean), ("stddev", n.stddev)] {
            if let Some(v) = v {
                rows.push((k, short_number(v)));
            }
        }
        rows.push(("sum", sum_text(n)));
        rows.push(("zeros / negatives", format!("{} / {}", n.zeros, n.negatives)));
        if n.nan + n.positive_infinity + n.negative_infinity > 0 {
            rows.push(("NaN / +inf / -inf", format!("{} / {} / {}", n.nan, n.positive_infinity, n.negative_infinity)));
        }
    }
    let distribution = c
        .numeric
        .as_ref()
        .and_then(|n| n.distribution.as_ref())
        .or_else(|| c.temporal.as_ref().and_then(|t| t.distribution.as_ref()));
    if let Some(d) = distribution {
        let q = d
            .quantiles
            .iter()
            .map(|q| format!("p{}: {}", (q.rank * 100.0).round(), q.label))
            .collect::<Vec<_>>()
            .join(" · ");
        rows.push(("quantiles", q));
    }
    if let Some(t) = &c.text {
        if let (Some(a), Some(b), Some(m)) = (t.min_length, t.max_length, t.mean_length) {
            rows.push(("length min / mean / max", format!("{a} / {} / {b}", short_number(m))));
        }
        rows.push(("empty", t.empty.to_string()));
        if let Some(i) = &t.inferred_type {
            rows.push(("content", format!("{:?} ({:.1}%)", i.content_type, i.fraction * 100.0).to_lowercase()));
        }
    }
    if let Some(b) = &c.boolean {
        rows.push(("true / false", format!("{} / {}", b.true_count, b.false_count)));
    }
    if let Some(l) = &c.list {
        if let (Some(a), Some(b), Some(m)) = (l.min_length, l.max_length, l.mean_length) {
            rows.push(("length min / mean / max", format!("{a} / {} / {b}", short_number(m))));
        }
        rows.push(("empty lists", l.empty.to_string()));
    }
    if let Some(m) = &c.metadata {
        rows.push(("files with stats", format!("{} of {}", m.files_with_stats, m.files)));
        if m.bounds_may_be_truncated {
            rows.push(("note", "min/max are file bounds and may be truncated".into()));
        }
    }
    if let Some(d) = distribution.filter(|d| !d.histogram.is_empty()) {
        let how = if d.histogram_exact { "bins counted exactly" } else { "bins estimated from the quantile sketch" };
        rows.push(("histogram", how.into()));
    }
    for (k, v) in rows {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&v));
    }
    h.push_str("</table>");
    if let Some(d) = distribution {
        histogram_svg(h, &d.histogram);
    } else if let Some(t) = &c.text {
        if !t.top_values.is_empty() {
            bars_svg(h, &t.top_values);
        }
    } else if let Some(b) = &c.boolean {
        bars_svg(
            h,
            &[
                ValueCount { value: "true".into(), count: b.true_count },
                ValueCount { value: "false".into(), count: b.false_count },
            ],
        );
    }
    h.push_str("</section>");
}

fn histogram_svg(h: &mut String, bins: &[HistogramBin]) {
    let (w, ht, base) = (440.0, 150.0, 130.0);
    let max = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let bw = w / bins.len().max(1) as f64;
    let _ =
        write!(h, "<svg role=\"img\" aria-label=\"histogram\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\">");
    for (i, b) in bins.iter().enumerate() {
        let bh = (b.count as f64 / max) * (base - 10.0);
        let _ = write!(
            h,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>[{}, {}): {}</title></rect>",
            i as f64 * bw + 1.0,
            base - bh,
            (bw - 2.0).max(1.0),
            bh,
            escape(&short_number(b.lower)),
            escape(&short_number(b.upper)),
            b.count
        );
    }
    if let (Some(first), Some(last)) = (bins.first(), bins.last()) {
        let _ = write!(
            h,
            "<text x=\"0\" y=\"146\">{}</text><text x=\"{w}\" y=\"146\" text-anchor=\"end\">{}</text>",
            escape(&short_number(first.lower)),
            escape(&short_number(last.upper))
        );
    }
    h.push_str("</svg>");
}

fn bars_svg(h: &mut String, values: &[ValueCount]) {
    let row = 20.0;
    let (w, label_w) = (440.0, 150.0);
    let ht = row * values.len() as f64 + 4.0;
    let max = values.iter().map(|v| v.count).max().unwrap_or(0).max(1) as f64;
    let _ = write!(
        h,
        "<svg role=\"img\" aria-label=\"top values\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\">"
    );
    for (i, v) in values.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let bw = (v.count as f64 / max) * (w - label_w - 60.0);
        let _ = write!(
            h,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{label_w}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            escape(&truncate(&v.value, 22)),
            row - 4.0,
            escape(&v.value),
            v.count,
            label_w + bw + 4.0,
            y + 13.0,
            v.count
        );
    }
    h.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use profiler_crds::{Alert, AlertKind};

    use super::*;
    use crate::report::terminal::tests::profile;

    #[test]
    fn alerts_come_first_with_badges() {
        let alert = |kind, column: &str, figure, threshold| Alert {
            kind,
            column: Some(column.into()),
            figure,
            threshold,
            message: format!("{column}: <what> happened"),
        };
        let p = profile(vec![
            alert(AlertKind::MostlyNull, "amount", 0.7, 0.5),
            alert(AlertKind::Zeros, "amount", 0.2, 0.1),
            alert(AlertKind::MostlyNull, "amount", 0.9, 0.5),
        ]);
        let html = render(&p);
        let alerts_at = html.find("<section class=\"alerts\"").expect("the alerts section");
        assert!(alerts_at < html.find("class=\"overview\"").expect("the overview"), "alerts come first");
        assert!(html.contains("data-kind=\"mostlyNull\">mostly null<b>2</b></span>"), "{html}");
        assert!(html.contains("data-kind=\"zeros\">zeros<b>1</b></span>"), "{html}");
        assert!(html.contains("<td><a href=\"#col-amount\">amount</a></td><td>mostly null</td><td class=\"n\">70%</td><td class=\"n\">&gt; 50%</td><td>&lt;what&gt; happened</td>"), "{html}");
        assert!(html.contains("<tr><th>alerts</th><td>mostly null, zeros, mostly null</td></tr>"), "{html}");
        assert!(render(&profile(vec![])).contains("No alerts."));
    }
}
