//! `test-connection`: reaches the source and checks, one step at a time, what profiling it
//! needs (Athena: workgroup, result location, database, table; Redshift: secret, a query,
//! schema and table; Iceberg: catalog, metadata; files: files, footers; files on S3: bucket,
//! list objects, files, footers). The first failed step says what went wrong in the service's
//! words and what to fix; the steps after it are skipped.

use profiler_aws::{AwsCallError, FailureClass, ProvideErrorMetadata, SdkError, configured_endpoint};
use profiler_crds::{AthenaSource, IcebergCatalog, RedshiftAuth, RedshiftSource};
use serde::Serialize;

use super::text_table;
use crate::connector::athena::AthenaConnector;
use crate::connector::profile::SqlSource;
use crate::connector::redshift::RedshiftConnector;
use crate::connector::statement::PollPolicy;
use crate::error::{WorkerError, exit_code};
use crate::source::SourceSpec;
use crate::source::iceberg::IcebergSource;
use crate::source::parquet::{ParquetSource, S3Prefix, resolve_files};
use crate::source::s3_storage::has_s3_scheme;
use crate::source::uri::SourceUri;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// It worked.
    Passed,
    /// It failed; see `detail` and `fix`.
    Failed,
    /// Not tried, because an earlier step failed.
    Skipped,
}

/// One checked step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// What was checked.
    pub name: String,
    /// How it ended.
    pub status: StepStatus,
    /// What was found, or what went wrong (the service's words).
    pub detail: String,
    /// What to do about a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The outcome of `test-connection`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    /// The source as named.
    pub source: String,
    /// Whether every step passed.
    pub ok: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The CLI's exit code: 0, or that of the failure (2: fix the request or the permissions;
    /// 3: unreachable or throttled, retrying later may help).
    pub exit_code: i32,
}

impl ConnectionReport {
    /// The steps as a text table, with the fix of a failed step under it.
    pub fn to_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .steps
            .iter()
            .map(|s| {
                let status = match s.status {
                    StepStatus::Passed => "ok",
                    StepStatus::Failed => "FAILED",
                    StepStatus::Skipped => "skipped",
                };
                vec![s.name.clone(), status.to_owned(), s.detail.clone()]
            })
            .collect();
        let mut out = format!("{}\n", self.source);
        out.push_str(&text_table(&["step", "status", "detail"], &rows));
        for step in self.steps.iter().filter(|s| s.status == StepStatus::Failed) {
            if let Some(fix) = &step.fix {
                out.push_str(&format!("\nfix ({}): {fix}\n", step.name));
            }
        }
        out.push_str(if self.ok { "\nconnection ok\n" } else { "\nconnection FAILED\n" });
        out
    }
}

/// A failed step: what went wrong, what to do, the exit code.
struct Failure {
    detail: String,
    fix: String,
    exit_code: i32,
}

impl Failure {
    fn new(detail: impl Into<String>, fix: impl Into<String>, exit_code: i32) -> Self {
        Self { detail: detail.into(), fix: fix.into(), exit_code }
    }

    /// A failed AWS call: AWS's words, and a fix by the kind of failure (`denied` names the
    /// permission, `missing` what to check when the resource does not exist).
    fn aws<E>(service: &'static str, operation: &'static str, error: &SdkError<E>, denied: &str, missing: &str) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let call = AwsCallError::new(service, operation, configured_endpoint().as_deref(), error);
        let not_found = call.code.as_deref().is_some_and(|c| c.contains("NotFound") || c.contains("NoSuch"))
            || call.detail.to_ascii_lowercase().contains("not found");
        let fix = match call.class {
            FailureClass::AccessDenied => format!("grant {denied} to the role or user of these credentials"),
            FailureClass::Unreachable | FailureClass::TimedOut => {
                "check the network, the region (AWS_REGION) and AWS_ENDPOINT_URL if set".to_owned()
            }
            FailureClass::Throttled => "retry later, or lower the request rate on the account".to_owned(),
            FailureClass::Request => "check the AWS configuration: region and credentials".to_owned(),
            _ if not_found => missing.to_owned(),
            _ => "read the service's message above".to_owned(),
        };
        let exit = if call.is_transient() { exit_code::SOURCE_UNREADABLE } else { exit_code::BAD_INPUT };
        Self { detail: call.to_string(), fix, exit_code: exit }
    }

    /// A failed worker operation, with `fix` unless the error says it was unreachable.
    fn worker(error: &WorkerError, fix: &str) -> Self {
        let text = error.to_string();
        let fix = if text.contains("cannot reach") || text.contains("in time") {
            "check the network, the region (AWS_REGION) and AWS_ENDPOINT_URL if set".to_owned()
        } else if text.contains("access denied") || text.contains("AccessDenied") || text.contains("not authorized") {
            format!("grant the permission named above to these credentials; {fix}")
        } else {
            fix.to_owned()
        };
        Self { detail: text, fix, exit_code: error.exit_code() }
    }
}

/// Records steps; after a failure the remaining ones are skipped.
struct Steps {
    source: String,
    steps: Vec<Step>,
}

impl Steps {
    fn pass(&mut self, name: &str, detail: impl Into<String>) {
        self.steps.push(Step { name: name.into(), status: StepStatus::Passed, detail: detail.into(), fix: None });
    }

    fn fail(mut self, name: &str, failure: Failure, remaining: &[&str]) -> ConnectionReport {
        self.steps.push(Step {
            name: name.into(),
            status: StepStatus::Failed,
            detail: failure.detail,
            fix: Some(failure.fix),
        });
        for rest in remaining {
            self.steps.push(Step {
                name: (*rest).into(),
                status: StepStatus::Skipped,
                detail: "not tried: an earlier step failed".into(),
                fix: None,
            });
        }
        ConnectionReport { source: self.source, ok: false, steps: self.steps, exit_code: failure.exit_code }
    }

    fn done(self) -> ConnectionReport {
        ConnectionReport { source: self.source, ok: true, steps: self.steps, exit_code: exit_code::SUCCESS }
    }
}

/// Checks that the source `uri` names can be profiled, step by step. An `Err` only for a failure
/// outside the steps (a runtime that cannot start); a failed step is in the report.
pub async fn test_connection(uri: &SourceUri, poll: &PollPolicy) -> Result<ConnectionReport, WorkerError> {
    let steps = Steps { source: uri.to_string(), steps: Vec::new() };
    Ok(match uri {
        SourceUri::Athena(source) => athena(steps, source, poll).await,
        SourceUri::Redshift(source) => redshift(steps, source, poll).await,
        other => match other.file_spec(None) {
            Some(SourceSpec::Iceberg { location, snapshot_id, catalog }) => {
                iceberg(steps, &location, snapshot_id, catalog.as_ref()).await
            }
            Some(SourceSpec::Parquet { location }) => parquet(steps, &location).await,
            None => steps.done(),
        },
    })
}

const ATHENA_STEPS: [&str; 4] = ["workgroup", "result location", "database", "table"];

async fn athena(mut steps: Steps, source: &AthenaSource, poll: &PollPolicy) -> ConnectionReport {
    let config = crate::aws::sdk_config().await;
    let client = crate::aws::athena_client(&config);
    let rest = |i: usize| &ATHENA_STEPS[i + 1..];

    // 1. The workgroup exists, is enabled; where it puts results.
    let wg = &source.workgroup;
    let workgroup = match client.get_work_group().work_group(wg).send().await {
        Ok(out) => out.work_group().cloned(),
        Err(e) => {
            let f = Failure::aws(
                "Athena",
                "GetWorkGroup",
                &e,
                &format!("athena:GetWorkGroup on workgroup {wg}"),
                &format!("workgroup {wg} does not exist: name another with ?workgroup= or create it"),
            );
            return steps.fail("workgroup", f, rest(0));
        }
    };
    let Some(workgroup) = workgroup else {
        let f = Failure::new(
            format!("workgroup {wg} does not exist"),
            "name an existing workgroup with ?workgroup= (default: primary), or create it",
            exit_code::BAD_INPUT,
        );
        return steps.fail("workgroup", f, rest(0));
    };
    if workgroup.state().is_some_and(|s| s.as_str() == "DISABLED") {
        let f = Failure::new(
            format!("workgroup {wg} is disabled"),
            format!("enable it (aws athena update-work-group --work-group {wg} --state ENABLED) or name another"),
            exit_code::BAD_INPUT,
        );
        return steps.fail("workgroup", f, rest(0));
    }
    let configuration = workgroup.configuration();
    let enforced = configuration.and_then(|c| c.enforce_work_group_configuration()).unwrap_or(false);
    let own = configuration.and_then(|c| c.result_configuration()).and_then(|r| r.output_location()).map(str::to_owned);
    steps.pass(
        "workgroup",
        format!("{wg} exists and is enabled{}", if enforced { "; it enforces its settings" } else { "" }),
    );

    // 2. A result location, and it is writable.
    let location = if enforced {
        own.clone().or(source.output_location.clone())
    } else {
        source.output_location.clone().or(own.clone())
    };
    let Some(location) = location else {
        let f = Failure::new(
            format!("neither the URI nor workgroup {wg} names a query result location"),
            "add ?output=s3://BUCKET/PREFIX/ to the URI, or set a result location on the workgroup",
            exit_code::BAD_INPUT,
        );
        return steps.fail("result location", f, rest(1));
    };
    if let Err(f) = probe_write(&config, &location).await {
        return steps.fail("result location", f, rest(1));
    }
    steps.pass("result location", format!("{location} is writable"));

    // 3. The catalog's database is visible.
    let (catalog, database) = (&source.catalog, &source.database);
    if let Err(e) = client.get_database().catalog_name(catalog).database_name(database).send().await {
        let f = Failure::aws(
            "Athena",
            "GetDatabase",
            &e,
            &format!("athena:GetDatabase and glue:GetDatabase on {catalog}/{database}"),
            &format!(
                "database {database} is not in catalog {catalog}: check the name (SHOW DATABASES) and the catalog"
            ),
        );
        return steps.fail("database", f, rest(2));
    }
    steps.pass("database", format!("{database} is visible in catalog {catalog}"));

    // 4. The table's columns are visible to a query.
    let connector = AthenaConnector::new(client, source.clone(), poll.clone());
    match table_columns(
        &connector,
        &format!("SHOW TABLES IN {database} lists the tables (the Glue catalog keeps names in lower case)"),
    )
    .await
    {
        Ok(detail) => steps.pass("table", detail),
        Err(f) => return steps.fail("table", f, &[]),
    }
    steps.done()
}

/// Writes and deletes an empty object under `location`.
async fn probe_write(config: &aws_config::SdkConfig, location: &str) -> Result<(), Failure> {
    let Some((bucket, prefix)) = location.strip_prefix("s3://").map(|r| r.split_once('/').unwrap_or((r, ""))) else {
        return Err(Failure::new(
            format!("{location} is not an s3:// location"),
            "write the result location as s3://BUCKET/PREFIX/",
            exit_code::BAD_INPUT,
        ));
    };
    let prefix = if prefix.is_empty() || prefix.ends_with('/') { prefix.to_owned() } else { format!("{prefix}/") };
    let key = format!("{prefix}.profiler-test-connection-{}", uuid::Uuid::new_v4());
    let s3 = crate::aws::s3_client(config);
    if let Err(e) = s3.put_object().bucket(bucket).key(&key).body(Vec::new().into()).send().await {
        return Err(Failure::aws(
            "S3",
            "PutObject",
            &e,
            &format!("s3:PutObject on arn:aws:s3:::{bucket}/{prefix}*"),
            &format!("bucket {bucket} does not exist: create it or name another with ?output="),
        ));
    }
    // Leaving the probe behind is harmless; a failed delete does not fail the step.
    let _ = s3.delete_object().bucket(bucket).key(&key).send().await;
    Ok(())
}

/// The table's columns through `information_schema`; a table that lists none is not found.
async fn table_columns<S: SqlSource>(connector: &S, missing_fix: &str) -> Result<String, Failure> {
    match connector.described_columns(&mut 0).await {
        Ok(columns) if columns.is_empty() => Err(Failure::new(
            format!("{}: information_schema lists no columns for it", connector.location()),
            format!("check the table's name and that these credentials may see it; {missing_fix}"),
            exit_code::BAD_INPUT,
        )),
        Ok(columns) => Ok(format!("{} columns visible", columns.len())),
        Err(e) => Err(Failure::worker(&e, "check that these credentials may query the table")),
    }
}

const REDSHIFT_STEPS: [&str; 4] = ["credentials", "query", "schema", "table"];

async fn redshift(mut steps: Steps, source: &RedshiftSource, poll: &PollPolicy) -> ConnectionReport {
    let config = crate::aws::sdk_config().await;
    let rest = |i: usize| &REDSHIFT_STEPS[i + 1..];

    // 1. The credentials: the secret is readable.
    match &source.auth {
        Some(RedshiftAuth::SecretArn(arn)) => {
            let secrets = crate::aws::secrets_client(&config);
            if let Err(e) = secrets.get_secret_value().secret_id(arn).send().await {
                let f = Failure::aws(
                    "Secrets Manager",
                    "GetSecretValue",
                    &e,
                    &format!("secretsmanager:GetSecretValue on {arn} (and kms:Decrypt on its key)"),
                    &format!("secret {arn} does not exist: check the ARN in ?secret="),
                );
                return steps.fail("credentials", f, rest(0));
            }
            steps.pass("credentials", format!("secret {arn} is readable"));
        }
        Some(RedshiftAuth::DbUser(user)) => steps.pass(
            "credentials",
            format!("database user {user}, temporary credentials from IAM (checked by the query)"),
        ),
        None => steps.pass("credentials", "IAM identity of these credentials (checked by the query)"),
    }

    // 2. A query runs in the database.
    let connector = RedshiftConnector::new(crate::aws::redshift_client(&config), source.clone(), poll.clone());
    if let Err(e) = connector.run("run a query", "SELECT 1", &mut 0).await {
        let fix = format!(
            "check the workgroup or cluster and database {} exist, and grant redshift-data:ExecuteStatement, \
             redshift-data:DescribeStatement, redshift-data:GetStatementResult and the credentials' \
             redshift-serverless:GetCredentials or redshift:GetClusterCredentials",
            source.database
        );
        return steps.fail("query", Failure::worker(&e, &fix), rest(1));
    }
    steps.pass("query", format!("SELECT 1 ran in database {}", source.database));

    // 3 and 4. The schema, then the table's columns, are visible.
    match connector.described_columns(&mut 0).await {
        Ok(columns) if !columns.is_empty() => {
            steps.pass("schema", format!("{} is visible", source.schema));
            steps.pass("table", format!("{} columns visible", columns.len()));
            steps.done()
        }
        Ok(_) => {
            let schema_seen = schema_exists(&connector, &source.schema).await;
            match schema_seen {
                Ok(true) => {
                    steps.pass("schema", format!("{} is visible", source.schema));
                    let f = Failure::new(
                        format!("{}: no table {:?} in schema {:?}", connector.location(), source.table, source.schema),
                        "check the table's name (case matters for quoted names) and grant SELECT on it (or USAGE on the schema)",
                        exit_code::BAD_INPUT,
                    );
                    steps.fail("table", f, &[])
                }
                Ok(false) => {
                    let f = Failure::new(
                        format!("no schema {:?} in database {}", source.schema, source.database),
                        "check the schema's name, and grant USAGE on it to the database user",
                        exit_code::BAD_INPUT,
                    );
                    steps.fail("schema", f, rest(2))
                }
                Err(e) => steps.fail("schema", Failure::worker(&e, "grant access to information_schema"), rest(2)),
            }
        }
        Err(e) => steps.fail("schema", Failure::worker(&e, "grant access to information_schema"), rest(2)),
    }
}

/// Whether `information_schema` lists the schema (its name a literal quoted by the dialect).
async fn schema_exists(connector: &RedshiftConnector, schema: &str) -> Result<bool, WorkerError> {
    let literal = connector.dialect().quote_literal(schema)?;
    let sql = format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = {literal}");
    let rows = connector.run("look for the schema", &sql, &mut 0).await?;
    Ok(rows.first().and_then(|r| r.first().cloned().flatten()).is_some_and(|n| n.trim() != "0"))
}

async fn iceberg(
    mut steps: Steps,
    location: &str,
    snapshot_id: Option<i64>,
    catalog: Option<&IcebergCatalog>,
) -> ConnectionReport {
    if let Some(catalog) = catalog {
        let found = match crate::source::catalog::split_identifier(location) {
            Ok((namespace, table)) => {
                crate::source::catalog::metadata_location(catalog, namespace, table, crate::aws::sdk_config).await
            }
            Err(e) => Err(e),
        };
        match found {
            Ok(metadata) => steps.pass("catalog", format!("{location} is registered; metadata at {metadata}")),
            Err(e) => {
                let fix = match catalog {
                    IcebergCatalog::Glue { .. } => {
                        "check the namespace and table in Glue (aws glue get-table), and grant glue:GetTable"
                    }
                    IcebergCatalog::Rest { .. } => {
                        "check the REST catalog's address, warehouse and the namespace and table"
                    }
                    _ => "check the catalog and the namespace and table",
                };
                return steps.fail("catalog", Failure::worker(&e, fix), &["table metadata"]);
            }
        }
    }
    match IcebergSource::open(location, catalog, snapshot_id, None).await {
        Ok(table) => {
            let snapshot = table.snapshot_id().map_or("no snapshot yet".to_owned(), |id| format!("snapshot {id}"));
            steps.pass("table metadata", format!("readable: {snapshot}, {} columns", table.schema.fields().len()));
            steps.done()
        }
        Err(e) => steps.fail(
            "table metadata",
            Failure::worker(
                &e,
                "check that the metadata and data files are readable (s3:GetObject on the table's location)",
            ),
            &[],
        ),
    }
}

async fn parquet(mut steps: Steps, location: &str) -> ConnectionReport {
    if has_s3_scheme(location) {
        return s3_parquet(steps, location).await;
    }
    match resolve_files(location) {
        Ok(files) => steps.pass("files", format!("{} Parquet file(s)", files.len())),
        Err(e) => return steps.fail("files", Failure::worker(&e, "check the path or glob"), &["footers"]),
    }
    footers(steps, location).await
}

/// Every footer reads, with one schema.
async fn footers(mut steps: Steps, location: &str) -> ConnectionReport {
    match ParquetSource::open_any(location, None).await {
        Ok(source) => {
            steps.pass(
                "footers",
                format!("readable: {} rows, {} columns", source.total_rows, source.schema.fields().len()),
            );
            steps.done()
        }
        Err(e) => {
            let fix = "profile files of one schema that are readable Parquet (on S3: grant s3:GetObject on them)";
            steps.fail("footers", Failure::worker(&e, fix), &[])
        }
    }
}

const S3_PARQUET_STEPS: [&str; 4] = ["bucket", "list objects", "files", "footers"];

async fn s3_parquet(mut steps: Steps, location: &str) -> ConnectionReport {
    let rest = |i: usize| &S3_PARQUET_STEPS[i + 1..];
    let prefix = match S3Prefix::parse(location) {
        Ok(prefix) => prefix,
        Err(e) => {
            let fix = "write the location as s3://BUCKET/PREFIX/ or s3://BUCKET/PREFIX/*.parquet";
            return steps.fail("bucket", Failure::worker(&e, fix), rest(0));
        }
    };
    let config = crate::aws::sdk_config().await;
    let client = crate::aws::s3_client(&config);
    let bucket = prefix.bucket();

    // 1. The bucket exists and answers.
    if let Err(e) = client.head_bucket().bucket(bucket).send().await {
        let f = Failure::aws(
            "S3",
            "HeadBucket",
            &e,
            &format!("s3:ListBucket on arn:aws:s3:::{bucket}"),
            &format!("bucket {bucket} does not exist: check its name"),
        );
        return steps.fail("bucket", f, rest(0));
    }
    steps.pass("bucket", format!("{bucket} is reachable"));

    // 2 and 3. The objects may be listed, and the location selects Parquet files among them.
    let grant = format!("grant s3:ListBucket on arn:aws:s3:::{bucket}");
    match prefix.list(&client).await {
        Ok(listing) => {
            steps.pass("list objects", format!("{} object(s) listed", listing.listed));
            steps.pass("files", format!("{} Parquet file(s)", listing.objects.len()));
        }
        Err(e @ WorkerError::NoParquetObjects { listed, .. }) => {
            steps.pass("list objects", format!("{listed} object(s) listed"));
            let fix = "check the prefix or glob: objects ending in .parquet below it (hidden _ and . keys skipped)";
            return steps.fail("files", Failure::worker(&e, fix), rest(2));
        }
        Err(e) => return steps.fail("list objects", Failure::worker(&e, &grant), rest(1)),
    }

    // 4. Every footer reads, with one schema.
    footers(steps, location).await
}
