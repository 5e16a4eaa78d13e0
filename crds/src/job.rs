//! The job document: everything one profiling run needs, handed by the controller to the worker
//! in the ECS container's environment ([`JOB_DOCUMENT_ENV`]): inline when it is small, else as the
//! `s3://` URI of `job.json` beside the run's outputs ([`INLINE_JOB_DOCUMENT_BYTES`]); or as a
//! file.
//!
//! Both sides parse and check it with the same code ([`JobDocument::from_json`],
//! [`JobDocument::to_json`]): an unknown version, an unknown field, a missing field or a value out
//! of range is refused with a message that names the field. The document carries no secret: the
//! database is reached through a Secrets Manager ARN or the name of an environment variable.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::fan_out::{DEFAULT_MAX_PARALLELISM, MAX_PARALLELISM, Parallelism};
use crate::names::{is_dns_label, is_dns_subdomain};
use crate::rules::{self, StringRule};
use crate::sampling::Sampling;

/// Version of the job document written by this build; readers refuse other versions.
pub const JOB_DOCUMENT_VERSION: u32 = 1;

/// Largest encoded document passed inline in the container's environment, in bytes. ECS allows
/// 8 KiB of container overrides in all, and the document is escaped once more inside them; a
/// larger document is stored as [`JOB_DOCUMENT_OBJECT`] and the environment carries its URI.
pub const INLINE_JOB_DOCUMENT_BYTES: usize = 4 * 1024;

/// Name of the stored job document, in the run's output prefix.
pub const JOB_DOCUMENT_OBJECT: &str = "job.json";

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
    #[schemars(schema_with = "rules::schema::columns")]
    pub columns: Option<Vec<String>>,
    /// Sampling (default: full scan).
    #[serde(default, deserialize_with = "crate::sampling::deserialize_written")]
    pub sampling: Sampling,
    /// Metric options.
    #[serde(default)]
    pub metrics: MetricOptions,
    /// Where profile.json, report.html and the sketches go.
    pub output: OutputLocation,
    /// How to reach the profile store; absent: the profile is not stored in Postgres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseRef>,
    /// The earlier profile to compare with and the thresholds (the ProfileJob's `spec.drift`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<crate::drift::DriftSpec>,
    /// The data quality rules to verify in the same run: the ProfileJob's `spec.rules`, resolved
    /// (inline rules, or the rule set read from its ConfigMap when the attempt was submitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<crate::quality::RuleSet>,
    /// Worker tasks that profile the table (the ProfileJob's `spec.parallelism`).
    #[serde(default, skip_serializing_if = "is_auto")]
    pub parallelism: Parallelism,
    /// Most groups an `auto` job is split into (the runtime's `worker.maxParallelism`).
    #[serde(default = "default_max_parallelism")]
    pub max_parallelism: u32,
    /// Build the profile on the drift baseline's profile when the Iceberg table only grew by
    /// appends since its snapshot (the ProfileJob's `spec.incremental`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incremental: bool,
}

fn is_auto(p: &Parallelism) -> bool {
    *p == Parallelism::Auto
}

fn default_max_parallelism() -> u32 {
    DEFAULT_MAX_PARALLELISM
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

impl JobIdentity {
    /// Key prefix of this attempt's outputs under the runtime's results `prefix`:
    /// `prefix/<namespace>/<name>/<uid>/attempt-<n>/`.
    pub fn output_prefix(&self, prefix: &str) -> String {
        let base = prefix.trim_matches('/');
        let tail = format!("{}/{}/{}/attempt-{}/", self.namespace, self.name, self.uid, self.attempt);
        if base.is_empty() { tail } else { format!("{base}/{tail}") }
    }
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
    /// Parquet files on S3, read directly, for tables no catalog names.
    Parquet(ParquetSource),
}

/// Parquet files on S3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParquetSource {
    /// `s3://BUCKET/PREFIX/` (every Parquet object under the prefix), `s3://BUCKET/KEY` (one
    /// object), or a glob over keys (`s3://BUCKET/orders/dt=2024-*/*.parquet`).
    #[schemars(schema_with = "rules::schema::parquet_uri")]
    pub uri: String,
}

/// An Iceberg table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IcebergSource {
    /// The catalog that names the table.
    pub catalog: IcebergCatalog,
    /// Namespace (database) of the table; nested namespaces dotted.
    #[schemars(schema_with = "rules::schema::name")]
    pub namespace: String,
    /// Table name.
    #[schemars(schema_with = "rules::schema::name")]
    pub table: String,
    /// Snapshot to read, under the schema it was written with (default: the current one, under
    /// the current schema).
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
        #[schemars(schema_with = "rules::schema::optional_account_id")]
        catalog_id: Option<String>,
    },
    /// An Iceberg REST catalog.
    #[serde(rename_all = "camelCase")]
    Rest {
        /// Base URI, https://...
        #[schemars(schema_with = "rules::schema::http_url")]
        uri: String,
        /// Warehouse name or location, when the catalog needs one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(schema_with = "rules::schema::optional_warehouse")]
        warehouse: Option<String>,
    },
    /// An Amazon S3 Tables table bucket.
    #[serde(rename_all = "camelCase")]
    S3Tables {
        /// ARN of the table bucket.
        #[schemars(schema_with = "rules::schema::table_bucket_arn")]
        table_bucket_arn: String,
    },
    /// A SQL catalog (the JDBC / pyiceberg SqlCatalog layout).
    #[serde(rename_all = "camelCase")]
    Sql {
        /// Database URL of the catalog (sqlite:// or postgres://).
        #[schemars(schema_with = "rules::schema::sql_catalog_url")]
        uri: String,
        /// Catalog name inside the database.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(schema_with = "rules::schema::optional_name")]
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
    #[schemars(schema_with = "rules::schema::name")]
    pub catalog: String,
    /// Database (schema).
    #[schemars(schema_with = "rules::schema::name")]
    pub database: String,
    /// Table.
    #[schemars(schema_with = "rules::schema::name")]
    pub table: String,
    /// Workgroup (default `primary`).
    #[serde(default = "default_workgroup")]
    #[schemars(schema_with = "rules::schema::athena_workgroup")]
    pub workgroup: String,
    /// Query result location (s3://...) when the workgroup does not set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "rules::schema::optional_s3_location")]
    pub output_location: Option<String>,
    /// Pushdown or sample.
    #[serde(default)]
    pub method: QueryMethod,
}

/// A table queried through the Redshift Data API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [{"rule": "!has(self.target.cluster) || has(self.auth)", "message": CLUSTER_NEEDS_AUTH}]))]
pub struct RedshiftSource {
    /// Serverless workgroup or provisioned cluster.
    pub target: RedshiftTarget,
    /// Database.
    #[schemars(schema_with = "rules::schema::redshift_name")]
    pub database: String,
    /// Schema.
    #[schemars(schema_with = "rules::schema::redshift_name")]
    pub schema: String,
    /// Table.
    #[schemars(schema_with = "rules::schema::redshift_name")]
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
    #[schemars(schema_with = "rules::schema::redshift_workgroup")]
    Workgroup(String),
    /// A provisioned cluster identifier.
    #[schemars(schema_with = "rules::schema::redshift_cluster")]
    Cluster(String),
}

/// How the Data API authenticates to Redshift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RedshiftAuth {
    /// ARN of a Secrets Manager secret with the database credentials.
    #[schemars(schema_with = "rules::schema::secret_arn")]
    SecretArn(String),
    /// Database user (temporary IAM credentials; provisioned clusters).
    #[schemars(schema_with = "rules::schema::redshift_name")]
    DbUser(String),
}

/// Metric options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricOptions {
    /// Histogram bins (1 to 1000, default 20).
    #[serde(default = "default_bins")]
    #[schemars(range(min = 1, max = 1000))]
    pub histogram_bins: u32,
    /// Top values per string column (1 to 1000, default 10).
    #[serde(default = "default_top_k")]
    #[schemars(range(min = 1, max = 1000))]
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

    /// Checks and encodes the document (compact JSON).
    pub fn to_json(&self) -> Result<String, JobDocumentError> {
        self.validate()?;
        serde_json::to_string(self).or_else(|e| fail("$", format!("cannot encode: {e}")))
    }

    /// Key of the stored document (when too large to pass inline): `<output prefix>job.json`.
    pub fn document_key(&self) -> String {
        format!("{}{JOB_DOCUMENT_OBJECT}", self.output_prefix())
    }

    /// Key prefix of this run's outputs: `prefix/<namespace>/<name>/<uid>/attempt-<n>/`.
    pub fn output_prefix(&self) -> String {
        self.job.output_prefix(&self.output.prefix)
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
        self.validate_request()?;
        check("output.bucket", &self.output.bucket, &rules::BUCKET)?;
        check("output.prefix", &self.output.prefix, &rules::KEY_PREFIX)?;
        match &self.database {
            Some(DatabaseRef::SecretArn(arn)) => check("database.secretArn", arn, &rules::SECRET_ARN)?,
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

    /// Columns, sampling, metrics and the option combinations a source refuses: exactly what a
    /// ProfileJob's CRD checks at admission (the rules of [`crate::rules`] and the spec's CEL).
    fn validate_request(&self) -> Result<(), JobDocumentError> {
        if let Some(columns) = &self.columns {
            if columns.is_empty() {
                return fail("columns", "empty list; omit the field to profile every column");
            }
            if columns.len() > rules::MAX_COLUMNS {
                return fail(
                    "columns",
                    format!("{} columns, at most {} may be listed", columns.len(), rules::MAX_COLUMNS),
                );
            }
            for (i, c) in columns.iter().enumerate() {
                check(&format!("columns[{i}]"), c, &rules::NAME)?;
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
        if let Some(drift) = &self.drift
            && let Err((field, message)) = drift.validate()
        {
            return fail(&format!("drift.{field}"), message);
        }
        if let Some(rules) = &self.rules {
            crate::quality::validate_rule_set(rules).or_else(|e| fail("rules", e.to_string()))?;
        }
        self.parallelism.validate().or_else(|m| fail("parallelism", m))?;
        if !(1..=MAX_PARALLELISM).contains(&self.max_parallelism) {
            return fail("maxParallelism", format!("must be 1 to {MAX_PARALLELISM}, got {}", self.max_parallelism));
        }
        if self.parallelism.is_fixed_fan_out()
            && let Some(reason) = self.single_task_reason()
        {
            return fail("parallelism", reason);
        }
        if let Some(reason) = self.incremental.then(|| self.incremental_refusal()).flatten() {
            return fail("incremental", reason);
        }
        let sampled = self.sampling != Sampling::Full;
        match &self.source {
            JobSource::Iceberg(i) if i.metadata_only && sampled => {
                return fail("sampling", METADATA_ONLY_TAKES_NO_SAMPLING);
            }
            JobSource::Athena(AthenaSource { method: QueryMethod::Pushdown, .. })
            | JobSource::Redshift(RedshiftSource { method: QueryMethod::Pushdown, .. })
                if sampled =>
            {
                return fail("sampling", PUSHDOWN_TAKES_NO_SAMPLING);
            }
            _ => {}
        }
        if !(1..=1000).contains(&self.metrics.histogram_bins) {
            return fail("metrics.histogramBins", format!("must be 1 to 1000, got {}", self.metrics.histogram_bins));
        }
        if !(1..=1000).contains(&self.metrics.top_k) {
            return fail("metrics.topK", format!("must be 1 to 1000, got {}", self.metrics.top_k));
        }
        Ok(())
    }

    /// Why this job runs as one task whatever its `parallelism` (the message a fixed fan-out is
    /// refused with, at admission and here), or None when its table can be split into groups.
    pub fn single_task_reason(&self) -> Option<&'static str> {
        single_task_reason(&self.source, self.rules.is_some(), &self.sampling, self.incremental)
    }

    /// Why this job cannot be incremental (the message `incremental: true` is refused with, at
    /// admission and here), or None.
    pub fn incremental_refusal(&self) -> Option<&'static str> {
        match &self.source {
            JobSource::Iceberg(i) if i.metadata_only => Some(INCREMENTAL_NOT_METADATA_ONLY),
            JobSource::Iceberg(_) if self.sampling != Sampling::Full => Some(INCREMENTAL_NOT_SAMPLED),
            JobSource::Iceberg(_) if self.rules.is_some() => Some(INCREMENTAL_NOT_WITH_RULES),
            JobSource::Iceberg(_) => None,
            _ => Some(INCREMENTAL_NEEDS_ICEBERG),
        }
    }

    fn validate_source(&self) -> Result<(), JobDocumentError> {
        match &self.source {
            JobSource::Iceberg(s) => {
                check("source.iceberg.namespace", &s.namespace, &rules::NAME)?;
                check("source.iceberg.table", &s.table, &rules::NAME)?;
                match &s.catalog {
                    IcebergCatalog::Glue { catalog_id: Some(id) } => {
                        check("source.iceberg.catalog.glue.catalogId", id, &rules::ACCOUNT_ID)
                    }
                    IcebergCatalog::Glue { catalog_id: None } => Ok(()),
                    IcebergCatalog::Rest { uri, warehouse } => {
                        check("source.iceberg.catalog.rest.uri", uri, &rules::HTTP_URL)?;
                        match warehouse {
                            Some(w) => check("source.iceberg.catalog.rest.warehouse", w, &rules::WAREHOUSE),
                            None => Ok(()),
                        }
                    }
                    IcebergCatalog::S3Tables { table_bucket_arn } => check(
                        "source.iceberg.catalog.s3Tables.tableBucketArn",
                        table_bucket_arn,
                        &rules::TABLE_BUCKET_ARN,
                    ),
                    IcebergCatalog::Sql { uri, name } => {
                        check("source.iceberg.catalog.sql.uri", uri, &rules::SQL_CATALOG_URL)?;
                        match name {
                            Some(n) => check("source.iceberg.catalog.sql.name", n, &rules::NAME),
                            None => Ok(()),
                        }
                    }
                }
            }
            JobSource::Athena(s) => {
                check("source.athena.catalog", &s.catalog, &rules::NAME)?;
                check("source.athena.database", &s.database, &rules::NAME)?;
                check("source.athena.table", &s.table, &rules::NAME)?;
                check("source.athena.workgroup", &s.workgroup, &rules::ATHENA_WORKGROUP)?;
                match &s.output_location {
                    Some(l) => check("source.athena.outputLocation", l, &rules::S3_LOCATION),
                    None => Ok(()),
                }
            }
            JobSource::Parquet(s) => check("source.parquet.uri", &s.uri, &rules::PARQUET_URI),
            JobSource::Redshift(s) => {
                match &s.target {
                    RedshiftTarget::Workgroup(w) => {
                        check("source.redshift.target.workgroup", w, &rules::REDSHIFT_WORKGROUP)?
                    }
                    RedshiftTarget::Cluster(c) => check("source.redshift.target.cluster", c, &rules::REDSHIFT_CLUSTER)?,
                }
                check("source.redshift.database", &s.database, &rules::REDSHIFT_NAME)?;
                check("source.redshift.schema", &s.schema, &rules::REDSHIFT_NAME)?;
                check("source.redshift.table", &s.table, &rules::REDSHIFT_NAME)?;
                match &s.auth {
                    Some(RedshiftAuth::SecretArn(arn)) => {
                        check("source.redshift.auth.secretArn", arn, &rules::SECRET_ARN)
                    }
                    Some(RedshiftAuth::DbUser(user)) => {
                        check("source.redshift.auth.dbUser", user, &rules::REDSHIFT_NAME)
                    }
                    None if matches!(s.target, RedshiftTarget::Cluster(_)) => {
                        fail("source.redshift.auth", CLUSTER_NEEDS_AUTH)
                    }
                    None => Ok(()),
                }
            }
        }
    }
}

/// Metadata-only Iceberg profiles read no rows (message of the worker and the CRD).
pub const METADATA_ONLY_TAKES_NO_SAMPLING: &str = "metadata-only profiling reads no rows, so it takes no sampling";

/// Pushdown aggregates the whole table (message of the worker and the CRD).
pub const PUSHDOWN_TAKES_NO_SAMPLING: &str =
    "pushdown profiles the whole table; use method: sample to profile a sample";

/// A fixed fan-out needs data files to split (message of the worker and the CRD).
pub const FAN_OUT_NEEDS_FILES: &str = "parallelism above 1 splits data files: Athena and Redshift tables are profiled by one query; set parallelism to 1 or auto";

/// Metadata-only profiles read no data file (message of the worker and the CRD).
pub const FAN_OUT_NOT_METADATA_ONLY: &str =
    "parallelism above 1 splits data files, and a metadata-only profile reads none; set parallelism to 1 or auto";

/// Rules are verified in one scan (message of the worker and the CRD).
pub const FAN_OUT_NOT_WITH_RULES: &str =
    "a job with rules verifies them in one scan by one task; set parallelism to 1 or auto, or drop spec.rules";

/// Why a job of `source` (with rules or not, `sampling`, `incremental`) runs as one task whatever
/// its `parallelism`, or None when its table can be split into groups: one rule for the job
/// document and the ProfileJob's spec.
pub fn single_task_reason(
    source: &JobSource,
    has_rules: bool,
    sampling: &Sampling,
    incremental: bool,
) -> Option<&'static str> {
    match source {
        JobSource::Athena(_) | JobSource::Redshift(_) => return Some(FAN_OUT_NEEDS_FILES),
        JobSource::Iceberg(i) if i.metadata_only => return Some(FAN_OUT_NOT_METADATA_ONLY),
        _ => {}
    }
    if has_rules {
        return Some(FAN_OUT_NOT_WITH_RULES);
    }
    if matches!(sampling, Sampling::Reservoir { .. }) {
        return Some(FAN_OUT_NOT_RESERVOIR);
    }
    if incremental {
        return Some(FAN_OUT_NOT_INCREMENTAL);
    }
    None
}

/// Reservoir samples of groups do not merge into one sample (message of the worker and the CRD).
pub const FAN_OUT_NOT_RESERVOIR: &str = "reservoir samples of separate groups do not merge into one sample; set parallelism to 1 or auto, or sample with bernoulli";

/// A fixed fan-out is not incremental (message of the worker and the CRD).
pub const FAN_OUT_NOT_INCREMENTAL: &str =
    "an incremental run reads the appended files in one task; set parallelism to 1 or auto, or drop incremental";

/// Incremental runs follow Iceberg snapshots (message of the worker and the CRD).
pub const INCREMENTAL_NEEDS_ICEBERG: &str =
    "incremental profiles follow an Iceberg table's snapshots; only source.iceberg can be incremental";

/// Incremental runs scan data files (message of the worker and the CRD).
pub const INCREMENTAL_NOT_METADATA_ONLY: &str = "an incremental run scans the appended data files, and a metadata-only profile reads none; drop metadataOnly or incremental";

/// Incremental runs add full scans (message of the worker and the CRD).
pub const INCREMENTAL_NOT_SAMPLED: &str = "an incremental run adds a full scan of the appended files to a full profile; use sampling method full or drop incremental";

/// Rules are verified over the whole table (message of the worker and the CRD).
pub const INCREMENTAL_NOT_WITH_RULES: &str = "rules are verified over every row, and an incremental run reads only the appended ones; drop spec.rules or incremental";

/// A provisioned cluster needs credentials (message of the worker and the CRD).
pub const CLUSTER_NEEDS_AUTH: &str = "a provisioned cluster needs a secretArn or a dbUser";

/// Checks `value` of `field` against `rule`.
fn check(field: &str, value: &str, rule: &StringRule) -> Result<(), JobDocumentError> {
    rule.check(value).or_else(|message| fail(field, message))
}
