//! Renderings of a profile: the JSON document, a self-contained HTML report, a terminal table.

pub mod html;
pub mod json;
pub mod terminal;

use profiler_crds::{ColumnProfile, Sampling};

/// The sampling in words, e.g. "reservoir sample of 1000 rows (seed 42)".
pub fn describe_sampling(sampling: &Sampling) -> String {
    match *sampling {
        Sampling::Full => "full scan".to_owned(),
        Sampling::Reservoir { size, seed } => format!("reservoir sample of {size} rows (seed {seed})"),
        Sampling::Bernoulli { fraction, seed } => format!("Bernoulli sample, fraction {fraction} (seed {seed})"),
    }
}

/// A short, human summary of a number.
pub fn short_number(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 1e6 || x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}").trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Mean (numbers) or most frequent value (strings) or true share (booleans): one cell of text.
pub fn headline(c: &ColumnProfile) -> String {
    if let Some(n) = &c.numeric {
        return n.mean.map(|m| format!("mean {}", short_number(m))).unwrap_or_default();
    }
    if let Some(t) = &c.temporal {
        let median = t.distribution.as_ref().and_then(|d| d.quantiles.iter().find(|q| q.rank == 0.5));
        return median.map(|q| format!("median {}", truncate(&q.label, 23))).unwrap_or_default();
    }
    if let Some(t) = &c.text {
        if let Some(top) = t.top_values.first() {
            return format!("top {:?} ×{}", truncate(&top.value, 24), top.count);
        }
        if let Some(inferred) = &t.inferred_type {
            return format!("{:?} {:.0}%", inferred.content_type, inferred.fraction * 100.0).to_lowercase();
        }
        return String::new();
    }
    if let Some(b) = &c.boolean {
        let n = b.true_count + b.false_count;
        return if n == 0 { String::new() } else { format!("true {:.1}%", b.true_count as f64 * 100.0 / n as f64) };
    }
    if let Some(l) = &c.list {
        return l.mean_length.map(|m| format!("mean length {}", short_number(m))).unwrap_or_default();
    }
    String::new()
}

/// `s` cut to `max` characters with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
