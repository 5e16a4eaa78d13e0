//! Accumulator of string and binary columns.
//!
//! Values of a batch are first counted in a small table keyed by the borrowed bytes, then each
//! distinct value updates the sketches once with its count, so low-cardinality columns cost one
//! sketch update per distinct value per batch. In a batch of mostly unique values, values seen
//! once in that batch are not offered to the top-values sketch (they could only enter it to be
//! purged again); each such batch can undercount a value by at most one, and that bound is added
//! to `topValuesMaxError`.

use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayAccessor};
use arrow_schema::DataType;
use datasketches::hash::value::raw_bytes;
use profiler_crds::{ColumnProfile, InferredType, TextStats};

use crate::content_type;
use crate::error::{EngineError, missing};
use std::hash::Hasher;

use crate::fxhash::{FxBuildHasher, FxHasher};
use crate::options::ProfileOptions;
use crate::sketches::{DistinctSketch, TopValuesSketch};

/// Whether `data_type` is profiled as text (UTF-8) or as bytes.
pub fn text_kind(data_type: &DataType) -> Option<bool> {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Some(true),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => Some(false),
        _ => None,
    }
}

/// Distinct-to-rows ratio above which a batch counts as mostly unique.
const UNIQUE_RATIO: f64 = 0.5;
/// A mostly unique column is counted again every this many batches, in case it changes.
const RECOUNT_EVERY: u32 = 16;
/// Size of the per-batch second-occurrence bit set.
const SEEN_BITS: usize = 1 << 16;

/// Running statistics of one string or binary column.
#[derive(Debug, Clone)]
pub struct TextAccumulator {
    is_utf8: bool,
    min: Option<Vec<u8>>,
    max: Option<Vec<u8>>,
    min_length: u64,
    max_length: u64,
    total_length: u64,
    empty: u64,
    content: [u64; 8],
    top: TopValuesSketch,
    distinct: DistinctSketch,
    /// Batches whose once-seen values were kept out of the top-values sketch.
    top_skipped_batches: u64,
    /// Whether the last counted batch was mostly unique values.
    mostly_unique: bool,
    /// Batches since the last counted one.
    batches_since_count: u32,
    /// Bit set of value hashes seen in the current batch (second-occurrence filter).
    seen: Vec<u64>,
}

impl TextAccumulator {
    /// An empty accumulator; `is_utf8` selects string (characters, content type) or binary rules.
    pub fn new(is_utf8: bool, options: &ProfileOptions) -> Result<Self, EngineError> {
        Ok(Self {
            is_utf8,
            min: None,
            max: None,
            min_length: u64::MAX,
            max_length: 0,
            total_length: 0,
            empty: 0,
            content: [0; 8],
            top: TopValuesSketch::new(options.frequent_items_map_size)?,
            distinct: DistinctSketch::new(options.hll_lg_k)?,
            top_skipped_batches: 0,
            mostly_unique: false,
            batches_since_count: 0,
            seen: Vec::new(),
        })
    }

    /// Adds the values of one array of the column's type.
    pub fn update(&mut self, array: &dyn Array) {
        match array.data_type() {
            DataType::Utf8 => self.strings(array.as_string::<i32>()),
            DataType::LargeUtf8 => self.strings(array.as_string::<i64>()),
            DataType::Utf8View => self.strings(array.as_string_view()),
            DataType::Binary => self.bytes(array.as_binary::<i32>()),
            DataType::LargeBinary => self.bytes(array.as_binary::<i64>()),
            DataType::BinaryView => self.bytes(array.as_binary_view()),
            DataType::FixedSizeBinary(_) => self.bytes(array.as_fixed_size_binary()),
            _ => {}
        }
    }

    fn strings<'a, A: ArrayAccessor<Item = &'a str>>(&mut self, array: A) {
        self.values(array, |s: &str| (s.as_bytes(), Some(s)), |s| s.chars().count() as u64);
    }

    fn bytes<'a, A: ArrayAccessor<Item = &'a [u8]>>(&mut self, array: A) {
        self.values(array, |b: &[u8]| (b, None), |b| b.len() as u64);
    }

    fn values<'a, A, V>(
        &mut self,
        array: A,
        split: impl Fn(V) -> (&'a [u8], Option<&'a str>),
        length: impl Fn(V) -> u64,
    ) where
        A: ArrayAccessor<Item = V>,
        V: Copy + 'a,
    {
        let nulls = array.logical_nulls().filter(|n| n.null_count() > 0);
        let valid = |i: usize| nulls.as_ref().is_none_or(|n| n.is_valid(i));
        let rows = array.len();
        if self.mostly_unique && self.batches_since_count < RECOUNT_EVERY {
            self.batches_since_count += 1;
            self.unique_values(&array, &valid, &split, &length);
            return;
        }
        self.batches_since_count = 0;
        let mut table: HashMap<&'a [u8], (V, u64), FxBuildHasher> =
            HashMap::with_capacity_and_hasher(rows, FxBuildHasher::default());
        for i in (0..rows).filter(|i| valid(*i)) {
            let v = array.value(i);
            table.entry(split(v).0).or_insert((v, 0)).1 += 1;
        }
        let seen: u64 = table.values().map(|(_, c)| *c).sum();
        self.mostly_unique = seen > 0 && table.len() as f64 > UNIQUE_RATIO * seen as f64;
        let mut skipped = false;
        for (bytes, (v, count)) in table {
            let offer_top = !self.mostly_unique || count > 1;
            skipped |= !offer_top;
            self.observe(bytes, split(v).1, length(v), count, offer_top);
        }
        self.top_skipped_batches += u64::from(skipped);
    }

    /// The path for batches of a mostly unique column: values are observed one by one and a bit
    /// set of their hashes lets only second (and later) occurrences within the batch reach the
    /// top-values sketch, which keeps the undercount bound of one per batch.
    fn unique_values<'a, A, V>(
        &mut self,
        array: &A,
        valid: &dyn Fn(usize) -> bool,
        split: &impl Fn(V) -> (&'a [u8], Option<&'a str>),
        length: &impl Fn(V) -> u64,
    ) where
        A: ArrayAccessor<Item = V>,
        V: Copy + 'a,
    {
        self.seen.clear();
        self.seen.resize(SEEN_BITS / 64, 0);
        let mut skipped = false;
        for i in (0..array.len()).filter(|i| valid(*i)) {
            let v = array.value(i);
            let (bytes, text) = split(v);
            let mut hasher = FxHasher::default();
            hasher.write(bytes);
            let bit = (hasher.finish() >> 7) as usize % SEEN_BITS;
            let word = &mut self.seen[bit / 64];
            let repeat = *word & (1 << (bit % 64)) != 0;
            *word |= 1 << (bit % 64);
            skipped |= !repeat;
            self.observe(bytes, text, length(v), 1, repeat);
        }
        self.top_skipped_batches += u64::from(skipped);
    }

    #[inline]
    fn observe(&mut self, bytes: &[u8], text: Option<&str>, length: u64, count: u64, offer_top: bool) {
        self.min_length = self.min_length.min(length);
        self.max_length = self.max_length.max(length);
        self.total_length += length * count;
        self.empty += u64::from(bytes.is_empty()) * count;
        if self.min.as_deref().is_none_or(|m| bytes < m) {
            self.min = Some(bytes.to_vec());
        }
        if self.max.as_deref().is_none_or(|m| bytes > m) {
            self.max = Some(bytes.to_vec());
        }
        self.distinct.update(raw_bytes::from_slice(bytes));
        if let Some(text) = text {
            self.content[content_type::index(content_type::classify(text))] += count;
        }
        if offer_top {
            match text {
                Some(text) => self.top.update(text, count),
                None => self.top.update(&hex(bytes), count),
            }
        }
    }

    /// Folds `other` (same column) into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        self.min_length = self.min_length.min(other.min_length);
        self.max_length = self.max_length.max(other.max_length);
        self.total_length += other.total_length;
        self.empty += other.empty;
        for (a, b) in self.content.iter_mut().zip(other.content) {
            *a += b;
        }
        if let Some(m) = &other.min
            && self.min.as_ref().is_none_or(|s| m < s)
        {
            self.min = Some(m.clone());
        }
        if let Some(m) = &other.max
            && self.max.as_ref().is_none_or(|s| m > s)
        {
            self.max = Some(m.clone());
        }
        self.top.merge(&other.top);
        self.top_skipped_batches += other.top_skipped_batches;
        self.distinct.merge(&other.distinct)
    }

    fn render(&self, bytes: &[u8]) -> String {
        if self.is_utf8 { String::from_utf8_lossy(bytes).into_owned() } else { hex(bytes) }
    }

    /// Writes the column's figures into `out`.
    pub fn finish(&self, options: &ProfileOptions, out: &mut ColumnProfile) {
        let n = out.non_null;
        out.min = self.min.as_deref().map(|b| self.render(b));
        out.max = self.max.as_deref().map(|b| self.render(b));
        if n > 0 {
            out.distinct = Some(self.distinct.count());
        }
        let (top_values, sketch_error) = self.top.top(options.top_k);
        let top_values_max_error = sketch_error + self.top_skipped_batches;
        let inferred_type = (self.is_utf8 && n > 0).then(|| {
            let (best, &count) = self
                .content
                .iter()
                .enumerate()
                .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
                .unwrap_or((content_type::ALL.len() - 1, &0));
            InferredType {
                content_type: content_type::ALL[best],
                fraction: count as f64 / n as f64,
                counts: content_type::ALL
                    .iter()
                    .zip(self.content)
                    .filter(|(_, c)| *c > 0)
                    .map(|(t, c)| (*t, c))
                    .collect(),
            }
        });
        out.text = Some(TextStats {
            min_length: (n > 0).then_some(self.min_length),
            max_length: (n > 0).then_some(self.max_length),
            mean_length: (n > 0).then(|| self.total_length as f64 / n as f64),
            total_length: self.total_length,
            empty: self.empty,
            top_values,
            top_values_max_error,
            inferred_type,
        });
        out.sketches.hll = Some(self.distinct.to_base64());
        out.sketches.frequent_items = Some(self.top.to_base64());
    }

    /// Rebuilds the accumulator from a profile written by [`Self::finish`].
    pub fn restore(is_utf8: bool, profile: &ColumnProfile, options: &ProfileOptions) -> Result<Self, EngineError> {
        let mut acc = Self::new(is_utf8, options)?;
        let stats = profile.text.as_ref().ok_or_else(|| missing(profile, "text"))?;
        let parse = |s: &Option<String>| -> Result<Option<Vec<u8>>, EngineError> {
            match s {
                None => Ok(None),
                Some(s) if is_utf8 => Ok(Some(s.as_bytes().to_vec())),
                Some(s) => unhex(s)
                    .map(Some)
                    .ok_or_else(|| EngineError::Incompatible(format!("column {}: {s:?} is not hex", profile.name))),
            }
        };
        acc.min = parse(&profile.min)?;
        acc.max = parse(&profile.max)?;
        acc.min_length = stats.min_length.unwrap_or(u64::MAX);
        acc.max_length = stats.max_length.unwrap_or(0);
        acc.total_length = stats.total_length;
        acc.empty = stats.empty;
        if let Some(t) = &stats.inferred_type {
            for (kind, count) in &t.counts {
                acc.content[content_type::index(*kind)] = *count;
            }
        }
        acc.top = TopValuesSketch::from_profile(profile)?;
        acc.distinct = DistinctSketch::from_profile(profile)?;
        acc.top_skipped_batches = stats.top_values_max_error.saturating_sub(acc.top.top(1).1);
        Ok(acc)
    }
}

/// Lower-case hex of `bytes`, prefixed with `0x`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 + bytes.len() * 2);
    s.push_str("0x");
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let digits = s.strip_prefix("0x")?.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits.chunks_exact(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}
