//! One column's accumulator: counts common to every type plus the type-specific statistics, each
//! type's in its own module (numbers with their moments, temporal values, strings and binary,
//! booleans, lists).

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use profiler_crds::{ColumnKind, ColumnProfile};

use crate::error::EngineError;
use crate::options::ProfileOptions;

mod boolean;
pub mod decimal;
mod exact_bins;
mod list;
mod moments;
mod numeric;
mod temporal;
mod text;

use boolean::BooleanAccumulator;
use list::{ListAccumulator, is_list};
use numeric::{NumericAccumulator, is_numeric};
use temporal::{TemporalAccumulator, is_temporal};
pub(crate) use text::counts_by_key;
pub use text::hex;
use text::{TextAccumulator, text_kind};

/// Type-specific statistics, chosen once from the column's Arrow type.
#[derive(Debug, Clone)]
enum Stats {
    Numeric(Box<NumericAccumulator>),
    Temporal(Box<TemporalAccumulator>),
    Text(Box<TextAccumulator>),
    Boolean(BooleanAccumulator),
    List(ListAccumulator),
    Other,
}

/// The type whose values are profiled: dictionaries are profiled by their value type.
fn value_type(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::Dictionary(_, v) => v,
        other => other,
    }
}

/// The broad family the engine profiles `data_type` as.
pub fn column_kind(data_type: &DataType) -> ColumnKind {
    let t = value_type(data_type);
    if is_numeric(t) {
        ColumnKind::Numeric
    } else if is_temporal(t) {
        ColumnKind::Temporal
    } else if let Some(utf8) = text_kind(t) {
        if utf8 { ColumnKind::String } else { ColumnKind::Binary }
    } else if *t == DataType::Boolean {
        ColumnKind::Boolean
    } else if is_list(t) {
        ColumnKind::List
    } else {
        ColumnKind::Other
    }
}

/// Accumulates the profile of one (possibly nested) column.
#[derive(Debug, Clone)]
pub struct ColumnAccumulator {
    name: String,
    data_type: DataType,
    count: u64,
    nulls: u64,
    stats: Stats,
}

impl ColumnAccumulator {
    /// An empty accumulator for a column of `data_type`.
    pub fn new(name: String, data_type: DataType, options: &ProfileOptions) -> Result<Self, EngineError> {
        let t = value_type(&data_type);
        let stats = match column_kind(&data_type) {
            ColumnKind::Numeric => {
                let bounds = options.histogram_bounds.get(&name).copied();
                Stats::Numeric(Box::new(NumericAccumulator::new(t, options)?.with_bounds(bounds, options)))
            }
            ColumnKind::Temporal => Stats::Temporal(Box::new(TemporalAccumulator::new(t, options)?)),
            ColumnKind::String => Stats::Text(Box::new(TextAccumulator::new(true, options)?)),
            ColumnKind::Binary => Stats::Text(Box::new(TextAccumulator::new(false, options)?)),
            ColumnKind::Boolean => Stats::Boolean(BooleanAccumulator::default()),
            ColumnKind::List => Stats::List(ListAccumulator::default()),
            ColumnKind::Other => Stats::Other,
        };
        Ok(Self { name, data_type, count: 0, nulls: 0, stats })
    }

    /// Column name (dotted for struct fields).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Arrow type of the column.
    pub fn data_type(&self) -> &DataType {
        &self.data_type
    }

    /// Adds one array of the column. A source may hand over any column dictionary-encoded
    /// (Parquet readers keep the dictionary of an all-dictionary string chunk): strings are then
    /// profiled through the keys when [`counts_by_key`] says so, other values are decoded.
    pub fn update(&mut self, array: &ArrayRef) -> Result<(), EngineError> {
        let found = value_type(array.data_type());
        if !found.equals_datatype(value_type(&self.data_type)) {
            return Err(EngineError::SchemaMismatch {
                column: self.name.clone(),
                expected: self.data_type.clone(),
                found: array.data_type().clone(),
            });
        }
        self.count += array.len() as u64;
        self.nulls += array.logical_null_count() as u64;
        let decoded;
        let values: &dyn Array = match array.as_any_dictionary_opt() {
            Some(d) if matches!(self.stats, Stats::Text(_)) && counts_by_key(d) => array.as_ref(),
            Some(_) => {
                decoded = arrow_cast::cast(array, found).map_err(|e| {
                    EngineError::Incompatible(format!("column {}: cannot decode dictionary: {e}", self.name))
                })?;
                decoded.as_ref()
            }
            None => array.as_ref(),
        };
        match &mut self.stats {
            Stats::Numeric(a) => a.update(values),
            Stats::Temporal(a) => a.update(values),
            Stats::Text(a) => a.update(values),
            Stats::Boolean(a) => a.update(values),
            Stats::List(a) => a.update(values),
            Stats::Other => {}
        }
        Ok(())
    }

    /// Folds `other` (the same column over other rows) into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        if self.data_type != other.data_type || self.name != other.name {
            return Err(EngineError::Incompatible(format!(
                "column {} ({}) cannot merge with column {} ({})",
                self.name, self.data_type, other.name, other.data_type
            )));
        }
        if self.count == 0 {
            // Nothing to fold in: take `other` as it is (a sketch merged into an empty one would
            // re-insert and compact its values, which changes its estimates).
            *self = other.clone();
            return Ok(());
        }
        self.count += other.count;
        self.nulls += other.nulls;
        match (&mut self.stats, &other.stats) {
            (Stats::Numeric(a), Stats::Numeric(b)) => a.merge(b)?,
            (Stats::Temporal(a), Stats::Temporal(b)) => a.merge(b)?,
            (Stats::Text(a), Stats::Text(b)) => a.merge(b)?,
            (Stats::Boolean(a), Stats::Boolean(b)) => a.merge(b),
            (Stats::List(a), Stats::List(b)) => a.merge(b),
            _ => {}
        }
        Ok(())
    }

    /// The column's profile.
    pub fn finish(&self, options: &ProfileOptions) -> ColumnProfile {
        let mut out = ColumnProfile::with_counts(
            self.name.clone(),
            self.data_type.to_string(),
            column_kind(&self.data_type),
            self.count,
            self.nulls,
        );
        match &self.stats {
            Stats::Numeric(a) => a.finish(options, &mut out),
            Stats::Temporal(a) => a.finish(options, &mut out),
            Stats::Text(a) => a.finish(options, &mut out),
            Stats::Boolean(a) => a.finish(&mut out),
            Stats::List(a) => a.finish(&mut out),
            Stats::Other => {}
        }
        out
    }

    /// Rebuilds the accumulator of a column from its profile, so profiles can be merged.
    pub fn restore(profile: &ColumnProfile, options: &ProfileOptions) -> Result<Self, EngineError> {
        let data_type: DataType = profile.data_type.parse().map_err(|e| {
            EngineError::Incompatible(format!(
                "column {}: unknown data type {:?}: {e}",
                profile.name, profile.data_type
            ))
        })?;
        let mut acc = Self::new(profile.name.clone(), data_type, options)?;
        acc.count = profile.count;
        acc.nulls = profile.nulls;
        let t = value_type(&acc.data_type).clone();
        acc.stats = match acc.stats {
            Stats::Numeric(_) => Stats::Numeric(Box::new(NumericAccumulator::restore(&t, profile, options)?)),
            Stats::Temporal(_) => Stats::Temporal(Box::new(TemporalAccumulator::restore(&t, profile, options)?)),
            Stats::Text(_) => {
                Stats::Text(Box::new(TextAccumulator::restore(text_kind(&t) == Some(true), profile, options)?))
            }
            Stats::Boolean(_) => Stats::Boolean(BooleanAccumulator::restore(profile)?),
            Stats::List(_) => Stats::List(ListAccumulator::restore(profile)?),
            Stats::Other => Stats::Other,
        };
        Ok(acc)
    }
}
