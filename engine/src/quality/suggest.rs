//! Rule suggestion: a rule set recommended from a profile alone (`profiler suggest`).
//!
//! Every rule states in its rationale the profile figure it came from. A rule is suggested only
//! when the profile's figures support it within their error: exact counts (nulls, lengths,
//! content types, min/max) support their rules directly; the distinct estimate supports a
//! uniqueness rule only when its 95% bounds include the non-null count of a full scan ("likely
//! unique"); top values support an allowed-values rule only when their counts are exact and cover
//! every non-null value. The thresholds and margins are [`SuggestOptions`]; docs/rules.md states
//! them.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate};
use profiler_crds::quality::{ALLOWED_VALUE, RULE_NAME, Rule, RuleSet, RuleType, SuggestedFrom, validate_rules};
use profiler_crds::rules::NAME;
use profiler_crds::{ColumnKind, ColumnProfile, ContentType, Distribution, TableProfile};
use tracing::warn;

/// Thresholds and margins of [`suggest`]; the defaults are the associated constants.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestOptions {
    /// `rowCount` lower bound as a multiple of the profiled table's rows.
    pub row_count_min_factor: f64,
    /// `rowCount` upper bound as a multiple of the profiled table's rows.
    pub row_count_max_factor: f64,
    /// Least margin below an observed fraction (`completeness`, `contentType`), in fraction points.
    pub fraction_margin: f64,
    /// Binomial standard errors below an observed fraction, when more than `fraction_margin`.
    pub fraction_standard_errors: f64,
    /// Most values of a suggested `allowedValues` rule.
    pub max_allowed_values: usize,
    /// `range` bounds are widened by this share of the observed span (max - min) on each side.
    pub range_margin: f64,
    /// A tail is heavy when the extreme lies more than this many p1..p99 widths beyond p99 (or
    /// below p1); that end of the range is then left open.
    pub heavy_tail_factor: f64,
    /// `stringLength` bounds are widened by this share of the observed lengths.
    pub length_margin: f64,
    /// Least share of non-null strings of one content type (other than text) for a
    /// `contentType` rule.
    pub content_type_min_fraction: f64,
}

impl SuggestOptions {
    /// Default of [`Self::row_count_min_factor`].
    pub const ROW_COUNT_MIN_FACTOR: f64 = 0.5;
    /// Default of [`Self::row_count_max_factor`].
    pub const ROW_COUNT_MAX_FACTOR: f64 = 2.0;
    /// Default of [`Self::fraction_margin`].
    pub const FRACTION_MARGIN: f64 = 0.01;
    /// Default of [`Self::fraction_standard_errors`].
    pub const FRACTION_STANDARD_ERRORS: f64 = 3.0;
    /// Default of [`Self::max_allowed_values`].
    pub const MAX_ALLOWED_VALUES: usize = 20;
    /// Default of [`Self::range_margin`].
    pub const RANGE_MARGIN: f64 = 0.1;
    /// Default of [`Self::heavy_tail_factor`].
    pub const HEAVY_TAIL_FACTOR: f64 = 3.0;
    /// Default of [`Self::length_margin`].
    pub const LENGTH_MARGIN: f64 = 0.2;
    /// Default of [`Self::content_type_min_fraction`].
    pub const CONTENT_TYPE_MIN_FRACTION: f64 = 0.95;

    /// Checks every option is in its range.
    pub fn validate(&self) -> Result<(), SuggestError> {
        let bad = |name: &'static str, expected: &'static str| Err(SuggestError::InvalidOption { name, expected });
        let finite = |x: f64| x.is_finite();
        if !finite(self.row_count_min_factor) || !(0.0..=1.0).contains(&self.row_count_min_factor) {
            return bad("row count min factor", "a number from 0 to 1");
        }
        if !finite(self.row_count_max_factor) || self.row_count_max_factor < 1.0 {
            return bad("row count max factor", "a number >= 1");
        }
        if !(0.0..1.0).contains(&self.fraction_margin) {
            return bad("fraction margin", "a fraction from 0 to below 1");
        }
        if !finite(self.fraction_standard_errors) || self.fraction_standard_errors < 0.0 {
            return bad("fraction standard errors", "a number >= 0");
        }
        if !(1..=profiler_crds::quality::MAX_ALLOWED_VALUES).contains(&self.max_allowed_values) {
            return bad("max allowed values", "1 to 1000");
        }
        if !finite(self.range_margin) || self.range_margin < 0.0 {
            return bad("range margin", "a number >= 0");
        }
        if !finite(self.heavy_tail_factor) || self.heavy_tail_factor < 0.0 {
            return bad("heavy tail factor", "a number >= 0");
        }
        if !finite(self.length_margin) || !(0.0..1.0).contains(&self.length_margin) {
            return bad("length margin", "a fraction from 0 to below 1");
        }
        if !(0.5..=1.0).contains(&self.content_type_min_fraction) {
            return bad("content type min fraction", "a fraction from 0.5 to 1");
        }
        Ok(())
    }
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            row_count_min_factor: Self::ROW_COUNT_MIN_FACTOR,
            row_count_max_factor: Self::ROW_COUNT_MAX_FACTOR,
            fraction_margin: Self::FRACTION_MARGIN,
            fraction_standard_errors: Self::FRACTION_STANDARD_ERRORS,
            max_allowed_values: Self::MAX_ALLOWED_VALUES,
            range_margin: Self::RANGE_MARGIN,
            heavy_tail_factor: Self::HEAVY_TAIL_FACTOR,
            length_margin: Self::LENGTH_MARGIN,
            content_type_min_fraction: Self::CONTENT_TYPE_MIN_FRACTION,
        }
    }
}

/// Options of [`suggest`] out of their range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SuggestError {
    /// One option is out of its range.
    #[error("suggest option {name} must be {expected}")]
    InvalidOption {
        /// The option.
        name: &'static str,
        /// What it must be.
        expected: &'static str,
    },
}

/// The rule set recommended from `profile`: `rowCount`, then per column in schema order
/// `completeness`, `uniqueness`, `allowedValues`, `range`, `nonNegative`, `stringLength` and
/// `contentType` where the profile supports them. Rule names are `<column>-<type>`
/// ([`rule_name`]). A column whose name a rule set cannot hold is skipped with a warning.
pub fn suggest(profile: &TableProfile, options: &SuggestOptions) -> Result<RuleSet, SuggestError> {
    options.validate()?;
    let sampled = profile.sampling.rows_profiled < profile.sampling.rows_read;
    let mut names = Names::default();
    let mut rules = Vec::new();
    if let Some(rule) = row_count(profile, options) {
        rules.push(names.name(rule, None));
    }
    for column in &profile.columns {
        if let Err(message) = NAME.check(&column.name) {
            warn!(column = %column.name, "no rules suggested for the column: its name {message}");
            continue;
        }
        let ctx = Column { c: column, o: options, sampled };
        let candidates = [
            ctx.completeness(),
            ctx.uniqueness(),
            ctx.allowed_values(),
            ctx.range(),
            ctx.non_negative(),
            ctx.string_length(),
            ctx.content_type(),
        ];
        for mut rule in candidates.into_iter().flatten() {
            rule.column = Some(column.name.clone());
            let rule = names.name(rule, Some(&column.name));
            // Safety net: a suggestion the format refuses is dropped, never written.
            if let Err(e) = validate_rules(std::slice::from_ref(&rule)) {
                warn!(column = %column.name, rule = %rule.name, "suggestion dropped: {e}");
                continue;
            }
            rules.push(rule);
        }
    }
    let mut set = RuleSet::new();
    set.table = Some(profile.source.location.clone());
    set.suggested_from = Some(SuggestedFrom {
        location: profile.source.location.clone(),
        row_count: profile.row_count,
        snapshot_id: profile.source.snapshot_id,
        profiled_at: profile.started_at.clone(),
        profiler_version: crate::ENGINE_VERSION.to_owned(),
    });
    set.rules = rules;
    Ok(set)
}

/// The name of a suggested rule: `<column>-<type>` (`row-count` for the table), with the type in
/// kebab case (`allowed-values`), the column lower-cased with every character but `a-z`, `0-9`,
/// `_` and `-` replaced by `_`, cut to fit 63 characters and without leading or trailing `_`/`-`.
pub fn rule_name(column: Option<&str>, rule_type: RuleType) -> String {
    let suffix = kebab(rule_type);
    let Some(column) = column else { return suffix.to_owned() };
    let sanitized: String = column
        .chars()
        .map(|ch| {
            let l = ch.to_ascii_lowercase();
            if l.is_ascii_lowercase() || l.is_ascii_digit() || l == '_' || l == '-' { l } else { '_' }
        })
        .collect();
    let room = RULE_NAME.max_chars - suffix.len() - 1;
    let cut: String = sanitized.trim_matches(|c: char| !c.is_ascii_alphanumeric()).chars().take(room).collect();
    let cut = cut.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    let column = if cut.is_empty() { "column" } else { cut };
    format!("{column}-{suffix}")
}

/// A rule type in kebab case, as rule names use it.
fn kebab(rule_type: RuleType) -> &'static str {
    match rule_type {
        RuleType::RowCount => "row-count",
        RuleType::Completeness => "completeness",
        RuleType::Uniqueness => "uniqueness",
        RuleType::AllowedValues => "allowed-values",
        RuleType::Range => "range",
        RuleType::NonNegative => "non-negative",
        RuleType::StringLength => "string-length",
        RuleType::ContentType => "content-type",
    }
}

/// Names given so far; a name already taken gets `-2`, `-3`, ... (cut to fit).
#[derive(Default)]
struct Names(HashSet<String>);

impl Names {
    fn name(&mut self, mut rule: Rule, column: Option<&str>) -> Rule {
        let base = rule_name(column, rule.rule_type);
        let mut name = base.clone();
        let mut n = 2;
        while self.0.contains(&name) {
            let tail = format!("-{n}");
            let head: String = base.chars().take(RULE_NAME.max_chars - tail.len()).collect();
            name = format!("{}{tail}", head.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()));
            n += 1;
        }
        self.0.insert(name.clone());
        rule.name = name;
        rule
    }
}

/// `rowCount` between the configured multiples of the table's rows (rows read before sampling).
fn row_count(profile: &TableProfile, o: &SuggestOptions) -> Option<Rule> {
    let rows = profile.sampling.rows_read.max(profile.row_count);
    if rows == 0 {
        return None;
    }
    let mut rule = Rule::new("", RuleType::RowCount);
    rule.min = Some((rows as f64 * o.row_count_min_factor).floor());
    rule.max = Some((rows as f64 * o.row_count_max_factor).ceil());
    rule.rationale = Some(format!(
        "the profile counted {rows} rows; bounds {}x to {}x of that",
        o.row_count_min_factor, o.row_count_max_factor
    ));
    Some(rule)
}

/// One column's suggestions.
struct Column<'a> {
    c: &'a ColumnProfile,
    o: &'a SuggestOptions,
    sampled: bool,
}

impl Column<'_> {
    fn rule(&self, rule_type: RuleType, rationale: String) -> Rule {
        let mut rule = Rule::new("", rule_type);
        rule.rationale = Some(rationale);
        rule
    }

    /// `of the sample` when the profile is of a sample.
    fn scope(&self) -> &'static str {
        if self.sampled { " of the sample" } else { "" }
    }

    /// The observed fraction less the larger of the fraction margin and the configured
    /// binomial standard errors, floored to three decimals.
    fn fraction_floor(&self, observed: f64, n: u64) -> (f64, f64) {
        let se = (observed * (1.0 - observed) / n.max(1) as f64).sqrt();
        let margin = self.o.fraction_margin.max(self.o.fraction_standard_errors * se);
        (((observed - margin).max(0.0) * 1000.0).floor() / 1000.0, margin)
    }

    fn completeness(&self) -> Option<Rule> {
        let c = self.c;
        if c.count == 0 || c.non_null == 0 {
            return None;
        }
        if c.nulls == 0 {
            return Some(self.rule(RuleType::Completeness, format!("no nulls in {} rows{}", c.count, self.scope())));
        }
        let observed = c.non_null as f64 / c.count as f64;
        let (min, margin) = self.fraction_floor(observed, c.count);
        if min <= 0.0 {
            return None;
        }
        let mut rule = self.rule(
            RuleType::Completeness,
            format!(
                "{} of {} rows non-null ({}){}; at least {min}: the observed fraction less {}",
                c.non_null,
                c.count,
                percent(observed),
                self.scope(),
                round_sig(margin, 2)
            ),
        );
        rule.min = Some(min);
        Some(rule)
    }

    fn uniqueness(&self) -> Option<Rule> {
        let c = self.c;
        let d = c.distinct.as_ref()?;
        let n = c.non_null as f64;
        // Keys are integers, strings or bytes: all-distinct floats, decimals or times are
        // measurements that happen not to repeat, and repeat as the table grows.
        let key_type = match c.kind {
            ColumnKind::Numeric => is_integer_type(&c.data_type),
            ColumnKind::String | ColumnKind::Binary => true,
            _ => false,
        };
        if self.sampled || c.non_null < 2 || !key_type {
            return None;
        }
        let consistent = if d.exact { d.estimate == n } else { d.lower_bound <= n && n <= d.upper_bound };
        // Exactly counted top values can prove a repeat the estimate cannot see.
        let repeated =
            c.text.as_ref().is_some_and(|t| t.top_values_max_error == 0 && t.top_values.iter().any(|v| v.count > 1));
        if !consistent || repeated {
            return None;
        }
        let rationale = if d.exact {
            format!("unique: {} distinct values in {} non-null values", d.estimate, c.non_null)
        } else {
            format!(
                "likely unique: the distinct estimate {:.0} (95% bounds {:.0} to {:.0}) includes the {} non-null \
                 values; the check counts exactly",
                d.estimate, d.lower_bound, d.upper_bound, c.non_null
            )
        };
        Some(self.rule(RuleType::Uniqueness, rationale))
    }

    fn allowed_values(&self) -> Option<Rule> {
        let c = self.c;
        let t = c.text.as_ref()?;
        if c.kind != ColumnKind::String || c.non_null == 0 || t.top_values_max_error != 0 {
            return None;
        }
        let covered: u64 = t.top_values.iter().map(|v| v.count).sum();
        let count = t.top_values.len();
        // Every value seen at least twice: the Good-Turing estimate of the share of values not
        // seen yet (values seen once / values) is then zero.
        let singletons = t.top_values.iter().any(|v| v.count < 2);
        if covered != c.non_null || count == 0 || count > self.o.max_allowed_values || singletons {
            return None;
        }
        if t.top_values.iter().any(|v| ALLOWED_VALUE.check(&v.value).is_err()) {
            return None;
        }
        let mut rule = self.rule(
            RuleType::AllowedValues,
            format!(
                "{count} distinct values, each seen at least twice, cover all {} non-null values{} (exact counts)",
                c.non_null,
                self.scope()
            ),
        );
        rule.values = Some(t.top_values.iter().map(|v| v.value.clone()).collect());
        Some(rule)
    }

    fn range(&self) -> Option<Rule> {
        match self.c.kind {
            ColumnKind::Numeric => self.numeric_range(),
            ColumnKind::Temporal => self.temporal_range(),
            _ => None,
        }
    }

    fn numeric_range(&self) -> Option<Rule> {
        let n = self.c.numeric.as_ref()?;
        let (lo, hi) = (n.min?, n.max?);
        if n.nan + n.positive_infinity + n.negative_infinity > 0 || lo.abs().max(hi.abs()) > MAX_EXACT_F64 {
            return None;
        }
        let integer = is_integer_type(&self.c.data_type);
        let span = hi - lo;
        if span == 0.0 && !integer {
            return None;
        }
        let tails = Tails::of(n.distribution.as_ref(), lo, hi, self.o.heavy_tail_factor);
        if tails.low && tails.high {
            return None;
        }
        let margin = self.o.range_margin * span;
        let mut lower = lo - margin;
        let mut upper = hi + margin;
        if lo >= 0.0 {
            lower = lower.max(0.0);
        }
        if hi <= 0.0 {
            upper = upper.min(0.0);
        }
        let (lower, upper) = if integer {
            (lower.floor(), upper.ceil())
        } else {
            (nice_floor(lower, margin).min(lo), nice_ceil(upper, margin).max(hi))
        };
        let mut rule = self.rule(
            RuleType::Range,
            format!(
                "observed min {}, max {}{}; bounds widened by {}% of the span{}",
                fmt(lo),
                fmt(hi),
                self.scope(),
                fmt(self.o.range_margin * 100.0),
                tails.describe(n.distribution.as_ref(), fmt)
            ),
        );
        rule.min = (!tails.low).then_some(lower);
        rule.max = (!tails.high).then_some(upper);
        Some(rule)
    }

    fn temporal_range(&self) -> Option<Rule> {
        let t = self.c.temporal.as_ref()?;
        let (lo, hi) = (t.min_raw?, t.max_raw?);
        let date = self.c.data_type.starts_with("Date");
        if !date && !self.c.data_type.starts_with("Timestamp") {
            return None;
        }
        let per_second: i64 = match t.unit.as_str() {
            "days" => 0,
            "seconds" => 1,
            "milliseconds" => 1_000,
            "microseconds" => 1_000_000,
            "nanoseconds" => 1_000_000_000,
            _ => return None,
        };
        let tails = Tails::of(t.distribution.as_ref(), lo as f64, hi as f64, self.o.heavy_tail_factor);
        if tails.low && tails.high {
            return None;
        }
        let margin = (self.o.range_margin * (hi as f64 - lo as f64)).round() as i64;
        let (lower, upper) = (lo.saturating_sub(margin), hi.saturating_add(margin));
        // Seconds since the epoch (days times 86400 for Date32), floored / ceiled.
        let seconds = |raw: i64, up: bool| -> i64 {
            match per_second {
                0 => raw.saturating_mul(86_400),
                p if up => raw.div_euclid(p) + i64::from(raw.rem_euclid(p) != 0),
                p => raw.div_euclid(p),
            }
        };
        let render = |secs: i64, up: bool| -> Option<String> {
            if date {
                let days = secs.div_euclid(86_400) + i64::from(up && secs.rem_euclid(86_400) != 0);
                let d = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days + 719_163).ok()?)?;
                Some(d.format("%Y-%m-%d").to_string())
            } else {
                let t = DateTime::from_timestamp(secs, 0)?;
                let text = t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string();
                Some(if t_has_zone(self.c) { format!("{text}Z") } else { text })
            }
        };
        let earliest = render(seconds(lower, false), false)?;
        let latest = render(seconds(upper, true), true)?;
        let (min_label, max_label) = (self.c.min.clone()?, self.c.max.clone()?);
        let label = |x: f64| {
            let raw = x.round() as i64;
            render(seconds(raw, false), false).unwrap_or_else(|| raw.to_string())
        };
        let mut rule = self.rule(
            RuleType::Range,
            format!(
                "observed earliest {min_label}, latest {max_label}{}; bounds widened by {}% of the span{}",
                self.scope(),
                fmt(self.o.range_margin * 100.0),
                tails.describe(t.distribution.as_ref(), label)
            ),
        );
        rule.earliest = (!tails.low).then_some(earliest);
        rule.latest = (!tails.high).then_some(latest);
        Some(rule)
    }

    fn non_negative(&self) -> Option<Rule> {
        let n = self.c.numeric.as_ref()?;
        let lo = n.min?;
        if lo < 0.0 || n.negatives > 0 || n.nan > 0 || self.c.data_type.starts_with("UInt") {
            return None;
        }
        Some(self.rule(
            RuleType::NonNegative,
            format!("no negative value in {} non-null values{} (min {})", self.c.non_null, self.scope(), fmt(lo)),
        ))
    }

    fn string_length(&self) -> Option<Rule> {
        let t = self.c.text.as_ref()?;
        let (lo, hi) = (t.min_length?, t.max_length?);
        let unit = if self.c.kind == ColumnKind::Binary { "bytes" } else { "characters" };
        let (min, max, rationale) = if lo == hi {
            (lo, hi, format!("every value{} is {lo} {unit} long", self.scope()))
        } else {
            let m = self.o.length_margin;
            let min = (lo as f64 * (1.0 - m)).floor() as u64;
            let max = (hi as f64 * (1.0 + m)).ceil() as u64;
            (min, max, format!("lengths {lo} to {hi} {unit}{}; bounds widened by {}%", self.scope(), fmt(m * 100.0)))
        };
        let mut rule = self.rule(RuleType::StringLength, rationale);
        rule.min = (min > 0).then_some(min as f64);
        rule.max = Some(max as f64);
        Some(rule)
    }

    fn content_type(&self) -> Option<Rule> {
        let t = self.c.text.as_ref()?;
        let inferred = t.inferred_type.as_ref()?;
        if self.c.kind != ColumnKind::String
            || inferred.content_type == ContentType::Text
            || inferred.fraction < self.o.content_type_min_fraction
            || self.c.non_null == 0
        {
            return None;
        }
        let name = serde_name(inferred.content_type);
        let mut rule = self.rule(
            RuleType::ContentType,
            format!("{} of {} non-null values{} are {name}", percent(inferred.fraction), self.c.non_null, self.scope()),
        );
        if inferred.fraction < 1.0 {
            let (min, margin) = self.fraction_floor(inferred.fraction, self.c.non_null);
            rule.min = Some(min);
            if let Some(r) = rule.rationale.as_mut() {
                r.push_str(&format!("; at least {min}: the observed fraction less {}", round_sig(margin, 2)));
            }
        }
        rule.content_type = Some(inferred.content_type);
        Some(rule)
    }
}

/// Largest magnitude an f64 holds every integer up to (2^53); bounds beyond it are not exact.
const MAX_EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// Which ends of a distribution have a heavy tail.
#[derive(Debug, Clone, Copy, Default)]
struct Tails {
    low: bool,
    high: bool,
}

impl Tails {
    /// An end is heavy when the extreme lies more than `factor` p1..p99 widths beyond p1 or p99.
    fn of(distribution: Option<&Distribution>, lo: f64, hi: f64, factor: f64) -> Self {
        let Some((p1, p99)) = distribution.and_then(p1_p99) else { return Tails::default() };
        let width = p99 - p1;
        Tails { low: p1 - lo > factor * width, high: hi - p99 > factor * width }
    }

    fn describe(&self, distribution: Option<&Distribution>, label: impl Fn(f64) -> String) -> String {
        let Some((p1, p99)) = distribution.and_then(p1_p99) else { return String::new() };
        match (self.low, self.high) {
            (false, false) => String::new(),
            (low, _) => format!(
                "; heavy {} tail (p1 {}, p99 {}): that end is left open",
                if low { "lower" } else { "upper" },
                label(p1),
                label(p99)
            ),
        }
    }
}

fn p1_p99(d: &Distribution) -> Option<(f64, f64)> {
    let at = |rank: f64| d.quantiles.iter().find(|q| (q.rank - rank).abs() < 1e-9).map(|q| q.value);
    Some((at(0.01)?, at(0.99)?))
}

fn t_has_zone(c: &ColumnProfile) -> bool {
    c.temporal.as_ref().is_some_and(|t| t.timezone.is_some())
}

fn is_integer_type(data_type: &str) -> bool {
    data_type.starts_with("Int") || data_type.starts_with("UInt")
}

/// The content type as rule files write it (`email`, `uuid`, ...).
fn serde_name(t: ContentType) -> &'static str {
    match t {
        ContentType::Integer => "integer",
        ContentType::Decimal => "decimal",
        ContentType::Boolean => "boolean",
        ContentType::Date => "date",
        ContentType::Timestamp => "timestamp",
        ContentType::Uuid => "uuid",
        ContentType::Email => "email",
        ContentType::Text => "text",
    }
}

/// The power of ten just below `margin` (the step bounds are rounded to), 1 for no margin.
fn step(margin: f64) -> f64 {
    if margin > 0.0 { 10f64.powf(margin.log10().floor()) } else { 1.0 }
}

/// `x` rounded down to a multiple of the step of `margin`, without binary noise.
fn nice_floor(x: f64, margin: f64) -> f64 {
    if margin <= 0.0 {
        return x;
    }
    let s = step(margin);
    clean((x / s).floor() * s, s)
}

/// `x` rounded up to a multiple of the step of `margin`, without binary noise.
fn nice_ceil(x: f64, margin: f64) -> f64 {
    if margin <= 0.0 {
        return x;
    }
    let s = step(margin);
    clean((x / s).ceil() * s, s)
}

/// `x` printed with the decimals of `step` and read back (0.30000000000000004 -> 0.3).
fn clean(x: f64, step: f64) -> f64 {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// A figure for a rationale: integers without a fraction, others to 6 significant digits.
fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{}", round_sig(x, 6)) }
}

fn round_sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn percent(fraction: f64) -> String {
    format!("{}%", round_sig(fraction * 100.0, 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitized_cut_and_valid() {
        assert_eq!(rule_name(Some("Order ID"), RuleType::Uniqueness), "order_id-uniqueness");
        assert_eq!(rule_name(Some("address.city"), RuleType::AllowedValues), "address_city-allowed-values");
        assert_eq!(rule_name(Some("__x__"), RuleType::Range), "x-range");
        assert_eq!(rule_name(Some("ünï"), RuleType::Range), "n-range");
        assert_eq!(rule_name(Some("\"; DROP"), RuleType::Range), "drop-range");
        assert_eq!(rule_name(Some("!!!"), RuleType::Range), "column-range");
        assert_eq!(rule_name(None, RuleType::RowCount), "row-count");
        let long = rule_name(Some(&"a".repeat(300)), RuleType::StringLength);
        assert_eq!(long.len(), 63);
        assert!(RULE_NAME.check(&long).is_ok());
    }

    #[test]
    fn taken_names_get_a_numbered_suffix() {
        let mut names = Names::default();
        let a = names.name(Rule::new("", RuleType::Range), Some("A b"));
        let b = names.name(Rule::new("", RuleType::Range), Some("a.b"));
        let c = names.name(Rule::new("", RuleType::Range), Some(&"x".repeat(100)));
        let d = names.name(Rule::new("", RuleType::Range), Some(&"x".repeat(101)));
        assert_eq!((a.name.as_str(), b.name.as_str()), ("a_b-range", "a_b-range-2"));
        assert_eq!(d.name.len(), 63);
        assert_ne!(c.name, d.name);
        assert!(d.name.ends_with("-2"));
    }

    #[test]
    fn bounds_are_rounded_outward_to_the_margin_step() {
        assert_eq!(nice_floor(-12.34, 0.5), -12.4);
        assert_eq!(nice_ceil(0.2 + 0.1, 0.05), 0.31);
        assert_eq!(nice_ceil(1234.5, 120.0), 1300.0);
        assert_eq!(step(0.0), 1.0);
    }

    #[test]
    fn options_out_of_range_are_named() {
        let bad = SuggestOptions { row_count_max_factor: 0.5, ..SuggestOptions::default() };
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "suggest option row count max factor must be a number >= 1"
        );
        assert!(SuggestOptions::default().validate().is_ok());
    }
}
