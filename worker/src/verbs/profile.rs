//! `profile` and `check` on an Athena or Redshift table: the connectors' pushdown or sample, and
//! the rules verified by pushdown, as the Fargate task and the CLI run them, assembled into the
//! same profile and check documents a file's run produces.

use profiler_crds::quality::{CheckReport, RuleSet};
use profiler_crds::{QueryMethod, Sampling, SamplingReport, SourceInfo, SourceKind, TableProfile};
use profiler_engine::ProfileOptions;
use tracing::info;

use super::target::Target;
use crate::connector::profile::{self, RuleCheck, SqlProfile, SqlSource};
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::run::RunStart;
use crate::source::uri::SourceUri;

/// What to compute on an Athena or Redshift table.
#[derive(Debug, Clone, Copy)]
pub struct SqlRequest<'a> {
    /// Columns to profile, in this order; all when `None` (rules may name any column).
    pub columns: Option<&'a [String]>,
    /// Sampling of a profile by sample; pushdown takes none.
    pub sampling: Sampling,
    /// Metric options.
    pub options: &'a ProfileOptions,
    /// Rules to verify on every row, by pushdown.
    pub rules: Option<&'a RuleSet>,
}

/// Profiles the Athena or Redshift table `uri` names, by pushdown or by sample as its method
/// says; `sampling` applies to a sample only (pushdown aggregates the whole table).
pub async fn profile_sql(
    uri: &SourceUri,
    columns: Option<&[String]>,
    sampling: Sampling,
    options: &ProfileOptions,
    poll: &PollPolicy,
) -> Result<TableProfile, WorkerError> {
    let request = SqlRequest { columns, sampling, options, rules: None };
    Ok(profile_and_check_sql(uri, &request, poll).await?.0)
}

/// Profiles the table `uri` names and verifies the request's rules on every row: in the
/// profile's aggregate query by pushdown, in one query of their own beside a sample.
pub async fn profile_and_check_sql(
    uri: &SourceUri,
    request: &SqlRequest<'_>,
    poll: &PollPolicy,
) -> Result<(TableProfile, Option<CheckReport>), WorkerError> {
    request.options.validate()?;
    let start = RunStart::now();
    let (kind, location, profiled) = match Target::open(uri, poll).await? {
        Target::Athena(c) => (SourceKind::Athena, c.location(), run(&c, method(uri), request).await?),
        Target::Redshift(c) => (SourceKind::Redshift, c.location(), run(&c, method(uri), request).await?),
        Target::Files(_) => return Err(not_sql(uri)),
    };
    let SqlProfile { mode, rows_read, rows_profiled, columns, bytes_scanned, rules } = profiled;
    let source = SourceInfo { kind, location, files: 0, snapshot_id: None, iceberg: None };
    let check = rules.map(|r| report(&start, source.clone(), r));
    let sampling = SamplingReport { sampling: request.sampling, rows_read, rows_profiled };
    Ok((start.document(source, mode, sampling, bytes_scanned, columns), check))
}

/// Verifies `rules` on every row of the table `uri` names, in one aggregate query, without
/// profiling it.
pub async fn check_sql(uri: &SourceUri, rules: &RuleSet, poll: &PollPolicy) -> Result<CheckReport, WorkerError> {
    let start = RunStart::now();
    let (kind, location, checked) = match Target::open(uri, poll).await? {
        Target::Athena(c) => (SourceKind::Athena, c.location(), profile::check_rules(&c, &rules.rules).await?),
        Target::Redshift(c) => (SourceKind::Redshift, c.location(), profile::check_rules(&c, &rules.rules).await?),
        Target::Files(_) => return Err(not_sql(uri)),
    };
    let source = SourceInfo { kind, location, files: 0, snapshot_id: None, iceberg: None };
    Ok(report(&start, source, checked))
}

fn report(start: &RunStart, source: SourceInfo, checked: RuleCheck) -> CheckReport {
    let report = start.check_report(source, checked.rows, checked.results);
    info!(summary = report.summary.describe(), "rules verified");
    report
}

fn not_sql(uri: &SourceUri) -> WorkerError {
    WorkerError::InvalidRequest(format!("{uri} is not an Athena or Redshift table"))
}

fn method(uri: &SourceUri) -> QueryMethod {
    match uri {
        SourceUri::Athena(s) => s.method,
        SourceUri::Redshift(s) => s.method,
        _ => QueryMethod::Pushdown,
    }
}

async fn run<S: SqlSource>(
    source: &S,
    method: QueryMethod,
    request: &SqlRequest<'_>,
) -> Result<SqlProfile, WorkerError> {
    let rules = request.rules.map(|r| r.rules.as_slice());
    match method {
        QueryMethod::Pushdown if request.sampling != Sampling::Full => Err(WorkerError::InvalidRequest(
            "pushdown aggregates the whole table, so it takes no sampling; add --sample to pull a sample back".into(),
        )),
        QueryMethod::Pushdown => profile::pushdown(source, request.columns, request.options.top_k as u32, rules).await,
        QueryMethod::Sample => profile::sample(source, request.columns, request.sampling, request.options, rules).await,
    }
}
