//! What a snapshot's manifests say without opening a data file: per-column counts and bounds
//! (metadata mode), the partition specs and per-partition counts, and the delete files.
//!
//! Columns are matched to manifest statistics by field id under the read schema, so a renamed
//! column keeps its counts and bounds, a column added after a data file was written counts every
//! row of that file as null (the file's manifest was written under a schema without the field),
//! and bounds written under a narrower type are promoted to the column's current type.

use std::collections::{BTreeMap, HashMap};

use iceberg::io::FileIO;
use iceberg::spec::{
    DataContentType, DataFile, Datum, ManifestList, NestedFieldRef, Schema, SchemaRef, Snapshot, TableMetadata,
    Transform, Type,
};
use profiler_crds::{
    ColumnKind, ColumnProfile, MAX_REPORTED_PARTITIONS, MetadataStats, PartitionCount, PartitionFieldInfo,
    PartitionSpecInfo, Partitioning,
};
use profiler_engine::column_kind;

use super::render::{partition_value, promote, render};
use super::split::RowGroupStarts;
use crate::error::WorkerError;

/// What the manifests of one snapshot describe.
pub struct ManifestSummary {
    /// Per-column figures of the selected columns, in schema order.
    pub columns: Vec<ColumnProfile>,
    /// Record count of the live data files (deleted rows included when there are delete files).
    pub rows: u64,
    /// Live data files.
    pub data_files: u64,
    /// Live delete files (position and equality deletes).
    pub delete_files: u64,
    /// Partition specs and counts; None when every live data file is unpartitioned.
    pub partitioning: Option<Partitioning>,
    /// Row-group starts of the live data files that list two or more (`split_offsets`).
    pub row_groups: RowGroupStarts,
}

/// Reads the manifests of `snapshot` and sums their statistics for the `selected` top-level
/// fields of `read_schema`.
pub async fn summarize(
    metadata: &TableMetadata,
    snapshot: &Snapshot,
    read_schema: &Schema,
    selected: &[NestedFieldRef],
    file_io: &FileIO,
) -> Result<ManifestSummary, iceberg::Error> {
    let bytes = file_io.new_input(snapshot.manifest_list())?.read().await?;
    let list = ManifestList::parse_with_version(&bytes, metadata.format_version())?;
    let mut leaves = Vec::new();
    for field in selected {
        collect_leaves(field, "", &mut leaves);
    }
    let mut partitions = PartitionTally::default();
    let (mut rows, mut data_files, mut delete_files) = (0u64, 0u64, 0u64);
    let mut row_groups = RowGroupStarts::new();
    for manifest_file in list.entries() {
        let manifest = manifest_file.load_manifest(file_io).await?;
        let written_under = manifest.metadata().schema().clone();
        let spec_id = manifest.metadata().partition_spec().spec_id();
        for entry in manifest.entries().iter().filter(|e| e.is_alive()) {
            let file = entry.data_file();
            if file.content_type() != DataContentType::Data {
                delete_files += 1;
                partitions.add(metadata, spec_id, file, true);
                continue;
            }
            data_files += 1;
            rows += file.record_count();
            if let Some(offsets) = file.split_offsets().filter(|o| o.len() > 1) {
                let starts = offsets.iter().filter_map(|&o| u64::try_from(o).ok()).collect();
                row_groups.insert(file.file_path().to_owned(), starts);
            }
            partitions.add(metadata, spec_id, file, false);
            for leaf in &mut leaves {
                let predates = written_under.field_by_id(leaf.id).is_none();
                leaf.add(file, predates);
            }
        }
    }
    let columns = leaves.into_iter().map(|l| l.finish(data_files)).collect();
    let partitioning = partitions.finish(metadata, read_schema);
    Ok(ManifestSummary { columns, rows, data_files, delete_files, partitioning, row_groups })
}

fn collect_leaves(field: &NestedFieldRef, prefix: &str, out: &mut Vec<ManifestLeaf>) {
    let name = format!("{prefix}{}", field.name);
    match field.field_type.as_ref() {
        Type::Struct(s) => s.fields().iter().for_each(|f| collect_leaves(f, &format!("{name}."), out)),
        t @ Type::Primitive(primitive) => {
            let arrow = iceberg::arrow::type_to_arrow_type(t);
            let data_type = arrow.as_ref().map(|d| d.to_string()).unwrap_or_else(|_| t.to_string());
            let kind = arrow.map(|d| column_kind(&d)).unwrap_or(ColumnKind::Other);
            out.push(ManifestLeaf::new(field.id, name, data_type, kind, primitive.clone()));
        }
        // Lists and maps carry statistics only for their elements; they are not summarised here.
        _ => {}
    }
}

/// Statistics of one leaf column summed over data files.
struct ManifestLeaf {
    id: i32,
    name: String,
    data_type: String,
    kind: ColumnKind,
    primitive: iceberg::spec::PrimitiveType,
    rows: u64,
    nulls: u64,
    nans: Option<u64>,
    files_with_stats: u64,
    lower: Option<Datum>,
    upper: Option<Datum>,
}

impl ManifestLeaf {
    fn new(
        id: i32,
        name: String,
        data_type: String,
        kind: ColumnKind,
        primitive: iceberg::spec::PrimitiveType,
    ) -> Self {
        Self {
            id,
            name,
            data_type,
            kind,
            primitive,
            rows: 0,
            nulls: 0,
            nans: None,
            files_with_stats: 0,
            lower: None,
            upper: None,
        }
    }

    /// Adds one data file. A file written before the column existed holds only nulls for it.
    fn add(&mut self, file: &DataFile, predates_column: bool) {
        let rows = file.record_count();
        if predates_column {
            self.files_with_stats += 1;
            self.rows += rows;
            self.nulls += rows;
            return;
        }
        let Some(null_count) = file.null_value_counts().get(&self.id) else { return };
        if !file.value_counts().contains_key(&self.id) {
            return;
        }
        self.files_with_stats += 1;
        self.rows += rows;
        self.nulls += null_count;
        if let Some(n) = file.nan_value_counts().get(&self.id) {
            *self.nans.get_or_insert(0) += n;
        }
        if let Some(l) = file.lower_bounds().get(&self.id).and_then(|d| promote(d, &self.primitive))
            && self.lower.as_ref().is_none_or(|cur| &l < cur)
        {
            self.lower = Some(l);
        }
        if let Some(u) = file.upper_bounds().get(&self.id).and_then(|d| promote(d, &self.primitive))
            && self.upper.as_ref().is_none_or(|cur| &u > cur)
        {
            self.upper = Some(u);
        }
    }

    fn finish(self, files: u64) -> ColumnProfile {
        let kind = self.kind;
        ColumnProfile {
            field_id: Some(self.id),
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

/// Rows and files per (spec id, partition values), with the values already rendered.
#[derive(Default)]
struct PartitionTally {
    counts: BTreeMap<(i32, Vec<Option<String>>), PartitionCount>,
    /// Field names, transforms and value types of each spec met so far.
    specs: HashMap<i32, Vec<(String, Transform, Option<Type>)>>,
}

impl PartitionTally {
    fn add(&mut self, metadata: &TableMetadata, spec_id: i32, file: &DataFile, delete: bool) {
        let fields = self.specs.entry(spec_id).or_insert_with(|| spec_fields(metadata, spec_id));
        let values: Vec<Option<String>> = fields
            .iter()
            .enumerate()
            .map(|(i, (_, transform, result_type))| {
                let value = file.partition().fields().get(i).and_then(Option::as_ref);
                result_type.as_ref().and_then(|t| partition_value(transform, t, value))
            })
            .collect();
        let entry = self.counts.entry((spec_id, values)).or_insert_with_key(|(_, values)| PartitionCount {
            spec_id,
            values: fields.iter().map(|(name, ..)| name.clone()).zip(values.iter().cloned()).collect(),
            rows: 0,
            data_files: 0,
            delete_files: 0,
        });
        if delete {
            entry.delete_files += 1;
        } else {
            entry.rows += file.record_count();
            entry.data_files += 1;
        }
    }

    fn finish(self, metadata: &TableMetadata, schema: &Schema) -> Option<Partitioning> {
        let spec_ids: Vec<i32> = {
            let mut ids: Vec<i32> = self.counts.keys().map(|(id, _)| *id).collect();
            ids.dedup();
            ids
        };
        let specs: Vec<PartitionSpecInfo> = spec_ids
            .iter()
            .map(|id| PartitionSpecInfo {
                spec_id: *id,
                fields: metadata
                    .partition_spec_by_id(*id)
                    .map(|spec| {
                        spec.fields()
                            .iter()
                            .map(|f| PartitionFieldInfo {
                                name: f.name.clone(),
                                source_column: schema.name_by_field_id(f.source_id).unwrap_or_default().to_owned(),
                                source_field_id: f.source_id,
                                transform: f.transform.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        if specs.iter().all(|s| s.fields.is_empty()) {
            return None;
        }
        let partition_count = self.counts.len() as u64;
        let partitions_truncated = self.counts.len() > MAX_REPORTED_PARTITIONS;
        let partitions = self.counts.into_values().take(MAX_REPORTED_PARTITIONS).collect();
        Some(Partitioning {
            default_spec_id: metadata.default_partition_spec_id(),
            specs,
            partition_count,
            partitions,
            partitions_truncated,
        })
    }
}

/// The error a metadata-only profile of a snapshot with delete files gets.
pub fn deletes_refused(snapshot_id: i64, delete_files: u64) -> WorkerError {
    WorkerError::MetadataUnavailable(format!(
        "snapshot {snapshot_id} has {delete_files} merge-on-read delete file(s), so the manifests' counts include \
         deleted rows; profile without --metadata-only (metadataOnly: false) to apply the deletes"
    ))
}

/// Field names, transforms and value types of partition spec `spec_id`. The value types come
/// from the first of the table's schemas (newest first) that still holds every source column,
/// so a spec over a since-dropped column still renders its values.
fn spec_fields(metadata: &TableMetadata, spec_id: i32) -> Vec<(String, Transform, Option<Type>)> {
    let Some(spec) = metadata.partition_spec_by_id(spec_id) else { return Vec::new() };
    let mut schemas: Vec<&SchemaRef> = metadata.schemas_iter().collect();
    schemas.sort_by_key(|s| std::cmp::Reverse(s.schema_id()));
    let types = schemas.iter().find_map(|schema| spec.partition_type(schema).ok());
    spec.fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let result_type = types.as_ref().and_then(|t| t.fields().get(i)).map(|t| t.field_type.as_ref().clone());
            (f.name.clone(), f.transform, result_type)
        })
        .collect()
}

/// Field ids by dotted name (struct fields as `parent.child`), for attaching ids to the scan's
/// column profiles.
pub fn field_ids(selected: &[NestedFieldRef]) -> HashMap<String, i32> {
    let mut out = Vec::new();
    for field in selected {
        collect_ids(field, "", &mut out);
    }
    out.into_iter().collect()
}

fn collect_ids(field: &NestedFieldRef, prefix: &str, out: &mut Vec<(String, i32)>) {
    let name = format!("{prefix}{}", field.name);
    if let Type::Struct(s) = field.field_type.as_ref() {
        s.fields().iter().for_each(|f| collect_ids(f, &format!("{name}."), out));
    }
    out.push((name, field.id));
}
