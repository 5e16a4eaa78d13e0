//! One profiling run: open the source, scan it (or read its metadata), assemble the document;
//! with a rule set, verify the rules in the same scan and assemble the check report too.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use arrow_schema::SchemaRef;
use chrono::{SecondsFormat, Utc};
use profiler_crds::quality::{CHECK_FORMAT_VERSION, CheckReport, CheckSummary, RuleResult, RuleSet, RuleType};
use profiler_crds::{
    ColumnProfile, IcebergReadInfo, PROFILE_FORMAT_VERSION, ProfileMode, Sampling, SamplingReport, SourceInfo,
    SourceKind, TableProfile,
};
use profiler_engine::quality::check::{Observed, judge, not_evaluated};
use profiler_engine::{ENGINE_VERSION, HistogramBounds, ProfileOptions, ScanOutput, ScanPlan, scan_with};
use tokio::runtime::Runtime;
use tracing::{info, info_span};

use crate::error::WorkerError;
use crate::source::iceberg::{IcebergSource, ManifestFacts, PIECE_BYTES, join_row_groups};
use crate::source::parquet::ParquetSource;
use crate::source::s3_storage::has_s3_scheme;
use crate::source::{SourcePartition, SourceSpec};

/// Everything a run needs to know.
#[derive(Debug, Clone)]
pub struct ProfileRequest {
    /// What to profile.
    pub source: SourceSpec,
    /// Top-level columns to profile, in this order; all when None.
    pub columns: Option<Vec<String>>,
    /// Row sampling.
    pub sampling: Sampling,
    /// Read only table metadata (Iceberg manifests), never a data file.
    pub metadata_only: bool,
    /// Metric options.
    pub options: ProfileOptions,
    /// Threads of the scan.
    pub threads: usize,
    /// Only the partitions with these keys (a fan-out group's, [`plan_parts`]); all when None.
    pub partitions: Option<Vec<String>>,
    /// Cut Iceberg data files into one partition per row group (a fan-out's plan and groups),
    /// so that one large file can be spread over several groups. Otherwise a file's row groups
    /// are read in pieces of at least [`PIECE_BYTES`].
    pub split_row_groups: bool,
}

impl ProfileRequest {
    /// Every column of `source`, every row, scanned with the default options on `threads`
    /// threads: what `profiler check` and a benchmark run.
    pub fn every_row(source: SourceSpec, threads: usize) -> Self {
        Self {
            source,
            columns: None,
            sampling: Sampling::Full,
            metadata_only: false,
            options: ProfileOptions::default(),
            threads,
            partitions: None,
            split_row_groups: false,
        }
    }
}

/// Rows read so far and rows expected (0 when unknown), for a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    /// Rows read so far.
    pub rows: AtomicU64,
    /// Rows the source holds, when known before the scan.
    pub total: AtomicU64,
}

/// What a run produced: the profile and, when rules were given, the check report of the same
/// scan.
#[derive(Debug, Clone)]
pub struct ProfileOutput {
    /// The profile document.
    pub profile: TableProfile,
    /// The rules' results (`check.json`), when the run had rules.
    pub check: Option<CheckReport>,
}

/// Runs the request and returns the profile document.
pub fn profile(request: &ProfileRequest, progress: &Progress) -> Result<TableProfile, WorkerError> {
    Ok(profile_and_check(request, None, progress)?.profile)
}

/// Profiles the request's source and, with `rules`, verifies them in the same scan: the data is
/// read once. Rules judge every row read, also when the profile samples. In metadata-only mode
/// (no data file read) a `rowCount` rule is judged from the manifests' row count and every other
/// rule is reported as not evaluated, with the reason.
pub fn profile_and_check(
    request: &ProfileRequest,
    rules: Option<&RuleSet>,
    progress: &Progress,
) -> Result<ProfileOutput, WorkerError> {
    profile_and_check_opened(request, None, rules, progress)
}

/// [`profile_and_check`] on a source already opened for the request ([`open_source`]), so that
/// a plan that found nothing to split does not open the source twice.
pub fn profile_and_check_opened(
    request: &ProfileRequest,
    opened: Option<OpenedScan>,
    rules: Option<&RuleSet>,
    progress: &Progress,
) -> Result<ProfileOutput, WorkerError> {
    let (profile, check) = run(request, opened, rules, true, progress)?;
    let profile = profile.ok_or_else(|| WorkerError::InvalidRequest("the run produced no profile".into()))?;
    Ok(ProfileOutput { profile, check })
}

/// Verifies `rules` against the request's source in one scan, without profiling (the
/// request's sampling must be full: rules judge every row).
pub fn check(request: &ProfileRequest, rules: &RuleSet, progress: &Progress) -> Result<CheckReport, WorkerError> {
    if request.sampling != Sampling::Full {
        return Err(WorkerError::InvalidRequest("rules are verified on every row; a check takes no sampling".into()));
    }
    let (_, check) = run(request, None, Some(rules), false, progress)?;
    check.ok_or_else(|| WorkerError::InvalidRequest("the run produced no check report".into()))
}

/// One run: the profile when `profiling`, the check report when `rules` are given; on `opened`
/// when the source was opened for the request already.
fn run(
    request: &ProfileRequest,
    opened: Option<OpenedScan>,
    rules: Option<&RuleSet>,
    profiling: bool,
    progress: &Progress,
) -> Result<(Option<TableProfile>, Option<CheckReport>), WorkerError> {
    let _span = info_span!("profile", source = request.source.location()).entered();
    let scan_plan = |sampling| ScanPlan {
        sampling,
        options: &request.options,
        threads: request.threads,
        rules: rules.map(|r| r.rules.as_slice()),
        profile: profiling,
    };
    request.options.validate()?;
    if request.metadata_only && request.sampling != Sampling::Full {
        return Err(WorkerError::InvalidRequest(
            "metadata-only mode reads no rows, so it takes no sampling option".into(),
        ));
    }
    let start = RunStart::now();
    let (source, mode, scanned, bytes_scanned) = if request.metadata_only {
        metadata_run(request, rules)?
    } else {
        let mut opened = match opened {
            Some(opened) => opened,
            None => open_source(request)?,
        };
        if let Some(keys) = &request.partitions {
            opened.select(keys)?;
        }
        if let Some(parquet) = &opened.parquet {
            progress.total.store(parquet.total_rows, std::sync::atomic::Ordering::Relaxed);
        }
        let bytes = opened.partitions.iter().map(SourcePartition::bytes).sum();
        let partitions = std::mem::take(&mut opened.partitions);
        // Bounds the request fixes (a fan-out plan's, an incremental base's) rule over the
        // source's own, so that partial profiles share their histograms' edges.
        let mut options = request.options.clone();
        if options.histogram_bounds.is_empty() {
            options.histogram_bounds = Arc::new(std::mem::take(&mut opened.bounds));
        }
        let plan = ScanPlan { options: &options, ..scan_plan(request.sampling) };
        let mut out = scan_with(opened.schema.clone(), partitions, &plan, &progress.rows)?;
        if let Some(ids) = &opened.field_ids {
            for column in &mut out.columns {
                column.field_id = ids.get(&column.name).copied();
            }
        }
        if let Some(parquet) = opened.parquet.as_ref().filter(|_| opened.runtime.is_some()) {
            let fetched = parquet.fetched();
            info!(requests = fetched.requests, bytes = fetched.bytes, "fetched from S3");
        }
        (opened.info, ProfileMode::Scan, out, bytes)
    };
    let checked_rows = if mode == ProfileMode::Metadata { scanned.rows_profiled } else { scanned.rows_read };
    let check = scanned.rules.map(|results| start.check_report(source.clone(), checked_rows, results));
    if let Some(report) = &check {
        info!(summary = report.summary.describe(), "rules verified");
    }
    if !profiling {
        return Ok((None, check));
    }
    let sampling = SamplingReport {
        sampling: request.sampling,
        rows_read: scanned.rows_read,
        rows_profiled: scanned.rows_profiled,
    };
    let profile = start.document(source, mode, sampling, bytes_scanned, scanned.columns);
    let SamplingReport { rows_read, rows_profiled, .. } = profile.sampling;
    info!(rows_read, rows_profiled, duration_ms = profile.duration_ms, "profile computed");
    Ok((Some(profile), check))
}

/// A source opened for a scan: what it is, the schema of its batches and its partitions, with
/// the runtime their reads run on (S3 objects, Iceberg files), which outlives them.
pub struct OpenedScan {
    info: SourceInfo,
    schema: SchemaRef,
    partitions: Vec<SourcePartition>,
    /// Iceberg field ids of the columns, by name.
    field_ids: Option<HashMap<String, i32>>,
    /// The Parquet files, whose S3 fetches are logged after the scan.
    parquet: Option<ParquetSource>,
    /// Where a later open reads the same data: the Iceberg metadata file opened (not the
    /// catalog's name, which may move on), or the Parquet location.
    pinned_location: String,
    /// `[min, max]` of numeric columns from the source's statistics (Parquet footers, Iceberg
    /// manifests): their histograms are counted exactly over these bounds.
    bounds: HistogramBounds,
    runtime: Option<Runtime>,
}

/// Opens the request's source for a scan and plans its partitions, in a stable order.
pub fn open_source(request: &ProfileRequest) -> Result<OpenedScan, WorkerError> {
    let columns = request.columns.as_deref();
    match &request.source {
        SourceSpec::Parquet { location } => {
            if request.metadata_only {
                return Err(metadata_needs_iceberg());
            }
            // Objects on S3 are listed and read on an I/O runtime that outlives the scan.
            let runtime =
                has_s3_scheme(location).then(|| crate::runtime::multi_thread(request.threads.max(1))).transpose()?;
            // A fan-out group opens only its own files.
            let only: Option<HashSet<String>> = request.partitions.as_ref().map(|keys| {
                keys.iter().map(|k| k.rsplit_once('#').map_or(k.as_str(), |(file, _)| file).to_owned()).collect()
            });
            let opened = match &runtime {
                Some(runtime) => runtime.block_on(ParquetSource::open_some(location, columns, only.as_ref())),
                None => ParquetSource::open_some_local(location, columns, only.as_ref()),
            };
            let parquet = match (opened, &request.partitions) {
                (Err(WorkerError::NoFiles(_)), Some(keys)) if !keys.is_empty() => return Err(part_gone(&keys[0])),
                (opened, _) => opened?,
            };
            let info = SourceInfo {
                kind: SourceKind::Parquet,
                location: location.clone(),
                files: parquet.file_count(),
                snapshot_id: None,
                iceberg: None,
            };
            Ok(OpenedScan {
                info,
                schema: parquet.schema.clone(),
                partitions: parquet.partitions().into_iter().map(SourcePartition::Parquet).collect(),
                bounds: parquet.bounds(),
                field_ids: None,
                parquet: Some(parquet),
                pinned_location: location.clone(),
                runtime,
            })
        }
        SourceSpec::Iceberg { location, snapshot_id, catalog } => {
            let runtime = crate::runtime::multi_thread(request.threads.max(1))?;
            let table = runtime.block_on(IcebergSource::open(location, catalog.as_ref(), *snapshot_id, columns))?;
            let snapshot = table.snapshot_id();
            let schema_id = table.schema_id();
            let ManifestFacts { partitioning, bounds, row_groups } = runtime.block_on(table.manifest_facts())?;
            let field_ids = table.field_ids();
            let schema = table.schema.clone();
            let pinned_location = table.metadata_location().to_owned();
            let mut plan = runtime.block_on(table.plan())?;
            let files = plan.data_files();
            plan = plan.split_row_groups(&row_groups);
            let pieces =
                if request.split_row_groups { plan.partitions } else { join_row_groups(plan.partitions, PIECE_BYTES) };
            let partitions: Vec<SourcePartition> =
                pieces.into_iter().map(|p| SourcePartition::Iceberg(Box::new(p))).collect();
            let info = SourceInfo {
                kind: SourceKind::Iceberg,
                location: location.clone(),
                files,
                snapshot_id: snapshot,
                iceberg: Some(IcebergReadInfo {
                    schema_id,
                    delete_files: plan.delete_files,
                    partitioning,
                    incremental: None,
                }),
            };
            Ok(OpenedScan {
                info,
                schema,
                partitions,
                field_ids: Some(field_ids),
                parquet: None,
                pinned_location,
                bounds,
                runtime: Some(runtime),
            })
        }
    }
}

/// The partitions named by `keys`, in the order of `keys`; every key must name one.
fn select_partitions(partitions: Vec<SourcePartition>, keys: &[String]) -> Result<Vec<SourcePartition>, WorkerError> {
    let mut by_key: HashMap<String, SourcePartition> = partitions.into_iter().map(|p| (p.key(), p)).collect();
    keys.iter().map(|key| by_key.remove(key).ok_or_else(|| part_gone(key))).collect()
}

/// Metadata-only mode asked of Parquet files.
fn metadata_needs_iceberg() -> WorkerError {
    WorkerError::InvalidRequest("metadata-only mode needs an Iceberg table; Parquet sources are scanned".into())
}

/// A planned partition the source no longer has.
fn part_gone(key: &str) -> WorkerError {
    WorkerError::InvalidRequest(format!(
        "the planned part {key} is no longer in the source: its files changed after the plan; rerun the job"
    ))
}

/// A source's parts as a fan-out plan sees them.
#[derive(Debug, Clone)]
pub struct PlannedParts {
    /// What the whole source is (every file).
    pub info: SourceInfo,
    /// Where the groups read the same data (see [`SourceSpec::pinned`]).
    pub pinned_location: String,
    /// `(key, bytes)` of every partition, in scan order.
    pub parts: Vec<(String, u64)>,
    /// `[min, max]` of numeric columns over every partition, from the source's statistics.
    pub bounds: HistogramBounds,
}

/// Opens the request's source and lists its partitions with their sizes, reading no data.
pub fn plan_parts(request: &ProfileRequest) -> Result<PlannedParts, WorkerError> {
    Ok(open_source(request)?.planned_parts())
}

impl OpenedScan {
    /// Joins the row-group ranges of each Iceberg data file into pieces of at least `min_bytes`
    /// ([`PIECE_BYTES`] is how a scan without a fan-out reads them: a scan planned for a fan-out
    /// that one task runs after all).
    pub fn join_row_groups(&mut self, min_bytes: u64) {
        let mut files = Vec::new();
        let mut others = Vec::new();
        for partition in std::mem::take(&mut self.partitions) {
            match partition {
                SourcePartition::Iceberg(p) => files.push(*p),
                other => others.push(other),
            }
        }
        others.extend(join_row_groups(files, min_bytes).into_iter().map(|p| SourcePartition::Iceberg(Box::new(p))));
        self.partitions = others;
    }

    /// Keeps the partitions named by `keys` (a fan-out group's, [`plan_parts`]), with their
    /// adjacent ranges of one Iceberg data file joined into pieces of at least [`PIECE_BYTES`], so
    /// that the group opens each file once per piece, as a scan in one task does. Fails when a
    /// key names no partition (the source changed after the plan).
    pub fn select(&mut self, keys: &[String]) -> Result<(), WorkerError> {
        self.partitions = select_partitions(std::mem::take(&mut self.partitions), keys)?;
        self.join_row_groups(PIECE_BYTES);
        Ok(())
    }

    /// The source's partitions with their sizes, as a fan-out plan sees them.
    pub fn planned_parts(&self) -> PlannedParts {
        PlannedParts {
            info: self.info.clone(),
            pinned_location: self.pinned_location.clone(),
            parts: self.partitions.iter().map(|p| (p.key(), p.bytes())).collect(),
            bounds: self.bounds.clone(),
        }
    }
}

/// A metadata-only run: the Iceberg snapshot's manifests summarized, no data file read.
fn metadata_run(
    request: &ProfileRequest,
    rules: Option<&RuleSet>,
) -> Result<(SourceInfo, ProfileMode, ScanOutput, u64), WorkerError> {
    let SourceSpec::Iceberg { location, snapshot_id, catalog } = &request.source else {
        return Err(metadata_needs_iceberg());
    };
    let runtime = crate::runtime::multi_thread(request.threads.max(1))?;
    let table =
        runtime.block_on(IcebergSource::open(location, catalog.as_ref(), *snapshot_id, request.columns.as_deref()))?;
    let summary = runtime.block_on(table.metadata_profile())?;
    let info = SourceInfo {
        kind: SourceKind::Iceberg,
        location: location.clone(),
        files: summary.data_files,
        snapshot_id: table.snapshot_id(),
        iceberg: Some(IcebergReadInfo {
            schema_id: table.schema_id(),
            delete_files: 0,
            partitioning: summary.partitioning,
            incremental: None,
        }),
    };
    let rules = rules.map(|set| metadata_rule_results(set, summary.rows));
    let out = ScanOutput { columns: summary.columns, rows_read: 0, rows_profiled: summary.rows, rules };
    Ok((info, ProfileMode::Metadata, out, 0))
}

/// The rules' results when only metadata is read: `rowCount` from the manifests' row count, every
/// other rule not evaluated.
fn metadata_rule_results(rules: &RuleSet, rows: u64) -> Vec<RuleResult> {
    rules
        .rules
        .iter()
        .map(|rule| match rule.rule_type {
            RuleType::RowCount => judge(rule, &Observed::Rows(rows)),
            other => not_evaluated(
                rule,
                format!("metadata-only mode reads no data rows, so a {other} rule cannot be evaluated; scan the table"),
            ),
        })
        .collect()
}

/// When a run started: its start time as the document writes it and a clock for its duration.
pub(crate) struct RunStart {
    started_at: String,
    clock: Instant,
}

impl RunStart {
    /// A run starting now.
    pub(crate) fn now() -> Self {
        Self { started_at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true), clock: Instant::now() }
    }

    /// The check report of this run's rule `results` over `rows` rows of `source`, finished now.
    pub(crate) fn check_report(&self, source: SourceInfo, rows: u64, results: Vec<RuleResult>) -> CheckReport {
        CheckReport {
            format_version: CHECK_FORMAT_VERSION,
            profiler_version: ENGINE_VERSION.to_owned(),
            source,
            row_count: rows,
            started_at: self.started_at.clone(),
            duration_ms: self.clock.elapsed().as_millis() as u64,
            summary: CheckSummary::of(&results),
            results,
        }
    }

    /// The document of this run, finished now: what it read (`source`, `mode`, `sampling`,
    /// `bytes_scanned`) and the profiles of its columns, stamped with this build's versions, with
    /// the alerts the profile shows.
    pub(crate) fn document(
        self,
        source: SourceInfo,
        mode: ProfileMode,
        sampling: SamplingReport,
        bytes_scanned: u64,
        columns: Vec<ColumnProfile>,
    ) -> TableProfile {
        let mut profile = TableProfile {
            format_version: PROFILE_FORMAT_VERSION,
            profiler_version: ENGINE_VERSION.to_owned(),
            source,
            mode,
            row_count: sampling.rows_profiled,
            sampling,
            column_count: columns.len() as u64,
            bytes_scanned: Some(bytes_scanned),
            started_at: self.started_at,
            duration_ms: self.clock.elapsed().as_millis() as u64,
            alerts: Vec::new(),
            columns,
        };
        profile.alerts = profiler_engine::alerts(&profile);
        profile
    }
}
