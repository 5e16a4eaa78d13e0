//! Scale benchmark of the controller (run by scripts/bench-controller.sh, which starts Postgres
//! and moto with a Fargate-like capacity limit): N ProfileJobs applied at once against the
//! Kubernetes API emulator, moto executing the generated state machine and the real worker as
//! each task (an Iceberg metadata-only profile, so the emulators and not the worker set the
//! pace). Prints, side by side with the targets: jobs per terminal phase, outbound AWS calls per
//! job, time from apply to Submitted (p50/p99), and the controller's peak memory.
//!
//! Usage: cargo bench -p profiler-controller --bench scale -- [--jobs N]

#[allow(dead_code)]
#[path = "../tests/e2e/support.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use kube::api::PostParams;
use kube::runtime::{WatchStreamExt, watcher};
use profiler_crds::JobPhase;
use serde_json::json;
use support::{World, free_port, glue_source, http_get, job, orders_table};
use tokio::sync::Mutex;

/// Targets from the issue.
const CALLS_PER_JOB_TARGET: f64 = 5.0;
const PEAK_MEMORY_TARGET_MIB: f64 = 150.0;

#[derive(Default)]
struct Seen {
    applied: HashMap<String, Instant>,
    submitted: HashMap<String, Duration>,
    terminal: HashMap<String, JobPhase>,
}

fn peak_memory_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// `profiler_operator_aws_calls_total` by "Service Operation".
fn aws_calls(port: u16) -> BTreeMap<String, f64> {
    let text = http_get(port, "/metrics").unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("profiler_operator_aws_calls_total{service=\"")?;
            let (service, rest) = rest.split_once("\",operation=\"")?;
            let (operation, value) = rest.split_once("\"} ")?;
            Some((format!("{service} {operation}"), value.trim().parse().ok()?))
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut jobs_wanted = 1000usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs_wanted = args.next().and_then(|v| v.parse().ok()).expect("--jobs N"),
            "--bench" => {}
            other => panic!("unknown argument {other}; usage: scale [--jobs N]"),
        }
    }
    orders_table();
    let world = World::new("scale").await;
    let port = free_port();
    let controller =
        world.controller(&world.database, port, &[("PROFILER_LISTING_MAX_AGE", "5"), ("PROFILER_LOG", "warn")]);
    let pid = controller.0.id();
    world.create_runtime().await;
    world.state_machine_arn().await;
    let before = aws_calls(port);

    let api = world.jobs();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let watch = {
        let seen = seen.clone();
        let stream = watcher(api.clone(), watcher::Config::default()).applied_objects();
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            while let Ok(Some(job)) = stream.try_next().await {
                let Some(phase) = job.status.as_ref().and_then(|s| s.phase) else { continue };
                let name = job.metadata.name.clone().unwrap_or_default();
                let mut seen = seen.lock().await;
                if phase != JobPhase::Pending
                    && !seen.submitted.contains_key(&name)
                    && let Some(applied) = seen.applied.get(&name).copied()
                {
                    seen.submitted.insert(name.clone(), applied.elapsed());
                }
                if phase.is_terminal() {
                    seen.terminal.insert(name, phase);
                }
            }
        })
    };

    let source = {
        let mut s = glue_source("orders");
        s["iceberg"]["metadataOnly"] = json!(true);
        s
    };
    let start = Instant::now();
    futures::stream::iter(0..jobs_wanted)
        .for_each_concurrent(32, |i| {
            let api = api.clone();
            let seen = seen.clone();
            let source = source.clone();
            async move {
                let name = format!("scale-{i:05}");
                seen.lock().await.applied.insert(name.clone(), Instant::now());
                api.create(&PostParams::default(), &job(&name, source, json!({}))).await.expect("create");
            }
        })
        .await;
    let applied_in = start.elapsed();
    eprintln!("applied {jobs_wanted} ProfileJobs in {applied_in:.1?}; waiting for terminal phases");

    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let (done, submitted) = {
            let seen = seen.lock().await;
            (seen.terminal.len(), seen.submitted.len())
        };
        if done >= jobs_wanted || Instant::now() > deadline {
            break;
        }
        eprintln!("{:>6.0} s: {submitted} submitted, {done} finished", start.elapsed().as_secs_f64());
        tokio::time::sleep(Duration::from_secs(15)).await;
    }
    let wall = start.elapsed();
    // Let the last reconciles (status, store) settle, then read the counters.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = aws_calls(port);
    let peak = peak_memory_mib(pid);
    watch.abort();

    let seen = seen.lock().await;
    let mut by_phase: BTreeMap<String, usize> = BTreeMap::new();
    for phase in seen.terminal.values() {
        *by_phase.entry(phase.as_str().to_owned()).or_default() += 1;
    }
    let mut latencies: Vec<Duration> = seen.submitted.values().copied().collect();
    latencies.sort();
    let calls: BTreeMap<&String, f64> =
        after.iter().map(|(k, v)| (k, v - before.get(k).copied().unwrap_or(0.0))).filter(|(_, v)| *v > 0.0).collect();
    let total: f64 = calls.values().sum();
    let per_job = total / jobs_wanted as f64;

    println!();
    let profile = if cfg!(debug_assertions) { "dev" } else { "release" };
    println!("controller scale benchmark: {jobs_wanted} ProfileJobs applied at once ({profile} build)");
    println!("  applied in {:.1} s; all terminal after {:.1} s", applied_in.as_secs_f64(), wall.as_secs_f64());
    println!("  terminal phases: {by_phase:?} ({} of {jobs_wanted})", seen.terminal.len());
    println!("  {:<44} {:>10} {:>12}", "figure", "measured", "target");
    println!(
        "  {:<44} {:>10.2} {:>12}",
        "outbound AWS calls per job (all)",
        per_job,
        format!("<= {CALLS_PER_JOB_TARGET}")
    );
    println!("  {:<44} {:>10.1} {:>12}", "apply -> Submitted p50 (s)", percentile(&latencies, 50.0).as_secs_f64(), "-");
    println!("  {:<44} {:>10.1} {:>12}", "apply -> Submitted p99 (s)", percentile(&latencies, 99.0).as_secs_f64(), "-");
    match peak {
        Some(mib) => {
            println!(
                "  {:<44} {:>10.1} {:>12}",
                "controller peak memory (MiB, VmHWM)",
                mib,
                format!("< {PEAK_MEMORY_TARGET_MIB}")
            )
        }
        None => println!("  controller peak memory: /proc not readable"),
    }
    println!("  AWS calls during the run, by operation:");
    for (operation, count) in &calls {
        println!("    {operation:<40} {count:>8.0} ({:.2} per job)", count / jobs_wanted as f64);
    }
    drop(controller);
    if seen.terminal.len() < jobs_wanted {
        eprintln!("error: {} jobs did not finish within the hour", jobs_wanted - seen.terminal.len());
        std::process::exit(1);
    }
}
