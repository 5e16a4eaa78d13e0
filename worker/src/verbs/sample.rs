//! `sample`: the first rows of a table (`LIMIT n` on the engines, the first row groups or data
//! files of files, local or on S3), values as text the way the source renders them, NULL as `None`.

use arrow_array::{ArrayRef, RecordBatch};
use arrow_cast::cast;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use profiler_crds::Sampling;
use serde::Serialize;

use super::target::Target;
use super::text_table;
use crate::connector::profile::SqlSource;
use crate::connector::sql::sample_query;
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::source::SourceSpec;
use crate::source::iceberg::IcebergSource;
use crate::source::parquet::{ReadPlan, list_files};
use crate::source::uri::SourceUri;

/// Rows as text, NULL as `None`.
pub type TextRows = Vec<Vec<Option<String>>>;

/// Column names and their rows.
type Columns = (Vec<String>, TextRows);

/// Most rows one sample returns.
pub const MAX_SAMPLE_ROWS: usize = 10_000;

/// Rows of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    /// The source as named.
    pub source: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, values as text (NULL as `None`).
    pub rows: TextRows,
}

impl Sample {
    /// The rows as a text table (NULL shown as `NULL`).
    pub fn to_table(&self) -> String {
        let headers: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|v| v.clone().unwrap_or_else(|| "NULL".to_owned())).collect())
            .collect();
        text_table(&headers, &rows)
    }

    /// The rows as JSON lines: one object per row, column name to text or null.
    pub fn to_json_lines(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            // Built by hand to keep the columns in table order.
            let fields: Vec<String> = self
                .columns
                .iter()
                .zip(row)
                .map(|(name, value)| {
                    let value = value.clone().map_or(serde_json::Value::Null, serde_json::Value::String);
                    format!("{}:{value}", serde_json::Value::String(name.clone()))
                })
                .collect();
            out.push_str(&format!("{{{}}}", fields.join(",")));
            out.push('\n');
        }
        out
    }
}

/// Up to `n` rows (at most [`MAX_SAMPLE_ROWS`]) of the table `uri` names.
pub async fn sample(uri: &SourceUri, n: usize, poll: &PollPolicy) -> Result<Sample, WorkerError> {
    if n == 0 || n > MAX_SAMPLE_ROWS {
        return Err(WorkerError::InvalidRequest(format!("sample size {n}: ask for 1 to {MAX_SAMPLE_ROWS} rows")));
    }
    let (columns, rows) = match Target::open(uri, poll).await? {
        Target::Athena(c) => sql_sample(&c, n).await?,
        Target::Redshift(c) => sql_sample(&c, n).await?,
        Target::Files(SourceSpec::Parquet { location }) => parquet_sample(&location, n).await?,
        Target::Files(SourceSpec::Iceberg { location, snapshot_id, catalog }) => {
            let table = IcebergSource::open(&location, catalog.as_ref(), snapshot_id, None).await?;
            let columns = table.schema.fields().iter().map(|f| f.name().clone()).collect();
            let plan = table.plan().await?;
            let read = tokio::task::spawn_blocking(move || {
                let mut rows = Vec::new();
                for partition in plan.partitions {
                    if rows.len() >= n {
                        break;
                    }
                    // A data file is read to its end; rows past `n` are dropped.
                    partition.read(&mut |batch| {
                        if rows.len() < n {
                            rows.extend(
                                text_rows(&batch, n - rows.len())
                                    .map_err(profiler_engine::EngineError::Incompatible)?,
                            );
                        }
                        Ok(())
                    })?;
                }
                Ok::<_, WorkerError>(rows)
            });
            let rows = read
                .await
                .map_err(|e| WorkerError::Engine(profiler_engine::EngineError::ThreadPanicked(e.to_string())))??;
            (columns, rows)
        }
    };
    Ok(Sample { source: uri.to_string(), columns, rows })
}

/// `SELECT <columns> FROM <table> LIMIT n`, every name quoted by the dialect.
async fn sql_sample<S: SqlSource>(source: &S, n: usize) -> Result<Columns, WorkerError> {
    let columns = super::schema::sql_columns(source).await?;
    let names: Vec<String> = columns.into_iter().map(|c| c.name).collect();
    let sql =
        sample_query(source.dialect(), &source.table(), &names, Sampling::Reservoir { size: n as u64, seed: 0 }, 0)?;
    let mut rows = source.run("read the sample", &sql, &mut 0).await?;
    rows.truncate(n);
    Ok((names, rows))
}

/// The first `n` rows of the files (local or on S3), in file order; a file's footer is read
/// only when the rows before it fall short.
async fn parquet_sample(location: &str, n: usize) -> Result<Columns, WorkerError> {
    let mut columns = None;
    let mut rows: TextRows = Vec::new();
    for file in list_files(location, &Default::default()).await? {
        if rows.len() >= n {
            break;
        }
        let metadata = file.footer().await?;
        columns.get_or_insert_with(|| metadata.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>());
        let want = n - rows.len();
        let plan = ReadPlan { mask: ProjectionMask::all(), row_groups: None, batch_size: want, limit: Some(want) };
        let read = tokio::task::spawn_blocking(move || {
            let mut out: TextRows = Vec::new();
            file.read(metadata, &plan, &mut |batch| {
                let rows = text_rows(&batch, want - out.len())
                    .map_err(|reason| WorkerError::UnreadableParquet { path: file.name(), reason })?;
                out.extend(rows);
                Ok(())
            })?;
            Ok::<_, WorkerError>(out)
        });
        rows.extend(
            read.await
                .map_err(|e| WorkerError::Engine(profiler_engine::EngineError::ThreadPanicked(e.to_string())))??,
        );
    }
    Ok((columns.unwrap_or_default(), rows))
}

/// Up to `limit` rows of `batch` as text.
fn text_rows(batch: &RecordBatch, limit: usize) -> Result<TextRows, String> {
    let options = FormatOptions::default();
    // Named time zones need a time zone database to print; the instants print in UTC instead.
    let columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|a| match a.data_type() {
            DataType::Timestamp(unit, Some(tz)) if !tz.starts_with(['+', '-']) => {
                cast(a, &DataType::Timestamp(*unit, Some("+00:00".into()))).map_err(|e| e.to_string())
            }
            _ => Ok(a.clone()),
        })
        .collect::<Result<_, _>>()?;
    let formatters: Vec<ArrayFormatter> = columns
        .iter()
        .map(|a| ArrayFormatter::try_new(a.as_ref(), &options))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let rows = batch.num_rows().min(limit);
    (0..rows)
        .map(|i| {
            columns
                .iter()
                .zip(&formatters)
                .map(|(array, f)| {
                    if array.is_null(i) {
                        Ok(None)
                    } else {
                        f.value(i).try_to_string().map(Some).map_err(|e| e.to_string())
                    }
                })
                .collect()
        })
        .collect()
}
