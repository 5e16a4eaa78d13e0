//! The connector verbs on the command line (`test-connection`, `schema URI`, `count`, `sample`)
//! and `profile` on Athena and Redshift tables: thin shells around `profiler_worker::verbs` that
//! print a table or JSON to stdout and errors to stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use profiler_crds::quality::{CheckReport, RuleSet};
use profiler_crds::{IcebergCatalog, QueryMethod, Sampling, TableProfile};
use profiler_engine::ProfileOptions;
use profiler_store::DatabaseConfig;
use profiler_worker::WorkerError;
use profiler_worker::connector::statement::{Cancel, PollPolicy};
use profiler_worker::report::{html, json, terminal};
use profiler_worker::sink::{RunIdentity, RunOutputs, RunRecorder, record_outcome};
use profiler_worker::source::uri::SourceUri;
use profiler_worker::verbs::{self, parse_duration};
use serde::Serialize;
use uuid::Uuid;

use super::{CheckArgs, ProfileArgs, file_uri, job_name_for};

/// Rows `profile --sample` pulls back from Athena or Redshift when no size is given.
const DEFAULT_SQL_SAMPLE_ROWS: u64 = 100_000;

/// How queries on Athena and Redshift are followed.
#[derive(Args, Debug, Clone)]
pub struct QueryArgs {
    /// First wait before asking Athena / Redshift whether a query is done; waits then double, up
    /// to 5 s (or this, if longer). E.g. 200ms, 1s.
    #[arg(long, value_name = "DURATION", default_value = "200ms", value_parser = parse_duration)]
    pub poll_interval: Duration,
    /// Stop (StopQueryExecution / CancelStatement) a query still running after this long, and fail
    /// with exit code 3. E.g. 90s, 10m, 1h. Ctrl-C stops it too (exit code 130).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    pub timeout: Duration,
}

impl QueryArgs {
    /// The polling of `uri`'s queries; Ctrl-C stops them when `uri` is a SQL engine's table.
    fn policy(&self, uri: &SourceUri) -> PollPolicy {
        let mut policy = verbs::poll_policy(self.poll_interval, self.timeout);
        if uri.is_sql() {
            policy.cancel = Cancel::on_ctrl_c();
        }
        policy
    }
}

/// Arguments of `test-connection`, `count` and `sample`.
#[derive(Args)]
pub struct VerbArgs {
    /// The source: athena://, redshift://, iceberg+glue://, iceberg+rest://, a Parquet file,
    /// directory or glob, or an Iceberg table directory or metadata file (docs/sources.md).
    pub uri: String,
    /// Print JSON instead of a table (JSON lines for `sample`).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub query: QueryArgs,
}

/// Arguments of `sample`.
#[derive(Args)]
pub struct SampleArgs {
    #[command(flatten)]
    pub verb: VerbArgs,
    /// Rows to return (1 to 10000).
    #[arg(short = 'n', long = "rows", default_value_t = 20)]
    pub rows: usize,
}

/// Runs `work` on `uri` on a fresh runtime and prints its result; the exit code.
fn run_verb<T: Serialize>(
    args: &VerbArgs,
    work: impl AsyncFnOnce(SourceUri, PollPolicy) -> Result<T, WorkerError>,
    table: impl FnOnce(&T) -> String,
    outcome: impl FnOnce(&T) -> i32,
) -> ExitCode {
    let result = (|| {
        let uri = SourceUri::parse(&args.uri)?;
        let runtime = profiler_worker::runtime::multi_thread(2)?;
        runtime.block_on(async {
            let policy = args.query.policy(&uri);
            work(uri, policy).await
        })
    })();
    match result {
        Ok(value) => {
            if args.json {
                match serde_json::to_string_pretty(&value) {
                    Ok(text) => println!("{text}"),
                    Err(e) => return fail(&WorkerError::InvalidRequest(e.to_string())),
                }
            } else {
                print!("{}", table(&value));
            }
            ExitCode::from(outcome(&value) as u8)
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &WorkerError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(e.exit_code() as u8)
}

/// `profiler test-connection URI`: 0 when every step passed, else the failed step's code.
pub fn test_connection(args: &VerbArgs) -> ExitCode {
    run_verb(
        args,
        async |uri, poll| verbs::test_connection(&uri, &poll).await,
        verbs::ConnectionReport::to_table,
        |r| r.exit_code,
    )
}

/// `profiler schema URI`.
pub fn schema(args: &VerbArgs) -> ExitCode {
    run_verb(args, async |uri, poll| verbs::schema(&uri, &poll).await, verbs::TableSchema::to_table, |_| 0)
}

/// `profiler count URI`.
pub fn count(args: &VerbArgs) -> ExitCode {
    run_verb(args, async |uri, poll| verbs::count(&uri, &poll).await, verbs::RowCount::to_table, |_| 0)
}

/// `profiler sample URI -n N`: a table, or JSON lines with --json.
pub fn sample(args: &SampleArgs) -> ExitCode {
    let n = args.rows;
    let lines = VerbArgs { uri: args.verb.uri.clone(), json: false, query: args.verb.query.clone() };
    let json_lines = args.verb.json;
    run_verb(
        &lines,
        async move |uri, poll| verbs::sample(&uri, n, &poll).await,
        move |s: &verbs::Sample| if json_lines { s.to_json_lines() } else { s.to_table() },
        |_| 0,
    )
}

/// Where `profile`'s SOURCE leads.
pub enum Resolved {
    /// An Athena or Redshift table, profiled by its engine.
    Sql(SourceUri, Box<ProfileArgs>),
    /// Files or an Iceberg table, read by the profiler (a catalog's table by URI rewritten as
    /// --catalog and namespace.table).
    Files(Box<ProfileArgs>),
}

/// Resolves `profile`'s SOURCE: a URI, or (with --catalog) namespace.table, or a path.
pub fn resolve_source(mut args: ProfileArgs) -> Result<Resolved, WorkerError> {
    if args.catalog.is_some() {
        return Ok(Resolved::Files(Box::new(args)));
    }
    let uri = SourceUri::parse(&args.source)?;
    if uri.is_sql() {
        return Ok(Resolved::Sql(uri, Box::new(args)));
    }
    if args.sample {
        return Err(WorkerError::InvalidRequest(
            "--sample applies to Athena and Redshift tables; sample files with --sample-rows or --sample-fraction"
                .into(),
        ));
    }
    match &uri {
        SourceUri::Iceberg { catalog, namespace, table } => {
            if table.contains('.') {
                return Err(WorkerError::InvalidRequest(format!(
                    "{uri}: Iceberg table names with a dot are not supported"
                )));
            }
            if args.warehouse.is_some() {
                return Err(WorkerError::InvalidRequest(format!("{uri}: give the warehouse in the URI (?warehouse=)")));
            }
            let (value, warehouse) = match catalog {
                IcebergCatalog::Glue { catalog_id: None } => ("glue".to_owned(), None),
                IcebergCatalog::Glue { catalog_id: Some(id) } => (format!("glue:{id}"), None),
                IcebergCatalog::Rest { uri, warehouse } => (uri.clone(), warehouse.clone()),
                other => return Err(WorkerError::InvalidRequest(format!("{other:?} is named with --catalog"))),
            };
            args.catalog = Some(value);
            args.warehouse = warehouse;
            args.source = format!("{namespace}.{table}");
        }
        SourceUri::Files(_) | SourceUri::Athena(_) | SourceUri::Redshift(_) => {}
    }
    Ok(Resolved::Files(Box::new(args)))
}

/// `profiler profile` on an Athena or Redshift table: pushdown, or a sample with --sample (or a
/// sample size); the same outputs and store recording as a file's run.
pub fn profile_sql_table(mut uri: SourceUri, args: &ProfileArgs) -> Result<(), WorkerError> {
    let refused = [
        (args.format.is_some(), "--format"),
        (args.snapshot_id.is_some(), "--snapshot-id"),
        (args.metadata_only, "--metadata-only"),
    ];
    if let Some((_, flag)) = refused.iter().find(|(set, _)| *set) {
        return Err(WorkerError::InvalidRequest(format!("{flag} does not apply to {uri}")));
    }
    let sampling = match (args.sample_rows, args.sample_fraction) {
        (Some(size), _) => Sampling::Reservoir { size, seed: args.seed },
        (None, Some(fraction)) => Sampling::Bernoulli { fraction, seed: args.seed },
        (None, None) if args.sample => Sampling::Reservoir { size: DEFAULT_SQL_SAMPLE_ROWS, seed: args.seed },
        (None, None) => Sampling::Full,
    };
    let method = if sampling == Sampling::Full { QueryMethod::Pushdown } else { QueryMethod::Sample };
    uri.set_method(method);
    let options = ProfileOptions { histogram_bins: args.bins, top_k: args.top_k, ..ProfileOptions::default() };
    let label = args.job_name.clone().unwrap_or_else(|| job_name_for(&args.source));
    let recorder = match &args.database_url {
        Some(url) => {
            let identity =
                RunIdentity { namespace: args.namespace.clone(), name: label.clone(), uid: Uuid::new_v4(), attempt: 1 };
            let spec = serde_json::json!({
                "source": { "uri": uri.to_string(), "method": method },
                "columns": args.columns,
                "sampling": sampling,
                "runner": "profiler CLI",
            });
            Some(RunRecorder::start(&DatabaseConfig::from_url(url)?, identity, spec)?)
        }
        None => None,
    };
    let outcome = (|| {
        let runtime = profiler_worker::runtime::multi_thread(2)?;
        let profile = runtime.block_on(async {
            let policy = args.query.policy(&uri);
            verbs::profile_sql(&uri, args.columns.as_deref(), sampling, &options, &policy).await
        })?;
        write_outputs(profile, args)
    })();
    let (_, stored_as) = record_outcome(recorder, outcome, |(profile, json, html)| RunOutputs {
        profile,
        profile_uri: file_uri(json),
        report_uri: file_uri(html),
        comparison: None,
        check: None,
    })?;
    if let Some(uid) = stored_as
        && !args.quiet
    {
        println!("stored in the profile store as {}/{label} (job uid {uid})", args.namespace);
    }
    Ok(())
}

/// Writes profile.json and report.html into --out, prints the summary (unless --quiet).
pub fn write_outputs(
    profile: TableProfile,
    args: &ProfileArgs,
) -> Result<(TableProfile, PathBuf, PathBuf), WorkerError> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| WorkerError::Output { path: args.out.clone(), reason: e.to_string() })?;
    let json_path = args.out.join("profile.json");
    let html_path = args.out.join("report.html");
    json::write(&profile, &json_path)?;
    html::write(&profile, &html_path)?;
    if !args.quiet {
        print!("{}", terminal::render(&profile));
        println!("\nwrote {} and {}", json_path.display(), html_path.display());
    }
    Ok((profile, json_path, html_path))
}

/// The Athena or Redshift table `source` names, when it names one (`None` for files, Iceberg
/// tables, and any source given with --catalog).
pub fn sql_table(source: &str, with_catalog: bool) -> Result<Option<SourceUri>, WorkerError> {
    if with_catalog {
        return Ok(None);
    }
    let uri = SourceUri::parse(source)?;
    Ok(uri.is_sql().then_some(uri))
}

/// `profiler check` on an Athena or Redshift table: the rules by pushdown in one query over every
/// row; with --profile, in the profile's own aggregate query.
pub fn check_sql_table(
    uri: &SourceUri,
    args: &CheckArgs,
    rules: &RuleSet,
) -> Result<(CheckReport, Option<TableProfile>), WorkerError> {
    let refused = [(args.format.is_some(), "--format"), (args.snapshot_id.is_some(), "--snapshot-id")];
    if let Some((_, flag)) = refused.iter().find(|(set, _)| *set) {
        return Err(WorkerError::InvalidRequest(format!("{flag} does not apply to {uri}")));
    }
    let mut uri = uri.clone();
    uri.set_method(QueryMethod::Pushdown);
    let runtime = profiler_worker::runtime::multi_thread(2)?;
    runtime.block_on(async {
        let policy = args.query.policy(&uri);
        if args.profile {
            let options = ProfileOptions::default();
            let request =
                verbs::SqlRequest { columns: None, sampling: Sampling::Full, options: &options, rules: Some(rules) };
            let (profile, report) = verbs::profile_and_check_sql(&uri, &request, &policy).await?;
            let report =
                report.ok_or_else(|| WorkerError::InvalidRequest("the run produced no check report".into()))?;
            Ok((report, Some(profile)))
        } else {
            Ok((verbs::check_sql(&uri, rules, &policy).await?, None))
        }
    })
}
