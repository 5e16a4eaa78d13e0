//! Accumulator of date, time and timestamp columns, over their raw epoch integers.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, NaiveDate, NaiveTime};
use profiler_crds::{ColumnProfile, TemporalStats};

use super::numeric::valid_runs;
use crate::error::{EngineError, missing};
use crate::options::ProfileOptions;
use crate::sketch::{DistinctSketch, QuantileSketch};

/// What the raw integers of a temporal column count.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Days,
    Timestamp(TimeUnit),
    TimeOfDay(TimeUnit),
}

/// Whether the engine profiles `data_type` as a temporal column.
pub fn is_temporal(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) | DataType::Time32(_) | DataType::Time64(_)
    )
}

/// Running statistics of one temporal column.
#[derive(Debug, Clone)]
pub struct TemporalAccumulator {
    unit: Unit,
    timezone: Option<String>,
    min: i64,
    max: i64,
    quantiles: QuantileSketch,
    distinct: DistinctSketch,
    /// The current batch's values as f64, for the quantile sketch; reused between batches.
    scratch: Vec<f64>,
}

impl TemporalAccumulator {
    /// An empty accumulator for `data_type` (one for which [`is_temporal`] holds).
    pub fn new(data_type: &DataType, options: &ProfileOptions) -> Result<Self, EngineError> {
        let (unit, timezone) = match data_type {
            DataType::Date32 => (Unit::Days, None),
            DataType::Date64 => (Unit::Timestamp(TimeUnit::Millisecond), None),
            DataType::Timestamp(u, tz) => (Unit::Timestamp(*u), tz.as_ref().map(|t| t.to_string())),
            DataType::Time32(u) | DataType::Time64(u) => (Unit::TimeOfDay(*u), None),
            _ => (Unit::Days, None),
        };
        Ok(Self {
            unit,
            timezone,
            min: i64::MAX,
            max: i64::MIN,
            quantiles: QuantileSketch::new(options.kll_k)?,
            distinct: DistinctSketch::new(options.hll_lg_k)?,
            scratch: Vec::new(),
        })
    }

    /// Adds the values of one array of the column's type.
    pub fn update(&mut self, array: &dyn Array) {
        match array.data_type() {
            DataType::Date32 => self.primitive::<Date32Type>(array),
            DataType::Date64 => self.primitive::<Date64Type>(array),
            DataType::Timestamp(TimeUnit::Second, _) => self.primitive::<TimestampSecondType>(array),
            DataType::Timestamp(TimeUnit::Millisecond, _) => self.primitive::<TimestampMillisecondType>(array),
            DataType::Timestamp(TimeUnit::Microsecond, _) => self.primitive::<TimestampMicrosecondType>(array),
            DataType::Timestamp(TimeUnit::Nanosecond, _) => self.primitive::<TimestampNanosecondType>(array),
            DataType::Time32(TimeUnit::Second) => self.primitive::<Time32SecondType>(array),
            DataType::Time32(_) => self.primitive::<Time32MillisecondType>(array),
            DataType::Time64(TimeUnit::Microsecond) => self.primitive::<Time64MicrosecondType>(array),
            DataType::Time64(_) => self.primitive::<Time64NanosecondType>(array),
            _ => {}
        }
    }

    fn primitive<T: ArrowPrimitiveType>(&mut self, array: &dyn Array)
    where
        T::Native: Into<i64>,
    {
        self.scratch.clear();
        for run in valid_runs(array.as_primitive::<T>()) {
            for &v in run {
                let raw: i64 = v.into();
                self.min = self.min.min(raw);
                self.max = self.max.max(raw);
                self.distinct.update_fixed(raw as u64, raw);
                self.scratch.push(raw as f64);
            }
        }
        self.distinct.end_fixed_batch(self.scratch.len());
        self.quantiles.update_slice(&self.scratch);
    }

    /// Folds `other` (same column) into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.quantiles.merge(&other.quantiles)?;
        self.distinct.merge(&other.distinct)
    }

    fn unit_name(&self) -> &'static str {
        match self.unit {
            Unit::Days => "days",
            Unit::Timestamp(u) | Unit::TimeOfDay(u) => match u {
                TimeUnit::Second => "seconds",
                TimeUnit::Millisecond => "milliseconds",
                TimeUnit::Microsecond => "microseconds",
                TimeUnit::Nanosecond => "nanoseconds",
            },
        }
    }

    /// Renders a raw value in ISO 8601 (UTC with `Z` when the type has a time zone).
    fn label(&self, raw: f64) -> String {
        let raw = raw.round() as i64;
        let per_second: i64 = match self.unit {
            Unit::Days => 0,
            Unit::Timestamp(u) | Unit::TimeOfDay(u) => match u {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            },
        };
        let (secs, nanos) = if per_second > 0 {
            (raw.div_euclid(per_second), (raw.rem_euclid(per_second) * (1_000_000_000 / per_second)) as u32)
        } else {
            (0, 0)
        };
        let text = match self.unit {
            Unit::Days => {
                NaiveDate::from_num_days_from_ce_opt((raw + 719_163).clamp(i32::MIN as i64, i32::MAX as i64) as i32)
                    .map(|d| d.to_string())
            }
            Unit::Timestamp(_) => DateTime::from_timestamp(secs, nanos).map(|t| {
                let naive = t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string();
                if self.timezone.is_some() { format!("{naive}Z") } else { naive }
            }),
            Unit::TimeOfDay(_) => u32::try_from(secs)
                .ok()
                .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, nanos))
                .map(|t| t.format("%H:%M:%S%.f").to_string()),
        };
        text.unwrap_or_else(|| format!("{raw} {}", self.unit_name()))
    }

    /// Writes the column's figures into `out`.
    pub fn finish(&self, options: &ProfileOptions, out: &mut ColumnProfile) {
        let any = out.non_null > 0;
        out.min = any.then(|| self.label(self.min as f64));
        out.max = any.then(|| self.label(self.max as f64));
        if any {
            out.distinct = Some(self.distinct.count());
        }
        out.temporal = Some(TemporalStats {
            unit: self.unit_name().to_owned(),
            timezone: self.timezone.clone(),
            min_raw: any.then_some(self.min),
            max_raw: any.then_some(self.max),
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
        let stats = profile.temporal.as_ref().ok_or_else(|| missing(profile, "temporal"))?;
        acc.min = stats.min_raw.unwrap_or(i64::MAX);
        acc.max = stats.max_raw.unwrap_or(i64::MIN);
        acc.quantiles = QuantileSketch::from_profile(profile)?;
        acc.distinct = DistinctSketch::from_profile(profile)?;
        Ok(acc)
    }
}
