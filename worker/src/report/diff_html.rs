//! `diff.html`: the comparison of two profiles as one self-contained page (inline CSS and SVG; no
//! script, font or image is fetched): the summary, the findings, and for each numeric or temporal
//! column both distributions overlaid as CDF curves from the KLL sketches.

use std::fmt::Write;
use std::path::Path;

use profiler_crds::{
    ColumnComparison, ColumnKind, ColumnProfile, ProfileComparison, ProfileIdentity, Severity, TableProfile,
};
use profiler_engine::{CdfOverlay, cdf_overlay};

use super::diff_terminal::{figure, summary_line};
use super::html::escape;
use super::short_number;
use crate::error::WorkerError;

/// Points of each CDF curve.
const CURVE_POINTS: usize = 160;

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1d2433;background:#f6f7f9}\
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.05rem;margin:1.2rem 0 .5rem}h3{font-size:1rem;margin:0 0 .4rem}\
.muted{color:#5b6475}table{border-collapse:collapse;background:#fff}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #e3e6eb}\
th{font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:1rem}\
.card{background:#fff;border:1px solid #e3e6eb;border-radius:8px;padding:1rem}\
.sev{border-radius:4px;padding:.05rem .45rem;font-size:.8rem;font-weight:600}\
.critical{background:#fde2e1;color:#a11d16}.warning{background:#fff1d6;color:#8a5300}.info{background:#e6eefb;color:#24538f}\
.summary{font-size:1.05rem;margin:.8rem 0}svg text{font:11px system-ui,sans-serif;fill:#5b6475}\
.ca{stroke:#4c78a8}.cb{stroke:#e45756}.legend span{margin-right:1rem}";

/// Writes the page of `comparison` (of profiles `a` and `b`) to `path`.
pub fn write(
    comparison: &ProfileComparison,
    a: &TableProfile,
    b: &TableProfile,
    path: &Path,
) -> Result<(), WorkerError> {
    std::fs::write(path, render(comparison, a, b))
        .map_err(|e| WorkerError::Output { path: path.to_path_buf(), reason: e.to_string() })
}

/// The page as a string.
pub fn render(c: &ProfileComparison, a: &TableProfile, b: &TableProfile) -> String {
    let mut h = String::new();
    let title = format!("Comparison of {}", c.b.location);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t}</title><style>{STYLE}</style></head><body><h1>{t}</h1>",
        t = escape(&title)
    );
    let _ = write!(h, "<p class=\"muted\">profiler {}</p><table>", escape(&c.profiler_version));
    for (label, p) in [("A (baseline)", &c.a), ("B", &c.b)] {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(label), escape(&identity(p)));
    }
    h.push_str("</table>");
    let badge = c.summary.highest_severity.map(|s| format!("{} ", badge(s))).unwrap_or_default();
    let _ = write!(h, "<p class=\"summary\">{badge}{}</p>", escape(&summary_line(c)));
    findings(&mut h, c);
    let cards: Vec<String> = c.columns.iter().filter_map(|col| distribution_card(col, a, b)).collect();
    if !cards.is_empty() {
        let _ = write!(
            h,
            "<h2>Distributions</h2><p class=\"legend muted\"><span><svg width=\"18\" height=\"4\"><line class=\"ca\" x1=\"0\" y1=\"2\" x2=\"18\" y2=\"2\" stroke-width=\"2\"/></svg> A</span>\
             <span><svg width=\"18\" height=\"4\"><line class=\"cb\" x1=\"0\" y1=\"2\" x2=\"18\" y2=\"2\" stroke-width=\"2\"/></svg> B</span>\
             cumulative share of values (from the KLL sketches)</p><div class=\"grid\">{}</div>",
            cards.concat()
        );
    }
    if !c.skipped.is_empty() {
        h.push_str("<h2>Skipped checks</h2><table><tr><th>check</th><th>columns</th><th>why</th></tr>");
        for s in &c.skipped {
            let columns = if s.columns.is_empty() { "(table)".to_owned() } else { s.columns.join(", ") };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(s.check.as_str()),
                escape(&columns),
                escape(&s.reason)
            );
        }
        h.push_str("</table>");
    }
    if !c.notes.is_empty() {
        h.push_str("<h2>Notes</h2><ul>");
        for note in &c.notes {
            let _ = write!(h, "<li>{}</li>", escape(note));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}

fn identity(p: &ProfileIdentity) -> String {
    let snapshot = p.snapshot_id.map(|s| format!(" · snapshot {s}")).unwrap_or_default();
    format!("{}{snapshot} · {} rows · started {}", p.location, p.row_count, p.started_at)
}

fn badge(s: Severity) -> String {
    format!("<span class=\"sev {s}\">{s}</span>")
}

fn findings(h: &mut String, c: &ProfileComparison) {
    if c.findings.is_empty() {
        h.push_str("<p>No findings: the profiles agree within the thresholds.</p>");
        return;
    }
    h.push_str(
        "<h2>Findings</h2><table><tr><th>severity</th><th>column</th><th>kind</th><th>A</th><th>B</th>\
         <th>statistic</th><th>threshold</th><th>what</th></tr>",
    );
    for f in &c.findings {
        let column = f.column.as_ref().map(|c| c.name.as_str()).unwrap_or("(table)");
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            badge(f.severity),
            escape(column),
            escape(f.kind.as_str()),
            escape(&figure(f.a.as_ref())),
            escape(&figure(f.b.as_ref())),
            f.statistic.map(|s| format!("{s:.3}")).unwrap_or_else(|| "-".into()),
            f.threshold.map(short_number).unwrap_or_else(|| "-".into()),
            escape(&f.message),
        );
    }
    h.push_str("</table>");
}

/// The card of a numeric or temporal column both profiles have sketches of.
fn distribution_card(col: &ColumnComparison, a: &TableProfile, b: &TableProfile) -> Option<String> {
    let numeric = |k: Option<ColumnKind>| matches!(k, Some(ColumnKind::Numeric | ColumnKind::Temporal));
    if !numeric(col.kind_a) || col.kind_a != col.kind_b {
        return None;
    }
    let name_a = col.column.previous_name.as_deref().unwrap_or(&col.column.name);
    let ca: &ColumnProfile = a.columns.iter().find(|c| c.name == name_a)?;
    let cb: &ColumnProfile = b.columns.iter().find(|c| c.name == col.column.name)?;
    let overlay = cdf_overlay(ca, cb, CURVE_POINTS)?;
    let mut h = String::new();
    let _ = write!(h, "<section class=\"card\"><h3>{}</h3>", escape(&col.column.name));
    cdf_svg(&mut h, &overlay, (ca.min.as_deref(), cb.min.as_deref()), (ca.max.as_deref(), cb.max.as_deref()));
    let s = &col.statistics;
    let cell = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
    let _ = write!(
        h,
        "<table><tr><th>KS</th><td class=\"n\">{}</td><th>PSI</th><td class=\"n\">{}</td></tr>\
         <tr><th>mean shift (σ of A)</th><td class=\"n\">{}</td><th>quantile shift (IQR of A)</th><td class=\"n\">{}</td></tr>\
         <tr><th>nulls A</th><td class=\"n\">{}</td><th>nulls B</th><td class=\"n\">{}</td></tr></table></section>",
        cell(s.ks),
        cell(s.psi),
        cell(s.mean_shift),
        cell(s.quantile_shift),
        s.null_fraction_a.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "-".into()),
        s.null_fraction_b.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "-".into()),
    );
    Some(h)
}

/// Both CDFs as polylines over one x axis, labelled with the smaller minimum and larger maximum.
fn cdf_svg(h: &mut String, o: &CdfOverlay, mins: (Option<&str>, Option<&str>), maxes: (Option<&str>, Option<&str>)) {
    let (w, ht, left, top, bottom) = (440.0, 150.0, 30.0, 6.0, 18.0);
    let plot_w = w - left - 4.0;
    let plot_h = ht - top - bottom;
    let (lo, hi) = (o.x.first().copied().unwrap_or(0.0), o.x.last().copied().unwrap_or(0.0));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let points = |ys: &[f64]| -> String {
        o.x.iter()
            .zip(ys)
            .map(|(x, y)| format!("{:.1},{:.1}", left + (x - lo) / span * plot_w, top + (1.0 - y) * plot_h))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The axis ends show the values' own text (dates for temporal columns).
    let low = [mins.0, mins.1].into_iter().flatten().min_by(|x, y| compare_text(x, y)).unwrap_or("");
    let high = [maxes.0, maxes.1].into_iter().flatten().max_by(|x, y| compare_text(x, y)).unwrap_or("");
    let _ = write!(
        h,
        "<svg width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" role=\"img\">\
         <line x1=\"{left}\" y1=\"{yb}\" x2=\"{xr}\" y2=\"{yb}\" stroke=\"#c9ced8\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{yb}\" stroke=\"#c9ced8\"/>\
         <text x=\"2\" y=\"{ty1}\">1</text><text x=\"2\" y=\"{yb}\">0</text>\
         <polyline class=\"ca\" fill=\"none\" stroke-width=\"2\" points=\"{pa}\"/>\
         <polyline class=\"cb\" fill=\"none\" stroke-width=\"2\" points=\"{pb}\"/>\
         <text x=\"{left}\" y=\"{ht}\">{lo_t}</text><text x=\"{xr}\" y=\"{ht}\" text-anchor=\"end\">{hi_t}</text></svg>",
        yb = top + plot_h,
        xr = left + plot_w,
        ty1 = top + 8.0,
        pa = points(&o.a),
        pb = points(&o.b),
        lo_t = escape(&super::truncate(low, 32)),
        hi_t = escape(&super::truncate(high, 32)),
    );
}

/// Orders two value texts as numbers when both are numbers, else as text (ISO dates sort as
/// text).
fn compare_text(x: &str, y: &str) -> std::cmp::Ordering {
    match (x.parse::<f64>(), y.parse::<f64>()) {
        (Ok(a), Ok(b)) => a.total_cmp(&b),
        _ => x.cmp(y),
    }
}
