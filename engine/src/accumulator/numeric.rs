//! Accumulator of integer, float and decimal columns.

use std::hash::Hash;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray};
use arrow_buffer::{ArrowNativeType, ToByteSlice};
use arrow_schema::DataType;
use datasketches::hash::value::canonical_float;
use profiler_crds::{ColumnProfile, Moments, NumericStats};
use tracing::debug;

use super::decimal::DecimalState;
use super::exact_bins::ExactBins;
use super::moments;
use crate::error::{EngineError, missing};
use crate::lanes;
use crate::options::ProfileOptions;
use crate::sketch::{DistinctSketch, QuantileSketch};

/// How values of the column are written as text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Integer,
    Float,
    Decimal(i8),
}

/// Running statistics of one numeric column.
#[derive(Debug, Clone)]
pub struct NumericAccumulator {
    format: Format,
    moments: Moments,
    zeros: u64,
    negatives: u64,
    nan: u64,
    positive_infinity: u64,
    negative_infinity: u64,
    /// Exact extremes of integer columns (f64 cannot hold every i64/u64).
    int_min: Option<i128>,
    int_max: Option<i128>,
    /// Exact extremes and sum of decimal columns; `None` for other types, and for a decimal
    /// column restored from a profile written without them (its text min/max then come from
    /// the f64 figures).
    decimal: Option<DecimalState>,
    quantiles: QuantileSketch,
    distinct: DistinctSketch,
    /// Exact histogram counts, while the column's values stay within the bounds it was given.
    exact: Option<ExactBins>,
    /// Finite values of the current batch, reused between batches.
    scratch: Vec<f64>,
}

/// The runs of consecutive valid values of `array`, so that loops over values need no validity
/// check per value.
pub fn valid_runs<T: ArrowPrimitiveType>(array: &PrimitiveArray<T>) -> impl Iterator<Item = &[T::Native]> {
    let values = array.values();
    let nulls = array.nulls().filter(|n| n.null_count() > 0);
    let whole = nulls.is_none().then_some((0, values.len()));
    whole
        .into_iter()
        .chain(nulls.into_iter().flat_map(|n| n.inner().set_slices()))
        .map(move |(start, end)| &values[start..end])
}

/// Whether the engine profiles `data_type` as a number.
pub fn is_numeric(data_type: &DataType) -> bool {
    data_type.is_numeric()
}

impl NumericAccumulator {
    /// An empty accumulator for `data_type` (one for which [`is_numeric`] holds).
    pub fn new(data_type: &DataType, options: &ProfileOptions) -> Result<Self, EngineError> {
        let format = match data_type {
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Format::Float,
            DataType::Decimal32(_, s)
            | DataType::Decimal64(_, s)
            | DataType::Decimal128(_, s)
            | DataType::Decimal256(_, s) => Format::Decimal(*s),
            _ => Format::Integer,
        };
        Ok(Self {
            format,
            moments: Moments::default(),
            zeros: 0,
            negatives: 0,
            nan: 0,
            positive_infinity: 0,
            negative_infinity: 0,
            int_min: None,
            int_max: None,
            decimal: DecimalState::new(data_type),
            quantiles: QuantileSketch::new(options.kll_k)?,
            distinct: DistinctSketch::new(options.hll_lg_k)?,
            exact: None,
            scratch: Vec::new(),
        })
    }

    /// Counts the histogram exactly over `bounds` (the column's `[lower, upper]` known before
    /// the scan), in `options.histogram_bins` bins.
    pub fn with_bounds(mut self, bounds: Option<(f64, f64)>, options: &ProfileOptions) -> Self {
        self.exact = bounds.and_then(|(lower, upper)| ExactBins::new(lower, upper, options.histogram_bins));
        self
    }

    /// Adds the values of one array of the column's type.
    pub fn update(&mut self, array: &dyn Array) {
        match array.data_type() {
            DataType::Int8 => self.exact_extremes::<Int8Type>(array),
            DataType::Int16 => self.exact_extremes::<Int16Type>(array),
            DataType::Int32 => self.exact_extremes::<Int32Type>(array),
            DataType::Int64 => self.exact_extremes::<Int64Type>(array),
            DataType::UInt8 => self.exact_extremes::<UInt8Type>(array),
            DataType::UInt16 => self.exact_extremes::<UInt16Type>(array),
            DataType::UInt32 => self.exact_extremes::<UInt32Type>(array),
            DataType::UInt64 => self.exact_extremes::<UInt64Type>(array),
            _ => {
                if let Some(decimal) = &mut self.decimal {
                    decimal.update(array);
                }
            }
        }
        match array.data_type() {
            DataType::Int8 => self.primitive::<Int8Type, _>(array, |v| v as f64, i64::from),
            DataType::Int16 => self.primitive::<Int16Type, _>(array, |v| v as f64, i64::from),
            DataType::Int32 => self.primitive::<Int32Type, _>(array, |v| v as f64, i64::from),
            DataType::Int64 => self.primitive::<Int64Type, _>(array, |v| v as f64, |v| v),
            DataType::UInt8 => self.primitive::<UInt8Type, _>(array, |v| v as f64, i64::from),
            DataType::UInt16 => self.primitive::<UInt16Type, _>(array, |v| v as f64, i64::from),
            DataType::UInt32 => self.primitive::<UInt32Type, _>(array, |v| v as f64, i64::from),
            DataType::UInt64 => self.primitive::<UInt64Type, _>(array, |v| v as f64, |v| v),
            DataType::Float16 => {
                self.primitive::<Float16Type, _>(array, |v| v.to_f64(), |v| canonical_float::from_f64(v.to_f64()))
            }
            DataType::Float32 => {
                self.primitive::<Float32Type, _>(array, f64::from, |v| canonical_float::from_f64(f64::from(v)))
            }
            DataType::Float64 => self.primitive::<Float64Type, _>(array, |v| v, canonical_float::from_f64),
            DataType::Decimal32(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal32Type, _>(array, |v| f64::from(v) / scale, i64::from)
            }
            DataType::Decimal64(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal64Type, _>(array, |v| v as f64 / scale, |v| v)
            }
            DataType::Decimal128(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal128Type, _>(array, |v| v as f64 / scale, |v| v.to_le_bytes())
            }
            DataType::Decimal256(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal256Type, _>(
                    array,
                    |v| {
                        let (low, high) = v.to_parts();
                        (high as f64 * 2f64.powi(128) + low as f64) / scale
                    },
                    |v| v.to_le_bytes(),
                )
            }
            // The table profiler checks types before calling; nothing else reaches here.
            _ => {}
        }
    }

    /// Tracks the exact extremes of an integer array (its f64 view may round them).
    fn exact_extremes<T: ArrowPrimitiveType>(&mut self, array: &dyn Array)
    where
        T::Native: Into<i128> + Ord,
    {
        for run in valid_runs(array.as_primitive::<T>()) {
            if let Some(&first) = run.first() {
                let (lo, hi) = lanes::extremes(run, first, first);
                let (lo, hi): (i128, i128) = (lo.into(), hi.into());
                self.int_min = Some(self.int_min.map_or(lo, |m| m.min(lo)));
                self.int_max = Some(self.int_max.map_or(hi, |m| m.max(hi)));
            }
        }
    }

    fn primitive<T: ArrowPrimitiveType, H: Hash>(
        &mut self,
        array: &dyn Array,
        to_f64: impl Fn(T::Native) -> f64,
        hashed: impl Fn(T::Native) -> H,
    ) {
        let array = array.as_primitive::<T>();
        self.scratch.clear();
        for run in valid_runs(array) {
            self.observe_run(run, &to_f64, &hashed);
        }
        self.distinct.end_fixed_batch(array.len() - array.null_count());
        let scratch = std::mem::take(&mut self.scratch);
        moments::add_block(&mut self.moments, &scratch);
        self.quantiles.update_slice(&scratch);
        if let Some(exact) = &mut self.exact
            && !exact.add(&scratch)
        {
            debug!("a value lies outside the bounds known before the scan; the histogram comes from the sketch");
            self.exact = None;
        }
        self.scratch = scratch;
    }

    /// Adds a run of valid values: each to the distinct sketch, the finite ones (as f64) to
    /// `scratch` and to the zero and negative counts, the others to their counts. The loops are
    /// straight over the run, so the compiler can vectorise all but the hashing.
    fn observe_run<T: ArrowNativeType, H: Hash>(
        &mut self,
        run: &[T],
        to_f64: &impl Fn(T) -> f64,
        hashed: &impl Fn(T) -> H,
    ) {
        for &v in run {
            let bytes = v.to_byte_slice();
            if bytes.len() <= 8 {
                let mut word = [0u8; 8];
                word[..bytes.len()].copy_from_slice(bytes);
                self.distinct.update_fixed(u64::from_le_bytes(word), hashed(v));
            } else {
                self.distinct.update(hashed(v));
            }
        }
        let start = self.scratch.len();
        self.scratch.extend(run.iter().map(|&v| to_f64(v)));
        if !self.scratch[start..].iter().fold(true, |all, x| all & x.is_finite()) {
            self.keep_finite(start);
        }
        let finite = &self.scratch[start..];
        self.zeros += finite.iter().map(|&x| u64::from(x == 0.0)).sum::<u64>();
        self.negatives += finite.iter().map(|&x| u64::from(x < 0.0)).sum::<u64>();
    }

    /// Counts the NaN and infinite values of `scratch[start..]` and removes them.
    #[cold]
    fn keep_finite(&mut self, start: usize) {
        let mut kept = start;
        for i in start..self.scratch.len() {
            let x = self.scratch[i];
            if x.is_finite() {
                self.scratch[kept] = x;
                kept += 1;
            } else if x.is_nan() {
                self.nan += 1;
            } else if x > 0.0 {
                self.positive_infinity += 1;
            } else {
                self.negative_infinity += 1;
                self.negatives += 1;
            }
        }
        self.scratch.truncate(kept);
    }

    /// Folds `other` (same column) into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        moments::merge(&mut self.moments, &other.moments);
        self.zeros += other.zeros;
        self.negatives += other.negatives;
        self.nan += other.nan;
        self.positive_infinity += other.positive_infinity;
        self.negative_infinity += other.negative_infinity;
        self.int_min = [self.int_min, other.int_min].into_iter().flatten().min();
        self.int_max = [self.int_max, other.int_max].into_iter().flatten().max();
        match (&mut self.decimal, &other.decimal) {
            (Some(a), Some(b)) => a.merge(b),
            // A side without exact figures (an older profile): the merge has none either.
            _ => self.decimal = None,
        }
        if let Some(exact) = &mut self.exact
            && !other.exact.as_ref().is_some_and(|o| exact.merge(o))
        {
            self.exact = None;
        }
        self.quantiles.merge(&other.quantiles)?;
        self.distinct.merge(&other.distinct)
    }

    fn label(&self, x: f64) -> String {
        match self.format {
            Format::Integer if x.fract() == 0.0 && x.abs() < 1e21 => format!("{x:.0}"),
            Format::Decimal(s) if s > 0 => format!("{x:.prec$}", prec = s as usize),
            _ => format!("{x}"),
        }
    }

    /// Writes the column's figures into `out`.
    pub fn finish(&self, options: &ProfileOptions, out: &mut ColumnProfile) {
        let has_finite = self.moments.n > 0;
        let variance = moments::variance(&self.moments);
        let mut distribution = self.quantiles.distribution(options.histogram_bins, &|x| self.label(x));
        if let (Some(d), Some(exact)) = (distribution.as_mut(), &self.exact) {
            d.histogram = exact.histogram();
            d.histogram_exact = true;
        }
        // The quantile sketch holds exactly the finite values, so its extremes are theirs.
        let (min, max) = (self.quantiles.min(), self.quantiles.max());
        out.min = self.int_min.map(|v| v.to_string()).or_else(|| min.map(|x| self.label(x)));
        out.max = self.int_max.map(|v| v.to_string()).or_else(|| max.map(|x| self.label(x)));
        if let Some(decimal) = &self.decimal {
            out.min = decimal.min_text();
            out.max = decimal.max_text();
        }
        if out.non_null > 0 {
            out.distinct = Some(self.distinct.count());
        }
        out.numeric = Some(NumericStats {
            min,
            max,
            sum: self.moments.sum,
            mean: has_finite.then_some(self.moments.mean),
            variance,
            stddev: variance.map(f64::sqrt),
            zeros: self.zeros,
            negatives: self.negatives,
            nan: self.nan,
            positive_infinity: self.positive_infinity,
            negative_infinity: self.negative_infinity,
            moments: self.moments,
            distribution,
            decimal: self.decimal.as_ref().map(DecimalState::stats),
        });
        out.sketches.hll = Some(self.distinct.to_base64());
        out.sketches.kll = Some(self.quantiles.to_base64());
    }

    /// Rebuilds the accumulator from a profile written by [`Self::finish`].
    pub fn restore(
        data_type: &DataType,
        profile: &ColumnProfile,
        options: &ProfileOptions,
    ) -> Result<Self, EngineError> {
        let mut acc = Self::new(data_type, options)?;
        let stats = profile.numeric.as_ref().ok_or_else(|| missing(profile, "numeric"))?;
        acc.moments = stats.moments;
        acc.zeros = stats.zeros;
        acc.negatives = stats.negatives;
        acc.nan = stats.nan;
        acc.positive_infinity = stats.positive_infinity;
        acc.negative_infinity = stats.negative_infinity;
        if acc.format == Format::Integer {
            acc.int_min = profile.min.as_deref().and_then(|s| s.parse().ok());
            acc.int_max = profile.max.as_deref().and_then(|s| s.parse().ok());
        }
        if acc.decimal.is_some() {
            acc.decimal = stats
                .decimal
                .as_ref()
                .map(|d| DecimalState::restore(data_type, d))
                .transpose()
                .map_err(|e| EngineError::Incompatible(format!("column {}: {e}", profile.name)))?;
        }
        acc.quantiles = QuantileSketch::from_profile(profile)?;
        acc.distinct = DistinctSketch::from_profile(profile)?;
        acc.exact =
            stats.distribution.as_ref().filter(|d| d.histogram_exact).and_then(|d| ExactBins::restore(&d.histogram));
        Ok(acc)
    }
}
