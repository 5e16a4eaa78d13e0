//! Iceberg file I/O on Amazon S3 through the worker's own `aws-sdk-s3` client, so an Iceberg
//! table is read with the same credentials (the default chain: the task role on Fargate), region,
//! adaptive retry and endpoint settings as every other AWS call of the worker. Read-only: the
//! profiler never writes to a table.

use std::ops::Range;
use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use bytes::Bytes;
use futures::stream::BoxStream;
use iceberg::io::{
    FileIO, FileIOBuilder, FileMetadata, FileRead, FileWrite, InputFile, OutputFile, Storage, StorageConfig,
    StorageFactory,
};
use iceberg::{Error, ErrorKind, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::WorkerError;

/// Whether `location` is an S3 URI (`s3://`, `s3a://` or `s3n://`).
pub fn is_s3(location: &str) -> bool {
    split(location).is_some()
}

/// A [`FileIO`] that reads `s3://` locations with `client`.
pub fn file_io(client: Client) -> FileIO {
    FileIOBuilder::new(Arc::new(S3StorageFactory { client })).build()
}

/// Whether `location` starts with an S3 scheme (`s3://`, `s3a://` or `s3n://`), also when it
/// names a bucket or prefix rather than an object.
pub fn has_s3_scheme(location: &str) -> bool {
    strip_scheme(location).is_some()
}

/// What follows the S3 scheme: `bucket/key`.
pub(crate) fn strip_scheme(location: &str) -> Option<&str> {
    ["s3://", "s3a://", "s3n://"].iter().find_map(|scheme| location.strip_prefix(scheme))
}

/// Bucket and key of an S3 URI.
pub(crate) fn split(location: &str) -> Option<(&str, &str)> {
    let (bucket, key) = strip_scheme(location)?.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then_some((bucket, key))
}

fn parse(location: &str) -> Result<(&str, &str)> {
    split(location)
        .ok_or_else(|| Error::new(ErrorKind::DataInvalid, format!("{location} is not an s3://bucket/key location")))
}

/// An S3 error as an Iceberg error that keeps the AWS code, so "NoSuchKey" or "AccessDenied"
/// reach the user's message.
fn s3_error<E>(operation: &str, location: &str, error: aws_sdk_s3::error::SdkError<E>) -> Error
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let (code, message) = crate::aws::describe(&error);
    let code = code.map(|c| format!("{c}: ")).unwrap_or_default();
    Error::new(ErrorKind::Unexpected, format!("S3 {operation} {location}: {code}{message}"))
}

fn read_only(path: &str) -> Error {
    Error::new(ErrorKind::FeatureUnsupported, format!("{path}: the profiler reads tables and never writes them"))
}

/// Builds [`S3Storage`] for a [`FileIO`].
#[derive(Debug, Clone)]
struct S3StorageFactory {
    client: Client,
}

/// Reads objects of any bucket the client's credentials can read.
#[derive(Debug, Clone)]
struct S3Storage {
    client: Client,
}

// `FileIO` can serialize its storage (to ship it between processes); the profiler never does,
// and a client cannot cross a process boundary, so these serialize to nothing and refuse to be
// rebuilt.
macro_rules! local_only_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_unit()
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(_: D) -> std::result::Result<Self, D::Error> {
                Err(serde::de::Error::custom("S3 storage holds a live client and cannot be deserialized"))
            }
        }
    };
}
local_only_serde!(S3StorageFactory);
local_only_serde!(S3Storage);

#[typetag::serde(name = "profiler-s3")]
impl StorageFactory for S3StorageFactory {
    fn build(&self, _config: &StorageConfig) -> Result<Arc<dyn Storage>> {
        Ok(Arc::new(S3Storage { client: self.client.clone() }))
    }
}

#[async_trait]
#[typetag::serde(name = "profiler-s3")]
impl Storage for S3Storage {
    async fn exists(&self, path: &str) -> Result<bool> {
        let (bucket, key) = parse(path)?;
        match self.client.head_object().bucket(bucket).key(key).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => Err(s3_error("HeadObject", path, e)),
        }
    }

    async fn metadata(&self, path: &str) -> Result<FileMetadata> {
        let (bucket, key) = parse(path)?;
        let head = self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| s3_error("HeadObject", path, e))?;
        Ok(FileMetadata { size: head.content_length().unwrap_or(0).max(0) as u64 })
    }

    async fn read(&self, path: &str) -> Result<Bytes> {
        let (bucket, key) = parse(path)?;
        S3Object::at(self.client.clone(), bucket, key).get(None, "read the object").await.map_err(iceberg_error)
    }

    async fn reader(&self, path: &str) -> Result<Box<dyn FileRead>> {
        let (bucket, key) = parse(path)?;
        Ok(Box::new(S3Object::at(self.client.clone(), bucket, key)))
    }

    async fn write(&self, path: &str, _bs: Bytes) -> Result<()> {
        Err(read_only(path))
    }

    async fn writer(&self, path: &str) -> Result<Box<dyn FileWrite>> {
        Err(read_only(path))
    }

    async fn delete(&self, path: &str) -> Result<()> {
        Err(read_only(path))
    }

    async fn delete_prefix(&self, path: &str) -> Result<()> {
        Err(read_only(path))
    }

    async fn delete_stream(&self, _paths: BoxStream<'static, String>) -> Result<()> {
        Err(read_only("a delete"))
    }

    fn new_input(&self, path: &str) -> Result<InputFile> {
        parse(path)?;
        Ok(InputFile::new(Arc::new(self.clone()), path.to_owned()))
    }

    fn new_output(&self, path: &str) -> Result<OutputFile> {
        Err(read_only(path))
    }
}

/// One object, read whole or by byte range: Iceberg's files, Parquet files on S3, job documents.
#[derive(Debug, Clone)]
pub(crate) struct S3Object {
    client: Client,
    location: String,
    bucket: String,
    key: String,
}

impl S3Object {
    /// The object `key` of `bucket`, read with `client`.
    pub(crate) fn at(client: Client, bucket: &str, key: &str) -> Self {
        Self { client, location: format!("s3://{bucket}/{key}"), bucket: bucket.to_owned(), key: key.to_owned() }
    }

    /// `s3://bucket/key`.
    pub(crate) fn location(&self) -> &str {
        &self.location
    }

    /// The bytes in `range` (the whole object when `None`), read for `step` (named in the error
    /// with what S3 said).
    pub(crate) async fn get(
        &self,
        range: Option<Range<u64>>,
        step: &'static str,
    ) -> std::result::Result<Bytes, WorkerError> {
        let mut request = self.client.get_object().bucket(&self.bucket).key(&self.key);
        if let Some(r) = &range {
            if r.start >= r.end {
                return Ok(Bytes::new());
            }
            request = request.range(format!("bytes={}-{}", r.start, r.end - 1));
        }
        let broken = |message: String| WorkerError::Connector {
            source_name: self.location.clone(),
            step,
            message,
            transient: true,
        };
        let object =
            request.send().await.map_err(|e| crate::aws::call_failed(self.location.clone(), step, "S3", &e))?;
        let body = object.body.collect().await.map_err(|e| broken(format!("the download broke off: {e}")))?;
        let bytes = body.into_bytes();
        if let Some(r) = range
            && bytes.len() as u64 != r.end - r.start
        {
            return Err(broken(format!("asked S3 for bytes {}..{}, got {} bytes", r.start, r.end, bytes.len())));
        }
        Ok(bytes)
    }
}

/// A failed read as an Iceberg error; the message keeps S3's code ("NoSuchKey", "AccessDenied").
fn iceberg_error(error: WorkerError) -> Error {
    Error::new(ErrorKind::Unexpected, error.to_string())
}

#[async_trait]
impl FileRead for S3Object {
    async fn read(&self, range: Range<u64>) -> Result<Bytes> {
        self.get(Some(range), "read the object").await.map_err(iceberg_error)
    }
}

/// The bytes of the object `uri` (`s3://bucket/key`), read for `step` (named in the error) with
/// the worker's client: a job document or a baseline profile.
pub async fn read_object(client: &Client, uri: &str, step: &'static str) -> std::result::Result<Vec<u8>, WorkerError> {
    let Some((bucket, key)) = split(uri) else {
        return Err(WorkerError::InvalidRequest(format!("{uri:?} is not an s3://bucket/key URI ({step})")));
    };
    let bytes = S3Object::at(client.clone(), bucket, key).get(None, step).await?;
    Ok(bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_s3_uris() {
        assert_eq!(split("s3://bucket/a/b.parquet"), Some(("bucket", "a/b.parquet")));
        assert_eq!(split("s3a://bucket/k"), Some(("bucket", "k")));
        assert_eq!(split("s3://bucket/"), None);
        assert_eq!(split("s3://bucket"), None);
        assert_eq!(split("/tmp/x"), None);
        assert_eq!(split("gs://b/k"), None);
    }
}
