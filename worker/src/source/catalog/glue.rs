//! The AWS Glue Data Catalog: an Iceberg table is a Glue table whose parameters carry
//! `table_type = ICEBERG` and `metadata_location`.

use aws_config::SdkConfig;

use super::not_found;
use crate::error::WorkerError;

/// The metadata location of `namespace.table` (Glue database and table) in the Glue catalog of
/// the task's account, or of account `catalog_id`.
pub async fn metadata_location(
    config: &SdkConfig,
    catalog_id: Option<&str>,
    namespace: &str,
    table: &str,
) -> Result<String, WorkerError> {
    let catalog = match catalog_id {
        Some(id) => format!("the Glue catalog of account {id}"),
        None => "the Glue catalog".to_owned(),
    };
    let client = aws_sdk_glue::Client::new(config);
    let reply = client
        .get_table()
        .set_catalog_id(catalog_id.map(str::to_owned))
        .database_name(namespace)
        .name(table)
        .send()
        .await
        .map_err(|e| {
            if e.as_service_error().is_some_and(|s| s.is_entity_not_found_exception()) {
                let (_, message) = crate::aws::describe(&e);
                not_found(&catalog, namespace, table, format!("Glue said EntityNotFoundException: {message}"))
            } else {
                crate::aws::call_failed(format!("{namespace}.{table} in {catalog}"), "look up the table", "Glue", &e)
            }
        })?;
    let parameters = reply.table().and_then(|t| t.parameters());
    let parameter = |key: &str| parameters.and_then(|p| p.get(key)).map(String::as_str);
    if !parameter("table_type").is_some_and(|t| t.eq_ignore_ascii_case("ICEBERG")) {
        return Err(WorkerError::InvalidRequest(format!(
            "{namespace}.{table} in {catalog} is not an Iceberg table (its table_type parameter is {}); profile it \
             through source.athena instead",
            parameter("table_type").map(|t| format!("{t:?}")).unwrap_or_else(|| "missing".into())
        )));
    }
    parameter("metadata_location")
        .map(str::to_owned)
        .ok_or_else(|| not_found(&catalog, namespace, table, "the Glue table has no metadata_location parameter"))
}
