//! The checks of one column: structure (added, removed, renamed, retyped), nulls, distinct count,
//! moments, quantiles, KLL distances, top values and content types.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveTime};

use profiler_crds::Figure::{Number, Text};
use profiler_crds::{
    ColumnComparison, ColumnKind, ColumnProfile, ColumnRef, ColumnStatistics, Distribution, FindingKind, Quantile,
    TextStats,
};

use super::Context;
use super::collector::{Collector, Draft};
use super::distribution::{PsiBin, ks_at, psi_bins};
use super::matching::Pair;
use crate::sketch::QuantileSketch;

/// The quantiles whose shifts are compared (p5 .. p95).
const SHIFT_RANKS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Compares one column of either profile, recording its findings and skipped checks.
pub(super) fn compare_column(pair: &Pair, cx: &Context, out: &mut Collector) -> ColumnComparison {
    let column = pair.column();
    let mut statistics = ColumnStatistics::default();
    let t = cx.thresholds;
    match (pair.a, pair.b) {
        (None, Some(b)) => {
            let draft = Draft::new(FindingKind::ColumnAdded, Some(&column), None, Some(Text(b.data_type.clone())))
                .message(format!("column {} ({}) was added", b.name, b.data_type));
            out.add(draft, t.column_added, None);
        }
        (Some(a), None) => {
            let draft = Draft::new(FindingKind::ColumnRemoved, Some(&column), Some(Text(a.data_type.clone())), None)
                .message(format!("column {} ({}) was removed", a.name, a.data_type));
            out.add(draft, t.column_removed, None);
        }
        (Some(a), Some(b)) => Column { a, b, column: &column, cx, out, statistics: &mut statistics }.compare(),
        (None, None) => {}
    }
    ColumnComparison {
        column,
        matched_by: pair.matched_by,
        kind_a: pair.a.map(|c| c.kind),
        kind_b: pair.b.map(|c| c.kind),
        data_type_a: pair.a.map(|c| c.data_type.clone()),
        data_type_b: pair.b.map(|c| c.data_type.clone()),
        statistics,
    }
}

/// A matched column under comparison.
struct Column<'c, 'p> {
    a: &'p ColumnProfile,
    b: &'p ColumnProfile,
    column: &'c ColumnRef,
    cx: &'c Context<'p>,
    out: &'c mut Collector,
    statistics: &'c mut ColumnStatistics,
}

impl Column<'_, '_> {
    fn compare(&mut self) {
        let (a, b, t) = (self.a, self.b, self.cx.thresholds);
        if a.name != b.name {
            let draft = self
                .draft(FindingKind::ColumnRenamed, Some(Text(a.name.clone())), Some(Text(b.name.clone())))
                .message(format!("column {} was renamed to {} (same field id)", a.name, b.name));
            self.out.add(draft, t.column_renamed, None);
        }
        if a.data_type != b.data_type {
            let draft = self
                .draft(FindingKind::TypeChanged, Some(Text(a.data_type.clone())), Some(Text(b.data_type.clone())))
                .message(format!("type changed from {} to {}", a.data_type, b.data_type));
            self.out.add(draft, t.type_changed, None);
        }
        self.null_fraction();
        self.distinct();
        // Values of different kinds, or temporal values in different units, do not compare.
        if a.kind != b.kind || a.temporal.as_ref().map(|x| &x.unit) != b.temporal.as_ref().map(|x| &x.unit) {
            return;
        }
        match a.kind {
            ColumnKind::Numeric => {
                self.moments();
                self.distribution();
            }
            ColumnKind::Temporal => self.distribution(),
            ColumnKind::String => {
                self.top_values();
                self.content_types();
            }
            ColumnKind::Binary => self.top_values(),
            _ => {}
        }
    }

    fn draft(&self, kind: FindingKind, a: Option<profiler_crds::Figure>, b: Option<profiler_crds::Figure>) -> Draft {
        Draft::new(kind, Some(self.column), a, b)
    }

    fn skip(&mut self, check: FindingKind, reason: impl Into<String>) {
        self.out.skip(check, Some(&self.column.name), reason);
    }

    /// Why a side lacks `what`, or None when both have it.
    fn lacking(&self, has_a: bool, has_b: bool, what: &str) -> Option<String> {
        match (has_a, has_b) {
            (true, true) => None,
            (false, _) => Some(self.cx.a.lacks(what)),
            (true, false) => Some(self.cx.b.lacks(what)),
        }
    }

    /// Whether both sides have at least `minValues` values (`na`, `nb`); records the skip of
    /// `checks` when not.
    fn enough(&mut self, na: u64, nb: u64, checks: &[FindingKind]) -> bool {
        let min = self.cx.thresholds.min_values;
        if na >= min && nb >= min {
            return true;
        }
        if na > 0 && nb > 0 {
            for &check in checks {
                self.skip(check, format!("fewer than minValues ({min}) values on a side"));
            }
        }
        false
    }

    fn null_fraction(&mut self) {
        let (a, b, t) = (self.a, self.b, self.cx.thresholds);
        if a.count == 0 || b.count == 0 {
            let side = if a.count == 0 { "A" } else { "B" };
            self.skip(FindingKind::NullFractionChanged, format!("{side} has no rows"));
            return;
        }
        self.statistics.null_fraction_a = Some(a.null_fraction);
        self.statistics.null_fraction_b = Some(b.null_fraction);
        let change = (b.null_fraction - a.null_fraction).abs();
        let draft = self
            .draft(FindingKind::NullFractionChanged, Some(Number(a.null_fraction)), Some(Number(b.null_fraction)))
            .statistic(change)
            .message(format!(
                "null fraction {} -> {} ({:+.1} points)",
                percent(a.null_fraction),
                percent(b.null_fraction),
                (b.null_fraction - a.null_fraction) * 100.0
            ));
        self.out.graded(draft, t.null_fraction_warning, t.null_fraction_critical, false);
    }

    fn distinct(&mut self) {
        let (a, b, t) = (self.a, self.b, self.cx.thresholds);
        if a.non_null == 0 || b.non_null == 0 {
            return;
        }
        let (da, db) = match (&a.distinct, &b.distinct) {
            (Some(da), Some(db)) => (da, db),
            (da, db) => {
                if let Some(reason) = self.lacking(da.is_some(), db.is_some(), "distinct count") {
                    self.skip(FindingKind::DistinctCountChanged, reason);
                }
                return;
            }
        };
        if let Some(side) = [&self.cx.a, &self.cx.b].into_iter().find(|s| s.sampled()) {
            let reason = format!("{} is a sample, whose distinct count does not estimate the table's", side.label);
            self.skip(FindingKind::DistinctCountChanged, reason);
            return;
        }
        self.statistics.distinct_a = Some(da.estimate);
        self.statistics.distinct_b = Some(db.estimate);
        let overlap = da.lower_bound.min(da.estimate) <= db.upper_bound.max(db.estimate)
            && db.lower_bound.min(db.estimate) <= da.upper_bound.max(da.estimate);
        self.statistics.distinct_intervals_overlap = Some(overlap);
        if overlap {
            return;
        }
        let change = if da.estimate > 0.0 { (db.estimate - da.estimate).abs() / da.estimate } else { 1.0 };
        let draft = self
            .draft(FindingKind::DistinctCountChanged, Some(Number(da.estimate)), Some(Number(db.estimate)))
            .statistic(change)
            .message(format!(
                "distinct count ~{:.0} [{:.0}, {:.0}] -> ~{:.0} [{:.0}, {:.0}] ({:+.1}%; the error intervals do not overlap)",
                da.estimate,
                da.lower_bound,
                da.upper_bound,
                db.estimate,
                db.lower_bound,
                db.upper_bound,
                signed_relative(da.estimate, db.estimate) * 100.0
            ));
        self.out.graded(draft, t.distinct_warning, t.distinct_critical, true);
    }

    fn moments(&mut self) {
        let t = self.cx.thresholds;
        let checks = [FindingKind::MeanShifted, FindingKind::StddevChanged];
        let (na, nb) = match (&self.a.numeric, &self.b.numeric) {
            (Some(na), Some(nb)) => (na, nb),
            (na, nb) => {
                if let Some(reason) = self.lacking(na.is_some(), nb.is_some(), "mean and standard deviation") {
                    checks.iter().for_each(|&c| self.skip(c, reason.clone()));
                }
                return;
            }
        };
        let count =
            |n: &profiler_crds::NumericStats, c: &ColumnProfile| if n.moments.n > 0 { n.moments.n } else { c.non_null };
        if !self.enough(count(na, self.a), count(nb, self.b), &checks) {
            return;
        }
        let (Some(ma), Some(sa), Some(mb), Some(sb)) = (na.mean, na.stddev, nb.mean, nb.stddev) else {
            let reason = self
                .lacking(
                    na.mean.zip(na.stddev).is_some(),
                    nb.mean.zip(nb.stddev).is_some(),
                    "mean and standard deviation",
                )
                .unwrap_or_default();
            checks.iter().for_each(|&c| self.skip(c, reason.clone()));
            return;
        };
        if !(sa > 0.0 && sa.is_finite()) {
            let reason = "A's standard deviation is 0 (a constant column; the KS distance covers a change)";
            checks.iter().for_each(|&c| self.skip(c, reason));
            return;
        }
        let shift = (mb - ma).abs() / sa;
        let change = (sb - sa).abs() / sa;
        self.statistics.mean_shift = Some(shift);
        self.statistics.stddev_change = Some(change);
        let draft = self
            .draft(FindingKind::MeanShifted, Some(Number(ma)), Some(Number(mb)))
            .statistic(shift)
            .message(format!("mean {} -> {} ({shift:.2} standard deviations of A)", short(ma), short(mb)));
        self.out.graded(draft, t.mean_shift_warning, t.mean_shift_critical, false);
        let draft =
            self.draft(FindingKind::StddevChanged, Some(Number(sa)), Some(Number(sb))).statistic(change).message(
                format!("standard deviation {} -> {} ({:+.1}%)", short(sa), short(sb), signed_relative(sa, sb) * 100.0),
            );
        self.out.graded(draft, t.stddev_change_warning, t.stddev_change_critical, false);
    }

    fn distribution(&mut self) {
        let (a, b) = (self.a, self.b);
        let da = a
            .numeric
            .as_ref()
            .and_then(|n| n.distribution.as_ref())
            .or(a.temporal.as_ref().and_then(|t| t.distribution.as_ref()));
        let db = b
            .numeric
            .as_ref()
            .and_then(|n| n.distribution.as_ref())
            .or(b.temporal.as_ref().and_then(|t| t.distribution.as_ref()));
        if a.non_null == 0 || b.non_null == 0 {
            return;
        }
        match (da, db) {
            (Some(da), Some(db)) => self.quantiles(da, db),
            _ => {
                if let Some(reason) = self.lacking(da.is_some(), db.is_some(), "quantiles") {
                    self.skip(FindingKind::QuantileShifted, reason);
                }
            }
        }
        self.sketch_distances();
    }

    fn quantiles(&mut self, da: &Distribution, db: &Distribution) {
        let t = self.cx.thresholds;
        if !self.enough(self.a.non_null, self.b.non_null, &[FindingKind::QuantileShifted]) {
            return;
        }
        let (Some(q25), Some(q75)) = (at(da, 0.25), at(da, 0.75)) else {
            self.skip(FindingKind::QuantileShifted, "A has no p25 and p75");
            return;
        };
        let iqr = q75.value - q25.value;
        if !(iqr > 0.0 && iqr.is_finite()) {
            self.skip(FindingKind::QuantileShifted, "A's interquartile range is 0 (the KS distance covers a change)");
            return;
        }
        let mut largest: Option<(f64, f64, &Quantile, &Quantile)> = None;
        for rank in SHIFT_RANKS {
            if let (Some(qa), Some(qb)) = (at(da, rank), at(db, rank)) {
                let shift = (qb.value - qa.value).abs() / iqr;
                if largest.is_none_or(|l| shift > l.0) {
                    largest = Some((shift, rank, qa, qb));
                }
            }
        }
        let Some((shift, rank, qa, qb)) = largest else {
            self.skip(FindingKind::QuantileShifted, "the profiles share no quantile rank");
            return;
        };
        self.statistics.quantile_shift = Some(shift);
        let label = format!("p{:.0}", rank * 100.0);
        let draft = self
            .draft(FindingKind::QuantileShifted, Some(Number(qa.value)), Some(Number(qb.value)))
            .statistic(shift)
            .detail(label.clone())
            .message(format!("{label} {} -> {} ({shift:.2} interquartile ranges of A)", qa.label, qb.label));
        self.out.graded(draft, t.quantile_shift_warning, t.quantile_shift_critical, false);
    }

    fn sketch_distances(&mut self) {
        let t = self.cx.thresholds;
        let checks = [FindingKind::KsDistance, FindingKind::Psi];
        let (ia, ib) = (self.a.sketches.kll.is_some(), self.b.sketches.kll.is_some());
        if let Some(reason) = self.lacking(ia, ib, "KLL sketch") {
            checks.iter().for_each(|&c| self.skip(c, reason.clone()));
            return;
        }
        let read = |c: &ColumnProfile, label: &str| {
            QuantileSketch::from_profile(c).map_err(|e| {
                tracing::warn!(column = %c.name, error = %e, "KLL sketch unreadable; KS and PSI skipped");
                format!("{label}'s KLL sketch cannot be read")
            })
        };
        let (sa, sb) = match (read(self.a, "A"), read(self.b, "B")) {
            (Ok(sa), Ok(sb)) => (sa, sb),
            (Err(reason), _) | (_, Err(reason)) => {
                checks.iter().for_each(|&c| self.skip(c, reason.clone()));
                return;
            }
        };
        if !self.enough(sa.n(), sb.n(), &checks) {
            return;
        }
        let (va, vb) = (sa.sorted_view(), sb.sorted_view());
        let point = ks_at(&va, &vb);
        let bins = psi_bins(&va, &vb);
        let p: f64 = bins.iter().map(PsiBin::term).sum();
        self.statistics.ks = Some(point.distance);
        self.statistics.psi = Some(p);
        let x = self.value_text(point.x);
        let draft = self
            .draft(FindingKind::KsDistance, Some(Number(point.a)), Some(Number(point.b)))
            .statistic(point.distance)
            .detail(format!("at {x}"))
            .message(format!(
                "distributions differ: Kolmogorov-Smirnov distance {:.3}, largest at {x} ({} of A and {} of B at or below it)",
                point.distance,
                percent(point.a),
                percent(point.b)
            ));
        self.out.graded(draft, t.ks_warning, t.ks_critical, false);
        let Some(worst) = bins.iter().max_by(|x, y| x.term().total_cmp(&y.term())) else { return };
        let bin = match (worst.lower, worst.upper) {
            (Some(lo), Some(hi)) => format!("[{}, {})", self.value_text(lo), self.value_text(hi)),
            (None, Some(hi)) => format!("below {}", self.value_text(hi)),
            (Some(lo), None) => format!("from {}", self.value_text(lo)),
            (None, None) => "all values".to_owned(),
        };
        let draft = self
            .draft(FindingKind::Psi, Some(Number(worst.a)), Some(Number(worst.b)))
            .statistic(p)
            .detail(bin.clone())
            .message(format!(
                "population stability index {p:.3} over A's deciles; bin {bin} moved most: {} of A, {} of B",
                percent(worst.a),
                percent(worst.b)
            ));
        self.out.graded(draft, t.psi_warning, t.psi_critical, false);
    }

    /// A value of the column as text: the number, or for temporal columns the ISO 8601 time
    /// when the unit is known.
    fn value_text(&self, x: f64) -> String {
        if self.a.temporal.is_some() { temporal_label(x, self.a) } else { short(x) }
    }

    fn top_values(&mut self) {
        let (a, b, t) = (self.a, self.b, self.cx.thresholds);
        if a.non_null == 0 || b.non_null == 0 {
            return;
        }
        let (Some(ta), Some(tb)) = (&a.text, &b.text) else {
            if let Some(reason) = self.lacking(a.text.is_some(), b.text.is_some(), "top values") {
                self.skip(FindingKind::TopValueAppeared, reason.clone());
                self.skip(FindingKind::TopValueDisappeared, reason);
            }
            return;
        };
        for (kind, from, to, from_col, to_col) in
            [(FindingKind::TopValueAppeared, ta, tb, a, b), (FindingKind::TopValueDisappeared, tb, ta, b, a)]
        {
            // A value missing from `from`'s list is new only if it would have been listed there:
            // the list holds every value, or the value is now more frequent than the rarest listed.
            let floor = if complete(from, from_col) {
                0.0
            } else {
                from.top_values.iter().map(|v| share(v.count, from_col)).fold(f64::INFINITY, f64::min)
            };
            let known: BTreeSet<&str> = from.top_values.iter().map(|v| v.value.as_str()).collect();
            for v in to.top_values.iter().filter(|v| !known.contains(v.value.as_str())) {
                let s = share(v.count, to_col);
                if s <= floor {
                    continue;
                }
                let (fa, fb, verb) = match kind {
                    FindingKind::TopValueAppeared => (None, Some(Number(s)), "appeared among the top values"),
                    _ => (Some(Number(s)), None, "disappeared from the top values"),
                };
                let draft = self.draft(kind, fa, fb).statistic(s).detail(v.value.clone()).message(format!(
                    "{:?} {verb} ({} of values)",
                    crate::compare::clip(&v.value, 40),
                    percent(s)
                ));
                self.out.graded(draft, t.top_value_share_warning, t.top_value_share_critical, true);
            }
        }
    }

    fn content_types(&mut self) {
        let (a, b, t) = (self.a, self.b, self.cx.thresholds);
        if a.non_null == 0 || b.non_null == 0 {
            return;
        }
        let ia = a.text.as_ref().and_then(|x| x.inferred_type.as_ref());
        let ib = b.text.as_ref().and_then(|x| x.inferred_type.as_ref());
        let (Some(ia), Some(ib)) = (ia, ib) else {
            if let Some(reason) = self.lacking(ia.is_some(), ib.is_some(), "content types") {
                self.skip(FindingKind::ContentTypeMixChanged, reason);
            }
            return;
        };
        let (total_a, total_b) = (ia.counts.values().sum::<u64>(), ib.counts.values().sum::<u64>());
        if total_a == 0 || total_b == 0 {
            return;
        }
        let types: BTreeSet<_> = ia.counts.keys().chain(ib.counts.keys()).copied().collect();
        let mut distance = 0.0;
        let mut largest = (0.0, None, 0.0, 0.0);
        for ty in types {
            let fa = ia.counts.get(&ty).copied().unwrap_or(0) as f64 / total_a as f64;
            let fb = ib.counts.get(&ty).copied().unwrap_or(0) as f64 / total_b as f64;
            distance += (fa - fb).abs() / 2.0;
            if (fa - fb).abs() > largest.0 + 1e-12 {
                largest = ((fa - fb).abs(), Some(ty), fa, fb);
            }
        }
        self.statistics.content_type_distance = Some(distance);
        let Some(ty) = largest.1 else { return };
        let name = serde_name(ty);
        let draft = self
            .draft(FindingKind::ContentTypeMixChanged, Some(Number(largest.2)), Some(Number(largest.3)))
            .statistic(distance)
            .detail(name.clone())
            .message(format!(
                "content types changed (total variation {distance:.3}); {name}: {} -> {}",
                percent(largest.2),
                percent(largest.3)
            ));
        self.out.graded(draft, t.content_type_warning, t.content_type_critical, false);
    }
}

/// The quantile of `d` at `rank`.
fn at(d: &Distribution, rank: f64) -> Option<&Quantile> {
    d.quantiles.iter().find(|q| (q.rank - rank).abs() < 1e-9)
}

/// Whether a column's top values list every distinct value it has.
fn complete(text: &TextStats, column: &ColumnProfile) -> bool {
    text.top_values_max_error == 0
        && column
            .distinct
            .as_ref()
            .is_some_and(|d| d.upper_bound.max(d.estimate).round() <= text.top_values.len() as f64)
}

/// `count` as a fraction of a column's non-null values.
fn share(count: u64, column: &ColumnProfile) -> f64 {
    if column.non_null == 0 { 0.0 } else { count as f64 / column.non_null as f64 }
}

fn signed_relative(a: f64, b: f64) -> f64 {
    if a == 0.0 { 0.0 } else { (b - a) / a }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn short(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e6 || x.abs() < 1e-3) {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}").trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A raw temporal value of `column` in ISO 8601 (as the profile's labels), or the number with
/// its unit when it does not render.
fn temporal_label(x: f64, column: &ColumnProfile) -> String {
    let Some(t) = &column.temporal else { return short(x) };
    let raw = x.round() as i64;
    let per_second: i64 = match t.unit.as_str() {
        "seconds" => 1,
        "milliseconds" => 1_000,
        "microseconds" => 1_000_000,
        "nanoseconds" => 1_000_000_000,
        _ => 0,
    };
    let text = if per_second == 0 {
        i32::try_from(raw + 719_163).ok().and_then(NaiveDate::from_num_days_from_ce_opt).map(|d| d.to_string())
    } else {
        let (secs, nanos) =
            (raw.div_euclid(per_second), (raw.rem_euclid(per_second) * (1_000_000_000 / per_second)) as u32);
        if column.data_type.starts_with("Time32") || column.data_type.starts_with("Time64") {
            u32::try_from(secs)
                .ok()
                .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, nanos))
                .map(|t| t.format("%H:%M:%S%.f").to_string())
        } else {
            DateTime::from_timestamp(secs, nanos).map(|d| {
                let naive = d.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string();
                if t.timezone.is_some() { format!("{naive}Z") } else { naive }
            })
        }
    };
    text.unwrap_or_else(|| format!("{raw} {}", t.unit))
}

/// A content type's name as serialized (`email`).
fn serde_name(ty: profiler_crds::ContentType) -> String {
    format!("{ty:?}").to_lowercase()
}
