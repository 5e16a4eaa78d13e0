//! Accumulator of integer, float and decimal columns.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray};
use arrow_schema::DataType;
use datasketches::hash::value::canonical_float;
use profiler_crds::{ColumnProfile, Moments, NumericStats};

use crate::error::{EngineError, missing};
use crate::moments;
use crate::options::ProfileOptions;
use crate::sketches::{DistinctSketch, QuantileSketch};

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
    min: f64,
    max: f64,
    zeros: u64,
    negatives: u64,
    nan: u64,
    positive_infinity: u64,
    negative_infinity: u64,
    /// Exact extremes of integer columns (f64 cannot hold every i64/u64).
    int_min: Option<i128>,
    int_max: Option<i128>,
    quantiles: QuantileSketch,
    distinct: DistinctSketch,
    /// Finite values of the current batch, reused between batches.
    scratch: Vec<f64>,
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
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            zeros: 0,
            negatives: 0,
            nan: 0,
            positive_infinity: 0,
            negative_infinity: 0,
            int_min: None,
            int_max: None,
            quantiles: QuantileSketch::new(options.kll_k)?,
            distinct: DistinctSketch::new(options.hll_lg_k)?,
            scratch: Vec::new(),
        })
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
            _ => {}
        }
        match array.data_type() {
            DataType::Int8 => self.primitive::<Int8Type>(array, |v| v as f64, |d, v| d.update(i64::from(v))),
            DataType::Int16 => self.primitive::<Int16Type>(array, |v| v as f64, |d, v| d.update(i64::from(v))),
            DataType::Int32 => self.primitive::<Int32Type>(array, |v| v as f64, |d, v| d.update(i64::from(v))),
            DataType::Int64 => self.primitive::<Int64Type>(array, |v| v as f64, |d, v| d.update(v)),
            DataType::UInt8 => self.primitive::<UInt8Type>(array, |v| v as f64, |d, v| d.update(i64::from(v))),
            DataType::UInt16 => self.primitive::<UInt16Type>(array, |v| v as f64, |d, v| d.update(i64::from(v))),
            DataType::UInt32 => self.primitive::<UInt32Type>(array, |v| v as f64, |d, v| d.update(i64::from(v))),
            DataType::UInt64 => self.primitive::<UInt64Type>(array, |v| v as f64, |d, v| d.update(v)),
            DataType::Float16 => self.primitive::<Float16Type>(
                array,
                |v| v.to_f64(),
                |d, v| d.update(canonical_float::from_f64(v.to_f64())),
            ),
            DataType::Float32 => self
                .primitive::<Float32Type>(array, f64::from, |d, v| d.update(canonical_float::from_f64(f64::from(v)))),
            DataType::Float64 => {
                self.primitive::<Float64Type>(array, |v| v, |d, v| d.update(canonical_float::from_f64(v)))
            }
            DataType::Decimal32(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal32Type>(array, |v| f64::from(v) / scale, |d, v| d.update(i64::from(v)))
            }
            DataType::Decimal64(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal64Type>(array, |v| v as f64 / scale, |d, v| d.update(v))
            }
            DataType::Decimal128(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal128Type>(array, |v| v as f64 / scale, |d, v| d.update(v.to_le_bytes()))
            }
            DataType::Decimal256(_, s) => {
                let scale = 10f64.powi(i32::from(*s));
                self.primitive::<Decimal256Type>(
                    array,
                    |v| {
                        let (low, high) = v.to_parts();
                        (high as f64 * 2f64.powi(128) + low as f64) / scale
                    },
                    |d, v| d.update(v.to_le_bytes()),
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
        let array = array.as_primitive::<T>();
        let (lo, hi) = match array.nulls().filter(|n| n.null_count() > 0) {
            None => (array.values().iter().min(), array.values().iter().max()),
            Some(nulls) => {
                let valid = || nulls.valid_indices().map(|i| &array.values()[i]);
                (valid().min(), valid().max())
            }
        };
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let (lo, hi): (i128, i128) = ((*lo).into(), (*hi).into());
            self.int_min = Some(self.int_min.map_or(lo, |m| m.min(lo)));
            self.int_max = Some(self.int_max.map_or(hi, |m| m.max(hi)));
        }
    }

    fn primitive<T: ArrowPrimitiveType>(
        &mut self,
        array: &dyn Array,
        to_f64: impl Fn(T::Native) -> f64,
        hash: impl Fn(&mut DistinctSketch, T::Native),
    ) {
        let array: &PrimitiveArray<T> = array.as_primitive::<T>();
        self.scratch.clear();
        let observe = |v: T::Native, this: &mut Self| {
            hash(&mut this.distinct, v);
            let x = to_f64(v);
            if x.is_finite() {
                this.zeros += u64::from(x == 0.0);
                this.negatives += u64::from(x < 0.0);
                this.scratch.push(x);
            } else if x.is_nan() {
                this.nan += 1;
            } else if x > 0.0 {
                this.positive_infinity += 1;
            } else {
                this.negative_infinity += 1;
                this.negatives += 1;
            }
        };
        match array.nulls().filter(|n| n.null_count() > 0) {
            None => array.values().iter().for_each(|v| observe(*v, self)),
            Some(nulls) => {
                for i in nulls.valid_indices() {
                    observe(array.values()[i], self);
                }
            }
        }
        let scratch = std::mem::take(&mut self.scratch);
        moments::add_block(&mut self.moments, &scratch);
        for &x in &scratch {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
            self.quantiles.update(x);
        }
        self.scratch = scratch;
    }

    /// Folds `other` (same column) into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        moments::merge(&mut self.moments, &other.moments);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.zeros += other.zeros;
        self.negatives += other.negatives;
        self.nan += other.nan;
        self.positive_infinity += other.positive_infinity;
        self.negative_infinity += other.negative_infinity;
        self.int_min = [self.int_min, other.int_min].into_iter().flatten().min();
        self.int_max = [self.int_max, other.int_max].into_iter().flatten().max();
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
        out.min = self.int_min.map(|v| v.to_string()).or_else(|| has_finite.then(|| self.label(self.min)));
        out.max = self.int_max.map(|v| v.to_string()).or_else(|| has_finite.then(|| self.label(self.max)));
        if out.non_null > 0 {
            out.distinct = Some(self.distinct.count());
        }
        out.numeric = Some(NumericStats {
            min: has_finite.then_some(self.min),
            max: has_finite.then_some(self.max),
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
            distribution: self.quantiles.distribution(options.histogram_bins, &|x| self.label(x)),
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
        acc.min = stats.min.unwrap_or(f64::INFINITY);
        acc.max = stats.max.unwrap_or(f64::NEG_INFINITY);
        acc.zeros = stats.zeros;
        acc.negatives = stats.negatives;
        acc.nan = stats.nan;
        acc.positive_infinity = stats.positive_infinity;
        acc.negative_infinity = stats.negative_infinity;
        if acc.format == Format::Integer {
            acc.int_min = profile.min.as_deref().and_then(|s| s.parse().ok());
            acc.int_max = profile.max.as_deref().and_then(|s| s.parse().ok());
        }
        acc.quantiles = QuantileSketch::from_profile(profile)?;
        acc.distinct = DistinctSketch::from_profile(profile)?;
        Ok(acc)
    }
}
