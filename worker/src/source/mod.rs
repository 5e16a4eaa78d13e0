//! Where a profile's data comes from: Parquet files or an Iceberg table, local or on S3.

pub mod catalog;
pub mod iceberg;
pub mod parquet;
pub mod s3_storage;
pub mod uri;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use profiler_crds::IcebergCatalog;
use profiler_engine::{EngineError, Partition};

use crate::error::WorkerError;

/// A source as the user names it.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    /// Parquet files: a local file, directory or glob, or on S3 an object, a prefix or a glob
    /// over keys (`s3://BUCKET/PREFIX/`, `s3://BUCKET/PREFIX/*.parquet`).
    Parquet {
        /// Path, directory, glob or `s3://` location.
        location: String,
    },
    /// An Iceberg table: its metadata JSON file (local or `s3://`) or its local directory, or
    /// `namespace.table` in a catalog.
    Iceberg {
        /// Metadata file, table directory, or `namespace.table` when `catalog` is set.
        location: String,
        /// Snapshot to read; the current one when absent.
        snapshot_id: Option<i64>,
        /// The catalog that names the table, if the table is named.
        catalog: Option<IcebergCatalog>,
    },
}

impl SourceSpec {
    /// Picks the source kind from a location: an Iceberg table when it is a `*.metadata.json`
    /// file (local or `s3://`) or a local directory that holds a `metadata/` folder, Parquet
    /// otherwise (`s3://BUCKET/PREFIX/` included).
    pub fn detect(location: &str, snapshot_id: Option<i64>) -> Self {
        let path = std::path::Path::new(location.strip_prefix("file://").unwrap_or(location));
        let iceberg = location.ends_with(".metadata.json") || (path.is_dir() && path.join("metadata").is_dir());
        if iceberg {
            Self::Iceberg { location: location.to_owned(), snapshot_id, catalog: None }
        } else {
            Self::Parquet { location: location.to_owned() }
        }
    }

    /// The same source read from `pinned_location` (what [`crate::run::plan_parts`] opened): an
    /// Iceberg table from the metadata file its catalog named when it was planned, so every
    /// group of a fan-out reads the same table state; Parquet as it was.
    pub fn pinned(&self, pinned_location: &str) -> Self {
        match self {
            Self::Parquet { .. } => Self::Parquet { location: pinned_location.to_owned() },
            Self::Iceberg { snapshot_id, .. } => {
                Self::Iceberg { location: pinned_location.to_owned(), snapshot_id: *snapshot_id, catalog: None }
            }
        }
    }

    /// The location as given.
    pub fn location(&self) -> &str {
        match self {
            Self::Parquet { location } | Self::Iceberg { location, .. } => location,
        }
    }
}

/// Indices of the requested top-level columns in `schema` (all when `columns` is None), or an
/// error naming the first unknown column and the available ones.
pub fn select_columns(schema: &Schema, columns: Option<&[String]>) -> Result<Vec<usize>, WorkerError> {
    let Some(columns) = columns else {
        return Ok((0..schema.fields().len()).collect());
    };
    columns
        .iter()
        .map(|name| {
            schema.index_of(name).map_err(|_| WorkerError::UnknownColumn {
                name: name.clone(),
                available: schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", "),
            })
        })
        .collect()
}

/// One partition of any source.
pub enum SourcePartition {
    /// A Parquet row group.
    Parquet(parquet::RowGroupPartition),
    /// An Iceberg data file.
    Iceberg(Box<iceberg::DataFilePartition>),
}

impl SourcePartition {
    /// Compressed bytes this partition reads.
    pub fn bytes(&self) -> u64 {
        match self {
            Self::Parquet(p) => p.bytes(),
            Self::Iceberg(p) => p.bytes(),
        }
    }

    /// What names this partition in a fan-out plan, stable across opens of the same source:
    /// `FILE#ROW_GROUP` for a Parquet row group, `DATA_FILE@START` for an Iceberg file range.
    pub fn key(&self) -> String {
        match self {
            Self::Parquet(p) => p.key(),
            Self::Iceberg(p) => p.key(),
        }
    }
}

impl Partition for SourcePartition {
    type Error = WorkerError;

    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), WorkerError> {
        match self {
            Self::Parquet(p) => p.read(sink),
            Self::Iceberg(p) => (*p).read(sink),
        }
    }

    fn project(&self, columns: &[usize]) -> Option<Self> {
        match self {
            Self::Parquet(p) => p.project(columns).map(Self::Parquet),
            Self::Iceberg(p) => p.project(columns).map(|p| Self::Iceberg(Box::new(p))),
        }
    }
}
