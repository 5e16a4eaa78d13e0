//! One profiling run: open the source, scan it (or read its metadata), assemble the document;
//! with a rule set, verify the rules in the same scan and assemble the check report too.

use std::sync::atomic::AtomicU64;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};
use profiler_crds::quality::{CHECK_FORMAT_VERSION, CheckReport, CheckSummary, RuleResult, RuleSet, RuleType};
use profiler_crds::{
    ColumnProfile, IcebergReadInfo, PROFILE_FORMAT_VERSION, ProfileMode, Sampling, SamplingReport, SourceInfo,
    SourceKind, TableProfile,
};
use profiler_engine::quality::check::{Observed, judge, not_evaluated};
use profiler_engine::{ENGINE_VERSION, ProfileOptions, ScanOutput, ScanPlan, scan_with};
use tracing::{info, info_span};

use crate::error::WorkerError;
use crate::source::iceberg::IcebergSource;
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
    let (profile, check) = run(request, rules, true, progress)?;
    let profile = profile.ok_or_else(|| WorkerError::InvalidRequest("the run produced no profile".into()))?;
    Ok(ProfileOutput { profile, check })
}

/// Verifies `rules` against the request's source in one scan, without profiling (the
/// request's sampling must be full: rules judge every row).
pub fn check(request: &ProfileRequest, rules: &RuleSet, progress: &Progress) -> Result<CheckReport, WorkerError> {
    if request.sampling != Sampling::Full {
        return Err(WorkerError::InvalidRequest("rules are verified on every row; a check takes no sampling".into()));
    }
    let (_, check) = run(request, Some(rules), false, progress)?;
    check.ok_or_else(|| WorkerError::InvalidRequest("the run produced no check report".into()))
}

/// One run: the profile when `profiling`, the check report when `rules` are given.
fn run(
    request: &ProfileRequest,
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
    let columns = request.columns.as_deref();
    let (source, mode, scanned, bytes_scanned) = match &request.source {
        SourceSpec::Parquet { location } => {
            if request.metadata_only {
                return Err(WorkerError::InvalidRequest(
                    "metadata-only mode needs an Iceberg table; Parquet sources are scanned".into(),
                ));
            }
            // Objects on S3 are listed and read on an I/O runtime that outlives the scan.
            let runtime =
                has_s3_scheme(location).then(|| crate::runtime::multi_thread(request.threads.max(1))).transpose()?;
            let parquet = match &runtime {
                Some(runtime) => runtime.block_on(ParquetSource::open_any(location, columns))?,
                None => ParquetSource::open(location, columns)?,
            };
            progress.total.store(parquet.total_rows, std::sync::atomic::Ordering::Relaxed);
            let info = SourceInfo {
                kind: SourceKind::Parquet,
                location: location.clone(),
                files: parquet.file_count(),
                snapshot_id: None,
                iceberg: None,
            };
            let partitions: Vec<SourcePartition> =
                parquet.partitions().into_iter().map(SourcePartition::Parquet).collect();
            let bytes = partitions.iter().map(SourcePartition::bytes).sum();
            let out = scan_with(parquet.schema.clone(), partitions, &scan_plan(request.sampling), &progress.rows)?;
            if runtime.is_some() {
                let fetched = parquet.fetched();
                info!(requests = fetched.requests, bytes = fetched.bytes, "fetched from S3");
            }
            (info, ProfileMode::Scan, out, bytes)
        }
        SourceSpec::Iceberg { location, snapshot_id, catalog } => {
            let runtime = crate::runtime::multi_thread(request.threads.max(1))?;
            let table = runtime.block_on(IcebergSource::open(location, catalog.as_ref(), *snapshot_id, columns))?;
            let snapshot = table.snapshot_id();
            let schema_id = table.schema_id();
            let info = |files: u64, delete_files: u64, partitioning| SourceInfo {
                kind: SourceKind::Iceberg,
                location: location.clone(),
                files,
                snapshot_id: snapshot,
                iceberg: Some(IcebergReadInfo { schema_id, delete_files, partitioning }),
            };
            if request.metadata_only {
                let summary = runtime.block_on(table.metadata_profile())?;
                let rules = rules.map(|set| metadata_rule_results(set, summary.rows));
                let out = ScanOutput { columns: summary.columns, rows_read: 0, rows_profiled: summary.rows, rules };
                (info(summary.data_files, 0, summary.partitioning), ProfileMode::Metadata, out, 0)
            } else {
                let partitioning = runtime.block_on(table.partitioning())?;
                let field_ids = table.field_ids();
                let schema = table.schema.clone();
                let plan = runtime.block_on(table.plan())?;
                let partitions: Vec<SourcePartition> =
                    plan.partitions.into_iter().map(|p| SourcePartition::Iceberg(Box::new(p))).collect();
                let info = info(partitions.len() as u64, plan.delete_files, partitioning);
                let bytes = partitions.iter().map(SourcePartition::bytes).sum();
                let mut out = scan_with(schema, partitions, &scan_plan(request.sampling), &progress.rows)?;
                for column in &mut out.columns {
                    column.field_id = field_ids.get(&column.name).copied();
                }
                (info, ProfileMode::Scan, out, bytes)
            }
        }
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
