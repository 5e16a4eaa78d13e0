//! Profiles every column of a stream of record batches, flattening structs into dotted columns.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, make_array};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Fields, Schema};
use profiler_crds::ColumnProfile;

use crate::accumulator::ColumnAccumulator;
use crate::error::EngineError;
use crate::options::ProfileOptions;

/// A profiled leaf column and where it sits in the batch.
#[derive(Debug, Clone)]
struct Leaf {
    /// Child indices from the top-level column down to the leaf.
    path: Vec<usize>,
    accumulator: ColumnAccumulator,
}

/// Accumulates the profile of all columns of a table; cheap to create, one per thread.
#[derive(Debug, Clone)]
pub struct TableProfiler {
    top_level: Vec<DataType>,
    leaves: Vec<Leaf>,
    options: ProfileOptions,
}

impl TableProfiler {
    /// A profiler for batches of `schema`.
    pub fn new(schema: &Schema, options: &ProfileOptions) -> Result<Self, EngineError> {
        options.validate()?;
        let mut leaves = Vec::new();
        flatten(schema.fields(), "", &mut Vec::new(), options, &mut leaves)?;
        Ok(Self {
            top_level: schema.fields().iter().map(|f| f.data_type().clone()).collect(),
            leaves,
            options: options.clone(),
        })
    }

    /// Adds one batch; its schema must match the profiler's.
    pub fn update(&mut self, batch: &RecordBatch) -> Result<(), EngineError> {
        if batch.num_columns() != self.top_level.len() {
            return Err(EngineError::Incompatible(format!(
                "a batch has {} columns where the schema has {}",
                batch.num_columns(),
                self.top_level.len()
            )));
        }
        for leaf in &mut self.leaves {
            let array = leaf_array(batch, &leaf.path, leaf.accumulator.name())?;
            leaf.accumulator.update(&array)?;
        }
        Ok(())
    }

    /// Adds one batch that holds only the top-level columns `columns` (ascending positions in
    /// the profiler's schema), in that order; the other columns' accumulators are left as they
    /// are.
    pub fn update_columns(&mut self, batch: &RecordBatch, columns: &[usize]) -> Result<(), EngineError> {
        if batch.num_columns() != columns.len() {
            return Err(EngineError::Incompatible(format!(
                "a batch has {} columns where {} were read",
                batch.num_columns(),
                columns.len()
            )));
        }
        let mut path = Vec::new();
        for leaf in &mut self.leaves {
            let Ok(position) = columns.binary_search(&leaf.path[0]) else { continue };
            path.clear();
            path.push(position);
            path.extend_from_slice(&leaf.path[1..]);
            let array = leaf_array(batch, &path, leaf.accumulator.name())?;
            leaf.accumulator.update(&array)?;
        }
        Ok(())
    }

    /// Folds `other` (same schema, other rows) into `self`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EngineError> {
        if self.leaves.len() != other.leaves.len() {
            return Err(EngineError::Incompatible("the profiles have different columns".into()));
        }
        for (a, b) in self.leaves.iter_mut().zip(&other.leaves) {
            a.accumulator.merge(&b.accumulator)?;
        }
        Ok(())
    }

    /// The profiles of all leaf columns, in schema order.
    pub fn finish(&self) -> Vec<ColumnProfile> {
        self.leaves.iter().map(|l| l.accumulator.finish(&self.options)).collect()
    }
}

fn flatten(
    fields: &Fields,
    prefix: &str,
    path: &mut Vec<usize>,
    options: &ProfileOptions,
    out: &mut Vec<Leaf>,
) -> Result<(), EngineError> {
    for (i, field) in fields.iter().enumerate() {
        let name = format!("{prefix}{}", field.name());
        path.push(i);
        match field.data_type() {
            DataType::Struct(children) if !children.is_empty() => {
                flatten(children, &format!("{name}."), path, options, out)?;
            }
            t => out.push(Leaf { path: path.clone(), accumulator: ColumnAccumulator::new(name, t.clone(), options)? }),
        }
        path.pop();
    }
    Ok(())
}

/// The leaf array at `path`, with the nulls of every enclosing struct applied to it.
pub(crate) fn leaf_array(batch: &RecordBatch, path: &[usize], name: &str) -> Result<ArrayRef, EngineError> {
    let missing = || EngineError::MissingColumn(name.to_owned());
    let mut array = batch.columns().get(path[0]).ok_or_else(missing)?.clone();
    let mut parent_nulls: Option<NullBuffer> = None;
    for &child in &path[1..] {
        let parent = array.as_struct_opt().ok_or_else(missing)?;
        parent_nulls = NullBuffer::union(parent_nulls.as_ref(), parent.nulls());
        array = parent.columns().get(child).ok_or_else(missing)?.clone();
    }
    match parent_nulls {
        Some(nulls) if nulls.null_count() > 0 => {
            let combined = NullBuffer::union(Some(&nulls), array.nulls());
            let data = array
                .to_data()
                .into_builder()
                .nulls(combined)
                .build()
                .map_err(|e| EngineError::Incompatible(format!("column {name}: {e}")))?;
            Ok(make_array(data))
        }
        _ => Ok(array),
    }
}
