//! The job document and execution input for one attempt of a ProfileJob.

use profiler_crds::quality::RuleSet;
use profiler_crds::resources::{ProfileJob, ProfilerRuntime};
use profiler_crds::{
    DatabaseRef, INLINE_JOB_DOCUMENT_BYTES, JOB_DOCUMENT_VERSION, JobDocument, JobDocumentError, JobIdentity,
    OutputLocation, TASK_RESULT_OBJECT,
};
use serde_json::{Value, json};

use crate::state_machine::{
    INPUT_JOB_DOCUMENT, INPUT_RESULT_BUCKET, INPUT_RESULT_KEY, INPUT_TASK_CPU, INPUT_TASK_MEMORY,
};

/// The document attempt `attempt` of `job` runs with on `runtime` and with `rules` (the job's
/// `spec.rules` resolved: see [`super::rules::resolve`]), validated with the same code the
/// worker uses (and the spec's own limits first).
pub fn job_document(
    job: &ProfileJob,
    namespace: &str,
    uid: &str,
    attempt: u32,
    runtime: &ProfilerRuntime,
    rules: Option<RuleSet>,
) -> Result<JobDocument, JobDocumentError> {
    let spec = &job.spec;
    spec.validate()?;
    let doc = JobDocument {
        version: JOB_DOCUMENT_VERSION,
        job: JobIdentity {
            namespace: namespace.to_owned(),
            name: job.metadata.name.clone().unwrap_or_default(),
            uid: uid.to_owned(),
            attempt,
        },
        source: spec.source.clone(),
        columns: spec.columns.clone(),
        sampling: spec.sampling,
        metrics: spec.metrics,
        output: OutputLocation {
            bucket: runtime.spec.results.bucket.clone(),
            prefix: runtime.spec.results.prefix.clone(),
        },
        database: runtime.spec.database_secret_arn.clone().map(DatabaseRef::SecretArn),
        drift: spec.drift.clone(),
        rules,
        parallelism: spec.parallelism,
        max_parallelism: runtime.spec.worker.max_parallelism,
        incremental: spec.incremental,
    };
    doc.validate()?;
    Ok(doc)
}

/// What starting one attempt takes: the state machine's input and, when the job document is too
/// large for the container's environment, the object to store first. A document with rules (up
/// to a ConfigMap's 1 MiB) is stored; Step Functions' 256 KiB input limit then sees only its URI.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptInput {
    /// The execution input.
    pub input: Value,
    /// `(bucket, key, body)` of the job document to store before the execution starts; the input
    /// then carries its `s3://` URI instead of the document.
    pub stored_document: Option<(String, String, String)>,
}

/// The execution input of the state machine for `doc`.
pub fn execution_input(
    doc: &JobDocument,
    job: &ProfileJob,
    runtime: &ProfilerRuntime,
) -> Result<AttemptInput, JobDocumentError> {
    let size = job.spec.task.unwrap_or(runtime.spec.worker.size);
    let text = doc.to_json()?;
    let (document, stored_document) = if text.len() <= INLINE_JOB_DOCUMENT_BYTES {
        (text, None)
    } else {
        let (bucket, key) = (doc.output.bucket.clone(), doc.document_key());
        (format!("s3://{bucket}/{key}"), Some((bucket, key, text)))
    };
    let input = json!({
        INPUT_JOB_DOCUMENT: document,
        INPUT_RESULT_BUCKET: doc.output.bucket,
        INPUT_RESULT_KEY: format!("{}{TASK_RESULT_OBJECT}", doc.output_prefix()),
        INPUT_TASK_CPU: size.cpu.to_string(),
        INPUT_TASK_MEMORY: size.memory.to_string(),
    });
    Ok(AttemptInput { input, stored_document })
}
