//! `profiler-task`: the Fargate worker's entrypoint. Reads the job document from `PROFILER_JOB`
//! (or `--job-file PATH`), profiles, writes the outputs to S3 and the profile store, prints one
//! JSON summary line on stdout and exits with a documented code (0 success, 2 bad input, 3 source
//! unreachable or unreadable, 4 output failure, 1 internal). Logs are JSON on stderr.

use std::process::ExitCode;

use profiler_crds::{JOB_DOCUMENT_ENV, JobDocument};
use profiler_worker::{WorkerError, exit_code, task};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(EnvFilter::try_from_env("PROFILER_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let result = load().and_then(|doc| task::run(&doc));
    match result {
        Ok(summary) => {
            println!("{}", serde_json::to_string(&summary).unwrap_or_default());
            ExitCode::from(exit_code::SUCCESS as u8)
        }
        Err(e) => {
            let code = e.exit_code();
            let line = serde_json::json!({ "status": "failed", "exitCode": code, "error": e.to_string() });
            println!("{line}");
            tracing::error!(exit_code = code, error = %e, "task failed");
            ExitCode::from(code as u8)
        }
    }
}

/// The job document from `--job-file PATH` or the environment.
fn load() -> Result<JobDocument, WorkerError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = match args.as_slice() {
        [] => std::env::var(JOB_DOCUMENT_ENV).map_err(|_| {
            WorkerError::InvalidRequest(format!("no job document: set {JOB_DOCUMENT_ENV} or pass --job-file PATH"))
        })?,
        [flag, path] if flag == "--job-file" => std::fs::read_to_string(path)
            .map_err(|e| WorkerError::InvalidRequest(format!("cannot read the job document {path}: {e}")))?,
        _ => return Err(WorkerError::InvalidRequest("usage: profiler-task [--job-file PATH]".into())),
    };
    Ok(JobDocument::from_json(&text)?)
}
