//! Incremental profiles of Iceberg tables that grow by appends: a profile of the read snapshot
//! built from the profile of an earlier snapshot (the base) and a scan of only the data files
//! added since, merged with the engine's merge (exact for counts, nulls, bounds and moments;
//! sketches through their merges). Anything but appends since the base (an overwrite, a delete, a
//! replace, another schema, an expired or foreign base snapshot), a base that is not a full scan
//! of the same columns, or a base whose files are gone falls back to a full scan; the profile
//! says which path was taken and why (`source.iceberg.incremental`).

use std::collections::HashSet;
use std::sync::Arc;

use profiler_crds::{IncrementalRead, ProfileMode, Sampling, SourceKind, TableProfile};
use profiler_engine::{HistogramBounds, ProfileOptions, merge_profiles};
use tracing::info;

use crate::error::WorkerError;
use crate::run::{
    OpenedScan, PlannedParts, ProfileRequest, Progress, open_source, plan_parts, profile, profile_and_check_opened,
};
use crate::source::SourceSpec;
use crate::source::iceberg::{DataFilePartition, IcebergSource};

/// The profile of the request's Iceberg snapshot built on `base` (or, when there is none, why
/// not): the appended data files only when the snapshot is `base`'s plus appends, else a full
/// scan; either way with `source.iceberg.incremental` filled in.
pub fn profile_incremental(
    request: &ProfileRequest,
    base: Result<&TableProfile, String>,
    progress: &Progress,
) -> Result<TableProfile, WorkerError> {
    let SourceSpec::Iceberg { location, snapshot_id, catalog } = &request.source else {
        return Err(WorkerError::InvalidRequest("an incremental profile needs an Iceberg table".into()));
    };
    // Pin the table state once: every read below opens the same metadata file.
    let runtime = crate::runtime::current_thread()?;
    let table =
        runtime.block_on(IcebergSource::open(location, catalog.as_ref(), *snapshot_id, request.columns.as_deref()))?;
    let pinned = SourceSpec::Iceberg {
        location: table.metadata_location().to_owned(),
        snapshot_id: *snapshot_id,
        catalog: None,
    };
    let request = ProfileRequest { source: pinned, ..request.clone() };
    let base = base.and_then(|b| match b.source.snapshot_id.filter(|_| b.source.kind == SourceKind::Iceberg) {
        Some(snapshot) => Ok((b, snapshot)),
        None => Err("the base profile is not a profile of an Iceberg snapshot".to_owned()),
    });
    let path = match &base {
        Err(reason) => Path::FullScan(reason.clone()),
        Ok((base, snapshot)) => match unusable_base(&request, base).or_else(|| table.not_appends_since(*snapshot)) {
            Some(reason) => Path::FullScan(reason),
            None => appended_parts(&request, base, *snapshot)?,
        },
    };
    let base_snapshot = base.as_ref().ok().map(|(_, snapshot)| *snapshot);
    drop(table);
    let (mut merged, files_read, reason, was_merged) = match path {
        Path::Appends { base, keys, total, opened } => {
            // A key names a piece of a data file; large files are read in several.
            let files = keys.iter().map(|k| DataFilePartition::data_file_of(k)).collect::<HashSet<_>>().len() as u64;
            info!(base_snapshot, appended = files, of = total, "incremental: reading the appended files");
            // Counted over the base's exact histogram edges, so that the merge keeps them.
            let options = ProfileOptions { histogram_bounds: Arc::new(exact_edges(base)), ..request.options.clone() };
            let appended = ProfileRequest { partitions: Some(keys), options, ..request.clone() };
            // On the snapshot as the planning opened it: its manifests are not read again.
            let mut added = profile_and_check_opened(&appended, Some(*opened), None, progress)?.profile;
            // The appended files under the base's columns: an empty append still reports the new
            // snapshot.
            added.source.files = total;
            let mut merged = merge_profiles(base, &added, &request.options)?;
            merged.source = added.source.clone();
            merged.bytes_scanned = added.bytes_scanned;
            merged.started_at = added.started_at.clone();
            merged.duration_ms = added.duration_ms;
            let reason = format!("only appends since snapshot {}", base_snapshot.unwrap_or_default());
            (merged, files, reason, true)
        }
        Path::FullScan(reason) => {
            info!(base_snapshot, reason, "incremental: scanning the whole snapshot");
            let full = profile(&request, progress)?;
            let files = full.source.files;
            (full, files, reason, false)
        }
    };
    if let Some(iceberg) = merged.source.iceberg.as_mut() {
        iceberg.incremental =
            Some(IncrementalRead { base_snapshot_id: base_snapshot, merged: was_merged, files_read, reason });
    }
    merged.source.location = location.clone();
    Ok(merged)
}

/// What an incremental run reads.
enum Path<'a> {
    /// The base profile, the partition keys of the data files appended since, the snapshot's
    /// data file count, and the snapshot as opened to plan them.
    Appends { base: &'a TableProfile, keys: Vec<String>, total: u64, opened: Box<OpenedScan> },
    /// The whole snapshot, for this reason.
    FullScan(String),
}

/// Why `base` cannot be merged with a scan of the request, if it cannot.
fn unusable_base(request: &ProfileRequest, base: &TableProfile) -> Option<String> {
    if base.mode != ProfileMode::Scan || base.sampling.sampling != Sampling::Full {
        return Some("the base profile is not a full scan (metadata-only or sampled)".into());
    }
    if request.sampling != Sampling::Full || request.metadata_only {
        return Some("this run samples or reads metadata only; an incremental profile adds full scans".into());
    }
    if base.source.iceberg.as_ref().is_some_and(|i| i.delete_files > 0) {
        return Some("the base snapshot had delete files".into());
    }
    let wanted: Option<HashSet<&str>> = request.columns.as_ref().map(|c| c.iter().map(String::as_str).collect());
    let based: HashSet<&str> = base.columns.iter().map(|c| c.name.as_str()).collect();
    match wanted {
        Some(wanted) if wanted != based => Some("the base profile has other columns than this run".into()),
        _ => None,
    }
}

/// The partitions of the read snapshot that the base snapshot does not have; a full scan when the
/// base's files are not all still there or deletes apply.
fn appended_parts<'a>(
    request: &ProfileRequest,
    base: &'a TableProfile,
    base_snapshot: i64,
) -> Result<Path<'a>, WorkerError> {
    let SourceSpec::Iceberg { location, .. } = &request.source else {
        return Ok(Path::FullScan("not an Iceberg table".into()));
    };
    let opened = open_source(request)?;
    let now: PlannedParts = opened.planned_parts();
    if now.info.iceberg.as_ref().is_some_and(|i| i.delete_files > 0) {
        return Ok(Path::FullScan("the snapshot read has delete files".into()));
    }
    let at_base = SourceSpec::Iceberg { location: location.clone(), snapshot_id: Some(base_snapshot), catalog: None };
    let then = plan_parts(&ProfileRequest { source: at_base, partitions: None, ..request.clone() })?;
    let now_keys: HashSet<&str> = now.parts.iter().map(|(k, _)| k.as_str()).collect();
    if let Some((gone, _)) = then.parts.iter().find(|(k, _)| !now_keys.contains(k.as_str())) {
        return Ok(Path::FullScan(format!("the base snapshot's file {gone} is no longer in the snapshot read")));
    }
    let then_keys: HashSet<&str> = then.parts.iter().map(|(k, _)| k.as_str()).collect();
    let keys = now.parts.iter().filter(|(k, _)| !then_keys.contains(k.as_str())).map(|(k, _)| k.clone()).collect();
    Ok(Path::Appends { base, keys, total: now.info.files, opened: Box::new(opened) })
}

/// The `[lower, upper]` of the base profile's exact histograms, by column.
fn exact_edges(base: &TableProfile) -> HistogramBounds {
    base.columns
        .iter()
        .filter_map(|c| {
            let d = c.numeric.as_ref()?.distribution.as_ref().filter(|d| d.histogram_exact)?;
            Some((c.name.clone(), (d.histogram.first()?.lower, d.histogram.last()?.upper)))
        })
        .collect()
}
