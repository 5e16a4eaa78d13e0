//! `profiler diff` end to end: two Parquet tables generated here (B with shifted amounts, more
//! null quantities, a new status and a dropped column), profiled by the binary and compared.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type};
use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use parquet::arrow::ArrowWriter;
use profiler_crds::{FindingKind, ProfileComparison, Severity};
use profiler_worker::datagen::{Rng, orders_batch, write_orders};
use serde_json::Value;

const ROWS: usize = 30_000;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn profiler(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profiler")).args(args).current_dir(root()).output().unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// B: the orders of another seed with amounts shifted up by 1.5 standard deviations (+60), a
/// quarter of the quantities null, one status in ten `refunded`, and no `is_active` column.
fn write_changed(path: &Path) {
    let batch = orders_batch(0, ROWS, &mut Rng::new(9)).unwrap();
    let amount: Float64Array =
        batch.column(1).as_primitive::<Float64Type>().iter().map(|v| v.map(|x| x + 60.0)).collect();
    let status: StringArray = batch
        .column(2)
        .as_string::<i32>()
        .iter()
        .enumerate()
        .map(|(i, v)| if i % 10 == 0 { Some("refunded") } else { v })
        .collect();
    let quantity: Int32Array = batch
        .column(7)
        .as_primitive::<Int32Type>()
        .iter()
        .enumerate()
        .map(|(i, v)| if i % 4 == 0 { None } else { v })
        .collect();
    let keep = [0usize, 1, 2, 3, 4, 6, 7];
    let schema = batch.schema();
    let fields: Vec<Field> = keep.iter().map(|&i| schema.field(i).clone().with_nullable(true)).collect();
    let columns: Vec<ArrayRef> = keep
        .iter()
        .map(|&i| match i {
            1 => Arc::new(amount.clone()) as ArrayRef,
            2 => Arc::new(status.clone()),
            7 => Arc::new(quantity.clone()),
            _ => batch.column(i).clone(),
        })
        .collect();
    let changed = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    let mut writer = ArrowWriter::try_new(File::create(path).unwrap(), changed.schema(), None).unwrap();
    writer.write(&changed).unwrap();
    writer.close().unwrap();
}

/// Profiles of A (seed 7), A again from another seed (same distribution) and B, made once.
struct Profiles {
    a: PathBuf,
    same: PathBuf,
    b: PathBuf,
}

fn profiles() -> &'static Profiles {
    static PROFILES: OnceLock<Profiles> = OnceLock::new();
    PROFILES.get_or_init(|| {
        let dir = tmp("tables");
        write_orders(&dir.join("a.parquet"), ROWS as u64, 7).unwrap();
        write_orders(&dir.join("same.parquet"), ROWS as u64, 8).unwrap();
        write_changed(&dir.join("b.parquet"));
        let profile = |name: &str| {
            let out = dir.join(name);
            let o = profiler(&["profile", s(&dir.join(format!("{name}.parquet"))), "-o", s(&out), "-q"]);
            assert!(o.status.success(), "{}", text(&o));
            out.join("profile.json")
        };
        Profiles { a: profile("a"), same: profile("same"), b: profile("b") }
    })
}

fn read(dir: &Path) -> ProfileComparison {
    serde_json::from_str(&std::fs::read_to_string(dir.join("diff.json")).unwrap()).unwrap()
}

fn severity_of(c: &ProfileComparison, kind: FindingKind, column: &str) -> Option<Severity> {
    c.findings
        .iter()
        .find(|f| f.kind == kind && f.column.as_ref().is_some_and(|x| x.name == column))
        .map(|f| f.severity)
}

#[test]
fn a_changed_table_is_reported_with_severities_and_fail_on_exit_codes() {
    let p = profiles();
    let out = tmp("changed");
    let o = profiler(&["diff", s(&p.a), s(&p.b), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("drift: yes"), "{stdout}");
    assert!(stdout.contains("severity") && stdout.contains("threshold"), "{stdout}");
    let c = read(&out);
    assert_eq!(severity_of(&c, FindingKind::KsDistance, "amount"), Some(Severity::Critical));
    assert_eq!(severity_of(&c, FindingKind::MeanShifted, "amount"), Some(Severity::Critical));
    assert_eq!(severity_of(&c, FindingKind::Psi, "amount"), Some(Severity::Critical));
    assert_eq!(severity_of(&c, FindingKind::NullFractionChanged, "quantity"), Some(Severity::Critical));
    assert_eq!(severity_of(&c, FindingKind::TopValueAppeared, "status"), Some(Severity::Warning));
    assert_eq!(severity_of(&c, FindingKind::ColumnRemoved, "is_active"), Some(Severity::Critical));
    // Untouched columns do not drift.
    for column in ["score", "created_at", "email", "id"] {
        assert!(
            !c.findings.iter().any(|f| f.severity >= Severity::Warning && f.column.as_ref().unwrap().name == column),
            "{column}: {:#?}",
            c.findings
        );
    }
    assert!(c.summary.drift);
    assert_eq!(c.summary.highest_severity, Some(Severity::Critical));
    assert!(c.summary.drifted_columns.contains(&"amount".to_owned()));
    assert_eq!(c.findings[0].severity, Severity::Critical, "most severe first");
    let ks = c.findings.iter().find(|f| f.kind == FindingKind::KsDistance).unwrap();
    assert_eq!(ks.threshold, Some(0.25));
    // The page is self-contained and plots the numeric and temporal columns.
    let html = std::fs::read_to_string(out.join("diff.html")).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));
    assert!(html.contains("<polyline") && html.contains("refunded"));
    for fail_on in ["critical", "warning", "info"] {
        let o = profiler(&["diff", s(&p.a), s(&p.b), "-o", s(&out), "-q", "--fail-on", fail_on]);
        assert_eq!(o.status.code(), Some(6), "--fail-on {fail_on}: {}", text(&o));
    }
}

#[test]
fn a_profile_against_itself_or_a_reprofile_reports_no_drift() {
    let p = profiles();
    let out = tmp("itself");
    let o = profiler(&["diff", s(&p.a), s(&p.a), "-o", s(&out), "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let c = read(&out);
    assert!(c.findings.is_empty(), "{:#?}", c.findings);
    assert!(!c.summary.drift && c.summary.highest_severity.is_none());
    assert!(c.skipped.is_empty() && c.notes.is_empty(), "{:?} {:?}", c.skipped, c.notes);
    // Another draw of the same distribution: noise, not drift.
    let o = profiler(&["diff", s(&p.a), s(&p.same), "-o", s(&out), "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let c = read(&out);
    assert!(!c.summary.drift, "{:#?}", c.findings);
    let amount = c.columns.iter().find(|x| x.column.name == "amount").unwrap();
    assert!(amount.statistics.ks.is_some_and(|d| d < 0.05), "{amount:?}");
}

#[test]
fn thresholds_come_from_a_file_and_flags_over_the_defaults() {
    let p = profiles();
    let out = tmp("thresholds");
    let file = out.join("thresholds.json");
    std::fs::write(
        &file,
        r#"{"ksCritical": 0.9, "psiCritical": 50, "meanShiftCritical": 9, "quantileShiftCritical": 9}"#,
    )
    .unwrap();
    let o = profiler(&[
        "diff",
        s(&p.a),
        s(&p.b),
        "-o",
        s(&out),
        "-q",
        "--thresholds",
        s(&file),
        "--threshold",
        "columnRemoved=warning",
        "--threshold",
        "nullFractionCritical=0.5",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(o.status.code(), Some(0), "nothing critical is left: {}", text(&o));
    let c = read(&out);
    assert_eq!(c.thresholds.ks_critical, 0.9);
    assert_eq!(c.thresholds.ks_warning, 0.1, "defaults stay");
    assert_eq!(severity_of(&c, FindingKind::ColumnRemoved, "is_active"), Some(Severity::Warning));
    assert_eq!(severity_of(&c, FindingKind::KsDistance, "amount"), Some(Severity::Warning));
    assert_eq!(c.summary.highest_severity, Some(Severity::Warning));

    let o = profiler(&["diff", s(&p.a), s(&p.b), "-o", s(&out), "--threshold", "ksWarnng=0.2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("ksWarnng"), "{}", text(&o));
    let o = profiler(&["diff", s(&p.a), s(&p.b), "-o", s(&out), "--threshold", "psiWarning=0.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("psiWarning (0.5) is above psiCritical"), "{}", text(&o));
}

#[test]
fn bad_inputs_are_refused_with_exit_code_2() {
    let p = profiles();
    let out = tmp("bad");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&p.a).unwrap()).unwrap();
    doc["formatVersion"] = Value::from(9);
    let future = out.join("future.json");
    std::fs::write(&future, doc.to_string()).unwrap();
    let o = profiler(&["diff", s(&p.a), s(&future), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("format version 9"), "{}", text(&o));
    let o = profiler(&["diff", s(&p.a), s(&out.join("missing.json")), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn diff_json_matches_the_committed_schema() {
    let o = profiler(&["schema", "--diff"]);
    assert!(o.status.success());
    let committed = std::fs::read_to_string(root().join("docs/diff.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        committed,
        "run `cargo run --bin profiler -- schema --diff > docs/diff.schema.json`"
    );
    // A written diff.json has every property the schema requires.
    let p = profiles();
    let out = tmp("schema");
    assert!(profiler(&["diff", s(&p.a), s(&p.b), "-o", s(&out), "-q"]).status.success());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(out.join("diff.json")).unwrap()).unwrap();
    let schema: Value = serde_json::from_str(&committed).unwrap();
    for required in schema["required"].as_array().unwrap() {
        assert!(doc.get(required.as_str().unwrap()).is_some(), "diff.json lacks {required}");
    }
}
