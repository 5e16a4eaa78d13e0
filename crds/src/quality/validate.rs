//! The rules a rule set must follow, stated once: [`validate_rules`] applies them to a rules.yaml
//! file or a job document, and [`rule_cel`] / [`rules_list_schema`] state the same rules as CEL
//! and schema keywords for a ProfileJob's inline `spec.rules` at `kubectl apply`.

use std::collections::HashSet;

use super::{MAX_ALLOWED_VALUES, MAX_RULES, RULE_SET_FORMAT_VERSION, Rule, RuleFields, RuleSet, RuleType};

/// Picks one of the fields a rule type takes.
type FieldPick = fn(RuleFields) -> bool;
use crate::rules::{NAME, NO_CONTROL, StringRule};

/// A rule's name.
pub const RULE_NAME: StringRule = StringRule {
    min_chars: 1,
    max_chars: 63,
    max_bytes: None,
    pattern: r"^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$",
    expected: "1 to 63 lower-case letters, digits, '_' or '-', starting and ending with a letter or digit",
};

/// `earliest` / `latest` of a `range` rule on a date or timestamp column.
pub const TIME_BOUND: StringRule = StringRule {
    min_chars: 10,
    max_chars: 40,
    max_bytes: None,
    pattern: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$",
    expected: "a date YYYY-MM-DD or a timestamp YYYY-MM-DDThh:mm[:ss[.fraction]][Z|+hh:mm]",
};

/// One value of an `allowedValues` rule.
pub const ALLOWED_VALUE: StringRule = StringRule {
    min_chars: 0,
    max_chars: 1024,
    max_bytes: None,
    pattern: NO_CONTROL,
    expected: "at most 1024 characters without control characters",
};

/// A rule set that breaks a rule; the message names the rule and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleSetError {
    /// The document is not a rule set (bad YAML/JSON, an unknown field, a wrong type).
    #[error("{origin}: {path}: {message}")]
    Syntax {
        /// The file or field the set came from.
        origin: String,
        /// Where in the document (`rules[2].min`), `.` for the whole.
        path: String,
        /// The parser's words.
        message: String,
    },
    /// A format version this build does not read.
    #[error(
        "formatVersion {0} is not supported (this profiler reads rule sets of format version {RULE_SET_FORMAT_VERSION})"
    )]
    Version(u32),
    /// More rules than [`MAX_RULES`].
    #[error("{0} rules: a rule set holds at most {MAX_RULES}")]
    TooMany(usize),
    /// Two rules share a name.
    #[error("rules[{index}]: name {name:?} is used by an earlier rule; names must be unique")]
    DuplicateName {
        /// Position of the second rule.
        index: usize,
        /// The shared name.
        name: String,
    },
    /// One rule's field breaks its rule.
    #[error("rules[{index}] ({name}, {rule_type}): {field}: {message}")]
    Field {
        /// Position of the rule in the set.
        index: usize,
        /// The rule's name as written.
        name: String,
        /// The rule's type.
        rule_type: RuleType,
        /// The field (`column`, `min`, ...).
        field: &'static str,
        /// What the field must be.
        message: String,
    },
}

/// Checks a whole rule set: its version, then [`validate_rules`].
pub fn validate_rule_set(set: &RuleSet) -> Result<(), RuleSetError> {
    if set.format_version != RULE_SET_FORMAT_VERSION {
        return Err(RuleSetError::Version(set.format_version));
    }
    validate_rules(&set.rules)
}

/// Checks every rule; the first broken rule is the error.
pub fn validate_rules(rules: &[Rule]) -> Result<(), RuleSetError> {
    if rules.len() > MAX_RULES {
        return Err(RuleSetError::TooMany(rules.len()));
    }
    let mut names = HashSet::new();
    for (index, rule) in rules.iter().enumerate() {
        let fail = |field: &'static str, message: String| RuleSetError::Field {
            index,
            name: rule.name.clone(),
            rule_type: rule.rule_type,
            field,
            message,
        };
        validate_rule(rule).map_err(|(field, message)| fail(field, message))?;
        if !names.insert(rule.name.as_str()) {
            return Err(RuleSetError::DuplicateName { index, name: rule.name.clone() });
        }
    }
    Ok(())
}

/// Checks one rule, naming the first field that breaks a rule with what it must be. Each check
/// here has its CEL twin in [`rule_cel`].
fn validate_rule(rule: &Rule) -> Result<(), (&'static str, String)> {
    let ty = rule.rule_type;
    let takes = ty.fields();
    RULE_NAME.check(&rule.name).map_err(|m| ("name", m))?;
    match (&rule.column, takes.column) {
        (Some(column), true) => NAME.check(column).map_err(|m| ("column", m))?,
        (None, true) => return Err(("column", format!("is required for a {ty} rule"))),
        (Some(_), false) => return Err(("column", not_taken(ty))),
        (None, false) => {}
    }
    for (field, set, taken) in [
        ("min", rule.min.is_some(), takes.min),
        ("max", rule.max.is_some(), takes.max),
        ("values", rule.values.is_some(), takes.values),
        ("earliest", rule.earliest.is_some(), takes.time),
        ("latest", rule.latest.is_some(), takes.time),
        ("contentType", rule.content_type.is_some(), takes.content_type),
    ] {
        if set && !taken {
            return Err((field, not_taken(ty)));
        }
    }
    for (field, value) in [("min", rule.min), ("max", rule.max)] {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err((field, "must be a finite number".into()));
        }
    }
    if is_fraction_rule(ty) && rule.min.is_some_and(|m| !(0.0..=1.0).contains(&m)) {
        return Err(("min", "must be a fraction between 0 and 1".into()));
    }
    if is_count_rule(ty) {
        for (field, value) in [("min", rule.min), ("max", rule.max)] {
            if value.is_some_and(|v| v < 0.0 || v.fract() != 0.0) {
                return Err((field, "must be a whole number >= 0".into()));
            }
        }
    }
    if let (Some(min), Some(max)) = (rule.min, rule.max)
        && min > max
    {
        return Err(("max", format!("must be >= min ({min})")));
    }
    if needs_bound(ty) && [rule.min, rule.max].iter().all(Option::is_none) && !has_time_bound(rule) {
        return Err((
            "min",
            format!("a {ty} rule needs min, max{}", if takes.time { ", earliest or latest" } else { " or both" }),
        ));
    }
    if (rule.min.is_some() || rule.max.is_some()) && has_time_bound(rule) {
        return Err((
            "earliest",
            "bounds a date or timestamp column; min and max bound a numeric one: use one pair".into(),
        ));
    }
    for (field, bound) in [("earliest", &rule.earliest), ("latest", &rule.latest)] {
        if let Some(bound) = bound {
            TIME_BOUND.check(bound).map_err(|m| (field, m))?;
        }
    }
    if takes.values {
        let values = rule.values.as_deref().unwrap_or_default();
        if values.is_empty() || values.len() > MAX_ALLOWED_VALUES {
            return Err(("values", format!("is required for an allowedValues rule: 1 to {MAX_ALLOWED_VALUES} values")));
        }
        for value in values {
            ALLOWED_VALUE.check(value).map_err(|m| ("values", m))?;
        }
    }
    if takes.content_type && rule.content_type.is_none() {
        return Err(("contentType", "is required for a contentType rule".into()));
    }
    Ok(())
}

fn not_taken(ty: RuleType) -> String {
    format!("is not a field of a {ty} rule")
}

fn is_fraction_rule(ty: RuleType) -> bool {
    matches!(ty, RuleType::Completeness | RuleType::Uniqueness | RuleType::ContentType)
}

fn is_count_rule(ty: RuleType) -> bool {
    matches!(ty, RuleType::RowCount | RuleType::StringLength)
}

fn needs_bound(ty: RuleType) -> bool {
    matches!(ty, RuleType::RowCount | RuleType::Range | RuleType::StringLength)
}

fn has_time_bound(rule: &Rule) -> bool {
    rule.earliest.is_some() || rule.latest.is_some()
}

/// `['a', 'b']` in CEL.
fn cel_list(types: impl Iterator<Item = RuleType>) -> String {
    let items: Vec<String> = types.map(|t| format!("'{t}'")).collect();
    format!("[{}]", items.join(", "))
}

/// The CEL rules and messages of one inline rule object: the twins of the checks of
/// [`validate_rules`] (the per-field string rules are in [`rules_list_schema`]; unique names are
/// the list's map key).
pub fn rule_cel() -> Vec<(String, String)> {
    let taking = |pick: FieldPick| cel_list(RuleType::ALL.into_iter().filter(|t| pick(t.fields())));
    let mut rules = vec![(
        format!("has(self.column) == (self.type in {})", taking(|f| f.column)),
        "column is required for every rule type but rowCount, and not a field of rowCount".to_owned(),
    )];
    let optional: [(&str, FieldPick); 6] = [
        ("min", |f| f.min),
        ("max", |f| f.max),
        ("values", |f| f.values),
        ("earliest", |f| f.time),
        ("latest", |f| f.time),
        ("contentType", |f| f.content_type),
    ];
    for (field, pick) in optional {
        rules.push((
            format!("!has(self.{field}) || self.type in {}", taking(pick)),
            format!("{field} is a field of {} rules only", taking(pick).replace('\'', "")),
        ));
    }
    let fractions = cel_list(RuleType::ALL.into_iter().filter(|t| is_fraction_rule(*t)));
    rules.push((
        format!("!(self.type in {fractions}) || !has(self.min) || (self.min >= 0.0 && self.min <= 1.0)"),
        "min of a completeness, uniqueness or contentType rule must be a fraction between 0 and 1".into(),
    ));
    let counts = cel_list(RuleType::ALL.into_iter().filter(|t| is_count_rule(*t)));
    for field in ["min", "max"] {
        rules.push((
            format!(
                "!(self.type in {counts}) || !has(self.{field}) || (self.{field} >= 0.0 && double(int(self.{field})) == self.{field})"
            ),
            format!("{field} of a rowCount or stringLength rule must be a whole number >= 0"),
        ));
    }
    rules.push(("!has(self.min) || !has(self.max) || self.min <= self.max".into(), "max must be >= min".into()));
    let bounded = cel_list(RuleType::ALL.into_iter().filter(|t| needs_bound(*t)));
    rules.push((
        format!(
            "!(self.type in {bounded}) || has(self.min) || has(self.max) || has(self.earliest) || has(self.latest)"
        ),
        "a rowCount, range or stringLength rule needs at least one bound".into(),
    ));
    rules.push((
        "!((has(self.min) || has(self.max)) && (has(self.earliest) || has(self.latest)))".into(),
        "earliest and latest bound a date or timestamp column, min and max a numeric one: use one pair".into(),
    ));
    rules.push((
        "self.type != 'allowedValues' || (has(self.values) && size(self.values) > 0)".into(),
        format!("values is required for an allowedValues rule: 1 to {MAX_ALLOWED_VALUES} values"),
    ));
    rules.push((
        "self.type != 'contentType' || has(self.contentType)".into(),
        "contentType is required for a contentType rule".into(),
    ));
    rules
}

/// The schema of a list of inline rules in a CRD: at most [`MAX_RULES`] rules keyed by name (the
/// API server refuses a duplicate name), each with the string rules of its fields and the CEL of
/// [`rule_cel`].
pub fn rules_list_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut item = generator.root_schema_for::<Rule>();
    item.remove("$schema");
    item.remove("title");
    item.remove("additionalProperties");
    if let Some(serde_json::Value::Object(properties)) = item.get_mut("properties") {
        let mut apply = |field: &str, rule: &StringRule| {
            if let Some(value) = properties.get_mut(field)
                && let Ok(mut schema) = schemars::Schema::try_from(value.clone())
            {
                rule.apply(&mut schema);
                *value = schema.to_value();
            }
        };
        apply("name", &RULE_NAME);
        apply("column", &NAME);
        apply("earliest", &TIME_BOUND);
        apply("latest", &TIME_BOUND);
        if let Some(serde_json::Value::Object(values)) = properties.get_mut("values") {
            let mut value = schemars::json_schema!({"type": "string"});
            ALLOWED_VALUE.apply(&mut value);
            values.insert("items".into(), value.to_value());
            values.insert("maxItems".into(), MAX_ALLOWED_VALUES.into());
        }
    }
    let cel: Vec<serde_json::Value> =
        rule_cel().into_iter().map(|(rule, message)| serde_json::json!({"rule": rule, "message": message})).collect();
    item.insert("x-kubernetes-validations".into(), cel.into());
    schemars::json_schema!({
        "type": "array",
        "maxItems": MAX_RULES,
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
        "items": item,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ContentType;

    fn rule(ty: RuleType) -> Rule {
        let mut rule = Rule::new("r", ty);
        if ty.fields().column {
            rule.column = Some("c".into());
        }
        match ty {
            RuleType::RowCount | RuleType::StringLength | RuleType::Range => rule.min = Some(1.0),
            RuleType::AllowedValues => rule.values = Some(vec!["a".into()]),
            RuleType::ContentType => rule.content_type = Some(ContentType::Email),
            _ => {}
        }
        rule
    }

    fn field_of(rules: Vec<Rule>) -> &'static str {
        match validate_rules(&rules) {
            Err(RuleSetError::Field { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_rule_of_every_type_is_valid() {
        for ty in RuleType::ALL {
            assert_eq!(validate_rules(&[rule(ty)]), Ok(()), "{ty}");
        }
    }

    #[test]
    fn each_broken_field_is_named() {
        let mut r = rule(RuleType::Completeness);
        r.column = None;
        assert_eq!(field_of(vec![r]), "column");
        let mut r = rule(RuleType::RowCount);
        r.column = Some("c".into());
        assert_eq!(field_of(vec![r]), "column");
        let mut r = rule(RuleType::Completeness);
        r.min = Some(1.5);
        assert_eq!(field_of(vec![r]), "min");
        let mut r = rule(RuleType::NonNegative);
        r.values = Some(vec!["x".into()]);
        assert_eq!(field_of(vec![r]), "values");
        let mut r = rule(RuleType::RowCount);
        r.max = Some(0.5);
        assert_eq!(field_of(vec![r]), "max");
        let mut r = rule(RuleType::Range);
        r.max = Some(0.0);
        assert_eq!(field_of(vec![r]), "max");
        let mut r = rule(RuleType::Range);
        r.min = None;
        assert_eq!(field_of(vec![r]), "min");
        let mut r = rule(RuleType::Range);
        r.earliest = Some("2024-01-01".into());
        assert_eq!(field_of(vec![r]), "earliest");
        let mut r = rule(RuleType::Range);
        r.min = None;
        r.earliest = Some("yesterday".into());
        assert_eq!(field_of(vec![r]), "earliest");
        let mut r = rule(RuleType::AllowedValues);
        r.values = Some(vec![]);
        assert_eq!(field_of(vec![r]), "values");
        let mut r = rule(RuleType::ContentType);
        r.content_type = None;
        assert_eq!(field_of(vec![r]), "contentType");
        let r = Rule::new("Bad Name", RuleType::RowCount);
        assert_eq!(field_of(vec![r]), "name");
    }

    #[test]
    fn names_are_unique_and_the_message_names_rule_and_field() {
        let err = validate_rules(&[rule(RuleType::NonNegative), rule(RuleType::NonNegative)]).unwrap_err();
        assert_eq!(err, RuleSetError::DuplicateName { index: 1, name: "r".into() });
        let mut r = rule(RuleType::Completeness);
        r.name = "amount-complete".into();
        r.min = Some(2.0);
        let message = validate_rules(&[r]).unwrap_err().to_string();
        assert_eq!(message, "rules[0] (amount-complete, completeness): min: must be a fraction between 0 and 1");
    }

    #[test]
    fn the_cel_names_every_type_that_takes_a_field() {
        let cel = rule_cel();
        assert!(cel.iter().any(|(rule, _)| rule == "!has(self.values) || self.type in ['allowedValues']"));
        assert!(cel[0].0.contains("'nonNegative'") && !cel[0].0.contains("'rowCount'"));
    }
}
