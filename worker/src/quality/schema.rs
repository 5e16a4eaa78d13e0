//! The JSON Schema of a rule set (`rules.yaml`, `docs/rules.schema.json`).

use profiler_crds::quality::{ALLOWED_VALUE, MAX_ALLOWED_VALUES, MAX_RULES, RULE_NAME, RuleSet, TIME_BOUND};
use profiler_crds::rules::{NAME, StringRule};
use serde_json::{Value, json};

/// The JSON Schema (draft 2020-12) of a rule set, generated from the Rust types, with the string
/// rules of names, columns, values and time bounds (which fields each rule type takes is checked
/// by the profiler and stated in docs/rules.md).
pub fn rules() -> String {
    let mut schema = schemars::schema_for!(RuleSet).to_value();
    if let Some(rules) = schema.pointer_mut("/properties/rules") {
        rules["maxItems"] = json!(MAX_RULES);
    }
    if let Some(Value::Object(properties)) = schema.pointer_mut("/$defs/Rule/properties") {
        let mut apply = |field: &str, rule: &StringRule| {
            if let Some(Value::Object(p)) = properties.get_mut(field) {
                string_rule(p, rule);
            }
        };
        apply("name", &RULE_NAME);
        apply("column", &NAME);
        apply("earliest", &TIME_BOUND);
        apply("latest", &TIME_BOUND);
        if let Some(Value::Object(values)) = properties.get_mut("values") {
            let mut item = serde_json::Map::new();
            item.insert("type".into(), json!("string"));
            string_rule(&mut item, &ALLOWED_VALUE);
            values.insert("items".into(), Value::Object(item));
            values.insert("maxItems".into(), json!(MAX_ALLOWED_VALUES));
        }
    }
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

fn string_rule(schema: &mut serde_json::Map<String, Value>, rule: &StringRule) {
    schema.insert("minLength".into(), json!(rule.min_chars));
    schema.insert("maxLength".into(), json!(rule.max_chars));
    schema.insert("pattern".into(), json!(rule.pattern));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_carries_the_string_rules() {
        let schema: Value = serde_json::from_str(&rules()).unwrap();
        assert_eq!(schema["$defs"]["Rule"]["properties"]["name"]["pattern"], RULE_NAME.pattern);
        assert_eq!(schema["$defs"]["Rule"]["properties"]["values"]["maxItems"], MAX_ALLOWED_VALUES);
        assert_eq!(schema["properties"]["rules"]["maxItems"], MAX_RULES);
    }
}
