//! Fan-out of one job across tasks: the plan (the table's partitions split into groups of about
//! equal bytes), one group's partial profile, and the merge of the partial profiles.
//!
//! The first task of a run plans: when the job may fan out and more than one group is called
//! for, it writes `plan.json` and the state machine runs one task per group and then the merge;
//! otherwise it profiles the whole table itself. A group's task writes
//! `groups/<index>/profile.json` (a scan profile with its sketch images) and its own
//! `result.json`; a retried group overwrites both, so nothing is counted twice. The merge reads
//! every group's profile and merges them with the engine's exact merge of counts, moments and
//! bounds and its sketch merges.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use profiler_crds::fan_out::{
    AUTO_BYTES_PER_GROUP, GroupStep, PARTIAL_PROFILE_OBJECT, PLAN_OBJECT, Parallelism, group_prefix, group_step,
};
use profiler_crds::{JobDocument, SourceInfo, TASK_RESULT_OBJECT, TableProfile};
use profiler_engine::{HistogramBounds, ProfileOptions, merge_profiles};
use serde::{Deserialize, Serialize};
use tracing::info;

use crate::error::WorkerError;
use crate::run::{OpenedScan, PlannedParts, ProfileRequest, Progress, open_source};
use crate::sink::s3::S3Sink;
use crate::source::iceberg::PIECE_BYTES;
use crate::source::s3_storage::read_object;

/// `plan.json`: what the first task planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FanOutPlan {
    /// The whole source, as the merged profile reports it.
    pub source: SourceInfo,
    /// Where every group reads the same data (an Iceberg metadata file, or the Parquet location).
    pub pinned_location: String,
    /// When the run started (the merged profile's start).
    pub started_at: String,
    /// Compressed bytes of the projected columns in all groups.
    pub bytes: u64,
    /// The groups, by index.
    pub groups: Vec<PlannedGroup>,
    /// `[min, max]` of numeric columns over the whole source (its statistics): every group
    /// counts its histograms over these edges, so the merge keeps them exact.
    #[serde(default, skip_serializing_if = "HistogramBounds::is_empty")]
    pub histogram_bounds: HistogramBounds,
}

/// One group of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlannedGroup {
    /// Compressed bytes the group reads.
    pub bytes: u64,
    /// Keys of the partitions (row groups, data file ranges) the group reads, in scan order.
    pub parts: Vec<String>,
}

/// How many groups a job gets for `bytes` planned over `parts` partitions: one when the job
/// cannot fan out; its number, or one per [`AUTO_BYTES_PER_GROUP`] up to its `maxParallelism`;
/// never more than the partitions.
pub fn group_count(doc: &JobDocument, bytes: u64, parts: usize) -> usize {
    if doc.single_task_reason().is_some() {
        return 1;
    }
    let wanted = match doc.parallelism {
        Parallelism::Groups(n) => n as usize,
        Parallelism::Auto => (bytes.div_ceil(AUTO_BYTES_PER_GROUP) as usize).min(doc.max_parallelism as usize),
    };
    wanted.min(parts).max(1)
}

/// Splits `parts` (`(key, bytes)` in scan order) into `groups` groups of about equal bytes:
/// largest partition first, each to the lightest group so far (ties to the lower index); each
/// group keeps its partitions in scan order. No group is empty when `groups <= parts.len()`.
pub fn balance(parts: &[(String, u64)], groups: usize) -> Vec<PlannedGroup> {
    let groups = groups.max(1);
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    let mut loads = vec![0u64; groups];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (n, i) in order.into_iter().enumerate() {
        // The first `groups` partitions seed one group each, so none stays empty.
        let target = if n < groups { n } else { (0..groups).min_by_key(|&g| (loads[g], g)).unwrap_or(0) };
        loads[target] += parts[i].1;
        members[target].push(i);
    }
    members
        .into_iter()
        .zip(loads)
        .filter(|(m, _)| !m.is_empty())
        .map(|(mut m, bytes)| {
            m.sort_unstable();
            PlannedGroup { bytes, parts: m.into_iter().map(|i| parts[i].0.clone()).collect() }
        })
        .collect()
}

/// What the first task does with the job's whole scan.
pub enum Planned {
    /// Split it into groups.
    FanOut(FanOutPlan),
    /// Profile it in this task, on the source as the plan opened it (None when the job cannot
    /// split, so nothing was opened).
    OneTask(Option<OpenedScan>),
}

/// The plan for `request` (the job's whole scan): its groups, or one task.
pub fn plan(doc: &JobDocument, request: &ProfileRequest) -> Result<Planned, WorkerError> {
    if doc.single_task_reason().is_some() || doc.parallelism == Parallelism::Groups(1) {
        return Ok(Planned::OneTask(None));
    }
    let started_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut opened = open_source(&ProfileRequest { split_row_groups: true, ..request.clone() })?;
    let PlannedParts { info, pinned_location, parts, bounds } = opened.planned_parts();
    let bytes = parts.iter().map(|(_, b)| b).sum();
    let count = group_count(doc, bytes, parts.len());
    info!(parts = parts.len(), bytes, groups = count, "planned");
    if count <= 1 {
        opened.join_row_groups(PIECE_BYTES);
        return Ok(Planned::OneTask(Some(opened)));
    }
    let groups = balance(&parts, count);
    Ok(Planned::FanOut(FanOutPlan {
        source: info,
        pinned_location,
        started_at,
        bytes,
        groups,
        histogram_bounds: bounds,
    }))
}

/// The Map state's items for `plan`: each group's step and the key of its `result.json`.
pub fn group_steps(doc: &JobDocument, plan: &FanOutPlan) -> Vec<GroupStep> {
    (0..plan.groups.len() as u32)
        .map(|i| GroupStep {
            step: group_step(i),
            result_key: format!("{}{}{TASK_RESULT_OBJECT}", doc.output_prefix(), group_prefix(i)),
        })
        .collect()
}

/// The request that profiles group `index` of `plan`: the job's scan, read from the pinned
/// location and narrowed to the group's partitions.
pub fn group_request(request: &ProfileRequest, plan: &FanOutPlan, index: u32) -> Result<ProfileRequest, WorkerError> {
    let group = plan.groups.get(index as usize).ok_or_else(|| {
        WorkerError::InvalidRequest(format!("the plan has {} groups; there is no group {index}", plan.groups.len()))
    })?;
    let options =
        ProfileOptions { histogram_bounds: Arc::new(plan.histogram_bounds.clone()), ..request.options.clone() };
    Ok(ProfileRequest {
        source: request.source.pinned(&plan.pinned_location),
        partitions: Some(group.parts.clone()),
        split_row_groups: true,
        options,
        ..request.clone()
    })
}

/// Profiles group `index` of `plan` and returns its partial profile.
pub fn profile_group(request: &ProfileRequest, plan: &FanOutPlan, index: u32) -> Result<TableProfile, WorkerError> {
    let group = group_request(request, plan, index)?;
    crate::run::profile(&group, &Progress::default())
}

/// The profile of the whole table from the groups' `partials` (in group order): merged, then
/// reported as one run of the plan's source that started when the plan did.
pub fn merge_partials(
    plan: &FanOutPlan,
    partials: Vec<TableProfile>,
    options: &ProfileOptions,
) -> Result<TableProfile, WorkerError> {
    let mut partials = partials.into_iter();
    let first = partials.next().ok_or_else(|| WorkerError::InvalidRequest("the plan has no groups".into()))?;
    let mut merged = partials.try_fold(first, |acc, p| merge_profiles(&acc, &p, options))?;
    merged.source = plan.source.clone();
    merged.bytes_scanned = Some(plan.bytes);
    if let Ok(started) = DateTime::parse_from_rfc3339(&plan.started_at) {
        merged.duration_ms = (Utc::now() - started.with_timezone(&Utc)).num_milliseconds().max(0) as u64;
    }
    merged.started_at = plan.started_at.clone();
    Ok(merged)
}

/// Writes `plan.json` under the attempt's prefix.
pub async fn write_plan(sink: &S3Sink, plan: &FanOutPlan) -> Result<String, WorkerError> {
    let body = serde_json::to_vec(plan)
        .map_err(|e| WorkerError::S3Output { uri: sink.uri(PLAN_OBJECT), message: e.to_string() })?;
    sink.put(PLAN_OBJECT, body, "application/json").await
}

/// Reads the attempt's `plan.json`.
pub async fn read_plan(sink: &S3Sink) -> Result<FanOutPlan, WorkerError> {
    read_json(sink, &sink.uri(PLAN_OBJECT), "read the fan-out plan").await
}

/// Writes group `index`'s partial profile; returns its URI.
pub async fn write_partial(sink: &S3Sink, index: u32, profile: &TableProfile) -> Result<String, WorkerError> {
    let name = format!("{}{PARTIAL_PROFILE_OBJECT}", group_prefix(index));
    let body = serde_json::to_vec(profile)
        .map_err(|e| WorkerError::S3Output { uri: sink.uri(&name), message: e.to_string() })?;
    sink.put(&name, body, "application/json").await
}

/// Reads every group's partial profile, in group order.
pub async fn read_partials(sink: &S3Sink, plan: &FanOutPlan) -> Result<Vec<TableProfile>, WorkerError> {
    let mut partials = Vec::with_capacity(plan.groups.len());
    for index in 0..plan.groups.len() as u32 {
        let uri = sink.uri(&format!("{}{PARTIAL_PROFILE_OBJECT}", group_prefix(index)));
        partials.push(read_json(sink, &uri, "read a group's profile").await?);
    }
    Ok(partials)
}

async fn read_json<T: serde::de::DeserializeOwned>(
    sink: &S3Sink,
    uri: &str,
    step: &'static str,
) -> Result<T, WorkerError> {
    let bytes = read_object(sink.client(), uri, step).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| WorkerError::BadProfile { path: uri.into(), reason: format!("could not {step}: {e}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(sizes: &[u64]) -> Vec<(String, u64)> {
        sizes.iter().enumerate().map(|(i, b)| (format!("f{i}"), *b)).collect()
    }

    #[test]
    fn groups_balance_bytes_and_keep_scan_order() {
        let groups = balance(&parts(&[10, 80, 30, 30, 20, 10]), 3);
        let loads: Vec<u64> = groups.iter().map(|g| g.bytes).collect();
        assert_eq!(loads, vec![80, 50, 50]);
        assert_eq!(groups[1].parts, vec!["f2", "f4"]);
        assert_eq!(groups[2].parts, vec!["f0", "f3", "f5"]);
        let all: usize = groups.iter().map(|g| g.parts.len()).sum();
        assert_eq!(all, 6, "every part in exactly one group");
    }

    #[test]
    fn no_group_is_empty_even_when_parts_are_zero_bytes() {
        let groups = balance(&parts(&[0, 0, 0, 0]), 4);
        assert_eq!(groups.len(), 4);
        assert!(groups.iter().all(|g| g.parts.len() == 1));
        assert_eq!(balance(&parts(&[5, 5]), 4).len(), 2, "never more groups than parts");
    }
}
