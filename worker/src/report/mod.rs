//! Renderings of a profile: the JSON document, a self-contained HTML report, a terminal table.

pub mod alerts;
pub mod check_terminal;
pub mod diff_html;
pub mod diff_json;
pub mod diff_terminal;
pub mod html;
pub mod json;
pub mod terminal;

use profiler_crds::{ColumnKind, ColumnProfile, IcebergReadInfo, NumericStats, Sampling};

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

/// A min or max cell: numbers whole (a number cut short would read as another number; decimal
/// columns carry every digit), other values cut to `max` characters.
pub fn bound(c: &ColumnProfile, value: Option<&str>, max: usize) -> String {
    match value {
        None => "-".to_owned(),
        Some(v) if c.kind == ColumnKind::Numeric => v.to_owned(),
        Some(v) => truncate(v, max),
    }
}

/// The sum of a numeric column: exact, digit for digit, for decimal columns (noting a sum wider
/// than `DECIMAL(38)`), else the f64 sum in short form.
pub fn sum_text(n: &NumericStats) -> String {
    match &n.decimal {
        Some(d) if d.sum_exceeds_38_digits => format!("{} (more than 38 digits)", d.sum),
        Some(d) => d.sum.clone(),
        None => short_number(n.sum),
    }
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

/// One line on how an Iceberg snapshot was read: schema, delete files, partitioning.
pub fn iceberg_line(i: &IcebergReadInfo) -> String {
    let mut parts = vec![format!("schema {}", i.schema_id)];
    if i.delete_files > 0 {
        parts.push(format!("{} delete file(s) applied", i.delete_files));
    }
    match &i.partitioning {
        None => parts.push("unpartitioned".to_owned()),
        Some(p) => {
            let spec = p.specs.iter().find(|s| s.spec_id == p.default_spec_id).or(p.specs.last());
            let fields = spec
                .map(|s| {
                    s.fields
                        .iter()
                        .map(|f| format!("{}({})", f.transform, f.source_column))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let specs = if p.specs.len() > 1 { format!(" ({} specs)", p.specs.len()) } else { String::new() };
            parts.push(format!("partitioned by {fields}{specs}, {} partitions", p.partition_count));
        }
    }
    parts.join(" · ")
}

/// A plain-text table: the header, a rule, then the rows, columns padded to their widest cell;
/// the columns for which `right_aligned` holds are aligned right (figures), the others left.
pub fn text_table<const N: usize>(
    header: [&str; N],
    rows: &[[String; N]],
    right_aligned: impl Fn(usize) -> bool,
) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if right_aligned(i) {
                s.push_str(&format!("{pad}{cell}  "));
            } else {
                s.push_str(&format!("{cell}{pad}  "));
            }
        }
        s.trim_end().to_owned()
    };
    let mut out = line(&header.map(String::from));
    out.push('\n');
    out.push_str(&widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use profiler_crds::DecimalStats;

    use super::*;

    fn decimal_column() -> ColumnProfile {
        let mut c = ColumnProfile::with_counts("amount".into(), "Decimal128(38, 9)".into(), ColumnKind::Numeric, 3, 0);
        c.min = Some("-99999999999999999999999999999.999999999".into());
        c.max = Some("99999999999999999999999999999.999999999".into());
        c
    }

    #[test]
    fn numbers_are_never_cut_short() {
        let c = decimal_column();
        assert_eq!(bound(&c, c.min.as_deref(), 24), "-99999999999999999999999999999.999999999");
        let mut s = ColumnProfile::with_counts("s".into(), "Utf8".into(), ColumnKind::String, 1, 0);
        s.max = Some("x".repeat(30));
        assert_eq!(bound(&s, s.max.as_deref(), 24).chars().count(), 24);
        assert_eq!(bound(&s, None, 24), "-");
    }

    #[test]
    fn decimal_sums_are_exact() {
        let stats = |decimal| NumericStats {
            min: None,
            max: None,
            sum: 4e38,
            mean: None,
            variance: None,
            stddev: None,
            zeros: 0,
            negatives: 0,
            nan: 0,
            positive_infinity: 0,
            negative_infinity: 0,
            moments: Default::default(),
            distribution: None,
            decimal,
        };
        let exact = DecimalStats {
            precision: 38,
            scale: 0,
            min: None,
            max: None,
            sum: "399999999999999999999999999999999999996".into(),
            sum_exceeds_38_digits: true,
        };
        assert_eq!(sum_text(&stats(Some(exact))), "399999999999999999999999999999999999996 (more than 38 digits)");
        assert_eq!(sum_text(&stats(None)), "4.000e38");
    }
}
