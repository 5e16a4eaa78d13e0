//! Iceberg tables as they live, profiled by the `profiler` binary and compared with pyiceberg's
//! own reading of the same snapshots (tests/fixtures/make_iceberg_lifecycle.py): schema
//! evolution (rename, add, drop, promote) in full and metadata-only mode, time travel to every
//! earlier snapshot under its own schema, a partitioned table whose spec changed, and
//! merge-on-read position and equality delete files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-lifecycle-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The fixture tables, made once per test binary.
fn tables() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let python = std::env::var("PROFILER_TEST_PYTHON")
            .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned());
        let out = Command::new(&python)
            .arg(root().join("tests/fixtures/make_iceberg_lifecycle.py"))
            .arg(tmp("tables"))
            .output()
            .unwrap_or_else(|e| panic!("{python}: {e}; run scripts/test.sh, which installs pyiceberg into .venv"));
        assert!(out.status.success(), "make_iceberg_lifecycle.py failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

/// Runs `profiler profile` on `table` with `args`; the command's output and profile.json.
fn profile(table: &Value, name: &str, args: &[&str]) -> (Output, Option<Value>) {
    let out_dir = tmp(name);
    let output = Command::new(env!("CARGO_BIN_EXE_profiler"))
        .arg("profile")
        .arg(table["metadata_file"].as_str().unwrap())
        .args(["-q", "-o", out_dir.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    let document =
        std::fs::read_to_string(out_dir.join("profile.json")).ok().map(|t| serde_json::from_str(&t).unwrap());
    (output, document)
}

fn profiled(table: &Value, name: &str, args: &[&str]) -> Value {
    let (output, document) = profile(table, name, args);
    assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    document.unwrap()
}

fn column<'a>(profile: &'a Value, name: &str) -> &'a Value {
    profile["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| {
        let names: Vec<&Value> = profile["columns"].as_array().unwrap().iter().map(|c| &c["name"]).collect();
        panic!("no column {name} in {names:?}")
    })
}

/// The Arrow type the profile reports for an Iceberg type.
fn arrow_type(iceberg: &str) -> String {
    match iceberg {
        "int" => "Int32".into(),
        "long" => "Int64".into(),
        "float" => "Float32".into(),
        "double" => "Float64".into(),
        "string" => "Utf8".into(),
        "date" => "Date32".into(),
        t if t.starts_with("decimal(") => {
            format!(
                "Decimal128({})",
                t.trim_start_matches("decimal(").trim_end_matches(')').replace(' ', "").replace(',', ", ")
            )
        }
        t => t.into(),
    }
}

/// The profile's columns are exactly the reference's (names, field ids, types, in order) and
/// their counts, nulls and bounds are the same; `distinct` holds the exact count within the
/// sketch's bounds in a scan.
fn assert_figures(what: &str, profile: &Value, reference: &Value) {
    assert_eq!(profile["rowCount"], reference["rows"], "{what}: rows");
    let expected = reference["columns"].as_array().unwrap();
    let names: Vec<&Value> = profile["columns"].as_array().unwrap().iter().map(|c| &c["name"]).collect();
    let expected_names: Vec<&Value> = expected.iter().map(|c| &c["name"]).collect();
    assert_eq!(names, expected_names, "{what}: columns");
    for figures in expected {
        let name = figures["name"].as_str().unwrap();
        let c = column(profile, name);
        let at = format!("{what}: column {name}");
        assert_eq!(c["fieldId"], figures["field_id"], "{at}: field id");
        if let Some(t) = figures["type"].as_str()
            && !t.starts_with("timestamp")
        {
            assert_eq!(c["dataType"], arrow_type(t), "{at}: type");
        }
        if let Some(rows) = figures.get("rows") {
            assert_eq!(&c["count"], rows, "{at}: rows");
        }
        assert_eq!(c["nulls"], figures["nulls"], "{at}: nulls");
        assert_eq!(c["min"], figures["min"], "{at}: min");
        assert_eq!(c["max"], figures["max"], "{at}: max");
        if let (Some(exact), Some(distinct)) = (figures["distinct"].as_f64(), c.get("distinct")) {
            let (low, high) = (distinct["lowerBound"].as_f64().unwrap(), distinct["upperBound"].as_f64().unwrap());
            assert!(low <= exact && exact <= high, "{at}: distinct {exact} outside [{low}, {high}]");
        }
    }
}

#[test]
fn an_evolved_table_reads_its_current_snapshot_under_the_current_schema() {
    let evolved = &tables()["evolved"];
    let current = &evolved["current"];
    let profile = profiled(evolved, "evolved-scan", &[]);
    assert_eq!(profile["mode"], "scan");
    assert_eq!(profile["source"]["snapshotId"], current["snapshot_id"]);
    assert_eq!(profile["source"]["iceberg"]["schemaId"], current["schema_id"]);
    assert_figures("current scan", &profile, current);

    // Column selection uses the current names; the renamed column keeps its old rows.
    let label = profiled(evolved, "evolved-label", &["--columns", "label"]);
    assert_figures(
        "current scan of label",
        &label,
        &serde_json::json!({
            "rows": current["rows"],
            "columns": current["columns"].as_array().unwrap().iter().filter(|c| c["name"] == "label").collect::<Vec<_>>(),
        }),
    );
}

#[test]
fn metadata_mode_maps_manifest_statistics_by_field_id() {
    let evolved = &tables()["evolved"];
    let reference = &evolved["metadata_current"];
    let profile = profiled(evolved, "evolved-metadata", &["--metadata-only"]);
    assert_eq!(profile["mode"], "metadata");
    assert_eq!(profile["source"]["files"], reference["data_files"]);
    assert_figures("metadata of the current snapshot", &profile, reference);
}

#[test]
fn time_travel_reads_each_snapshot_under_the_schema_it_was_written_with() {
    let evolved = &tables()["evolved"];
    let snapshots = evolved["snapshots"].as_array().unwrap();
    assert!(snapshots.len() >= 4, "{snapshots:?}");
    for snapshot in snapshots {
        let id = snapshot["snapshot_id"].to_string();
        let step = snapshot["step"].as_str().unwrap();
        let profile = profiled(evolved, &format!("travel-{step}"), &["--snapshot-id", &id]);
        assert_eq!(profile["source"]["snapshotId"], snapshot["snapshot_id"]);
        assert_eq!(profile["source"]["iceberg"]["schemaId"], snapshot["schema_id"], "{step}");
        assert_figures(&format!("snapshot {step}"), &profile, &snapshot["figures"]);

        // The manifests of the snapshot say the same (copy-on-write deletes rewrite files, so
        // their counts are exact; short strings are not truncated). Distinct counts are not in
        // the manifests.
        let metadata =
            profiled(evolved, &format!("travel-{step}-metadata"), &["--snapshot-id", &id, "--metadata-only"]);
        assert_eq!(metadata["source"]["iceberg"]["schemaId"], snapshot["schema_id"], "{step}");
        assert_figures(&format!("metadata of snapshot {step}"), &metadata, &snapshot["figures"]);
    }
}

#[test]
fn a_partitioned_table_reports_its_specs_and_partition_counts_from_the_manifests() {
    let table = &tables()["partitioned"];
    for (mode, args) in [("scan", &[][..]), ("metadata", &["--metadata-only"][..])] {
        let profile = profiled(table, &format!("partitioned-{mode}"), args);
        if mode == "scan" {
            assert_figures("partitioned scan", &profile, &table["figures"]);
        }
        let partitioning = &profile["source"]["iceberg"]["partitioning"];
        assert_eq!(partitioning["defaultSpecId"], table["default_spec_id"], "{mode}");
        let specs: Vec<Value> = table["specs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                serde_json::json!({
                    "specId": s["spec_id"],
                    "fields": s["fields"].as_array().unwrap().iter().map(|f| serde_json::json!({
                        "name": f["name"],
                        "sourceColumn": f["source"],
                        "sourceFieldId": f["source_field_id"],
                        "transform": f["transform"],
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        assert_eq!(partitioning["specs"], Value::from(specs), "{mode}: specs");
        let mut expected: Vec<(i64, String, u64, u64)> = table["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["spec_id"].as_i64().unwrap(),
                    p["values"].to_string(),
                    p["record_count"].as_u64().unwrap(),
                    p["file_count"].as_u64().unwrap(),
                )
            })
            .collect();
        let mut actual: Vec<(i64, String, u64, u64)> = partitioning["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["specId"].as_i64().unwrap(),
                    p["values"].to_string(),
                    p["rows"].as_u64().unwrap(),
                    p["dataFiles"].as_u64().unwrap(),
                )
            })
            .collect();
        expected.sort();
        actual.sort();
        assert_eq!(actual, expected, "{mode}: partitions");
        assert_eq!(partitioning["partitionCount"], expected.len(), "{mode}");
        assert_eq!(partitioning["partitionsTruncated"], false);
    }
}

#[test]
fn merge_on_read_deletes_are_applied_in_a_scan_and_refused_in_metadata_mode() {
    for name in ["position_deletes", "equality_deletes"] {
        let table = &tables()[name];
        let profile = profiled(table, name, &[]);
        assert_figures(&format!("{name} scan"), &profile, &table["figures"]);
        let files = table["deletes"]["files"].as_array().unwrap().len();
        assert_eq!(profile["source"]["iceberg"]["deleteFiles"], files, "{name}");

        let (output, _) = profile_metadata(table, name);
        assert_eq!(output.status.code(), Some(2), "{name}: metadata mode is bad input");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let snapshot = table["current_snapshot_id"].to_string();
        assert!(
            stderr.contains(&format!("snapshot {snapshot} has {files} merge-on-read delete file(s)")),
            "{name}: {stderr}"
        );

        // Time travel to the snapshot before the deletes reads every row written.
        let before = table["snapshots"].as_array().unwrap().iter().find(|s| s["step"] == "append").unwrap();
        let id = before["snapshot_id"].to_string();
        let profile = profiled(table, &format!("{name}-before"), &["--snapshot-id", &id]);
        assert_figures(&format!("{name} before the deletes"), &profile, &table["before"]);
        assert_eq!(profile["source"]["iceberg"]["deleteFiles"], 0);
    }
}

fn profile_metadata(table: &Value, name: &str) -> (Output, Option<Value>) {
    profile(table, &format!("{name}-metadata"), &["--metadata-only"])
}

/// `--base`: the evolved table's second append profiled on the first append's profile reads only
/// the appended data file and equals a full scan of that snapshot in every count, bound and
/// distinct estimate; across the copy-on-write delete (an overwrite) the snapshot is scanned in
/// full and the profile says why.
#[test]
fn an_incremental_profile_after_appends_equals_a_full_scan_and_anything_else_rescans() {
    let table = &tables()["evolved"];
    let snapshot = |step: &str| {
        let s = table["snapshots"].as_array().unwrap().iter().find(|s| s["step"] == step).unwrap();
        s["snapshot_id"].as_i64().unwrap().to_string()
    };
    let (first, second, delete) = (snapshot("append-1"), snapshot("append-2"), snapshot("delete"));
    profiled(table, "incremental-base", &["--snapshot-id", &first]);
    let base = std::env::temp_dir()
        .join(format!("profiler-lifecycle-{}-incremental-base", std::process::id()))
        .join("profile.json");
    let base = base.to_str().unwrap();

    let incremental = profiled(table, "incremental-2", &["--snapshot-id", &second, "--base", base]);
    let full = profiled(table, "full-2", &["--snapshot-id", &second]);
    let read = &incremental["source"]["iceberg"]["incremental"];
    assert_eq!(read["baseSnapshotId"].to_string(), first);
    assert_eq!((read["merged"].as_bool(), read["filesRead"].as_u64()), (Some(true), Some(1)), "{read}");
    assert_eq!(read["reason"], format!("only appends since snapshot {first}"));
    assert_eq!(incremental["rowCount"], full["rowCount"]);
    assert_eq!(incremental["source"]["snapshotId"], full["source"]["snapshotId"]);
    assert_eq!(incremental["source"]["files"], full["source"]["files"]);
    assert!(incremental["bytesScanned"].as_u64() < full["bytesScanned"].as_u64(), "only the new file is read");
    let columns = |p: &Value| p["columns"].as_array().unwrap().clone();
    for (a, b) in columns(&incremental).iter().zip(columns(&full).iter()) {
        for field in ["name", "count", "nulls", "min", "max", "distinct"] {
            assert_eq!(a[field], b[field], "{} {field}", b["name"]);
        }
    }

    let rescanned = profiled(table, "incremental-3", &["--snapshot-id", &delete, "--base", base]);
    let read = &rescanned["source"]["iceberg"]["incremental"];
    assert_eq!(read["merged"], false, "{read}");
    assert_eq!(read["reason"], format!("snapshot {delete} is an \"overwrite\" operation, not an append"));
    let full = profiled(table, "full-3", &["--snapshot-id", &delete]);
    assert_eq!(rescanned["rowCount"], full["rowCount"]);
}
