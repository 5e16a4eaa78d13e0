//! Parquet objects on S3 read with the worker's S3 client ([`S3Object`]) through parquet's async
//! reader: a footer with one ranged GET of the object's tail (a second when the footer is larger),
//! data with ranged GETs of the projected columns' chunks only, neighbouring ranges merged into
//! one request.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::FutureExt;
use futures::future::{BoxFuture, try_join_all};
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
use parquet::arrow::async_reader::AsyncFileReader;
use parquet::errors::ParquetError;
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use tokio::runtime::Handle;

use crate::error::WorkerError;
use crate::source::s3_storage::S3Object;

/// Bytes of an object's tail fetched for its footer: most footers fit in one request.
const FOOTER_PREFETCH: usize = 64 * 1024;

/// Ranges closer than this are fetched as one request (fewer round trips for a few extra bytes).
const MERGE_GAP: u64 = 64 * 1024;

/// GET requests and bytes one source fetched from S3 so far.
#[derive(Debug, Default)]
pub struct FetchStats {
    requests: AtomicU64,
    bytes: AtomicU64,
}

/// What a source fetched from S3.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fetched {
    /// GET requests.
    pub requests: u64,
    /// Bytes received.
    pub bytes: u64,
}

impl FetchStats {
    /// The counts now.
    pub fn get(&self) -> Fetched {
        Fetched { requests: self.requests.load(Ordering::Relaxed), bytes: self.bytes.load(Ordering::Relaxed) }
    }
}

/// One Parquet object on S3, read on the runtime it was listed on.
#[derive(Debug, Clone)]
pub struct S3File {
    object: S3Object,
    size: u64,
    runtime: Handle,
    stats: Arc<FetchStats>,
}

impl S3File {
    /// The object of `size` bytes, read on `runtime` (multi-threaded), fetches counted in `stats`.
    pub(crate) fn new(object: S3Object, size: u64, runtime: Handle, stats: Arc<FetchStats>) -> Self {
        Self { object, size, runtime, stats }
    }

    /// `s3://bucket/key`.
    pub fn location(&self) -> &str {
        self.object.location()
    }

    /// The runtime its reads run on.
    pub(crate) fn runtime(&self) -> &Handle {
        &self.runtime
    }

    /// The footer, as the local reader reads it (no page index).
    pub(crate) async fn footer(&self) -> Result<ArrowReaderMetadata, WorkerError> {
        let mut reader = self.reader("read the footer (GetObject)");
        ArrowReaderMetadata::load_async(&mut reader, ArrowReaderOptions::new())
            .await
            .map_err(|e| read_error(self.location(), e))
    }

    /// A reader for parquet's async decoder; its GETs are named `step` in errors.
    pub(crate) fn reader(&self, step: &'static str) -> S3Reader {
        S3Reader { file: self.clone(), step }
    }
}

/// A failure of parquet's async reader as a worker error: an S3 call's own error (what S3 said)
/// when a GET failed, else the file is not readable Parquet.
pub(crate) fn read_error(location: &str, error: ParquetError) -> WorkerError {
    let unreadable = |reason: String| WorkerError::UnreadableParquet { path: location.into(), reason };
    match error {
        ParquetError::External(e) => match e.downcast::<WorkerError>() {
            Ok(worker) => *worker,
            Err(other) => unreadable(other.to_string()),
        },
        other => unreadable(other.to_string()),
    }
}

/// [`AsyncFileReader`] over one S3 object.
pub(crate) struct S3Reader {
    file: S3File,
    step: &'static str,
}

impl S3Reader {
    async fn fetch(&self, range: Range<u64>) -> parquet::errors::Result<Bytes> {
        let bytes =
            self.file.object.get(Some(range), self.step).await.map_err(|e| ParquetError::External(Box::new(e)))?;
        self.file.stats.requests.fetch_add(1, Ordering::Relaxed);
        self.file.stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(bytes)
    }
}

impl AsyncFileReader for S3Reader {
    fn get_bytes(&mut self, range: Range<u64>) -> BoxFuture<'_, parquet::errors::Result<Bytes>> {
        self.fetch(range).boxed()
    }

    fn get_byte_ranges(&mut self, ranges: Vec<Range<u64>>) -> BoxFuture<'_, parquet::errors::Result<Vec<Bytes>>> {
        async move {
            let merged = merge(&ranges, MERGE_GAP);
            let fetched = try_join_all(merged.iter().map(|r| self.fetch(r.clone()))).await?;
            ranges
                .iter()
                .map(|r| {
                    let (i, m) = merged
                        .iter()
                        .enumerate()
                        .find(|(_, m)| m.start <= r.start && r.end <= m.end)
                        .ok_or_else(|| ParquetError::General(format!("range {r:?} was not fetched")))?;
                    Ok(fetched[i].slice((r.start - m.start) as usize..(r.end - m.start) as usize))
                })
                .collect()
        }
        .boxed()
    }

    fn get_metadata<'a>(
        &'a mut self,
        options: Option<&'a ArrowReaderOptions>,
    ) -> BoxFuture<'a, parquet::errors::Result<Arc<ParquetMetaData>>> {
        async move {
            let mut reader = ParquetMetaDataReader::new()
                .with_prefetch_hint(Some(FOOTER_PREFETCH))
                .with_metadata_options(options.map(|o| o.metadata_options().clone()));
            if let Some(o) = options {
                reader = reader
                    .with_column_index_policy(o.column_index_policy())
                    .with_offset_index_policy(o.offset_index_policy());
            }
            let size = self.file.size;
            Ok(Arc::new(reader.load_and_finish(&mut *self, size).await?))
        }
        .boxed()
    }
}

/// `ranges` sorted, those that overlap or lie within `gap` bytes of each other merged.
fn merge(ranges: &[Range<u64>], gap: u64) -> Vec<Range<u64>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<Range<u64>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(gap) => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_ranges_merge_and_far_ones_do_not() {
        assert_eq!(merge(&[10..20, 0..5, 15..30], 0), [0..5, 10..30]);
        let within_gap = merge(&[0..5, 10..20], 5);
        assert_eq!((within_gap.len(), within_gap.first()), (1, Some(&(0..20))));
        assert_eq!(merge(&[0..5, 100..120], 10), [0..5, 100..120]);
        assert!(merge(&[], 10).is_empty());
    }
}
