//! Apache Iceberg tables as a profiling source, read with the `iceberg` crate: a table is named
//! by its metadata JSON file (local or `s3://`), by its local directory (the newest
//! `metadata/*.metadata.json`), or by `namespace.table` in a catalog.
//! A scan reads one range of a data file per partition: files are cut at their row groups
//! (`split`), one range per row group for a fan-out's groups, joined into pieces of at least
//! [`PIECE_BYTES`] otherwise; metadata mode reads only the manifests.
//!
//! Columns are read as Iceberg defines them: by field id under the table's current schema for
//! the current snapshot, or under the snapshot's own schema for an explicit snapshot (time
//! travel); merge-on-read delete files are applied by the `iceberg` crate's reader.

mod manifests;
mod render;
mod split;

pub use manifests::ManifestSummary;
pub use split::RowGroupStarts;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Schema, SchemaRef};
use futures::{StreamExt, TryStreamExt};
use iceberg::TableIdent;
use iceberg::arrow::schema_to_arrow_schema;
use iceberg::io::FileIO;
use iceberg::scan::FileScanTask;
use iceberg::spec::{NestedFieldRef, SchemaRef as IcebergSchemaRef};
use iceberg::table::StaticTable;
use profiler_crds::{ColumnProfile, IcebergCatalog, Partitioning};
use profiler_engine::{EngineError, HistogramBounds, column_kind};
use tokio::runtime::Handle;

use super::catalog::split_identifier;
use super::s3_storage::{self, is_s3};
use super::select_columns;
use crate::error::WorkerError;

/// An opened Iceberg table at one snapshot, with the schema it is read under and the columns
/// to profile.
pub struct IcebergSource {
    location: String,
    /// The metadata file the table was opened from (the catalog's answer, when named by one).
    metadata_location: String,
    table: StaticTable,
    file_io: FileIO,
    /// The snapshot asked for; None reads the current one.
    requested_snapshot: Option<i64>,
    /// The schema columns are read under: the current schema for the current snapshot, the
    /// snapshot's own schema for a requested one (time travel).
    read_schema: IcebergSchemaRef,
    /// The selected top-level fields of `read_schema`, in output order.
    selected: Vec<NestedFieldRef>,
    /// Schema of the batches the partitions yield.
    pub schema: SchemaRef,
}

/// What a snapshot's manifests tell a scan (see [`IcebergSource::manifest_facts`]).
pub struct ManifestFacts {
    /// Partition specs and counts; None when every live data file is unpartitioned.
    pub partitioning: Option<Partitioning>,
    /// `[min, max]` of the selected numeric columns that every data file bounds.
    pub bounds: HistogramBounds,
    /// Row-group starts of the data files that list them.
    pub row_groups: RowGroupStarts,
}

/// The planned scan of a snapshot.
pub struct ScanPlan {
    /// One partition per data file range.
    pub partitions: Vec<DataFilePartition>,
    /// Distinct delete files applied to the planned data files.
    pub delete_files: u64,
}

impl ScanPlan {
    /// The data files of the plan (before any [`Self::split_row_groups`]).
    pub fn data_files(&self) -> u64 {
        self.partitions.iter().map(|p| &p.task.data_file_path).collect::<std::collections::HashSet<_>>().len() as u64
    }

    /// Each whole data file without delete files cut into one partition per row group (its
    /// `row_groups` starts), so that a fan-out, or the threads of one scan, can share it; the
    /// others as they are. The order stays by path, then start.
    pub fn split_row_groups(self, row_groups: &RowGroupStarts) -> Self {
        let mut partitions = Vec::with_capacity(self.partitions.len());
        for partition in self.partitions {
            let task = &partition.task;
            let whole = task.start == 0 && task.length == task.file_size_in_bytes && task.deletes.is_empty();
            let Some(starts) = row_groups.get(&task.data_file_path).filter(|_| whole) else {
                partitions.push(partition);
                continue;
            };
            let ranges = split::row_group_ranges(task.file_size_in_bytes, starts);
            if ranges.len() < 2 {
                partitions.push(partition);
                continue;
            }
            partitions.extend(ranges.into_iter().map(|range| partition.with_range(range)));
        }
        Self { partitions, delete_files: self.delete_files }
    }
}

/// Bytes a scan in one task reads as one partition at least: a data file's row-group ranges are
/// joined into pieces of this size, so that the scan's threads share a few large files evenly
/// while each piece opens its file (and parses its footer) once.
pub const PIECE_BYTES: u64 = 64 << 20;

/// `partitions` in plan order (by path, then start) with adjacent ranges of one data file joined
/// while the partition they join is smaller than `min_bytes`: pieces of at least `min_bytes` (a
/// file's last piece may be smaller), or each file whole with `u64::MAX`.
pub fn join_row_groups(mut partitions: Vec<DataFilePartition>, min_bytes: u64) -> Vec<DataFilePartition> {
    partitions.sort_by(|a, b| a.task.data_file_path.cmp(&b.task.data_file_path).then(a.task.start.cmp(&b.task.start)));
    let mut joined: Vec<DataFilePartition> = Vec::with_capacity(partitions.len());
    for partition in partitions {
        if let Some(last) = joined.last_mut()
            && last.task.data_file_path == partition.task.data_file_path
            && last.task.length < min_bytes
        {
            let next = (partition.task.start, partition.task.length);
            if let Some(range) = split::joined((last.task.start, last.task.length), next) {
                *last = last.with_range(range);
                continue;
            }
        }
        joined.push(partition);
    }
    joined
}

/// One data file of the snapshot.
pub struct DataFilePartition {
    location: String,
    table: Arc<StaticTable>,
    task: FileScanTask,
    schema: SchemaRef,
    runtime: Handle,
}

fn iceberg_err<'a>(step: &'static str, location: &'a str) -> impl Fn(iceberg::Error) -> WorkerError + 'a {
    move |e| WorkerError::Iceberg { step, location: location.to_owned(), reason: e.to_string() }
}

/// The metadata file of the table at `location` (a metadata JSON file or a table directory).
pub fn metadata_file(location: &str) -> Result<PathBuf, WorkerError> {
    let path = Path::new(location.strip_prefix("file://").unwrap_or(location));
    let not_found = |reason: String| WorkerError::TableNotFound { location: location.to_owned(), reason };
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    if !path.is_dir() {
        return Err(not_found("no such metadata file or table directory".into()));
    }
    let dir = path.join("metadata");
    let entries = std::fs::read_dir(&dir).map_err(|e| not_found(format!("{}: {e}", dir.display())))?;
    let version = |p: &Path| -> Option<u64> {
        let name = p.file_name()?.to_str()?;
        let stem = name.strip_suffix(".metadata.json")?;
        let digits = stem.trim_start_matches('v').split(['-', '.']).next()?;
        digits.parse().ok()
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| version(&p).map(|v| (v, p)))
        .max()
        .map(|(_, p)| p)
        .ok_or_else(|| not_found(format!("no *.metadata.json in {}", dir.display())))
}

impl IcebergSource {
    /// Opens the table, checks the snapshot and the columns. `location` is a metadata file or
    /// table directory, or `namespace.table` when `catalog` is given; `s3://` metadata and data
    /// are read with the worker's S3 client. Must run inside a tokio runtime.
    pub async fn open(
        location: &str,
        catalog: Option<&IcebergCatalog>,
        snapshot_id: Option<i64>,
        columns: Option<&[String]>,
    ) -> Result<Self, WorkerError> {
        let metadata_location = match catalog {
            Some(c) => {
                let (namespace, table) = split_identifier(location)?;
                super::catalog::metadata_location(c, namespace, table, crate::aws::sdk_config).await?
            }
            None => location.to_owned(),
        };
        let (metadata_location, file_io) = if is_s3(&metadata_location) {
            let config = crate::aws::sdk_config().await;
            (metadata_location, s3_storage::file_io(crate::aws::s3_client(&config)))
        } else {
            let path = metadata_file(&metadata_location)?;
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            (path.to_string_lossy().into_owned(), FileIO::new_with_fs())
        };
        let ident = TableIdent::from_strs(["profiler", "table"]).map_err(iceberg_err("open table", location))?;
        let table = StaticTable::from_metadata_file(&metadata_location, ident, file_io.clone()).await.map_err(|e| {
            if is_s3(&metadata_location) && e.to_string().contains("NoSuchKey") {
                WorkerError::TableNotFound {
                    location: location.to_owned(),
                    reason: format!("no metadata file at {metadata_location}"),
                }
            } else {
                iceberg_err("open table", location)(e)
            }
        })?;
        let metadata = table.metadata();
        let read_schema = match snapshot_id {
            Some(id) => {
                let snapshot = metadata.snapshot_by_id(id).ok_or_else(|| WorkerError::SnapshotNotFound {
                    id,
                    available: metadata.snapshots().map(|s| s.snapshot_id().to_string()).collect::<Vec<_>>().join(", "),
                })?;
                snapshot
                    .schema_id()
                    .and_then(|sid| metadata.schema_by_id(sid).cloned())
                    .unwrap_or_else(|| metadata.current_schema().clone())
            }
            None => metadata.current_schema().clone(),
        };
        let full: Schema = schema_to_arrow_schema(&read_schema).map_err(iceberg_err("convert schema", location))?;
        let roots = select_columns(&full, columns)?;
        let arrow_schema = Arc::new(full.project(&roots).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?);
        let fields = read_schema.as_struct().fields();
        let selected = roots.iter().filter_map(|&i| fields.get(i).cloned()).collect();
        Ok(Self {
            location: location.to_owned(),
            metadata_location,
            table,
            file_io,
            requested_snapshot: snapshot_id,
            read_schema,
            selected,
            schema: arrow_schema,
        })
    }

    /// The metadata file the table was opened from: opening it again reads the same table state
    /// whatever the catalog has committed since.
    pub fn metadata_location(&self) -> &str {
        &self.metadata_location
    }

    /// Why the read snapshot is not `base` plus appended data files, or None when it is: every
    /// snapshot after `base` up to the read one (by parent) must be an `append`, under the same
    /// schema. The answer says which snapshot broke the chain and how.
    pub fn not_appends_since(&self, base: i64) -> Option<String> {
        let metadata = self.table.metadata();
        let Some(mut id) = self.snapshot_id() else {
            return Some("the table has no snapshot".into());
        };
        let base_schema = metadata.snapshot_by_id(base).and_then(|s| s.schema_id());
        while id != base {
            let Some(snapshot) = metadata.snapshot_by_id(id) else {
                return Some(format!(
                    "snapshot {base} is not an ancestor of snapshot {id} (expired, or another branch)"
                ));
            };
            let operation = &snapshot.summary().operation;
            if *operation != iceberg::spec::Operation::Append {
                return Some(format!("snapshot {id} is an {:?} operation, not an append", operation.as_str()));
            }
            if snapshot.schema_id() != base_schema {
                return Some(format!("snapshot {id} was written under another schema than snapshot {base}"));
            }
            match snapshot.parent_snapshot_id() {
                Some(parent) => id = parent,
                None => {
                    return Some(format!(
                        "snapshot {base} is not an ancestor of the snapshot read (expired, or another branch)"
                    ));
                }
            }
        }
        None
    }

    /// The snapshot that is read (None for a table without snapshots).
    pub fn snapshot_id(&self) -> Option<i64> {
        self.requested_snapshot.or_else(|| self.table.metadata().current_snapshot().map(|s| s.snapshot_id()))
    }

    /// The selected columns as Iceberg types them: name, Iceberg type, whether nulls are allowed.
    pub fn iceberg_columns(&self) -> Vec<(String, String, bool)> {
        self.selected.iter().map(|f| (f.name.clone(), f.field_type.to_string(), !f.required)).collect()
    }

    /// Rows of the read snapshot by its summary (`total-records`), when the summary has the
    /// figure and the snapshot has no delete files (whose rows it would still count); 0 for a
    /// table without snapshots.
    pub fn summary_rows(&self) -> Option<u64> {
        let Some(id) = self.snapshot_id() else {
            return Some(0);
        };
        let metadata = self.table.metadata();
        let summary = &metadata.snapshot_by_id(id)?.summary().additional_properties;
        let figure = |key: &str| summary.get(key).and_then(|v| v.parse::<u64>().ok());
        let deletes = ["total-delete-files", "total-position-deletes", "total-equality-deletes"];
        if deletes.iter().any(|key| figure(key).is_some_and(|n| n > 0)) {
            return None;
        }
        figure("total-records")
    }

    /// Id of the schema the columns are read under.
    pub fn schema_id(&self) -> i32 {
        self.read_schema.schema_id()
    }

    /// Field ids of the profiled columns by name (struct fields as `parent.child`).
    pub fn field_ids(&self) -> std::collections::HashMap<String, i32> {
        manifests::field_ids(&self.selected)
    }

    /// Plans the scan: one partition per data file, sorted by path. The snapshot's files are
    /// planned as Iceberg lists them and each is read under the read schema by field id, with
    /// its delete files applied.
    pub async fn plan(self) -> Result<ScanPlan, WorkerError> {
        let Some(snapshot_id) = self.snapshot_id() else {
            return Ok(ScanPlan { partitions: Vec::new(), delete_files: 0 });
        };
        // The `iceberg` crate binds a scan to the snapshot's own schema, also for the current
        // snapshot; Iceberg reads the current snapshot under the current schema. So plan the
        // files with the crate and give every task the read schema and projection.
        let scan =
            self.table.scan().snapshot_id(snapshot_id).build().map_err(iceberg_err("plan scan", &self.location))?;
        let mut tasks: Vec<FileScanTask> = scan
            .plan_files()
            .await
            .map_err(iceberg_err("plan scan", &self.location))?
            .try_collect()
            .await
            .map_err(iceberg_err("plan scan", &self.location))?;
        tasks.sort_by(|a, b| a.data_file_path.cmp(&b.data_file_path).then(a.start.cmp(&b.start)));
        let project: Vec<i32> = self.selected.iter().map(|f| f.id).collect();
        let mut delete_files = std::collections::HashSet::new();
        for task in &mut tasks {
            task.schema = self.read_schema.clone();
            task.project_field_ids = project.clone();
            delete_files.extend(task.deletes.iter().map(|d| d.file_path.clone()));
        }
        let table = Arc::new(self.table);
        let runtime = Handle::current();
        let partitions = tasks
            .into_iter()
            .map(|task| DataFilePartition {
                location: self.location.clone(),
                table: table.clone(),
                task,
                schema: self.schema.clone(),
                runtime: runtime.clone(),
            })
            .collect();
        Ok(ScanPlan { partitions, delete_files: delete_files.len() as u64 })
    }

    /// What the snapshot's manifests tell a scan: its partitioning, the bounds of its selected
    /// numeric columns (a column is bounded when every live data file has bounds for it) and the
    /// row-group starts of its data files.
    pub async fn manifest_facts(&self) -> Result<ManifestFacts, WorkerError> {
        let numeric: Vec<NestedFieldRef> = self
            .selected
            .iter()
            .filter(|f| self.schema.field_with_name(&f.name).is_ok_and(|a| a.data_type().is_numeric()))
            .cloned()
            .collect();
        let summary = self.manifests(&numeric).await?;
        let bounds = summary
            .columns
            .iter()
            .filter(|c| c.metadata.as_ref().is_some_and(|m| m.files_with_stats == m.files))
            .filter_map(|c| {
                let lower = c.min.as_deref()?.parse::<f64>().ok()?;
                let upper = c.max.as_deref()?.parse::<f64>().ok()?;
                Some((c.name.clone(), (lower, upper)))
            })
            .collect();
        Ok(ManifestFacts { partitioning: summary.partitioning, bounds, row_groups: summary.row_groups })
    }

    /// What the snapshot's manifests say: per-column counts and bounds of `columns`, data and
    /// delete files, partitioning. An empty summary for a table without snapshots.
    async fn manifests(&self, columns: &[NestedFieldRef]) -> Result<ManifestSummary, WorkerError> {
        let metadata = self.table.metadata();
        let Some(snapshot) = self.snapshot_id().and_then(|id| metadata.snapshot_by_id(id)) else {
            return Ok(ManifestSummary {
                columns: self.empty_columns(),
                rows: 0,
                data_files: 0,
                delete_files: 0,
                partitioning: None,
                row_groups: RowGroupStarts::new(),
            });
        };
        manifests::summarize(&metadata, snapshot, &self.read_schema, columns, &self.file_io)
            .await
            .map_err(iceberg_err("read manifests", &self.location))
    }

    /// Column profiles from the manifests alone: row, null and value counts and min/max bounds.
    /// Refused for a snapshot with delete files, whose manifest counts include deleted rows.
    pub async fn metadata_profile(&self) -> Result<ManifestSummary, WorkerError> {
        let summary = self.manifests(&self.selected).await?;
        match self.snapshot_id() {
            Some(id) if summary.delete_files > 0 => Err(manifests::deletes_refused(id, summary.delete_files)),
            _ => Ok(summary),
        }
    }

    fn empty_columns(&self) -> Vec<ColumnProfile> {
        let ids = self.field_ids();
        self.schema
            .fields()
            .iter()
            .map(|f| ColumnProfile {
                field_id: ids.get(f.name()).copied(),
                ..ColumnProfile::with_counts(
                    f.name().clone(),
                    f.data_type().to_string(),
                    column_kind(f.data_type()),
                    0,
                    0,
                )
            })
            .collect()
    }
}

impl DataFilePartition {
    /// This partition's data file read over `(start, length)` only: the row groups whose
    /// midpoint falls in it.
    fn with_range(&self, (start, length): (u64, u64)) -> Self {
        let mut task = self.task.clone();
        let whole = start == 0 && length == task.file_size_in_bytes;
        task.start = start;
        task.length = length;
        if !whole {
            task.record_count = None;
        }
        self.with_task(task, self.schema.clone())
    }

    /// This partition's table reading `task` into batches of `schema`.
    fn with_task(&self, task: FileScanTask, schema: SchemaRef) -> Self {
        Self { location: self.location.clone(), table: self.table.clone(), task, schema, runtime: self.runtime.clone() }
    }

    /// The same range reading only the selected columns at `columns` (ascending positions in
    /// the planned schema); `None` for a file with delete files, whose deletes may need other
    /// columns.
    pub fn project(&self, columns: &[usize]) -> Option<Self> {
        if !self.task.deletes.is_empty() {
            return None;
        }
        let mut task = self.task.clone();
        task.project_field_ids =
            columns.iter().map(|&c| self.task.project_field_ids.get(c).copied()).collect::<Option<_>>()?;
        Some(self.with_task(task, Arc::new(self.schema.project(columns).ok()?)))
    }

    /// `DATA_FILE@START`: the data file's path and the byte offset of the range read.
    pub fn key(&self) -> String {
        format!("{}@{}", self.task.data_file_path, self.task.start)
    }

    /// The data file a [`Self::key`] names.
    pub fn data_file_of(key: &str) -> &str {
        key.rsplit_once('@').map_or(key, |(file, _)| file)
    }

    /// Bytes of the data file range this partition reads.
    pub fn bytes(&self) -> u64 {
        self.task.length
    }

    /// Reads the data file's batches on the shared runtime, handing each to `sink`.
    pub fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), WorkerError> {
        let Self { location, table, task, schema, runtime } = self;
        let path = task.data_file_path.clone();
        let err = |e: iceberg::Error| WorkerError::Iceberg {
            step: "read data file",
            location: location.clone(),
            reason: format!("{path}: {e}"),
        };
        runtime.block_on(async {
            let tasks = futures::stream::iter([Ok(task)]).boxed();
            let mut stream = table.reader_builder().build().read(tasks).map_err(&err)?.stream();
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(&err)?;
                sink(conform(batch, &schema)?)?;
            }
            Ok(())
        })
    }
}

/// Gives a batch the planned schema (the reader may attach field-id metadata or pick another
/// string encoding); casts only the columns whose type differs.
fn conform(batch: RecordBatch, schema: &SchemaRef) -> Result<RecordBatch, EngineError> {
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (array, field) in batch.columns().iter().zip(schema.fields()) {
        if array.data_type().equals_datatype(field.data_type()) {
            columns.push(array.clone());
        } else {
            columns.push(arrow_cast::cast(array, field.data_type()).map_err(|e| EngineError::SchemaMismatch {
                column: format!("{} ({e})", field.name()),
                expected: field.data_type().clone(),
                found: array.data_type().clone(),
            })?);
        }
    }
    RecordBatch::try_new(schema.clone(), columns).map_err(|e| EngineError::Incompatible(e.to_string()))
}
