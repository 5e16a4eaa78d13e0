//! Rule suggestion from profiles of real scans: which rules each column gets, their bounds and
//! rationales, names, and that rules suggested on one half of a table hold on the other half
//! (judged here by plain reference code over the same data).

use std::collections::HashSet;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use profiler_crds::TableProfile;
use profiler_crds::quality::{RULE_NAME, Rule, RuleOutcome, RuleSet, RuleType, validate_rule_set};
use profiler_engine::quality::check::RuleChecker;
use profiler_engine::quality::suggest::{SuggestOptions, rule_name, suggest};
use profiler_engine::{ProfileOptions, TableProfiler};

/// SplitMix64 for reproducible test data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One table of orders, column by column.
struct Orders {
    id: Vec<Option<i64>>,
    amount: Vec<Option<f64>>,
    status: Vec<Option<String>>,
    email: Vec<Option<String>>,
    code: Vec<Option<String>>,
    heavy: Vec<Option<i64>>,
    day: Vec<Option<i32>>,
    created: Vec<Option<i64>>,
    note: Vec<Option<String>>,
}

const HOSTILE: &str = "we\"ird name]";

fn orders(rows: usize, seed: u64) -> Orders {
    let mut r = Rng(seed);
    let statuses = ["new", "paid", "shipped", "cancelled"];
    let mut o = Orders {
        id: vec![],
        amount: vec![],
        status: vec![],
        email: vec![],
        code: vec![],
        heavy: vec![],
        day: vec![],
        created: vec![],
        note: vec![],
    };
    // Ids 1..=rows in random order, so each half of the table spans about the whole range.
    let mut ids: Vec<i64> = (1..=rows as i64).collect();
    for i in (1..rows).rev() {
        ids.swap(i, r.below(i as u64 + 1) as usize);
    }
    for (i, id) in ids.into_iter().enumerate() {
        o.id.push(Some(id));
        o.amount.push((r.below(50) != 0).then(|| r.below(100_000) as f64 / 100.0));
        o.status.push(Some(statuses[(r.below(16) as usize).min(15) / 4].to_owned()));
        o.email.push(Some(if r.below(100) == 0 {
            "n/a".to_owned()
        } else {
            format!("user{}@example.com", r.below(5000))
        }));
        o.code.push(Some(format!("C{:04}", r.below(10_000))));
        o.heavy.push(Some(if i % 10_000 == 5_000 { 1_000_000_000 } else { r.below(100) as i64 }));
        o.day.push(Some(19_000 + r.below(365) as i32));
        o.created.push(Some(1_700_000_000_000_000 + r.below(86_400_000_000 * 30) as i64));
        o.note.push((r.below(3) == 0).then(|| format!("note {}", r.below(1_000))));
    }
    o
}

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("amount", DataType::Float64, true),
        Field::new("status", DataType::Utf8, true),
        Field::new("email", DataType::Utf8, true),
        Field::new("code", DataType::Utf8, true),
        Field::new("heavy", DataType::Int64, true),
        Field::new("day", DataType::Date32, true),
        Field::new("created", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new(HOSTILE, DataType::Utf8, true),
    ]))
}

fn batch(o: &Orders, range: std::ops::Range<usize>) -> RecordBatch {
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(o.id[range.clone()].to_vec())),
        Arc::new(Float64Array::from(o.amount[range.clone()].to_vec())),
        Arc::new(StringArray::from(o.status[range.clone()].to_vec())),
        Arc::new(StringArray::from(o.email[range.clone()].to_vec())),
        Arc::new(StringArray::from(o.code[range.clone()].to_vec())),
        Arc::new(Int64Array::from(o.heavy[range.clone()].to_vec())),
        Arc::new(Date32Array::from(o.day[range.clone()].to_vec())),
        Arc::new(TimestampMicrosecondArray::from(o.created[range.clone()].to_vec()).with_timezone("UTC")),
        Arc::new(StringArray::from(o.note[range.clone()].to_vec())),
    ];
    RecordBatch::try_new(schema(), cols).unwrap()
}

/// The profile document of rows `range` of `o`, as a scan writes it; `rows_read` above the rows
/// profiled marks it as the profile of a sample.
fn profile(o: &Orders, range: std::ops::Range<usize>, rows_read: u64) -> TableProfile {
    let mut p = TableProfiler::new(&schema(), &ProfileOptions::default()).unwrap();
    for start in range.clone().step_by(8192) {
        p.update(&batch(o, start..(start + 8192).min(range.end))).unwrap();
    }
    let columns = p.finish();
    let rows = range.len() as u64;
    // Through JSON, as `profiler suggest` reads profile.json.
    serde_json::from_value(serde_json::json!({
        "formatVersion": 1,
        "profilerVersion": "test",
        "source": {"kind": "parquet", "location": "orders.parquet", "files": 1},
        "mode": "scan",
        "sampling": {"method": "full", "rowsRead": rows_read.max(rows), "rowsProfiled": rows},
        "rowCount": rows,
        "columnCount": columns.len(),
        "startedAt": "2026-01-01T00:00:00Z",
        "durationMs": 1,
        "columns": columns,
    }))
    .unwrap()
}

fn rules_of<'a>(set: &'a RuleSet, column: &str) -> Vec<&'a Rule> {
    set.rules.iter().filter(|r| r.column.as_deref() == Some(column)).collect()
}

fn rule<'a>(set: &'a RuleSet, column: &str, ty: RuleType) -> Option<&'a Rule> {
    rules_of(set, column).into_iter().find(|r| r.rule_type == ty)
}

fn types(set: &RuleSet, column: &str) -> Vec<RuleType> {
    rules_of(set, column).iter().map(|r| r.rule_type).collect()
}

const ROWS: usize = 40_000;

#[test]
fn each_column_gets_the_rules_its_profile_supports() {
    let o = orders(ROWS, 7);
    let p = profile(&o, 0..ROWS, ROWS as u64);
    let set = suggest(&p, &SuggestOptions::default()).unwrap();
    assert_eq!(validate_rule_set(&set), Ok(()));
    assert_eq!(set.table.as_deref(), Some("orders.parquet"));
    assert_eq!(set.suggested_from.as_ref().unwrap().row_count, ROWS as u64);

    let rows = &set.rules[0];
    assert_eq!((rows.name.as_str(), rows.rule_type), ("row-count", RuleType::RowCount));
    assert_eq!((rows.min, rows.max), (Some(ROWS as f64 / 2.0), Some(ROWS as f64 * 2.0)));
    assert!(rows.rationale.as_deref().unwrap().contains("40000 rows"));

    use RuleType::*;
    assert_eq!(types(&set, "id"), [Completeness, Uniqueness, Range, NonNegative]);
    let unique = rule(&set, "id", Uniqueness).unwrap();
    assert_eq!(unique.name, "id-uniqueness");
    assert!(unique.rationale.as_deref().unwrap().starts_with("likely unique"), "{unique:?}");
    let id_range = rule(&set, "id", Range).unwrap();
    assert_eq!((id_range.min, id_range.max), (Some(0.0), Some(44_000.0)), "1..40000 widened by 10% of the span");

    // 2% nulls: at least the observed fraction less max(0.01, 3 standard errors).
    let complete = rule(&set, "amount", Completeness).unwrap();
    let observed = p.columns[1].non_null as f64 / ROWS as f64;
    let min = complete.min.unwrap();
    assert!(min < observed - 0.01 && min > observed - 0.02, "{min} vs {observed}");
    assert!(rule(&set, "id", Completeness).unwrap().min.is_none(), "no nulls: complete");
    assert!(rule(&set, "amount", Uniqueness).is_none(), "cents repeat");
    let amount = rule(&set, "amount", Range).unwrap();
    assert!(amount.min == Some(0.0) && amount.max.unwrap() >= 999.99 && amount.max.unwrap() <= 1100.0);

    let status = rule(&set, "status", AllowedValues).unwrap();
    let mut values = status.values.clone().unwrap();
    values.sort();
    assert_eq!(values, ["cancelled", "new", "paid", "shipped"]);
    assert_eq!(types(&set, "status"), [Completeness, AllowedValues, StringLength]);

    let email = rule(&set, "email", ContentType).unwrap();
    assert_eq!(email.content_type, Some(profiler_crds::ContentType::Email));
    assert!(email.min.unwrap() < 0.99 && email.min.unwrap() > 0.97, "1% are n/a");
    assert!(rule(&set, "email", AllowedValues).is_none(), "more values than the top values hold");

    let code = rule(&set, "code", StringLength).unwrap();
    assert_eq!((code.min, code.max), (Some(5.0), Some(5.0)), "fixed width");

    let heavy = rule(&set, "heavy", Range).unwrap();
    assert_eq!((heavy.min, heavy.max), (Some(0.0), None), "the upper tail is heavy: left open");
    assert!(heavy.rationale.as_deref().unwrap().contains("heavy upper tail"));

    let day = rule(&set, "day", Range).unwrap();
    assert!(day.earliest.as_deref().unwrap() <= "2022-01-08" && day.earliest.as_deref().unwrap() >= "2021-11-01");
    assert_eq!(day.earliest.as_deref().unwrap().len(), 10, "a date");
    let created = rule(&set, "created", Range).unwrap();
    assert!(created.earliest.as_deref().unwrap().ends_with('Z'), "{created:?}");
    assert!(created.latest.as_deref().unwrap().starts_with("2023-12-"), "{created:?}");

    let note = rules_of(&set, HOSTILE);
    assert_eq!(note[0].name, "we_ird_name-completeness");
    assert!(note.iter().all(|r| r.rule_type != Uniqueness), "notes repeat: {note:?}");
    for r in &set.rules {
        assert!(RULE_NAME.check(&r.name).is_ok(), "{}", r.name);
        assert!(r.rationale.is_some(), "{}", r.name);
    }
    assert_eq!(set.rules.iter().map(|r| &r.name).collect::<HashSet<_>>().len(), set.rules.len());
    // Pure and deterministic.
    assert_eq!(suggest(&p, &SuggestOptions::default()).unwrap(), set);
}

#[test]
fn a_sampled_profile_gets_no_uniqueness_rule() {
    let o = orders(ROWS, 8);
    let p = profile(&o, 0..ROWS / 4, ROWS as u64);
    let set = suggest(&p, &SuggestOptions::default()).unwrap();
    assert!(set.rules.iter().all(|r| r.rule_type != RuleType::Uniqueness), "{:?}", set.rules);
    let rows = &set.rules[0];
    assert_eq!(rows.max, Some(ROWS as f64 * 2.0), "bounds from the rows read, not the sample");
    assert!(
        rule(&set, "amount", RuleType::Completeness).unwrap().rationale.as_deref().unwrap().contains("of the sample")
    );
}

#[test]
fn options_change_the_bounds() {
    let o = orders(2_000, 9);
    let p = profile(&o, 0..2_000, 2_000);
    let options = SuggestOptions {
        row_count_min_factor: 0.9,
        row_count_max_factor: 1.1,
        range_margin: 0.0,
        max_allowed_values: 3,
        ..SuggestOptions::default()
    };
    let set = suggest(&p, &options).unwrap();
    assert_eq!((set.rules[0].min, set.rules[0].max), (Some(1800.0), Some(2200.0)));
    let id = rule(&set, "id", RuleType::Range).unwrap();
    assert_eq!((id.min, id.max), (Some(1.0), Some(2000.0)));
    assert!(rule(&set, "status", RuleType::AllowedValues).is_none(), "4 values > 3");
    assert!(suggest(&p, &SuggestOptions { content_type_min_fraction: 2.0, ..options }).is_err());
}

#[test]
fn duplicates_hidden_in_the_estimate_error_are_only_likely_unique() {
    // 20 repeated ids in 30,000: the estimate's bounds include the row count, so the rule is
    // suggested as "likely unique" (the check, which counts exactly, then fails on this data).
    let mut o = orders(30_000, 10);
    for i in 0..20 {
        o.id[i * 100] = Some(1);
    }
    let p = profile(&o, 0..30_000, 30_000);
    let d = p.columns[0].distinct.as_ref().unwrap();
    assert!(d.lower_bound <= 30_000.0 && !d.exact);
    let set = suggest(&p, &SuggestOptions::default()).unwrap();
    let unique = rule(&set, "id", RuleType::Uniqueness).unwrap();
    assert!(unique.rationale.as_deref().unwrap().contains("likely unique"));
    assert!(unique.rationale.as_deref().unwrap().contains("the check counts exactly"));
    // Strings whose exact top values show a repeat get no uniqueness rule at all.
    assert!(rule(&set, "status", RuleType::Uniqueness).is_none());
}

#[test]
fn rules_suggested_on_one_half_hold_on_the_other() {
    let o = orders(ROWS, 11);
    let half = ROWS / 2;
    let set = suggest(&profile(&o, 0..half, half as u64), &SuggestOptions::default()).unwrap();
    let cols = columns_of(&o, half..ROWS);
    let mut judged = 0;
    for r in &set.rules {
        if r.rule_type == RuleType::RowCount {
            let n = (ROWS - half) as f64;
            assert!(r.min.is_none_or(|m| n >= m) && r.max.is_none_or(|m| n <= m));
            continue;
        }
        // Uniqueness of ids is by construction; the other columns are judged value by value.
        if r.rule_type == RuleType::Uniqueness {
            continue;
        }
        let column = r.column.as_deref().unwrap();
        let values = &cols.iter().find(|(name, _)| name == column).unwrap().1;
        assert!(holds(r, values), "{} fails on the other half: {r:?}", r.name);
        judged += 1;
    }
    assert!(judged >= 15, "{judged} rules judged");
}

/// One column's values as text (numbers as f64 text, temporal values as ISO text).
enum Values {
    Num(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    Time(Vec<Option<String>>),
}

fn columns_of(o: &Orders, range: std::ops::Range<usize>) -> Vec<(String, Values)> {
    let nums = |v: &[Option<i64>]| Values::Num(v[range.clone()].iter().map(|x| x.map(|x| x as f64)).collect());
    let texts = |v: &[Option<String>]| Values::Text(v[range.clone()].to_vec());
    let day = |d: i32| chrono::NaiveDate::from_num_days_from_ce_opt(d + 719_163).unwrap().to_string();
    let ts = |us: i64| {
        chrono::DateTime::from_timestamp(us.div_euclid(1_000_000), 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    };
    vec![
        ("id".into(), nums(&o.id)),
        ("amount".into(), Values::Num(o.amount[range.clone()].to_vec())),
        ("status".into(), texts(&o.status)),
        ("email".into(), texts(&o.email)),
        ("code".into(), texts(&o.code)),
        ("heavy".into(), nums(&o.heavy)),
        ("day".into(), Values::Time(o.day[range.clone()].iter().map(|d| d.map(day)).collect())),
        ("created".into(), Values::Time(o.created[range.clone()].iter().map(|t| t.map(ts)).collect())),
        (HOSTILE.into(), texts(&o.note)),
    ]
}

/// The rule judged on `values` by plain code (ISO text compares in time order).
fn holds(r: &Rule, values: &Values) -> bool {
    let within = |x: f64| r.min.is_none_or(|m| x >= m) && r.max.is_none_or(|m| x <= m);
    let fraction = |hits: usize, of: usize| hits as f64 / of.max(1) as f64 >= r.min_fraction();
    match (r.rule_type, values) {
        (RuleType::Completeness, Values::Num(v)) => fraction(v.iter().flatten().count(), v.len()),
        (RuleType::Completeness, Values::Text(v) | Values::Time(v)) => fraction(v.iter().flatten().count(), v.len()),
        (RuleType::Range, Values::Num(v)) | (RuleType::NonNegative, Values::Num(v)) => {
            v.iter().flatten().all(|x| if r.rule_type == RuleType::NonNegative { *x >= 0.0 } else { within(*x) })
        }
        (RuleType::Range, Values::Time(v)) => v.iter().flatten().all(|t| {
            r.earliest.as_deref().is_none_or(|e| t.as_str() >= e) && r.latest.as_deref().is_none_or(|l| t.as_str() <= l)
        }),
        (RuleType::AllowedValues, Values::Text(v)) => {
            let allowed = r.values.as_ref().unwrap();
            v.iter().flatten().all(|x| allowed.contains(x))
        }
        (RuleType::StringLength, Values::Text(v)) => v.iter().flatten().all(|x| within(x.chars().count() as f64)),
        (RuleType::ContentType, Values::Text(v)) => {
            let want = r.content_type.unwrap();
            let hits = v.iter().flatten().filter(|x| profiler_engine::classify_content(x) == want).count();
            fraction(hits, v.iter().flatten().count())
        }
        other => panic!("no reference for {other:?}", other = other.0),
    }
}

#[test]
fn names_follow_the_column_and_type() {
    assert_eq!(rule_name(Some("Amount (EUR)"), RuleType::NonNegative), "amount__eur-non-negative");
    assert_eq!(rule_name(Some("a.b"), RuleType::ContentType), "a_b-content-type");
}

/// The names of the rules the check engine fails (or cannot evaluate) on rows `range` of `o`.
fn failing(set: &RuleSet, o: &Orders, range: std::ops::Range<usize>) -> Vec<String> {
    let mut checker = RuleChecker::new(&schema(), &set.rules);
    for start in range.clone().step_by(8192) {
        checker.update(&batch(o, start..(start + 8192).min(range.end))).unwrap();
    }
    checker.finish().into_iter().filter(|r| r.outcome != RuleOutcome::Passed).map(|r| r.name).collect()
}

#[test]
fn the_check_engine_passes_the_other_half_and_catches_each_breakage() {
    let o = orders(ROWS, 12);
    let half = ROWS / 2;
    let set = suggest(&profile(&o, 0..half, half as u64), &SuggestOptions::default()).unwrap();
    assert_eq!(failing(&set, &o, half..ROWS), Vec::<String>::new(), "no false alarm on the clean half");

    let broken = |change: &dyn Fn(&mut Orders)| {
        let mut copy = orders(ROWS, 12);
        change(&mut copy);
        failing(&set, &copy, half..ROWS)
    };
    assert_eq!(
        broken(&|o| (half..half + 500).for_each(|i| o.status[i] = None)),
        ["status-completeness"],
        "nulls injected"
    );
    assert_eq!(broken(&|o| o.amount[half + 3] = Some(5_000.0)), ["amount-range"], "out of range");
    assert_eq!(broken(&|o| o.status[half + 4] = Some("lost".into())), ["status-allowed-values"], "a new category");
    assert_eq!(broken(&|o| o.id[half + 5] = o.id[half + 6]), ["id-uniqueness"], "a duplicate key");
    assert_eq!(broken(&|o| o.day[half + 7] = Some(25_000)), ["day-range"], "a date years after the others");
}
