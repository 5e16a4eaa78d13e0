//! The `profiler` binary end to end: real Parquet files, real Iceberg tables made by pyiceberg,
//! and every bad-input path with its message and exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn profiler(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profiler")).args(args).current_dir(root()).output().unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read_profile(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("profile.json")).unwrap()).unwrap()
}

fn column<'a>(p: &'a Value, name: &str) -> &'a Value {
    p["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// Iceberg fixture tables made once per test binary by tests/fixtures/make_iceberg.py.
fn iceberg() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let python = std::env::var("PROFILER_TEST_PYTHON")
            .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned());
        let dir = tmp("iceberg");
        let out = Command::new(&python)
            .arg(root().join("tests/fixtures/make_iceberg.py"))
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| panic!("{python}: {e}; run scripts/test.sh, which installs pyiceberg into .venv"));
        assert!(
            out.status.success(),
            "make_iceberg.py failed (run scripts/test.sh to install pyiceberg): {}",
            stderr(&out)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

#[test]
fn profiles_the_example_and_writes_json_and_a_self_contained_report() {
    let out = tmp("example");
    let o = profiler(&["profile", "examples/data/orders.parquet", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("email") && table.contains("50000 rows × 8 columns"), "{table}");
    let p = read_profile(&out);
    assert_eq!(p["formatVersion"], 1);
    assert_eq!(p["rowCount"], 50000);
    assert_eq!(p["sampling"]["method"], "full");
    assert_eq!(column(&p, "id")["min"], "1");
    assert_eq!(column(&p, "id")["max"], "50000");
    assert_eq!(column(&p, "status")["text"]["topValues"].as_array().unwrap().len(), 5);
    assert_eq!(column(&p, "email")["text"]["inferredType"]["contentType"], "email");
    assert!(column(&p, "amount")["nulls"].as_u64().unwrap() > 2000);
    assert!(column(&p, "score")["sketches"]["kll"].is_string());
    // Alerts: the key is likely unique (its distinct bounds include the row count), shown first.
    let id_key = p["alerts"].as_array().unwrap().iter().find(|a| a["kind"] == "unique" && a["column"] == "id");
    assert!(id_key.is_some_and(|a| a["threshold"] == 50000.0), "{}", p["alerts"]);
    assert!(table.starts_with("examples/data/orders.parquet") && table.contains("[likely unique ×"), "{table}");

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    assert!(html.find("class=\"alerts\"").unwrap() < html.find("class=\"overview\"").unwrap(), "alerts first");
    for external in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(external), "report references {external}");
    }
}

#[test]
fn profile_schema_doc_is_in_sync_with_the_types() {
    let o = profiler(&["schema"]);
    assert!(o.status.success());
    let committed = std::fs::read_to_string(root().join("docs/profile.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        committed,
        "run `cargo run --bin profiler -- schema > docs/profile.schema.json`"
    );
}

#[test]
fn columns_sampling_and_merge() {
    let out = tmp("sample");
    let o = profiler(&[
        "profile",
        "examples/data/orders.parquet",
        "--columns",
        "status,id",
        "--sample-rows",
        "1000",
        "--seed",
        "5",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = read_profile(&out);
    let names: Vec<&str> = p["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["status", "id"]);
    assert_eq!(p["sampling"]["method"], "reservoir");
    assert_eq!(p["sampling"]["rowsRead"], 50000);
    assert_eq!(p["sampling"]["rowsProfiled"], 1000);
    assert_eq!(p["rowCount"], 1000);

    // Two halves of the same files merged equal the counts of one run over both.
    let dir = tmp("halves");
    let split = Command::new(env!("CARGO_BIN_EXE_profiler-bench"))
        .args(["generate", dir.join("a.parquet").to_str().unwrap(), "--rows", "30000", "--seed", "1"])
        .output()
        .unwrap();
    assert!(split.status.success());
    let split = Command::new(env!("CARGO_BIN_EXE_profiler-bench"))
        .args(["generate", dir.join("b.parquet").to_str().unwrap(), "--rows", "20000", "--seed", "2"])
        .output()
        .unwrap();
    assert!(split.status.success());
    let (a, b, both) = (tmp("pa"), tmp("pb"), tmp("pboth"));
    for (src, dst) in [(dir.join("a.parquet"), &a), (dir.join("b.parquet"), &b), (dir.clone(), &both)] {
        let o = profiler(&["profile", src.to_str().unwrap(), "-q", "--out", dst.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let merged = tmp("merged").join("m.json");
    let o = profiler(&[
        "merge",
        a.join("profile.json").to_str().unwrap(),
        b.join("profile.json").to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    let w = read_profile(&both);
    assert_eq!(w["source"]["files"], 2);
    assert_eq!(m["rowCount"], w["rowCount"]);
    for (cm, cw) in m["columns"].as_array().unwrap().iter().zip(w["columns"].as_array().unwrap()) {
        for key in ["count", "nulls", "min", "max", "boolean"] {
            assert_eq!(cm[key], cw[key], "{} {key}", cw["name"]);
        }
    }
}

#[test]
fn iceberg_scan_snapshot_and_metadata_modes_match_pyarrow() {
    let fx = iceberg();
    let table = fx["table_dir"].as_str().unwrap();
    let out = tmp("ice-scan");
    let o = profiler(&["profile", table, "-q", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = read_profile(&out);
    let whole = &fx["whole"];
    assert_eq!(p["source"]["kind"], "iceberg");
    assert_eq!(p["source"]["snapshotId"], fx["snapshot_2"]);
    assert_eq!(p["rowCount"], whole["rows"]);
    for (name, exact) in whole["columns"].as_object().unwrap() {
        assert_eq!(column(&p, name)["nulls"], exact["nulls"], "{name}");
    }
    assert_eq!(column(&p, "id")["max"], "4999");
    assert_eq!(column(&p, "amount")["numeric"]["sum"].as_f64(), whole["columns"]["amount"]["sum"].as_f64());
    assert_eq!(column(&p, "note")["text"]["empty"], 1250);

    // An older snapshot and a column subset, through the metadata file.
    let out = tmp("ice-snap");
    let snap = fx["snapshot_1"].to_string();
    let o = profiler(&[
        "profile",
        fx["metadata_file"].as_str().unwrap(),
        "--snapshot-id",
        &snap,
        "--columns",
        "id,amount",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = read_profile(&out);
    assert_eq!(p["rowCount"], fx["first"]["rows"]);
    assert_eq!(p["columns"].as_array().unwrap().len(), 2);
    assert_eq!(column(&p, "amount")["nulls"], fx["first"]["columns"]["amount"]["nulls"]);

    // The same table named in pyiceberg's SQL catalog.
    let out = tmp("ice-catalog");
    let catalog = fx["catalog_uri"].as_str().unwrap();
    let o = profiler(&["profile", "fixtures.orders", "--catalog", catalog, "-q", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = read_profile(&out);
    assert_eq!(p["rowCount"], whole["rows"]);
    assert_eq!(p["source"]["snapshotId"], fx["snapshot_2"]);
    let o = profiler(&[
        "profile",
        "fixtures.orders",
        "--catalog",
        catalog,
        "--catalog-name",
        "fixtures",
        "--metadata-only",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Manifests only: counts and bounds without opening a data file.
    let out = tmp("ice-meta");
    let o = profiler(&["profile", table, "--metadata-only", "-q", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = read_profile(&out);
    assert_eq!(p["mode"], "metadata");
    assert_eq!(p["sampling"]["rowsRead"], 0);
    assert_eq!(p["rowCount"], whole["rows"]);
    for (name, exact) in whole["columns"].as_object().unwrap() {
        assert_eq!(column(&p, name)["nulls"], exact["nulls"], "{name}");
        assert_eq!(column(&p, name)["metadata"]["filesWithStats"], 2);
    }
    assert_eq!(column(&p, "id")["min"], "0");
    assert_eq!(column(&p, "id")["max"], "4999");
    assert_eq!(column(&p, "amount")["max"], "144");
    assert!(column(&p, "id").get("distinct").is_none(), "metadata mode claims no distinct count");
}

fn assert_fails(args: &[&str], code: i32, message: &str) {
    let o = profiler(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(message), "{args:?}: expected {message:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one-line message: {err}");
}

#[test]
fn bad_input_gives_one_line_and_an_exit_code() {
    let dir = tmp("bad");
    let garbage = dir.join("garbage.parquet");
    std::fs::write(&garbage, b"PAR1 this is not parquet").unwrap();
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    assert_fails(
        &["profile", "no/such/file.parquet", "--out", out],
        2,
        "no/such/file.parquet: no such file or directory",
    );
    assert_fails(
        &["profile", garbage.to_str().unwrap(), "--out", out],
        3,
        "garbage.parquet: not a readable Parquet file",
    );
    assert_fails(
        &["profile", "examples/data/orders.parquet", "--columns", "id,nope", "--out", out],
        2,
        "unknown column \"nope\"; the source has: id, amount",
    );
    assert_fails(&["profile", "examples/data/*.nothing", "--out", out], 2, "no Parquet files found");
    assert_fails(
        &["profile", "examples/data/orders.parquet", "--sample-fraction", "0", "--out", out],
        2,
        "sampling.fraction",
    );
    assert_fails(&["profile", dir.join("missing.metadata.json").to_str().unwrap(), "--out", out], 2, "table not found");
    assert_fails(
        &["profile", "examples/data/orders.parquet", "--metadata-only", "--out", out],
        2,
        "metadata-only mode needs an Iceberg table",
    );
    std::fs::create_dir_all(dir.join("empty-dir")).unwrap();
    assert_fails(&["profile", dir.join("empty-dir").to_str().unwrap(), "--out", out], 2, "no Parquet files found");
    let table = iceberg()["table_dir"].as_str().unwrap();
    assert_fails(&["profile", table, "--snapshot-id", "12345", "--out", out], 2, "Iceberg snapshot 12345 not found");
    assert_fails(&["profile", table, "--columns", "ghost", "--out", out], 2, "unknown column \"ghost\"");
    let catalog = iceberg()["catalog_uri"].as_str().unwrap();
    assert_fails(
        &["profile", "fixtures.nope", "--catalog", catalog, "--out", out],
        2,
        "no such table; the catalog has: fixtures.orders",
    );
    assert_fails(
        &["profile", "fixtures.orders", "--catalog", "sqlite:///no/such.db", "--out", out],
        2,
        "catalog database /no/such.db does not exist",
    );
    // Output that cannot be written.
    assert_fails(
        &["profile", "examples/data/orders.parquet", "--out", garbage.join("x").to_str().unwrap()],
        4,
        "cannot write",
    );
}

#[test]
fn zero_row_and_all_null_files_do_not_panic() {
    let dir = tmp("edge");
    let path = dir.join("zero.parquet");
    let o = Command::new(env!("CARGO_BIN_EXE_profiler-bench"))
        .args(["generate", path.to_str().unwrap(), "--rows", "0"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("out");
    let o = profiler(&["profile", path.to_str().unwrap(), "-q", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = read_profile(&out);
    assert_eq!(p["rowCount"], 0);
    assert!(p["columns"].as_array().unwrap().iter().all(|c| c["count"] == 0 && c.get("min").is_none()));
}

#[test]
fn help_speaks_to_the_user() {
    let out = profiler(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.starts_with("Profile data tables: row counts, nulls, distinct values"), "{help}");
    assert!(help.contains("Exit codes: 0 success, 2 bad input"), "{help}");
    assert!(!help.contains("Fargate"), "the crate's description is for maintainers: {help}");
}
