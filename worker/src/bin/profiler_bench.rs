//! `profiler-bench`: the speed and memory benchmark of the profiler.
//!
//! `profiler-bench run` generates a 5,000,000-row x 8-column Parquet file (and a 20M-row one for
//! the memory check), then prints, from one run on this machine: bare Parquet decode time with
//! arrow-rs, the full profile time, the time to verify a representative rule set (every rule
//! type, every column: worker/tests/rules/orders.yaml) alone and together with the profile in one
//! scan, DuckDB's SUMMARIZE time on the same file, the ratios against the targets, the
//! profiler's peak memory at 5M and 20M rows, and the fan-out's cost: the large file profiled as
//! one task versus planned into 4 groups, each profiled, written and read back as a partial
//! profile, and merged, one after another on this machine; and an Iceberg table (written with
//! pyiceberg by scripts/bench_iceberg.py) whose 5% append is rescanned in full versus profiled
//! incrementally on the previous snapshot's profile.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use clap::{Parser, Subcommand};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use profiler_crds::quality::{RuleSet, parse_rule_set};
use profiler_engine::ProfileOptions;
use profiler_worker::fan_out::{FanOutPlan, balance, merge_partials, profile_group};
use profiler_worker::incremental::profile_incremental;
use profiler_worker::run::{PlannedParts, plan_parts};
use profiler_worker::{ProfileRequest, Progress, SourceSpec, WorkerError, check, datagen, profile, profile_and_check};

/// The representative rule set of the verification figure: every rule type on every column of
/// the generated orders table.
const ORDERS_RULES: &str = include_str!("../../tests/rules/orders.yaml");

#[derive(Parser)]
#[command(name = "profiler-bench", about = "Speed and memory benchmark of the profiler")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate the data (if missing) and print every figure side by side.
    Run {
        /// Directory for the generated files.
        #[arg(long, default_value = "target/bench-data")]
        dir: PathBuf,
        /// Rows of the main file.
        #[arg(long, default_value_t = 5_000_000)]
        rows: u64,
        /// Rows of the large file for the memory check (0 skips it).
        #[arg(long, default_value_t = 20_000_000)]
        large_rows: u64,
        /// Timed repetitions (the best is reported).
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Python interpreter with the duckdb package.
        #[arg(long, default_value = "python3")]
        python: String,
    },
    /// Write the synthetic orders table to a Parquet file.
    Generate {
        /// Output file.
        path: PathBuf,
        /// Rows.
        #[arg(long, default_value_t = 5_000_000)]
        rows: u64,
        /// Seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Profile one file and print this process's peak memory (used by `run`).
    Measure {
        /// Parquet file.
        path: PathBuf,
    },
}

fn main() -> Result<(), String> {
    profiler_worker::allocator::tune_for_scans();
    match Cli::parse().command {
        Cmd::Generate { path, rows, seed } => datagen::write_orders(&path, rows, seed).map_err(|e| e.to_string()),
        Cmd::Measure { path } => {
            let seconds = profile_once(&path, 2).map_err(|e| e.to_string())?;
            println!("{} {seconds:.3}", peak_rss_bytes().unwrap_or(0));
            Ok(())
        }
        Cmd::Run { dir, rows, large_rows, repeat, python } => run(&dir, rows, large_rows, repeat.max(1), &python),
    }
}

fn ensure_file(dir: &Path, rows: u64) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("orders-{rows}.parquet"));
    if !path.exists() {
        eprintln!("generating {} ...", path.display());
        let tmp = path.with_extension("tmp");
        datagen::write_orders(&tmp, rows, 7).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, &path).map_err(|e| e.to_string())?;
    }
    Ok(path)
}

/// Decodes every column of every row group on `threads` threads; returns seconds.
fn bare_decode(path: &Path, threads: usize) -> Result<f64, String> {
    let groups = ParquetRecordBatchReaderBuilder::try_new(File::open(path).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?
        .metadata()
        .num_row_groups();
    let start = Instant::now();
    let rows = AtomicU64::new(0);
    let next = AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| -> Result<(), String> {
                loop {
                    let g = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) as usize;
                    if g >= groups {
                        return Ok(());
                    }
                    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).map_err(|e| e.to_string())?)
                        .map_err(|e| e.to_string())?
                        .with_row_groups(vec![g])
                        // arrow-rs's fastest batch size here (32,768 decodes slower on one thread).
                        .with_batch_size(8192)
                        .build()
                        .map_err(|e| e.to_string())?;
                    for b in reader {
                        let b = b.map_err(|e| e.to_string())?;
                        rows.fetch_add(b.num_rows() as u64, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    Ok(start.elapsed().as_secs_f64())
}

/// How one timed run reads the file.
#[derive(Clone, Copy)]
enum Work<'a> {
    Profile,
    Check(&'a RuleSet),
    ProfileAndCheck(&'a RuleSet),
}

fn profile_once(path: &Path, threads: usize) -> Result<f64, WorkerError> {
    timed(path, threads, Work::Profile)
}

fn timed(path: &Path, threads: usize, work: Work<'_>) -> Result<f64, WorkerError> {
    let request =
        ProfileRequest::every_row(SourceSpec::Parquet { location: path.to_string_lossy().into_owned() }, threads);
    let start = Instant::now();
    match work {
        Work::Profile => {
            std::hint::black_box(profile(&request, &Progress::default())?);
        }
        Work::Check(rules) => {
            let report = check(&request, rules, &Progress::default())?;
            if !report.summary.all_passed() {
                return Err(WorkerError::InvalidRequest(format!(
                    "the bench rules did not pass: {}",
                    report.summary.describe()
                )));
            }
            std::hint::black_box(report);
        }
        Work::ProfileAndCheck(rules) => {
            std::hint::black_box(profile_and_check(&request, Some(rules), &Progress::default())?);
        }
    }
    Ok(start.elapsed().as_secs_f64())
}

fn best(repeat: usize, mut f: impl FnMut() -> Result<f64, String>) -> Result<f64, String> {
    let mut best = f64::INFINITY;
    for _ in 0..repeat {
        best = best.min(f()?);
    }
    Ok(best)
}

fn duckdb_summarize(python: &str, path: &Path) -> Result<f64, String> {
    let script = "import sys,time,duckdb\ncon=duckdb.connect(config={'threads': 2})\ncon.execute('SET enable_progress_bar=false')\n\
                  t=time.perf_counter();con.execute(\"SUMMARIZE SELECT * FROM read_parquet(?)\",[sys.argv[1]]).fetchall();\
                  print(time.perf_counter()-t)";
    let out = Command::new(python).args(["-c", script]).arg(path).output().map_err(|e| format!("{python}: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("failed").to_owned());
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|e| format!("duckdb output: {e}"))
}

fn measure_child(path: &Path) -> Result<(u64, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe).arg("measure").arg(path).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let rss = parts.next().and_then(|s| s.parse().ok()).ok_or("no rss figure")?;
    let secs = parts.next().and_then(|s| s.parse().ok()).ok_or("no time figure")?;
    Ok((rss, secs))
}

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn run(dir: &Path, rows: u64, large_rows: u64, repeat: usize, python: &str) -> Result<(), String> {
    let path = ensure_file(dir, rows)?;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "profiler benchmark: {} ({rows} rows x 8 columns, {:.0} MB), {cpus} CPUs, best of {repeat}",
        path.display(),
        size as f64 / 1e6
    );
    // Warm the page cache so every tool reads from memory.
    std::hint::black_box(std::fs::read(&path).map_err(|e| e.to_string())?);
    let decode1 = best(repeat, || bare_decode(&path, 1))?;
    let decode2 = best(repeat, || bare_decode(&path, 2))?;
    // Profile and DuckDB runs alternate, so a burst of load from elsewhere on the machine falls
    // on both sides alike.
    let rules = parse_rule_set(ORDERS_RULES, "worker/tests/rules/orders.yaml").map_err(|e| e.to_string())?;
    let mut prof = f64::INFINITY;
    let (mut verify, mut both) = (f64::INFINITY, f64::INFINITY);
    let mut duck: Result<f64, String> = Ok(f64::INFINITY);
    for _ in 0..repeat {
        prof = prof.min(profile_once(&path, 2).map_err(|e| e.to_string())?);
        verify = verify.min(timed(&path, 2, Work::Check(&rules)).map_err(|e| e.to_string())?);
        both = both.min(timed(&path, 2, Work::ProfileAndCheck(&rules)).map_err(|e| e.to_string())?);
        if let Ok(best) = &duck {
            duck = duckdb_summarize(python, &path).map(|d| best.min(d));
        }
    }

    println!();
    println!("{:<44} {:>9}", "measurement", "seconds");
    println!("{:<44} {:>9.3}", "bare Parquet decode, arrow-rs, 1 thread", decode1);
    println!("{:<44} {:>9.3}", "bare Parquet decode, arrow-rs, 2 threads", decode2);
    println!("{:<44} {:>9.3}", "profiler full profile, 2 threads", prof);
    let verify_label = format!("rule verification ({} rules), 2 threads", rules.rules.len());
    println!("{:<44} {:>9.3}", verify_label, verify);
    println!("{:<44} {:>9.3}", "profile + verification in one scan, 2 threads", both);
    match &duck {
        Ok(d) => println!("{:<44} {:>9.3}", "DuckDB SUMMARIZE, 2 threads", d),
        Err(e) => println!("{:<44} {:>9}  ({e})", "DuckDB SUMMARIZE, 2 threads", "n/a"),
    }
    match Command::new(python).args(["-c", "import duckdb; print(duckdb.__version__)"]).output() {
        Ok(o) if o.status.success() => println!("(DuckDB {})", String::from_utf8_lossy(&o.stdout).trim()),
        _ => {}
    }
    println!();
    println!("{:<44} {:>9} {:>10} {:>6}", "ratio", "measured", "target", "met");
    let verdict = |ok: bool| if ok { "yes" } else { "NO" };
    if let Ok(d) = duck {
        let speedup = d / prof;
        println!(
            "{:<44} {:>8.1}x {:>10} {:>6}",
            "DuckDB SUMMARIZE / profile",
            speedup,
            ">= 6x",
            verdict(speedup >= 6.0)
        );
    }
    let over_decode = prof / decode1;
    println!(
        "{:<44} {:>8.2}x {:>10} {:>6}",
        "profile / bare decode (1 thread)",
        over_decode,
        "<= 3x",
        verdict(over_decode <= 3.0)
    );
    println!("{:<44} {:>8.2}x {:>10}", "profile / bare decode (2 threads)", prof / decode2, "-");
    let over_profile = verify / prof;
    println!(
        "{:<44} {:>8.2}x {:>10} {:>6}",
        "rule verification / profile",
        over_profile,
        "<= 1.2x",
        verdict(over_profile <= 1.2)
    );
    println!("{:<44} {:>8.2}x {:>10}", "(profile + verification) / profile", both / prof, "-");

    println!();
    println!("{:<44} {:>9} {:>9} {:>10} {:>6}", "peak memory (separate process)", "MiB", "seconds", "target", "met");
    let mut sizes = vec![rows];
    if large_rows > 0 {
        sizes.push(large_rows);
    }
    for &n in &sizes {
        let p = ensure_file(dir, n)?;
        let (rss, secs) = measure_child(&p)?;
        let mib = rss as f64 / 1_048_576.0;
        println!(
            "{:<44} {:>9.1} {:>9.3} {:>10} {:>6}",
            format!("profile of {n} rows"),
            mib,
            secs,
            "< 512",
            verdict(mib < 512.0)
        );
    }
    let largest = sizes.iter().copied().max().unwrap_or(rows);
    fan_out_figures(&ensure_file(dir, largest)?, largest, repeat.min(3)).map_err(|e| e.to_string())?;
    incremental_figures(dir, python, largest, repeat.min(3))
}

/// An Iceberg table of `rows` rows plus a 5% append (written once by scripts/bench_iceberg.py
/// with pyiceberg): the appended snapshot rescanned in full versus profiled incrementally on the
/// first snapshot's profile, best of `repeat`, time and bytes read side by side.
fn incremental_figures(dir: &Path, python: &str, rows: u64, repeat: usize) -> Result<(), String> {
    let (base_file, append_file) = (ensure_file(dir, rows)?, ensure_file(dir, rows / 20)?);
    let table_dir = dir.join(format!("iceberg-{rows}"));
    println!();
    let label = format!("incremental, {rows} rows + a 5% append, 2 threads");
    let made = Command::new(python)
        .arg("scripts/bench_iceberg.py")
        .args([&table_dir, &base_file, &append_file])
        .output()
        .map_err(|e| format!("{python}: {e}"))?;
    if !made.status.success() {
        let why = String::from_utf8_lossy(&made.stderr).lines().last().unwrap_or("failed").to_owned();
        println!("{label:<52} n/a (scripts/bench_iceberg.py: {why})");
        return Ok(());
    }
    let table: serde_json::Value = serde_json::from_slice(&made.stdout).map_err(|e| e.to_string())?;
    let location = table["metadata_file"].as_str().ok_or("no metadata_file")?.to_owned();
    let snapshot = |i: usize| table["snapshots"][i].as_i64().ok_or("no snapshot id");
    let at = |snapshot_id| {
        ProfileRequest::every_row(SourceSpec::Iceberg { location: location.clone(), snapshot_id, catalog: None }, 2)
    };
    let base = profile(&at(Some(snapshot(0)?)), &Progress::default()).map_err(|e| e.to_string())?;
    let (mut full, mut incremental) = ((f64::INFINITY, 0u64), (f64::INFINITY, 0u64));
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let rescan = profile(&at(Some(snapshot(1)?)), &Progress::default()).map_err(|e| e.to_string())?;
        full = (full.0.min(start.elapsed().as_secs_f64()), rescan.bytes_scanned.unwrap_or(0));
        let start = Instant::now();
        let built =
            profile_incremental(&at(Some(snapshot(1)?)), Ok(&base), &Progress::default()).map_err(|e| e.to_string())?;
        incremental = (incremental.0.min(start.elapsed().as_secs_f64()), built.bytes_scanned.unwrap_or(0));
        let merged = built.source.iceberg.as_ref().and_then(|i| i.incremental.as_ref()).is_some_and(|i| i.merged);
        if !merged || built.row_count != rescan.row_count {
            return Err(format!(
                "the incremental profile did not merge or counted {} rows, not {}",
                built.row_count, rescan.row_count
            ));
        }
    }
    let verdict = |ok: bool| if ok { "yes" } else { "NO" };
    println!("{label:<52} {:>9} {:>12}", "seconds", "bytes read");
    println!("{:<52} {:>9.3} {:>12}", "full rescan of the appended snapshot", full.0, full.1);
    println!("{:<52} {:>9.3} {:>12}", "incremental: the appended file, merged", incremental.0, incremental.1);
    let (time, bytes) = (incremental.0 / full.0, incremental.1 as f64 / full.1.max(1) as f64);
    println!("{:<52} {:>9} {:>12} {:>10} {:>6}", "incremental / rescan", "measured", "", "target", "met");
    println!("{:<52} {:>8.3}x {:>12} {:>10} {:>6}", "  time", time, "", "<= 0.1x", verdict(time <= 0.1));
    println!("{:<52} {:>8.3}x {:>12} {:>10} {:>6}", "  bytes read", bytes, "", "<= 0.1x", verdict(bytes <= 0.1));
    Ok(())
}

/// Times of one fanned-out profile of `path` split into `groups` groups, run one after another.
struct FanOutTimes {
    plan: f64,
    groups: f64,
    partials: f64,
    merge: f64,
}

/// The large file as one task and as 4 groups (plan, each group's profile, its partial profile
/// written and read back as JSON as the tasks exchange them through S3, the merge), best of
/// `repeat`; prints both and the merge's overhead.
fn fan_out_figures(path: &Path, rows: u64, repeat: usize) -> Result<(), WorkerError> {
    const GROUPS: usize = 4;
    let request = ProfileRequest::every_row(SourceSpec::Parquet { location: path.to_string_lossy().into_owned() }, 2);
    let (mut one, mut best): (f64, Option<FanOutTimes>) = (f64::INFINITY, None);
    for _ in 0..repeat.max(1) {
        one = one.min(profile_once(path, 2)?);
        let times = fanned_out(&request, GROUPS)?;
        let total = |t: &FanOutTimes| t.plan + t.groups + t.partials + t.merge;
        if best.as_ref().is_none_or(|b| total(&times) < total(b)) {
            best = Some(times);
        }
    }
    let Some(t) = best else { return Ok(()) };
    let fanned = t.plan + t.groups + t.partials + t.merge;
    println!();
    println!("{:<52} {:>9}", format!("fan-out, {rows} rows, 2 threads per task"), "seconds");
    println!("{:<52} {:>9.3}", "1 task: profile", one);
    println!("{:<52} {:>9.3}", format!("{GROUPS} groups one after another: plan (footers)"), t.plan);
    println!("{:<52} {:>9.3}", "  the groups' profiles", t.groups);
    println!("{:<52} {:>9.3}", "  partial profiles to JSON and back", t.partials);
    println!("{:<52} {:>9.3}", "  merge", t.merge);
    println!("{:<52} {:>9.3}", "  total", fanned);
    println!(
        "{:<52} {:>8.2}x  (on {GROUPS} tasks at once, about {:.3} s of wall time)",
        "4 groups / 1 task, machine time",
        fanned / one,
        t.plan + t.groups / GROUPS as f64 + t.partials + t.merge
    );
    Ok(())
}

fn fanned_out(request: &ProfileRequest, groups: usize) -> Result<FanOutTimes, WorkerError> {
    let start = Instant::now();
    let PlannedParts { info, pinned_location, parts, bounds } = plan_parts(request)?;
    let bytes = parts.iter().map(|(_, b)| b).sum();
    let plan = FanOutPlan {
        source: info,
        pinned_location,
        started_at: String::new(),
        bytes,
        groups: balance(&parts, groups),
        histogram_bounds: bounds,
    };
    let plan_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut partials = Vec::with_capacity(groups);
    for index in 0..plan.groups.len() as u32 {
        partials.push(profile_group(request, &plan, index)?);
    }
    let group_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut exchanged = Vec::with_capacity(partials.len());
    for partial in &partials {
        let json = serde_json::to_vec(partial).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?;
        exchanged.push(serde_json::from_slice(&json).map_err(|e| WorkerError::InvalidRequest(e.to_string()))?);
    }
    let partial_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    std::hint::black_box(merge_partials(&plan, exchanged, &ProfileOptions::default())?);
    Ok(FanOutTimes {
        plan: plan_secs,
        groups: group_secs,
        partials: partial_secs,
        merge: start.elapsed().as_secs_f64(),
    })
}
