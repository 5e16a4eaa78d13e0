//! The engine against exact answers computed here by plain reference code.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use arrow_array::Array;
use arrow_array::builder::{Decimal128Builder, Int32Builder, ListBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray, StructArray, TimestampMicrosecondArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use profiler_crds::{ColumnProfile, ContentType, Sampling, TableProfile};
use profiler_engine::{EngineError, Partition, ProfileOptions, TableProfiler, merge_profiles, scan};

mod support;
use support::document;

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
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const ROWS: usize = 200_000;

struct Data {
    ints: Vec<Option<i64>>,
    floats: Vec<Option<f64>>,
    words: Vec<Option<String>>,
    emails: Vec<Option<String>>,
    flags: Vec<Option<bool>>,
}

fn data(rows: usize, seed: u64) -> Data {
    let mut r = Rng(seed);
    let mut d = Data { ints: vec![], floats: vec![], words: vec![], emails: vec![], flags: vec![] };
    let words = ["alpha", "beta", "", "ünïcødé ✓", "42", "3.5", "2024-02-29", "gamma"];
    for i in 0..rows {
        d.ints.push(match r.next() % 100 {
            0 => None,
            1 => Some(i64::MAX),
            2 => Some(i64::MIN + 1),
            3 => Some(0),
            _ => Some((r.next() % 1_000_000) as i64 - 300_000),
        });
        d.floats.push(match r.next() % 200 {
            0..=9 => None,
            10 => Some(f64::NAN),
            11 => Some(f64::INFINITY),
            12 => Some(f64::NEG_INFINITY),
            13 => Some(0.0),
            _ => Some((r.unit() - 0.3) * 1000.0),
        });
        // Skewed word frequencies so the top-k order is well defined.
        let w = (r.unit() * r.unit() * words.len() as f64) as usize;
        d.words.push(if i % 50 == 0 { None } else { Some(words[w].to_owned()) });
        d.emails.push(if i % 7 == 0 { None } else { Some(format!("user{}@example.com", r.next() % 120_000)) });
        d.flags.push(match r.next() % 10 {
            0 => None,
            1..=3 => Some(true),
            _ => Some(false),
        });
    }
    d
}

fn batch(d: &Data, range: std::ops::Range<usize>) -> RecordBatch {
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(d.ints[range.clone()].to_vec())),
        Arc::new(Float64Array::from(d.floats[range.clone()].to_vec())),
        Arc::new(StringArray::from(d.words[range.clone()].to_vec())),
        Arc::new(StringArray::from(d.emails[range.clone()].to_vec())),
        Arc::new(BooleanArray::from(d.flags[range.clone()].to_vec())),
    ];
    RecordBatch::try_new(schema(), cols).unwrap()
}

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("ints", DataType::Int64, true),
        Field::new("floats", DataType::Float64, true),
        Field::new("words", DataType::Utf8, true),
        Field::new("emails", DataType::Utf8, true),
        Field::new("flags", DataType::Boolean, true),
    ]))
}

fn profile_batches(schema: &Schema, batches: &[RecordBatch]) -> Vec<ColumnProfile> {
    let mut p = TableProfiler::new(schema, &ProfileOptions::default()).unwrap();
    for b in batches {
        p.update(b).unwrap();
    }
    p.finish()
}

fn col<'a>(cols: &'a [ColumnProfile], name: &str) -> &'a ColumnProfile {
    cols.iter().find(|c| c.name == name).unwrap()
}

fn chunks(d: &Data, n: usize, size: usize) -> Vec<RecordBatch> {
    (0..n).step_by(size).map(|s| batch(d, s..(s + size).min(n))).collect()
}

/// Checks every reported quantile against the true rank of its value in `sorted`.
fn assert_quantile_ranks(c: &ColumnProfile, sorted: &[f64]) {
    let dist = c.numeric.as_ref().unwrap().distribution.as_ref().unwrap();
    for q in &dist.quantiles {
        let below = sorted.partition_point(|x| *x < q.value) as f64 / sorted.len() as f64;
        let upto = sorted.partition_point(|x| *x <= q.value) as f64 / sorted.len() as f64;
        let err = if q.rank < below {
            below - q.rank
        } else if q.rank > upto {
            q.rank - upto
        } else {
            0.0
        };
        assert!(err <= 0.01, "{}: p{} = {} has rank in [{below}, {upto}]", c.name, q.rank * 100.0, q.value);
    }
    let hist_total: u64 = dist.histogram.iter().map(|b| b.count).sum();
    assert_eq!(hist_total, sorted.len() as u64, "{}: histogram covers every finite value", c.name);
    assert_eq!(dist.histogram.len(), 20);
}

fn assert_distinct_within(c: &ColumnProfile, exact: usize, tolerance: f64) {
    let d = c.distinct.as_ref().unwrap();
    let err = (d.estimate - exact as f64).abs() / (exact as f64).max(1.0);
    assert!(err <= tolerance, "{}: distinct {} vs exact {exact} ({:.2}%)", c.name, d.estimate, err * 100.0);
    assert!(d.lower_bound <= d.estimate && d.estimate <= d.upper_bound);
}

#[test]
fn numbers_match_exact_reference() {
    let d = data(ROWS, 1);
    let cols = profile_batches(&schema(), &chunks(&d, ROWS, 8192));

    let ints = col(&cols, "ints");
    let values: Vec<i64> = d.ints.iter().flatten().copied().collect();
    assert_eq!(ints.count, ROWS as u64);
    assert_eq!(ints.nulls, (ROWS - values.len()) as u64);
    let n = ints.numeric.as_ref().unwrap();
    assert_eq!(n.min, Some(*values.iter().min().unwrap() as f64));
    assert_eq!(n.max, Some(*values.iter().max().unwrap() as f64));
    assert_eq!(ints.max.as_deref(), Some("9223372036854775807"));
    assert_eq!(n.zeros, values.iter().filter(|v| **v == 0).count() as u64);
    assert_eq!(n.negatives, values.iter().filter(|v| **v < 0).count() as u64);
    let fs: Vec<f64> = values.iter().map(|v| *v as f64).collect();
    let mean = fs.iter().sum::<f64>() / fs.len() as f64;
    let var = fs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / fs.len() as f64;
    assert!((n.mean.unwrap() - mean).abs() <= mean.abs() * 1e-9 + 1e-3);
    assert!((n.variance.unwrap() - var).abs() <= var * 1e-9);
    let mut sorted = fs.clone();
    sorted.sort_by(f64::total_cmp);
    assert_quantile_ranks(ints, &sorted);
    assert_distinct_within(ints, values.iter().collect::<HashSet<_>>().len(), 0.02);

    let floats = col(&cols, "floats");
    let fl: Vec<f64> = d.floats.iter().flatten().copied().collect();
    let finite: Vec<f64> = fl.iter().copied().filter(|x| x.is_finite()).collect();
    let n = floats.numeric.as_ref().unwrap();
    assert_eq!(floats.nulls, (ROWS - fl.len()) as u64);
    assert_eq!(n.nan, fl.iter().filter(|x| x.is_nan()).count() as u64);
    assert_eq!(n.positive_infinity, fl.iter().filter(|x| **x == f64::INFINITY).count() as u64);
    assert_eq!(n.negative_infinity, fl.iter().filter(|x| **x == f64::NEG_INFINITY).count() as u64);
    assert_eq!(n.negatives, fl.iter().filter(|x| **x < 0.0).count() as u64);
    assert_eq!(n.zeros, fl.iter().filter(|x| **x == 0.0).count() as u64);
    assert_eq!(n.moments.n, finite.len() as u64);
    assert_eq!(n.min, finite.iter().copied().reduce(f64::min));
    assert_eq!(n.max, finite.iter().copied().reduce(f64::max));
    let sum: f64 = finite.iter().sum();
    assert!((n.sum - sum).abs() < 1e-6 * sum.abs().max(1.0));
    let mut sorted = finite.clone();
    sorted.sort_by(f64::total_cmp);
    assert_quantile_ranks(floats, &sorted);
}

#[test]
fn strings_and_booleans_match_exact_reference() {
    let d = data(ROWS, 2);
    let cols = profile_batches(&schema(), &chunks(&d, ROWS, 8192));

    let words = col(&cols, "words");
    let present: Vec<&str> = d.words.iter().flatten().map(String::as_str).collect();
    let t = words.text.as_ref().unwrap();
    assert_eq!(words.nulls, (ROWS - present.len()) as u64);
    assert_eq!(t.empty, present.iter().filter(|s| s.is_empty()).count() as u64);
    let lengths: Vec<u64> = present.iter().map(|s| s.chars().count() as u64).collect();
    assert_eq!(t.min_length, lengths.iter().min().copied());
    assert_eq!(t.max_length, lengths.iter().max().copied(), "lengths count characters, not bytes");
    assert!(t.max_length < present.iter().map(|s| s.len() as u64).max());
    assert_eq!(t.total_length, lengths.iter().sum::<u64>());
    assert_eq!(words.min.as_deref(), present.iter().min().copied());
    assert_eq!(words.max.as_deref(), present.iter().max().copied());
    let mut freq: HashMap<&str, u64> = HashMap::new();
    present.iter().for_each(|s| *freq.entry(s).or_default() += 1);
    let mut expected: Vec<(&str, u64)> = freq.into_iter().collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    assert_eq!(t.top_values_max_error, 0, "8 distinct values fit the sketch exactly");
    let got: Vec<(&str, u64)> = t.top_values.iter().map(|v| (v.value.as_str(), v.count)).collect();
    assert_eq!(got, expected);
    let inferred = t.inferred_type.as_ref().unwrap();
    let integers = present.iter().filter(|s| **s == "42").count() as u64;
    assert_eq!(inferred.counts.get(&ContentType::Integer), Some(&integers));
    assert_distinct_within(words, 8, 0.02);

    let emails = col(&cols, "emails");
    let present: Vec<&str> = d.emails.iter().flatten().map(String::as_str).collect();
    assert_distinct_within(emails, present.iter().collect::<HashSet<_>>().len(), 0.02);
    let inferred = emails.text.as_ref().unwrap().inferred_type.as_ref().unwrap();
    assert_eq!(inferred.content_type, ContentType::Email);
    assert_eq!(inferred.fraction, 1.0);

    let flags = col(&cols, "flags");
    let b = flags.boolean.as_ref().unwrap();
    assert_eq!(b.true_count, d.flags.iter().filter(|f| **f == Some(true)).count() as u64);
    assert_eq!(b.false_count, d.flags.iter().filter(|f| **f == Some(false)).count() as u64);
    assert_eq!(flags.distinct.as_ref().unwrap().estimate, 2.0);
}

#[test]
fn edge_cases_zero_rows_single_row_all_null() {
    let s = schema();
    let empty = profile_batches(&s, &[RecordBatch::new_empty(s.clone())]);
    for c in &empty {
        assert_eq!((c.count, c.nulls, c.null_fraction), (0, 0, 0.0), "{}", c.name);
        assert!(c.min.is_none() && c.distinct.is_none());
    }
    let one = data(1, 3);
    let single = profile_batches(&s, &[batch(&one, 0..1)]);
    assert!(single.iter().all(|c| c.count == 1));

    let nulls: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![None::<i64>; 10])),
        Arc::new(Float64Array::from(vec![None::<f64>; 10])),
        Arc::new(StringArray::from(vec![None::<&str>; 10])),
        Arc::new(StringArray::from(vec![None::<&str>; 10])),
        Arc::new(BooleanArray::from(vec![None::<bool>; 10])),
    ];
    let all_null = profile_batches(&s, &[RecordBatch::try_new(s.clone(), nulls).unwrap()]);
    for c in &all_null {
        assert_eq!((c.count, c.nulls, c.non_null), (10, 10, 0), "{}", c.name);
        assert_eq!(c.null_fraction, 1.0);
        assert!(c.min.is_none() && c.max.is_none());
    }
    // JSON never sees NaN or infinity: the document serializes.
    serde_json::to_string(&all_null).unwrap();
}

/// Lists of lengths 0, 3, 1, 5 and a null list.
fn tags_list() -> arrow_array::ListArray {
    let mut list = ListBuilder::new(Int32Builder::new());
    for len in [0usize, 3, 1, 5] {
        for i in 0..len {
            list.values().append_value(i as i32);
        }
        list.append(true);
    }
    list.append(false);
    list.finish()
}

#[test]
fn decimals_dates_unsigned_nested_and_lists() {
    let mut dec = Decimal128Builder::new().with_precision_and_scale(12, 2).unwrap();
    for v in [12345i128, -50, 0, 99999999] {
        dec.append_value(v);
    }
    dec.append_null();
    let inner = StructArray::from(vec![
        (
            Arc::new(Field::new("city", DataType::Utf8, true)),
            Arc::new(StringArray::from(vec![Some("Oslo"), None, Some("Lima"), Some("Oslo"), Some("x")])) as ArrayRef,
        ),
        (
            Arc::new(Field::new("zip", DataType::UInt64, true)),
            Arc::new(UInt64Array::from(vec![Some(1), Some(2), Some(u64::MAX), None, Some(5)])) as ArrayRef,
        ),
    ]);
    // The struct itself is null in the last row: its fields count as null there.
    let address = StructArray::try_new(
        inner.fields().clone(),
        inner.columns().to_vec(),
        Some(vec![true, true, true, true, false].into()),
    )
    .unwrap();
    let schema = Arc::new(Schema::new(vec![
        Field::new("price", DataType::Decimal128(12, 2), true),
        Field::new("day", DataType::Date32, true),
        Field::new("at", DataType::Timestamp(arrow_schema::TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new("tags", tags_list().data_type().clone(), true),
        Field::new("address", address.data_type().clone(), true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(dec.finish()),
            Arc::new(Date32Array::from(vec![Some(19_782), Some(0), None, Some(-1), Some(20_000)])),
            Arc::new(
                TimestampMicrosecondArray::from(vec![Some(1_700_000_000_000_000), None, Some(0), Some(1), Some(2)])
                    .with_timezone("UTC"),
            ),
            Arc::new(tags_list()),
            Arc::new(address),
        ],
    )
    .unwrap();
    let cols = profile_batches(&schema, &[batch]);
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["price", "day", "at", "tags", "address.city", "address.zip"]);
    let price = col(&cols, "price");
    assert_eq!(price.min.as_deref(), Some("-0.50"));
    assert_eq!(price.max.as_deref(), Some("999999.99"));
    assert!((price.numeric.as_ref().unwrap().sum - (123.45 - 0.5 + 999_999.99)).abs() < 1e-6);
    let day = col(&cols, "day");
    assert_eq!(day.min.as_deref(), Some("1969-12-31"));
    assert_eq!(day.max.as_deref(), Some("2024-10-04"));
    let at = col(&cols, "at");
    assert_eq!(at.max.as_deref(), Some("2023-11-14T22:13:20Z"));
    assert_eq!(at.temporal.as_ref().unwrap().unit, "microseconds");
    let tags = col(&cols, "tags").list.as_ref().unwrap();
    assert_eq!((tags.min_length, tags.max_length, tags.empty, tags.total_length), (Some(0), Some(5), 1, 9));
    assert_eq!(col(&cols, "tags").nulls, 1);
    let city = col(&cols, "address.city");
    assert_eq!(city.nulls, 2, "one null value plus the null struct row");
    assert_eq!(city.max.as_deref(), Some("Oslo"), "the value under the null struct is not counted");
    let zip = col(&cols, "address.zip");
    assert_eq!(zip.nulls, 2);
    assert_eq!(zip.max.as_deref(), Some("18446744073709551615"), "u64::MAX exactly");
}

#[test]
fn merge_of_partial_profiles_equals_single_pass() {
    let d = data(ROWS, 4);
    let s = schema();
    let whole = profile_batches(&s, &chunks(&d, ROWS, 8192));
    let cut = 73_331;
    let a = profile_batches(&s, &[batch(&d, 0..cut)]);
    let b = profile_batches(&s, &[batch(&d, cut..ROWS)]);
    // Through JSON, as a later run would read them back.
    let a: TableProfile = serde_json::from_str(&serde_json::to_string(&document(a, cut as u64)).unwrap()).unwrap();
    let b: TableProfile =
        serde_json::from_str(&serde_json::to_string(&document(b, (ROWS - cut) as u64)).unwrap()).unwrap();
    let merged = merge_profiles(&a, &b, &ProfileOptions::default()).unwrap();
    assert_eq!(merged.row_count, ROWS as u64);
    for (m, w) in merged.columns.iter().zip(&whole) {
        assert_eq!((m.count, m.nulls, &m.min, &m.max), (w.count, w.nulls, &w.min, &w.max), "{}", w.name);
        let (dm, dw) = (m.distinct.as_ref().unwrap(), w.distinct.as_ref().unwrap());
        assert!(
            (dm.estimate - dw.estimate).abs() <= dw.estimate * 0.02,
            "{}: {} vs {}",
            w.name,
            dm.estimate,
            dw.estimate
        );
        if let (Some(nm), Some(nw)) = (&m.numeric, &w.numeric) {
            assert_eq!((nm.zeros, nm.negatives, nm.nan, nm.moments.n), (nw.zeros, nw.negatives, nw.nan, nw.moments.n));
            assert!((nm.mean.unwrap() - nw.mean.unwrap()).abs() <= nw.mean.unwrap().abs() * 1e-9 + 1e-9);
            assert!((nm.variance.unwrap() - nw.variance.unwrap()).abs() <= nw.variance.unwrap() * 1e-9);
        }
        if let (Some(tm), Some(tw)) = (&m.text, &w.text) {
            assert_eq!(
                (tm.total_length, tm.empty, tm.min_length, tm.max_length),
                (tw.total_length, tw.empty, tw.min_length, tw.max_length)
            );
            assert_eq!(tm.inferred_type, tw.inferred_type);
            if tw.top_values_max_error == 0 {
                assert_eq!(tm.top_values, tw.top_values, "{}", w.name);
            }
        }
        assert_eq!(m.boolean, w.boolean);
    }
    // Merged quantiles keep their rank guarantee against the whole data.
    let mut ints: Vec<f64> = d.ints.iter().flatten().map(|v| *v as f64).collect();
    ints.sort_by(f64::total_cmp);
    assert_quantile_ranks(&merged.columns[0], &ints);
    let mut floats: Vec<f64> = d.floats.iter().flatten().copied().filter(|x| x.is_finite()).collect();
    floats.sort_by(f64::total_cmp);
    assert_quantile_ranks(&merged.columns[1], &floats);
    // An Iceberg field id both sides agree on stays; one they disagree on is dropped.
    let (mut a_ids, mut b_ids) = (a.clone(), b.clone());
    (a_ids.columns[0].field_id, b_ids.columns[0].field_id) = (Some(1), Some(1));
    (a_ids.columns[1].field_id, b_ids.columns[1].field_id) = (Some(2), Some(3));
    let ids = merge_profiles(&a_ids, &b_ids, &ProfileOptions::default()).unwrap();
    assert_eq!((ids.columns[0].field_id, ids.columns[1].field_id), (Some(1), None));
    // Merging refuses what cannot combine.
    let mut other = a.clone();
    other.columns.pop();
    assert!(merge_profiles(&a, &other, &ProfileOptions::default()).is_err());
}

/// In-memory partitions for the parallel scan.
struct Chunk(Vec<RecordBatch>);
impl Partition for Chunk {
    type Error = EngineError;
    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), EngineError> {
        self.0.into_iter().try_for_each(sink)
    }
}

/// In-memory partitions that can read part of their columns, counting the column sets read.
struct Projectable(Vec<RecordBatch>, Arc<AtomicU64>);
impl Partition for Projectable {
    type Error = EngineError;
    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), EngineError> {
        self.0.into_iter().try_for_each(sink)
    }

    fn project(&self, columns: &[usize]) -> Option<Self> {
        self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(Projectable(self.0.iter().map(|b| b.project(columns).unwrap()).collect(), self.1.clone()))
    }
}

#[test]
fn fewer_partitions_than_threads_share_the_columns_and_profile_the_same() {
    let d = data(60_000, 11);
    let sets = Arc::new(AtomicU64::new(0));
    let rows = |start, end| Projectable(chunks_range(&d, start, end), sets.clone());
    let whole = |threads, sampling| {
        let parts = vec![rows(0, 60_000)];
        scan(schema(), parts, sampling, &ProfileOptions::default(), threads, &AtomicU64::new(0)).unwrap()
    };
    let bernoulli = Sampling::Bernoulli { fraction: 0.3, seed: 7 };
    for sampling in [Sampling::Full, bernoulli] {
        let one = whole(1, sampling);
        // Three threads on one partition: each reads some of the columns. Every column sees the
        // same rows in the same order as on one thread, so the profiles are equal but for the
        // quantile sketches' random compactions, and the rows are counted once.
        let progress = AtomicU64::new(0);
        let before = sets.load(std::sync::atomic::Ordering::Relaxed);
        let shared = scan(schema(), vec![rows(0, 60_000)], sampling, &ProfileOptions::default(), 3, &progress).unwrap();
        // Five columns, two sets per thread: five reads of one column each.
        assert_eq!(sets.load(std::sync::atomic::Ordering::Relaxed) - before, 5);
        assert_eq!((shared.rows_read, shared.rows_profiled), (one.rows_read, one.rows_profiled), "{sampling:?}");
        assert_eq!(progress.into_inner(), 60_000);
        assert_eq!(without_quantiles(&shared.columns), without_quantiles(&one.columns), "{sampling:?}");
    }
    let shared = whole(3, Sampling::Full);
    let mut ints: Vec<f64> = d.ints.iter().flatten().map(|v| *v as f64).collect();
    ints.sort_by(f64::total_cmp);
    assert_quantile_ranks(&shared.columns[0], &ints);
    // A partition that cannot project is read whole, with the same result.
    let parts = vec![Chunk(chunks_range(&d, 0, 60_000))];
    let unsplit = scan(schema(), parts, Sampling::Full, &ProfileOptions::default(), 3, &AtomicU64::new(0)).unwrap();
    assert_eq!(without_quantiles(&unsplit.columns), without_quantiles(&whole(1, Sampling::Full).columns));
    // Two partitions on four threads: shared out too, counts exact.
    let parts = vec![rows(0, 25_000), rows(25_000, 60_000)];
    let two = scan(schema(), parts, Sampling::Full, &ProfileOptions::default(), 4, &AtomicU64::new(0)).unwrap();
    let one = whole(1, Sampling::Full);
    assert_eq!(two.rows_read, 60_000);
    for (a, b) in one.columns.iter().zip(&two.columns) {
        assert_eq!((a.count, a.nulls, &a.min, &a.max, &a.boolean), (b.count, b.nulls, &b.min, &b.max, &b.boolean));
    }
}

/// The profiles as JSON without what comes from the randomized quantile sketches (quantiles,
/// histograms and the saved sketch images).
fn without_quantiles(columns: &[ColumnProfile]) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("distribution");
                map.remove("sketches");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(columns).unwrap();
    strip(&mut value);
    value
}

fn scan_data(d: &Data, sampling: Sampling, threads: usize) -> profiler_engine::ScanOutput {
    let parts: Vec<Chunk> =
        (0..ROWS).step_by(25_000).map(|s| Chunk(chunks_range(d, s, (s + 25_000).min(ROWS)))).collect();
    scan(schema(), parts, sampling, &ProfileOptions::default(), threads, &AtomicU64::new(0)).unwrap()
}

fn chunks_range(d: &Data, start: usize, end: usize) -> Vec<RecordBatch> {
    (start..end).step_by(8192).map(|s| batch(d, s..(s + 8192).min(end))).collect()
}

/// Text statistics without the frequent-items error bound, which depends on how rows were split
/// into partitions (the top values themselves are kept when they are exact on both sides).
fn exact_text(c: &ColumnProfile) -> Option<profiler_crds::TextStats> {
    c.text.clone().map(|mut t| {
        if t.top_values_max_error > 0 {
            t.top_values.clear();
        }
        t.top_values_max_error = 0;
        t
    })
}

#[test]
fn parallel_scan_equals_single_thread_and_sampling_is_reproducible() {
    let d = data(ROWS, 5);
    let one = scan_data(&d, Sampling::Full, 1);
    let two = scan_data(&d, Sampling::Full, 2);
    assert_eq!((one.rows_read, one.rows_profiled), (ROWS as u64, ROWS as u64));
    for (a, b) in one.columns.iter().zip(&two.columns) {
        assert_eq!((a.count, a.nulls, &a.min, &a.max, &a.boolean), (b.count, b.nulls, &b.min, &b.max, &b.boolean));
        assert_eq!(exact_text(a), exact_text(b), "{}", a.name);
        assert_eq!(a.distinct.as_ref().map(|d| d.estimate), b.distinct.as_ref().map(|d| d.estimate), "{}", a.name);
    }

    let reservoir = Sampling::Reservoir { size: 5_000, seed: 9 };
    let r1 = scan_data(&d, reservoir, 1);
    let r2 = scan_data(&d, reservoir, 2);
    assert_eq!((r1.rows_read, r1.rows_profiled), (ROWS as u64, 5_000));
    for (a, b) in r1.columns.iter().zip(&r2.columns) {
        assert_eq!(
            (a.nulls, &a.min, &a.max, &a.text),
            (b.nulls, &b.min, &b.max, &b.text),
            "same seed, same rows: {}",
            a.name
        );
    }
    // A uniform sample's null fraction is close to the table's (5 sigma).
    let (full, sample) = (&one.columns[2], &r1.columns[2]);
    assert!((full.null_fraction - sample.null_fraction).abs() < 5.0 * (0.02f64 * 0.98 / 5000.0).sqrt());

    let bernoulli = scan_data(&d, Sampling::Bernoulli { fraction: 0.1, seed: 3 }, 2);
    let expected = ROWS as f64 * 0.1;
    assert!(
        (bernoulli.rows_profiled as f64 - expected).abs() < 5.0 * (expected * 0.9).sqrt(),
        "{}",
        bernoulli.rows_profiled
    );
    assert_eq!(bernoulli.columns[0].count, bernoulli.rows_profiled);
    let again = scan_data(&d, Sampling::Bernoulli { fraction: 0.1, seed: 3 }, 1);
    assert_eq!(again.rows_profiled, bernoulli.rows_profiled);
    let small = scan_data(&d, Sampling::Reservoir { size: 10 * ROWS as u64, seed: 1 }, 2);
    assert_eq!(small.rows_profiled, ROWS as u64, "a reservoir larger than the table keeps every row");
}

#[test]
fn schema_mismatch_is_an_error_not_a_panic() {
    let s = schema();
    let mut p = TableProfiler::new(&s, &ProfileOptions::default()).unwrap();
    let other = Arc::new(Schema::new(vec![Field::new("x", DataType::Utf8, true)]));
    let b = RecordBatch::try_new(other, vec![Arc::new(StringArray::from(vec!["a"]))]).unwrap();
    assert!(p.update(&b).is_err());
    let bad = ProfileOptions { histogram_bins: 0, ..ProfileOptions::default() };
    assert!(TableProfiler::new(&s, &bad).is_err());
}

/// The profile of one non-null string column holding `values`, in batches of 8,192.
fn profile_string_column(values: &[String]) -> Vec<ColumnProfile> {
    let schema = Arc::new(Schema::new(vec![Field::new("v", DataType::Utf8, false)]));
    let batches: Vec<RecordBatch> = values
        .chunks(8192)
        .map(|c| RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(c.to_vec()))]).unwrap())
        .collect();
    profile_batches(&schema, &batches)
}

#[test]
fn heavy_hitter_in_a_mostly_unique_column_is_found_within_its_error() {
    // 30% "N/A", the rest unique: batches are mostly unique, so the second-occurrence path runs.
    let rows = 300_000;
    let values: Vec<String> =
        (0..rows).map(|i| if i % 10 < 3 { "N/A".to_owned() } else { format!("id-{i}") }).collect();
    let cols = profile_string_column(&values);
    let t = cols[0].text.as_ref().unwrap();
    let truth = (rows * 3 / 10) as u64;
    let top = &t.top_values[0];
    assert_eq!(top.value, "N/A");
    assert!(
        top.count <= truth && top.count + t.top_values_max_error >= truth,
        "{} ± {} vs {truth}",
        top.count,
        t.top_values_max_error
    );
    assert_eq!(
        t.top_values.len(),
        1,
        "no unique value is reported as frequent: {:?} err {}",
        t.top_values,
        t.top_values_max_error
    );
    assert_distinct_within(&cols[0], rows * 7 / 10 + 1, 0.02);
}

#[test]
fn a_column_that_stops_being_unique_is_counted_from_the_next_batch() {
    // 100,000 unique values, then four values 25,000 times each, in batches of 8,192: batch 12
    // holds the change, and from batch 13 on every value is counted exactly.
    let values: Vec<String> = (0..100_000)
        .map(|i| format!("u-{i}"))
        .chain((0..100_000).map(|i| ["a", "b", "c", "d"][i % 4].to_owned()))
        .collect();
    let cols = profile_string_column(&values);
    let t = cols[0].text.as_ref().unwrap();
    assert_eq!(t.top_values_max_error, 13, "only batches 0 to 12 kept once-seen values out");
    let mut top: Vec<(&str, u64)> = t.top_values.iter().map(|v| (v.value.as_str(), v.count)).collect();
    top.sort();
    assert_eq!(top.iter().map(|(v, _)| *v).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    for (value, count) in top {
        assert!(count <= 25_000 && count + 13 >= 25_000, "{value}: {count}");
    }
}

/// `b` with its string columns dictionary-encoded (`Int32` keys), as a Parquet reader hands over
/// an all-dictionary chunk. Each dictionary also holds a value no row uses and a null.
fn dictionary_encoded(b: &RecordBatch) -> RecordBatch {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (field, column) in b.schema().fields().iter().zip(b.columns()) {
        let Some(strings) = column.as_any().downcast_ref::<StringArray>() else {
            fields.push(field.as_ref().clone());
            columns.push(column.clone());
            continue;
        };
        let mut values: Vec<Option<&str>> = vec![Some("never used"), None];
        let mut index: HashMap<&str, i32> = HashMap::new();
        let keys: Vec<Option<i32>> = strings
            .iter()
            .map(|v| {
                v.map(|v| {
                    *index.entry(v).or_insert_with(|| {
                        values.push(Some(v));
                        values.len() as i32 - 1
                    })
                })
            })
            .collect();
        let array =
            DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys), Arc::new(StringArray::from(values))).unwrap();
        fields.push(Field::new(field.name(), array.data_type().clone(), true));
        columns.push(Arc::new(array));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

#[test]
fn dictionary_encoded_strings_profile_like_decoded_ones() {
    let d = data(ROWS, 8);
    let plain = chunks(&d, ROWS, 8192);
    let keyed: Vec<RecordBatch> = plain.iter().map(dictionary_encoded).collect();
    let a = profile_batches(&schema(), &plain);
    let b = profile_batches(&schema(), &keyed);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.data_type, x.count, x.nulls, &x.min, &x.max), (&y.data_type, y.count, y.nulls, &y.min, &y.max));
    }
    let (words_a, words_b) = (col(&a, "words"), col(&b, "words"));
    assert_eq!(words_a.text, words_b.text, "few distinct values: every figure is exact on both paths");
    assert_eq!(words_a.distinct, words_b.distinct);
    let (emails_a, emails_b) = (col(&a, "emails"), col(&b, "emails"));
    assert_eq!(exact_text(emails_a).map(|t| t.inferred_type), exact_text(emails_b).map(|t| t.inferred_type));
    let present: HashSet<&String> = d.emails.iter().flatten().collect();
    assert_distinct_within(emails_b, present.len(), 0.02);
    let (ta, tb) = (emails_a.text.as_ref().unwrap(), emails_b.text.as_ref().unwrap());
    assert_eq!((ta.min_length, ta.max_length, ta.total_length), (tb.min_length, tb.max_length, tb.total_length));

    // A dictionary larger than its batch (here two unused values more than rows) is decoded.
    let small = plain[0].slice(0, 3);
    let (x, y) = (
        profile_batches(&schema(), std::slice::from_ref(&small)),
        profile_batches(&schema(), &[dictionary_encoded(&small)]),
    );
    assert_eq!((&x[2].text, &x[3].text), (&y[2].text, &y[3].text));

    // The reservoir keeps rows of dictionary batches in the schema's types.
    let parts = |batches: &[RecordBatch]| batches.chunks(3).map(|c| Chunk(c.to_vec())).collect::<Vec<_>>();
    let sampling = Sampling::Reservoir { size: 5_000, seed: 4 };
    let options = ProfileOptions::default();
    let from_plain = scan(schema(), parts(&plain), sampling, &options, 2, &AtomicU64::new(0)).unwrap();
    let from_keyed = scan(schema(), parts(&keyed), sampling, &options, 2, &AtomicU64::new(0)).unwrap();
    assert_eq!(from_plain.rows_profiled, 5_000);
    for (x, y) in from_plain.columns.iter().zip(&from_keyed.columns) {
        assert_eq!((x.count, x.nulls, &x.min, &x.max, &x.text), (y.count, y.nulls, &y.min, &y.max, &y.text));
    }
}
