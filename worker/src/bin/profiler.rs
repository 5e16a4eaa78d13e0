//! `profiler`: profile Parquet files or a local Iceberg table from the command line, and
//! optionally record the run in the Postgres profile store.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Args, Parser, Subcommand};
use profiler_crds::{DriftThresholds, Sampling, Severity};
use profiler_engine::{CompareError, ProfileOptions, compare, merge_profiles};
use profiler_store::{DatabaseConfig, Store};
use profiler_worker::mcp::McpOptions;
use profiler_worker::mcp::limits::LimitsConfig;
use profiler_worker::quality::check as check_json;
use profiler_worker::quality::read::read_rule_set;
use profiler_worker::report::{check_terminal, diff_html, diff_json, diff_terminal, html, json};
use profiler_worker::sink::{RunIdentity, RunOutputs, RunRecorder, record_outcome};
use profiler_worker::source::catalog::parse_catalog;
use profiler_worker::{
    ProfileRequest, Progress, SourceSpec, WorkerError, check, exit_code, profile, profile_and_check,
};
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

#[path = "profiler/quality_cli.rs"]
mod quality_cli;
#[path = "profiler/verb_cli.rs"]
mod verb_cli;

/// Profile data tables: row counts, nulls, distinct values, quantiles, histograms, top values and
/// content types of every column, into profile.json and an HTML report.
///
/// Sources: Parquet files, directories and globs; Iceberg tables (a table directory, a metadata
/// file, or NAMESPACE.TABLE in a Glue, S3 Tables, REST or SQL catalog named by --catalog).
/// Exit codes: 0 success, 2 bad input, 3 source unreadable, 4 output not written, 1 internal error,
/// 5 a rule of `check` failed or could not be evaluated, 6 drift at or above `diff --fail-on`'s
/// severity.
///
/// Sources by URI (docs/sources.md): athena://[CATALOG/]DATABASE.TABLE[?workgroup=..&output=s3://..],
/// redshift://WORKGROUP/DATABASE/SCHEMA.TABLE (or cluster:ID, with ?secret=ARN or ?user=USER),
/// iceberg+glue://NAMESPACE.TABLE, iceberg+rest://HOST[:PORT]/NAMESPACE.TABLE. Their failures exit
/// with 2 when the request or permissions must change, 3 when AWS is unreachable or throttles or a
/// query runs past --timeout, 130 when Ctrl-C stopped the running query.
#[derive(Parser)]
#[command(name = "profiler", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Profile a Parquet file, directory or glob, or an Iceberg table (a directory, a metadata
    /// file, or NAMESPACE.TABLE with --catalog).
    Profile(Box<ProfileArgs>),
    /// Verify a rule set (rules.yaml) against a source in one scan: prints a pass/fail table,
    /// writes check.json (with --profile also profile.json and report.html from the same scan);
    /// exit code 5 when a rule fails or cannot be evaluated.
    Check(Box<CheckArgs>),
    /// Recommend data quality rules from a profile.json: writes rules.yaml (docs/rules.md), with
    /// --export also DQDL, a Great Expectations suite or Soda checks, and prints the rules.
    Suggest(Box<quality_cli::SuggestArgs>),
    /// Rule set files: `rules export` writes one as DQDL, a Great Expectations suite or Soda
    /// checks; `rules validate` checks one (exit code 2 naming the rule and field).
    #[command(subcommand)]
    Rules(quality_cli::RulesCommand),
    /// Merge two profile.json files of disjoint parts of one table.
    Merge {
        /// First profile.
        a: PathBuf,
        /// Second profile.
        b: PathBuf,
        /// Where to write the merged profile.
        #[arg(short, long, default_value = "merged-profile.json")]
        output: PathBuf,
    },
    /// Compare profile B with an earlier profile A of the same table (drift): writes diff.json and
    /// diff.html, prints the findings; exit code 6 with --fail-on when a finding is that severe.
    Diff(Box<DiffArgs>),
    /// With a source URI: its columns (name, source type, Arrow type, nullability). Without one:
    /// print the JSON Schema of profile.json (with --diff: of diff.json).
    Schema {
        /// Print the schema of the comparison document diff.json instead.
        #[arg(long, conflicts_with = "uri")]
        diff: bool,
        /// Print the schema of a rule set (rules.yaml) instead.
        #[arg(long, conflicts_with_all = ["uri", "diff", "check"])]
        rules: bool,
        /// Print the schema of a check result (check.json) instead.
        #[arg(long, conflicts_with_all = ["uri", "diff"])]
        check: bool,
        /// The source whose columns to list (docs/sources.md).
        uri: Option<String>,
        /// With a URI: print JSON instead of a table.
        #[arg(long, requires = "uri")]
        json: bool,
        #[command(flatten)]
        query: verb_cli::QueryArgs,
    },
    /// Check that a source can be profiled, step by step (Athena: workgroup, result location,
    /// database, table; Redshift: secret, a query, schema, table; Iceberg: catalog, metadata;
    /// files: files, footers); a failed step says what went wrong and what to fix. Exit code 0
    /// when every step passed, else 2 (fix the request or permissions) or 3 (unreachable).
    TestConnection(Box<verb_cli::VerbArgs>),
    /// Count a source's rows: from metadata where it has them (Parquet footers, an Iceberg
    /// snapshot's summary), else COUNT(*) on the engine.
    Count(Box<verb_cli::VerbArgs>),
    /// Print a source's first rows, as a table or (--json) JSON lines.
    Sample(Box<verb_cli::SampleArgs>),
    /// Apply the profile store's migrations to a Postgres database (safe to run again).
    Migrate {
        /// postgres://user:password@host:port/database[?sslmode=require]
        #[arg(long, env = "PROFILER_DATABASE_URL", hide_env_values = true)]
        database_url: String,
    },
    /// Serve the profiler's tools to AI agents over the Model Context Protocol on stdin/stdout,
    /// within the limits set by --config and the flags (docs/agents.md).
    Mcp(Box<McpArgs>),
}

/// Limits of `profiler mcp`; lists add to the --config file's, values replace its values.
#[derive(Args)]
struct McpArgs {
    /// JSON file of limits: allowedSources, allowedDirs, maxSampleRows, readOnly,
    /// queryTimeoutSecs, outputDir (docs/agents.md).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A source URI prefix or glob agents may name (repeatable), matched against the canonical
    /// URI, e.g. 'athena://AwsDataCatalog/analytics.*'.
    #[arg(long = "allow-source", value_name = "PREFIX|GLOB")]
    allow_source: Vec<String>,
    /// A directory whose files agents may read (repeatable).
    #[arg(long = "allow-dir", value_name = "DIR")]
    allow_dir: Vec<PathBuf>,
    /// Most rows get_sample returns (default 100, at most 10000).
    #[arg(long)]
    max_sample_rows: Option<usize>,
    /// true (default): nothing is recorded in the profile store; files are written only under
    /// --output-dir.
    #[arg(long, value_name = "true|false")]
    read_only: Option<bool>,
    /// Seconds a tool's queries may run before they are stopped (default 300).
    #[arg(long, value_name = "SECONDS")]
    query_timeout: Option<u64>,
    /// Directory where the profile and diff tools write their documents.
    #[arg(long)]
    output_dir: Option<PathBuf>,
    /// Record profile runs in this Postgres profile store (needs --read-only false).
    #[arg(long, hide_env_values = true)]
    database_url: Option<String>,
}

/// Exit code of `profiler diff --fail-on S` when a finding of severity S or higher exists.
const DRIFT_FOUND: u8 = 6;

/// Exit code of `profiler check` when a rule fails or cannot be evaluated.
const RULES_FAILED: u8 = 5;

#[derive(Args)]
struct CheckArgs {
    /// The source, as `profile` takes it: Parquet file, directory or glob; an Iceberg table
    /// directory or *.metadata.json file; with --catalog, namespace.table; or an athena:// or
    /// redshift:// table, whose rules run by pushdown in one query (docs/rules.md).
    source: String,
    /// The rule set (rules.yaml, or the same document as JSON).
    #[arg(long)]
    rules: PathBuf,
    /// Iceberg catalog holding the table (as for `profile`).
    #[arg(long)]
    catalog: Option<String>,
    /// Name of the catalog inside a SQL catalog database.
    #[arg(long, requires = "catalog")]
    catalog_name: Option<String>,
    /// Warehouse of a REST catalog.
    #[arg(long, requires = "catalog")]
    warehouse: Option<String>,
    /// Treat the source as Parquet or Iceberg instead of detecting it.
    #[arg(long, value_parser = ["parquet", "iceberg"])]
    format: Option<String>,
    /// Iceberg snapshot to check.
    #[arg(long)]
    snapshot_id: Option<i64>,
    /// Directory for check.json (and profile.json and report.html with --profile).
    #[arg(short, long, default_value = "check-output")]
    out: PathBuf,
    /// Also profile the source in the same scan: writes profile.json and report.html.
    #[arg(long)]
    profile: bool,
    /// Scan threads (default: the number of CPUs).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    query: verb_cli::QueryArgs,
    /// Do not print the table.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct DiffArgs {
    /// The baseline profile (the earlier profile.json).
    a: PathBuf,
    /// The profile to compare with it (the later profile.json).
    b: PathBuf,
    /// Directory for diff.json and diff.html.
    #[arg(short, long, default_value = "diff-output")]
    out: PathBuf,
    /// Exit with code 6 when a finding of this severity or higher exists.
    #[arg(long, value_parser = ["info", "warning", "critical"])]
    fail_on: Option<String>,
    /// JSON file of thresholds (DriftThresholds, camelCase; fields left out keep their defaults).
    #[arg(long)]
    thresholds: Option<PathBuf>,
    /// One threshold as NAME=VALUE, over the defaults and --thresholds (repeatable), e.g.
    /// --threshold ksWarning=0.05 --threshold columnAdded=warning. Names: see docs/drift.md.
    #[arg(long = "threshold", value_name = "NAME=VALUE")]
    threshold: Vec<String>,
    /// Do not print the findings.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct ProfileArgs {
    /// Parquet file, directory or glob; an Iceberg table directory or *.metadata.json file (local
    /// or s3://); or, with --catalog, an Iceberg table as namespace.table.
    source: String,
    /// Iceberg catalog holding the table; SOURCE is then namespace.table. One of: a SQL catalog
    /// (sqlite:///path/catalog.db as pyiceberg's SqlCatalog writes, or postgres://...), `glue` or
    /// `glue:<account id>`, an S3 Tables table bucket ARN, or an http(s):// REST catalog URI.
    #[arg(long)]
    catalog: Option<String>,
    /// Name of the catalog inside a SQL catalog database (default: any, if unambiguous).
    #[arg(long, requires = "catalog")]
    catalog_name: Option<String>,
    /// Warehouse of a REST catalog, when it serves several.
    #[arg(long, requires = "catalog")]
    warehouse: Option<String>,
    /// Treat the source as Parquet or Iceberg instead of detecting it.
    #[arg(long, value_parser = ["parquet", "iceberg"])]
    format: Option<String>,
    /// Iceberg snapshot to read, under the schema it was written with (default: the current
    /// snapshot, under the current schema).
    #[arg(long)]
    snapshot_id: Option<i64>,
    /// Comma-separated top-level columns to profile (default: all).
    #[arg(long, value_delimiter = ',')]
    columns: Option<Vec<String>>,
    /// Profile a uniform random sample of this many rows.
    #[arg(long, conflicts_with = "sample_fraction")]
    sample_rows: Option<u64>,
    /// Profile each row with this probability (0 < f <= 1).
    #[arg(long)]
    sample_fraction: Option<f64>,
    /// Seed of the sampling.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Iceberg only: read row counts, null counts and min/max from the manifests, no data file.
    #[arg(long)]
    metadata_only: bool,
    /// Iceberg only: an earlier profile.json of this table to build on. When every snapshot
    /// since its snapshot is an append, only the appended data files are read and merged into
    /// it; otherwise the snapshot is scanned in full. The profile says which and why
    /// (source.iceberg.incremental).
    #[arg(long, conflicts_with_all = ["metadata_only", "sample_rows", "sample_fraction"])]
    base: Option<PathBuf>,
    /// Directory for profile.json and report.html.
    #[arg(short, long, default_value = "profile-output")]
    out: PathBuf,
    /// Scan threads (default: the number of CPUs).
    #[arg(long)]
    threads: Option<usize>,
    /// Histogram bins.
    #[arg(long, default_value_t = 20)]
    bins: usize,
    /// Top values reported per string column.
    #[arg(long, default_value_t = 10)]
    top_k: usize,
    /// Athena / Redshift: profile a sample pulled back (of --sample-rows rows, default 100000, or
    /// --sample-fraction) instead of by pushdown, the default.
    #[arg(long)]
    sample: bool,
    #[command(flatten)]
    query: verb_cli::QueryArgs,
    /// Do not print the summary table.
    #[arg(short, long)]
    quiet: bool,
    /// Also record the run and its profile in this Postgres profile store
    /// (postgres://user:password@host:port/database; apply `profiler migrate` first).
    #[arg(long, env = "PROFILER_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Namespace of the stored run.
    #[arg(long, default_value = "local")]
    namespace: String,
    /// Job name of the stored run (default: derived from the source's name).
    #[arg(long)]
    job_name: Option<String>,
}

fn main() -> ExitCode {
    profiler_worker::allocator::tune_for_scans();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("PROFILER_LOG").unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Profile(args) => run_profile(*args),
        Command::Check(args) => match run_check(&args) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(RULES_FAILED),
            Err(e) => Err(e),
        },
        Command::Suggest(args) => quality_cli::run_suggest(&args),
        Command::Rules(command) => quality_cli::run_rules(&command),
        Command::Merge { a, b, output } => run_merge(&a, &b, &output),
        Command::Diff(args) => match run_diff(&args) {
            Ok(true) => return ExitCode::from(DRIFT_FOUND),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        },
        Command::Schema { uri: Some(uri), json, query, .. } => {
            return verb_cli::schema(&verb_cli::VerbArgs { uri, json, query });
        }
        Command::Schema { rules: true, uri: None, .. } => {
            print!("{}", profiler_worker::quality::schema::rules());
            Ok(())
        }
        Command::Schema { check: true, uri: None, .. } => {
            print!("{}", check_json::schema());
            Ok(())
        }
        Command::Schema { diff, uri: None, .. } => {
            print!("{}", if diff { diff_json::schema() } else { json::schema() });
            Ok(())
        }
        Command::TestConnection(args) => return verb_cli::test_connection(&args),
        Command::Count(args) => return verb_cli::count(&args),
        Command::Sample(args) => return verb_cli::sample(&args),
        Command::Migrate { database_url } => run_migrate(&database_url),
        Command::Mcp(args) => return run_mcp(*args),
    };
    match result {
        Ok(()) => ExitCode::from(exit_code::SUCCESS as u8),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// The source SOURCE and the source flags name (`profile` and `check` read sources alike).
fn source_spec(
    source: &str,
    catalog: Option<&str>,
    catalog_name: Option<&str>,
    warehouse: Option<&str>,
    format: Option<&str>,
    snapshot_id: Option<i64>,
) -> Result<SourceSpec, WorkerError> {
    let spec = match (catalog, format) {
        (Some(uri), Some("parquet")) => {
            return Err(WorkerError::InvalidRequest(format!(
                "--catalog {uri} names Iceberg tables; drop --format parquet"
            )));
        }
        (Some(uri), _) => SourceSpec::Iceberg {
            location: source.to_owned(),
            snapshot_id,
            catalog: Some(parse_catalog(uri, catalog_name, warehouse)?),
        },
        (None, Some("parquet")) => SourceSpec::Parquet { location: source.to_owned() },
        (None, Some(_)) => SourceSpec::Iceberg { location: source.to_owned(), snapshot_id, catalog: None },
        (None, None) => SourceSpec::detect(source, snapshot_id),
    };
    if snapshot_id.is_some() && matches!(spec, SourceSpec::Parquet { .. }) {
        return Err(WorkerError::InvalidRequest("--snapshot-id applies to Iceberg tables only".into()));
    }
    Ok(spec)
}

fn run_profile(args: ProfileArgs) -> Result<(), WorkerError> {
    // Athena and Redshift tables are profiled by their engine; a catalog's Iceberg table by URI
    // becomes --catalog and namespace.table.
    let args = match verb_cli::resolve_source(args)? {
        verb_cli::Resolved::Sql(uri, args) => return verb_cli::profile_sql_table(uri, &args),
        verb_cli::Resolved::Files(args) => *args,
    };
    let source = source_spec(
        &args.source,
        args.catalog.as_deref(),
        args.catalog_name.as_deref(),
        args.warehouse.as_deref(),
        args.format.as_deref(),
        args.snapshot_id,
    )?;
    let sampling = match (args.sample_rows, args.sample_fraction) {
        (Some(size), _) => Sampling::Reservoir { size, seed: args.seed },
        (None, Some(fraction)) => Sampling::Bernoulli { fraction, seed: args.seed },
        (None, None) => Sampling::Full,
    };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let request = ProfileRequest {
        source,
        columns: args.columns.clone(),
        sampling,
        metadata_only: args.metadata_only,
        options: ProfileOptions { histogram_bins: args.bins, top_k: args.top_k, ..ProfileOptions::default() },
        threads,
        partitions: None,
        split_row_groups: false,
    };
    // Connect to the store first: a database problem stops the run before any data is read.
    let recorder = match &args.database_url {
        Some(url) => {
            let identity = RunIdentity {
                namespace: args.namespace.clone(),
                name: args.job_name.clone().unwrap_or_else(|| job_name_for(&args.source)),
                uid: Uuid::new_v4(),
                attempt: 1,
            };
            Some(RunRecorder::start(&DatabaseConfig::from_url(url)?, identity, request_spec(&request))?)
        }
        None => None,
    };
    let outcome = profile_and_write(&request, &args);
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
        println!("stored in the profile store as {}/{} (job uid {uid})", args.namespace, job_label(&args));
    }
    Ok(())
}

/// Profiles, writes profile.json and report.html, prints the summary.
fn profile_and_write(
    request: &ProfileRequest,
    args: &ProfileArgs,
) -> Result<(profiler_crds::TableProfile, PathBuf, PathBuf), WorkerError> {
    let progress = Progress::default();
    let done = AtomicBool::new(false);
    let result = std::thread::scope(|s| {
        s.spawn(|| profiler_worker::progress::draw_until(&progress, &done));
        let result = match &args.base {
            Some(base) => json::read(base)
                .and_then(|base| profiler_worker::incremental::profile_incremental(request, Ok(&base), &progress)),
            None => profile(request, &progress),
        };
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })?;
    verb_cli::write_outputs(result, args)
}

/// What the store keeps as the job's spec for a local run.
fn request_spec(request: &ProfileRequest) -> serde_json::Value {
    let kind = match request.source {
        SourceSpec::Parquet { .. } => "parquet",
        SourceSpec::Iceberg { .. } => "iceberg",
    };
    serde_json::json!({
        "source": { "kind": kind, "location": request.source.location() },
        "columns": request.columns,
        "sampling": request.sampling,
        "metadataOnly": request.metadata_only,
        "runner": "profiler CLI",
    })
}

fn job_label(args: &ProfileArgs) -> String {
    args.job_name.clone().unwrap_or_else(|| job_name_for(&args.source))
}

/// A Kubernetes-style name (lowercase letters, digits, '-', '.') from a source's file name.
fn job_name_for(source: &str) -> String {
    let base = source.trim_end_matches('/').rsplit('/').next().unwrap_or(source);
    let stem = base.strip_suffix(".parquet").or_else(|| base.strip_suffix(".metadata.json")).unwrap_or(base);
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    name.truncate(200);
    let name = name.trim_matches(|c| c == '-' || c == '.').to_owned();
    if name.is_empty() { "local-profile".to_owned() } else { name }
}

/// `file://` URI of a written file.
fn file_uri(path: &Path) -> Option<String> {
    std::fs::canonicalize(path).ok().map(|p| format!("file://{}", p.display()))
}

/// `profiler mcp`: serves until the client disconnects.
fn run_mcp(args: McpArgs) -> ExitCode {
    let options = McpOptions {
        config: args.config,
        flags: LimitsConfig {
            allowed_sources: args.allow_source,
            allowed_dirs: args.allow_dir,
            max_sample_rows: args.max_sample_rows,
            read_only: args.read_only,
            query_timeout_secs: args.query_timeout,
            output_dir: args.output_dir,
        },
        database_url: args.database_url,
    };
    match profiler_worker::mcp::run(options) {
        Ok(()) => ExitCode::from(exit_code::SUCCESS as u8),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Verifies the rule set against the source, writes check.json (and, with --profile, the profile
/// of the same scan), prints the table; true when every rule passed.
fn run_check(args: &CheckArgs) -> Result<bool, WorkerError> {
    let rules = read_rule_set(&args.rules).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?;
    if let Some(uri) = verb_cli::sql_table(&args.source, args.catalog.is_some())? {
        let (report, profile) = verb_cli::check_sql_table(&uri, args, &rules)?;
        return write_check(args, &report, profile.as_ref());
    }
    let source = source_spec(
        &args.source,
        args.catalog.as_deref(),
        args.catalog_name.as_deref(),
        args.warehouse.as_deref(),
        args.format.as_deref(),
        args.snapshot_id,
    )?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let request = ProfileRequest::every_row(source, threads);
    let progress = Progress::default();
    let done = AtomicBool::new(false);
    let (report, profile) = std::thread::scope(|s| {
        s.spawn(|| profiler_worker::progress::draw_until(&progress, &done));
        let result = if args.profile {
            profile_and_check(&request, Some(&rules), &progress).map(|out| (out.check, Some(out.profile)))
        } else {
            check(&request, &rules, &progress).map(|report| (Some(report), None))
        };
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })?;
    let report = report.ok_or_else(|| WorkerError::InvalidRequest("the run produced no check report".into()))?;
    write_check(args, &report, profile.as_ref())
}

/// Writes check.json (and the profile's documents when there is one), prints the table; true when
/// every rule passed.
fn write_check(
    args: &CheckArgs,
    report: &profiler_crds::quality::CheckReport,
    profile: Option<&profiler_crds::TableProfile>,
) -> Result<bool, WorkerError> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| WorkerError::Output { path: args.out.clone(), reason: e.to_string() })?;
    let check_path = args.out.join("check.json");
    check_json::write(report, &check_path)?;
    let mut written = vec![check_path];
    if let Some(profile) = profile {
        let (json_path, html_path) = (args.out.join("profile.json"), args.out.join("report.html"));
        json::write(profile, &json_path)?;
        html::write(profile, &html_path)?;
        written.extend([json_path, html_path]);
    }
    if !args.quiet {
        print!("{}", check_terminal::render(report));
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        println!("\nwrote {}", names.join(", "));
    }
    Ok(report.summary.all_passed())
}

fn run_migrate(url: &str) -> Result<(), WorkerError> {
    let runtime = profiler_worker::runtime::current_thread()?;
    let config = DatabaseConfig::from_url(url)?;
    let applied = runtime.block_on(async { Store::connect(&config).await?.migrate().await })?;
    if applied.is_empty() {
        println!("profile store at {} is up to date", config.target());
    } else {
        let versions: Vec<String> = applied.iter().map(i64::to_string).collect();
        println!("applied migrations {} to {}", versions.join(", "), config.target());
    }
    Ok(())
}

fn run_merge(a: &Path, b: &Path, output: &Path) -> Result<(), WorkerError> {
    let merged = merge_profiles(&json::read(a)?, &json::read(b)?, &ProfileOptions::default())?;
    json::write(&merged, output)?;
    println!("wrote {}", output.display());
    Ok(())
}

/// Compares two profiles, writes diff.json and diff.html, prints the findings; true when a
/// finding reaches `--fail-on`.
fn run_diff(args: &DiffArgs) -> Result<bool, WorkerError> {
    let thresholds = diff_thresholds(args)?;
    let (a, b) = (json::read(&args.a)?, json::read(&args.b)?);
    let comparison = compare(&a, &b, &thresholds).map_err(|e| match e {
        CompareError::UnknownFormatVersion { side, .. } => {
            let path = if side == "A" { &args.a } else { &args.b };
            WorkerError::BadProfile { path: path.clone(), reason: e.to_string() }
        }
        CompareError::InvalidThresholds(_) => WorkerError::InvalidRequest(e.to_string()),
    })?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| WorkerError::Output { path: args.out.clone(), reason: e.to_string() })?;
    let json_path = args.out.join("diff.json");
    let html_path = args.out.join("diff.html");
    diff_json::write(&comparison, &json_path)?;
    diff_html::write(&comparison, &a, &b, &html_path)?;
    if !args.quiet {
        print!("{}", diff_terminal::render(&comparison));
        println!("\nwrote {} and {}", json_path.display(), html_path.display());
    }
    let fail_on = args.fail_on.as_deref().and_then(Severity::parse);
    Ok(fail_on.is_some_and(|s| comparison.summary.highest_severity.is_some_and(|h| h >= s)))
}

/// The thresholds: the defaults, overridden by --thresholds FILE, then by each --threshold.
fn diff_thresholds(args: &DiffArgs) -> Result<DriftThresholds, WorkerError> {
    let mut fields = match &args.thresholds {
        Some(path) => {
            let bad =
                |reason: String| WorkerError::InvalidRequest(format!("--thresholds {}: {reason}", path.display()));
            let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
            match serde_json::from_str::<serde_json::Value>(&text).map_err(|e| bad(e.to_string()))? {
                serde_json::Value::Object(fields) => fields,
                _ => return Err(bad("not a JSON object of thresholds".into())),
            }
        }
        None => serde_json::Map::new(),
    };
    for pair in &args.threshold {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(WorkerError::InvalidRequest(format!(
                "--threshold {pair}: expected NAME=VALUE, e.g. ksWarning=0.05"
            )));
        };
        let value = match value.trim().parse::<f64>() {
            Ok(x) if value.trim().parse::<u64>().is_ok() => serde_json::Value::from(x as u64),
            Ok(x) => serde_json::Value::from(x),
            Err(_) => serde_json::Value::from(value.trim()),
        };
        fields.insert(name.trim().to_owned(), value);
    }
    let known = DriftThresholds::field_names();
    if let Some(unknown) = fields.keys().find(|name| !known.contains(name)) {
        return Err(WorkerError::InvalidRequest(format!(
            "unknown drift threshold {unknown:?}; known: {} (docs/drift.md)",
            known.join(", ")
        )));
    }
    serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| WorkerError::InvalidRequest(format!("drift thresholds: {e} (names and defaults: docs/drift.md)")))
}
