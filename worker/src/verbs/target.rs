//! A source URI opened for the verbs: a connector with its AWS clients for a SQL engine's table,
//! or the file / Iceberg source spec the readers take.

use crate::connector::athena::AthenaConnector;
use crate::connector::redshift::RedshiftConnector;
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::source::SourceSpec;
use crate::source::uri::SourceUri;

/// What a verb talks to.
pub(crate) enum Target {
    /// An Athena table.
    Athena(AthenaConnector),
    /// A Redshift table.
    Redshift(RedshiftConnector),
    /// Parquet files or an Iceberg table, local or on S3.
    Files(SourceSpec),
}

impl Target {
    /// Opens `uri`; AWS configuration is loaded here only for the SQL engines (files and tables
    /// on S3 load it when they are read).
    pub(crate) async fn open(uri: &SourceUri, poll: &PollPolicy) -> Result<Self, WorkerError> {
        Ok(match uri {
            SourceUri::Athena(source) => {
                let config = crate::aws::sdk_config().await;
                Self::Athena(AthenaConnector::new(crate::aws::athena_client(&config), source.clone(), poll.clone()))
            }
            SourceUri::Redshift(source) => {
                let config = crate::aws::sdk_config().await;
                Self::Redshift(RedshiftConnector::new(
                    crate::aws::redshift_client(&config),
                    source.clone(),
                    poll.clone(),
                ))
            }
            other => Self::Files(other.file_spec(None).ok_or_else(|| WorkerError::InvalidRequest(format!("{other}")))?),
        })
    }
}
