//! Merging two profiles of disjoint parts of one table into the profile of both parts.

use profiler_crds::{ProfileMode, Sampling, SamplingReport, TableProfile};

use crate::accumulator::ColumnAccumulator;
use crate::error::EngineError;
use crate::options::ProfileOptions;

/// The profile of the rows of `a` and `b` together. Counts, moments, min/max and lengths merge
/// exactly; distinct counts, quantiles, histograms and top values merge through their sketches.
/// Both profiles must come from scans of the same columns with compatible sampling.
pub fn merge_profiles(
    a: &TableProfile,
    b: &TableProfile,
    options: &ProfileOptions,
) -> Result<TableProfile, EngineError> {
    if a.format_version != b.format_version {
        return Err(EngineError::Incompatible(format!(
            "format versions {} and {} differ",
            a.format_version, b.format_version
        )));
    }
    if a.mode != ProfileMode::Scan || b.mode != ProfileMode::Scan {
        return Err(EngineError::Incompatible("metadata-mode profiles carry no sketches to merge".into()));
    }
    let names = |p: &TableProfile| p.columns.iter().map(|c| (c.name.clone(), c.data_type.clone())).collect::<Vec<_>>();
    if names(a) != names(b) {
        return Err(EngineError::Incompatible("the profiles have different columns or types".into()));
    }
    let sampling = match (a.sampling.sampling, b.sampling.sampling) {
        (Sampling::Full, Sampling::Full) => Sampling::Full,
        (x @ Sampling::Bernoulli { fraction: f1, .. }, Sampling::Bernoulli { fraction: f2, .. }) if f1 == f2 => x,
        (x, y) => {
            return Err(EngineError::Incompatible(format!(
                "sampling {x:?} and {y:?} do not combine into one sample (only full scans, or Bernoulli samples of equal fraction, merge)"
            )));
        }
    };
    let mut columns = Vec::with_capacity(a.columns.len());
    for (ca, cb) in a.columns.iter().zip(&b.columns) {
        let mut acc = ColumnAccumulator::restore(ca, options)?;
        acc.merge(&ColumnAccumulator::restore(cb, options)?)?;
        let mut column = acc.finish(options);
        // The source's identity of the column (an Iceberg field id) when both sides agree.
        column.field_id = ca.field_id.filter(|_| ca.field_id == cb.field_id);
        columns.push(column);
    }
    let mut source = a.source.clone();
    source.files += b.source.files;
    let started_at = a.started_at.clone().min(b.started_at.clone());
    let mut merged = TableProfile {
        format_version: a.format_version,
        profiler_version: a.profiler_version.clone(),
        source,
        mode: ProfileMode::Scan,
        sampling: SamplingReport {
            sampling,
            rows_read: a.sampling.rows_read + b.sampling.rows_read,
            rows_profiled: a.sampling.rows_profiled + b.sampling.rows_profiled,
        },
        row_count: a.row_count + b.row_count,
        column_count: a.column_count,
        bytes_scanned: a.bytes_scanned.zip(b.bytes_scanned).map(|(x, y)| x + y),
        started_at,
        duration_ms: a.duration_ms + b.duration_ms,
        alerts: Vec::new(),
        columns,
    };
    merged.alerts = crate::alerts::alerts(&merged);
    Ok(merged)
}
