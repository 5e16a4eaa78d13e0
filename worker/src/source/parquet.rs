//! Parquet files as a profiling source: a file, a directory (searched recursively) or a glob.
//! Each row group is one partition of the parallel scan.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Schema, SchemaRef};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
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

    /// Decodes the row group, handing each batch to `sink`.
    pub fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), WorkerError> {
        let file = File::open(&self.path).map_err(|e| unreadable(&self.path, e))?;
        let mask = ProjectionMask::roots(self.metadata.parquet_schema(), self.roots.iter().copied());
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.metadata)
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
