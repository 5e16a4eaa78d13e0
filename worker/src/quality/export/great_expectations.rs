//! A Great Expectations expectation suite (the JSON of `ExpectationSuite.to_json_dict()` in Great
//! Expectations 1.x): one expectation per rule, the rule's name, type and rationale in its
//! `meta`; rules no expectation states are listed in the suite's `meta.notExported`.
//!
//! Column expectations of Great Expectations leave nulls out, as the rule set does (nulls are the
//! business of `completeness`).

use profiler_crds::quality::{Rule, RuleSet, RuleType};
use serde_json::{Map, Value, json};

use super::{content_type_name, content_type_regex};

/// The rule set as an expectation suite named `dataset`, pretty JSON.
pub fn render(set: &RuleSet, dataset: &str) -> String {
    let mut expectations = Vec::new();
    let mut not_exported = Vec::new();
    for rule in &set.rules {
        match expectation(rule) {
            Ok((kind, kwargs)) => expectations.push(json!({
                "type": kind,
                "kwargs": kwargs,
                "meta": {"profiler": {
                    "rule": rule.name,
                    "type": rule.rule_type.as_str(),
                    "rationale": rule.rationale,
                }},
            })),
            Err(reason) => not_exported.push(json!({"rule": rule.name, "reason": reason})),
        }
    }
    let mut meta = Map::new();
    meta.insert(
        "profiler".into(),
        json!({"table": set.table, "suggestedFrom": set.suggested_from, "formatVersion": set.format_version}),
    );
    meta.insert("notExported".into(), Value::Array(not_exported));
    let suite = json!({
        "name": dataset,
        "expectations": expectations,
        "meta": meta,
        "notes": "Exported by profiler from a rule set (docs/rules.md); meta.notExported lists the rules no expectation states.",
    });
    serde_json::to_string_pretty(&suite).unwrap_or_default() + "\n"
}

/// The expectation type and kwargs of one rule, or why there is none.
fn expectation(rule: &Rule) -> Result<(&'static str, Value), String> {
    let mut kwargs = Map::new();
    if let Some(column) = &rule.column {
        kwargs.insert("column".into(), json!(column));
    }
    let bounds = |kwargs: &mut Map<String, Value>, min: Option<Value>, max: Option<Value>| {
        if let Some(min) = min {
            kwargs.insert("min_value".into(), min);
        }
        if let Some(max) = max {
            kwargs.insert("max_value".into(), max);
        }
    };
    let min = rule.min_fraction();
    let mostly = |kwargs: &mut Map<String, Value>| {
        if min < 1.0 {
            kwargs.insert("mostly".into(), json!(min));
        }
    };
    let kind = match rule.rule_type {
        RuleType::RowCount => {
            bounds(&mut kwargs, rule.min.map(|m| json!(m as u64)), rule.max.map(|m| json!(m as u64)));
            "expect_table_row_count_to_be_between"
        }
        RuleType::Completeness => {
            mostly(&mut kwargs);
            "expect_column_values_to_not_be_null"
        }
        RuleType::Uniqueness if min >= 1.0 => "expect_column_values_to_be_unique",
        RuleType::Uniqueness => {
            // Distinct values over non-null values: the proportion of unique values.
            kwargs.insert("min_value".into(), json!(min));
            "expect_column_proportion_of_unique_values_to_be_between"
        }
        RuleType::AllowedValues => {
            kwargs.insert("value_set".into(), json!(rule.values.clone().unwrap_or_default()));
            "expect_column_values_to_be_in_set"
        }
        RuleType::Range if rule.earliest.is_some() || rule.latest.is_some() => {
            bounds(&mut kwargs, rule.earliest.as_ref().map(|t| json!(t)), rule.latest.as_ref().map(|t| json!(t)));
            "expect_column_values_to_be_between"
        }
        RuleType::Range => {
            bounds(&mut kwargs, rule.min.map(|m| json!(m)), rule.max.map(|m| json!(m)));
            "expect_column_values_to_be_between"
        }
        RuleType::NonNegative => {
            kwargs.insert("min_value".into(), json!(0));
            "expect_column_values_to_be_between"
        }
        RuleType::StringLength => {
            bounds(&mut kwargs, rule.min.map(|m| json!(m as u64)), rule.max.map(|m| json!(m as u64)));
            "expect_column_value_lengths_to_be_between"
        }
        RuleType::ContentType => {
            let content_type = rule.content_type.ok_or("no contentType")?;
            let regex = content_type_regex(content_type).ok_or_else(|| {
                format!(
                    "content type {} (anything no other type matches) has no regular expression",
                    content_type_name(content_type)
                )
            })?;
            kwargs.insert("regex".into(), json!(regex));
            mostly(&mut kwargs);
            "expect_column_values_to_match_regex"
        }
    };
    Ok((kind, Value::Object(kwargs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use profiler_crds::ContentType;

    #[test]
    fn rules_become_expectations_and_the_rest_meta() {
        let mut set = RuleSet::new();
        let mut complete = Rule::new("a-completeness", RuleType::Completeness);
        (complete.column, complete.min) = (Some("a \"b\"".into()), Some(0.9));
        let mut text = Rule::new("t-content-type", RuleType::ContentType);
        (text.column, text.content_type) = (Some("t".into()), Some(ContentType::Text));
        let mut rows = Rule::new("row-count", RuleType::RowCount);
        (rows.min, rows.max) = (Some(5.0), Some(20.0));
        set.rules = vec![complete, text, rows];
        let suite: Value = serde_json::from_str(&render(&set, "orders")).unwrap();
        assert_eq!(suite["name"], "orders");
        let e = &suite["expectations"];
        assert_eq!(e[0]["type"], "expect_column_values_to_not_be_null");
        assert_eq!(e[0]["kwargs"], json!({"column": "a \"b\"", "mostly": 0.9}));
        assert_eq!(e[0]["meta"]["profiler"]["rule"], "a-completeness");
        assert_eq!(e[1]["kwargs"], json!({"min_value": 5, "max_value": 20}));
        assert_eq!(suite["meta"]["notExported"][0]["rule"], "t-content-type");
    }
}
