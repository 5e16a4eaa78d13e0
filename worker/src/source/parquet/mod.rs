//! Parquet files as a profiling source: a file, a directory (searched recursively) or a glob.
//! Each row group is one partition of the parallel scan.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, FieldRef, Schema, SchemaRef};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::basic::Encoding;
use parquet::file::metadata::ColumnChunkMetaData;
use profiler_engine::EngineError;

use super::select_columns;
use crate::error::WorkerError;

/// Rows per decoded batch: large enough that per-batch work (the string columns' bit set and
/// maps, folds, Arrow array setup) is small next to per-value work; a few MB per thread.
pub const BATCH_ROWS: usize = 32_768;

/// An opened set of Parquet files sharing one schema.
#[derive(Debug)]
pub struct ParquetSource {
    files: Vec<(PathBuf, ArrowReaderMetadata)>,
    /// Indices of the selected top-level columns.
    roots: Vec<usize>,
    /// Schema of the batches the partitions yield.
    pub schema: SchemaRef,
    /// Rows in all files.
    pub total_rows: u64,
}

/// One row group of one file.
#[derive(Debug)]
pub struct RowGroupPartition {
    path: PathBuf,
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

/// Expands a file, directory or glob into the Parquet files it names, sorted.
pub fn resolve_files(location: &str) -> Result<Vec<PathBuf>, WorkerError> {
    let path = Path::new(location);
    let mut files = Vec::new();
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if path.is_dir() {
        collect_dir(path, &mut files)
            .map_err(|e| WorkerError::UnreadableParquet { path: path.into(), reason: e.to_string() })?;
        if files.is_empty() {
            return Err(WorkerError::NoFiles(location.to_owned()));
        }
    } else if location.contains(['*', '?', '[']) {
        let entries = glob::glob(location)
            .map_err(|e| WorkerError::BadGlob { pattern: location.to_owned(), reason: e.to_string() })?;
        for entry in entries {
            let p = entry
                .map_err(|e| WorkerError::UnreadableParquet { path: e.path().into(), reason: e.error().to_string() })?;
            if p.is_file() {
                files.push(p);
            }
        }
        if files.is_empty() {
            return Err(WorkerError::NoFiles(location.to_owned()));
        }
    } else {
        return Err(WorkerError::NotFound(path.to_path_buf()));
    }
    files.sort();
    Ok(files)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(['.', '_']));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_dir(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
            out.push(path);
        }
    }
    Ok(())
}

fn unreadable(path: &Path, e: impl ToString) -> WorkerError {
    WorkerError::UnreadableParquet { path: path.to_path_buf(), reason: e.to_string() }
}

/// Whether every data page of a column chunk is dictionary-encoded, by the chunk's page encoding
/// statistics (a chunk without them is taken as not).
fn all_pages_dictionary(chunk: &ColumnChunkMetaData) -> bool {
    chunk.dictionary_page_offset().is_some()
        && chunk
            .page_encoding_stats_mask()
            .is_some_and(|m| m.is_only(Encoding::RLE_DICTIONARY) || m.is_only(Encoding::PLAIN_DICTIONARY))
}

fn same_schema(a: &Schema, b: &Schema) -> bool {
    a.fields().len() == b.fields().len()
        && a.fields()
            .iter()
            .zip(b.fields())
            .all(|(x, y)| x.name() == y.name() && x.data_type().equals_datatype(y.data_type()))
}

impl ParquetSource {
    /// Opens every file named by `location` (reading only footers) and checks their schemas.
    pub fn open(location: &str, columns: Option<&[String]>) -> Result<Self, WorkerError> {
        let paths = resolve_files(location)?;
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let file = File::open(&path).map_err(|e| unreadable(&path, e))?;
            let metadata =
                ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(|e| unreadable(&path, e))?;
            if let Some((first, first_meta)) = files.first() {
                let first_meta: &ArrowReaderMetadata = first_meta;
                if !same_schema(first_meta.schema(), metadata.schema()) {
                    return Err(WorkerError::SchemaDiffers { path, first: Path::new(first).to_path_buf() });
                }
            }
            files.push((path, metadata));
        }
        let full =
            files.first().map(|(_, m)| m.schema().clone()).ok_or_else(|| WorkerError::NoFiles(location.to_owned()))?;
        let roots = select_columns(&full, columns)?;
        let schema = Arc::new(full.project(&roots).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?);
        let total_rows = files.iter().map(|(_, m)| m.metadata().file_metadata().num_rows().max(0) as u64).sum();
        Ok(Self { files, roots, schema, total_rows })
    }

    /// Number of files.
    pub fn file_count(&self) -> u64 {
        self.files.len() as u64
    }

    /// One partition per row group, in file then row-group order.
    pub fn partitions(&self) -> Vec<RowGroupPartition> {
        self.files
            .iter()
            .flat_map(|(path, metadata)| {
                (0..metadata.metadata().num_row_groups()).map(move |row_group| RowGroupPartition {
                    path: path.clone(),
                    metadata: metadata.clone(),
                    roots: self.roots.clone(),
                    row_group,
                })
            })
            .collect()
    }
}

impl RowGroupPartition {
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

    /// Decodes the row group, handing each batch to `sink`.
    pub fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), WorkerError> {
        let file = File::open(&self.path).map_err(|e| unreadable(&self.path, e))?;
        let mask = ProjectionMask::roots(self.metadata.parquet_schema(), self.roots.iter().copied());
        let metadata = self.keeping_dictionaries().map_err(|e| unreadable(&self.path, e))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata)
            .with_projection(mask)
            .with_row_groups(vec![self.row_group])
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| unreadable(&self.path, e))?;
        // The reader yields projected columns in file order; the schema lists them as requested.
        let order = requested_order(&self.roots);
        for batch in reader {
            let batch = batch.map_err(|e| unreadable(&self.path, e))?;
            sink(batch.project(&order).map_err(|e| unreadable(&self.path, e))?)?;
        }
        Ok(())
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
