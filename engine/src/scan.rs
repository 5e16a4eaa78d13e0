//! The parallel scan: partitions of a source are profiled on several threads, each into its own
//! [`TableProfiler`] (and, when rules are given, its own [`RuleChecker`]), and the partial
//! results are merged at the end. Memory is bounded by the batches in flight (one per thread)
//! plus the accumulators, whatever the row count.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Schema};
use profiler_crds::quality::{Rule, RuleResult};
use profiler_crds::{ColumnProfile, Sampling};
use tracing::debug;

use crate::error::EngineError;
use crate::options::ProfileOptions;
use crate::quality::check::RuleChecker;
use crate::sample::{self, Reservoir};
use crate::table::TableProfiler;

/// A piece of a source that one thread reads start to end (a Parquet row group, an Iceberg data
/// file). Partitions are numbered by their position in the list given to [`scan`]; the numbering
/// seeds row sampling, so a source must list its partitions in a stable order.
pub trait Partition: Send + Sized {
    /// Error of the source; must be able to carry engine errors raised while profiling.
    type Error: From<EngineError> + Send;

    /// Reads every batch of the partition, in order, handing each to `sink`. Stops at the first
    /// error `sink` returns.
    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), Self::Error>;

    /// The same rows, reading only the top-level `columns` (ascending positions in the scan's
    /// schema): its batches hold those columns, in that order. `None` (the default) when the
    /// source cannot read part of the columns; such a partition is read whole by one thread.
    fn project(&self, _columns: &[usize]) -> Option<Self> {
        None
    }
}

/// What a scan produced.
#[derive(Debug, Clone)]
pub struct ScanOutput {
    /// Column profiles in schema order.
    pub columns: Vec<ColumnProfile>,
    /// Rows read from the source.
    pub rows_read: u64,
    /// Rows that went into the profile.
    pub rows_profiled: u64,
    /// One result per rule of [`ScanPlan::rules`], in order; `None` when no rules were given.
    pub rules: Option<Vec<RuleResult>>,
}

/// What a scan computes.
#[derive(Debug, Clone, Copy)]
pub struct ScanPlan<'a> {
    /// Rows that go into the profile.
    pub sampling: Sampling,
    /// Metric options of the profile.
    pub options: &'a ProfileOptions,
    /// Threads.
    pub threads: usize,
    /// Rules to verify in the same pass, over every row read (sampling thins the profile only).
    pub rules: Option<&'a [Rule]>,
    /// Whether to profile; a check-only scan (`false`) runs only the rules' evaluations and
    /// returns no column profiles.
    pub profile: bool,
}

/// One read of a scan's queue: a partition, or the columns `columns` of one.
struct WorkItem<P> {
    /// Position of the partition in the scan's list (seeds sampling).
    index: u64,
    partition: P,
    /// The top-level columns the partition reads, when it reads part of them.
    columns: Option<Arc<[usize]>>,
    /// Whether its rows count as read and profiled (one read of each partition counts them).
    counts_rows: bool,
}

/// Per-thread state of a scan.
struct ThreadState {
    profiler: TableProfiler,
    checker: Option<RuleChecker>,
    reservoir: Option<Reservoir>,
    rows_read: u64,
    rows_profiled: u64,
}

/// Profiles `partitions` of a source whose batches have `schema`, on `threads` threads.
/// `progress` is increased by the rows of each batch read, for a progress display.
pub fn scan<P: Partition>(
    schema: Arc<Schema>,
    partitions: Vec<P>,
    sampling: Sampling,
    options: &ProfileOptions,
    threads: usize,
    progress: &AtomicU64,
) -> Result<ScanOutput, P::Error> {
    let plan = ScanPlan { sampling, options, threads, rules: None, profile: true };
    scan_with(schema, partitions, &plan, progress)
}

/// Profiles `partitions` and verifies the plan's rules in one pass over the data: every batch
/// read goes through the rules' evaluations and (unless sampled out, or `plan.profile` is off)
/// the profile's accumulators, on `plan.threads` threads.
pub fn scan_with<P: Partition>(
    schema: Arc<Schema>,
    partitions: Vec<P>,
    plan: &ScanPlan<'_>,
    progress: &AtomicU64,
) -> Result<ScanOutput, P::Error> {
    let ScanPlan { sampling, options, threads, rules, profile } = *plan;
    sample::validate(&sampling)?;
    let checker = rules.map(|rules| RuleChecker::new(&schema, rules));
    let base = TableProfiler::new(&schema, options)?;
    let threads = threads.max(1);
    // Fewer partitions than threads: the columns are shared out instead, so that every thread
    // works. Rules and a reservoir need whole rows, so they keep partitions whole.
    let by_columns = profile
        && rules.is_none()
        && !matches!(sampling, Sampling::Reservoir { .. })
        && partitions.len() < threads
        && schema.fields().len() > 1;
    let items = if by_columns { split_columns(&schema, partitions, threads) } else { whole(partitions) };
    let queue: Mutex<std::vec::IntoIter<WorkItem<P>>> = Mutex::new(items.into_iter());
    let failed = AtomicBool::new(false);

    let results: Vec<Result<ThreadState, P::Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (base, schema, queue, failed, checker) = (&base, &schema, &queue, &failed, &checker);
                scope.spawn(move || -> Result<ThreadState, P::Error> {
                    let mut state = ThreadState {
                        profiler: base.clone(),
                        checker: checker.clone(),
                        reservoir: match sampling {
                            Sampling::Reservoir { size, seed } => Some(Reservoir::new(size, seed, schema.clone())),
                            _ => None,
                        },
                        rows_read: 0,
                        rows_profiled: 0,
                    };
                    loop {
                        if failed.load(Ordering::Relaxed) {
                            break;
                        }
                        let next = queue.lock().map_err(|e| EngineError::ThreadPanicked(e.to_string()))?.next();
                        let Some(WorkItem { index, partition, columns, counts_rows }) = next else { break };
                        let mut first_row = 0u64;
                        let outcome = partition.read(&mut |batch| {
                            let rows = batch.num_rows() as u64;
                            // One read of each partition counts its rows (a partition read as
                            // column sets is read once per set).
                            if counts_rows {
                                progress.fetch_add(rows, Ordering::Relaxed);
                                state.rows_read += rows;
                            }
                            if let Some(checker) = &mut state.checker {
                                checker.update(&batch)?;
                            }
                            if !profile {
                                first_row += rows;
                                return Ok(());
                            }
                            let kept = match (&sampling, &mut state.reservoir) {
                                (Sampling::Bernoulli { fraction, seed }, _) => {
                                    Some(sample::bernoulli(&batch, *fraction, *seed, index, first_row)?)
                                }
                                (_, Some(reservoir)) => {
                                    reservoir.offer(&batch, index, first_row)?;
                                    None
                                }
                                _ => Some(batch),
                            };
                            if let Some(kept) = kept {
                                if counts_rows {
                                    state.rows_profiled += kept.num_rows() as u64;
                                }
                                match &columns {
                                    Some(columns) => state.profiler.update_columns(&kept, columns)?,
                                    None => state.profiler.update(&kept)?,
                                }
                            }
                            first_row += rows;
                            Ok(())
                        });
                        if let Err(e) = outcome {
                            failed.store(true, Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                    if let Some(checker) = &mut state.checker {
                        checker.settle();
                    }
                    Ok(state)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| Err(EngineError::ThreadPanicked(panic_message(&p)).into())))
            .collect()
    });

    let mut total: Option<ThreadState> = None;
    for result in results {
        let state = result?;
        match &mut total {
            None => total = Some(state),
            Some(t) => {
                t.profiler.merge(&state.profiler)?;
                t.rows_read += state.rows_read;
                t.rows_profiled += state.rows_profiled;
                if let (Some(a), Some(b)) = (&mut t.checker, state.checker) {
                    a.merge(b);
                }
                if let (Some(a), Some(b)) = (&mut t.reservoir, state.reservoir) {
                    a.merge(b)?;
                }
            }
        }
    }
    let mut total = total.ok_or(EngineError::ThreadPanicked("no profiling thread ran".into()))?;
    if !profile {
        debug!(rows_read = total.rows_read, "check-only scan finished");
        return Ok(ScanOutput {
            columns: Vec::new(),
            rows_read: total.rows_read,
            rows_profiled: 0,
            rules: total.checker.map(|c| c.finish()),
        });
    }
    if let Some(reservoir) = total.reservoir.take() {
        let sample = reservoir.finish()?;
        total.rows_profiled = sample.num_rows() as u64;
        total.profiler.update(&sample)?;
    }
    debug!(rows_read = total.rows_read, rows_profiled = total.rows_profiled, "scan finished");
    Ok(ScanOutput {
        columns: total.profiler.finish(),
        rows_read: total.rows_read,
        rows_profiled: total.rows_profiled,
        rules: total.checker.map(|c| c.finish()),
    })
}

/// Each partition read whole, in order.
fn whole<P: Partition>(partitions: Vec<P>) -> Vec<WorkItem<P>> {
    (0u64..)
        .zip(partitions)
        .map(|(index, partition)| WorkItem { index, partition, columns: None, counts_rows: true })
        .collect()
}

/// Each partition read as several column sets of about equal cost, enough to keep `threads`
/// busy, the costliest reads first; a partition that cannot read part of its columns is read
/// whole.
fn split_columns<P: Partition>(schema: &Schema, partitions: Vec<P>, threads: usize) -> Vec<WorkItem<P>> {
    let per_partition = (threads * COLUMN_SETS_PER_THREAD).div_ceil(partitions.len().max(1));
    let sets = column_sets(schema, per_partition);
    let mut items = Vec::new();
    for (index, partition) in (0u64..).zip(partitions) {
        let projected: Option<Vec<P>> = sets.iter().map(|(_, columns)| partition.project(columns)).collect();
        match projected {
            Some(parts) => {
                for (set, (part, (cost, columns))) in parts.into_iter().zip(&sets).enumerate() {
                    let columns = Some(Arc::clone(columns));
                    items.push((*cost, WorkItem { index, partition: part, columns, counts_rows: set == 0 }));
                }
            }
            None => items.push((u64::MAX, WorkItem { index, partition, columns: None, counts_rows: true })),
        }
    }
    items.sort_by_key(|(cost, _)| std::cmp::Reverse(*cost));
    debug!(reads = items.len(), column_sets = sets.len(), "scan shares the columns out over the threads");
    items.into_iter().map(|(_, item)| item).collect()
}

/// Column sets a thread of a column-shared scan takes, on average: more than one, so that the
/// queue evens out the estimate's errors.
const COLUMN_SETS_PER_THREAD: usize = 2;

/// The top-level columns of `schema` split into at most `count` sets of about equal estimated
/// cost (largest first, each to the cheapest set), with each set's cost; columns ascending
/// within a set, no set empty.
fn column_sets(schema: &Schema, count: usize) -> Vec<(u64, Arc<[usize]>)> {
    let mut columns: Vec<(u64, usize)> =
        schema.fields().iter().enumerate().map(|(i, f)| (column_cost(f.data_type()), i)).collect();
    columns.sort_by_key(|&(cost, i)| (std::cmp::Reverse(cost), i));
    let mut sets: Vec<(u64, Vec<usize>)> = vec![(0, Vec::new()); count.clamp(1, columns.len().max(1))];
    for (cost, i) in columns {
        if let Some(lightest) = sets.iter_mut().min_by_key(|(total, _)| *total) {
            lightest.0 += cost;
            lightest.1.push(i);
        }
    }
    sets.into_iter()
        .filter(|(_, set)| !set.is_empty())
        .map(|(cost, mut set)| {
            set.sort_unstable();
            (cost, set.into())
        })
        .collect()
}

/// A column's estimated cost to decode and profile, relative to a fixed-width number's 2:
/// strings and binaries cost about twice as much, booleans half, nested types the sum of their
/// leaves.
fn column_cost(data_type: &DataType) -> u64 {
    match data_type {
        DataType::Boolean | DataType::Null => 1,
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => 4,
        DataType::Struct(fields) => fields.iter().map(|f| column_cost(f.data_type())).sum::<u64>().max(1),
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::Map(f, _) => {
            2 * column_cost(f.data_type())
        }
        _ => 2,
    }
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}
