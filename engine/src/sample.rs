//! Row selection for sampled runs. Every row gets a pseudo-random key from (seed, partition,
//! row offset), so the rows chosen depend only on the seed and the data, not on thread timing.
//! Bernoulli keeps rows whose key falls under a threshold; the reservoir keeps the rows with the
//! `size` smallest keys (a bottom-k sample: uniform without replacement, and mergeable).

use std::sync::Arc;

use arrow_array::{BooleanArray, RecordBatch, UInt32Array, UInt64Array};
use arrow_cast::cast;
use arrow_schema::Schema;
use arrow_select::concat::concat_batches;
use arrow_select::filter::filter_record_batch;
use arrow_select::take::take_record_batch;
use profiler_crds::Sampling;

use crate::error::EngineError;

/// SplitMix64 finalizer: a bijective 64-bit mix.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Key of row `row` of partition `partition` under `seed`.
#[inline]
pub fn row_key(seed: u64, partition: u64, row: u64) -> u64 {
    mix(mix(seed ^ mix(partition)) ^ row)
}

fn arrow_err(e: arrow_schema::ArrowError) -> EngineError {
    EngineError::Incompatible(format!("sampling: {e}"))
}

/// The rows of one batch the Bernoulli sampling keeps.
pub fn bernoulli(
    batch: &RecordBatch,
    fraction: f64,
    seed: u64,
    partition: u64,
    first_row: u64,
) -> Result<RecordBatch, EngineError> {
    let threshold = if fraction >= 1.0 { u64::MAX } else { (fraction * u64::MAX as f64) as u64 };
    let mask: BooleanArray =
        (0..batch.num_rows() as u64).map(|r| Some(row_key(seed, partition, first_row + r) <= threshold)).collect();
    filter_record_batch(batch, &mask).map_err(arrow_err)
}

/// `batch` with every column in the type `schema` gives it: a source may hand over a column
/// dictionary-encoded, and the reservoir's batches are concatenated.
fn conform(batch: RecordBatch, schema: &Arc<Schema>) -> Result<RecordBatch, EngineError> {
    if batch.schema().fields() == schema.fields() {
        return Ok(batch);
    }
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
        .collect::<Result<Vec<_>, _>>()
        .map_err(arrow_err)?;
    RecordBatch::try_new(schema.clone(), columns).map_err(arrow_err)
}

/// Candidate rows of a bottom-k sample with their keys; memory stays under about 2 x size rows.
#[derive(Debug)]
pub struct Reservoir {
    size: usize,
    seed: u64,
    schema: Arc<Schema>,
    batches: Vec<RecordBatch>,
    keys: Vec<u64>,
    /// Rows with a key above this can never enter the sample.
    threshold: u64,
}

impl Reservoir {
    /// An empty reservoir of `size` rows for batches of `schema`.
    pub fn new(size: u64, seed: u64, schema: Arc<Schema>) -> Self {
        Self { size: size as usize, seed, schema, batches: Vec::new(), keys: Vec::new(), threshold: u64::MAX }
    }

    /// Offers the rows of one batch.
    pub fn offer(&mut self, batch: &RecordBatch, partition: u64, first_row: u64) -> Result<(), EngineError> {
        if self.size == 0 {
            return Ok(());
        }
        let mut picked = Vec::new();
        for r in 0..batch.num_rows() {
            let key = row_key(self.seed, partition, first_row + r as u64);
            if key < self.threshold {
                picked.push(r as u32);
                self.keys.push(key);
            }
        }
        if !picked.is_empty() {
            let rows = take_record_batch(batch, &UInt32Array::from(picked)).map_err(arrow_err)?;
            self.batches.push(conform(rows, &self.schema)?);
        }
        if self.keys.len() >= 2 * self.size.max(1024) {
            self.compact()?;
        }
        Ok(())
    }

    /// Folds another reservoir (same seed and schema) into this one.
    pub fn merge(&mut self, other: Reservoir) -> Result<(), EngineError> {
        self.batches.extend(other.batches);
        self.keys.extend(other.keys);
        self.compact()
    }

    /// Keeps only the `size` rows with the smallest keys.
    fn compact(&mut self) -> Result<(), EngineError> {
        let all = concat_batches(&self.schema, &self.batches).map_err(arrow_err)?;
        let mut order: Vec<u64> = (0..self.keys.len() as u64).collect();
        order.sort_unstable_by_key(|&i| self.keys[i as usize]);
        order.truncate(self.size);
        let keys: Vec<u64> = order.iter().map(|&i| self.keys[i as usize]).collect();
        if keys.len() == self.size {
            self.threshold = keys.last().copied().unwrap_or(u64::MAX);
        }
        let kept = take_record_batch(&all, &UInt64Array::from(order)).map_err(arrow_err)?;
        self.batches = vec![kept];
        self.keys = keys;
        Ok(())
    }

    /// The sampled rows.
    pub fn finish(mut self) -> Result<RecordBatch, EngineError> {
        self.compact()?;
        Ok(self.batches.pop().unwrap_or_else(|| RecordBatch::new_empty(self.schema.clone())))
    }
}

/// Checks a sampling request is well-formed.
pub fn validate(sampling: &Sampling) -> Result<(), EngineError> {
    match *sampling {
        Sampling::Bernoulli { fraction, .. } if !(fraction > 0.0 && fraction <= 1.0) => {
            Err(EngineError::InvalidOption {
                name: "sampling.fraction",
                reason: format!("must be in (0, 1], got {fraction}"),
            })
        }
        Sampling::Reservoir { size: 0, .. } => {
            Err(EngineError::InvalidOption { name: "sampling.size", reason: "must be at least 1".into() })
        }
        _ => Ok(()),
    }
}
