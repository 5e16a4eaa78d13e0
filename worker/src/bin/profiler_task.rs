//! `profiler-task`: the Fargate worker's entrypoint. Reads the job document from `PROFILER_JOB`
//! (the JSON, or the `s3://` URI of a document too large for the environment; or `--job-file PATH`)
//! and the step of a fanned-out run from `PROFILER_TASK_STEP` (absent: plan or profile the whole
//! table; `group-N`; `merge`), profiles, writes the outputs to S3 and the profile store, leaves
//! `result.json` (the task's result) next to them, prints the same JSON line on stdout and exits with a documented code (0 success, 2 bad input, 3 source
//! unreachable or unreadable, 4 output failure, 1 internal). Logs are JSON on stderr.

use std::process::ExitCode;

use profiler_crds::fan_out::{TASK_STEP_ENV, TaskStep};
use profiler_crds::{JOB_DOCUMENT_ENV, JobDocument, TaskResult};
use profiler_worker::{WorkerError, exit_code, job_document, task};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    profiler_worker::allocator::tune_for_scans();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(EnvFilter::try_from_env("PROFILER_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let step = TaskStep::parse(std::env::var(TASK_STEP_ENV).ok().as_deref()).map_err(WorkerError::InvalidRequest);
    let (doc, outcome) = match (load(), step) {
        (Ok(doc), Ok(step)) => {
            let outcome = task::run_step(&doc, step);
            (Some((doc, step)), outcome)
        }
        (Ok(doc), Err(e)) => (Some((doc, TaskStep::First)), Err(e)),
        (Err(e), _) => (None, Err(e)),
    };
    let mut result = task::result_of(&outcome);
    if let Some((doc, step)) = &doc {
        match (task::write_result(doc, *step, &result), &outcome) {
            (Ok(uri), _) => tracing::info!(uri, "result written"),
            // Without its result the run cannot be reported: an output failure.
            (Err(e), Ok(_)) => result = task::result_of(&Err(e)),
            (Err(e), Err(_)) => tracing::warn!(error = %e, "could not write the failure's result.json"),
        }
    }
    println!("{}", serde_json::to_string(&result).unwrap_or_default());
    match result {
        TaskResult::Succeeded(_) | TaskResult::Planned { .. } | TaskResult::GroupProfiled { .. } => {
            ExitCode::from(exit_code::SUCCESS as u8)
        }
        TaskResult::Failed { exit_code, error } => {
            tracing::error!(exit_code, error = %error.message, "task failed");
            ExitCode::from(exit_code as u8)
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
    job_document::load(&text)
}
