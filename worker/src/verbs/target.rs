//! A source URI opened for the verbs: a connector with its AWS clients for a SQL engine's table,
//! or the file / Iceberg source spec the readers take.

use crate::connector::athena::AthenaConnector;
use crate::connector::redshift::RedshiftConnector;
use crate::connector::statement::PollPolicy;
use crate::error::WorkerError;
use crate::source::SourceSpec;
use crate::source::s3_storage::is_s3;
use crate::source::uri::SourceUri;

/// What a verb talks to.
pub(crate) enum Target {
    /// An Athena table.
    Athena(AthenaConnector),
    /// A Redshift table.
    Redshift(RedshiftConnector),
    /// Parquet files or an Iceberg table.
    Files(SourceSpec),
}

impl Target {
    /// Opens `uri`; AWS configuration is loaded only for the SQL engines.
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
            other => {
                let spec = other.file_spec(None).ok_or_else(|| WorkerError::InvalidRequest(format!("{other}")))?;
                if let SourceSpec::Parquet { location } = &spec {
                    refuse_s3_parquet(location)?;
                }
                Self::Files(spec)
            }
        })
    }
}

/// Parquet on S3 is not read by this build: say so, and what to do instead.
pub fn refuse_s3_parquet(location: &str) -> Result<(), WorkerError> {
    if is_s3(location) {
        return Err(WorkerError::InvalidRequest(format!(
            "{location}: Parquet files on S3 are not read by this build; copy them locally (aws s3 cp \
             --recursive) or query them through Athena (athena://DATABASE.TABLE). Iceberg tables on S3 are \
             read: name their *.metadata.json or their catalog (iceberg+glue://NAMESPACE.TABLE)"
        )));
    }
    Ok(())
}
