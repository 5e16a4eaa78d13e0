//! Redshift-dialect profiling SQL run on the real Postgres of scripts/test.sh, where the dialects
//! agree (Postgres lacks only Redshift's APPROXIMATE keyword, so the test counts distinct values
//! exactly). Table, schema and column names are hostile: quotes, semicolons, comments, unicode.

use std::collections::HashMap;

use profiler_crds::Sampling;
use profiler_worker::connector::sql::{
    AggregatePlan, Dialect, SqlColumn, TableRef, parse_quantiles, parse_top_values, quantile_query, sample_query,
    top_values_query,
};
use sqlx::{Connection, PgConnection, Row};

const SCHEMA: &str = "sales \"eu\"";
const TABLE: &str = "orders\"; DROP TABLE canary; --";
const AMOUNT: &str = "amount";
const NAME: &str = "na\"me /* ü */ --";
const OK: &str = "ok';";
const AT: &str = "at";

async fn database() -> PgConnection {
    let url = std::env::var("PROFILER_TEST_DATABASE_URL")
        .expect("PROFILER_TEST_DATABASE_URL is not set: run scripts/test.sh, which starts a Postgres for the tests");
    let name = format!("sql_{}", std::process::id());
    let mut admin = PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    PgConnection::connect(&format!("{}/{name}", url.rsplit_once('/').unwrap().0)).await.unwrap()
}

/// One test row: amount, name, ok, at (day of 2024).
type TestRow = (Option<f64>, Option<String>, Option<bool>, Option<u32>);

fn data() -> Vec<TestRow> {
    (0..500u32)
        .map(|i| {
            let amount = (i % 17 != 0).then(|| ((i * 37) % 200) as f64 / 4.0 - 10.0);
            let name =
                (i % 11 != 0).then(|| ["", "alpha", "β-beta", "x'y", "gamma"][(i * i % 7 % 5) as usize].to_owned());
            let ok = (i % 5 != 0).then_some(i % 3 == 0);
            let at = (i % 13 != 0).then_some(i % 366);
            (amount, name, ok, at)
        })
        .collect()
}

fn q(name: &str) -> String {
    Dialect::Redshift.quote_identifier(name).unwrap()
}

/// Runs `sql` and reads the named outputs as text, the way the Data API hands values back.
async fn text_rows(conn: &mut PgConnection, sql: &str, names: &[&str]) -> Vec<Vec<Option<String>>> {
    let cast: Vec<String> = names.iter().map(|n| format!("\"{n}\"::text")).collect();
    let wrapped = format!("SELECT {} FROM ({sql}) AS r", cast.join(", "));
    let rows = sqlx::query(&wrapped).fetch_all(&mut *conn).await.unwrap_or_else(|e| panic!("{sql}\n{e}"));
    rows.iter().map(|row| (0..names.len()).map(|i| row.get::<Option<String>, _>(i)).collect()).collect()
}

async fn count_rows(conn: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM ({sql}) AS r")).fetch_one(&mut *conn).await.unwrap()
}

#[tokio::test]
async fn redshift_dialect_queries_profile_a_hostile_table_exactly() {
    let mut conn = database().await;
    let table = format!("{}.{}", q(SCHEMA), q(TABLE));
    for statement in [
        "create table canary (x int)".to_owned(),
        format!("create schema {}", q(SCHEMA)),
        format!(
            "create table {table} ({} numeric(10,2), {} text, {} boolean, {} date)",
            q(AMOUNT),
            q(NAME),
            q(OK),
            q(AT)
        ),
    ] {
        sqlx::query(&statement).execute(&mut conn).await.unwrap();
    }
    let rows = data();
    for (amount, name, ok, at) in &rows {
        sqlx::query(&format!(
            "insert into {table} values ($1::float8::numeric(10,2), $2, $3, date '2024-01-01' + $4::int)"
        ))
        .bind(amount)
        .bind(name)
        .bind(ok)
        .bind(at.map(|d| d as i32))
        .execute(&mut conn)
        .await
        .unwrap();
    }

    let table_ref = TableRef { parts: vec![SCHEMA.into(), TABLE.into()] };
    let columns = vec![
        SqlColumn { name: AMOUNT.into(), data_type: "numeric".into() },
        SqlColumn { name: NAME.into(), data_type: "character varying".into() },
        SqlColumn { name: OK.into(), data_type: "boolean".into() },
        SqlColumn { name: AT.into(), data_type: "date".into() },
    ];
    let plan = AggregatePlan::new(Dialect::Redshift, &table_ref, &columns).unwrap();
    // Where Redshift says APPROXIMATE COUNT(DISTINCT x), Postgres counts exactly.
    let sql = plan.sql.replace("APPROXIMATE COUNT(DISTINCT", "COUNT(DISTINCT");
    let outputs = plan.output_names();
    let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    let result = text_rows(&mut conn, &sql, &outputs).await;
    let (row_count, profiles) = plan.parse(&result[0]).unwrap();
    assert_eq!(row_count, rows.len() as u64);

    // Exact answers computed here.
    let amounts: Vec<f64> = rows.iter().filter_map(|r| r.0).collect();
    let n = amounts.len() as f64;
    let mean = amounts.iter().sum::<f64>() / n;
    let stddev = (amounts.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n).sqrt();
    let amount = profiles[0].numeric.as_ref().unwrap();
    assert_eq!(profiles[0].non_null, amounts.len() as u64);
    assert_eq!(amount.zeros, amounts.iter().filter(|a| **a == 0.0).count() as u64);
    assert_eq!(amount.negatives, amounts.iter().filter(|a| **a < 0.0).count() as u64);
    assert_eq!(amount.min, amounts.iter().copied().reduce(f64::min));
    assert_eq!(amount.max, amounts.iter().copied().reduce(f64::max));
    assert!((amount.mean.unwrap() - mean).abs() < 1e-9);
    assert!((amount.stddev.unwrap() - stddev).abs() < 1e-9);
    let mut distinct: Vec<f64> = amounts.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert_eq!(profiles[0].distinct.as_ref().unwrap().estimate, distinct.len() as f64);

    let names: Vec<&String> = rows.iter().filter_map(|r| r.1.as_ref()).collect();
    let text = profiles[1].text.as_ref().unwrap();
    assert_eq!(text.empty, names.iter().filter(|s| s.is_empty()).count() as u64);
    assert_eq!(text.total_length, names.iter().map(|s| s.chars().count() as u64).sum::<u64>());
    assert_eq!(text.max_length, Some(6), "β-beta is 6 characters");
    assert_eq!(profiles[1].min.as_deref(), Some(""));

    let oks: Vec<bool> = rows.iter().filter_map(|r| r.2).collect();
    let boolean = profiles[2].boolean.as_ref().unwrap();
    assert_eq!(boolean.true_count, oks.iter().filter(|b| **b).count() as u64);
    assert_eq!(boolean.false_count, oks.iter().filter(|b| !**b).count() as u64);
    assert_eq!(profiles[3].min.as_deref(), Some("2024-01-01"));
    assert_eq!(profiles[3].nulls, rows.iter().filter(|r| r.3.is_none()).count() as u64);

    // Quantiles: linear interpolation between order statistics (PERCENTILE_CONT).
    let sql = quantile_query(Dialect::Redshift, &table_ref, AMOUNT).unwrap();
    let result = text_rows(&mut conn, &sql, &["q0", "q1", "q2", "q3", "q4", "q5", "q6"]).await;
    let quantiles = parse_quantiles(Dialect::Redshift, &result[0]).unwrap().unwrap();
    let mut sorted = amounts.clone();
    sorted.sort_by(f64::total_cmp);
    for quantile in &quantiles {
        let pos = quantile.rank * (sorted.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        let exact = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64);
        assert!((quantile.value - exact).abs() < 1e-9, "p{}: {} vs {exact}", quantile.rank, quantile.value);
    }

    // Top values, most frequent first.
    let sql = top_values_query(Dialect::Redshift, &table_ref, NAME, 3).unwrap();
    let top = parse_top_values(Dialect::Redshift, &text_rows(&mut conn, &sql, &["value", "count"]).await).unwrap();
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for name in &names {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    let mut expected: Vec<(&str, u64)> = counts.into_iter().collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let got: Vec<(&str, u64)> = top.iter().map(|v| (v.value.as_str(), v.count)).collect();
    assert_eq!(got, expected[..3]);

    // Samples: a Bernoulli half and a bounded reservoir.
    let names = vec![AMOUNT.to_owned(), NAME.to_owned()];
    let half =
        sample_query(Dialect::Redshift, &table_ref, &names, Sampling::Bernoulli { fraction: 0.5, seed: 0 }, 0).unwrap();
    let got = count_rows(&mut conn, &half).await;
    assert!((150..350).contains(&got), "{got} of 500 rows at 50%");
    let reservoir =
        sample_query(Dialect::Redshift, &table_ref, &names, Sampling::Reservoir { size: 40, seed: 0 }, 500).unwrap();
    assert!(count_rows(&mut conn, &reservoir).await <= 40);

    let canary: i64 = sqlx::query_scalar("select count(*) from canary").fetch_one(&mut conn).await.unwrap();
    assert_eq!(canary, 0, "the hostile table name dropped nothing");
}
