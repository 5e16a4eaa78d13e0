//! A ProfileJob's `spec.rules`: the data quality rules its run verifies, written inline or kept
//! in a ConfigMap of the job's namespace (a `rules.yaml` as `profiler suggest` writes it). The
//! same rules judge a manifest at admission (the CEL of [`RulesSpec`]'s schema and of
//! [`super::rules_list_schema`]) and in the controller ([`RulesSpec::validate`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Rule, RuleSet, rules_list_schema, validate_rules};
use crate::rules::{OBJECT_NAME, StringRule};

/// The key of the ConfigMap that holds the rule set when `configMapRef.key` is left out.
pub const DEFAULT_RULES_KEY: &str = "rules.yaml";

/// A ConfigMap data key (the API server's own rule for keys).
pub const CONFIG_MAP_KEY: StringRule = StringRule {
    min_chars: 1,
    max_chars: 253,
    max_bytes: None,
    pattern: r"^[-._a-zA-Z0-9]+$",
    expected: "a ConfigMap key (letters, digits, '-', '_' and '.', at most 253)",
};

/// What a `spec.rules` with both or neither of its fields is told (the CRD and the controller).
pub const ONE_RULE_SOURCE: &str = "set exactly one of rules.inline and rules.configMapRef";

/// What an empty `spec.rules.inline` is told (the CRD and the controller).
pub const INLINE_NOT_EMPTY: &str = "inline must hold at least one rule; omit spec.rules to verify none";

/// The rules a ProfileJob's run verifies against the table it profiles, in the same scan: inline,
/// or a rule set in a ConfigMap. Exactly one of the two.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "has(self.inline) != has(self.configMapRef)", "message": ONE_RULE_SOURCE},
]))]
pub struct RulesSpec {
    /// The rules themselves (the `rules` of a rules.yaml), each with a unique name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "inline_schema")]
    pub inline: Option<Vec<Rule>>,
    /// A ConfigMap of the job's namespace whose `key` holds a rules.yaml (format version 1). It
    /// is read when each attempt is submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_ref: Option<ConfigMapRulesRef>,
}

/// A rules.yaml in a ConfigMap of the job's namespace.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapRulesRef {
    /// Name of the ConfigMap.
    #[schemars(schema_with = "crate::rules::schema::object_name")]
    pub name: String,
    /// The data key that holds the rule set (default `rules.yaml`).
    #[serde(default = "default_key")]
    #[schemars(schema_with = "key_schema")]
    pub key: String,
}

impl RulesSpec {
    /// Checks the spec, naming the field under `spec.rules` (`inline`, `configMapRef.name`, ...)
    /// and what is wrong; an inline rule's message names the rule and its field.
    pub fn validate(&self) -> Result<(), (String, String)> {
        match (&self.inline, &self.config_map_ref) {
            (Some(rules), None) => {
                if rules.is_empty() {
                    return Err(("inline".into(), INLINE_NOT_EMPTY.into()));
                }
                validate_rules(rules).map_err(|e| ("inline".into(), e.to_string()))
            }
            (None, Some(reference)) => {
                OBJECT_NAME.check(&reference.name).map_err(|m| ("configMapRef.name".to_owned(), m))?;
                CONFIG_MAP_KEY.check(&reference.key).map_err(|m| ("configMapRef.key".to_owned(), m))
            }
            _ => Err((String::new(), ONE_RULE_SOURCE.into())),
        }
    }

    /// The inline rules as a rule set of the current format; `None` for a ConfigMap reference.
    pub fn inline_set(&self) -> Option<RuleSet> {
        self.inline.as_ref().map(|rules| RuleSet { rules: rules.clone(), ..RuleSet::new() })
    }
}

fn default_key() -> String {
    DEFAULT_RULES_KEY.to_owned()
}

fn key_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut schema = schemars::json_schema!({
        "type": "string",
        "default": DEFAULT_RULES_KEY,
        "description": "The data key that holds the rule set (default rules.yaml).",
    });
    CONFIG_MAP_KEY.apply(&mut schema);
    schema
}

fn inline_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut schema = rules_list_schema(generator);
    schema.insert("minItems".into(), 1.into());
    schema.insert(
        "description".into(),
        "The rules themselves (the rules of a rules.yaml), each with a unique name.".into(),
    );
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::RuleType;

    fn complete(name: &str) -> Rule {
        Rule { column: Some("id".into()), ..Rule::new(name, RuleType::Completeness) }
    }

    fn reference(name: &str, key: &str) -> RulesSpec {
        RulesSpec { inline: None, config_map_ref: Some(ConfigMapRulesRef { name: name.into(), key: key.into() }) }
    }

    #[test]
    fn exactly_one_source_of_rules() {
        let both = RulesSpec { inline: Some(vec![complete("a")]), ..reference("rules", DEFAULT_RULES_KEY) };
        assert_eq!(both.validate(), Err((String::new(), ONE_RULE_SOURCE.into())));
        let neither = RulesSpec { inline: None, config_map_ref: None };
        assert_eq!(neither.validate().unwrap_err().1, ONE_RULE_SOURCE);
        assert_eq!(reference("orders-rules", DEFAULT_RULES_KEY).validate(), Ok(()));
        let inline = RulesSpec { inline: Some(vec![complete("a")]), config_map_ref: None };
        assert_eq!(inline.validate(), Ok(()));
        assert_eq!(inline.inline_set().map(|s| s.rules.len()), Some(1));
    }

    #[test]
    fn a_bad_reference_or_rule_names_its_field() {
        assert_eq!(reference("Orders", "rules.yaml").validate().unwrap_err().0, "configMapRef.name");
        assert_eq!(reference("orders", "rules/yaml").validate().unwrap_err().0, "configMapRef.key");
        let empty = RulesSpec { inline: Some(vec![]), config_map_ref: None };
        assert_eq!(empty.validate(), Err(("inline".into(), INLINE_NOT_EMPTY.into())));
        let mut bad = complete("amount-complete");
        bad.min = Some(2.0);
        let (field, message) = RulesSpec { inline: Some(vec![bad]), config_map_ref: None }.validate().unwrap_err();
        assert_eq!(field, "inline");
        assert!(message.contains("amount-complete") && message.contains("min"), "{message}");
    }

    #[test]
    fn the_key_defaults_to_rules_yaml() {
        let spec: RulesSpec = serde_json::from_value(serde_json::json!({"configMapRef": {"name": "r"}})).unwrap();
        assert_eq!(spec.config_map_ref.unwrap().key, DEFAULT_RULES_KEY);
    }
}
