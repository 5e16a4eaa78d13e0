//! Parquet files as a profiling source: local (a file, a directory searched recursively, or a
//! glob) or on S3 (a prefix, an object, or a glob over keys: [`s3_list`]). Both are read by one
//! mechanism: footers give the schema and the row groups, each row group is one partition of the
//! parallel scan, and a partition decodes only the projected columns (on S3 with ranged GETs of
//! their column chunks: [`s3_read`]).

mod local;
mod s3_list;
mod s3_read;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, RecordBatch, UInt64Array};
use arrow_schema::{DataType, FieldRef, Schema, SchemaRef};
use futures::{StreamExt, TryStreamExt};
use parquet::arrow::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::statistics::StatisticsConverter;
use parquet::arrow::arrow_reader::{
    ArrowReaderBuilder, ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::basic::Encoding;
use parquet::file::metadata::ColumnChunkMetaData;
use profiler_engine::{EngineError, HistogramBounds};
use tokio::runtime::Handle;

pub use local::resolve_files;
pub use s3_read::{FetchStats, Fetched, S3File};

pub(crate) use self::s3_list::S3Prefix;
use super::s3_storage::{S3Object, has_s3_scheme};
use super::select_columns;
use crate::error::WorkerError;

/// Rows per decoded batch: large enough that per-batch work (the string columns' bit set and
/// maps, folds, Arrow array setup) is small next to per-value work; a few MB per thread.
pub const BATCH_ROWS: usize = 32_768;

/// Footers of S3 objects fetched at once.
const FOOTER_CONCURRENCY: usize = 16;

/// One Parquet file: local, or an object on S3.
#[derive(Debug, Clone)]
pub enum ParquetFile {
    /// A local file.
    Local(PathBuf),
    /// An object on S3.
    S3(S3File),
}

/// What to decode of a file.
#[derive(Debug, Clone)]
pub(crate) struct ReadPlan {
    /// Columns.
    pub mask: ProjectionMask,
    /// Row groups; all when `None`.
    pub row_groups: Option<Vec<usize>>,
    /// Rows per batch.
    pub batch_size: usize,
    /// Most rows; all when `None`.
    pub limit: Option<usize>,
}

impl ReadPlan {
    fn apply<T>(&self, builder: ArrowReaderBuilder<T>) -> ArrowReaderBuilder<T> {
        let mut builder = builder.with_projection(self.mask.clone()).with_batch_size(self.batch_size);
        if let Some(row_groups) = &self.row_groups {
            builder = builder.with_row_groups(row_groups.clone());
        }
        if let Some(limit) = self.limit {
            builder = builder.with_limit(limit);
        }
        builder
    }
}

impl ParquetFile {
    /// The file as messages name it: its path or `s3://` URI.
    pub fn name(&self) -> PathBuf {
        match self {
            Self::Local(path) => path.clone(),
            Self::S3(file) => file.location().into(),
        }
    }

    /// The file's footer (on S3, ranged GETs of the object's tail).
    pub async fn footer(&self) -> Result<ArrowReaderMetadata, WorkerError> {
        match self {
            Self::Local(path) => local_footer(path),
            Self::S3(file) => file.footer().await,
        }
    }

    /// Decodes what `plan` selects of the file described by `metadata`, handing each batch to
    /// `sink`. Blocks: call it outside the async runtime (an S3 file's reads run on the runtime
    /// it was listed on).
    pub(crate) fn read(
        &self,
        metadata: ArrowReaderMetadata,
        plan: &ReadPlan,
        sink: &mut dyn FnMut(RecordBatch) -> Result<(), WorkerError>,
    ) -> Result<(), WorkerError> {
        match self {
            Self::Local(path) => {
                let file = File::open(path).map_err(|e| unreadable(path, e))?;
                let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata);
                for batch in plan.apply(builder).build().map_err(|e| unreadable(path, e))? {
                    sink(batch.map_err(|e| unreadable(path, e))?)?;
                }
                Ok(())
            }
            Self::S3(file) => file.runtime().block_on(async {
                let error = |e| s3_read::read_error(file.location(), e);
                let reader = file.reader("read column chunks (GetObject)");
                let builder = ParquetRecordBatchStreamBuilder::new_with_metadata(reader, metadata);
                let mut batches = plan.apply(builder).build().map_err(error)?;
                while let Some(batch) = batches.next().await {
                    sink(batch.map_err(error)?)?;
                }
                Ok(())
            }),
        }
    }
}

/// The Parquet files `location` names, in order: local files ([`resolve_files`]) or S3 objects
/// (listed with ListObjectsV2 by the worker's S3 client, sorted by key; their reads run on the
/// current runtime, which must be multi-threaded, and are counted in `stats`).
pub async fn list_files(location: &str, stats: &Arc<FetchStats>) -> Result<Vec<ParquetFile>, WorkerError> {
    if !has_s3_scheme(location) {
        return Ok(resolve_files(location)?.into_iter().map(ParquetFile::Local).collect());
    }
    let prefix = S3Prefix::parse(location)?;
    let config = crate::aws::sdk_config().await;
    let client = crate::aws::s3_client(&config);
    let listing = prefix.list(&client).await?;
    let runtime = Handle::current();
    Ok(listing
        .objects
        .into_iter()
        .map(|o| {
            let object = S3Object::at(client.clone(), prefix.bucket(), &o.key);
            ParquetFile::S3(S3File::new(object, o.size, runtime.clone(), stats.clone()))
        })
        .collect())
}

/// An opened set of Parquet files sharing one schema.
#[derive(Debug)]
pub struct ParquetSource {
    files: Vec<(ParquetFile, ArrowReaderMetadata)>,
    /// Indices of the selected top-level columns.
    roots: Vec<usize>,
    /// Schema of the batches the partitions yield.
    pub schema: SchemaRef,
    /// Rows in all files.
    pub total_rows: u64,
    stats: Arc<FetchStats>,
}

/// One row group of one file.
#[derive(Debug)]
pub struct RowGroupPartition {
    file: ParquetFile,
    metadata: ArrowReaderMetadata,
    roots: Vec<usize>,
    row_group: usize,
}

/// Positions that put columns decoded in file order back into the requested order.
fn requested_order(roots: &[usize]) -> Vec<usize> {
    let mut sorted = roots.to_vec();
    sorted.sort_unstable();
    roots.iter().map(|r| sorted.iter().position(|s| s == r).unwrap_or(0)).collect()
}

/// Whether a file or directory name is hidden from a listing (`.crc`, `_SUCCESS`, `_temporary`).
pub(crate) fn is_hidden(name: &str) -> bool {
    name.starts_with(['.', '_'])
}

fn unreadable(path: &Path, e: impl ToString) -> WorkerError {
    WorkerError::UnreadableParquet { path: path.to_path_buf(), reason: e.to_string() }
}

/// The only value of a one-row statistics array as f64, when it is there and finite.
fn first_f64(array: &ArrayRef) -> Option<f64> {
    let cast = arrow_cast::cast(array, &DataType::Float64).ok()?;
    let values = cast.as_primitive::<Float64Type>();
    (values.len() == 1 && values.is_valid(0)).then(|| values.value(0)).filter(|x| x.is_finite())
}

/// The only value of a one-row count array.
fn first_u64(array: &UInt64Array) -> Option<u64> {
    (array.len() == 1 && array.is_valid(0)).then(|| array.value(0))
}

/// A local file's footer.
fn local_footer(path: &Path) -> Result<ArrowReaderMetadata, WorkerError> {
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(|e| unreadable(path, e))
}

/// Whether every data page of a column chunk is dictionary-encoded, by the chunk's page encoding
/// statistics (a chunk without them is taken as not).
fn all_pages_dictionary(chunk: &ColumnChunkMetaData) -> bool {
    chunk.dictionary_page_offset().is_some()
        && chunk
            .page_encoding_stats_mask()
            .is_some_and(|m| m.is_only(Encoding::RLE_DICTIONARY) || m.is_only(Encoding::PLAIN_DICTIONARY))
}

/// Whether `file` is among `only` (every file when None).
fn is_wanted(file: &ParquetFile, only: Option<&HashSet<String>>) -> bool {
    only.is_none_or(|names| names.contains(file.name().to_string_lossy().as_ref()))
}

fn same_schema(a: &Schema, b: &Schema) -> bool {
    a.fields().len() == b.fields().len()
        && a.fields()
            .iter()
            .zip(b.fields())
            .all(|(x, y)| x.name() == y.name() && x.data_type().equals_datatype(y.data_type()))
}

impl ParquetSource {
    /// Opens the local files `location` names (reading only footers) and checks their schemas.
    pub fn open(location: &str, columns: Option<&[String]>) -> Result<Self, WorkerError> {
        Self::open_some_local(location, columns, None)
    }

    /// [`Self::open`], keeping only the files named in `only` (see [`Self::open_some`]).
    pub fn open_some_local(
        location: &str,
        columns: Option<&[String]>,
        only: Option<&HashSet<String>>,
    ) -> Result<Self, WorkerError> {
        let mut files = Vec::new();
        for path in resolve_files(location)? {
            let file = ParquetFile::Local(path);
            if is_wanted(&file, only) {
                let footer = local_footer(&file.name())?;
                files.push((file, footer));
            }
        }
        Self::from_footers(location, files, columns, Arc::default())
    }

    /// Opens the files `location` names, local or on S3 (their footers fetched a few at a time),
    /// and checks their schemas. S3 reads run on the current runtime, which must be
    /// multi-threaded and outlive the partitions.
    pub async fn open_any(location: &str, columns: Option<&[String]>) -> Result<Self, WorkerError> {
        Self::open_some(location, columns, None).await
    }

    /// [`Self::open_any`], keeping only the files named in `only` (paths or `s3://` URIs, as
    /// [`ParquetFile::name`] writes them), whose footers alone are read: a fan-out group's files.
    pub async fn open_some(
        location: &str,
        columns: Option<&[String]>,
        only: Option<&HashSet<String>>,
    ) -> Result<Self, WorkerError> {
        if !has_s3_scheme(location) {
            return Self::open_some_local(location, columns, only);
        }
        let stats = Arc::new(FetchStats::default());
        let files: Vec<ParquetFile> =
            list_files(location, &stats).await?.into_iter().filter(|f| is_wanted(f, only)).collect();
        let footers: Vec<ArrowReaderMetadata> =
            futures::stream::iter(&files).map(ParquetFile::footer).buffered(FOOTER_CONCURRENCY).try_collect().await?;
        Self::from_footers(location, files.into_iter().zip(footers).collect(), columns, stats)
    }

    fn from_footers(
        location: &str,
        files: Vec<(ParquetFile, ArrowReaderMetadata)>,
        columns: Option<&[String]>,
        stats: Arc<FetchStats>,
    ) -> Result<Self, WorkerError> {
        let (first, first_meta) = files.first().ok_or_else(|| WorkerError::NoFiles(location.to_owned()))?;
        if let Some((odd, _)) = files.iter().find(|(_, m)| !same_schema(first_meta.schema(), m.schema())) {
            return Err(WorkerError::SchemaDiffers { path: odd.name(), first: first.name() });
        }
        let full = first_meta.schema().clone();
        let roots = select_columns(&full, columns)?;
        let schema = Arc::new(full.project(&roots).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?);
        let total_rows = files.iter().map(|(_, m)| m.metadata().file_metadata().num_rows().max(0) as u64).sum();
        Ok(Self { files, roots, schema, total_rows, stats })
    }

    /// Number of files.
    pub fn file_count(&self) -> u64 {
        self.files.len() as u64
    }

    /// GET requests and bytes fetched from S3 so far (none for local files).
    pub fn fetched(&self) -> Fetched {
        self.stats.get()
    }

    /// `[min, max]` of the selected numeric columns over every row group, from the footers'
    /// statistics: a column is bounded when every row group with values in it has statistics.
    pub fn bounds(&self) -> HistogramBounds {
        let mut known: BTreeMap<String, Option<(f64, f64)>> = BTreeMap::new();
        for partition in self.partitions() {
            for (column, bound) in partition.bounds() {
                let merged = match (known.get(&column), bound) {
                    (None, b) => b,
                    (Some(Some((lo, hi))), Some((l, h))) => Some((lo.min(l), hi.max(h))),
                    _ => None,
                };
                known.insert(column, merged);
            }
        }
        known.into_iter().filter_map(|(column, bound)| Some((column, bound?))).collect()
    }

    /// One partition per row group, in file then row-group order.
    pub fn partitions(&self) -> Vec<RowGroupPartition> {
        self.files
            .iter()
            .flat_map(|(file, metadata)| {
                (0..metadata.metadata().num_row_groups()).map(move |row_group| RowGroupPartition {
                    file: file.clone(),
                    metadata: metadata.clone(),
                    roots: self.roots.clone(),
                    row_group,
                })
            })
            .collect()
    }
}

impl RowGroupPartition {
    /// `FILE#ROW_GROUP`: the file's path or `s3://` URI and the row group's index.
    pub fn key(&self) -> String {
        format!("{}#{}", self.file.name().display(), self.row_group)
    }

    /// `[min, max]` of the projected numeric columns in this row group from its statistics:
    /// None for a column whose chunk has values but no usable statistics; a column whose chunk
    /// holds only nulls is left out (it bounds nothing).
    fn bounds(&self) -> BTreeMap<String, Option<(f64, f64)>> {
        let schema = self.metadata.schema();
        let parquet_schema = self.metadata.parquet_schema();
        let row_group = self.metadata.metadata().row_group(self.row_group);
        let rows = row_group.num_rows().max(0) as u64;
        let mut out = BTreeMap::new();
        for field in self.roots.iter().map(|&i| schema.field(i)).filter(|f| f.data_type().is_numeric()) {
            let Ok(converter) = StatisticsConverter::try_new(field.name(), schema, parquet_schema) else {
                out.insert(field.name().clone(), None);
                continue;
            };
            let nulls = converter.row_group_null_counts([row_group]).ok().and_then(|n| first_u64(&n));
            if nulls == Some(rows) {
                continue;
            }
            let mins = converter.row_group_mins([row_group]).ok();
            let maxes = converter.row_group_maxes([row_group]).ok();
            let bound = mins.as_ref().and_then(first_f64).zip(maxes.as_ref().and_then(first_f64));
            out.insert(field.name().clone(), bound);
        }
        out
    }

    /// Compressed size of the projected columns' chunks in this row group.
    pub fn bytes(&self) -> u64 {
        let schema = self.metadata.parquet_schema();
        let row_group = self.metadata.metadata().row_group(self.row_group);
        (0..row_group.num_columns())
            .filter(|i| self.roots.contains(&schema.get_column_root_idx(*i)))
            .map(|i| row_group.column(i).compressed_size().max(0) as u64)
            .sum()
    }

    /// The reader's metadata for this row group: a string or binary column whose chunk here is
    /// dictionary-encoded on every data page is read as a dictionary (`Int32` keys), which the
    /// engine profiles by counting keys instead of copying out every value.
    fn keeping_dictionaries(&self) -> Result<ArrowReaderMetadata, parquet::errors::ParquetError> {
        let row_group = self.metadata.metadata().row_group(self.row_group);
        let parquet_schema = self.metadata.parquet_schema();
        let arrow_schema = self.metadata.schema();
        let mut changed = false;
        let fields: Vec<FieldRef> = arrow_schema
            .fields()
            .iter()
            .enumerate()
            .map(|(root, field)| {
                let mut leaves =
                    (0..row_group.num_columns()).filter(|i| parquet_schema.get_column_root_idx(*i) == root);
                let only_leaf = match (leaves.next(), leaves.next()) {
                    (Some(leaf), None) => Some(row_group.column(leaf)),
                    _ => None,
                };
                let bytes = matches!(
                    field.data_type(),
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Binary | DataType::LargeBinary
                );
                if bytes && only_leaf.is_some_and(all_pages_dictionary) {
                    changed = true;
                    let keyed = DataType::Dictionary(Box::new(DataType::Int32), Box::new(field.data_type().clone()));
                    Arc::new(field.as_ref().clone().with_data_type(keyed))
                } else {
                    field.clone()
                }
            })
            .collect();
        if !changed {
            return Ok(self.metadata.clone());
        }
        let schema = Schema::new_with_metadata(fields, arrow_schema.metadata().clone());
        ArrowReaderMetadata::try_new(
            self.metadata.metadata().clone(),
            ArrowReaderOptions::new().with_schema(Arc::new(schema)),
        )
    }

    /// The same row group reading only the requested columns at `columns` (ascending
    /// positions in the source's schema).
    pub fn project(&self, columns: &[usize]) -> Option<Self> {
        let roots = columns.iter().map(|&c| self.roots.get(c).copied()).collect::<Option<_>>()?;
        Some(Self { file: self.file.clone(), metadata: self.metadata.clone(), roots, row_group: self.row_group })
    }

    /// Decodes the row group, handing each batch to `sink`.
    pub fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), WorkerError> {
        let name = self.file.name();
        let plan = ReadPlan {
            mask: ProjectionMask::roots(self.metadata.parquet_schema(), self.roots.iter().copied()),
            row_groups: Some(vec![self.row_group]),
            batch_size: BATCH_ROWS,
            limit: None,
        };
        let metadata = self.keeping_dictionaries().map_err(|e| unreadable(&name, e))?;
        // The reader yields projected columns in file order; the schema lists them as requested.
        let order = requested_order(&self.roots);
        self.file
            .read(metadata, &plan, &mut |batch| Ok(sink(batch.project(&order).map_err(|e| unreadable(&name, e))?)?))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use arrow_array::{Array, StringArray};
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

    use super::*;

    /// A file whose `status` chunks are dictionary-encoded throughout, and whose `email` chunks
    /// outgrow a 1 KiB dictionary page and fall back to plain pages.
    fn write_file(path: &Path, rows: usize) {
        let status: StringArray = (0..rows).map(|i| (i % 7 != 0).then(|| ["new", "paid", "shipped"][i % 3])).collect();
        let email: StringArray = (0..rows).map(|i| Some(format!("user{i}@example.com"))).collect();
        let batch = RecordBatch::try_from_iter([
            ("status", Arc::new(status) as arrow_array::ArrayRef),
            ("email", Arc::new(email) as arrow_array::ArrayRef),
        ])
        .unwrap();
        let props = WriterProperties::builder()
            .set_dictionary_page_size_limit(1024)
            .set_data_page_row_count_limit(1000)
            .set_max_row_group_row_count(Some(rows / 2))
            .build();
        let mut writer = ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
    }

    #[test]
    fn all_dictionary_string_chunks_are_read_as_dictionaries() {
        let path = std::env::temp_dir().join(format!("profiler-dictionary-{}.parquet", std::process::id()));
        let rows = 20_000;
        write_file(&path, rows);
        let source = ParquetSource::open(path.to_str().unwrap(), None).unwrap();
        assert_eq!(source.schema.field(0).data_type(), &DataType::Utf8, "the table's schema stays logical");
        let (mut statuses, mut nulls) = (HashMap::<String, usize>::new(), 0);
        for partition in source.partitions() {
            partition
                .read(&mut |batch| {
                    assert!(matches!(batch.column(0).data_type(), DataType::Dictionary(..)));
                    assert_eq!(batch.column(1).data_type(), &DataType::Utf8, "plain pages are not re-encoded");
                    let decoded = arrow_cast::cast(batch.column(0), &DataType::Utf8).unwrap();
                    nulls += decoded.null_count();
                    for v in decoded.as_any().downcast_ref::<StringArray>().unwrap().iter().flatten() {
                        *statuses.entry(v.to_owned()).or_default() += 1;
                    }
                    Ok(())
                })
                .unwrap();
        }
        std::fs::remove_file(&path).unwrap();
        assert_eq!(nulls, rows.div_ceil(7));
        let expected = |k: usize| (0..rows).filter(|i| i % 7 != 0 && i % 3 == k).count();
        assert_eq!(statuses["new"], expected(0));
        assert_eq!(statuses["paid"], expected(1));
        assert_eq!(statuses["shipped"], expected(2));
    }
}
