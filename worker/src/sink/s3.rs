//! Writes a run's files to S3: one PUT for small objects, a multipart upload above a threshold.
//! Keys are per attempt, so a rerun of the same attempt overwrites, never duplicates.

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use tracing::{debug, instrument};

use crate::aws::describe;
use crate::error::WorkerError;

/// Objects above this size go up in parts.
pub const MULTIPART_THRESHOLD: usize = 16 * 1024 * 1024;

/// Size of each part of a multipart upload (S3's minimum is 5 MiB, except the last part).
pub const PART_SIZE: usize = 8 * 1024 * 1024;

/// A bucket and key prefix to write into.
pub struct S3Sink {
    client: Client,
    bucket: String,
    prefix: String,
    multipart_threshold: usize,
    part_size: usize,
}

impl S3Sink {
    /// A sink writing under `s3://bucket/prefix`.
    pub fn new(client: Client, bucket: String, prefix: String) -> Self {
        Self { client, bucket, prefix, multipart_threshold: MULTIPART_THRESHOLD, part_size: PART_SIZE }
    }

    /// The same sink with another multipart threshold and part size (tests).
    pub fn with_multipart(mut self, threshold: usize, part_size: usize) -> Self {
        self.multipart_threshold = threshold;
        self.part_size = part_size.max(1);
        self
    }

    /// The S3 client the sink writes with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// `s3://bucket/prefix/name`.
    pub fn uri(&self, name: &str) -> String {
        format!("s3://{}/{}{name}", self.bucket, self.prefix)
    }

    /// Writes `body` to `prefix/name`, returning its URI.
    #[instrument(skip(self, body), fields(bytes = body.len()))]
    pub async fn put(&self, name: &str, body: Vec<u8>, content_type: &str) -> Result<String, WorkerError> {
        let key = format!("{}{name}", self.prefix);
        let uri = self.uri(name);
        let fail = |message: String| WorkerError::S3Output { uri: uri.clone(), message };
        if body.len() <= self.multipart_threshold {
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(&key)
                .content_type(content_type)
                .body(ByteStream::from(body))
                .send()
                .await
                .map_err(|e| fail(describe_s3(&e)))?;
        } else {
            self.put_multipart(&key, body, content_type).await.map_err(fail)?;
        }
        debug!(uri, "written");
        Ok(uri)
    }

    async fn put_multipart(&self, key: &str, body: Vec<u8>, content_type: &str) -> Result<(), String> {
        let upload = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .send()
            .await
            .map_err(|e| describe_s3(&e))?;
        let upload_id = upload.upload_id().unwrap_or_default().to_owned();
        let mut parts = Vec::new();
        for (i, chunk) in body.chunks(self.part_size).enumerate() {
            let number = i as i32 + 1;
            let sent = self
                .client
                .upload_part()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(&upload_id)
                .part_number(number)
                .body(ByteStream::from(chunk.to_vec()))
                .send()
                .await;
            match sent {
                Ok(part) => parts.push(
                    CompletedPart::builder().part_number(number).set_e_tag(part.e_tag().map(str::to_owned)).build(),
                ),
                Err(e) => {
                    // Leave no half upload behind.
                    let _ = self
                        .client
                        .abort_multipart_upload()
                        .bucket(&self.bucket)
                        .key(key)
                        .upload_id(&upload_id)
                        .send()
                        .await;
                    return Err(describe_s3(&e));
                }
            }
        }
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(&upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .send()
            .await
            .map_err(|e| describe_s3(&e))?;
        Ok(())
    }
}

fn describe_s3<E>(error: &aws_sdk_s3::error::SdkError<E>) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    match describe(error) {
        (Some(code), message) => format!("S3 said {code}: {message}"),
        (None, message) => message,
    }
}
