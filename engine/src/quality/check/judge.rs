//! What a rule's evaluation observed and the verdict on it, in words: shared by the engine's scan
//! and by SQL pushdown, so a rule reads the same wherever it ran.

use profiler_crds::quality::{Rule, RuleOutcome, RuleResult, RuleType};

/// Failing values quoted in an observation, at most.
pub const MAX_EXAMPLES: usize = 5;

/// Allowed values quoted in an expectation, at most.
const MAX_LISTED: usize = 8;

/// What evaluating one rule counted.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// `rowCount`: rows of the table.
    Rows(u64),
    /// `completeness`: rows and non-null values.
    NonNull {
        /// Rows.
        rows: u64,
        /// Non-null values.
        non_null: u64,
    },
    /// `uniqueness`: non-null values and distinct non-null values (exact).
    Distinct {
        /// Non-null values.
        non_null: u64,
        /// Distinct non-null values.
        distinct: u64,
    },
    /// `allowedValues`, `range`, `nonNegative`, `stringLength`: non-null values checked, those
    /// breaking the rule, and what they spanned.
    Values(ValueCounts),
    /// `contentType`: non-null strings and those of the rule's content type.
    Content {
        /// Non-null strings.
        checked: u64,
        /// Strings of the content type.
        matching: u64,
    },
}

/// Counts of a rule judged value by value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueCounts {
    /// Non-null values checked.
    pub checked: u64,
    /// Values breaking the rule.
    pub failing: u64,
    /// Smallest value (or length) seen, as text.
    pub min: Option<String>,
    /// Largest value (or length) seen, as text.
    pub max: Option<String>,
    /// NaN values (they are in no range).
    pub nan: u64,
    /// Some values breaking the rule, at most [`MAX_EXAMPLES`].
    pub examples: Vec<String>,
}

/// The result of a rule that could not be evaluated, with why.
pub fn not_evaluated(rule: &Rule, reason: impl Into<String>) -> RuleResult {
    let reason = reason.into();
    RuleResult {
        name: rule.name.clone(),
        rule_type: rule.rule_type,
        column: rule.column.clone(),
        outcome: RuleOutcome::Error,
        expected: expected(rule),
        observed: "not evaluated".into(),
        observed_value: None,
        failing_rows: None,
        error: Some(reason),
    }
}

/// The verdict on `rule` given what was observed. An observation of the wrong shape for the
/// rule's type is reported as not evaluated.
pub fn judge(rule: &Rule, observed: &Observed) -> RuleResult {
    let mut result = RuleResult {
        name: rule.name.clone(),
        rule_type: rule.rule_type,
        column: rule.column.clone(),
        outcome: RuleOutcome::Passed,
        expected: expected(rule),
        observed: String::new(),
        observed_value: None,
        failing_rows: None,
        error: None,
    };
    let passed = match (rule.rule_type, observed) {
        (RuleType::RowCount, Observed::Rows(rows)) => {
            result.observed = format!("{rows} rows");
            result.observed_value = Some(*rows as f64);
            rule.min.is_none_or(|m| *rows as f64 >= m) && rule.max.is_none_or(|m| *rows as f64 <= m)
        }
        (RuleType::Completeness, Observed::NonNull { rows, non_null }) => {
            let nulls = rows.saturating_sub(*non_null);
            let fraction = fraction(*non_null, *rows);
            result.observed = if *rows == 0 {
                "no rows".into()
            } else {
                format!("{} non-null ({nulls} nulls in {rows} rows)", figure(fraction))
            };
            result.observed_value = Some(fraction);
            result.failing_rows = Some(nulls);
            fraction >= rule.min_fraction()
        }
        (RuleType::Uniqueness, Observed::Distinct { non_null, distinct }) => {
            let duplicates = non_null.saturating_sub(*distinct);
            let fraction = fraction(*distinct, *non_null);
            result.observed = if *non_null == 0 {
                "no non-null values".into()
            } else {
                format!(
                    "{} distinct ({distinct} distinct of {non_null} values, {duplicates} duplicates)",
                    figure(fraction)
                )
            };
            result.observed_value = Some(fraction);
            result.failing_rows = Some(duplicates);
            fraction >= rule.min_fraction()
        }
        (RuleType::ContentType, Observed::Content { checked, matching }) => {
            let fraction = fraction(*matching, *checked);
            let other = checked.saturating_sub(*matching);
            result.observed = if *checked == 0 {
                "no non-null strings".into()
            } else {
                format!("{} of that type ({other} of {checked} strings are not)", figure(fraction))
            };
            result.observed_value = Some(fraction);
            result.failing_rows = Some(other);
            fraction >= rule.min_fraction()
        }
        (
            RuleType::AllowedValues | RuleType::Range | RuleType::NonNegative | RuleType::StringLength,
            Observed::Values(counts),
        ) => {
            result.observed = describe_values(rule.rule_type, counts);
            result.observed_value = Some(counts.failing as f64);
            result.failing_rows = Some(counts.failing);
            counts.failing == 0
        }
        (_, other) => {
            return not_evaluated(rule, format!("internal: a {} rule cannot judge {other:?}", rule.rule_type));
        }
    };
    result.outcome = if passed { RuleOutcome::Passed } else { RuleOutcome::Failed };
    result
}

/// `part / whole`, 1 when there is nothing to count (a vacuous pass).
fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
}

/// A fraction in words: up to 4 decimals, never rounded up to 1 when short of it.
fn figure(f: f64) -> String {
    let text = format!("{f:.4}");
    if f < 1.0 && text == "1.0000" {
        "0.9999+".into()
    } else {
        let trimmed = text.trim_end_matches('0');
        if trimmed.ends_with('.') { format!("{trimmed}0") } else { trimmed.to_owned() }
    }
}

fn describe_values(rule_type: RuleType, c: &ValueCounts) -> String {
    if c.checked == 0 {
        return "no non-null values".into();
    }
    let span = match (&c.min, &c.max) {
        (Some(min), Some(max)) if rule_type == RuleType::StringLength => format!("lengths {min} to {max}"),
        (Some(min), Some(max)) => format!("min {min}, max {max}"),
        _ => String::new(),
    };
    let mut words = Vec::new();
    if !span.is_empty() && rule_type != RuleType::AllowedValues {
        words.push(span);
    }
    if c.failing == 0 {
        words.push(format!("all {} values pass", c.checked));
    } else {
        let what = match rule_type {
            RuleType::AllowedValues => "not allowed",
            RuleType::NonNegative => "negative or NaN",
            RuleType::StringLength => "of another length",
            _ => "out of range",
        };
        let mut line = format!("{} of {} values {what}", c.failing, c.checked);
        if c.nan > 0 {
            line.push_str(&format!(" ({} NaN)", c.nan));
        }
        if !c.examples.is_empty() {
            let quoted: Vec<String> = c.examples.iter().map(|e| format!("{e:?}")).collect();
            line.push_str(&format!(", e.g. {}", quoted.join(", ")));
        }
        words.push(line);
    }
    words.join("; ")
}

/// What a rule requires, in words.
pub fn expected(rule: &Rule) -> String {
    let number = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") };
    let bounds = |min: Option<String>, max: Option<String>, unit: &str| match (min, max) {
        (Some(a), Some(b)) => format!("within {a}..={b}{unit}"),
        (Some(a), None) => format!(">= {a}{unit}"),
        (None, Some(b)) => format!("<= {b}{unit}"),
        (None, None) => "any".to_owned(),
    };
    match rule.rule_type {
        RuleType::RowCount => bounds(rule.min.map(number), rule.max.map(number), " rows"),
        RuleType::Completeness => format!(">= {} non-null", figure(rule.min_fraction())),
        RuleType::Uniqueness => format!(">= {} distinct", figure(rule.min_fraction())),
        RuleType::AllowedValues => {
            let values = rule.values.as_deref().unwrap_or_default();
            let listed: Vec<String> = values.iter().take(MAX_LISTED).map(|v| format!("{v:?}")).collect();
            let more = values.len().saturating_sub(MAX_LISTED);
            let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
            format!("one of {}{tail}", listed.join(", "))
        }
        RuleType::Range if rule.earliest.is_some() || rule.latest.is_some() => {
            bounds(rule.earliest.clone(), rule.latest.clone(), "")
        }
        RuleType::Range => bounds(rule.min.map(number), rule.max.map(number), ""),
        RuleType::NonNegative => ">= 0".into(),
        RuleType::StringLength => bounds(rule.min.map(number), rule.max.map(number), " characters"),
        RuleType::ContentType => {
            let ty = rule.content_type.map(|t| format!("{t:?}").to_lowercase()).unwrap_or_default();
            format!(">= {} of non-null strings are {ty}", figure(rule.min_fraction()))
        }
    }
}
