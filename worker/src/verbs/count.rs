//! `count`: a table's rows, from metadata where the source keeps the figure (Parquet footers,
//! local or on S3; an Iceberg snapshot's summary), else by `COUNT(*)` on the engine or, for an Iceberg snapshot with
//! delete files, by reading it.

use serde::Serialize;

use super::target::Target;
use super::text_table;
use crate::connector::profile::SqlSource;
use crate::connector::sql::SqlError;
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::source::SourceSpec;
use crate::source::iceberg::IcebergSource;
use crate::source::parquet::ParquetSource;
use crate::source::uri::SourceUri;

/// How a count was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CountMethod {
    /// From metadata, no data read.
    Metadata,
    /// `COUNT(*)` run by the engine.
    Query,
    /// Data files read (Iceberg deletes applied).
    Scan,
}

/// A table's row count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowCount {
    /// The source as named.
    pub source: String,
    /// Rows.
    pub rows: u64,
    /// How the figure was obtained.
    pub method: CountMethod,
    /// Where it came from, in words.
    pub detail: String,
}

impl RowCount {
    /// The count as a text table.
    pub fn to_table(&self) -> String {
        let method = match self.method {
            CountMethod::Metadata => "metadata",
            CountMethod::Query => "COUNT(*)",
            CountMethod::Scan => "scan",
        };
        text_table(
            &["source", "rows", "method", "detail"],
            &[vec![self.source.clone(), self.rows.to_string(), method.to_owned(), self.detail.clone()]],
        )
    }
}

/// The rows of the table `uri` names.
pub async fn count(uri: &SourceUri, poll: &PollPolicy) -> Result<RowCount, WorkerError> {
    let (rows, method, detail) = match Target::open(uri, poll).await? {
        Target::Athena(c) => sql_count(&c).await?,
        Target::Redshift(c) => sql_count(&c).await?,
        Target::Files(SourceSpec::Parquet { location }) => {
            let parquet = ParquetSource::open_any(&location, None).await?;
            let files = parquet.file_count();
            (parquet.total_rows, CountMethod::Metadata, format!("footers of {files} Parquet file(s)"))
        }
        Target::Files(SourceSpec::Iceberg { location, snapshot_id, catalog }) => {
            let table = IcebergSource::open(&location, catalog.as_ref(), snapshot_id, None).await?;
            let snapshot = table.snapshot_id();
            match table.summary_rows() {
                Some(rows) => (rows, CountMethod::Metadata, snapshot_detail(snapshot, "summary")),
                None => {
                    // Delete files: read the rows, with the deletes applied, one column's worth.
                    let first = table.schema.fields().first().map(|f| vec![f.name().clone()]);
                    let table = IcebergSource::open(&location, catalog.as_ref(), snapshot_id, first.as_deref()).await?;
                    let rows = iceberg_scan_count(table).await?;
                    (rows, CountMethod::Scan, snapshot_detail(snapshot, "data files, deletes applied"))
                }
            }
        }
    };
    Ok(RowCount { source: uri.to_string(), rows, method, detail })
}

fn snapshot_detail(snapshot: Option<i64>, how: &str) -> String {
    match snapshot {
        Some(id) => format!("Iceberg snapshot {id}: {how}"),
        None => "Iceberg table without snapshots".to_owned(),
    }
}

/// `COUNT(*)` on the engine.
async fn sql_count<S: SqlSource>(source: &S) -> Result<(u64, CountMethod, String), WorkerError> {
    let d = source.dialect();
    let sql = format!("SELECT COUNT(*) AS \"rows\" FROM {}", source.table().quoted(d)?);
    let rows = source.run("count the rows", &sql, &mut 0).await?;
    let text = rows.first().and_then(|r| r.first().cloned().flatten()).unwrap_or_default();
    let n = text.trim().parse::<u64>().map_err(|_| SqlError::BadResult {
        dialect: d,
        what: "row count".into(),
        value: text.clone(),
    })?;
    Ok((n, CountMethod::Query, format!("SELECT COUNT(*) on {d:?}")))
}

/// Rows of the planned snapshot, read off the runtime's threads.
async fn iceberg_scan_count(table: IcebergSource) -> Result<u64, WorkerError> {
    let plan = table.plan().await?;
    let read = tokio::task::spawn_blocking(move || {
        let mut rows = 0u64;
        for partition in plan.partitions {
            partition.read(&mut |batch| {
                rows += batch.num_rows() as u64;
                Ok(())
            })?;
        }
        Ok::<u64, WorkerError>(rows)
    });
    read.await.map_err(|e| WorkerError::Engine(profiler_engine::EngineError::ThreadPanicked(e.to_string())))?
}
