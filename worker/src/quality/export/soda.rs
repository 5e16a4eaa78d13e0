//! Soda checks in SodaCL (Soda Core 3): `checks for <dataset>:` with one check per rule, named
//! after the rule and preceded by a comment with its rationale. Rules SodaCL cannot state are
//! comments.
//!
//! Soda counts nulls as missing, not invalid, as the rule set does. Column names are written as
//! SQL quoted identifiers (`"order id"`), every YAML scalar in double quotes. Soda Core 3 (the
//! version the tests run) has no escape for a double quote in a column name and writes valid
//! values into SQL without escaping a single quote: such rules become comments.

use profiler_crds::quality::{Rule, RuleSet, RuleType};

use super::{content_type_name, content_type_regex, number, one_line};

/// The rule set as a SodaCL document for `dataset`.
pub fn render(set: &RuleSet, dataset: &str) -> String {
    let mut out = String::from("# Soda checks (SodaCL)");
    if let Some(table) = &set.table {
        out.push_str(&format!(" for {}", table.split_whitespace().collect::<Vec<_>>().join(" ")));
    }
    out.push_str(", exported by profiler; each check is named after its rule.\n");
    let key = yaml(&format!("checks for {dataset}"));
    let mut body = String::new();
    let mut written = 0;
    for rule in &set.rules {
        let rationale = one_line(rule);
        body.push_str(&format!(
            "  # {}{}\n",
            rule.name,
            if rationale.is_empty() { String::new() } else { format!(": {rationale}") }
        ));
        match check(rule) {
            Ok((line, config)) => {
                body.push_str(&format!("  - {}:\n      name: {}\n", yaml(&line), yaml(&rule.name)));
                for (key, value) in config {
                    body.push_str(&format!("      {key}: {value}\n"));
                }
                written += 1;
            }
            Err(reason) => body.push_str(&format!("  # not exported: {reason}\n")),
        }
    }
    if written == 0 {
        out.push_str(&format!("{key}: []\n{body}"));
    } else {
        out.push_str(&format!("{key}:\n{body}"));
    }
    out
}

/// A check line and its configuration keys with their YAML values.
type Check = (String, Vec<(&'static str, String)>);

/// The check of a rule, or why SodaCL cannot state it.
fn check(rule: &Rule) -> Result<Check, String> {
    let Some(column) = rule.column.as_deref() else {
        let line = match (rule.min, rule.max) {
            (Some(a), Some(b)) => format!("row_count between {} and {}", number(a), number(b)),
            (Some(a), None) => format!("row_count >= {}", number(a)),
            (None, Some(b)) => format!("row_count <= {}", number(b)),
            (None, None) => "row_count >= 0".to_owned(),
        };
        return Ok((line, vec![]));
    };
    if column.contains('"') {
        return Err(format!(
            "SodaCL cannot name the column {column:?}: its check grammar has no escape for a double quote"
        ));
    }
    let c = sql_identifier(column);
    let min = rule.min_fraction();
    let invalid_none = format!("invalid_count({c}) = 0");
    Ok(match rule.rule_type {
        RuleType::RowCount => return Err("a rowCount rule takes no column".into()),
        RuleType::Completeness if min >= 1.0 => (format!("missing_count({c}) = 0"), vec![]),
        RuleType::Completeness => (format!("missing_percent({c}) <= {}", percent_of(1.0 - min)), vec![]),
        RuleType::Uniqueness if min >= 1.0 => (format!("duplicate_count({c}) = 0"), vec![]),
        RuleType::Uniqueness => {
            return Err(format!(
                "SodaCL has no metric for distinct values over non-null values (uniqueness at least {})",
                number(min)
            ));
        }
        RuleType::AllowedValues if rule.values.iter().flatten().any(|v| v.contains('\'')) => {
            return Err(
                "Soda Core writes valid values into its SQL without escaping a single quote, which a value holds"
                    .into(),
            );
        }
        RuleType::AllowedValues => {
            let values: Vec<String> = rule.values.iter().flatten().map(|v| yaml(v)).collect();
            (invalid_none, vec![("valid values", format!("[{}]", values.join(", ")))])
        }
        RuleType::Range if rule.earliest.is_some() || rule.latest.is_some() => {
            return Err(format!(
                "SodaCL's valid min and max are numbers; dates and timestamps ({} to {}) are not",
                rule.earliest.as_deref().unwrap_or("open"),
                rule.latest.as_deref().unwrap_or("open")
            ));
        }
        RuleType::Range => {
            let mut config = vec![];
            if let Some(m) = rule.min {
                config.push(("valid min", number(m)));
            }
            if let Some(m) = rule.max {
                config.push(("valid max", number(m)));
            }
            (invalid_none, config)
        }
        RuleType::NonNegative => (invalid_none, vec![("valid min", "0".to_owned())]),
        RuleType::StringLength => {
            let mut config = vec![];
            if let Some(m) = rule.min {
                config.push(("valid min length", number(m)));
            }
            if let Some(m) = rule.max {
                config.push(("valid max length", number(m)));
            }
            (invalid_none, config)
        }
        RuleType::ContentType => {
            let content_type = rule.content_type.ok_or("no contentType")?;
            let regex = content_type_regex(content_type).ok_or_else(|| {
                format!(
                    "content type {} (anything no other type matches) has no regular expression",
                    content_type_name(content_type)
                )
            })?;
            // Soda's invalid_percent counts over all rows; the rule's fraction is of non-null
            // values, so the percentage allowed here is the rule's, a little stricter with nulls.
            let line =
                if min >= 1.0 { invalid_none } else { format!("invalid_percent({c}) <= {}", percent_of(1.0 - min)) };
            (line, vec![("valid regex", yaml(regex))])
        }
    })
}

/// A fraction as a percentage without binary noise (`0.041` -> `4.1`).
fn percent_of(fraction: f64) -> String {
    let p = (fraction * 100.0 * 1e9).round() / 1e9;
    number(p)
}

/// A SQL quoted identifier: in double quotes (a name holding one is refused before).
fn sql_identifier(column: &str) -> String {
    format!("\"{column}\"")
}

/// A YAML double-quoted scalar (JSON's string syntax is YAML's).
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_quote_columns_for_sql_and_lines_for_yaml() {
        let mut set = RuleSet::new();
        let mut complete = Rule::new("a-completeness", RuleType::Completeness);
        (complete.column, complete.min) = (Some("a 'b': c".into()), Some(0.959));
        let mut values = Rule::new("s-allowed-values", RuleType::AllowedValues);
        (values.column, values.values) = (Some("s".into()), Some(vec!["x".into(), "it's".into()]));
        let mut when = Rule::new("t-range", RuleType::Range);
        (when.column, when.earliest) = (Some("t".into()), Some("2024-01-01".into()));
        set.rules = vec![complete, values, when];
        let doc = render(&set, "orders");
        assert!(doc.contains(r#""checks for orders":"#), "{doc}");
        assert!(doc.contains(r#"  - "missing_percent(\"a 'b': c\") <= 4.1":"#), "{doc}");
        assert!(doc.contains("  # not exported: Soda Core writes valid values"), "{doc}");
        assert!(doc.contains("  # not exported: SodaCL's valid min and max are numbers"), "{doc}");
        assert_eq!(percent_of(1.0 - 0.97), "3");
    }
}
