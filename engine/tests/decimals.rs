//! Exact decimals: minimum, maximum and sum of DECIMAL columns at the extremes of their precision,
//! checked digit for digit against figures computed independently with Python's `decimal` module
//! (arbitrary precision) from the same formula of the rows (see [`unscaled`]):
//!
//! ```python
//! vs = [v for v in (unscaled(i) for i in range(10000)) if v is not None]
//! min(vs), max(vs), sum(vs)   # written at the column's scale
//! ```

use std::sync::Arc;

use arrow_array::{
    ArrayRef, Decimal32Array, Decimal64Array, Decimal128Array, Decimal256Array, Float64Array, Int64Array, RecordBatch,
};
use arrow_buffer::i256;
use arrow_schema::{DataType, Field, Schema};
use profiler_crds::{ColumnProfile, DecimalStats, TableProfile};
use profiler_engine::{ProfileOptions, TableProfiler, merge_profiles};

mod support;
use support::document;

const ROWS: usize = 10_000;

/// Row `i`'s unscaled value: null every 10th row, the largest value of the precision every 7th,
/// the smallest every 11th, else `(i - 40000) × base` (mixed signs).
fn unscaled(i: usize, max: i256, base: i256) -> Option<i256> {
    if i.is_multiple_of(10) {
        None
    } else if i.is_multiple_of(7) {
        Some(max)
    } else if i.is_multiple_of(11) {
        Some(-max)
    } else {
        Some(i256::from(i as i64 - 40_000) * base)
    }
}

fn pow10(n: u32) -> i256 {
    i256::from(10).checked_pow(n).unwrap()
}

fn values(max: i256, base: i256) -> Vec<Option<i256>> {
    (0..ROWS).map(|i| unscaled(i, max, base)).collect()
}

/// One column of the test table and the figures Python computed for it.
struct Case {
    name: &'static str,
    array: ArrayRef,
    min: &'static str,
    max: &'static str,
    sum: &'static str,
    exceeds_38: bool,
    precision: u8,
    scale: i8,
}

fn cases() -> Vec<Case> {
    let d18 = values(pow10(18) - i256::ONE, i256::from(12345));
    let d38_9 = values(pow10(38) - i256::ONE, i256::from(1_000_000_007));
    let d38_0 = values(pow10(38) - i256::ONE, pow10(20) + i256::from(3));
    let d9 = values(pow10(9) - i256::ONE, i256::from(1234));
    let d76 = values(pow10(76) - i256::ONE, pow10(60) + i256::from(7));
    let d10 = values(pow10(10) - i256::ONE, i256::from(333));
    let as_i128 = |v: &[Option<i256>]| v.iter().map(|x| x.map(|x| x.as_i128())).collect::<Vec<_>>();
    let d128 = |v: &[Option<i256>], p, s| -> ArrayRef {
        Arc::new(Decimal128Array::from(as_i128(v)).with_precision_and_scale(p, s).unwrap())
    };
    let (d18_min, d18_max, d18_sum) = ("-9999999999999999.99", "9999999999999999.99", "5839999969702290904.26");
    vec![
        Case {
            name: "d18_2_as_128",
            array: d128(&d18, 18, 2),
            min: d18_min,
            max: d18_max,
            sum: d18_sum,
            exceeds_38: false,
            precision: 18,
            scale: 2,
        },
        Case {
            name: "d18_2_as_64",
            array: Arc::new(
                Decimal64Array::from(d18.iter().map(|x| x.map(|x| x.as_i128() as i64)).collect::<Vec<_>>())
                    .with_precision_and_scale(18, 2)
                    .unwrap(),
            ),
            min: d18_min,
            max: d18_max,
            sum: d18_sum,
            exceeds_38: false,
            precision: 18,
            scale: 2,
        },
        Case {
            name: "d38_9",
            array: d128(&d38_9, 38, 9),
            min: "-99999999999999999999999999999.999999999",
            max: "99999999999999999999999999999.999999999",
            sum: "58399999999999999999999754575056.282024822",
            exceeds_38: true,
            precision: 38,
            scale: 9,
        },
        Case {
            name: "d38_0",
            array: d128(&d38_0, 38, 0),
            min: "-99999999999999999999999999999999999999",
            max: "99999999999999999999999999999999999999",
            sum: "58399999999975457505799999999999263724590",
            exceeds_38: true,
            precision: 38,
            scale: 0,
        },
        Case {
            name: "d9_2_as_32",
            array: Arc::new(
                Decimal32Array::from(d9.iter().map(|x| x.map(|x| x.as_i128() as i32)).collect::<Vec<_>>())
                    .with_precision_and_scale(9, 2)
                    .unwrap(),
            ),
            min: "-9999999.99",
            max: "9999999.99",
            sum: "2811456209.88",
            exceeds_38: false,
            precision: 9,
            scale: 2,
        },
        Case {
            name: "d76_0_as_256",
            array: Arc::new(Decimal256Array::from(d76.clone()).with_precision_and_scale(76, 0).unwrap()),
            min: "-9999999999999999999999999999999999999999999999999999999999999999999999999999",
            max: "9999999999999999999999999999999999999999999999999999999999999999999999999999",
            // 79 digits: beyond the 256 bits of one i256.
            sum: "5839999999754575057999999999999999999999999999999999999999999999999998282024822",
            exceeds_38: true,
            precision: 76,
            scale: 0,
        },
        Case {
            name: "d10_minus2",
            array: d128(&d10, 10, -2),
            min: "-999999999900",
            max: "999999999900",
            sum: "575827349373000",
            exceeds_38: false,
            precision: 10,
            scale: -2,
        },
        Case {
            name: "all_null",
            array: d128(&vec![None; ROWS], 18, 2),
            min: "",
            max: "",
            sum: "0.00",
            exceeds_38: false,
            precision: 18,
            scale: 2,
        },
    ]
}

fn table() -> (Arc<Schema>, RecordBatch, Vec<Case>) {
    let cases = cases();
    let mut fields: Vec<Field> = cases.iter().map(|c| Field::new(c.name, c.array.data_type().clone(), true)).collect();
    fields.push(Field::new("ints", DataType::Int64, true));
    fields.push(Field::new("floats", DataType::Float64, true));
    let schema = Arc::new(Schema::new(fields));
    let mut columns: Vec<ArrayRef> = cases.iter().map(|c| c.array.clone()).collect();
    columns.push(Arc::new(Int64Array::from((0..ROWS as i64).map(|i| i64::MAX - i).collect::<Vec<_>>())));
    columns.push(Arc::new(Float64Array::from((0..ROWS).map(|i| i as f64 / 4.0).collect::<Vec<_>>())));
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    (schema, batch, cases)
}

/// Profiles `rows` of the table in batches of 4,096 rows.
fn profile(schema: &Schema, batch: &RecordBatch, rows: std::ops::Range<usize>) -> Vec<ColumnProfile> {
    let mut p = TableProfiler::new(schema, &ProfileOptions::default()).unwrap();
    let mut start = rows.start;
    while start < rows.end {
        let len = 4096.min(rows.end - start);
        p.update(&batch.slice(start, len)).unwrap();
        start += len;
    }
    p.finish()
}

fn expected(case: &Case) -> DecimalStats {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    DecimalStats {
        precision: case.precision,
        scale: case.scale,
        min: text(case.min),
        max: text(case.max),
        sum: case.sum.to_owned(),
        sum_exceeds_38_digits: case.exceeds_38,
    }
}

#[test]
fn decimal_min_max_and_sum_are_exact_digit_for_digit() {
    let (schema, batch, cases) = table();
    let cols = profile(&schema, &batch, 0..ROWS);
    for (case, col) in cases.iter().zip(&cols) {
        assert_eq!(col.name, case.name);
        let numeric = col.numeric.as_ref().unwrap();
        assert_eq!(numeric.decimal.as_ref(), Some(&expected(case)), "{}", case.name);
        assert_eq!(col.min.as_deref().unwrap_or(""), case.min, "{}: text min", case.name);
        assert_eq!(col.max.as_deref().unwrap_or(""), case.max, "{}: text max", case.name);
        // The f64 figures stay, as approximations of the exact ones.
        if let Some(max) = numeric.max {
            let exact: f64 = case.max.parse().unwrap();
            assert!((max - exact).abs() <= exact.abs() * 1e-12, "{}: {max} vs {exact}", case.name);
        }
        let exact_sum: f64 = case.sum.parse().unwrap();
        assert!((numeric.sum - exact_sum).abs() <= exact_sum.abs() * 1e-9, "{}", case.name);
    }
    let ints = &cols[cases.len()];
    assert_eq!((ints.min.as_deref(), ints.max.as_deref()), (Some("9223372036854765808"), Some("9223372036854775807")));
    assert!(ints.numeric.as_ref().unwrap().decimal.is_none(), "integers carry no decimal figures");
    assert!(cols[cases.len() + 1].numeric.as_ref().unwrap().decimal.is_none());
}

/// Through JSON, as `profiler merge` reads saved profiles.
fn through_json(p: TableProfile) -> TableProfile {
    serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap()
}

#[test]
fn two_halves_merged_equal_the_whole_exactly() {
    let (schema, batch, cases) = table();
    let whole = profile(&schema, &batch, 0..ROWS);
    // Cuts that put all the extremes on one side, and one through the middle.
    for cut in [1, 5_003, ROWS - 1] {
        let a = through_json(document(profile(&schema, &batch, 0..cut), cut as u64));
        let b = through_json(document(profile(&schema, &batch, cut..ROWS), (ROWS - cut) as u64));
        let merged = merge_profiles(&a, &b, &ProfileOptions::default()).unwrap();
        for ((m, w), case) in merged.columns.iter().zip(&whole).zip(&cases) {
            let (md, wd) = (m.numeric.as_ref().unwrap(), w.numeric.as_ref().unwrap());
            assert_eq!(md.decimal, wd.decimal, "{} at cut {cut}", case.name);
            assert_eq!(md.decimal.as_ref(), Some(&expected(case)), "{} at cut {cut}", case.name);
            assert_eq!((&m.min, &m.max), (&w.min, &w.max), "{} at cut {cut}", case.name);
        }
        // Merging again (a merged profile is a profile like any other) stays exact.
        let again = merge_profiles(
            &through_json(merged),
            &through_json(document(whole.clone(), ROWS as u64)),
            &ProfileOptions::default(),
        )
        .unwrap();
        let doubled = again.columns[cases.iter().position(|c| c.name == "d38_0").unwrap()].numeric.as_ref().unwrap();
        assert_eq!(
            doubled.decimal.as_ref().unwrap().sum,
            "116799999999950915011599999999998527449180",
            "twice the sum of d38_0"
        );
    }
}

#[test]
fn a_profile_without_decimal_figures_still_merges_on_f64() {
    let (schema, batch, cases) = table();
    let mut a = document(profile(&schema, &batch, 0..100), 100);
    let b = document(profile(&schema, &batch, 100..ROWS), (ROWS - 100) as u64);
    for c in &mut a.columns {
        if let Some(n) = c.numeric.as_mut() {
            n.decimal = None;
        }
    }
    let merged = merge_profiles(&a, &b, &ProfileOptions::default()).unwrap();
    let d18 = &merged.columns[0];
    assert_eq!(d18.name, cases[0].name);
    assert!(d18.numeric.as_ref().unwrap().decimal.is_none(), "exactness cannot be claimed for the older side");
    assert!(d18.max.is_some());

    // Figures that contradict the column's type are refused, not guessed at.
    let mut bad = document(profile(&schema, &batch, 0..100), 100);
    bad.columns[0].numeric.as_mut().unwrap().decimal.as_mut().unwrap().scale = 3;
    let err = merge_profiles(&bad, &b, &ProfileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("d18_2_as_128") && err.contains("scale 3"), "{err}");
    let mut bad = document(profile(&schema, &batch, 0..100), 100);
    bad.columns[0].numeric.as_mut().unwrap().decimal.as_mut().unwrap().sum = "1.234".into();
    let err = merge_profiles(&bad, &b, &ProfileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("1.234"), "{err}");
}
