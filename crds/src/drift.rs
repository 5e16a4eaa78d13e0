//! Drift on a ProfileJob: the earlier profile a run's profile is compared with, and the
//! thresholds that grade the comparison. The same rules judge a manifest at admission (CEL, from
//! [`threshold_rules`]) and a job document in the controller and the worker
//! ([`DriftSpec::validate`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::comparison::DriftThresholds;
use crate::rules::StringRule;

/// The threshold pairs (`<name>Warning`, `<name>Critical`) whose warning may not exceed their
/// critical; every one must be >= 0.
pub const THRESHOLD_PAIRS: [&str; 10] = [
    "rowCount",
    "nullFraction",
    "distinct",
    "meanShift",
    "stddevChange",
    "quantileShift",
    "ks",
    "psi",
    "topValueShare",
    "contentType",
];

/// An `s3://bucket/key` object: the baseline profile.json.
pub const S3_OBJECT: StringRule = StringRule {
    min_chars: 1,
    max_chars: 1024,
    max_bytes: None,
    pattern: r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^\x00-\x1F\x7F-\x9F]+$",
    expected: "an s3://bucket/key object",
};

/// Compare this job's profile with an earlier profile of the same table.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DriftSpec {
    /// `s3://bucket/key` of the earlier profile.json to compare with (it must be readable by the
    /// worker's task role, e.g. in the runtime's results bucket). A ProfileSchedule sets it to the
    /// profile of its last successful job; without it nothing is compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "baseline_schema")]
    pub baseline: Option<String>,
    /// Thresholds that grade the findings (defaults in docs/drift.md); fields left out keep their
    /// defaults.
    #[serde(default)]
    #[schemars(schema_with = "thresholds_schema")]
    pub thresholds: DriftThresholds,
}

impl DriftSpec {
    /// Checks the baseline's form and the thresholds, naming the field under `prefix` (e.g.
    /// `spec.drift`).
    pub fn validate(&self) -> Result<(), (String, String)> {
        if let Some(baseline) = &self.baseline {
            S3_OBJECT.check(baseline).map_err(|m| ("baseline".to_owned(), m))?;
        }
        validate_thresholds(&self.thresholds).map_err(|m| ("thresholds".to_owned(), m))
    }
}

/// The CEL rule and message of each threshold pair.
pub fn threshold_rules() -> Vec<(String, String)> {
    THRESHOLD_PAIRS
        .iter()
        .map(|n| {
            let rule = format!(
                "!has(self.{n}Warning) || !has(self.{n}Critical) || \
                 (self.{n}Warning >= 0.0 && self.{n}Critical >= 0.0 && self.{n}Warning <= self.{n}Critical)"
            );
            (rule, pair_message(n))
        })
        .collect()
}

fn pair_message(name: &str) -> String {
    format!("{name}Warning and {name}Critical must be >= 0, with {name}Warning at most {name}Critical")
}

/// The first threshold pair that breaks its rule, with the rule's message.
pub fn validate_thresholds(thresholds: &DriftThresholds) -> Result<(), String> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(thresholds) else {
        return Err("thresholds are not an object".into());
    };
    for name in THRESHOLD_PAIRS {
        let value = |suffix: &str| fields.get(&format!("{name}{suffix}")).and_then(serde_json::Value::as_f64);
        let (Some(warning), Some(critical)) = (value("Warning"), value("Critical")) else {
            return Err(pair_message(name));
        };
        if !(warning >= 0.0 && critical >= 0.0 && warning <= critical) {
            return Err(pair_message(name));
        }
    }
    Ok(())
}

fn baseline_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut schema = schemars::json_schema!({
        "type": "string",
        "description": "s3://bucket/key of the earlier profile.json to compare with (readable by the worker's task role). A ProfileSchedule sets it to the profile of its last successful job.",
    });
    S3_OBJECT.apply(&mut schema);
    schema
}

fn thresholds_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut schema = generator.root_schema_for::<DriftThresholds>();
    schema.remove("$schema");
    schema.remove("title");
    schema.remove("additionalProperties");
    schema.insert("default".into(), serde_json::json!({}));
    let rules: Vec<serde_json::Value> = threshold_rules()
        .into_iter()
        .map(|(rule, message)| serde_json::json!({"rule": rule, "message": message}))
        .collect();
    schema.insert("x-kubernetes-validations".into(), serde_json::Value::from(rules));
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_names_two_threshold_fields_and_every_graded_field_is_in_a_pair() {
        let fields = DriftThresholds::field_names();
        for name in THRESHOLD_PAIRS {
            assert!(fields.contains(&format!("{name}Warning")), "{name}Warning");
            assert!(fields.contains(&format!("{name}Critical")), "{name}Critical");
        }
        let graded = fields.iter().filter(|f| f.ends_with("Warning")).count();
        assert_eq!(graded, THRESHOLD_PAIRS.len());
    }

    #[test]
    fn the_defaults_pass_and_a_reversed_or_negative_pair_fails_like_the_engine_says() {
        assert_eq!(validate_thresholds(&DriftThresholds::default()), Ok(()));
        let reversed = DriftThresholds { ks_warning: 0.5, ks_critical: 0.2, ..DriftThresholds::default() };
        assert_eq!(validate_thresholds(&reversed), Err(pair_message("ks")));
        assert!(!reversed.problems().is_empty());
        let negative = DriftThresholds { psi_warning: -0.1, ..DriftThresholds::default() };
        assert_eq!(validate_thresholds(&negative), Err(pair_message("psi")));
        assert!(!negative.problems().is_empty());
    }

    #[test]
    fn a_baseline_is_an_s3_object() {
        let spec = |b: &str| DriftSpec { baseline: Some(b.into()), thresholds: DriftThresholds::default() };
        assert_eq!(spec("s3://results/profiles/ns/job/uid/attempt-1/profile.json").validate(), Ok(()));
        assert_eq!(spec("s3://results/").validate().unwrap_err().0, "baseline");
        assert_eq!(spec("https://x/y").validate().unwrap_err().0, "baseline");
    }
}
