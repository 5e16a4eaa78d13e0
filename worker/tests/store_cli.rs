//! `profiler profile --database-url` and `profiler migrate` against the real Postgres that
//! scripts/test.sh starts: the run and its profile land in the profile store, failures are
//! recorded, and a database problem gives exit code 4 with a message saying what is wrong.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use profiler_store::{DatabaseConfig, RunStatus, Store};
use sqlx::{Connection, PgConnection};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn profiler(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profiler"))
        .args(args)
        .current_dir(root())
        .env_remove("PROFILER_DATABASE_URL")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn server_url() -> String {
    std::env::var("PROFILER_TEST_DATABASE_URL")
        .expect("PROFILER_TEST_DATABASE_URL is not set: run scripts/test.sh, which starts a Postgres for the tests")
}

/// A new empty database; returns its URL.
async fn fresh_database(tag: &str) -> String {
    let name = format!("cli_{tag}_{}", std::process::id());
    let mut admin = PgConnection::connect(&server_url()).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let url = server_url();
    let (base, _) = url.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

#[tokio::test]
async fn a_local_run_is_recorded_in_the_profile_store() {
    let url = fresh_database("record").await;
    let out = std::env::temp_dir().join(format!("profiler-store-cli-{}", std::process::id()));
    let out_arg = out.to_str().unwrap();
    let example = root().join("examples/data/orders.parquet");
    let example = example.to_str().unwrap();

    // Before the migrations: refused before reading data, with the command that fixes it.
    let o = profiler(&["profile", example, "-q", "-o", out_arg, "--database-url", &url]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("profiler migrate"), "{}", text(&o.stderr));

    let o = profiler(&["migrate", "--database-url", &url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("applied migrations"), "{}", text(&o.stdout));
    let o = profiler(&["migrate", "--database-url", &url]);
    assert!(text(&o.stdout).contains("up to date"), "{}", text(&o.stdout));

    let o = profiler(&[
        "profile",
        example,
        "-o",
        out_arg,
        "--database-url",
        &url,
        "--namespace",
        "team-a",
        "--job-name",
        "orders-local",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("team-a/orders-local"), "{}", text(&o.stdout));

    let written: profiler_crds::TableProfile =
        serde_json::from_str(&std::fs::read_to_string(out.join("profile.json")).unwrap()).unwrap();
    let store = Store::open(&DatabaseConfig::from_url(&url).unwrap()).await.unwrap();
    let stored = store.latest_profile("team-a", example).await.unwrap().expect("the run's profile is stored");
    let (a, b) = (serde_json::to_value(&stored.profile).unwrap(), serde_json::to_value(&written).unwrap());
    assert_eq!(first_difference(&a, &b, "$".into()), None, "the store holds exactly what profile.json holds");
    assert_eq!(stored.profile, written);
    assert_eq!(stored.status, RunStatus::Succeeded);
    let profile_uri = stored.profile_uri.unwrap();
    assert!(profile_uri.starts_with("file:///") && profile_uri.ends_with("/profile.json"), "{profile_uri}");
    assert!(written.bytes_scanned.unwrap() > 0);

    // A failing run is recorded as failed, classified as bad input, with the message.
    let o = profiler(&["profile", "no/such/file.parquet", "-q", "-o", out_arg, "--database-url", &url]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let (phase, message, error_kind): (String, String, String) = sqlx::query_as(
        "select j.phase, j.message, r.error_kind from profiler.profile_jobs j
         join profiler.profile_runs r on r.job_uid = j.uid where j.namespace = 'local' and j.name = 'file'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((phase.as_str(), error_kind.as_str()), ("Failed", "badInput"));
    assert!(message.contains("no/such/file.parquet"), "{message}");

    // A bad namespace is bad input.
    let o = profiler(&["profile", example, "-q", "-o", out_arg, "--database-url", &url, "--namespace", "Team A"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("namespace"), "{}", text(&o.stderr));
}

/// Path and values of the first place two JSON documents differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            let keys: std::collections::BTreeSet<_> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(u), Some(v)) => first_difference(u, v, format!("{path}.{k}")),
                (u, v) => Some(format!("{path}.{k}: {u:?} vs {v:?}")),
            })
        }
        (Array(x), Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (u, v))| first_difference(u, v, format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

/// The URL with another password.
fn with_password(url: &str, password: &str) -> String {
    let (userinfo, host) = url.split_once('@').unwrap();
    let user = userinfo.rsplit_once(':').unwrap().0;
    format!("{user}:{password}@{host}")
}

#[test]
fn database_problems_exit_4_with_what_is_wrong() {
    let example = root().join("examples/data/orders.parquet");
    let example = example.to_str().unwrap();
    let out = std::env::temp_dir().join(format!("profiler-store-cli-bad-{}", std::process::id()));
    let cases = [
        ("postgres://postgres:x@127.0.0.1:1/postgres".to_owned(), 4, "unreachable at 127.0.0.1:1"),
        (with_password(&server_url(), "wrong"), 4, "rejected user \"postgres\""),
        ("mysql://localhost/db".to_owned(), 2, "postgres://"),
    ];
    for (url, code, message) in cases {
        let o = profiler(&["profile", example, "-q", "-o", out.to_str().unwrap(), "--database-url", &url]);
        assert_eq!(o.status.code(), Some(code), "{url}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(err.contains(message), "{url}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(!out.join("profile.json").exists(), "nothing profiled when the store is unusable");
    }
}
