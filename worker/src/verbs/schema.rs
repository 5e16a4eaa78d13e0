//! `schema`: a table's columns with their source type, the Arrow type the profiler reads them
//! as, and whether they may be null.

use std::sync::Arc;

use parquet::schema::types::Type as ParquetType;
use serde::Serialize;

use super::target::Target;
use super::text_table;
use crate::connector::profile::SqlSource;
use crate::connector::rows::arrow_type;
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::source::SourceSpec;
use crate::source::iceberg::IcebergSource;
use crate::source::parquet::list_files;
use crate::source::uri::SourceUri;

/// A table's columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    /// The source as named.
    pub source: String,
    /// Columns in table order.
    pub columns: Vec<SchemaColumn>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaColumn {
    /// Column name.
    pub name: String,
    /// The type as the source names it (Athena/Redshift SQL type, Iceberg type, Parquet type).
    pub source_type: String,
    /// The Arrow type the profiler reads the column as.
    pub arrow_type: String,
    /// Whether the column may hold nulls; `None` when the source does not say.
    pub nullable: Option<bool>,
}

impl TableSchema {
    /// The columns as a text table.
    pub fn to_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|c| {
                let nullable = match c.nullable {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "?",
                };
                vec![c.name.clone(), c.source_type.clone(), c.arrow_type.clone(), nullable.to_owned()]
            })
            .collect();
        text_table(&["column", "source type", "arrow type", "nullable"], &rows)
    }
}

/// The columns of the table `uri` names.
pub async fn schema(uri: &SourceUri, poll: &PollPolicy) -> Result<TableSchema, WorkerError> {
    let columns = match Target::open(uri, poll).await? {
        Target::Athena(c) => sql_columns(&c).await?,
        Target::Redshift(c) => sql_columns(&c).await?,
        Target::Files(SourceSpec::Parquet { location }) => parquet_columns(&location).await?,
        Target::Files(SourceSpec::Iceberg { location, snapshot_id, catalog }) => {
            let table = IcebergSource::open(&location, catalog.as_ref(), snapshot_id, None).await?;
            table
                .iceberg_columns()
                .into_iter()
                .zip(table.schema.fields())
                .map(|((name, source_type, nullable), field)| SchemaColumn {
                    name,
                    source_type,
                    arrow_type: field.data_type().to_string(),
                    nullable: Some(nullable),
                })
                .collect()
        }
    };
    Ok(TableSchema { source: uri.to_string(), columns })
}

/// The columns `information_schema` lists; a table it does not list is not found.
pub(crate) async fn sql_columns<S: SqlSource>(source: &S) -> Result<Vec<SchemaColumn>, WorkerError> {
    let described = source.described_columns(&mut 0).await?;
    if described.is_empty() {
        return Err(WorkerError::TableNotFound {
            location: source.location(),
            reason: "information_schema lists no columns for it (check the names, their case, and that the \
                     credentials may see the table)"
                .into(),
        });
    }
    Ok(described
        .into_iter()
        .map(|(column, nullable)| SchemaColumn {
            arrow_type: arrow_type(&column).to_string(),
            name: column.name,
            source_type: column.data_type,
            nullable,
        })
        .collect())
}

/// The columns of the first Parquet file `location` names (local or on S3), from its footer.
async fn parquet_columns(location: &str) -> Result<Vec<SchemaColumn>, WorkerError> {
    let files = list_files(location, &Arc::default()).await?;
    let first = files.first().ok_or_else(|| WorkerError::NoFiles(location.to_owned()))?;
    let metadata = first.footer().await?;
    let roots = metadata.parquet_schema().root_schema().get_fields();
    Ok(metadata
        .schema()
        .fields()
        .iter()
        .zip(roots)
        .map(|(field, root)| SchemaColumn {
            name: field.name().clone(),
            source_type: parquet_type(root),
            arrow_type: field.data_type().to_string(),
            nullable: Some(field.is_nullable()),
        })
        .collect())
}

/// A Parquet column's type in words: physical type and logical type, or the group's annotation.
fn parquet_type(t: &ParquetType) -> String {
    let info = t.get_basic_info();
    // The converted type's short name when the writer set one (UTF8, TIMESTAMP_MICROS, DECIMAL),
    // else the logical type.
    let converted = info.converted_type();
    let annotation = if converted != parquet::basic::ConvertedType::NONE {
        Some(converted.to_string())
    } else {
        info.logical_type_ref().map(|l| format!("{l:?}"))
    };
    let base = match t {
        ParquetType::PrimitiveType { physical_type, .. } => physical_type.to_string(),
        ParquetType::GroupType { .. } => "group".to_owned(),
    };
    match annotation {
        Some(a) => format!("{base} ({a})"),
        None => base,
    }
}
