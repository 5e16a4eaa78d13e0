//! A ProfileJob's data quality rules, both ends: the rule set an attempt runs with (inline, or
//! read from the ConfigMap `spec.rules.configMapRef` names, when the attempt is submitted), and
//! what the controller says of the verified rules once the run is done (an Event and the
//! counters).

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::Api;
use kube::runtime::events::EventType;
use profiler_crds::CheckResult;
use profiler_crds::quality::spec::{ConfigMapRulesRef, RulesSpec};
use profiler_crds::quality::{RuleSet, RuleSetError, parse_rule_set};

use crate::conditions::reason;

/// Why an attempt's rules cannot be had. All but [`RulesError::Api`] fail the job: the user must
/// fix the ConfigMap (or create it) and submit the job again.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The ConfigMap does not exist.
    #[error(
        "spec.rules.configMapRef: ConfigMap {namespace}/{name} does not exist; create it with the rule set under key {key:?}"
    )]
    MissingConfigMap {
        /// The job's namespace.
        namespace: String,
        /// The ConfigMap's name.
        name: String,
        /// The key the rules were expected under.
        key: String,
    },
    /// The ConfigMap has no such key.
    #[error("spec.rules.configMapRef: ConfigMap {namespace}/{name} has no key {key:?} (its keys: {keys})")]
    MissingKey {
        /// The job's namespace.
        namespace: String,
        /// The ConfigMap's name.
        name: String,
        /// The missing key.
        key: String,
        /// The keys it has, comma-separated.
        keys: String,
    },
    /// The key's text is not a valid rule set; the message names the ConfigMap, the key, and the
    /// rule and field at fault.
    #[error("spec.rules.configMapRef: invalid rule set: {0}")]
    Invalid(String),
    /// The API server could not be asked (retried with backoff).
    #[error(transparent)]
    Api(#[from] kube::Error),
}

/// The rule set the attempt runs with: `None` without `spec.rules`, the inline rules, or the rule
/// set read from the ConfigMap of `namespace`.
pub async fn resolve(
    client: &kube::Client,
    namespace: &str,
    spec: Option<&RulesSpec>,
) -> Result<Option<RuleSet>, RulesError> {
    let Some(spec) = spec else { return Ok(None) };
    let Some(reference) = &spec.config_map_ref else { return Ok(spec.inline_set()) };
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
    let config_map = api.get_opt(&reference.name).await?;
    from_config_map(config_map.as_ref(), namespace, reference).map(Some)
}

/// The rule set under `reference.key` of `config_map` (`None`: it does not exist).
pub fn from_config_map(
    config_map: Option<&ConfigMap>,
    namespace: &str,
    reference: &ConfigMapRulesRef,
) -> Result<RuleSet, RulesError> {
    let (name, key) = (reference.name.clone(), reference.key.clone());
    let Some(config_map) = config_map else {
        return Err(RulesError::MissingConfigMap { namespace: namespace.to_owned(), name, key });
    };
    let text = config_map.data.as_ref().and_then(|d| d.get(&key)).cloned().or_else(|| {
        let bytes = config_map.binary_data.as_ref()?.get(&key)?;
        String::from_utf8(bytes.0.clone()).ok()
    });
    let Some(text) = text else {
        let mut keys: Vec<&String> = config_map.data.iter().flat_map(|d| d.keys()).collect();
        keys.extend(config_map.binary_data.iter().flat_map(|d| d.keys()));
        let keys = if keys.is_empty() {
            "none".to_owned()
        } else {
            keys.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        };
        return Err(RulesError::MissingKey { namespace: namespace.to_owned(), name, key, keys });
    };
    let origin = format!("ConfigMap {namespace}/{name} key {key}");
    parse_rule_set(&text, &origin).map_err(|e| match e {
        RuleSetError::Syntax { .. } => RulesError::Invalid(e.to_string()),
        other => RulesError::Invalid(format!("{origin}: {other}")),
    })
}

/// The Event of a finished run's rules: a Warning `RulesFailed` listing the rules that did not
/// pass, or a Normal `RulesPassed`; the note links check.json.
pub fn check_event(check: &CheckResult) -> (EventType, &'static str, String) {
    let note = format!("{} (check.json: {})", check.summary.describe(), check.check_uri);
    if check.summary.all_passed() {
        (EventType::Normal, reason::RULES_PASSED, note)
    } else {
        (EventType::Warning, reason::RULES_FAILED, note)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use profiler_crds::quality::CheckSummary;
    use profiler_crds::quality::spec::DEFAULT_RULES_KEY;

    use super::*;

    fn config_map(key: &str, text: &str) -> ConfigMap {
        ConfigMap { data: Some(BTreeMap::from([(key.to_owned(), text.to_owned())])), ..ConfigMap::default() }
    }

    fn reference() -> ConfigMapRulesRef {
        ConfigMapRulesRef { name: "orders-rules".into(), key: DEFAULT_RULES_KEY.into() }
    }

    const RULES: &str = "formatVersion: 1\nrules:\n  - {name: id-complete, type: completeness, column: id}\n";

    #[test]
    fn the_rule_set_is_read_from_its_key() {
        let set = from_config_map(Some(&config_map("rules.yaml", RULES)), "team-a", &reference()).unwrap();
        assert_eq!(set.rules[0].name, "id-complete");
    }

    #[test]
    fn a_missing_config_map_or_key_is_named() {
        let missing = from_config_map(None, "team-a", &reference()).unwrap_err().to_string();
        assert!(missing.contains("ConfigMap team-a/orders-rules does not exist"), "{missing}");
        let other = from_config_map(Some(&config_map("other.yaml", RULES)), "team-a", &reference());
        let message = other.unwrap_err().to_string();
        assert!(message.contains("has no key \"rules.yaml\" (its keys: other.yaml)"), "{message}");
    }

    #[test]
    fn a_bad_rule_names_the_config_map_the_key_the_rule_and_the_field() {
        let bad = RULES.replace("column: id}", "column: id, min: 2}");
        let message =
            from_config_map(Some(&config_map("rules.yaml", &bad)), "team-a", &reference()).unwrap_err().to_string();
        assert_eq!(
            message,
            "spec.rules.configMapRef: invalid rule set: ConfigMap team-a/orders-rules key rules.yaml: \
             rules[0] (id-complete, completeness): min: must be a fraction between 0 and 1"
        );
        let syntax = from_config_map(Some(&config_map("rules.yaml", "rules: [")), "team-a", &reference());
        let message = syntax.unwrap_err().to_string();
        assert!(message.contains("ConfigMap team-a/orders-rules key rules.yaml: "), "{message}");
    }

    #[test]
    fn failed_rules_are_a_warning_that_lists_them() {
        let summary = CheckSummary { rules: 3, passed: 2, failed: 1, errors: 0, failing: vec!["amount-range".into()] };
        let (kind, reason, note) = check_event(&CheckResult::new(summary, "s3://b/check.json".into()));
        assert_eq!((kind, reason), (EventType::Warning, "RulesFailed"));
        assert_eq!(note, "3 rules: 2 passed, 1 failed: amount-range (check.json: s3://b/check.json)");
        let passed = CheckSummary { rules: 3, passed: 3, ..CheckSummary::default() };
        assert_eq!(check_event(&CheckResult::new(passed, "s3://b/c".into())).1, "RulesPassed");
    }
}
