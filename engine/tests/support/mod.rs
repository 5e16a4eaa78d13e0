//! What the engine's integration tests share.

use profiler_crds::{
    ColumnProfile, PROFILE_FORMAT_VERSION, ProfileMode, Sampling, SamplingReport, SourceInfo, SourceKind, TableProfile,
};

/// A full-scan profile document of `rows` rows of an in-memory Parquet source, around `columns`.
pub fn document(columns: Vec<ColumnProfile>, rows: u64) -> TableProfile {
    TableProfile {
        format_version: PROFILE_FORMAT_VERSION,
        profiler_version: "test".into(),
        source: SourceInfo {
            kind: SourceKind::Parquet,
            location: "mem".into(),
            files: 1,
            snapshot_id: None,
            iceberg: None,
        },
        mode: ProfileMode::Scan,
        sampling: SamplingReport { sampling: Sampling::Full, rows_read: rows, rows_profiled: rows },
        row_count: rows,
        column_count: columns.len() as u64,
        bytes_scanned: None,
        started_at: "2026-01-01T00:00:00Z".into(),
        duration_ms: 1,
        alerts: vec![],
        columns,
    }
}
