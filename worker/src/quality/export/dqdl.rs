//! AWS Glue Data Quality Definition Language (DQDL): `Rules = [ ... ]`, one DQDL rule per rule,
//! each after a `#` comment with the rule's name and rationale.
//!
//! DQDL's `between` excludes its ends and `ColumnValues` fails null rows, so a range is written as
//! `(ColumnValues "c" >= a where "...") and (ColumnValues "c" <= b where "...")` with a Spark SQL
//! `where` clause that leaves nulls out (nulls are the business of `completeness`). Glue keeps the
//! text of column parameters and `where` clauses as written (escapes included), so a rule on a
//! column whose name holds `"` or `\` cannot be written and becomes a comment.

use profiler_crds::quality::{Rule, RuleSet, RuleType};

use super::{content_type_name, content_type_regex, number, one_line};

/// The rule set as a DQDL document.
pub fn render(set: &RuleSet) -> String {
    let mut out = String::from("# AWS Glue Data Quality rules (DQDL)");
    if let Some(table) = &set.table {
        out.push_str(&format!(" for {}", single_line(table)));
    }
    out.push_str(", exported by profiler; each rule follows its name and rationale.\n");
    let items: Vec<(String, Result<String, String>)> = set.rules.iter().map(|r| (comment(r), rule(r))).collect();
    out.push_str("Rules = [\n");
    let last = items.iter().rposition(|(_, r)| r.is_ok());
    for (i, (comment, rule)) in items.iter().enumerate() {
        out.push_str(&format!("    # {comment}\n"));
        match rule {
            Ok(text) => {
                let comma = if Some(i) < last { "," } else { "" };
                out.push_str(&format!("    {text}{comma}\n"));
            }
            Err(reason) => out.push_str(&format!("    # not exported: {reason}\n")),
        }
    }
    out.push_str("]\n");
    out
}

fn comment(rule: &Rule) -> String {
    let rationale = one_line(rule);
    if rationale.is_empty() { rule.name.clone() } else { format!("{}: {rationale}", rule.name) }
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One rule in DQDL, or why it cannot be written.
fn rule(rule: &Rule) -> Result<String, String> {
    // Only rowCount has no column (the rule set is validated).
    let Some(column) = rule.column.as_deref() else { return Ok(bounded("RowCount", rule.min, rule.max)) };
    if column.contains(['"', '\\']) {
        return Err(format!(
            "DQDL cannot name the column {column:?}: Glue keeps the escapes a quote or backslash needs"
        ));
    }
    let c = format!("\"{column}\"");
    let not_null = format!(" where \"{} is not null\"", spark_identifier(column));
    let min = rule.min_fraction();
    Ok(match rule.rule_type {
        RuleType::RowCount => bounded("RowCount", rule.min, rule.max),
        RuleType::Completeness if min >= 1.0 => format!("IsComplete {c}"),
        RuleType::Completeness => format!("Completeness {c} >= {}", number(min)),
        RuleType::Uniqueness if min >= 1.0 => format!("IsUnique {c}{not_null}"),
        RuleType::Uniqueness => {
            let id = spark_identifier(column);
            format!("CustomSql \"SELECT COUNT(DISTINCT {id}) / COUNT({id}) FROM primary\" >= {}", number(min))
        }
        RuleType::AllowedValues => {
            let mut values: Vec<String> =
                rule.values.iter().flatten().map(|v| if v.is_empty() { "EMPTY".into() } else { string(v) }).collect();
            values.push("NULL".into());
            format!("ColumnValues {c} in [{}]", values.join(", "))
        }
        RuleType::Range if rule.earliest.is_some() || rule.latest.is_some() => {
            let earliest = rule.earliest.as_deref().map(|t| format!("\"{}\"", date_floor(t)));
            let latest = rule.latest.as_deref().map(|t| format!("\"{}\"", date_ceil(t)));
            both(
                earliest.map(|d| format!("ColumnValues {c} >= {d}{not_null}")),
                latest.map(|d| format!("ColumnValues {c} <= {d}{not_null}")),
            )
        }
        RuleType::Range => both(
            rule.min.map(|m| format!("ColumnValues {c} >= {}{not_null}", number(m))),
            rule.max.map(|m| format!("ColumnValues {c} <= {}{not_null}", number(m))),
        ),
        RuleType::NonNegative => format!("ColumnValues {c} >= 0{not_null}"),
        RuleType::StringLength => both(
            rule.min.map(|m| format!("ColumnLength {c} >= {}{not_null}", number(m))),
            rule.max.map(|m| format!("ColumnLength {c} <= {}{not_null}", number(m))),
        ),
        RuleType::ContentType => {
            let content_type = rule.content_type.ok_or("no contentType")?;
            let regex = content_type_regex(content_type).ok_or_else(|| {
                format!(
                    "content type {} (anything no other type matches) has no regular expression",
                    content_type_name(content_type)
                )
            })?;
            // Glue reads a `matches` pattern verbatim: the regex has no quote or backslash pair
            // the grammar would need escaped.
            let threshold = if min < 1.0 { format!(" with threshold >= {}", number(min)) } else { String::new() };
            format!("ColumnValues {c} matches \"{regex}\"{not_null}{threshold}")
        }
    })
}

/// `Metric >= a`, `Metric <= b`, or both joined by `and`.
fn bounded(metric: &str, min: Option<f64>, max: Option<f64>) -> String {
    both(min.map(|m| format!("{metric} >= {}", number(m))), max.map(|m| format!("{metric} <= {}", number(m))))
}

fn both(a: Option<String>, b: Option<String>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("({a}) and ({b})"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => String::new(),
    }
}

/// A DQDL string value: `\` and `"` escaped (Glue removes the escapes of `in [...]` values).
fn string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A Spark SQL identifier: in backticks, a backtick doubled.
fn spark_identifier(column: &str) -> String {
    format!("`{}`", column.replace('`', "``"))
}

/// The date of a bound (DQDL compares dates only): its first ten characters.
fn date_floor(bound: &str) -> String {
    bound.chars().take(10).collect()
}

/// The date of an upper bound, the next day when the bound has a time of day after midnight.
fn date_ceil(bound: &str) -> String {
    let date = date_floor(bound);
    let time = bound.get(11..19).unwrap_or("00:00:00");
    let fraction_only_zeros = bound.get(19..).is_none_or(|rest| {
        rest.trim_start_matches('.').trim_end_matches(|c: char| !c.is_ascii_digit()).chars().all(|c| c == '0')
    });
    if bound.len() <= 10 || (time == "00:00:00" && fraction_only_zeros) {
        return date;
    }
    chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use profiler_crds::ContentType;

    fn r(ty: RuleType, column: &str) -> Rule {
        let mut rule = Rule::new("r", ty);
        rule.column = Some(column.into());
        rule
    }

    #[test]
    fn each_type_is_written_with_nulls_left_to_completeness() {
        let mut range = r(RuleType::Range, "a`b c");
        (range.min, range.max) = (Some(-1.5), Some(1e6));
        assert_eq!(
            rule(&range).unwrap(),
            "(ColumnValues \"a`b c\" >= -1.5 where \"`a``b c` is not null\") and \
             (ColumnValues \"a`b c\" <= 1000000 where \"`a``b c` is not null\")"
        );
        let mut values = r(RuleType::AllowedValues, "s");
        values.values = Some(vec!["a\"b".into(), String::new(), "c\\".into()]);
        assert_eq!(rule(&values).unwrap(), r#"ColumnValues "s" in ["a\"b", EMPTY, "c\\", NULL]"#);
        let mut complete = r(RuleType::Completeness, "s");
        assert_eq!(rule(&complete).unwrap(), "IsComplete \"s\"");
        complete.min = Some(0.95);
        assert_eq!(rule(&complete).unwrap(), "Completeness \"s\" >= 0.95");
        let mut rows = Rule::new("rows", RuleType::RowCount);
        rows.min = Some(10.0);
        assert_eq!(rule(&rows).unwrap(), "RowCount >= 10");
        let mut email = r(RuleType::ContentType, "e");
        (email.content_type, email.min) = (Some(ContentType::Email), Some(0.9));
        assert!(rule(&email).unwrap().ends_with("where \"`e` is not null\" with threshold >= 0.9"));
        email.content_type = Some(ContentType::Text);
        assert!(rule(&email).is_err());
        assert!(rule(&r(RuleType::NonNegative, "x\"y")).is_err());
    }

    #[test]
    fn time_bounds_are_rounded_out_to_dates() {
        assert_eq!(date_floor("2024-03-01T12:00:00Z"), "2024-03-01");
        assert_eq!(date_ceil("2024-03-01T12:00:00Z"), "2024-03-02");
        assert_eq!(date_ceil("2024-02-29T00:00:00Z"), "2024-02-29");
        assert_eq!(date_ceil("2024-12-31"), "2024-12-31");
        assert_eq!(date_ceil("2024-12-31T00:00:00.001"), "2025-01-01");
    }

    #[test]
    fn commas_separate_the_written_rules_only() {
        let mut set = RuleSet::new();
        let mut text = r(RuleType::ContentType, "t");
        text.content_type = Some(ContentType::Text);
        set.rules = vec![r(RuleType::Completeness, "a"), r(RuleType::NonNegative, "b"), text];
        let doc = render(&set);
        assert!(doc.contains("IsComplete \"a\",\n"), "{doc}");
        assert!(doc.contains("ColumnValues \"b\" >= 0 where \"`b` is not null\"\n"), "{doc}");
        assert!(doc.contains("# not exported: content type text"), "{doc}");
        assert!(doc.ends_with("]\n"));
    }
}
