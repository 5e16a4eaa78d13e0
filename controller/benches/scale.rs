//! Scale benchmark of the controller (run by scripts/bench-controller.sh, which starts Postgres
//! and moto). Two shapes:
//!
//! - `--schedules N --jobs-per-schedule M` (default 1,000 x 10): N ProfileSchedules whose cron
//!   fires once, at the same minute T0; at T0 each schedule creates its run's ProfileJob and the
//!   benchmark applies the other N x (M - 1) ProfileJobs directly (32 creates in flight), so
//!   N x M jobs are in flight from one burst. With PROFILER_TEST_TASK_MODE=instant (the script's
//!   default for this shape) every ECS task writes a prepared result at once instead of running
//!   the worker: the controller, not the worker, is measured.
//! - `--jobs N`: the earlier shape, N ProfileJobs applied at once (the script runs the real
//!   worker for each task, at most 4 at once, unless `--instant-tasks`).
//!
//! Prints, side by side with the targets: apply -> StartExecution accepted (p50/p99), schedule
//! time -> job created (p99), when the last execution started after the burst, outbound AWS
//! calls per job, and the controller's peak memory. "Accepted" is the execution's `startDate`
//! as moto recorded it (listed after the run): the moment AWS accepted StartExecution, whatever
//! the controller wrote to the job's status afterwards.
//!
//! Usage: cargo bench -p profiler-controller --bench scale -- [--schedules N] [--jobs-per-schedule M]
//!        cargo bench -p profiler-controller --bench scale -- --jobs N

#[allow(dead_code)]
#[path = "../tests/e2e/support.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, PostParams};
use kube::runtime::{WatchStreamExt, watcher};
use profiler_controller::rate_limit::{DEFAULT_BURST, DEFAULT_MAX_IN_FLIGHT, DEFAULT_REQUESTS_PER_SECOND};
use profiler_crds::JobPhase;
use profiler_crds::resources::{ProfileJob, ProfileSchedule};
use serde_json::{Value, json};
use support::{World, free_port, glue_source, http_get, job, orders_table};
use tokio::sync::Mutex;

/// Targets from the issue.
const CALLS_PER_JOB_TARGET: f64 = 3.0;
const PEAK_MEMORY_TARGET_MIB: f64 = 150.0;
const LAST_START_TARGET_S: f64 = 120.0;
/// Creates in flight while applying jobs or schedules.
const IN_FLIGHT: usize = 32;

/// What the benchmark runs.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// N ProfileJobs applied at once.
    Jobs(usize),
    /// N schedules firing at one minute, plus N x (M - 1) jobs applied at that minute.
    Schedules { schedules: usize, per_schedule: usize },
}

impl Shape {
    fn total(self) -> usize {
        match self {
            Shape::Jobs(n) => n,
            Shape::Schedules { schedules, per_schedule } => schedules * per_schedule,
        }
    }
}

/// What the watch and the appliers saw, by job name.
#[derive(Default)]
struct Seen {
    /// When the benchmark sent the create (directly applied jobs).
    applied: HashMap<String, SystemTime>,
    /// When the watch first saw the job.
    added: HashMap<String, SystemTime>,
    /// Job uid -> name.
    uids: HashMap<String, String>,
    /// Jobs past Pending.
    submitted: HashMap<String, ()>,
    terminal: HashMap<String, JobPhase>,
}

fn peak_memory_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// `profiler_operator_aws_request_seconds_total` by (operation, stage).
fn aws_stage_seconds(port: u16) -> BTreeMap<(String, String), f64> {
    let text = http_get(port, "/metrics").unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("profiler_operator_aws_request_seconds_total{operation=\"")?;
            let (operation, rest) = rest.split_once("\",stage=\"")?;
            let (stage, value) = rest.split_once("\"} ")?;
            Some(((operation.to_owned(), stage.to_owned()), value.trim().parse().ok()?))
        })
        .collect()
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn seconds_between(from: SystemTime, to: SystemTime) -> f64 {
    match to.duration_since(from) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

fn rfc3339(t: SystemTime) -> String {
    jiff::Timestamp::from_second(unix(t) as i64).map(|t| t.to_string()).unwrap_or_default()
}

/// A ProfileSchedule in `default` whose cron fires once a day at `at` (UTC), creating `source`
/// jobs.
fn schedule(name: &str, at: SystemTime, source: &Value) -> ProfileSchedule {
    let minute_of_day = unix(at) % 86_400 / 60;
    serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1",
        "kind": "ProfileSchedule",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "schedule": format!("{} {} * * *", minute_of_day % 60, minute_of_day / 60),
            "jobTemplate": {"spec": {"source": source, "backoffLimit": 2}},
        }
    }))
    .expect("a ProfileSchedule")
}

/// First-attempt start of every execution of `machine`, by job uid, as moto recorded it.
async fn execution_starts(machine: &str) -> HashMap<String, SystemTime> {
    let sfn = support::sfn().await;
    let mut starts = HashMap::new();
    let mut pages = sfn.list_executions().state_machine_arn(machine).max_results(1000).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.expect("ListExecutions on moto");
        for execution in page.executions() {
            // `<namespace>-<name>-<uid>-<attempt>` (controller/src/job/execution_name.rs)
            let Some((head, "1")) = execution.name().rsplit_once('-') else { continue };
            let Some(uid) = head.get(head.len().saturating_sub(36)..) else { continue };
            let start = execution.start_date();
            let at = UNIX_EPOCH + Duration::new(start.secs().max(0) as u64, start.subsec_nanos());
            starts.insert(uid.to_owned(), at);
        }
    }
    starts
}

fn parse_args() -> Shape {
    let mut args = std::env::args().skip(1);
    let (mut jobs, mut schedules, mut per_schedule) = (None, 1000usize, 10usize);
    let number = |v: Option<String>, flag: &str| -> usize {
        v.and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or_else(|| panic!("{flag} needs a positive number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs = Some(number(args.next(), "--jobs")),
            "--schedules" => schedules = number(args.next(), "--schedules"),
            "--jobs-per-schedule" => per_schedule = number(args.next(), "--jobs-per-schedule"),
            "--bench" | "--instant-tasks" => {}
            other => panic!(
                "unknown argument {other}; usage: scale [--schedules N] [--jobs-per-schedule M] | [--jobs N] [--instant-tasks]"
            ),
        }
    }
    match jobs {
        Some(n) => Shape::Jobs(n),
        None => Shape::Schedules { schedules, per_schedule },
    }
}

/// Applies `names` as ProfileJobs, IN_FLIGHT at once, noting when each was sent.
async fn apply_jobs(api: &Api<ProfileJob>, seen: &Arc<Mutex<Seen>>, names: Vec<String>, source: &Value) {
    futures::stream::iter(names)
        .for_each_concurrent(IN_FLIGHT, |name| {
            let (api, seen, source) = (api.clone(), seen.clone(), source.clone());
            async move {
                let manifest = job(&name, source, json!({}));
                seen.lock().await.applied.insert(name, SystemTime::now());
                api.create(&PostParams::default(), &manifest).await.expect("create a ProfileJob");
            }
        })
        .await;
}

#[tokio::main]
async fn main() {
    let shape = parse_args();
    let total = shape.total();
    let instant = std::env::var("PROFILER_TEST_TASK_MODE").is_ok_and(|m| m == "instant");
    orders_table();
    let world = World::new("scale").await;
    let port = free_port();
    // The controller's own defaults, except the listing age the chart sets (5 s).
    let controller = world.controller(&world.database, port, &[("PROFILER_LISTING_MAX_AGE", "5")]);
    let pid = controller.0.id();
    world.create_runtime().await;
    let machine = world.state_machine_arn().await;
    let before = aws_calls(port);

    let api = world.jobs();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let watch = {
        let seen = seen.clone();
        let stream = watcher(api.clone(), watcher::Config::default()).applied_objects();
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            while let Ok(Some(job)) = stream.try_next().await {
                let now = SystemTime::now();
                let name = job.metadata.name.clone().unwrap_or_default();
                let mut seen = seen.lock().await;
                seen.added.entry(name.clone()).or_insert(now);
                if let Some(uid) = &job.metadata.uid {
                    seen.uids.entry(uid.clone()).or_insert_with(|| name.clone());
                }
                let Some(phase) = job.status.as_ref().and_then(|s| s.phase) else { continue };
                if phase != JobPhase::Pending {
                    seen.submitted.insert(name.clone(), ());
                }
                if phase.is_terminal() {
                    seen.terminal.insert(name, phase);
                }
            }
        })
    };

    // StartExecutions sent so far, sampled every second: the rate at which the controller
    // issued them, whatever the endpoint did with them.
    let start_samples: Arc<Mutex<Vec<(SystemTime, f64)>>> = Arc::default();
    let sampler = {
        let samples = start_samples.clone();
        tokio::spawn(async move {
            loop {
                let sent = tokio::task::spawn_blocking(move || aws_calls(port)).await.unwrap_or_default();
                let starts = sent.get("SFN StartExecution").copied().unwrap_or(0.0);
                samples.lock().await.push((SystemTime::now(), starts));
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };
    let source = {
        let mut s = glue_source("orders");
        s["iceberg"]["metadataOnly"] = json!(true);
        s
    };
    let started = Instant::now();
    let (burst, schedules_at) = match shape {
        Shape::Jobs(n) => {
            let burst = SystemTime::now();
            apply_jobs(&api, &seen, (0..n).map(|i| format!("scale-{i:05}")).collect(), &source).await;
            (burst, None)
        }
        Shape::Schedules { schedules, per_schedule } => {
            // T0: the first minute boundary at least 30 s plus 20 ms a schedule away, so every
            // schedule exists before it.
            let lead = 30 + (schedules as u64) / 50;
            let t0 = UNIX_EPOCH + Duration::from_secs((unix(SystemTime::now()) + lead).div_ceil(60) * 60);
            let schedule_api: Api<ProfileSchedule> = Api::namespaced(world.client.clone(), "default");
            futures::stream::iter(0..schedules)
                .for_each_concurrent(IN_FLIGHT, |i| {
                    let (schedule_api, source) = (schedule_api.clone(), source.clone());
                    async move {
                        let manifest = schedule(&format!("sched-{i:04}"), t0, &source);
                        schedule_api.create(&PostParams::default(), &manifest).await.expect("create a ProfileSchedule");
                    }
                })
                .await;
            eprintln!(
                "{schedules} ProfileSchedules created in {:.1} s; all fire at {}",
                started.elapsed().as_secs_f64(),
                rfc3339(t0)
            );
            if let Ok(wait) = t0.duration_since(SystemTime::now()) {
                tokio::time::sleep(wait).await;
            }
            let direct: Vec<String> = (0..schedules)
                .flat_map(|i| (1..per_schedule).map(move |k| format!("sched-{i:04}-direct-{k:02}")))
                .collect();
            apply_jobs(&api, &seen, direct, &source).await;
            (t0, Some(t0))
        }
    };
    let applied_in = seconds_between(burst, SystemTime::now());
    eprintln!("burst applied {applied_in:.1} s after T0; waiting for {total} terminal phases");

    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let (jobs, submitted, done) = {
            let seen = seen.lock().await;
            (seen.added.len(), seen.submitted.len(), seen.terminal.len())
        };
        if done >= total || Instant::now() > deadline {
            break;
        }
        eprintln!(
            "{:>6.0} s after T0: {jobs} jobs, {submitted} submitted, {done} finished",
            seconds_between(burst, SystemTime::now())
        );
        tokio::time::sleep(Duration::from_secs(15)).await;
    }
    let all_terminal = seconds_between(burst, SystemTime::now());
    // Let the last reconciles (status, store) settle, then read the counters.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = aws_calls(port);
    let stages = aws_stage_seconds(port);
    let peak = peak_memory_mib(pid);
    watch.abort();
    sampler.abort();
    let starts = execution_starts(&machine).await;

    let seen = seen.lock().await;
    let mut by_phase: BTreeMap<String, usize> = BTreeMap::new();
    for phase in seen.terminal.values() {
        *by_phase.entry(phase.as_str().to_owned()).or_default() += 1;
    }
    // apply (directly applied) or scheduled time (schedule runs) -> StartExecution accepted.
    let (mut direct_accept, mut scheduled_accept, mut last_start) = (Vec::new(), Vec::new(), f64::NAN);
    for (uid, start) in &starts {
        let Some(name) = seen.uids.get(uid) else { continue };
        last_start = seconds_between(burst, *start).max(if last_start.is_nan() { f64::MIN } else { last_start });
        match (seen.applied.get(name), schedules_at) {
            (Some(applied), _) => direct_accept.push(seconds_between(*applied, *start)),
            (None, Some(t0)) => scheduled_accept.push(seconds_between(t0, *start)),
            (None, None) => {}
        }
    }
    let mut created: Vec<f64> = match schedules_at {
        Some(t0) => seen
            .added
            .iter()
            .filter(|(name, _)| !seen.applied.contains_key(*name))
            .map(|(_, at)| seconds_between(t0, *at))
            .collect(),
        None => Vec::new(),
    };
    for v in [&mut direct_accept, &mut scheduled_accept, &mut created] {
        v.sort_by(f64::total_cmp);
    }
    let calls: BTreeMap<&String, f64> =
        after.iter().map(|(k, v)| (k, v - before.get(k).copied().unwrap_or(0.0))).filter(|(_, v)| *v > 0.0).collect();
    let per_job = calls.values().sum::<f64>() / total as f64;
    let start_key = "SFN StartExecution".to_owned();
    let start_calls = calls.get(&start_key).copied().unwrap_or(0.0);
    let base_starts = before.get(&start_key).copied().unwrap_or(0.0);
    // The controller's issuing of StartExecution (counted when a reconcile hands the request to
    // the AWS client, before the in-flight queue and the budget): when the last one was issued
    // (first sample at the final count), and the highest rate over any 5 s.
    let (mut last_issued, mut peak_issue_rate) = (f64::NAN, 0.0f64);
    {
        let samples = start_samples.lock().await;
        let final_count = samples.last().map_or(0.0, |s| s.1);
        if final_count > base_starts
            && let Some((at, _)) = samples.iter().find(|(_, n)| *n >= final_count)
        {
            last_issued = seconds_between(burst, *at);
        }
        for (i, (at, n)) in samples.iter().enumerate() {
            if let Some((later, m)) = samples[i..].iter().find(|(t, _)| seconds_between(*at, *t) >= 5.0) {
                peak_issue_rate = peak_issue_rate.max((m - n) / seconds_between(*at, *later));
            }
        }
    }
    // The rate at which the endpoint accepted them (its own start dates).
    let accepted_rate = {
        let first = starts.values().min();
        let last = starts.values().max();
        match (first, last) {
            (Some(first), Some(last)) if last > first => starts.len() as f64 / seconds_between(*first, *last),
            _ => f64::NAN,
        }
    };
    let stage_mean = |stage: &str| {
        stages.get(&("StartExecution".to_owned(), stage.to_owned())).copied().unwrap_or(0.0) / start_calls.max(1.0)
    };
    let (slot_wait, budget_wait, service) = (stage_mean("slot"), stage_mean("budget"), stage_mean("service"));

    println!();
    let profile = if cfg!(debug_assertions) { "dev" } else { "release" };
    match shape {
        Shape::Jobs(n) => println!("controller scale benchmark ({profile} build): {n} ProfileJobs applied at once"),
        Shape::Schedules { schedules, per_schedule } => {
            println!(
                "controller scale benchmark ({profile} build): {schedules} ProfileSchedules all firing at T0 = {} \
                 (one run each), plus {} ProfileJobs applied directly from T0 ({} per schedule, {IN_FLIGHT} creates \
                 in flight): {total} jobs in flight",
                rfc3339(burst),
                schedules * (per_schedule - 1),
                per_schedule - 1,
            )
        }
    }
    if instant {
        println!(
            "  ECS tasks are emulated: each writes a prepared result.json and stops at once (PROFILER_TEST_TASK_MODE=instant); \
             the worker does not run. moto still runs the generated state machine for every execution, state by state; \
             the execution's own calls (ECS RunTask and DescribeTasks, S3 GetObject) reach moto's backends inside its \
             process instead of over HTTP. Step Functions is moto (one Python process), not AWS: no throttling, and \
             its answers are far slower than AWS's"
        );
    } else {
        println!("  ECS tasks run the real profiler-task (an Iceberg metadata-only profile)");
    }
    println!(
        "  controller defaults (AWS budget {} requests/s, burst {}, {} requests in flight), listing of running \
         executions reused 5 s",
        DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST, DEFAULT_MAX_IN_FLIGHT
    );
    println!("  burst applied in {applied_in:.1} s; all terminal after {all_terminal:.1} s");
    println!("  terminal phases: {by_phase:?} ({} of {total})", seen.terminal.len());
    println!("  {:<52} {:>10} {:>10}", "figure", "measured", "target");
    let row = |figure: &str, value: f64, target: &str| println!("  {figure:<52} {value:>10.1} {target:>10}");
    if !direct_accept.is_empty() {
        row("apply -> StartExecution accepted p50 (s)", percentile(&direct_accept, 50.0), "-");
        row("apply -> StartExecution accepted p99 (s)", percentile(&direct_accept, 99.0), "-");
    }
    if !scheduled_accept.is_empty() {
        row("schedule time -> StartExecution accepted p50 (s)", percentile(&scheduled_accept, 50.0), "-");
        row("schedule time -> StartExecution accepted p99 (s)", percentile(&scheduled_accept, 99.0), "-");
    }
    if !created.is_empty() {
        row("schedule time -> job created (watch) p50 (s)", percentile(&created, 50.0), "-");
        row("schedule time -> job created (watch) p99 (s)", percentile(&created, 99.0), "-");
    }
    row(
        &format!("last of {} executions started, after T0 (s)", starts.len()),
        last_start,
        &format!("<= {LAST_START_TARGET_S}"),
    );
    println!(
        "  {:<52} {:>10.2} {:>10}",
        "outbound AWS calls per job (all)",
        per_job,
        format!("<= {CALLS_PER_JOB_TARGET}")
    );
    match peak {
        Some(mib) => row("controller peak memory (MiB, VmHWM)", mib, &format!("< {PEAK_MEMORY_TARGET_MIB}")),
        None => println!("  controller peak memory: /proc not readable"),
    }
    // What bounds the start figures: the controller's budget, or the endpoint it sends to.
    let budget_bound = (total as f64 - f64::from(DEFAULT_BURST)).max(0.0) / DEFAULT_REQUESTS_PER_SECOND;
    println!("  StartExecution, the controller's side and the endpoint's (per call, means):");
    row("last StartExecution issued by a reconcile, after T0 (s)", last_issued, "-");
    row("StartExecutions issued a second, peak over 5 s", peak_issue_rate, "-");
    row("waiting for a budget token (controller) (s)", budget_wait, "-");
    row(&format!("waiting for one of {DEFAULT_MAX_IN_FLIGHT} in-flight slots (endpoint) (s)"), slot_wait, "-");
    row("sent until answered (endpoint service time) (s)", service, "-");
    row(
        "StartExecutions accepted a second by the endpoint",
        accepted_rate,
        &format!("quota {DEFAULT_REQUESTS_PER_SECOND}"),
    );
    row(
        &format!("budget alone: {total} starts after T0 (s), arithmetic"),
        budget_bound,
        &format!("<= {LAST_START_TARGET_S}"),
    );
    let endpoint_bound = slot_wait + service > 10.0 * budget_wait.max(0.001);
    println!(
        "  bound by: {}",
        if endpoint_bound {
            "the endpoint (moto): StartExecutions waited for moto's answers, not for the controller's budget, \
             so the start figures above are moto's throughput; the controller's budget alone would send them \
             within the arithmetic figure"
        } else {
            "the controller's AWS budget"
        }
    );
    println!("  AWS calls during the run, by operation:");
    for (operation, count) in &calls {
        println!("    {operation:<40} {count:>8.0} ({:.2} per job)", count / total as f64);
    }
    drop(controller);
    if seen.terminal.len() < total {
        eprintln!("error: {} jobs did not finish within the hour", total - seen.terminal.len());
        std::process::exit(1);
    }
}
