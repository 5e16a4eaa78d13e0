//! The parallel scan: partitions of a source are profiled on several threads, each into its own
//! [`TableProfiler`] (and, when rules are given, its own [`RuleChecker`]), and the partial
//! results are merged at the end. Memory is bounded by the batches in flight (one per thread)
//! plus the accumulators, whatever the row count.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use arrow_array::RecordBatch;
use arrow_schema::Schema;
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
pub trait Partition: Send {
    /// Error of the source; must be able to carry engine errors raised while profiling.
    type Error: From<EngineError> + Send;

    /// Reads every batch of the partition, in order, handing each to `sink`. Stops at the first
    /// error `sink` returns.
    fn read(self, sink: &mut dyn FnMut(RecordBatch) -> Result<(), EngineError>) -> Result<(), Self::Error>;
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
    let queue: Mutex<std::vec::IntoIter<(u64, P)>> =
        Mutex::new((0u64..).zip(partitions).collect::<Vec<_>>().into_iter());
    let failed = AtomicBool::new(false);
    let threads = threads.max(1);

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
                        let Some((index, partition)) = next else { break };
                        let mut first_row = 0u64;
                        let outcome = partition.read(&mut |batch| {
                            let rows = batch.num_rows() as u64;
                            progress.fetch_add(rows, Ordering::Relaxed);
                            state.rows_read += rows;
                            if let Some(checker) = &mut state.checker {
                                checker.update(&batch)?;
                            }
                            if !profile {
                                first_row += rows;
                                return Ok(());
                            }
                            match (&sampling, &mut state.reservoir) {
                                (Sampling::Bernoulli { fraction, seed }, _) => {
                                    let kept = sample::bernoulli(&batch, *fraction, *seed, index, first_row)?;
                                    state.rows_profiled += kept.num_rows() as u64;
                                    state.profiler.update(&kept)?;
                                }
                                (_, Some(reservoir)) => reservoir.offer(&batch, index, first_row)?,
                                _ => {
                                    state.rows_profiled += rows;
                                    state.profiler.update(&batch)?;
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

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}
