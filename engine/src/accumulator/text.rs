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
use arrow_array::types::ByteArrayType;
use arrow_array::{AnyDictionaryArray, Array, ArrayAccessor, GenericByteArray};
use arrow_buffer::ArrowNativeType;
use arrow_schema::DataType;
use profiler_crds::{ColumnProfile, InferredType, TextStats};

use crate::content_type;
use crate::error::{EngineError, missing};
use crate::fxhash::{FxBuildHasher, short_word};
use crate::options::ProfileOptions;
use crate::sketch::{DistinctSketch, TopValuesSketch};

/// Whether `data_type` is profiled as text (UTF-8) or as bytes.
pub fn text_kind(data_type: &DataType) -> Option<bool> {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Some(true),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => Some(false),
        _ => None,
    }
}

/// Whether a dictionary-encoded batch is profiled through its keys, without decoding it: the
/// values are strings or bytes with offsets, and the dictionary is no larger than the batch (else
/// counting by key would cost more than the values themselves).
pub fn counts_by_key(dictionary: &dyn AnyDictionaryArray) -> bool {
    let values = dictionary.values();
    values.len() <= dictionary.len()
        && matches!(values.data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Binary | DataType::LargeBinary)
}

/// Distinct-to-rows ratio above which a batch counts as mostly unique.
const UNIQUE_RATIO: f64 = 0.5;
/// Size of the per-batch second-occurrence bit set: 32 bits per value of a 32,768-row batch, so
/// about 3% of unique values look repeated and take the top-values path for nothing.
const SEEN_BITS: usize = 1 << 20;

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
    /// Whether the last batch was mostly unique values (then the next one takes the bit-set
    /// path, which judges that batch in turn).
    mostly_unique: bool,
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
            seen: Vec::new(),
        })
    }

    /// Adds the values of one array of the column's type, or of a dictionary of that type that
    /// [`counts_by_key`] accepts.
    pub fn update(&mut self, array: &dyn Array) {
        if let Some(dictionary) = array.as_any_dictionary_opt() {
            self.dictionary_values(dictionary);
            return;
        }
        match array.data_type() {
            DataType::Utf8 => self.offset_values(array.as_string::<i32>()),
            DataType::LargeUtf8 => self.offset_values(array.as_string::<i64>()),
            DataType::Utf8View => self.accessed_values(array.as_string_view()),
            DataType::Binary => self.offset_values(array.as_binary::<i32>()),
            DataType::LargeBinary => self.offset_values(array.as_binary::<i64>()),
            DataType::BinaryView => self.accessed_values(array.as_binary_view()),
            DataType::FixedSizeBinary(_) => self.accessed_values(array.as_fixed_size_binary()),
            _ => {}
        }
    }

    /// Arrays with an offsets buffer: the values are sliced straight from the data buffer, and one
    /// check of the batch's bytes decides whether character lengths are byte lengths.
    fn offset_values<T: ByteArrayType>(&mut self, array: &GenericByteArray<T>) {
        let offsets = array.value_offsets();
        let data = array.value_data();
        let first = offsets.first().map_or(0, |o| o.as_usize());
        let last = offsets.last().map_or(0, |o| o.as_usize());
        let ascii = data.get(first..last).is_some_and(<[u8]>::is_ascii);
        let values = offsets.windows(2).map(|w| &data[w[0].as_usize()..w[1].as_usize()]);
        match array.nulls().filter(|n| n.null_count() > 0) {
            None => self.values(values, array.len(), ascii),
            Some(nulls) => {
                self.values(values.zip(nulls.iter()).filter_map(|(v, ok)| ok.then_some(v)), array.len(), ascii)
            }
        }
    }

    /// Other arrays (views, fixed-size binary), read value by value.
    fn accessed_values<'a, A>(&mut self, array: A)
    where
        A: ArrayAccessor + 'a,
        A::Item: AsRef<[u8]> + 'a,
    {
        let nulls = array.logical_nulls().filter(|n| n.null_count() > 0);
        let rows = array.len();
        let valid = |i: &usize| nulls.as_ref().is_none_or(|n| n.is_valid(*i));
        let values: Vec<A::Item> = (0..rows).filter(valid).map(|i| array.value(i)).collect();
        self.values(values.iter().map(AsRef::as_ref), rows, false);
    }

    /// One batch's valid values; `ascii` says all of them are ASCII.
    fn values<'a>(&mut self, values: impl Iterator<Item = &'a [u8]>, rows: usize, ascii: bool) {
        let mut batch = Batch::new(self.is_utf8, ascii);
        if self.mostly_unique {
            self.unique_values(values, &mut batch);
        } else {
            self.counted_values(values, rows, &mut batch);
        }
        self.fold(batch);
    }

    /// Counts the batch's values in a table first, then observes each distinct value once.
    fn counted_values<'a>(&mut self, values: impl Iterator<Item = &'a [u8]>, rows: usize, batch: &mut Batch<'a>) {
        let mut table: HashMap<&'a [u8], u64, FxBuildHasher> =
            HashMap::with_capacity_and_hasher(rows, FxBuildHasher::default());
        for v in values {
            *table.entry(v).or_insert(0) += 1;
        }
        let seen: u64 = table.values().sum();
        self.observe_counted(table.len(), seen, table, batch);
    }

    /// A dictionary-encoded batch that [`counts_by_key`] accepts: its keys are counted, then each
    /// dictionary value that occurs is observed once with its count.
    fn dictionary_values(&mut self, array: &dyn AnyDictionaryArray) {
        let values = array.values();
        let mut counts = vec![0u64; values.len()];
        if !values.is_empty() {
            let keys = array.normalized_keys();
            match array.nulls().filter(|n| n.null_count() > 0) {
                None => keys.iter().for_each(|k| counts[*k] += 1),
                Some(nulls) => keys.iter().zip(nulls.iter()).filter(|(_, ok)| *ok).for_each(|(k, _)| counts[*k] += 1),
            }
        }
        if let Some(value_nulls) = values.logical_nulls() {
            counts.iter_mut().zip(value_nulls.iter()).filter(|(_, ok)| !ok).for_each(|(c, _)| *c = 0);
        }
        match values.data_type() {
            DataType::Utf8 => self.counted_dictionary(values.as_string::<i32>(), &counts),
            DataType::LargeUtf8 => self.counted_dictionary(values.as_string::<i64>(), &counts),
            DataType::Binary => self.counted_dictionary(values.as_binary::<i32>(), &counts),
            DataType::LargeBinary => self.counted_dictionary(values.as_binary::<i64>(), &counts),
            _ => {}
        }
    }

    /// Observes the dictionary `values` that occur, `counts[i]` times each.
    fn counted_dictionary<T: ByteArrayType>(&mut self, values: &GenericByteArray<T>, counts: &[u64]) {
        let data = values.value_data();
        let mut batch = Batch::new(self.is_utf8, data.is_ascii());
        let offsets = values.value_offsets();
        let occurring = offsets
            .windows(2)
            .zip(counts)
            .filter(|(_, count)| **count > 0)
            .map(|(w, count)| (&data[w[0].as_usize()..w[1].as_usize()], *count));
        let distinct = counts.iter().filter(|c| **c > 0).count();
        self.observe_counted(distinct, counts.iter().sum(), occurring, &mut batch);
        self.fold(batch);
    }

    /// Observes `distinct` values with their counts (`seen` in all) once each, and decides whether
    /// the column is mostly unique values.
    fn observe_counted<'a>(
        &mut self,
        distinct: usize,
        seen: u64,
        counted: impl IntoIterator<Item = (&'a [u8], u64)>,
        batch: &mut Batch<'a>,
    ) {
        self.mostly_unique = seen > 0 && distinct as f64 > UNIQUE_RATIO * seen as f64;
        let mut skipped = false;
        for (v, count) in counted {
            let offer_top = !self.mostly_unique || count > 1;
            skipped |= !offer_top;
            batch.observe(v, count);
            self.distinct.update_bytes(v);
            if offer_top {
                self.offer_top(v, count);
            }
        }
        self.top_skipped_batches += u64::from(skipped);
    }

    /// The path for batches of a mostly unique column: values are observed one by one and a bit
    /// set of their hashes lets only second (and later) occurrences within the batch reach the
    /// top-values sketch, which keeps the undercount bound of one per batch.
    /// The bits found set also tell whether the batch was still mostly unique: fewer than
    /// [`UNIQUE_RATIO`] of its values new sends the next batch through the counting table.
    fn unique_values<'a>(&mut self, values: impl Iterator<Item = &'a [u8]>, batch: &mut Batch<'a>) {
        self.seen.clear();
        self.seen.resize(SEEN_BITS / 64, 0);
        let mut skipped = false;
        let (mut count, mut repeats) = (0u64, 0u64);
        for v in values {
            // The distinct sketch's hash of the value serves the bit set too.
            let bit = (self.distinct.update_bytes(v) >> 7) as usize % SEEN_BITS;
            let word = &mut self.seen[bit / 64];
            let repeat = *word & (1 << (bit % 64)) != 0;
            *word |= 1 << (bit % 64);
            skipped |= !repeat;
            count += 1;
            repeats += u64::from(repeat);
            batch.observe(v, 1);
            if repeat {
                self.offer_top(v, 1);
            }
        }
        self.top_skipped_batches += u64::from(skipped);
        self.mostly_unique = (count - repeats) as f64 > UNIQUE_RATIO * count as f64;
    }

    /// Adds `count` occurrences of `v` to the top-values sketch (strings as text, bytes as hex).
    fn offer_top(&mut self, v: &[u8], count: u64) {
        if !self.is_utf8 {
            self.top.update(&hex(v), count);
            return;
        }
        match std::str::from_utf8(v) {
            Ok(text) => self.top.update(text, count),
            Err(_) => self.top.update(&String::from_utf8_lossy(v), count),
        }
    }

    /// Folds the figures of one batch into the running ones, copying new extremes once.
    fn fold(&mut self, batch: Batch<'_>) {
        self.min_length = self.min_length.min(batch.min_length);
        self.max_length = self.max_length.max(batch.max_length);
        self.total_length += batch.total_length;
        self.empty += batch.empty;
        for (a, b) in self.content.iter_mut().zip(batch.content) {
            *a += b;
        }
        if let Some(m) = batch.min
            && self.min.as_deref().is_none_or(|s| m < s)
        {
            self.min = Some(m.to_vec());
        }
        if let Some(m) = batch.max
            && self.max.as_deref().is_none_or(|s| m > s)
        {
            self.max = Some(m.to_vec());
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
        let (mut top_values, sketch_error) = self.top.top(options.top_k);
        let top_values_max_error = sketch_error + self.top_skipped_batches;
        // The sketch reports no value whose count is within its own error; the once-seen values
        // kept out of it add to that error, so the same rule holds for the sum.
        top_values.retain(|v| v.count > top_values_max_error);
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

/// Figures of one batch, with its extremes borrowed from the batch: the accumulator copies them
/// once, in [`TextAccumulator::fold`].
struct Batch<'a> {
    is_utf8: bool,
    /// Character lengths are byte lengths (binary, or every value of the batch is ASCII).
    byte_lengths: bool,
    min: Option<&'a [u8]>,
    max: Option<&'a [u8]>,
    /// [`prefix_key`] of `min` (`u64::MAX` while there is none) and of `max` (0 while none).
    min_key: u64,
    max_key: u64,
    min_length: u64,
    max_length: u64,
    total_length: u64,
    empty: u64,
    content: [u64; 8],
    /// Valid e-mail domains among the batch's values.
    known_domains: content_type::KnownDomains<'a>,
}

impl<'a> Batch<'a> {
    fn new(is_utf8: bool, ascii: bool) -> Self {
        Self {
            is_utf8,
            byte_lengths: !is_utf8 || ascii,
            min: None,
            max: None,
            min_key: u64::MAX,
            max_key: 0,
            min_length: u64::MAX,
            max_length: 0,
            total_length: 0,
            empty: 0,
            content: [0; 8],
            known_domains: content_type::KnownDomains::default(),
        }
    }

    /// Counts `count` occurrences of `v` in lengths, empties, content types and extremes.
    #[inline]
    fn observe(&mut self, v: &'a [u8], count: u64) {
        let length = if self.byte_lengths { v.len() as u64 } else { char_count(v) };
        self.min_length = self.min_length.min(length);
        self.max_length = self.max_length.max(length);
        self.total_length += length * count;
        self.empty += u64::from(v.is_empty()) * count;
        if self.is_utf8 {
            let kind = content_type::classify_remembering(v, &mut self.known_domains);
            self.content[content_type::index(kind)] += count;
        }
        self.extremes(v);
    }

    /// Keeps `v` if it is a new minimum or maximum of the batch. Most values are decided by their
    /// eight-byte prefixes alone; only equal prefixes compare the whole values.
    #[inline]
    fn extremes(&mut self, v: &'a [u8]) {
        let key = prefix_key(v);
        if key <= self.min_key && (key < self.min_key || self.min.is_none_or(|m| v < m)) {
            self.min = Some(v);
            self.min_key = key;
        }
        if key >= self.max_key && (key > self.max_key || self.max.is_none_or(|m| v > m)) {
            self.max = Some(v);
            self.max_key = key;
        }
    }
}

/// The first eight bytes of `v`, zero-padded, as a big-endian number. Byte strings compare like
/// their keys whenever the keys differ: at the first differing byte either both have a byte, or
/// the shorter string ended (a zero of the padding) and is a prefix of the longer one.
#[inline]
fn prefix_key(v: &[u8]) -> u64 {
    match v.first_chunk::<8>() {
        Some(head) => u64::from_be_bytes(*head),
        None => short_word(v).swap_bytes(),
    }
}

/// Characters of valid UTF-8: the bytes that are not continuation bytes (`0b10xx_xxxx`).
#[inline]
fn char_count(v: &[u8]) -> u64 {
    v.iter().filter(|b| (**b as i8) >= -0x40).count() as u64
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
