//! The data quality tools: `suggest_rules` (a rule set from a profile) and `check_rules` (a rule
//! set verified against a table in one scan).

use std::path::PathBuf;

use profiler_crds::quality::{CheckReport, RuleSet};
use profiler_engine::quality::suggest::{SuggestOptions, suggest};
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ProfilerServer;
use super::error::ToolError;
use super::profiling::{create, run_dir};
use crate::error::WorkerError;
use crate::quality::check as check_json;
use crate::quality::read::read_rule_set;
use crate::report::json;
use crate::verbs;
use crate::{ProfileRequest, Progress};

/// Input of `suggest_rules`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestParams {
    /// Path of a profile.json, e.g. a `profile` result's profileJson.
    pub profile: String,
}

/// What `suggest_rules` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The profile the rules come from.
    pub profile: String,
    /// Number of rules suggested.
    pub rule_count: usize,
    /// Path of the rules.yaml written, when the server has an output directory (give it to
    /// `check_rules`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_yaml: Option<String>,
    /// The rule set (docs/rules.md): each rule's rationale states the profile figure it came from.
    pub rule_set: RuleSet,
}

/// Input of `check_rules`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// The table: a local Parquet file, directory or glob, an Iceberg table directory, an
    /// iceberg+glue:// / iceberg+rest:// / s3:// URI, or an athena:// / redshift:// table (its
    /// rules run by pushdown in one query).
    pub source: String,
    /// Path of the rules.yaml to verify, e.g. a `suggest_rules` result's rulesYaml.
    pub rules: String,
}

/// What `check_rules` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    /// Path of the check.json written, when the server has an output directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_json: Option<String>,
    /// Every rule's outcome with the observed value (check.json).
    pub report: CheckReport,
}

#[tool_router(router = rules_router, vis = "pub(super)")]
impl ProfilerServer {
    /// Suggests data quality rules from a profile: row count bounds, completeness, uniqueness,
    /// allowed values, ranges, non-negativity, string lengths and content types, where the
    /// profile's figures support them. Returns the rule set and writes rules.yaml to the output
    /// directory when the server has one.
    #[tool(annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false))]
    async fn suggest_rules(
        &self,
        Parameters(params): Parameters<SuggestParams>,
    ) -> Result<Json<Suggestion>, ToolError> {
        let path = PathBuf::from(&params.profile);
        self.limits.check_document(&path)?;
        let out = self.limits.output_dir.clone();
        let suggestion = self
            .blocking(move |_poll| {
                let profile = json::read(&path)?;
                let rule_set = suggest(&profile, &SuggestOptions::default())
                    .map_err(|e| WorkerError::InvalidRequest(e.to_string()))?;
                let rules_yaml = match out {
                    Some(out) => {
                        let dir = run_dir(&out, "rules");
                        create(&dir)?;
                        let file = dir.join("rules.yaml");
                        let unwritable = |reason: String| WorkerError::Output { path: file.clone(), reason };
                        let text = rule_set.to_yaml().map_err(|e| unwritable(e.to_string()))?;
                        std::fs::write(&file, text).map_err(|e| unwritable(e.to_string()))?;
                        Some(file.display().to_string())
                    }
                    None => None,
                };
                Ok(Suggestion { profile: params.profile, rule_count: rule_set.rules.len(), rules_yaml, rule_set })
            })
            .await?;
        Ok(Json(suggestion))
    }

    /// Verifies a rule set (rules.yaml) against a table in one scan of every row (Athena and
    /// Redshift: one aggregate query, contentType rules not evaluated): each rule's
    /// outcome (passed, failed, error) with the observed value, and the counts. Writes check.json
    /// to the output directory when the server has one.
    #[tool(annotations(read_only_hint = false, destructive_hint = false, open_world_hint = true))]
    async fn check_rules(&self, Parameters(params): Parameters<CheckParams>) -> Result<Json<CheckOutcome>, ToolError> {
        let uri = self.allowed(&params.source)?;
        let rules_path = PathBuf::from(&params.rules);
        self.limits.check_document(&rules_path)?;
        let source = uri.file_spec(None);
        let out = self.limits.output_dir.clone();
        let handle = tokio::runtime::Handle::current();
        let outcome = self
            .blocking(move |poll| {
                let rules = read_rule_set(&rules_path).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?;
                let report = match source {
                    Some(source) => {
                        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
                        let request = ProfileRequest::every_row(source, threads);
                        crate::check(&request, &rules, &Progress::default())?
                    }
                    // Athena and Redshift: the rules by pushdown, one query over every row.
                    None => handle.block_on(verbs::check_sql(&uri, &rules, &poll))?,
                };
                let check_json = match out {
                    Some(out) => {
                        let dir = run_dir(&out, "check");
                        create(&dir)?;
                        let file = dir.join("check.json");
                        check_json::write(&report, &file)?;
                        Some(file.display().to_string())
                    }
                    None => None,
                };
                Ok(CheckOutcome { check_json, report })
            })
            .await?;
        Ok(Json(outcome))
    }
}
