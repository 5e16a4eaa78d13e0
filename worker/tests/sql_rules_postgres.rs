//! Data quality rules by pushdown, in the Redshift dialect, run on the real Postgres of
//! scripts/test.sh over a table with hostile names, and judged against the engine's own
//! `RuleChecker` on the same rows as an Arrow batch: every rule type, passing and failing, must
//! come out the same (the SQL gives no failing examples, so those are left out of the comparison;
//! `contentType` is not evaluated by pushdown).

use std::sync::Arc;

use arrow_array::types::Int64Type;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int64Array, ListArray,
    RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::DateTime;
use profiler_crds::ContentType as Content;
use profiler_crds::quality::{Rule, RuleOutcome, RuleResult, RuleType};
use profiler_engine::quality::check::RuleChecker;
use profiler_worker::connector::sql::{
    AggregatePlan, CONTENT_TYPE_NOT_PUSHED_DOWN, Dialect, RulePlan, SqlColumn, TableRef,
};
use sqlx::{Connection, PgConnection, Row as _};

const SCHEMA: &str = "rules \"eu\"; --";
const TABLE: &str = "orders\"; DROP TABLE canary; --";
const ID: &str = "id";
const AMOUNT: &str = "amount /* x */";
const PRICE: &str = "price";
const NAME: &str = "na\"me ü;";
const OK: &str = "ok';";
const DAY: &str = "day";
const AT: &str = "at";
const ATZ: &str = "at tz";
const BLOB: &str = "blob";
const TAGS: &str = "tags";
const DUP: &str = "dup";

/// One test row.
struct TestRow {
    id: i64,
    amount: Option<f64>,
    /// Cents.
    price: Option<i128>,
    name: Option<String>,
    ok: Option<bool>,
    /// Days since 1970-01-01.
    day: Option<i32>,
    /// Microseconds since the epoch (UTC wall clock).
    at: Option<i64>,
    atz: Option<i64>,
    blob: Option<Vec<u8>>,
    tags: Option<Vec<i64>>,
    dup: Option<String>,
}

fn data() -> Vec<TestRow> {
    let jan1 = 19_723; // 2024-01-01
    let names = ["", "alpha", "β-beta", "x'y", "gamma", "quoted \"q\"", "back\\slash"];
    let amounts = [1.5, -2.25, 0.0, -0.0, 19.75, 100.0, f64::NAN, f64::INFINITY, 3.0];
    (0..300i64)
        .map(|i| TestRow {
            id: i + 1,
            amount: (i % 13 != 0).then(|| amounts[(i % 9) as usize]),
            price: (i % 7 != 0).then_some(((i * 37) % 500) as i128 - 100),
            name: (i % 11 != 0).then(|| names[(i * i % 7) as usize].to_owned()),
            ok: (i % 5 != 0).then_some(i % 3 == 0),
            day: (i % 17 != 0).then_some(jan1 + (i % 40) as i32 - 5),
            at: (i % 19 != 0).then_some(1_704_067_200_000_000 + i * 3_600_123_457),
            atz: (i % 23 != 0).then_some(1_704_067_200_000_000 + i * 86_400_000_001),
            blob: (i % 4 != 0).then(|| vec![0xde; (i % 5) as usize]),
            tags: (i % 6 != 0).then(|| vec![i, i % 3]),
            dup: (i % 2 == 0).then(|| format!("d{}", i % 50)),
        })
        .collect()
}

fn q(name: &str) -> String {
    Dialect::Redshift.quote_identifier(name).unwrap()
}

fn micros_text(us: i64, zone: &str) -> String {
    format!("{}{zone}", DateTime::from_timestamp_micros(us).unwrap().naive_utc().format("%Y-%m-%d %H:%M:%S%.6f"))
}

async fn database() -> PgConnection {
    let url = std::env::var("PROFILER_TEST_DATABASE_URL")
        .expect("PROFILER_TEST_DATABASE_URL is not set: run scripts/test.sh, which starts a Postgres for the tests");
    let name = format!("rules_{}", std::process::id());
    let mut admin = PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    PgConnection::connect(&format!("{}/{name}", url.rsplit_once('/').unwrap().0)).await.unwrap()
}

/// Runs `sql` and reads the named outputs as text, the way the Data API hands values back.
async fn text_row(conn: &mut PgConnection, sql: &str, names: &[String]) -> Vec<Option<String>> {
    let cast: Vec<String> = names.iter().map(|n| format!("\"{n}\"::text")).collect();
    let wrapped = format!("SELECT {} FROM ({sql}) AS r", cast.join(", "));
    let row = sqlx::query(&wrapped).fetch_one(&mut *conn).await.unwrap_or_else(|e| panic!("{sql}\n{e}"));
    (0..names.len()).map(|i| row.get::<Option<String>, _>(i)).collect()
}

async fn load(conn: &mut PgConnection, rows: &[TestRow]) {
    let table = format!("{}.{}", q(SCHEMA), q(TABLE));
    for statement in [
        "create table canary (x int)".to_owned(),
        format!("create schema {}", q(SCHEMA)),
        format!(
            "create table {table} ({} bigint, {} double precision, {} numeric(10,2), {} text, {} boolean, {} date, \
             {} timestamp, {} timestamptz, {} bytea, {} bigint[], {} varchar(20))",
            q(ID),
            q(AMOUNT),
            q(PRICE),
            q(NAME),
            q(OK),
            q(DAY),
            q(AT),
            q(ATZ),
            q(BLOB),
            q(TAGS),
            q(DUP)
        ),
    ] {
        sqlx::query(&statement).execute(&mut *conn).await.unwrap();
    }
    for r in rows {
        sqlx::query(&format!(
            "insert into {table} values ($1, $2, $3::numeric(10,2), $4, $5, date '1970-01-01' + $6::int, \
             $7::timestamp, $8::timestamptz, $9, $10, $11)"
        ))
        .bind(r.id)
        .bind(r.amount)
        .bind(r.price.map(|c| format!("{}{}.{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100)))
        .bind(&r.name)
        .bind(r.ok)
        .bind(r.day)
        .bind(r.at.map(|us| micros_text(us, "")))
        .bind(r.atz.map(|us| micros_text(us, "+00")))
        .bind(&r.blob)
        .bind(&r.tags)
        .bind(&r.dup)
        .execute(&mut *conn)
        .await
        .unwrap();
    }
}

/// The same rows as the Arrow batch the engine's checker reads.
fn batch(rows: &[TestRow]) -> RecordBatch {
    let micros = DataType::Timestamp(TimeUnit::Microsecond, None);
    let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let list = DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true)));
    let fields = vec![
        Field::new(ID, DataType::Int64, true),
        Field::new(AMOUNT, DataType::Float64, true),
        Field::new(PRICE, DataType::Decimal128(10, 2), true),
        Field::new(NAME, DataType::Utf8, true),
        Field::new(OK, DataType::Boolean, true),
        Field::new(DAY, DataType::Date32, true),
        Field::new(AT, micros, true),
        Field::new(ATZ, utc, true),
        Field::new(BLOB, DataType::Binary, true),
        Field::new(TAGS, list, true),
        Field::new(DUP, DataType::Utf8, true),
    ];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.id))),
        Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.amount))),
        Arc::new(Decimal128Array::from_iter(rows.iter().map(|r| r.price)).with_precision_and_scale(10, 2).unwrap()),
        Arc::new(StringArray::from_iter(rows.iter().map(|r| r.name.clone()))),
        Arc::new(BooleanArray::from_iter(rows.iter().map(|r| r.ok))),
        Arc::new(Date32Array::from_iter(rows.iter().map(|r| r.day))),
        Arc::new(TimestampMicrosecondArray::from_iter(rows.iter().map(|r| r.at))),
        Arc::new(TimestampMicrosecondArray::from_iter(rows.iter().map(|r| r.atz)).with_timezone("UTC")),
        Arc::new(BinaryArray::from_iter(rows.iter().map(|r| r.blob.as_deref()))),
        Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(
            rows.iter().map(|r| r.tags.as_ref().map(|t| t.iter().map(|v| Some(*v)).collect::<Vec<_>>())),
        )),
        Arc::new(StringArray::from_iter(rows.iter().map(|r| r.dup.clone()))),
    ];
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

/// The table's columns as the Redshift connector describes them.
fn sql_columns() -> Vec<SqlColumn> {
    [
        (ID, "bigint"),
        (AMOUNT, "double precision"),
        (PRICE, "numeric(10,2)"),
        (NAME, "text"),
        (OK, "boolean"),
        (DAY, "date"),
        (AT, "timestamp without time zone"),
        (ATZ, "timestamp with time zone"),
        (BLOB, "bytea"),
        (TAGS, "ARRAY"),
        (DUP, "character varying"),
    ]
    .into_iter()
    .map(|(name, t)| SqlColumn { name: name.into(), data_type: t.into() })
    .collect()
}

fn rule(name: &str, rule_type: RuleType, column: Option<&str>) -> Rule {
    Rule { column: column.map(str::to_owned), ..Rule::new(name, rule_type) }
}

fn bounded(name: &str, rule_type: RuleType, column: &str, min: Option<f64>, max: Option<f64>) -> Rule {
    Rule { min, max, ..rule(name, rule_type, Some(column)) }
}

fn allowed(name: &str, column: &str, values: &[&str]) -> Rule {
    Rule {
        values: Some(values.iter().map(|v| v.to_string()).collect()),
        ..rule(name, RuleType::AllowedValues, Some(column))
    }
}

fn dated(name: &str, column: &str, earliest: Option<&str>, latest: Option<&str>) -> Rule {
    Rule {
        earliest: earliest.map(str::to_owned),
        latest: latest.map(str::to_owned),
        ..rule(name, RuleType::Range, Some(column))
    }
}

fn rules() -> Vec<Rule> {
    use RuleType::*;
    vec![
        bounded("rows-ok", RowCount, ID, Some(1.0), Some(1000.0)),
        Rule { column: None, ..bounded("rows-ok", RowCount, ID, Some(1.0), Some(1000.0)) },
        Rule { column: None, min: Some(301.0), ..rule("rows-few", RowCount, None) },
        rule("id-complete", Completeness, Some(ID)),
        bounded("amount-complete", Completeness, AMOUNT, Some(0.99), None),
        bounded("amount-mostly", Completeness, AMOUNT, Some(0.5), None),
        rule("id-unique", Uniqueness, Some(ID)),
        rule("name-unique", Uniqueness, Some(NAME)),
        rule("amount-unique", Uniqueness, Some(AMOUNT)),
        bounded("dup-unique", Uniqueness, DUP, Some(0.3), None),
        rule("blob-unique", Uniqueness, Some(BLOB)),
        rule("ok-unique", Uniqueness, Some(OK)),
        rule("day-unique", Uniqueness, Some(DAY)),
        rule("tags-unique", Uniqueness, Some(TAGS)),
        allowed("name-all", NAME, &["", "alpha", "β-beta", "x'y", "gamma", "quoted \"q\"", "back\\slash"]),
        allowed("name-some", NAME, &["alpha", "x'y", "back\\slash", "nul\0"]),
        allowed("id-some", ID, &["1", "2", "3.0", "abc", "1e30", " 4 "]),
        allowed("amount-some", AMOUNT, &["1.5", "-2.25", "NaN", "inf", "0"]),
        allowed("price-some", PRICE, &["1.50", "-0.63", "2.5", "0.125", "x"]),
        allowed("ok-true", OK, &["TRUE"]),
        allowed("ok-both", OK, &["t", "0"]),
        allowed("day-some", DAY, &["2024-01-01", "2024-01-02T12:00:00Z", "2024-01-03T00:00:00Z", "nope"]),
        allowed("at-some", AT, &["2024-01-01T01:00:00.123457", "2024-01-01T00:00:00+00:00"]),
        allowed("atz-some", ATZ, &["2024-01-02T00:00:00.000001Z", "2024-01-01T01:00:00.000001+01:00"]),
        allowed("blob-some", BLOB, &["de"]),
        bounded("id-range", Range, ID, Some(10.0), Some(150.5)),
        bounded("id-wide", Range, ID, Some(-1e30), Some(1e30)),
        bounded("id-none", Range, ID, Some(1e30), None),
        bounded("amount-range", Range, AMOUNT, Some(-5.0), Some(20.0)),
        bounded("amount-above", Range, AMOUNT, Some(0.0), None),
        bounded("price-range", Range, PRICE, Some(-1.005), Some(3.333)),
        bounded("price-wide", Range, PRICE, Some(-1e20), Some(1e20)),
        dated("day-range", DAY, Some("2024-01-01"), Some("2024-01-31T12:00:00Z")),
        dated("at-range", AT, Some("2024-01-02T00:00:00+02:00"), None),
        dated("atz-range", ATZ, None, Some("2024-06-01T00:00:00.5Z")),
        dated("atz-far", ATZ, Some("0001-01-01"), Some("9999-12-31")),
        bounded("name-range", Range, NAME, Some(0.0), Some(1.0)),
        bounded("day-minmax", Range, DAY, Some(0.0), Some(1.0)),
        dated("amount-dated", AMOUNT, Some("2024-01-01"), None),
        dated("day-bad-bound", DAY, Some("yesterday"), None),
        rule("id-nonneg", NonNegative, Some(ID)),
        rule("amount-nonneg", NonNegative, Some(AMOUNT)),
        rule("price-nonneg", NonNegative, Some(PRICE)),
        rule("name-nonneg", NonNegative, Some(NAME)),
        bounded("name-length", StringLength, NAME, Some(1.0), Some(5.0)),
        bounded("dup-length", StringLength, DUP, None, Some(3.0)),
        bounded("blob-length", StringLength, BLOB, Some(2.0), Some(3.0)),
        bounded("id-length", StringLength, ID, Some(1.0), None),
        Rule { content_type: Some(Content::Email), ..rule("name-email", ContentType, Some(NAME)) },
        Rule { content_type: Some(Content::Integer), ..rule("id-content", ContentType, Some(ID)) },
        rule("missing-complete", Completeness, Some("no such column")),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, mut r)| {
        r.name = format!("{i:02}-{}", r.name);
        r
    })
    .collect()
}

/// What pushdown reports, compared with the engine's: the same verdict and figures; the words
/// without the failing examples the engine quotes.
fn assert_parity(sql: &[RuleResult], engine: &[RuleResult]) {
    assert_eq!(sql.len(), engine.len());
    for (s, e) in sql.iter().zip(engine) {
        assert_eq!(s.name, e.name);
        if e.rule_type == RuleType::ContentType && e.outcome != RuleOutcome::Error {
            assert_eq!(s.outcome, RuleOutcome::Error, "{}", s.name);
            assert_eq!(s.error.as_deref(), Some(CONTENT_TYPE_NOT_PUSHED_DOWN));
            continue;
        }
        assert_eq!(s.outcome, e.outcome, "{}: {s:?}\nengine: {e:?}", s.name);
        if e.outcome == RuleOutcome::Error {
            assert!(s.error.is_some(), "{}", s.name);
            continue;
        }
        let words = |r: &RuleResult| r.observed.split(", e.g. ").next().unwrap_or_default().to_owned();
        assert_eq!(words(s), words(e), "{}", s.name);
        assert_eq!((s.observed_value, s.failing_rows), (e.observed_value, e.failing_rows), "{}", s.name);
        assert_eq!(s.expected, e.expected, "{}", s.name);
    }
}

#[tokio::test]
async fn rules_by_pushdown_agree_with_the_engine_on_a_hostile_table() {
    let mut conn = database().await;
    let rows = data();
    load(&mut conn, &rows).await;
    let rules = rules();

    let batch = batch(&rows);
    let mut checker = RuleChecker::new(&batch.schema(), &rules);
    checker.update(&batch).unwrap();
    let engine = checker.finish();
    let failed = engine.iter().filter(|r| r.outcome == RuleOutcome::Failed).count();
    let passed = engine.iter().filter(|r| r.outcome == RuleOutcome::Passed).count();
    assert!(failed >= 10 && passed >= 10, "both verdicts are exercised: {passed} passed, {failed} failed");

    let table = TableRef { parts: vec![SCHEMA.into(), TABLE.into()] };
    let columns = sql_columns();
    let plan = RulePlan::new(Dialect::Redshift, &columns, &rules).unwrap();

    // Alone, as beside a sample or for `profiler check`.
    let sql = plan.query(&table).unwrap();
    let (counted, alone) = plan.parse(&text_row(&mut conn, &sql, &plan.output_names()).await).unwrap();
    assert_eq!(counted, rows.len() as u64);
    assert_parity(&alone, &engine);
    let missing = alone.last().unwrap().error.clone().unwrap();
    assert_eq!(Some(missing), engine.last().unwrap().error.clone(), "a missing column reads the same");

    // In the profile's aggregate query: the same one query, the rules' outputs after the profile's.
    let profiled = [columns[0].clone(), columns[3].clone()];
    let aggregate = AggregatePlan::with_extra(Dialect::Redshift, &table, &profiled, &plan.select_items()).unwrap();
    let mut names = aggregate.output_names();
    names.extend(plan.output_names());
    let sql = aggregate.sql.replace("APPROXIMATE COUNT(DISTINCT", "COUNT(DISTINCT");
    let row = text_row(&mut conn, &sql, &names).await;
    let (profiled_rows, profiles) = aggregate.parse(&row).unwrap();
    assert_eq!((profiled_rows, profiles.len()), (rows.len() as u64, 2));
    let (_, together) = plan.parse(aggregate.extra_values(&row)).unwrap();
    assert_eq!(together, alone);

    let canary: i64 = sqlx::query_scalar("select count(*) from canary").fetch_one(&mut conn).await.unwrap();
    assert_eq!(canary, 0, "the hostile names dropped nothing");
}
