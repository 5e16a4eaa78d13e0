//! Rule verification in the engine: each rule type passes and fails at its boundary, nulls, NaN,
//! decimals, dates and timestamps in their unit and zone, struct fields, dictionaries, rules that
//! cannot apply (Error, the others still evaluated), and the parallel scan agreeing with one
//! checker.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use arrow_array::builder::{Decimal128Builder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray, StructArray,
    TimestampMicrosecondArray,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use profiler_crds::ContentType;
use profiler_crds::quality::{Rule, RuleOutcome, RuleResult, RuleType};
use profiler_engine::quality::check::RuleChecker;
use profiler_engine::{EngineError, Partition, ProfileOptions, ScanPlan, scan_with};

fn rule(name: &str, ty: RuleType, column: &str) -> Rule {
    let mut r = Rule::new(name, ty);
    if ty != RuleType::RowCount {
        r.column = Some(column.into());
    }
    r
}

fn with(mut r: Rule, f: impl FnOnce(&mut Rule)) -> Rule {
    f(&mut r);
    r
}

/// Checks `rules` over `columns` as one batch, and as two halves merged; both must agree.
fn check(columns: Vec<(&str, ArrayRef)>, rules: &[Rule]) -> Vec<RuleResult> {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let mut whole = RuleChecker::new(&batch.schema(), rules);
    whole.update(&batch).unwrap();
    let half = batch.num_rows() / 2;
    let mut a = RuleChecker::new(&batch.schema(), rules);
    let mut b = a.clone();
    a.update(&batch.slice(0, half)).unwrap();
    b.update(&batch.slice(half, batch.num_rows() - half)).unwrap();
    a.merge(b);
    let (one, merged) = (whole.finish(), a.finish());
    for (x, y) in one.iter().zip(&merged) {
        assert_eq!((x.outcome, x.failing_rows, x.observed_value), (y.outcome, y.failing_rows, y.observed_value));
    }
    one
}

fn outcomes(results: &[RuleResult]) -> Vec<RuleOutcome> {
    results.iter().map(|r| r.outcome).collect()
}

use RuleOutcome::{Error, Failed, Passed};

fn ints(values: &[Option<i64>]) -> ArrayRef {
    Arc::new(Int64Array::from(values.to_vec()))
}

fn floats(values: &[Option<f64>]) -> ArrayRef {
    Arc::new(Float64Array::from(values.to_vec()))
}

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

#[test]
fn completeness_at_its_boundary() {
    let mut values: Vec<Option<i64>> = (0..10).map(Some).collect();
    values[3] = None;
    let rules = [
        with(rule("at", RuleType::Completeness, "x"), |r| r.min = Some(0.9)),
        with(rule("above", RuleType::Completeness, "x"), |r| r.min = Some(0.91)),
        rule("all", RuleType::Completeness, "x"),
    ];
    let results = check(vec![("x", ints(&values))], &rules);
    assert_eq!(outcomes(&results), [Passed, Failed, Failed]);
    assert_eq!(results[2].failing_rows, Some(1));
    assert_eq!(results[2].observed_value, Some(0.9));
    assert!(results[2].observed.contains("1 nulls in 10 rows"), "{}", results[2].observed);
}

#[test]
fn uniqueness_is_exact_for_numbers_floats_and_strings() {
    let rules = [
        with(rule("ids", RuleType::Uniqueness, "id"), |r| r.min = Some(0.75)),
        with(rule("ids-strict", RuleType::Uniqueness, "id"), |r| r.min = Some(0.76)),
        rule("names", RuleType::Uniqueness, "name"),
        with(rule("floats", RuleType::Uniqueness, "f"), |r| r.min = Some(0.5)),
    ];
    let id = ints(&[Some(1), Some(2), Some(3), Some(3), None]);
    let name = strings(&[Some("a"), Some("b"), Some("ä"), Some("c"), None]);
    // NaN twice is one value, and -0.0 is 0.0: 2 distinct of 4.
    let f = floats(&[Some(f64::NAN), Some(f64::NAN), Some(-0.0), Some(0.0), None]);
    let results = check(vec![("id", id), ("name", name), ("f", f)], &rules);
    assert_eq!(outcomes(&results), [Passed, Failed, Passed, Passed]);
    assert_eq!(results[0].failing_rows, Some(1));
    assert_eq!(results[3].observed_value, Some(0.5));
}

#[test]
fn allowed_values_by_type() {
    let rules = [
        with(rule("status", RuleType::AllowedValues, "s"), |r| r.values = Some(vec!["paid".into(), "new".into()])),
        with(rule("ints", RuleType::AllowedValues, "i"), |r| r.values = Some(vec!["1".into(), "2.0".into()])),
        with(rule("flags", RuleType::AllowedValues, "b"), |r| r.values = Some(vec!["true".into()])),
    ];
    let s = strings(&[Some("paid"), Some("new"), None, Some("refunded")]);
    let i = ints(&[Some(1), Some(2), None, Some(2)]);
    let b: ArrayRef = Arc::new(BooleanArray::from(vec![Some(true), None, Some(true), Some(false)]));
    let results = check(vec![("s", s), ("i", i), ("b", b)], &rules);
    assert_eq!(outcomes(&results), [Failed, Passed, Failed]);
    assert_eq!(results[0].failing_rows, Some(1));
    assert!(results[0].observed.contains("\"refunded\""), "{}", results[0].observed);
}

#[test]
fn numeric_ranges_are_inclusive_and_nan_is_in_none() {
    let rules = [
        with(rule("in", RuleType::Range, "i"), |r| (r.min, r.max) = (Some(-1.0), Some(10.0))),
        with(rule("tight", RuleType::Range, "i"), |r| (r.min, r.max) = (Some(-0.5), Some(9.5))),
        with(rule("f", RuleType::Range, "f"), |r| r.max = Some(2.5)),
        rule("nonneg-f", RuleType::NonNegative, "g"),
        rule("nonneg-i", RuleType::NonNegative, "i"),
    ];
    let i = ints(&[Some(-1), Some(10), None, Some(3)]);
    let f = floats(&[Some(2.5), Some(f64::NAN), None, Some(-1e300)]);
    let g = floats(&[Some(-0.0), Some(0.0), None, Some(5.0)]);
    let results = check(vec![("i", i), ("f", f), ("g", g)], &rules);
    assert_eq!(outcomes(&results), [Passed, Failed, Failed, Passed, Failed]);
    assert_eq!(results[1].failing_rows, Some(2));
    assert_eq!(results[2].failing_rows, Some(1), "NaN is out of range");
    assert!(results[2].observed.contains("1 NaN"), "{}", results[2].observed);
    assert!(results[0].observed.contains("min -1, max 10"), "{}", results[0].observed);
}

#[test]
fn decimals_compare_exactly_at_their_scale() {
    let mut d = Decimal128Builder::new().with_precision_and_scale(20, 2).unwrap();
    d.append_value(10); // 0.10
    d.append_value(99_999_999_999_999_999); // 999999999999999.99: beyond f64's exact integers
    d.append_null();
    let d: ArrayRef = Arc::new(d.finish());
    let rules = [
        with(rule("low", RuleType::Range, "d"), |r| r.min = Some(0.1)),
        with(rule("low-above", RuleType::Range, "d"), |r| r.min = Some(0.11)),
        with(rule("high", RuleType::Range, "d"), |r| r.max = Some(999_999_999_999_999.9)),
        rule("nonneg", RuleType::NonNegative, "d"),
    ];
    let results = check(vec![("d", d)], &rules);
    assert_eq!(outcomes(&results), [Passed, Failed, Failed, Passed]);
    assert!(results[2].observed.contains("999999999999999.99"), "{}", results[2].observed);
}

#[test]
fn time_ranges_in_the_columns_unit_and_zone() {
    // 2024-01-01T00:00:00Z and one microsecond past 2024-12-31T23:59:59.999999Z.
    let jan1 = 1_704_067_200_000_000i64;
    let end = 1_735_689_600_000_000i64;
    let ts: ArrayRef =
        Arc::new(TimestampMicrosecondArray::from(vec![Some(jan1), None, Some(end - 1)]).with_timezone("UTC"));
    let late: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![Some(jan1), Some(end)]).with_timezone("UTC"));
    let days: ArrayRef = Arc::new(Date32Array::from(vec![Some(19_723), Some(20_088), None])); // 2024-01-01, 2024-12-31
    let year = |r: &mut Rule| {
        r.earliest = Some("2024-01-01".into());
        r.latest = Some("2024-12-31T23:59:59.999999Z".into());
    };
    let rules = [
        with(rule("ts", RuleType::Range, "ts"), year),
        with(rule("late", RuleType::Range, "late"), year),
        with(rule("days", RuleType::Range, "days"), |r| {
            r.earliest = Some("2024-01-01".into());
            r.latest = Some("2024-12-31".into());
        }),
        with(rule("days-shifted", RuleType::Range, "days"), |r| r.earliest = Some("2024-01-01T00:00:01+00:00".into())),
        with(rule("paris", RuleType::Range, "ts"), |r| r.earliest = Some("2024-01-01T01:00:00+01:00".into())),
    ];
    let results = {
        let batch = RecordBatch::try_from_iter(vec![("ts", ts), ("days", days)]).unwrap();
        let mut c = RuleChecker::new(
            &batch.schema(),
            &[rules[0].clone(), rules[2].clone(), rules[3].clone(), rules[4].clone()],
        );
        c.update(&batch).unwrap();
        let late_batch = RecordBatch::try_from_iter(vec![("late", late)]).unwrap();
        let mut l = RuleChecker::new(&late_batch.schema(), &[rules[1].clone()]);
        l.update(&late_batch).unwrap();
        let mut all = c.finish();
        all.insert(1, l.finish().remove(0));
        all
    };
    assert_eq!(outcomes(&results), [Passed, Failed, Passed, Failed, Passed]);
    assert!(results[1].observed.contains("2025-01-01T00:00:00Z"), "{}", results[1].observed);
    assert_eq!(results[3].failing_rows, Some(1), "2024-01-01 is before 00:00:01 that day");
}

#[test]
fn string_lengths_count_characters_and_binary_bytes() {
    let s = strings(&[Some("héllo"), Some(""), None]);
    let b: ArrayRef = Arc::new(BinaryArray::from(vec![Some("héllo".as_bytes()), None, Some(b"ab".as_ref())]));
    let rules = [
        with(rule("chars", RuleType::StringLength, "s"), |r| r.max = Some(5.0)),
        with(rule("non-empty", RuleType::StringLength, "s"), |r| r.min = Some(1.0)),
        with(rule("bytes", RuleType::StringLength, "b"), |r| r.max = Some(5.0)),
    ];
    let results = check(vec![("s", s), ("b", b)], &rules);
    assert_eq!(outcomes(&results), [Passed, Failed, Failed]);
    assert!(results[2].observed.contains("lengths 2 to 6"), "{}", results[2].observed);
}

#[test]
fn content_type_fraction_at_its_boundary() {
    let mut values: Vec<Option<&str>> = vec![Some("a@example.com"); 9];
    values.push(Some("not an address"));
    values.push(None);
    let rules = [
        with(rule("at", RuleType::ContentType, "e"), |r| {
            r.content_type = Some(ContentType::Email);
            r.min = Some(0.9);
        }),
        with(rule("above", RuleType::ContentType, "e"), |r| {
            r.content_type = Some(ContentType::Email);
            r.min = Some(0.95);
        }),
    ];
    let results = check(vec![("e", strings(&values))], &rules);
    assert_eq!(outcomes(&results), [Passed, Failed]);
    assert_eq!(results[1].failing_rows, Some(1));
}

#[test]
fn row_count_bounds_are_inclusive() {
    let x = ints(&[Some(1), None, Some(3)]);
    let rules = [
        with(rule("exact", RuleType::RowCount, ""), |r| (r.min, r.max) = (Some(3.0), Some(3.0))),
        with(rule("more", RuleType::RowCount, ""), |r| r.min = Some(4.0)),
    ];
    assert_eq!(outcomes(&check(vec![("x", x)], &rules)), [Passed, Failed]);
}

#[test]
fn rules_that_cannot_apply_are_errors_and_the_others_still_run() {
    let rules = [
        rule("gone", RuleType::Completeness, "missing"),
        with(rule("range-on-text", RuleType::Range, "s"), |r| r.min = Some(1.0)),
        with(rule("content-on-int", RuleType::ContentType, "x"), |r| r.content_type = Some(ContentType::Uuid)),
        with(rule("time-on-int", RuleType::Range, "x"), |r| r.earliest = Some("2024-01-01".into())),
        rule("ok", RuleType::Completeness, "x"),
    ];
    let results = check(vec![("x", ints(&[Some(1), Some(2)])), ("s", strings(&[Some("a"), Some("b")]))], &rules);
    assert_eq!(outcomes(&results), [Error, Error, Error, Error, Passed]);
    let gone = results[0].error.as_deref().unwrap();
    assert!(gone.contains("\"missing\"") && gone.contains("columns: x, s"), "{gone}");
    assert!(results[1].error.as_deref().unwrap().contains("numeric"), "{:?}", results[1].error);
}

#[test]
fn struct_fields_carry_their_parents_nulls_and_dictionaries_are_decoded() {
    let child: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), Some(2), Some(3)]));
    let parent = StructArray::try_new(
        vec![Field::new("b", DataType::Int64, true)].into(),
        vec![child],
        Some(NullBuffer::from(vec![true, false, true])),
    )
    .unwrap();
    let mut dict = StringDictionaryBuilder::<Int32Type>::new();
    for v in ["paid", "paid", "lost"] {
        dict.append_value(v);
    }
    let columns: Vec<(&str, ArrayRef)> = vec![("a", Arc::new(parent)), ("d", Arc::new(dict.finish()))];
    let rules = [
        rule("child", RuleType::Completeness, "a.b"),
        with(rule("parent", RuleType::Completeness, "a"), |r| r.min = Some(0.6)),
        with(rule("dict", RuleType::AllowedValues, "d"), |r| r.values = Some(vec!["paid".into()])),
    ];
    let results = check(columns, &rules);
    assert_eq!(outcomes(&results), [Failed, Passed, Failed]);
    assert_eq!(results[0].failing_rows, Some(1));
    assert_eq!(results[2].failing_rows, Some(1));
}

#[test]
fn a_dictionary_column_is_judged_as_its_decoded_values_are() {
    // Null keys, a null dictionary value, an unused value, repeats, non-ASCII text, failures of
    // every string rule.
    let values = Arc::new(StringArray::from(vec![
        Some("paid"),
        Some("lost"),
        None,
        Some("never used"),
        Some("ab@example.com"),
        Some("naïve"),
    ]));
    let keys = arrow_array::Int32Array::from(vec![
        Some(0),
        Some(1),
        None,
        Some(2),
        Some(0),
        Some(4),
        Some(5),
        Some(0),
        Some(1),
        Some(4),
        Some(5),
        Some(0),
    ]);
    let dictionary = arrow_array::DictionaryArray::<Int32Type>::try_new(keys, values).unwrap();
    let decoded = arrow_cast::cast(&dictionary, &DataType::Utf8).unwrap();
    let rules = [
        rule("complete", RuleType::Completeness, "s"),
        with(rule("unique", RuleType::Uniqueness, "s"), |r| r.min = Some(0.5)),
        with(rule("allowed", RuleType::AllowedValues, "s"), |r| r.values = Some(vec!["paid".into(), "lost".into()])),
        with(rule("length", RuleType::StringLength, "s"), |r| (r.min, r.max) = (Some(4.0), Some(5.0))),
        with(rule("email", RuleType::ContentType, "s"), |r| {
            (r.content_type, r.min) = (Some(ContentType::Email), Some(0.1))
        }),
    ];
    let keyed = check(vec![("s", Arc::new(dictionary.clone()) as ArrayRef)], &rules);
    let plain = check(vec![("s", decoded.clone())], &rules);
    for (k, p) in keyed.iter().zip(&plain) {
        assert_eq!(
            (k.outcome, k.failing_rows, k.observed_value, &k.observed),
            (p.outcome, p.failing_rows, p.observed_value, &p.observed),
            "{}",
            k.name
        );
    }
    assert_eq!(outcomes(&keyed), [Failed, Failed, Failed, Failed, Passed]);
    assert_eq!(keyed[2].failing_rows, Some(4));
    assert_eq!(keyed[3].failing_rows, Some(2));

    // Batches read one way and the other (row groups that were dictionary-encoded or not) count
    // the same distinct values.
    let schema = Arc::new(Schema::new(vec![Field::new("s", DataType::Utf8, true)]));
    let mut mixed = RuleChecker::new(&schema, &rules[1..2]);
    mixed.update(&RecordBatch::try_from_iter([("s", Arc::new(dictionary) as ArrayRef)]).unwrap()).unwrap();
    mixed.update(&RecordBatch::try_from_iter([("s", decoded)]).unwrap()).unwrap();
    assert_eq!(mixed.finish()[0].observed_value, Some(4.0 / 20.0));
}

struct Chunk(Vec<RecordBatch>);
impl Partition for Chunk {
    type Error = EngineError;
    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), EngineError> {
        self.0.into_iter().try_for_each(sink)
    }
}

#[test]
fn the_parallel_scan_verifies_with_or_without_the_profile() {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("at", DataType::Timestamp(TimeUnit::Microsecond, None), true),
    ]));
    let batch = |start: i64| {
        let id: ArrayRef = Arc::new(Int64Array::from_iter_values(start..start + 1000));
        let at: ArrayRef =
            Arc::new(TimestampMicrosecondArray::from_iter_values((start..start + 1000).map(|v| v * 1_000_000)));
        RecordBatch::try_new(schema.clone(), vec![id, at]).unwrap()
    };
    let parts = || (0..8).map(|p| Chunk(vec![batch(p * 2000), batch(p * 2000 + 1000)])).collect::<Vec<_>>();
    let rules = vec![
        rule("unique", RuleType::Uniqueness, "id"),
        with(rule("rows", RuleType::RowCount, ""), |r| r.min = Some(16_000.0)),
        with(rule("range", RuleType::Range, "id"), |r| r.max = Some(15_998.0)),
    ];
    let options = ProfileOptions::default();
    for profile in [true, false] {
        let plan = ScanPlan {
            sampling: profiler_crds::Sampling::Full,
            options: &options,
            threads: 3,
            rules: Some(&rules),
            profile,
        };
        let out = scan_with(schema.clone(), parts(), &plan, &AtomicU64::new(0)).unwrap();
        let results = out.rules.unwrap();
        assert_eq!(outcomes(&results), [Passed, Passed, Failed], "profile {profile}");
        assert_eq!(results[2].failing_rows, Some(1));
        assert_eq!(out.columns.len(), if profile { 2 } else { 0 });
        assert_eq!(out.rows_read, 16_000);
    }
}
