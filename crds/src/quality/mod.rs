//! Data quality rules: the rule set `profiler suggest` writes (`rules.yaml`), `profiler check` and
//! a ProfileJob's `spec.rules` verify, and the result of verifying them (`check.json`).
//!
//! A rule is one flat object with a `type`; which of `column`, `min`, `max`, `values`,
//! `earliest`, `latest` and `contentType` it takes depends on the type (see [`RuleType`]). The
//! flat shape lets the API server judge an inline rule with the same rules
//! ([`Rule::validate`], and CEL from [`rule_cel`]) the worker applies to a `rules.yaml` file.

mod parse;
mod result;
pub mod spec;
mod validate;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::profile::ContentType;

pub use parse::{MAX_RULE_SET_BYTES, parse_rule_set};
pub use result::{
    CHECK_FORMAT_VERSION, CheckReport, CheckSummary, MAX_FAILED_RULES_IN_STATUS, RuleOutcome, RuleResult,
};
pub use validate::{
    ALLOWED_VALUE, RULE_NAME, RuleSetError, TIME_BOUND, rule_cel, rules_list_schema, validate_rule_set, validate_rules,
};

/// Version of the rule set format written by this build; readers reject versions they do not know.
pub const RULE_SET_FORMAT_VERSION: u32 = 1;

/// Most rules in one rule set (a ProfileJob's inline rules or a rules.yaml file).
pub const MAX_RULES: usize = 500;

/// Most values of an `allowedValues` rule.
pub const MAX_ALLOWED_VALUES: usize = 1000;

/// A set of data quality rules for one table (`rules.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSet {
    /// Format version of this document (1).
    pub format_version: u32,
    /// The table the rules were written for (the profile's source location when suggested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Where the rules came from, when `profiler suggest` wrote them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_from: Option<SuggestedFrom>,
    /// The rules, each with a name unique in the set.
    pub rules: Vec<Rule>,
}

/// The profile a suggested rule set was derived from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuggestedFrom {
    /// Location of the profiled source, as in the profile.
    pub location: String,
    /// Rows in the profile.
    pub row_count: u64,
    /// Iceberg snapshot of the profile, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<i64>,
    /// When the profiled run started (RFC 3339).
    pub profiled_at: String,
    /// Version of the profiler that suggested the rules.
    pub profiler_version: String,
}

/// One data quality rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Name, unique in the rule set: lower-case letters, digits, `_` and `-`, 1 to 63
    /// characters, starting and ending with a letter or digit.
    pub name: String,
    /// What the rule checks.
    #[serde(rename = "type")]
    pub rule_type: RuleType,
    /// The column checked (a top-level column or `parent.child`); every type but `rowCount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Lower bound: rows for `rowCount`, the fraction (0 to 1) for `completeness`, `uniqueness`
    /// and `contentType`, the value for `range` on a numeric column, characters for
    /// `stringLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound: rows for `rowCount`, the value for `range` on a numeric column, characters
    /// for `stringLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The values an `allowedValues` column may hold, as text (numbers and booleans as the
    /// profile writes them); nulls are judged by `completeness`, not here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Lower bound of `range` on a date or timestamp column: `YYYY-MM-DD` or an RFC 3339
    /// timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<String>,
    /// Upper bound of `range` on a date or timestamp column: `YYYY-MM-DD` or an RFC 3339
    /// timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// The content type non-null strings of a `contentType` column must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<ContentType>,
    /// Why the rule exists; `profiler suggest` states the profile figure it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

/// What a rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RuleType {
    /// The table's row count is within `min`..=`max` (either may be left out).
    RowCount,
    /// At least `min` (default 1: no nulls) of the column's rows are non-null.
    Completeness,
    /// At least `min` (default 1: every value distinct) of the column's non-null values are
    /// distinct values: distinct count / non-null count, counted exactly.
    Uniqueness,
    /// Every non-null value is one of `values`.
    AllowedValues,
    /// Every non-null value is within `min`..=`max` (numeric columns) or
    /// `earliest`..=`latest` (date and timestamp columns); either end may be left out.
    Range,
    /// Every non-null value is >= 0 (numeric columns).
    NonNegative,
    /// Every non-null string is `min`..=`max` characters long (bytes for binary columns).
    StringLength,
    /// At least `min` (default 1) of the non-null strings have `contentType`.
    ContentType,
}

impl RuleType {
    /// Every rule type, in documentation order.
    pub const ALL: [RuleType; 8] = [
        RuleType::RowCount,
        RuleType::Completeness,
        RuleType::Uniqueness,
        RuleType::AllowedValues,
        RuleType::Range,
        RuleType::NonNegative,
        RuleType::StringLength,
        RuleType::ContentType,
    ];

    /// The name a rule file uses for the type (`rowCount`, `allowedValues`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleType::RowCount => "rowCount",
            RuleType::Completeness => "completeness",
            RuleType::Uniqueness => "uniqueness",
            RuleType::AllowedValues => "allowedValues",
            RuleType::Range => "range",
            RuleType::NonNegative => "nonNegative",
            RuleType::StringLength => "stringLength",
            RuleType::ContentType => "contentType",
        }
    }

    /// Which optional fields the type takes; the others must be left out.
    pub fn fields(self) -> RuleFields {
        let none = RuleFields::default();
        match self {
            RuleType::RowCount => RuleFields { min: true, max: true, ..none },
            RuleType::Completeness | RuleType::Uniqueness => RuleFields { column: true, min: true, ..none },
            RuleType::AllowedValues => RuleFields { column: true, values: true, ..none },
            RuleType::Range => RuleFields { column: true, min: true, max: true, time: true, ..none },
            RuleType::NonNegative => RuleFields { column: true, ..none },
            RuleType::StringLength => RuleFields { column: true, min: true, max: true, ..none },
            RuleType::ContentType => RuleFields { column: true, min: true, content_type: true, ..none },
        }
    }
}

impl std::fmt::Display for RuleType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The optional fields a rule type takes (`column` is then required, the others optional,
/// except `values` and `contentType`, which are required where taken).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleFields {
    /// `column` (required when taken).
    pub column: bool,
    /// `min`.
    pub min: bool,
    /// `max`.
    pub max: bool,
    /// `values` (required when taken).
    pub values: bool,
    /// `earliest` and `latest`.
    pub time: bool,
    /// `contentType` (required when taken).
    pub content_type: bool,
}

impl Rule {
    /// A rule of `rule_type` named `name` with no field set; fill the fields the type takes.
    pub fn new(name: impl Into<String>, rule_type: RuleType) -> Self {
        Rule {
            name: name.into(),
            rule_type,
            column: None,
            min: None,
            max: None,
            values: None,
            earliest: None,
            latest: None,
            content_type: None,
            rationale: None,
        }
    }

    /// The lower bound of a fraction rule (`completeness`, `uniqueness`, `contentType`): `min`,
    /// 1 when left out.
    pub fn min_fraction(&self) -> f64 {
        self.min.unwrap_or(1.0)
    }
}

impl RuleSet {
    /// An empty rule set of the current format.
    pub fn new() -> Self {
        RuleSet { format_version: RULE_SET_FORMAT_VERSION, table: None, suggested_from: None, rules: Vec::new() }
    }

    /// The rule set as a `rules.yaml` document (what [`parse_rule_set`] reads back). Every
    /// string is double-quoted, so YAML 1.1 readers too read `no`, `on` or `2024-01-01` as text.
    pub fn to_yaml(&self) -> Result<String, serde_yaml::Error> {
        let mut out = String::new();
        yaml_block(&serde_yaml::to_value(self)?, 0, &mut out);
        Ok(out)
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::new()
    }
}

/// `value` (a mapping or sequence, fields in declaration order) in YAML block style at `indent`
/// spaces; strings in JSON's double-quoted syntax, which is YAML's too.
fn yaml_block(value: &serde_yaml::Value, indent: usize, out: &mut String) {
    use serde_yaml::Value;
    let pad = " ".repeat(indent);
    let inline = |v: &Value| match v {
        Value::Mapping(m) if m.is_empty() => Some("{}".to_owned()),
        Value::Sequence(a) if a.is_empty() => Some("[]".to_owned()),
        Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_) => None,
        Value::String(text) => Some(serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())),
        // Floats without exponent and with a point, as YAML 1.1 readers need them.
        Value::Number(n) => Some(match n.as_f64().filter(|_| n.is_f64()) {
            Some(x) if x.is_finite() && x.fract() == 0.0 => format!("{x:.1}"),
            Some(x) if x.is_finite() => format!("{x}"),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_owned()),
    };
    match value {
        Value::Mapping(map) => {
            for (key, v) in map {
                let key = key.as_str().unwrap_or_default();
                match inline(v) {
                    Some(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        yaml_block(v, if v.is_sequence() { indent } else { indent + 2 }, out);
                    }
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                match inline(item) {
                    Some(text) => out.push_str(&format!("{pad}- {text}\n")),
                    None => {
                        let mut nested = String::new();
                        yaml_block(item, indent + 2, &mut nested);
                        out.push_str(&format!("{pad}- {}", nested.get(indent + 2..).unwrap_or_default()));
                    }
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", inline(other).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quotes_every_string_and_reads_back() {
        let mut set = RuleSet::new();
        set.table = Some("s3://b/orders.parquet".into());
        let mut rule = Rule::new("v-allowed-values", RuleType::AllowedValues);
        rule.column = Some("we\"ird: name".into());
        rule.values = Some(["no", "on", "2024-01-01", "1", "~", "it's \"x\"", "é"].map(String::from).to_vec());
        let mut rows = Rule::new("row-count", RuleType::RowCount);
        (rows.min, rows.max) = (Some(10.0), Some(1e20));
        set.rules = vec![rows, rule];
        let yaml = set.to_yaml().unwrap();
        assert!(
            yaml.starts_with("formatVersion: 1\ntable: \"s3://b/orders.parquet\"\nrules:\n- name: \"row-count\"\n"),
            "{yaml}"
        );
        assert!(yaml.contains("  values:\n  - \"no\"\n  - \"on\"\n"), "{yaml}");
        assert!(yaml.contains("  max: 100000000000000000000.0\n"), "{yaml}");
        assert_eq!(parse_rule_set(&yaml, "test").unwrap(), set);
    }
}
