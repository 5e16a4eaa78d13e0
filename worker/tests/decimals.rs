//! Exact decimals end to end: the `profiler` CLI on Parquet files of DECIMAL(18,2), (38,9), (38,0),
//! (9,2) and (76,0) columns at their extremes, written by tests/fixtures/make_decimals.py, which
//! also computes the exact minimum, maximum and sum independently (pyarrow.compute and Python's
//! `decimal` module). The profile, the terminal table, the HTML report and the merge of the two
//! halves must all carry those figures digit for digit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-decimals-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn profiler(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_profiler")).args(args).current_dir(root()).output().unwrap();
    assert!(o.status.success(), "profiler {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// The fixture files and the reference figures.
fn fixture() -> Value {
    let python = std::env::var("PROFILER_TEST_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned());
    let out = Command::new(&python)
        .arg(root().join("tests/fixtures/make_decimals.py"))
        .arg(tmp("fixture"))
        .output()
        .unwrap_or_else(|e| panic!("{python}: {e}; run scripts/test.sh, which installs pyarrow into .venv"));
    assert!(out.status.success(), "make_decimals.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Profiles `file` with the CLI; returns the profile and the terminal table.
fn profile(file: &str, name: &str) -> (Value, String, PathBuf) {
    let out = tmp(name);
    let o = profiler(&["profile", file, "--out", out.to_str().unwrap()]);
    let profile = serde_json::from_str(&std::fs::read_to_string(out.join("profile.json")).unwrap()).unwrap();
    (profile, String::from_utf8_lossy(&o.stdout).into_owned(), out)
}

fn column<'a>(p: &'a Value, name: &str) -> &'a Value {
    p["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// Checks every decimal column of `profile` against the reference figures.
fn assert_exact(profile: &Value, reference: &Value, what: &str) {
    for (name, want) in reference["columns"].as_object().unwrap() {
        let c = column(profile, name);
        let d = &c["numeric"]["decimal"];
        for key in ["precision", "scale", "min", "max", "sum", "sumExceeds38Digits"] {
            assert_eq!(d[key], want[key], "{what}: {name}.{key}");
        }
        assert_eq!((&c["min"], &c["max"]), (&want["min"], &want["max"]), "{what}: {name} text min/max");
    }
}

#[test]
fn the_cli_reports_decimal_min_max_and_sum_digit_for_digit() {
    let reference = fixture();
    let files = &reference["files"];
    let (whole, table, out) = profile(files["whole"].as_str().unwrap(), "whole");
    assert_exact(&whole, &reference, "whole file");

    let d38_9 = &reference["columns"]["d38_9"];
    for key in ["min", "max"] {
        let figure = d38_9[key].as_str().unwrap();
        assert!(table.contains(figure), "terminal table shows {key} {figure} whole:\n{table}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for name in ["d18_2", "d38_0", "d76_0"] {
        let sum = reference["columns"][name]["sum"].as_str().unwrap();
        assert!(html.contains(sum), "report shows the exact sum of {name}: {sum}");
    }

    // The two halves profiled apart and merged equal the whole, exactly.
    let (_, _, first) = profile(files["first"].as_str().unwrap(), "first");
    let (_, _, second) = profile(files["second"].as_str().unwrap(), "second");
    let merged = tmp("merged").join("m.json");
    profiler(&[
        "merge",
        first.join("profile.json").to_str().unwrap(),
        second.join("profile.json").to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    let merged: Value = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    assert_exact(&merged, &reference, "merge of the halves");
}
