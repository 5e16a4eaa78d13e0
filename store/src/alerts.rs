//! A profile's alerts: one `profile_alerts` row per alert, in the document's order, written with
//! the profile and read back into it.

use profiler_crds::{Alert, AlertKind, TableProfile};
use sqlx::{PgPool, Postgres, Transaction};

use crate::error::StoreError;
use crate::write::insert_rows;

/// One row of `profile_alerts` (without run_id and namespace).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AlertRow {
    pub position: i32,
    pub kind: String,
    pub column_name: Option<String>,
    pub figure: f64,
    pub threshold: f64,
    pub message: String,
}

/// The rows of a profile's alerts; refuses a figure or threshold that is not finite and an alert
/// naming a column the profile does not have.
pub(crate) fn alert_rows(p: &TableProfile) -> Result<Vec<AlertRow>, StoreError> {
    let mut rows = Vec::with_capacity(p.alerts.len());
    for (index, alert) in p.alerts.iter().enumerate() {
        let field = |name: &str| format!("alerts[{index}].{name}");
        for (name, value) in [("figure", alert.figure), ("threshold", alert.threshold)] {
            if !value.is_finite() {
                return Err(StoreError::InvalidValue { field: field(name), reason: format!("{value} is not finite") });
            }
        }
        if let Some(column) = &alert.column
            && !p.columns.iter().any(|c| &c.name == column)
        {
            return Err(StoreError::InvalidValue {
                field: field("column"),
                reason: format!("the profile has no column {column:?}"),
            });
        }
        rows.push(AlertRow {
            position: i32::try_from(index).map_err(|_| StoreError::InvalidValue {
                field: "alerts".into(),
                reason: "more than 2^31 alerts".into(),
            })?,
            kind: alert.kind.as_str().to_owned(),
            column_name: alert.column.clone(),
            figure: alert.figure,
            threshold: alert.threshold,
            message: alert.message.clone(),
        });
    }
    Ok(rows)
}

/// Inserts a run's alert rows (after its column profiles, which the rows' columns refer to).
pub(crate) async fn insert_alerts(
    tx: &mut Transaction<'_, Postgres>,
    run_id: i64,
    namespace: &str,
    alerts: &[AlertRow],
) -> Result<(), StoreError> {
    let rows: Vec<&AlertRow> = alerts.iter().collect();
    insert_rows(
        tx,
        "profile_alerts",
        &["run_id", "namespace", "position", "kind", "column_name", "figure", "threshold", "message"],
        &rows,
        "writing alerts",
        |b, a| {
            b.push_bind(run_id).push_bind(namespace.to_owned()).push_bind(a.position).push_bind(&a.kind);
            b.push_bind(&a.column_name).push_bind(a.figure).push_bind(a.threshold).push_bind(&a.message);
        },
    )
    .await
}

/// A run's alerts, in the document's order.
pub(crate) async fn read_alerts(pool: &PgPool, run_id: i64) -> Result<Vec<Alert>, StoreError> {
    let rows: Vec<AlertRow> = sqlx::query_as(
        "select position, kind, column_name, figure, threshold, message
         from profiler.profile_alerts where run_id = $1 order by position",
    )
    .bind(run_id)
    .fetch_all(pool)
    .await
    .map_err(StoreError::query("reading alerts"))?;
    rows.into_iter()
        .map(|row| {
            let kind = AlertKind::parse(&row.kind).ok_or_else(|| StoreError::Corrupt {
                field: format!("profile_alerts.kind at position {}", row.position),
                reason: format!("unknown alert kind {:?}", row.kind),
            })?;
            Ok(Alert {
                kind,
                column: row.column_name,
                figure: row.figure,
                threshold: row.threshold,
                message: row.message,
            })
        })
        .collect()
}
