//! The round trip on a generated orders table: rules suggested from a profile of one half
//! (`profiler suggest`'s engine) and written by hand (tests/rules/orders.yaml) all pass on the
//! other half, and each deliberately broken copy of that half (nulls injected, out-of-range
//! values, a new category, duplicate keys) is caught by the rule meant to catch it, and only by
//! the rules that judge what was broken.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use profiler_crds::Sampling;
use profiler_crds::quality::{RuleOutcome, RuleSet, RuleType, parse_rule_set};
use profiler_engine::ProfileOptions;
use profiler_engine::quality::suggest::{SuggestOptions, suggest};
use profiler_worker::datagen::{Rng, orders_batch};
use profiler_worker::{ProfileRequest, Progress, SourceSpec, check, profile};

const ROWS: usize = 40_000;

fn tmp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-check-roundtrip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, batch: &RecordBatch) -> String {
    let path = dir.join(name);
    let mut writer = ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), batch.schema(), None).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
    path.to_string_lossy().into_owned()
}

fn request(location: &str) -> ProfileRequest {
    ProfileRequest {
        source: SourceSpec::Parquet { location: location.to_owned() },
        columns: None,
        sampling: Sampling::Full,
        metadata_only: false,
        options: ProfileOptions::default(),
        threads: 2,
        partitions: None,
        split_row_groups: false,
    }
}

/// Names of the rules of `rules` that do not pass on the file at `location`.
fn not_passing(location: &str, rules: &RuleSet) -> BTreeSet<String> {
    let report = check(&request(location), rules, &Progress::default()).unwrap();
    assert_eq!(report.results.len(), rules.rules.len());
    report.results.into_iter().filter(|r| r.outcome != RuleOutcome::Passed).map(|r| r.name).collect()
}

/// The even rows and the odd rows of one generated table.
fn halves() -> (RecordBatch, RecordBatch) {
    let all = orders_batch(0, ROWS, &mut Rng::new(2024)).unwrap();
    let pick = |parity: usize| {
        let rows = || (parity..ROWS).step_by(2);
        let columns: Vec<ArrayRef> = all
            .columns()
            .iter()
            .map(|c| -> ArrayRef {
                match c.data_type() {
                    DataType::Int64 => {
                        let a = c.as_primitive::<Int64Type>();
                        Arc::new(Int64Array::from_iter(rows().map(|i| a.is_valid(i).then(|| a.value(i)))))
                    }
                    DataType::Int32 => {
                        let a = c.as_primitive::<Int32Type>();
                        Arc::new(Int32Array::from_iter(rows().map(|i| a.is_valid(i).then(|| a.value(i)))))
                    }
                    DataType::Float64 => {
                        let a = c.as_primitive::<Float64Type>();
                        Arc::new(Float64Array::from_iter(rows().map(|i| a.is_valid(i).then(|| a.value(i)))))
                    }
                    DataType::Utf8 => {
                        let a = c.as_string::<i32>();
                        Arc::new(StringArray::from_iter(rows().map(|i| a.is_valid(i).then(|| a.value(i)))))
                    }
                    DataType::Boolean => {
                        let a = c.as_boolean();
                        Arc::new(BooleanArray::from_iter(rows().map(|i| a.is_valid(i).then(|| a.value(i)))))
                    }
                    DataType::Timestamp(..) => {
                        let a = c.as_primitive::<TimestampMicrosecondType>();
                        Arc::new(
                            TimestampMicrosecondArray::from_iter(rows().map(|i| a.is_valid(i).then(|| a.value(i))))
                                .with_timezone("UTC"),
                        )
                    }
                    other => panic!("the orders table has no {other} column"),
                }
            })
            .collect();
        RecordBatch::try_new(all.schema(), columns).unwrap()
    };
    (pick(0), pick(1))
}

/// `batch` with column `name` replaced.
fn replaced(batch: &RecordBatch, name: &str, column: ArrayRef) -> RecordBatch {
    let index = batch.schema().index_of(name).unwrap();
    let mut columns = batch.columns().to_vec();
    columns[index] = column;
    let mut fields: Vec<Field> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    fields[index] = fields[index].clone().with_nullable(true);
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

/// A broken copy of the clean half: what was broken, the data, the rules that must fail (by
/// the hand-written set) and the suggested rule that must catch it (type, column).
type Breakage<'a> = (&'a str, RecordBatch, &'a [&'a str], (RuleType, &'a str));

#[test]
fn suggested_and_hand_written_rules_pass_on_the_other_half_and_catch_each_breakage() {
    let dir = tmp();
    let (a, b) = halves();
    let (a_path, b_path) = (write(&dir, "a.parquet", &a), write(&dir, "b.parquet", &b));

    let profiled = profile(&request(&a_path), &Progress::default()).unwrap();
    let suggested = suggest(&profiled, &SuggestOptions::default()).unwrap();
    assert!(suggested.rules.len() >= 10, "{} rules suggested", suggested.rules.len());
    let by_hand = parse_rule_set(include_str!("rules/orders.yaml"), "orders.yaml").unwrap();

    // No false alarm on the clean half.
    assert_eq!(not_passing(&b_path, &by_hand), BTreeSet::new(), "hand-written rules on the clean half");
    assert_eq!(not_passing(&b_path, &suggested), BTreeSet::new(), "suggested rules on the clean half");

    let n = b.num_rows();
    let email = b.column_by_name("email").unwrap().as_string::<i32>().clone();
    let amount = b.column_by_name("amount").unwrap().as_primitive::<Float64Type>().clone();
    let status = b.column_by_name("status").unwrap().as_string::<i32>().clone();
    let id = b.column_by_name("id").unwrap().as_primitive::<Int64Type>().clone();
    let breakages: Vec<Breakage> =
        vec![
            (
                "nulls injected",
                replaced(
                    &b,
                    "email",
                    Arc::new(StringArray::from_iter((0..n).map(|i| (i % 50 != 7).then(|| email.value(i))))),
                ),
                &["email-complete"],
                (RuleType::Completeness, "email"),
            ),
            (
                "out-of-range values",
                replaced(
                    &b,
                    "amount",
                    Arc::new(Float64Array::from_iter((0..n).map(|i| {
                        if i % 100 == 3 { Some(-50.0) } else { amount.is_valid(i).then(|| amount.value(i)) }
                    }))),
                ),
                &["amount-non-negative", "amount-range"],
                (RuleType::NonNegative, "amount"),
            ),
            (
                "a new category",
                replaced(
                    &b,
                    "status",
                    Arc::new(StringArray::from_iter_values(
                        (0..n).map(|i| if i % 200 == 5 { "refunded" } else { status.value(i) }),
                    )),
                ),
                &["status-allowed"],
                (RuleType::AllowedValues, "status"),
            ),
            (
                "duplicate keys",
                replaced(
                    &b,
                    "id",
                    Arc::new(Int64Array::from_iter_values(
                        (0..n).map(|i| if i % 100 == 1 { id.value(i - 1) } else { id.value(i) }),
                    )),
                ),
                &["id-unique"],
                (RuleType::Uniqueness, "id"),
            ),
        ];
    for (what, broken, caught_by, (suggested_type, column)) in breakages {
        let path = write(&dir, &format!("{}.parquet", what.replace(' ', "-")), &broken);
        let expected: BTreeSet<String> = caught_by.iter().map(|s| s.to_string()).collect();
        assert_eq!(not_passing(&path, &by_hand), expected, "hand-written rules on {what}");
        // The suggested rule of that type on that column catches it too.
        let meant = suggested
            .rules
            .iter()
            .find(|r| r.rule_type == suggested_type && r.column.as_deref() == Some(column))
            .unwrap_or_else(|| panic!("no {suggested_type} rule on {column} was suggested"));
        let failing = not_passing(&path, &suggested);
        assert!(failing.contains(&meant.name), "{what}: suggested {} did not fail; failing: {failing:?}", meant.name);
    }
}
