//! The `profile` and `diff` tools: profile a source into the output directory, compare two
//! profiles.

use std::path::{Path, PathBuf};

use chrono::Utc;
use profiler_crds::{DriftThresholds, QueryMethod, Sampling, TableProfile};
use profiler_engine::{CompareError, ProfileOptions, compare};
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use uuid::Uuid;

use super::ProfilerServer;
use super::error::ToolError;
use super::summary::{DiffSummary, ProfileSummary};
use crate::error::WorkerError;
use crate::report::{diff_html, diff_json, html, json};
use crate::sink::{RunIdentity, RunOutputs, RunRecorder, record_outcome};
use crate::source::SourceSpec;
use crate::source::uri::SourceUri;
use crate::verbs;
use crate::{ProfileRequest, Progress};

/// Input of `profile`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileParams {
    /// The table: a source URI (athena://, redshift://, iceberg+glue://, iceberg+rest://, s3://)
    /// or a local Parquet file, directory or glob, or Iceberg table directory.
    pub source: String,
    /// Top-level columns to profile (default: all).
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// Profile a uniform random sample of this many rows instead of every row.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub sample_rows: Option<u64>,
    /// Iceberg only: read row counts, nulls and min/max from the manifests, no data file.
    #[serde(default)]
    pub metadata_only: bool,
    /// Iceberg only: the snapshot to read (default: the current one).
    #[serde(default)]
    pub snapshot_id: Option<i64>,
    /// Athena and Redshift only: `pushdown` (default without sample_rows) or `sample` (default
    /// with sample_rows).
    #[serde(default)]
    pub method: Option<Method>,
}

/// How an Athena or Redshift table is profiled.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The engine computes the statistics (aggregate queries; no rows leave it).
    Pushdown,
    /// A sample of rows is read back and profiled here.
    Sample,
}

/// Input of `diff`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffParams {
    /// Path of the baseline profile.json (the earlier one), e.g. a `profile` result's profileJson.
    pub baseline: String,
    /// Path of the profile.json to compare with it (the later one).
    pub current: String,
    /// Drift thresholds (camelCase names of docs/drift.md); those left out keep their defaults.
    #[serde(default)]
    pub thresholds: Option<DriftThresholds>,
}

#[tool_router(router = profiling_router, vis = "pub(super)")]
impl ProfilerServer {
    /// Profiles a table (every column's row count, nulls, distinct values, min/max, mean,
    /// quantiles, histograms, top values) and writes profile.json and report.html to the
    /// server's output directory. Returns the headline figures per column, the alerts, and the
    /// path of profile.json (give it to `diff` or `suggest_rules`).
    #[tool(annotations(read_only_hint = false, destructive_hint = false, open_world_hint = true))]
    async fn profile(&self, Parameters(params): Parameters<ProfileParams>) -> Result<Json<ProfileSummary>, ToolError> {
        let mut uri = self.allowed(&params.source)?;
        let out = self.limits.output_dir("profile")?.to_owned();
        let sampling = match params.sample_rows {
            Some(size) => Sampling::Reservoir { size, seed: 42 },
            None => Sampling::Full,
        };
        let what = match uri.file_spec(params.snapshot_id) {
            Some(source) => What::Files(ProfileRequest {
                source,
                columns: params.columns,
                sampling,
                metadata_only: params.metadata_only,
                options: ProfileOptions::default(),
                threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
                partitions: None,
                split_row_groups: false,
            }),
            None => {
                if params.metadata_only || params.snapshot_id.is_some() {
                    return Err(WorkerError::InvalidRequest(
                        "metadata_only and snapshot_id apply to Iceberg tables only".into(),
                    )
                    .into());
                }
                uri.set_method(match (params.method, sampling) {
                    (Some(Method::Pushdown), _) | (None, Sampling::Full) => QueryMethod::Pushdown,
                    (Some(Method::Sample), _) | (None, _) => QueryMethod::Sample,
                });
                What::Sql { uri, columns: params.columns, sampling }
            }
        };
        let store = self.store.clone();
        let handle = tokio::runtime::Handle::current();
        let summary = self
            .blocking(move |poll| {
                let name = job_name_for(&what.location());
                let recorder = match &store {
                    Some(config) => {
                        let identity = RunIdentity {
                            namespace: "mcp".to_owned(),
                            name: name.clone(),
                            uid: Uuid::new_v4(),
                            attempt: 1,
                        };
                        Some(RunRecorder::start(config, identity, what.spec())?)
                    }
                    None => None,
                };
                let dir = run_dir(&out, &name);
                let outcome = match &what {
                    What::Files(request) => crate::profile(request, &Progress::default()),
                    What::Sql { uri, columns, sampling } => handle.block_on(verbs::profile_sql(
                        uri,
                        columns.as_deref(),
                        *sampling,
                        &ProfileOptions::default(),
                        &poll,
                    )),
                }
                .and_then(|profile| write_profile(profile, &dir));
                let ((profile, json_path, html_path), stored) =
                    record_outcome(recorder, outcome, |(profile, json_path, html_path)| RunOutputs {
                        profile,
                        profile_uri: Some(format!("file://{}", json_path.display())),
                        report_uri: Some(format!("file://{}", html_path.display())),
                        comparison: None,
                        check: None,
                    })?;
                if let Some(uid) = stored {
                    tracing::info!(%uid, job = name, "profile recorded in the profile store");
                }
                Ok(ProfileSummary::of(&profile, json_path.display().to_string(), html_path.display().to_string()))
            })
            .await?;
        Ok(Json(summary))
    }

    /// Compares two profiles of one table (drift): row count, columns added, removed or retyped,
    /// null rates, distinct counts, distributions (KS, PSI), quantiles and top values, graded by
    /// thresholds. Returns the summary and the findings, most severe first; writes diff.json to
    /// the output directory when the server has one.
    #[tool(annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false))]
    async fn diff(&self, Parameters(params): Parameters<DiffParams>) -> Result<Json<DiffSummary>, ToolError> {
        let (a_path, b_path) = (PathBuf::from(&params.baseline), PathBuf::from(&params.current));
        self.limits.check_document(&a_path)?;
        self.limits.check_document(&b_path)?;
        let out = self.limits.output_dir.clone();
        let thresholds = params.thresholds.unwrap_or_default();
        let summary = self
            .blocking(move |_poll| {
                let (a, b) = (json::read(&a_path)?, json::read(&b_path)?);
                let comparison = compare(&a, &b, &thresholds).map_err(|e| match e {
                    CompareError::UnknownFormatVersion { side, .. } => WorkerError::BadProfile {
                        path: if side == "A" { a_path.clone() } else { b_path.clone() },
                        reason: e.to_string(),
                    },
                    CompareError::InvalidThresholds(_) => WorkerError::InvalidRequest(e.to_string()),
                })?;
                let written = match out {
                    Some(out) => {
                        let dir = run_dir(&out, "diff");
                        create(&dir)?;
                        let json_path = dir.join("diff.json");
                        diff_json::write(&comparison, &json_path)?;
                        diff_html::write(&comparison, &a, &b, &dir.join("diff.html"))?;
                        Some(json_path.display().to_string())
                    }
                    None => None,
                };
                Ok(DiffSummary::of(&comparison, params.baseline, params.current, written))
            })
            .await?;
        Ok(Json(summary))
    }
}

/// Writes profile.json and report.html into `dir`.
fn write_profile(profile: TableProfile, dir: &Path) -> Result<(TableProfile, PathBuf, PathBuf), WorkerError> {
    create(dir)?;
    let (json_path, html_path) = (dir.join("profile.json"), dir.join("report.html"));
    json::write(&profile, &json_path)?;
    html::write(&profile, &html_path)?;
    Ok((profile, json_path, html_path))
}

pub(super) fn create(dir: &Path) -> Result<(), WorkerError> {
    std::fs::create_dir_all(dir).map_err(|e| WorkerError::Output { path: dir.to_owned(), reason: e.to_string() })
}

/// A fresh directory under `out` for one call: `NAME-YYYYMMDDTHHMMSSZ-XXXXXXXX`.
pub(super) fn run_dir(out: &Path, name: &str) -> PathBuf {
    let id = Uuid::new_v4().simple().to_string();
    out.join(format!("{name}-{}-{}", Utc::now().format("%Y%m%dT%H%M%SZ"), &id[..8]))
}

/// A Kubernetes-style name (lowercase letters, digits, '-', '.') from a source's last part.
fn job_name_for(source: &str) -> String {
    let path = source.split('?').next().unwrap_or(source).trim_end_matches('/');
    let base = path.rsplit(['/', ':']).next().unwrap_or(path);
    let stem = base.strip_suffix(".parquet").or_else(|| base.strip_suffix(".metadata.json")).unwrap_or(base);
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    name.truncate(100);
    let name = name.trim_matches(|c| c == '-' || c == '.').to_owned();
    if name.is_empty() { "profile".to_owned() } else { name }
}

/// What a `profile` call reads.
enum What {
    /// Files or an Iceberg table, scanned here.
    Files(ProfileRequest),
    /// An Athena or Redshift table, profiled by the engine (pushdown) or from a sample.
    Sql {
        /// The table, its method set.
        uri: SourceUri,
        /// Columns to profile.
        columns: Option<Vec<String>>,
        /// Sampling of a sample.
        sampling: Sampling,
    },
}

impl What {
    fn location(&self) -> String {
        match self {
            Self::Files(request) => request.source.location().to_owned(),
            Self::Sql { uri, .. } => uri.to_string(),
        }
    }

    /// What the store keeps as the job's spec of a tool server run.
    fn spec(&self) -> serde_json::Value {
        let (kind, columns, sampling, metadata_only) = match self {
            Self::Files(r) => {
                let kind = match r.source {
                    SourceSpec::Parquet { .. } => "parquet",
                    SourceSpec::Iceberg { .. } => "iceberg",
                };
                (kind, &r.columns, r.sampling, r.metadata_only)
            }
            Self::Sql { uri: SourceUri::Redshift(_), columns, sampling } => ("redshift", columns, *sampling, false),
            Self::Sql { columns, sampling, .. } => ("athena", columns, *sampling, false),
        };
        serde_json::json!({
            "source": { "kind": kind, "location": self.location() },
            "columns": columns,
            "sampling": sampling,
            "metadataOnly": metadata_only,
            "runner": "profiler mcp",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_come_from_the_last_part_of_the_source() {
        assert_eq!(job_name_for("/data/Orders 2024.parquet"), "orders-2024");
        assert_eq!(job_name_for("athena://AwsDataCatalog/sales.orders?workgroup=primary"), "sales.orders");
        assert_eq!(job_name_for("/data/*.parquet"), "profile");
        assert_eq!(job_name_for("s3://bucket/t/metadata/v3.metadata.json"), "v3");
    }
}
