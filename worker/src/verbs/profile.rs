//! `profile` on an Athena or Redshift table: the connectors' pushdown or sample, as the Fargate
//! task runs them, assembled into the same profile document a file's run produces.

use profiler_crds::{QueryMethod, Sampling, SamplingReport, SourceInfo, SourceKind, TableProfile};
use profiler_engine::ProfileOptions;

use super::target::Target;
use crate::connector::profile::{self, SqlProfile, SqlSource};
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::run::RunStart;
use crate::source::uri::SourceUri;

/// Profiles the Athena or Redshift table `uri` names, by pushdown or by sample as its method
/// says; `sampling` applies to a sample only (pushdown aggregates the whole table).
pub async fn profile_sql(
    uri: &SourceUri,
    columns: Option<&[String]>,
    sampling: Sampling,
    options: &ProfileOptions,
    poll: &PollPolicy,
) -> Result<TableProfile, WorkerError> {
    options.validate()?;
    let start = RunStart::now();
    let (kind, location, profiled) = match Target::open(uri, poll).await? {
        Target::Athena(c) => {
            (SourceKind::Athena, c.location(), run(&c, method(uri), columns, sampling, options).await?)
        }
        Target::Redshift(c) => {
            (SourceKind::Redshift, c.location(), run(&c, method(uri), columns, sampling, options).await?)
        }
        Target::Files(_) => {
            return Err(WorkerError::InvalidRequest(format!("{uri} is not an Athena or Redshift table")));
        }
    };
    let SqlProfile { mode, rows_read, rows_profiled, columns, bytes_scanned } = profiled;
    let source = SourceInfo { kind, location, files: 0, snapshot_id: None, iceberg: None };
    Ok(start.document(source, mode, SamplingReport { sampling, rows_read, rows_profiled }, bytes_scanned, columns))
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
    columns: Option<&[String]>,
    sampling: Sampling,
    options: &ProfileOptions,
) -> Result<SqlProfile, WorkerError> {
    match method {
        QueryMethod::Pushdown if sampling != Sampling::Full => Err(WorkerError::InvalidRequest(
            "pushdown aggregates the whole table, so it takes no sampling; add --sample to pull a sample back".into(),
        )),
        QueryMethod::Pushdown => profile::pushdown(source, columns, options.top_k as u32).await,
        QueryMethod::Sample => profile::sample(source, columns, sampling, options).await,
    }
}
