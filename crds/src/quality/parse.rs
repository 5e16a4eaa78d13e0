//! Reads a rule set from its text (`rules.yaml`, or the same document as JSON) and checks it:
//! the one reader of the controller (a ConfigMap's rules) and the command line.

use super::{RuleSet, RuleSetError, validate_rule_set};

/// Most bytes of a rule set's text (a ConfigMap holds at most 1 MiB).
pub const MAX_RULE_SET_BYTES: usize = 1024 * 1024;

/// Parses and checks the rule set `text` (YAML or JSON); `origin` names where it came from in
/// the error (a file, `ConfigMap team-a/orders-rules key rules.yaml`). A syntax error names the
/// path in the document (`rules[2].min`), a broken rule its name and field.
pub fn parse_rule_set(text: &str, origin: &str) -> Result<RuleSet, RuleSetError> {
    let syntax = |path: &str, message: String| RuleSetError::Syntax {
        origin: origin.to_owned(),
        path: path.to_owned(),
        message,
    };
    if text.len() > MAX_RULE_SET_BYTES {
        return Err(syntax(".", format!("{} bytes; a rule set holds at most {MAX_RULE_SET_BYTES}", text.len())));
    }
    if text.trim().is_empty() {
        return Err(syntax(".", "empty; a rule set needs formatVersion and rules".into()));
    }
    let set: RuleSet = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        // serde_yaml starts its message with the path as far as it knows it; say it once.
        let message = match message.split_once(": ") {
            Some((head, rest)) if path.starts_with(head) => rest.to_owned(),
            _ => message,
        };
        syntax(&path, message)
    })?;
    validate_rule_set(&set)?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "formatVersion: 1
table: lake.orders
rules:
  - name: id-complete
    type: completeness
    column: id
  - name: rows
    type: rowCount
    min: 1
";

    #[test]
    fn a_good_rule_set_reads_as_yaml_and_as_json() {
        let set = parse_rule_set(GOOD, "rules.yaml").unwrap();
        assert_eq!(set.rules.len(), 2);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(parse_rule_set(&json, "rules.json").unwrap(), set);
    }

    #[test]
    fn errors_name_the_origin_the_path_the_rule_and_the_field() {
        let unknown = GOOD.replace("column: id", "column: id\n    maximum: 3");
        let message = parse_rule_set(&unknown, "ConfigMap a/b key rules.yaml").unwrap_err().to_string();
        assert!(
            message.starts_with("ConfigMap a/b key rules.yaml: rules[0].maximum: unknown field `maximum`"),
            "{message}"
        );
        let broken = GOOD.replace("min: 1", "min: -1");
        let message = parse_rule_set(&broken, "f").unwrap_err().to_string();
        assert_eq!(message, "rules[1] (rows, rowCount): min: must be a whole number >= 0");
        assert!(matches!(parse_rule_set("", "f"), Err(RuleSetError::Syntax { .. })));
        assert!(matches!(parse_rule_set("formatVersion: 2\nrules: []\n", "f"), Err(RuleSetError::Version(2))));
        assert!(matches!(parse_rule_set("- a\n- b\n", "f"), Err(RuleSetError::Syntax { .. })));
    }
}
