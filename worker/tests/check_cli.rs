//! `profiler check` end to end: the binary on Parquet files the test writes, a passing and a
//! failing rule set (exit codes 0 and 5, the table, check.json), --profile from the same scan, and
//! a bad rule file (exit code 2, the rule and field named).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const ORDERS_RULES: &str = include_str!("rules/orders.yaml");

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-check-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn profiler(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profiler")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// 20,000 generated orders in a Parquet file of `dir`.
fn orders(dir: &Path) -> String {
    let path = dir.join("orders.parquet");
    profiler_worker::datagen::write_orders(&path, 20_000, 11).unwrap();
    path.to_string_lossy().into_owned()
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path.to_string_lossy().into_owned()
}

fn check_json(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("check.json")).unwrap()).unwrap()
}

#[test]
fn every_rule_passing_exits_0_and_writes_check_json() {
    let dir = tmp("pass");
    let source = orders(&dir);
    let rules = write(&dir, "rules.yaml", ORDERS_RULES);
    let out_dir = dir.join("out");
    let out = profiler(&["check", &source, "--rules", &rules, "-o", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("20 rules: 20 passed"), "{stdout}");
    assert!(stdout.contains("status-allowed") && stdout.contains("pass"), "{stdout}");
    let report = check_json(&out_dir);
    assert_eq!(report["rowCount"], 20_000);
    assert_eq!(report["summary"]["passed"], 20);
    assert_eq!(report["results"][2]["name"], "id-unique");
    assert_eq!(report["results"][2]["observedValue"], 1.0);
    assert!(!out_dir.join("profile.json").exists(), "no profile without --profile");
}

#[test]
fn a_failing_or_unevaluable_rule_exits_5_with_the_table_and_the_reason() {
    let dir = tmp("fail");
    let source = orders(&dir);
    let rules = write(
        &dir,
        "rules.yaml",
        "formatVersion: 1\nrules:\n\
         - {name: status-allowed, type: allowedValues, column: status, values: [pending, paid, shipped, delivered]}\n\
         - {name: ghost, type: completeness, column: ghost}\n\
         - {name: quantity-small, type: range, column: quantity, max: 19}\n\
         - {name: amount-complete, type: completeness, column: amount}\n\
         - {name: rows, type: rowCount, max: 20000}\n",
    );
    let out_dir = dir.join("out");
    let out = profiler(&["check", &source, "--rules", &rules, "-o", out_dir.to_str().unwrap(), "--profile"]);
    assert_eq!(out.status.code(), Some(5), "{}\n{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAIL") && stdout.contains("ERROR"), "{stdout}");
    assert!(stdout.contains("\"cancelled\""), "the value not allowed is quoted: {stdout}");
    assert!(
        stdout.contains(
            "5 rules: 1 passed, 3 failed, 1 not evaluated: status-allowed, ghost, quantity-small, amount-complete"
        ),
        "{stdout}"
    );
    let report = check_json(&out_dir);
    let outcome = |i: usize| report["results"][i]["outcome"].as_str().unwrap().to_owned();
    assert_eq!(
        [outcome(0), outcome(1), outcome(2), outcome(3), outcome(4)],
        ["failed", "error", "failed", "failed", "passed"]
    );
    assert!(report["results"][1]["error"].as_str().unwrap().contains("\"ghost\" is not in the table"));
    assert!(report["results"][0]["failingRows"].as_u64().unwrap() > 0);
    // The profile of the same scan.
    let profile: Value = serde_json::from_str(&std::fs::read_to_string(out_dir.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile["rowCount"], 20_000);
    assert!(out_dir.join("report.html").exists());
}

#[test]
fn a_bad_rule_file_exits_2_naming_the_rule_and_field() {
    let dir = tmp("bad");
    let source = orders(&dir);
    let rules = write(
        &dir,
        "rules.yaml",
        "formatVersion: 1\nrules:\n- {name: amount-ok, type: completeness, column: amount, min: 1.5}\n",
    );
    let out = profiler(&["check", &source, "--rules", &rules, "-o", dir.join("out").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("amount-ok") && stderr.contains("min"), "{stderr}");
    let missing = profiler(&["check", &source, "--rules", dir.join("nope.yaml").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
}
