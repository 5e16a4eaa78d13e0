//! Reads the job document the controller handed the task: the JSON itself, or the `s3://` URI of
//! `job.json` beside the run's outputs when the document was too large for the container's
//! environment.

use profiler_crds::JobDocument;

use crate::aws::{s3_client, sdk_config};
use crate::error::WorkerError;
use crate::source::s3_storage::{read_object, split};

/// The job document `reference` is or names.
pub fn load(reference: &str) -> Result<JobDocument, WorkerError> {
    let text = if reference.trim_start().starts_with('{') { reference.to_owned() } else { fetch(reference)? };
    Ok(JobDocument::from_json(&text)?)
}

/// The text of the stored document at `uri`.
fn fetch(uri: &str) -> Result<String, WorkerError> {
    if split(uri).is_none() {
        return Err(WorkerError::InvalidRequest(format!(
            "the job document is neither JSON nor an s3://bucket/key URI: {:?}",
            uri.chars().take(80).collect::<String>()
        )));
    }
    let runtime = crate::runtime::current_thread()?;
    let bytes = runtime.block_on(async {
        let client = s3_client(&sdk_config().await);
        read_object(&client, uri, "read the job document").await
    })?;
    String::from_utf8(bytes.to_vec())
        .map_err(|e| WorkerError::InvalidRequest(format!("the job document {uri} is not UTF-8: {e}")))
}
