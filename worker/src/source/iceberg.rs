//! Apache Iceberg tables as a profiling source, read with the `iceberg` crate: a table is named
//! by its metadata JSON file (local or `s3://`), by its local directory (the newest
//! `metadata/*.metadata.json`), or by `namespace.table` in a catalog.
//! A scan reads one data file per partition; metadata mode reads only the manifests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Schema, SchemaRef};
use futures::{StreamExt, TryStreamExt};
use iceberg::TableIdent;
use iceberg::arrow::{schema_to_arrow_schema, type_to_arrow_type};
use iceberg::io::FileIO;
use iceberg::scan::FileScanTask;
use iceberg::spec::{DataContentType, Datum, ManifestList, NestedFieldRef, PrimitiveLiteral, PrimitiveType, Type};
use iceberg::table::StaticTable;
use profiler_crds::{ColumnKind, ColumnProfile, IcebergCatalog, MetadataStats};
use profiler_engine::{EngineError, column_kind, hex};
use tokio::runtime::Handle;

use super::catalog::split_identifier;
use super::s3_storage::{self, is_s3};
use super::select_columns;
use crate::error::WorkerError;

/// An opened Iceberg table at one snapshot, with the columns to profile.
pub struct IcebergSource {
    location: String,
    table: StaticTable,
    file_io: FileIO,
    snapshot_id: Option<i64>,
    columns: Vec<String>,
    /// Schema of the batches the partitions yield.
    pub schema: SchemaRef,
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
        let schema = match snapshot_id {
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
        let full: Schema = schema_to_arrow_schema(&schema).map_err(iceberg_err("convert schema", location))?;
        let roots = select_columns(&full, columns)?;
        let arrow_schema = Arc::new(full.project(&roots).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?);
        let columns = arrow_schema.fields().iter().map(|f| f.name().clone()).collect();
        Ok(Self { location: location.to_owned(), table, file_io, snapshot_id, columns, schema: arrow_schema })
    }

    /// The snapshot that is read (None for a table without snapshots).
    pub fn snapshot_id(&self) -> Option<i64> {
        self.snapshot_id.or_else(|| self.table.metadata().current_snapshot().map(|s| s.snapshot_id()))
    }

    /// Plans the scan: one partition per data file, in planning order sorted by path.
    pub async fn partitions(self) -> Result<Vec<DataFilePartition>, WorkerError> {
        if self.snapshot_id().is_none() {
            return Ok(Vec::new());
        }
        let mut builder = self.table.scan().select(self.columns.iter());
        if let Some(id) = self.snapshot_id {
            builder = builder.snapshot_id(id);
        }
        let scan = builder.build().map_err(iceberg_err("plan scan", &self.location))?;
        let mut tasks: Vec<FileScanTask> = scan
            .plan_files()
            .await
            .map_err(iceberg_err("plan scan", &self.location))?
            .try_collect()
            .await
            .map_err(iceberg_err("plan scan", &self.location))?;
        tasks.sort_by(|a, b| a.data_file_path.cmp(&b.data_file_path).then(a.start.cmp(&b.start)));
        let table = Arc::new(self.table);
        let runtime = Handle::current();
        Ok(tasks
            .into_iter()
            .map(|task| DataFilePartition {
                location: self.location.clone(),
                table: table.clone(),
                task,
                schema: self.schema.clone(),
                runtime: runtime.clone(),
            })
            .collect())
    }

    /// Column profiles from the manifests alone: row, null and value counts and min/max bounds.
    /// Returns the profiles and the number of data files described.
    pub async fn metadata_profile(&self) -> Result<(Vec<ColumnProfile>, u64), WorkerError> {
        let metadata = self.table.metadata();
        let Some(snapshot) = self.snapshot_id().and_then(|id| metadata.snapshot_by_id(id)) else {
            return Ok((self.leaves(&[]).into_iter().map(|l| l.finish(0)).collect(), 0));
        };
        let file_io = &self.file_io;
        let err = iceberg_err("read manifests", &self.location);
        let bytes = file_io.new_input(snapshot.manifest_list()).map_err(&err)?.read().await.map_err(&err)?;
        let list = ManifestList::parse_with_version(&bytes, metadata.format_version()).map_err(&err)?;
        let schema = snapshot
            .schema_id()
            .and_then(|sid| metadata.schema_by_id(sid).cloned())
            .unwrap_or_else(|| metadata.current_schema().clone());
        let mut leaves = self.leaves(schema.as_struct().fields());
        let mut files = 0u64;
        for manifest_file in list.entries() {
            let manifest = manifest_file.load_manifest(file_io).await.map_err(&err)?;
            for entry in manifest.entries().iter().filter(|e| e.is_alive()) {
                let data_file = entry.data_file();
                if data_file.content_type() != DataContentType::Data {
                    return Err(WorkerError::MetadataUnavailable(format!(
                        "snapshot {} has delete files, so manifest counts overstate the table; run a scan instead",
                        snapshot.snapshot_id()
                    )));
                }
                files += 1;
                for leaf in &mut leaves {
                    leaf.add(
                        data_file.record_count(),
                        data_file.null_value_counts(),
                        data_file.value_counts(),
                        data_file.nan_value_counts(),
                        data_file.lower_bounds(),
                        data_file.upper_bounds(),
                    );
                }
            }
        }
        Ok((leaves.into_iter().map(|l| l.finish(files)).collect(), files))
    }

    /// Primitive leaf fields of the selected columns (struct fields dotted), in schema order.
    fn leaves(&self, fields: &[NestedFieldRef]) -> Vec<ManifestLeaf> {
        let mut out = Vec::new();
        for name in &self.columns {
            if let Some(field) = fields.iter().find(|f| &f.name == name) {
                collect_leaves(field, "", &mut out);
            }
        }
        out
    }
}

fn collect_leaves(field: &NestedFieldRef, prefix: &str, out: &mut Vec<ManifestLeaf>) {
    let name = format!("{prefix}{}", field.name);
    match field.field_type.as_ref() {
        Type::Struct(s) => s.fields().iter().for_each(|f| collect_leaves(f, &format!("{name}."), out)),
        t @ Type::Primitive(_) => {
            let data_type = type_to_arrow_type(t).map(|d| d.to_string()).unwrap_or_else(|_| t.to_string());
            let kind = type_to_arrow_type(t).map(|d| column_kind(&d)).unwrap_or(ColumnKind::Other);
            out.push(ManifestLeaf { id: field.id, name, data_type, kind: Some(kind), ..ManifestLeaf::default() });
        }
        // Lists and maps carry statistics only for their elements; they are not summarised here.
        _ => {}
    }
}

/// Statistics of one leaf column summed over data files.
#[derive(Default)]
struct ManifestLeaf {
    id: i32,
    name: String,
    data_type: String,
    kind: Option<ColumnKind>,
    rows: u64,
    nulls: u64,
    nans: Option<u64>,
    files_with_stats: u64,
    lower: Option<Datum>,
    upper: Option<Datum>,
}

impl ManifestLeaf {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        rows: u64,
        nulls: &HashMap<i32, u64>,
        values: &HashMap<i32, u64>,
        nans: &HashMap<i32, u64>,
        lower: &HashMap<i32, Datum>,
        upper: &HashMap<i32, Datum>,
    ) {
        let Some(null_count) = nulls.get(&self.id) else { return };
        if !values.contains_key(&self.id) {
            return;
        }
        self.files_with_stats += 1;
        self.rows += rows;
        self.nulls += null_count;
        if let Some(n) = nans.get(&self.id) {
            *self.nans.get_or_insert(0) += n;
        }
        if let Some(l) = lower.get(&self.id)
            && self.lower.as_ref().is_none_or(|cur| l < cur)
        {
            self.lower = Some(l.clone());
        }
        if let Some(u) = upper.get(&self.id)
            && self.upper.as_ref().is_none_or(|cur| u > cur)
        {
            self.upper = Some(u.clone());
        }
    }

    fn finish(self, files: u64) -> ColumnProfile {
        let kind = self.kind.unwrap_or(ColumnKind::Other);
        ColumnProfile {
            min: self.lower.as_ref().map(render),
            max: self.upper.as_ref().map(render),
            metadata: Some(MetadataStats {
                files_with_stats: self.files_with_stats,
                files,
                nan_count: self.nans,
                bounds_may_be_truncated: matches!(kind, ColumnKind::String | ColumnKind::Binary),
            }),
            ..ColumnProfile::with_counts(self.name, self.data_type, kind, self.rows, self.nulls)
        }
    }
}

/// Renders a bound like the scan renders values: ISO 8601 for temporal values, hex for bytes.
fn render(d: &Datum) -> String {
    let iso = |t: Option<chrono::DateTime<chrono::Utc>>, zone: bool| {
        t.map(|t| format!("{}{}", t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f"), if zone { "Z" } else { "" }))
    };
    let text = match (d.data_type(), d.literal()) {
        (_, PrimitiveLiteral::String(s)) => Some(s.clone()),
        (_, PrimitiveLiteral::Binary(b)) => Some(hex(b)),
        (PrimitiveType::Timestamp, PrimitiveLiteral::Long(v)) => {
            iso(chrono::DateTime::from_timestamp_micros(*v), false)
        }
        (PrimitiveType::Timestamptz, PrimitiveLiteral::Long(v)) => {
            iso(chrono::DateTime::from_timestamp_micros(*v), true)
        }
        (PrimitiveType::TimestampNs, PrimitiveLiteral::Long(v)) => {
            iso(Some(chrono::DateTime::from_timestamp_nanos(*v)), false)
        }
        (PrimitiveType::TimestamptzNs, PrimitiveLiteral::Long(v)) => {
            iso(Some(chrono::DateTime::from_timestamp_nanos(*v)), true)
        }
        // Writers store -0.0 as the lower bound of a column whose minimum is 0.
        (_, PrimitiveLiteral::Double(v)) if v.0 == 0.0 => Some("0".into()),
        (_, PrimitiveLiteral::Float(v)) if v.0 == 0.0 => Some("0".into()),
        _ => None,
    };
    text.unwrap_or_else(|| d.to_string())
}

impl DataFilePartition {
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
