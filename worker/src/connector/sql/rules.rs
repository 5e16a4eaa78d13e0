//! Data quality rules by pushdown: each rule becomes a few aggregate expressions (counts, a
//! `SUM(CASE ...)` of the failing values, a span) that run in the profile's one aggregate query, or
//! alone in one query over the whole table; the values come back into the engine's
//! [`Observed`] and are judged by the same [`judge`] as a scan's.
//!
//! The rules mean what the engine's `RuleChecker` means on the table's rows typed as the worker
//! types them ([`crate::connector::rows::arrow_type`]): integers and decimals compared exactly in
//! their own type, floats as doubles (NaN in no range), dates and timestamps as instants (a
//! timestamp with a time zone in UTC), strings by characters, binary values by bytes. A
//! `contentType` rule is not evaluated: the engine's classifier has no exact SQL equivalent.
//!
//! Every name is quoted by [`Dialect::quote_identifier`] and every string value by
//! [`Dialect::quote_literal`]; numbers, dates and timestamps are rendered here from parsed values.

use std::collections::HashMap;

use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, NaiveDate};
use profiler_crds::ColumnKind;
use profiler_crds::quality::{Rule, RuleResult, RuleType};
use profiler_engine::ExactDecimal;
use profiler_engine::quality::check::{
    End, Observed, ValueCounts, decimal_bound, integer_range, judge, not_evaluated, time_bound, time_label,
};

use super::decimal::sql_decimal;
use super::dialect::{Dialect, SqlError, TableRef};
use super::types::{SqlColumn, sql_kind};
use crate::connector::rows::arrow_type;

/// Why a `contentType` rule is not evaluated on Athena and Redshift.
pub const CONTENT_TYPE_NOT_PUSHED_DOWN: &str = "contentType rules are not verified on Athena and Redshift tables: \
     the profiler's content type classifier has no exact SQL equivalent. Verify the rule with `profiler check` \
     on the table's Parquet files or Iceberg table (e.g. iceberg+glue://DATABASE.TABLE), or leave it out of the \
     rules for this table";

/// A column as the rules compare its values.
#[derive(Debug, Clone, PartialEq)]
enum Family {
    Integer,
    /// Compared as doubles (`real`, `double`, a `numeric` without precision).
    Float,
    Decimal {
        precision: u8,
        scale: i8,
    },
    /// Dates (`Date32`) and timestamps (microseconds, UTC when zoned): the Arrow type the time
    /// bounds are read for.
    Time(DataType),
    Text,
    Binary,
    Boolean,
    /// Times of day, arrays, maps, rows, `super`, ...
    Other,
}

fn family(column: &SqlColumn) -> Family {
    let t = column.data_type.trim().to_ascii_lowercase();
    match sql_kind(&t) {
        ColumnKind::Binary => return Family::Binary,
        ColumnKind::List | ColumnKind::Other => return Family::Other,
        ColumnKind::Temporal if t.starts_with("time") && !t.starts_with("timestamp") => return Family::Other,
        _ => {}
    }
    if let Some(d) = sql_decimal(&t) {
        return Family::Decimal { precision: d.precision, scale: d.scale as i8 };
    }
    match arrow_type(column) {
        DataType::Int64 => Family::Integer,
        DataType::Float64 => Family::Float,
        DataType::Boolean => Family::Boolean,
        DataType::Utf8 => Family::Text,
        t @ (DataType::Date32 | DataType::Timestamp(..)) => Family::Time(t),
        _ => Family::Other,
    }
}

/// How a value's span (MIN, MAX) comes back and is written in the result.
#[derive(Debug, Clone, PartialEq)]
enum SpanKind {
    Int,
    Float,
    Decimal(i8),
    Time(DataType),
    Length,
}

/// What one rule reads from the result: output positions.
#[derive(Debug, Clone, PartialEq)]
enum Planned {
    /// Not evaluated, with why.
    Skip(String),
    Rows,
    NonNull(usize),
    Distinct {
        non_null: usize,
        distinct: usize,
    },
    Values {
        checked: usize,
        failing: usize,
        nan: Option<usize>,
        span: Option<(usize, usize, SpanKind)>,
    },
}

/// One end of a range in SQL: no bound, a literal, or a bound no value can meet.
enum Bound {
    Open,
    Literal(String),
    Impossible,
}

/// The aggregate expressions that verify a rule set on a table, and how to read them back.
#[derive(Debug, Clone)]
pub struct RulePlan {
    dialect: Dialect,
    rules: Vec<Rule>,
    /// Aggregate expressions; the first is `COUNT(*)`.
    outputs: Vec<String>,
    planned: Vec<Planned>,
}

impl RulePlan {
    /// The plan of `rules` on a table of `columns` (all of the table's columns: a rule may name
    /// any). Rules that cannot apply to the table are kept as not evaluated.
    pub fn new(dialect: Dialect, columns: &[SqlColumn], rules: &[Rule]) -> Result<Self, SqlError> {
        let mut builder = Builder { dialect, outputs: vec!["COUNT(*)".to_owned()], index: HashMap::new() };
        let mut planned = Vec::with_capacity(rules.len());
        for rule in rules {
            planned.push(builder.plan(rule, columns)?);
        }
        Ok(Self { dialect, rules: rules.to_vec(), outputs: builder.outputs, planned })
    }

    /// The select list items (`expr AS "rN"`), to append to an aggregate query.
    pub fn select_items(&self) -> Vec<String> {
        self.outputs.iter().zip(self.output_names()).map(|(expr, name)| format!("{expr} AS \"{name}\"")).collect()
    }

    /// Names of the outputs, in order.
    pub fn output_names(&self) -> Vec<String> {
        (0..self.outputs.len()).map(|i| format!("r{i}")).collect()
    }

    /// The rules alone as one query over the whole of `table`.
    pub fn query(&self, table: &TableRef) -> Result<String, SqlError> {
        Ok(format!("SELECT {} FROM {}", self.select_items().join(", "), table.quoted(self.dialect)?))
    }

    /// Reads the plan's outputs (values as text, NULL as `None`) into the rows counted and one
    /// result per rule, in the rule set's order.
    pub fn parse(&self, values: &[Option<String>]) -> Result<(u64, Vec<RuleResult>), SqlError> {
        if values.len() != self.outputs.len() {
            return Err(self.bad("rule outputs", format!("{} values for {} outputs", values.len(), self.outputs.len())));
        }
        let rows = self.count(values, 0)?;
        let mut results = Vec::with_capacity(self.rules.len());
        for (rule, planned) in self.rules.iter().zip(&self.planned) {
            let observed = match planned {
                Planned::Skip(reason) => {
                    results.push(not_evaluated(rule, reason.clone()));
                    continue;
                }
                Planned::Rows => Observed::Rows(rows),
                Planned::NonNull(at) => Observed::NonNull { rows, non_null: self.count(values, *at)? },
                Planned::Distinct { non_null, distinct } => Observed::Distinct {
                    non_null: self.count(values, *non_null)?,
                    distinct: self.count(values, *distinct)?,
                },
                Planned::Values { checked, failing, nan, span } => {
                    let mut counts = ValueCounts {
                        checked: self.count(values, *checked)?,
                        failing: self.count(values, *failing)?,
                        nan: nan.map(|at| self.count(values, at)).transpose()?.unwrap_or(0),
                        ..ValueCounts::default()
                    };
                    if let Some((min, max, kind)) = span {
                        counts.min = self.label(values[*min].as_deref(), kind)?;
                        counts.max = self.label(values[*max].as_deref(), kind)?;
                    }
                    Observed::Values(counts)
                }
            };
            results.push(judge(rule, &observed));
        }
        Ok((rows, results))
    }

    /// A count: NULL (an aggregate over no rows) is 0; `12.0` is accepted.
    fn count(&self, values: &[Option<String>], at: usize) -> Result<u64, SqlError> {
        let Some(text) = values.get(at).cloned().flatten() else { return Ok(0) };
        let t = text.trim();
        if let Ok(n) = t.parse::<u64>() {
            return Ok(n);
        }
        match t.parse::<f64>() {
            Ok(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(f as u64),
            _ => Err(self.bad(&format!("rule output r{at}"), text.clone())),
        }
    }

    /// A span value written as the engine writes it.
    fn label(&self, text: Option<&str>, kind: &SpanKind) -> Result<Option<String>, SqlError> {
        let Some(text) = text.map(str::trim) else { return Ok(None) };
        let bad = || self.bad("the span of a rule's column", text.to_owned());
        Ok(Some(match kind {
            SpanKind::Int | SpanKind::Length => text.parse::<i128>().map_err(|_| bad())?.to_string(),
            SpanKind::Float => text.parse::<f64>().map_err(|_| bad())?.to_string(),
            SpanKind::Decimal(scale) => profiler_engine::normalize_decimal(text, *scale).map_err(|_| bad())?,
            SpanKind::Time(t) => {
                // Athena writes a zoned timestamp as `... UTC`.
                let iso = text.strip_suffix(" UTC").map_or_else(|| text.to_owned(), |t| format!("{t}Z"));
                match time_bound(&iso, t, End::Lower) {
                    Ok(raw) => time_label(raw, t),
                    Err(_) => text.to_owned(),
                }
            }
        }))
    }

    fn bad(&self, what: &str, value: String) -> SqlError {
        SqlError::BadResult { dialect: self.dialect, what: what.to_owned(), value }
    }
}

/// Collects the expressions, each once.
struct Builder {
    dialect: Dialect,
    outputs: Vec<String>,
    index: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, expr: String) -> usize {
        if let Some(at) = self.index.get(&expr) {
            return *at;
        }
        self.outputs.push(expr.clone());
        self.index.insert(expr, self.outputs.len() - 1);
        self.outputs.len() - 1
    }

    fn plan(&mut self, rule: &Rule, columns: &[SqlColumn]) -> Result<Planned, SqlError> {
        let Some(name) = rule.column.as_deref() else {
            return Ok(match rule.rule_type {
                RuleType::RowCount => Planned::Rows,
                other => Planned::Skip(format!("a {other} rule needs a column")),
            });
        };
        let Some(column) = columns.iter().find(|c| c.name == name) else {
            return Ok(Planned::Skip(missing_column(columns, name)));
        };
        let d = self.dialect;
        let q = d.quote_identifier(&column.name)?;
        let family = family(column);
        let t = &column.data_type;
        let not_for =
            |what: &str| Planned::Skip(format!("{} applies to {what}; column {name:?} is {t}", rule.rule_type));
        let non_null = format!("COUNT({q})");
        Ok(match rule.rule_type {
            RuleType::RowCount => Planned::Rows,
            RuleType::Completeness => Planned::NonNull(self.add(non_null)),
            RuleType::Uniqueness if family == Family::Other => {
                not_for("columns of numbers, strings, binary values, booleans, dates and timestamps")
            }
            RuleType::Uniqueness => {
                let non_null = self.add(non_null);
                Planned::Distinct { non_null, distinct: self.add(format!("COUNT(DISTINCT {q})")) }
            }
            RuleType::ContentType if family == Family::Text => Planned::Skip(CONTENT_TYPE_NOT_PUSHED_DOWN.to_owned()),
            RuleType::ContentType => not_for("string columns"),
            RuleType::AllowedValues => match self.allowed(rule.values.as_deref().unwrap_or_default(), &q, &family)? {
                Some(pass) => self.values(&q, None, pass, None),
                None => not_for("columns of strings, numbers, booleans, dates and timestamps"),
            },
            RuleType::NonNegative => match family {
                Family::Integer | Family::Decimal { .. } => {
                    let span = self.span(&q, &family);
                    self.values(&q, None, format!("{q} >= 0"), span)
                }
                Family::Float => {
                    let x = self.as_double(&q);
                    let span = self.span(&q, &family);
                    self.values(&q, Some(self.is_nan(&x)), format!("{x} >= 0"), span)
                }
                _ => not_for("numeric columns"),
            },
            RuleType::StringLength => {
                let length = match (&family, d) {
                    (Family::Text, _) => format!("LENGTH({q})"),
                    (Family::Binary, Dialect::Athena) => format!("length({q})"),
                    (Family::Binary, Dialect::Redshift) => format!("OCTET_LENGTH({q})"),
                    _ => return Ok(not_for("string and binary columns")),
                };
                let lo = rule.min.map_or(0, |m| m.max(0.0).ceil() as u64);
                let hi = rule.max.map_or(u64::MAX, |m| m.max(0.0).floor() as u64);
                let lo = if lo == 0 { Bound::Open } else { int_bound(i128::from(lo), End::Lower) };
                let hi = if hi == u64::MAX { Bound::Open } else { int_bound(i128::from(hi), End::Upper) };
                let pass = within(&length, lo, hi);
                let span = (self.add(format!("MIN({length})")), self.add(format!("MAX({length})")), SpanKind::Length);
                self.values(&q, None, pass, Some(span))
            }
            RuleType::Range if rule.earliest.is_some() || rule.latest.is_some() => {
                let Family::Time(arrow) = &family else {
                    return Ok(Planned::Skip(format!(
                        "earliest and latest bound date and timestamp columns; column {name:?} is {t} (use min and max)"
                    )));
                };
                let bound = |text: &Option<String>, end| match text {
                    None => Ok(Bound::Open),
                    Some(text) => time_bound(text, arrow, end).map(|raw| time_literal(d, raw, arrow, end)),
                };
                let (lo, hi) = match (bound(&rule.earliest, End::Lower), bound(&rule.latest, End::Upper)) {
                    (Ok(lo), Ok(hi)) => (lo, hi),
                    (Err(e), _) | (_, Err(e)) => return Ok(Planned::Skip(e.to_string())),
                };
                let span = self.span(&q, &family);
                self.values(&q, None, within(&q, lo, hi), span)
            }
            RuleType::Range => match &family {
                Family::Integer => {
                    let (lo, hi) = integer_range(rule.min, rule.max);
                    let span = self.span(&q, &family);
                    self.values(&q, None, within(&q, int_bound(lo, End::Lower), int_bound(hi, End::Upper)), span)
                }
                Family::Float => {
                    let x = self.as_double(&q);
                    let bound = |v: Option<f64>| v.map_or(Bound::Open, |v| Bound::Literal(self.double_literal(v)));
                    let pass = within(&x, bound(rule.min), bound(rule.max));
                    let span = self.span(&q, &family);
                    self.values(&q, Some(self.is_nan(&x)), pass, span)
                }
                Family::Decimal { precision, scale } => {
                    let bound = |v: Option<f64>, end| match v {
                        None => Bound::Open,
                        Some(v) => {
                            decimal_literal(ExactDecimal::from(decimal_bound(v, *scale, end)), *precision, *scale)
                                .map_or_else(|| beyond(v, end), Bound::Literal)
                        }
                    };
                    let pass = within(&q, bound(rule.min, End::Lower), bound(rule.max, End::Upper));
                    let span = self.span(&q, &family);
                    self.values(&q, None, pass, span)
                }
                Family::Time(_) => Planned::Skip(format!(
                    "a range on date or timestamp column {name:?} takes earliest and latest, not min and max"
                )),
                _ => not_for("numeric, date and timestamp columns"),
            },
        })
    }

    /// A value rule: non-null values checked, those where `pass` does not hold (NaN, when
    /// `nan` tests for it, always failing), and the span.
    fn values(
        &mut self,
        q: &str,
        nan: Option<String>,
        pass: String,
        span: Option<(usize, usize, SpanKind)>,
    ) -> Planned {
        let checked = self.add(format!("COUNT({q})"));
        let (failing, nan) = match nan {
            Some(is_nan) => {
                let failing = self.add(format!(
                    "SUM(CASE WHEN {q} IS NULL THEN 0 WHEN {is_nan} THEN 1 WHEN {pass} THEN 0 ELSE 1 END)"
                ));
                (failing, Some(self.add(format!("SUM(CASE WHEN {is_nan} THEN 1 ELSE 0 END)"))))
            }
            None => (self.add(format!("SUM(CASE WHEN {q} IS NULL THEN 0 WHEN {pass} THEN 0 ELSE 1 END)")), None),
        };
        Planned::Values { checked, failing, nan, span }
    }

    /// MIN and MAX of a numeric, date or timestamp column (floats without NaN, as the engine
    /// spans them).
    fn span(&mut self, q: &str, family: &Family) -> Option<(usize, usize, SpanKind)> {
        let (expr, kind) = match family {
            Family::Integer => (q.to_owned(), SpanKind::Int),
            Family::Decimal { scale, .. } => (q.to_owned(), SpanKind::Decimal(*scale)),
            Family::Time(t) => (q.to_owned(), SpanKind::Time(t.clone())),
            Family::Float => {
                let x = self.as_double(q);
                (format!("CASE WHEN {} THEN NULL ELSE {x} END", self.is_nan(&x)), SpanKind::Float)
            }
            _ => return None,
        };
        Some((self.add(format!("MIN({expr})")), self.add(format!("MAX({expr})")), kind))
    }

    /// The condition an allowed value meets, in the column's own type; `None` when the column's
    /// type cannot be judged. A listed value that cannot be a value of the column matches
    /// nothing.
    fn allowed(&self, list: &[String], q: &str, family: &Family) -> Result<Option<String>, SqlError> {
        let d = self.dialect;
        let literals: Vec<String> = match family {
            // A NUL cannot be in a Redshift or Athena string, so such a value matches nothing.
            Family::Text => {
                list.iter().filter(|v| !v.contains('\0')).map(|v| d.quote_literal(v)).collect::<Result<_, _>>()?
            }
            Family::Integer => list
                .iter()
                .filter_map(|v| ExactDecimal::parse(v, 0).ok()?.to_i256()?.to_i128())
                .filter(|v| i64::try_from(*v).is_ok())
                .map(|v| v.to_string())
                .collect(),
            Family::Float => list
                .iter()
                .filter_map(|v| v.trim().parse::<f64>().ok())
                .filter(|v| !v.is_nan())
                .map(|v| self.double_literal(v))
                .collect(),
            Family::Decimal { precision, scale } => list
                .iter()
                .filter_map(|v| decimal_literal(ExactDecimal::parse(v, *scale).ok()?, *precision, *scale))
                .collect(),
            Family::Boolean => {
                let has = |words: &[&str]| list.iter().any(|v| words.iter().any(|w| v.trim().eq_ignore_ascii_case(w)));
                let (yes, no) = (has(&["true", "t", "1"]), has(&["false", "f", "0"]));
                return Ok(Some(match (yes, no) {
                    (true, true) => "TRUE".to_owned(),
                    (true, false) => q.to_owned(),
                    (false, true) => format!("NOT {q}"),
                    (false, false) => "FALSE".to_owned(),
                }));
            }
            Family::Time(t) => list
                .iter()
                .filter_map(|v| {
                    let lo = time_bound(v, t, End::Lower).ok()?;
                    (time_bound(v, t, End::Upper).ok()? == lo).then_some(lo)
                })
                .filter_map(|raw| match time_literal(d, raw, t, End::Lower) {
                    Bound::Literal(l) => Some(l),
                    _ => None,
                })
                .collect(),
            Family::Binary | Family::Other => return Ok(None),
        };
        let mut literals = literals;
        literals.sort();
        literals.dedup();
        let x = if *family == Family::Float { self.as_double(q) } else { q.to_owned() };
        Ok(Some(if literals.is_empty() { "FALSE".to_owned() } else { format!("{x} IN ({})", literals.join(", ")) }))
    }

    fn as_double(&self, q: &str) -> String {
        format!("CAST({q} AS {})", self.dialect.double())
    }

    /// A double as SQL: shortest round-trip digits, or the infinities by name.
    fn double_literal(&self, v: f64) -> String {
        let text = if v.is_infinite() {
            (if v > 0.0 { "'Infinity'" } else { "'-Infinity'" }).to_owned()
        } else {
            format!("{v:e}")
        };
        format!("CAST({text} AS {})", self.dialect.double())
    }

    /// Whether a double expression is NaN: Trino's `is_nan`; Redshift (as Postgres) holds NaN
    /// equal to itself.
    fn is_nan(&self, x: &str) -> String {
        match self.dialect {
            Dialect::Athena => format!("is_nan({x})"),
            Dialect::Redshift => format!("{x} = CAST('NaN' AS DOUBLE PRECISION)"),
        }
    }
}

/// `x` within `lo..=hi`, as a condition.
fn within(x: &str, lo: Bound, hi: Bound) -> String {
    let mut parts = Vec::new();
    for (bound, op) in [(lo, ">="), (hi, "<=")] {
        match bound {
            Bound::Open => {}
            Bound::Literal(l) => parts.push(format!("{x} {op} {l}")),
            Bound::Impossible => return "FALSE".to_owned(),
        }
    }
    if parts.is_empty() { "TRUE".to_owned() } else { parts.join(" AND ") }
}

/// An integer bound for a column of 64-bit integers (or a length): beyond the type's range it
/// is met by every value or by none.
fn int_bound(v: i128, end: End) -> Bound {
    match i64::try_from(v) {
        Ok(v) => Bound::Literal(v.to_string()),
        Err(_) if (v < 0) == (end == End::Lower) => Bound::Open,
        Err(_) => Bound::Impossible,
    }
}

/// A bound beyond what the column can hold: met by every value (a lower bound below them all, an
/// upper bound above) or by none.
fn beyond(v: f64, end: End) -> Bound {
    if (v < 0.0) == (end == End::Lower) { Bound::Open } else { Bound::Impossible }
}

/// A decimal at `scale` as a literal, `None` when a `decimal(precision, scale)` cannot hold it.
fn decimal_literal(v: ExactDecimal, precision: u8, scale: i8) -> Option<String> {
    (v.digits(scale) <= usize::from(precision)).then(|| v.render(scale))
}

/// A raw date (days) or timestamp (microseconds) of `t` as a literal; years outside 1 to 9999
/// are beyond every value.
fn time_literal(d: Dialect, raw: i64, t: &DataType, end: End) -> Bound {
    let outside = || if (raw < 0) == (end == End::Lower) { Bound::Open } else { Bound::Impossible };
    let in_years = |year: i32| (1..=9999).contains(&year);
    match t {
        DataType::Date32 => match i32::try_from(raw + 719_163).ok().and_then(NaiveDate::from_num_days_from_ce_opt) {
            Some(date) if in_years(chrono::Datelike::year(&date)) => Bound::Literal(format!("DATE '{date}'")),
            _ => outside(),
        },
        DataType::Timestamp(TimeUnit::Microsecond, zone) => match DateTime::from_timestamp_micros(raw) {
            Some(at) if in_years(chrono::Datelike::year(&at)) => {
                let text = at.naive_utc().format("%Y-%m-%d %H:%M:%S%.6f");
                Bound::Literal(match (zone.is_some(), d) {
                    (false, _) => format!("TIMESTAMP '{text}'"),
                    (true, Dialect::Athena) => format!("TIMESTAMP '{text} UTC'"),
                    (true, Dialect::Redshift) => format!("CAST('{text}+00' AS TIMESTAMPTZ)"),
                })
            }
            _ => outside(),
        },
        _ => outside(),
    }
}

/// The engine's message for a rule naming a column the table does not have.
fn missing_column(columns: &[SqlColumn], name: &str) -> String {
    let shown: Vec<&str> = columns.iter().take(20).map(|c| c.name.as_str()).collect();
    let more = if columns.len() > 20 { format!(" and {} more", columns.len() - 20) } else { String::new() };
    format!("column {name:?} is not in the table (columns: {}{more})", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, t: &str) -> SqlColumn {
        SqlColumn { name: name.into(), data_type: t.into() }
    }

    #[test]
    fn athena_rules_use_trino_functions_and_literals() {
        let columns = [
            col("x\"; --", "double"),
            col("at", "timestamp(3) with time zone"),
            col("b", "varbinary"),
            col("s", "varchar"),
        ];
        let mut range = Rule::new("x-range", RuleType::Range);
        (range.column, range.max) = (Some("x\"; --".into()), Some(2.5));
        let mut recent = Rule::new("at-recent", RuleType::Range);
        (recent.column, recent.earliest) = (Some("at".into()), Some("2024-01-01T02:00:00+02:00".into()));
        let mut length = Rule::new("b-length", RuleType::StringLength);
        (length.column, length.min) = (Some("b".into()), Some(2.0));
        let mut allowed = Rule::new("s-allowed", RuleType::AllowedValues);
        (allowed.column, allowed.values) = (Some("s".into()), Some(vec!["it's".into(), "a\\b".into()]));
        let plan = RulePlan::new(Dialect::Athena, &columns, &[range, recent, length, allowed]).unwrap();
        let sql = plan.query(&TableRef { parts: vec!["db".into(), "t".into()] }).unwrap();
        let x = "CAST(\"x\"\"; --\" AS DOUBLE)";
        assert!(sql.contains(&format!("WHEN is_nan({x}) THEN 1 WHEN {x} <= CAST(2.5e0 AS DOUBLE) THEN 0")), "{sql}");
        assert!(sql.contains("\"at\" >= TIMESTAMP '2024-01-01 00:00:00.000000 UTC'"), "{sql}");
        assert!(sql.contains("MIN(length(\"b\"))") && sql.contains("length(\"b\") >= 2"), "{sql}");
        assert!(sql.contains("\"s\" IN ('a\\b', 'it''s')"), "{sql}");
        assert!(sql.starts_with("SELECT COUNT(*) AS \"r0\", ") && sql.ends_with(" FROM \"db\".\"t\""), "{sql}");
        assert_eq!(plan.output_names().len(), plan.select_items().len());

        let redshift = RulePlan::new(Dialect::Redshift, &columns, &plan.rules).unwrap();
        let sql = redshift.query(&TableRef { parts: vec!["t".into()] }).unwrap();
        assert!(sql.contains("= CAST('NaN' AS DOUBLE PRECISION) THEN 1"), "{sql}");
        assert!(sql.contains("CAST('2024-01-01 00:00:00.000000+00' AS TIMESTAMPTZ)"), "{sql}");
        assert!(sql.contains("OCTET_LENGTH(\"b\")") && sql.contains("'a\\\\b'"), "{sql}");
    }

    #[test]
    fn results_read_back_and_bad_values_are_named() {
        let mut complete = Rule::new("s-complete", RuleType::Completeness);
        complete.column = Some("s".into());
        let plan = RulePlan::new(Dialect::Athena, &[col("s", "varchar")], &[complete]).unwrap();
        let (rows, results) = plan.parse(&[Some("10".into()), Some("9.0".into())]).unwrap();
        assert_eq!((rows, results[0].failing_rows), (10, Some(1)));
        assert!(plan.parse(&[Some("10".into())]).is_err());
        let err = plan.parse(&[Some("10".into()), Some("many".into())]).unwrap_err().to_string();
        assert!(err.contains("many"), "{err}");
    }
}
