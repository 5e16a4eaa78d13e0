//! The job document: everything one profiling run needs, handed by the controller to the worker
//! (in the ECS container's environment, [`JOB_DOCUMENT_ENV`], or as a file).
//!
//! Both sides parse and check it with the same code ([`JobDocument::from_json`],
//! [`JobDocument::to_json`]): an unknown version, an unknown field, a missing field or a value out
//! of range is refused with a message that names the field. The document carries no secret: the
//! database is reached through a Secrets Manager ARN or the name of an environment variable.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::names::{is_dns_label, is_dns_subdomain};
use crate::sampling::Sampling;

/// Version of the job document written by this build; readers refuse other versions.
pub const JOB_DOCUMENT_VERSION: u32 = 1;

/// Largest encoded document, in bytes. ECS allows 8 KiB of container overrides in total; the rest
/// is left for the other overrides (command, other variables).
pub const MAX_JOB_DOCUMENT_BYTES: usize = 6 * 1024;

/// Environment variable that carries the document into the worker's container.
pub const JOB_DOCUMENT_ENV: &str = "PROFILER_JOB";

/// One profiling run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobDocument {
    /// Format version; must be [`JOB_DOCUMENT_VERSION`].
    pub version: u32,
    /// Which ProfileJob and attempt this run is.
    pub job: JobIdentity,
    /// The table to profile.
    pub source: JobSource,
    /// Top-level columns to profile (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
    /// Sampling (default: full scan).
    #[serde(default)]
    pub sampling: Sampling,
    /// Metric options.
    #[serde(default)]
    pub metrics: MetricOptions,
    /// Where profile.json, report.html and the sketches go.
    pub output: OutputLocation,
    /// How to reach the profile store; absent: the profile is not stored in Postgres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseRef>,
}

/// The ProfileJob and attempt a run belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobIdentity {
    /// Namespace of the ProfileJob.
    pub namespace: String,
    /// Name of the ProfileJob.
    pub name: String,
    /// Kubernetes uid of the ProfileJob.
    pub uid: String,
    /// Attempt number, from 1.
    pub attempt: u32,
}

/// The table to profile: exactly one kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum JobSource {
    /// An Iceberg table in a Glue, REST, S3 Tables or SQL catalog, data on S3.
    Iceberg(IcebergSource),
    /// A table queried through Amazon Athena.
    Athena(AthenaSource),
    /// A table queried through the Amazon Redshift Data API.
    Redshift(RedshiftSource),
}

/// An Iceberg table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IcebergSource {
    /// The catalog that names the table.
    pub catalog: IcebergCatalog,
    /// Namespace (database) of the table; nested namespaces dotted.
    pub namespace: String,
    /// Table name.
    pub table: String,
    /// Snapshot to read (default: the current one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<i64>,
    /// Read only the manifests (counts, null counts, min/max); no data file.
    #[serde(default)]
    pub metadata_only: bool,
}

/// An Iceberg catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum IcebergCatalog {
    /// AWS Glue Data Catalog of the task's account and region.
    #[serde(rename_all = "camelCase")]
    Glue {
        /// Catalog id (account) when not the task's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        catalog_id: Option<String>,
    },
    /// An Iceberg REST catalog.
    #[serde(rename_all = "camelCase")]
    Rest {
        /// Base URI, https://...
        uri: String,
        /// Warehouse name or location, when the catalog needs one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        warehouse: Option<String>,
    },
    /// An Amazon S3 Tables table bucket.
    #[serde(rename_all = "camelCase")]
    S3Tables {
        /// ARN of the table bucket.
        table_bucket_arn: String,
    },
    /// A SQL catalog (the JDBC / pyiceberg SqlCatalog layout).
    #[serde(rename_all = "camelCase")]
    Sql {
        /// Database URL of the catalog (sqlite:// or postgres://).
        uri: String,
        /// Catalog name inside the database.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
}

/// How a SQL engine's table is profiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "camelCase")]
pub enum QueryMethod {
    /// Aggregates computed by the engine (one query for all columns, plus bounded top-k queries).
    #[default]
    Pushdown,
    /// A sample pulled back (TABLESAMPLE) and profiled by the profiler's own engine.
    Sample,
}

/// A table queried through Athena.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AthenaSource {
    /// Data catalog (default `AwsDataCatalog`).
    #[serde(default = "default_athena_catalog")]
    pub catalog: String,
    /// Database (schema).
    pub database: String,
    /// Table.
    pub table: String,
    /// Workgroup (default `primary`).
    #[serde(default = "default_workgroup")]
    pub workgroup: String,
    /// Query result location (s3://...) when the workgroup does not set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_location: Option<String>,
    /// Pushdown or sample.
    #[serde(default)]
    pub method: QueryMethod,
}

/// A table queried through the Redshift Data API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedshiftSource {
    /// Serverless workgroup or provisioned cluster.
    pub target: RedshiftTarget,
    /// Database.
    pub database: String,
    /// Schema.
    pub schema: String,
    /// Table.
    pub table: String,
    /// Credentials: a Secrets Manager secret, or a database user (provisioned clusters, IAM);
    /// absent for a serverless workgroup with IAM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<RedshiftAuth>,
    /// Pushdown or sample.
    #[serde(default)]
    pub method: QueryMethod,
}

/// Where Redshift runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RedshiftTarget {
    /// A Redshift Serverless workgroup name.
    Workgroup(String),
    /// A provisioned cluster identifier.
    Cluster(String),
}

/// How the Data API authenticates to Redshift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RedshiftAuth {
    /// ARN of a Secrets Manager secret with the database credentials.
    SecretArn(String),
    /// Database user (temporary IAM credentials; provisioned clusters).
    DbUser(String),
}

/// Metric options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricOptions {
    /// Histogram bins (1 to 1000, default 20).
    #[serde(default = "default_bins")]
    pub histogram_bins: u32,
    /// Top values per string column (1 to 1000, default 10).
    #[serde(default = "default_top_k")]
    pub top_k: u32,
}

impl Default for MetricOptions {
    fn default() -> Self {
        Self { histogram_bins: default_bins(), top_k: default_top_k() }
    }
}

/// Where the run's files go: `s3://bucket/prefix/<namespace>/<name>/<uid>/attempt-<n>/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputLocation {
    /// Results bucket.
    pub bucket: String,
    /// Key prefix inside the bucket (may be empty).
    #[serde(default)]
    pub prefix: String,
}

/// How the worker reaches the profile store. Never a password inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum DatabaseRef {
    /// ARN of a Secrets Manager secret holding `url`/`uri` or host, port, dbname, username,
    /// password and sslmode.
    SecretArn(String),
    /// Name of an environment variable of the task that holds the database URL (for example
    /// injected by ECS from a secret).
    UrlEnv(String),
}

fn default_athena_catalog() -> String {
    "AwsDataCatalog".to_owned()
}

fn default_workgroup() -> String {
    "primary".to_owned()
}

fn default_bins() -> u32 {
    20
}

fn default_top_k() -> u32 {
    10
}

/// A job document that cannot be used, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobDocumentError {
    /// Dotted path of the field, e.g. `source.athena.workgroup` (`$` for the whole document).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for JobDocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "job document: {}: {}", self.field, self.message)
    }
}

impl std::error::Error for JobDocumentError {}

fn fail<T>(field: &str, message: impl Into<String>) -> Result<T, JobDocumentError> {
    Err(JobDocumentError { field: field.to_owned(), message: message.into() })
}

impl JobDocument {
    /// Parses and checks a document.
    pub fn from_json(text: &str) -> Result<Self, JobDocumentError> {
        let value: serde_json::Value =
            serde_json::from_str(text).or_else(|e| fail("$", format!("not valid JSON: {e}")))?;
        let Some(object) = value.as_object() else {
            return fail("$", "must be a JSON object");
        };
        match object.get("version").map(serde_json::Value::as_u64) {
            None => return fail("version", "missing; this worker reads version 1"),
            Some(Some(v)) if v == u64::from(JOB_DOCUMENT_VERSION) => {}
            Some(_) => {
                return fail(
                    "version",
                    format!(
                        "unsupported version {}; this worker reads version {JOB_DOCUMENT_VERSION}",
                        object["version"]
                    ),
                );
            }
        }
        let document: JobDocument = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            JobDocumentError { field: if path == "." { "$".to_owned() } else { path }, message: e.inner().to_string() }
        })?;
        document.validate()?;
        Ok(document)
    }

    /// Checks and encodes the document (compact JSON), refusing one that would not fit in the
    /// container environment.
    pub fn to_json(&self) -> Result<String, JobDocumentError> {
        self.validate()?;
        let text = serde_json::to_string(self).or_else(|e| fail("$", format!("cannot encode: {e}")))?;
        if text.len() > MAX_JOB_DOCUMENT_BYTES {
            return fail(
                "$",
                format!(
                    "{} bytes encoded, at most {MAX_JOB_DOCUMENT_BYTES} fit in the task's environment; select fewer columns",
                    text.len()
                ),
            );
        }
        Ok(text)
    }

    /// Key prefix of this run's outputs: `prefix/<namespace>/<name>/<uid>/attempt-<n>/`.
    pub fn output_prefix(&self) -> String {
        let base = self.output.prefix.trim_matches('/');
        let job = &self.job;
        let tail = format!("{}/{}/{}/attempt-{}/", job.namespace, job.name, job.uid, job.attempt);
        if base.is_empty() { tail } else { format!("{base}/{tail}") }
    }

    /// Checks every field's value (types and presence are checked by parsing).
    pub fn validate(&self) -> Result<(), JobDocumentError> {
        if self.version != JOB_DOCUMENT_VERSION {
            return fail("version", format!("unsupported version {}", self.version));
        }
        let job = &self.job;
        if !is_dns_label(&job.namespace) {
            return fail("job.namespace", format!("{:?} is not a Kubernetes namespace", job.namespace));
        }
        if !is_dns_subdomain(&job.name) {
            return fail("job.name", format!("{:?} is not a Kubernetes object name", job.name));
        }
        if job.uid.len() != 36 || !job.uid.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return fail("job.uid", format!("{:?} is not a Kubernetes uid (a UUID)", job.uid));
        }
        if job.attempt == 0 {
            return fail("job.attempt", "attempts count from 1");
        }
        self.validate_source()?;
        if let Some(columns) = &self.columns {
            if columns.is_empty() {
                return fail("columns", "empty list; omit the field to profile every column");
            }
            for (i, c) in columns.iter().enumerate() {
                identifier(&format!("columns[{i}]"), c)?;
                if columns[..i].contains(c) {
                    return fail(&format!("columns[{i}]"), format!("{c:?} is listed twice"));
                }
            }
        }
        match self.sampling {
            Sampling::Full => {}
            Sampling::Reservoir { size: 0, .. } => return fail("sampling.size", "must be at least 1"),
            Sampling::Bernoulli { fraction, .. } if !(fraction > 0.0 && fraction <= 1.0) => {
                return fail("sampling.fraction", format!("must be in (0, 1], got {fraction}"));
            }
            _ => {}
        }
        if let JobSource::Iceberg(i) = &self.source
            && i.metadata_only
            && self.sampling != Sampling::Full
        {
            return fail("sampling", "metadata-only profiling reads no rows, so it takes no sampling");
        }
        if !(1..=1000).contains(&self.metrics.histogram_bins) {
            return fail("metrics.histogramBins", format!("must be 1 to 1000, got {}", self.metrics.histogram_bins));
        }
        if !(1..=1000).contains(&self.metrics.top_k) {
            return fail("metrics.topK", format!("must be 1 to 1000, got {}", self.metrics.top_k));
        }
        if !is_bucket_name(&self.output.bucket) {
            return fail("output.bucket", format!("{:?} is not an S3 bucket name", self.output.bucket));
        }
        if self.output.prefix.len() > 512 || self.output.prefix.chars().any(char::is_control) {
            return fail("output.prefix", "at most 512 characters, no control characters");
        }
        match &self.database {
            Some(DatabaseRef::SecretArn(arn)) => secret_arn("database.secretArn", arn)?,
            Some(DatabaseRef::UrlEnv(name)) => {
                let valid = name.chars().next().is_some_and(|c| c.is_ascii_uppercase() || c == '_')
                    && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return fail("database.urlEnv", format!("{name:?} is not an environment variable name"));
                }
            }
            None => {}
        }
        Ok(())
    }

    fn validate_source(&self) -> Result<(), JobDocumentError> {
        match &self.source {
            JobSource::Iceberg(s) => {
                identifier("source.iceberg.namespace", &s.namespace)?;
                identifier("source.iceberg.table", &s.table)?;
                match &s.catalog {
                    IcebergCatalog::Glue { catalog_id: Some(id) } if !id.chars().all(|c| c.is_ascii_digit()) => {
                        fail("source.iceberg.catalog.glue.catalogId", format!("{id:?} is not an account id"))
                    }
                    IcebergCatalog::Rest { uri, .. }
                        if !(uri.starts_with("https://") || uri.starts_with("http://")) =>
                    {
                        fail("source.iceberg.catalog.rest.uri", format!("{uri:?} is not an http(s) URL"))
                    }
                    IcebergCatalog::S3Tables { table_bucket_arn } if !table_bucket_arn.starts_with("arn:aws") => fail(
                        "source.iceberg.catalog.s3Tables.tableBucketArn",
                        format!("{table_bucket_arn:?} is not an ARN"),
                    ),
                    IcebergCatalog::Sql { uri, .. }
                        if !(uri.starts_with("sqlite:")
                            || uri.starts_with("postgres://")
                            || uri.starts_with("postgresql://")) =>
                    {
                        fail("source.iceberg.catalog.sql.uri", format!("{uri:?} is not a sqlite: or postgres:// URL"))
                    }
                    _ => Ok(()),
                }
            }
            JobSource::Athena(s) => {
                identifier("source.athena.catalog", &s.catalog)?;
                identifier("source.athena.database", &s.database)?;
                identifier("source.athena.table", &s.table)?;
                identifier("source.athena.workgroup", &s.workgroup)?;
                match &s.output_location {
                    Some(l) if !l.starts_with("s3://") => {
                        fail("source.athena.outputLocation", format!("{l:?} is not an s3:// location"))
                    }
                    _ => Ok(()),
                }
            }
            JobSource::Redshift(s) => {
                match &s.target {
                    RedshiftTarget::Workgroup(w) => identifier("source.redshift.target.workgroup", w)?,
                    RedshiftTarget::Cluster(c) => identifier("source.redshift.target.cluster", c)?,
                }
                identifier("source.redshift.database", &s.database)?;
                identifier("source.redshift.schema", &s.schema)?;
                identifier("source.redshift.table", &s.table)?;
                match &s.auth {
                    Some(RedshiftAuth::SecretArn(arn)) => secret_arn("source.redshift.auth.secretArn", arn),
                    Some(RedshiftAuth::DbUser(user)) => identifier("source.redshift.auth.dbUser", user),
                    None if matches!(s.target, RedshiftTarget::Cluster(_)) => {
                        fail("source.redshift.auth", "a provisioned cluster needs a secretArn or a dbUser")
                    }
                    None => Ok(()),
                }
            }
        }
    }
}

/// A table, column or other name: 1 to 255 characters, no control characters. (Quoting makes any
/// such name safe in SQL; the connectors quote every identifier.)
fn identifier(field: &str, value: &str) -> Result<(), JobDocumentError> {
    if value.is_empty() || value.chars().count() > 255 || value.chars().any(char::is_control) {
        return fail(field, format!("{value:?} must be 1 to 255 characters without control characters"));
    }
    Ok(())
}

fn secret_arn(field: &str, arn: &str) -> Result<(), JobDocumentError> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    if parts.len() < 7 || parts[0] != "arn" || !parts[1].starts_with("aws") || parts[2] != "secretsmanager" {
        return fail(
            field,
            format!("{arn:?} is not a Secrets Manager ARN (arn:aws:secretsmanager:region:account:secret:name)"),
        );
    }
    Ok(())
}

/// S3 bucket naming rules (general purpose buckets).
fn is_bucket_name(s: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&s.len())
        && s.chars().all(ok_char)
        && alnum(s.chars().next())
        && alnum(s.chars().last())
        && !s.contains("..")
}
