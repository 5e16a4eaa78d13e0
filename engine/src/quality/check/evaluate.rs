//! One rule's running evaluation over the arrays of its column: built once from the rule and the
//! column's type, updated batch by batch, merged across threads, finished into an [`Observed`].

use std::collections::HashSet;

use arrow_array::Array;
use arrow_buffer::i256;
use arrow_schema::DataType;
use profiler_crds::ContentType;
use profiler_crds::quality::{Rule, RuleType};

use super::bounds::{self, End};
use super::column::ColumnRef;
use super::distinct::DistinctValues;
use super::judge::{MAX_EXAMPLES, Observed, ValueCounts};
use super::keyed::KeyedValues;
use super::values::{self, Family};
use crate::accumulator::decimal::ExactDecimal;
use crate::content_type::{KnownDomains, classify_remembering};
use crate::fxhash::FxBuildHasher;

/// The running evaluation of one rule.
#[derive(Debug, Clone)]
pub enum Check {
    /// `rowCount`: judged from the checker's row count.
    Rows,
    /// `completeness`.
    NonNull {
        /// Rows seen.
        rows: u64,
        /// Non-null values seen.
        non_null: u64,
    },
    /// `uniqueness`.
    Distinct(Family, Box<DistinctValues>),
    /// `allowedValues`, `range`, `nonNegative`, `stringLength`.
    Values(Box<ValueCheck>),
    /// `contentType`.
    Content {
        /// The content type required.
        wanted: ContentType,
        /// Non-null strings seen.
        checked: u64,
        /// Strings of the wanted type.
        matching: u64,
    },
}

/// A test applied to every non-null value, with what the values spanned.
#[derive(Debug, Clone)]
pub struct ValueCheck {
    test: Test,
    data_type: DataType,
    counts: ValueCounts,
    span: Span,
}

/// What a value must be.
#[derive(Debug, Clone)]
enum Test {
    IntRange(i128, i128),
    /// NaN is in no range.
    FloatRange(f64, f64),
    DecimalRange(i256, i256),
    TimeRange(i64, i64),
    /// Characters (UTF-8) or bytes (binary).
    Length {
        lo: u64,
        hi: u64,
        utf8: bool,
    },
    AllowedText(HashSet<Vec<u8>, FxBuildHasher>),
    AllowedInt(HashSet<i128, FxBuildHasher>),
    AllowedFloat(Vec<f64>),
    AllowedDecimal(Vec<i256>),
    AllowedBool {
        yes: bool,
        no: bool,
    },
    AllowedTime(HashSet<i64, FxBuildHasher>),
}

/// The smallest and largest value (or length) seen.
#[derive(Debug, Clone, Copy)]
enum Span {
    None,
    Int(i128, i128),
    Float(f64, f64),
    Decimal(i256, i256),
    Time(i64, i64),
    Length(u64, u64),
}

impl Check {
    /// The evaluation of `rule` on `column` (`None` for `rowCount`), or why the rule does not
    /// apply to it.
    pub fn new(rule: &Rule, column: Option<&ColumnRef>) -> Result<Self, String> {
        let Some(column) = column else {
            return match rule.rule_type {
                RuleType::RowCount => Ok(Check::Rows),
                other => Err(format!("a {other} rule needs a column")),
            };
        };
        let t = &column.data_type;
        let family = values::family(t);
        let name = &column.name;
        let not_for = |what: &str| format!("{} applies to {what}; column {name:?} is {t}", rule.rule_type);
        match rule.rule_type {
            RuleType::RowCount => Ok(Check::Rows),
            RuleType::Completeness => Ok(Check::NonNull { rows: 0, non_null: 0 }),
            RuleType::Uniqueness if DistinctValues::counts(family) => Ok(Check::Distinct(family, Box::default())),
            RuleType::Uniqueness => {
                Err(not_for("columns of numbers, strings, binary values, booleans, dates and timestamps"))
            }
            RuleType::ContentType if family == Family::Text => {
                Ok(Check::Content { wanted: rule.content_type.unwrap_or(ContentType::Text), checked: 0, matching: 0 })
            }
            RuleType::ContentType => Err(not_for("string columns")),
            RuleType::AllowedValues => {
                let test = allowed(rule.values.as_deref().unwrap_or_default(), t, family)
                    .ok_or_else(|| not_for("columns of strings, numbers, booleans, dates and timestamps"))?;
                Ok(Check::values(test, t))
            }
            RuleType::NonNegative => {
                let test = match family {
                    Family::Integer => Test::IntRange(0, i128::MAX),
                    Family::Float => Test::FloatRange(0.0, f64::INFINITY),
                    Family::Decimal(_) => Test::DecimalRange(i256::ZERO, i256::MAX),
                    _ => return Err(not_for("numeric columns")),
                };
                Ok(Check::values(test, t))
            }
            RuleType::StringLength => {
                let lo = rule.min.map_or(0, |m| m.max(0.0).ceil() as u64);
                let hi = rule.max.map_or(u64::MAX, |m| m.max(0.0).floor() as u64);
                match family {
                    Family::Text => Ok(Check::values(Test::Length { lo, hi, utf8: true }, t)),
                    Family::Binary => Ok(Check::values(Test::Length { lo, hi, utf8: false }, t)),
                    _ => Err(not_for("string and binary columns")),
                }
            }
            RuleType::Range if rule.earliest.is_some() || rule.latest.is_some() => {
                if family != Family::Time {
                    return Err(format!(
                        "earliest and latest bound date and timestamp columns; column {name:?} is {t} (use min and max)"
                    ));
                }
                let bound = |text: &Option<String>, end, none| match text {
                    Some(text) => bounds::time_bound(text, t, end).map_err(|e| e.to_string()),
                    None => Ok(none),
                };
                let lo = bound(&rule.earliest, End::Lower, i64::MIN)?;
                let hi = bound(&rule.latest, End::Upper, i64::MAX)?;
                Ok(Check::values(Test::TimeRange(lo, hi), t))
            }
            RuleType::Range => {
                let test = match family {
                    Family::Integer => {
                        let (lo, hi) = bounds::integer_range(rule.min, rule.max);
                        Test::IntRange(lo, hi)
                    }
                    Family::Float => {
                        Test::FloatRange(rule.min.unwrap_or(f64::NEG_INFINITY), rule.max.unwrap_or(f64::INFINITY))
                    }
                    Family::Decimal(scale) => Test::DecimalRange(
                        rule.min.map_or(i256::MIN, |m| bounds::decimal_bound(m, scale, End::Lower)),
                        rule.max.map_or(i256::MAX, |m| bounds::decimal_bound(m, scale, End::Upper)),
                    ),
                    Family::Time => {
                        return Err(format!(
                            "a range on date or timestamp column {name:?} takes earliest and latest, not min and max"
                        ));
                    }
                    _ => return Err(not_for("numeric, date and timestamp columns")),
                };
                Ok(Check::values(test, t))
            }
        }
    }

    fn values(test: Test, data_type: &DataType) -> Self {
        Check::Values(Box::new(ValueCheck {
            test,
            data_type: data_type.clone(),
            counts: ValueCounts::default(),
            span: Span::None,
        }))
    }

    /// Adds one array of the rule's column (dictionary-decoded, nulls of enclosing structs
    /// applied).
    pub fn update(&mut self, array: &dyn Array) {
        match self {
            Check::Rows => {}
            Check::NonNull { rows, non_null } => {
                *rows += array.len() as u64;
                *non_null += (array.len() - array.logical_null_count()) as u64;
            }
            Check::Distinct(family, set) => set.update(array, *family),
            Check::Values(check) => check.update(array),
            Check::Content { wanted, checked, matching } => {
                let mut known = KnownDomains::default();
                values::bytes(array, |b| {
                    *checked += 1;
                    *matching += u64::from(classify_remembering(b, &mut known) == *wanted);
                });
            }
        }
    }

    /// Adds one dictionary batch of the rule's column, value by value (the column holds strings
    /// or binary values, so the rule is one of theirs).
    pub fn update_keyed(&mut self, keyed: &KeyedValues) {
        match self {
            Check::Rows => {}
            Check::NonNull { rows, non_null } => {
                *rows += keyed.rows() as u64;
                *non_null += keyed.non_null();
            }
            Check::Distinct(_, set) => set.update_keyed(keyed),
            Check::Values(check) => check.update_keyed(keyed),
            Check::Content { wanted, checked, matching } => {
                let mut known = KnownDomains::default();
                keyed.each(|b, n| {
                    *checked += n;
                    if classify_remembering(b, &mut known) == *wanted {
                        *matching += n;
                    }
                });
            }
        }
    }

    /// Finishes what can be finished before the threads' evaluations merge.
    pub fn settle(&mut self) {
        if let Check::Distinct(_, set) = self {
            set.settle();
        }
    }

    /// Folds `other` (the same rule over other rows) into `self`.
    pub fn merge(&mut self, other: Check) {
        match (self, other) {
            (Check::NonNull { rows, non_null }, Check::NonNull { rows: r, non_null: n }) => {
                *rows += r;
                *non_null += n;
            }
            (Check::Distinct(_, a), Check::Distinct(_, b)) => a.merge(*b),
            (Check::Values(a), Check::Values(b)) => a.merge(*b),
            (Check::Content { checked, matching, .. }, Check::Content { checked: c, matching: m, .. }) => {
                *checked += c;
                *matching += m;
            }
            _ => {}
        }
    }

    /// What the evaluation observed; `rows` is the table's row count.
    pub fn observed(&self, rows: u64) -> Observed {
        match self {
            Check::Rows => Observed::Rows(rows),
            Check::NonNull { rows, non_null } => Observed::NonNull { rows: *rows, non_null: *non_null },
            Check::Distinct(_, set) => {
                let (non_null, distinct) = set.counts_so_far();
                Observed::Distinct { non_null, distinct }
            }
            Check::Values(check) => Observed::Values(check.observed()),
            Check::Content { checked, matching, .. } => Observed::Content { checked: *checked, matching: *matching },
        }
    }
}

/// The test of an `allowedValues` rule on a column of `t`, or `None` when the type cannot be
/// judged. A listed value that cannot be a value of the column (`abc` for an integer column)
/// matches nothing.
fn allowed(list: &[String], t: &DataType, family: Family) -> Option<Test> {
    Some(match family {
        Family::Text => Test::AllowedText(list.iter().map(|v| v.as_bytes().to_vec()).collect()),
        Family::Integer => {
            Test::AllowedInt(list.iter().filter_map(|v| ExactDecimal::parse(v, 0).ok()?.to_i256()?.to_i128()).collect())
        }
        Family::Float => Test::AllowedFloat(list.iter().filter_map(|v| v.trim().parse::<f64>().ok()).collect()),
        Family::Decimal(scale) => {
            Test::AllowedDecimal(list.iter().filter_map(|v| ExactDecimal::parse(v, scale).ok()?.to_i256()).collect())
        }
        Family::Boolean => {
            let has = |words: &[&str]| list.iter().any(|v| words.iter().any(|w| v.trim().eq_ignore_ascii_case(w)));
            Test::AllowedBool { yes: has(&["true", "t", "1"]), no: has(&["false", "f", "0"]) }
        }
        Family::Time => Test::AllowedTime(
            list.iter()
                .filter_map(|v| {
                    let lo = bounds::time_bound(v, t, End::Lower).ok()?;
                    (bounds::time_bound(v, t, End::Upper).ok()? == lo).then_some(lo)
                })
                .collect(),
        ),
        Family::Binary | Family::Other => return None,
    })
}

impl ValueCheck {
    fn update(&mut self, array: &dyn Array) {
        // Every test visits each non-null value once.
        self.counts.checked += (array.len() - array.logical_null_count()) as u64;
        let counts = &mut self.counts;
        let span = &mut self.span;
        let t = &self.data_type;
        match &self.test {
            Test::IntRange(lo, hi) => {
                let (lo, hi) = (*lo, *hi);
                let (mut min, mut max) = match *span {
                    Span::Int(a, b) => (a, b),
                    _ => (i128::MAX, i128::MIN),
                };
                let mut outside = 0u64;
                values::integers(array, |v| {
                    min = min.min(v);
                    max = max.max(v);
                    outside += u64::from(v < lo || v > hi);
                });
                if outside > 0 {
                    values::integers(array, |v| {
                        if v < lo || v > hi {
                            fail(counts, || v.to_string());
                        }
                    });
                }
                if min <= max {
                    *span = Span::Int(min, max);
                }
            }
            Test::FloatRange(lo, hi) => {
                let (lo, hi) = (*lo, *hi);
                let (mut min, mut max) = match *span {
                    Span::Float(a, b) => (a, b),
                    _ => (f64::INFINITY, f64::NEG_INFINITY),
                };
                // NaN is outside every range and never below `min` or above `max`.
                let mut outside = 0u64;
                values::floats(array, |v| {
                    min = if v < min { v } else { min };
                    max = if v > max { v } else { max };
                    outside += u64::from(!(v >= lo && v <= hi));
                });
                if outside > 0 {
                    values::floats(array, |v| {
                        if v.is_nan() {
                            counts.nan += 1;
                            fail(counts, || "NaN".to_owned());
                        } else if !(v >= lo && v <= hi) {
                            fail(counts, || v.to_string());
                        }
                    });
                }
                let seen = min <= max;
                if seen || matches!(span, Span::Float(..)) {
                    *span = Span::Float(min, max);
                }
            }
            Test::DecimalRange(lo, hi) => {
                let (lo, hi) = (*lo, *hi);
                let scale = match values::family(t) {
                    Family::Decimal(s) => s,
                    _ => 0,
                };
                let (mut min, mut max) = match *span {
                    Span::Decimal(a, b) => (a, b),
                    _ => (i256::MAX, i256::MIN),
                };
                values::decimals(array, |v| {
                    min = min.min(v);
                    max = max.max(v);
                    if v < lo || v > hi {
                        fail(counts, || values::decimal_label(v, scale));
                    }
                });
                if min <= max {
                    *span = Span::Decimal(min, max);
                }
            }
            Test::TimeRange(lo, hi) => {
                let (lo, hi) = (*lo, *hi);
                let (mut min, mut max) = match *span {
                    Span::Time(a, b) => (a, b),
                    _ => (i64::MAX, i64::MIN),
                };
                let mut outside = 0u64;
                values::times(array, |v| {
                    min = min.min(v);
                    max = max.max(v);
                    outside += u64::from(v < lo || v > hi);
                });
                if outside > 0 {
                    values::times(array, |v| {
                        if v < lo || v > hi {
                            fail(counts, || values::time_label(v, t));
                        }
                    });
                }
                if min <= max {
                    *span = Span::Time(min, max);
                }
            }
            Test::Length { lo, hi, utf8 } => {
                let (lo, hi, utf8) = (*lo, *hi, *utf8);
                let (mut min, mut max) = match *span {
                    Span::Length(a, b) => (a, b),
                    _ => (u64::MAX, u64::MIN),
                };
                let mut outside = 0u64;
                values::lengths(array, utf8, |n| {
                    min = min.min(n);
                    max = max.max(n);
                    outside += u64::from(n < lo || n > hi);
                });
                if outside > 0 {
                    values::bytes(array, |b| {
                        let n = values::length(b, utf8);
                        if n < lo || n > hi {
                            fail(counts, || values::bytes_label(b));
                        }
                    });
                }
                if min <= max {
                    *span = Span::Length(min, max);
                }
            }
            Test::AllowedText(set) => values::bytes(array, |b| {
                if !set.contains(b) {
                    fail(counts, || values::bytes_label(b));
                }
            }),
            Test::AllowedInt(set) => values::integers(array, |v| {
                if !set.contains(&v) {
                    fail(counts, || v.to_string());
                }
            }),
            Test::AllowedFloat(list) => values::floats(array, |v| {
                if !list.contains(&v) {
                    fail(counts, || v.to_string());
                }
            }),
            Test::AllowedDecimal(list) => {
                let scale = match values::family(t) {
                    Family::Decimal(s) => s,
                    _ => 0,
                };
                values::decimals(array, |v| {
                    if !list.contains(&v) {
                        fail(counts, || values::decimal_label(v, scale));
                    }
                })
            }
            Test::AllowedBool { yes, no } => values::booleans(array, |v| {
                if !(if v { *yes } else { *no }) {
                    fail(counts, || v.to_string());
                }
            }),
            Test::AllowedTime(set) => values::times(array, |v| {
                if !set.contains(&v) {
                    fail(counts, || values::time_label(v, t));
                }
            }),
        }
    }

    /// [`update`](Self::update) for a dictionary batch: each value tested once, counted as many
    /// times as rows hold it. Only the tests of strings and binary values apply.
    fn update_keyed(&mut self, keyed: &KeyedValues) {
        self.counts.checked += keyed.non_null();
        let counts = &mut self.counts;
        match &self.test {
            Test::Length { lo, hi, utf8 } => {
                let (mut min, mut max) = match self.span {
                    Span::Length(a, b) => (a, b),
                    _ => (u64::MAX, u64::MIN),
                };
                keyed.each(|b, rows| {
                    let n = values::length(b, *utf8);
                    min = min.min(n);
                    max = max.max(n);
                    if n < *lo || n > *hi {
                        fail_rows(counts, rows, || values::bytes_label(b));
                    }
                });
                if min <= max {
                    self.span = Span::Length(min, max);
                }
            }
            Test::AllowedText(set) => keyed.each(|b, rows| {
                if !set.contains(b) {
                    fail_rows(counts, rows, || values::bytes_label(b));
                }
            }),
            // Tests of other types are never built for a column of strings.
            _ => {}
        }
    }

    fn merge(&mut self, other: ValueCheck) {
        let (a, b) = (&mut self.counts, other.counts);
        a.checked += b.checked;
        a.failing += b.failing;
        a.nan += b.nan;
        for example in b.examples {
            if a.examples.len() < MAX_EXAMPLES && !a.examples.contains(&example) {
                a.examples.push(example);
            }
        }
        self.span = match (self.span, other.span) {
            (Span::None, s) | (s, Span::None) => s,
            (Span::Int(a, b), Span::Int(c, d)) => Span::Int(a.min(c), b.max(d)),
            (Span::Float(a, b), Span::Float(c, d)) => Span::Float(a.min(c), b.max(d)),
            (Span::Decimal(a, b), Span::Decimal(c, d)) => Span::Decimal(a.min(c), b.max(d)),
            (Span::Time(a, b), Span::Time(c, d)) => Span::Time(a.min(c), b.max(d)),
            (Span::Length(a, b), Span::Length(c, d)) => Span::Length(a.min(c), b.max(d)),
            (s, _) => s,
        };
    }

    fn observed(&self) -> ValueCounts {
        let mut counts = self.counts.clone();
        let scale = match values::family(&self.data_type) {
            Family::Decimal(s) => s,
            _ => 0,
        };
        let (min, max) = match self.span {
            Span::None => (None, None),
            Span::Float(a, b) if a > b => (None, None),
            Span::Int(a, b) => (Some(a.to_string()), Some(b.to_string())),
            Span::Float(a, b) => (Some(a.to_string()), Some(b.to_string())),
            Span::Decimal(a, b) => (Some(values::decimal_label(a, scale)), Some(values::decimal_label(b, scale))),
            Span::Time(a, b) => {
                (Some(values::time_label(a, &self.data_type)), Some(values::time_label(b, &self.data_type)))
            }
            Span::Length(a, b) => (Some(a.to_string()), Some(b.to_string())),
        };
        counts.min = min;
        counts.max = max;
        counts
    }
}

/// Counts a failing value, quoting it while there is room for another distinct example.
#[inline]
fn fail(counts: &mut ValueCounts, label: impl FnOnce() -> String) {
    fail_rows(counts, 1, label);
}

/// Counts a failing value held by `rows` rows, quoting it as [`fail`] does.
#[inline]
fn fail_rows(counts: &mut ValueCounts, rows: u64, label: impl FnOnce() -> String) {
    let before = counts.failing;
    counts.failing += rows;
    // Past a thousand failures, the examples found are the ones kept.
    if counts.examples.len() < MAX_EXAMPLES && before < 1000 {
        let label = label();
        if !counts.examples.contains(&label) {
            counts.examples.push(label);
        }
    }
}
