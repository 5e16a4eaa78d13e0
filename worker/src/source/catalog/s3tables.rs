//! Amazon S3 Tables: a table bucket's namespaces and tables, each with its current metadata
//! location.

use aws_config::SdkConfig;

use super::not_found;
use crate::error::WorkerError;

/// The metadata location of `namespace.table` in the table bucket `table_bucket_arn`.
pub async fn metadata_location(
    config: &SdkConfig,
    table_bucket_arn: &str,
    namespace: &str,
    table: &str,
) -> Result<String, WorkerError> {
    let client = aws_sdk_s3tables::Client::new(config);
    let reply = client
        .get_table_metadata_location()
        .table_bucket_arn(table_bucket_arn)
        .namespace(namespace)
        .name(table)
        .send()
        .await
        .map_err(|e| {
            if e.as_service_error().is_some_and(|s| s.is_not_found_exception()) {
                let (_, message) = crate::aws::describe(&e);
                not_found(table_bucket_arn, namespace, table, format!("S3 Tables said NotFoundException: {message}"))
            } else {
                crate::aws::call_failed(
                    format!("{namespace}.{table} in {table_bucket_arn}"),
                    "look up the table",
                    "S3 Tables",
                    &e,
                )
            }
        })?;
    reply
        .metadata_location()
        .map(str::to_owned)
        .ok_or_else(|| not_found(table_bucket_arn, namespace, table, "the table has no metadata yet"))
}
