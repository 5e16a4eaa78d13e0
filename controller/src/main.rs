//! `profiler-controller`: the operator's binary.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use std::time::Duration;

use profiler_controller::crd_yaml::crds_yaml;
use profiler_controller::job::progress::DEFAULT_INTERVAL;
use profiler_controller::leader::LeaseConfig;
use profiler_controller::rate_limit::{DEFAULT_BURST, DEFAULT_MAX_IN_FLIGHT, DEFAULT_REQUESTS_PER_SECOND};
use profiler_controller::run::{RunConfig, run};
use profiler_controller::schedule::cron::Schedule;
use profiler_controller::state_machine::{StateMachineParams, definition};
use profiler_controller::validate::validate_manifests;
use profiler_crds::fan_out::INLINE_MAP_CONCURRENCY;
use profiler_store::DatabaseConfig;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "The profiler-operator controller")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the controllers (ProfileJob, ProfileSchedule, ProfilerRuntime) until SIGTERM.
    Run {
        /// Namespaces whose ProfileJobs and ProfileSchedules are watched (comma-separated); all
        /// when omitted.
        #[arg(long, env = "PROFILER_WATCH_NAMESPACES", value_delimiter = ',')]
        namespaces: Vec<String>,
        /// Address of /healthz, /readyz and /metrics.
        #[arg(long, env = "PROFILER_HTTP_ADDRESS", default_value = "0.0.0.0:8080")]
        http_address: String,
        /// Profile store (postgres://…); jobs are recorded there when set.
        #[arg(long, env = "PROFILER_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
        /// Seconds a listing of running executions is reused by every job of a state machine.
        #[arg(long, env = "PROFILER_LISTING_MAX_AGE", default_value_t = 5)]
        listing_max_age: u64,
        /// Outbound AWS requests a second, shared by every AWS client of the process (default: the
        /// smallest documented Step Functions StartExecution refill rate, see docs/operations.md).
        #[arg(long, env = "PROFILER_AWS_REQUESTS_PER_SECOND", default_value_t = DEFAULT_REQUESTS_PER_SECOND)]
        aws_requests_per_second: f64,
        /// AWS requests that may go out at once after a quiet period (default: the smallest
        /// documented StartExecution bucket).
        #[arg(long, env = "PROFILER_AWS_BURST", default_value_t = DEFAULT_BURST)]
        aws_burst: u32,
        /// AWS requests in flight at once; the others wait in the controller (at least 1).
        #[arg(long, env = "PROFILER_AWS_MAX_IN_FLIGHT", default_value_t = DEFAULT_MAX_IN_FLIGHT)]
        aws_max_in_flight: usize,
        /// Seconds between two looks at a fanned-out job's groups done (its status's
        /// `groups`); 0 turns the looks off.
        #[arg(long, env = "PROFILER_GROUP_PROGRESS_INTERVAL", default_value_t = DEFAULT_INTERVAL.as_secs())]
        group_progress_interval: u64,
        /// Elect a leader through a Lease, so several replicas are safe.
        #[arg(long, env = "PROFILER_LEADER_ELECTION")]
        leader_election: bool,
        /// Name of the leader Lease.
        #[arg(long, env = "PROFILER_LEASE_NAME", default_value = "profiler-operator-leader")]
        lease_name: String,
        /// Namespace of the leader Lease (the controller's own).
        #[arg(long, env = "POD_NAMESPACE", default_value = "default")]
        lease_namespace: String,
        /// This replica's identity in the Lease.
        #[arg(long, env = "POD_NAME")]
        identity: Option<String>,
    },
    /// Print the CustomResourceDefinitions (YAML), as the Helm chart ships them.
    Crds,
    /// Check ProfileJob, ProfileSchedule and ProfilerRuntime manifests (YAML or JSON, `-` or none for stdin)
    /// with the controller's own rules; prints one JSON line per manifest and exits 2 when any
    /// would be refused.
    Validate {
        /// Manifest files.
        files: Vec<std::path::PathBuf>,
    },
    /// Print the next times a ProfileSchedule's schedule fires (UTC, then local time), as the
    /// controller computes them.
    NextRuns {
        /// The cron schedule (five fields or a shorthand such as @daily).
        schedule: String,
        /// IANA time zone of the schedule.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
        /// Start after this instant (RFC 3339; default now).
        #[arg(long)]
        after: Option<String>,
        /// How many times to print.
        #[arg(long, default_value_t = 5)]
        count: usize,
    },
    /// Print the Amazon States Language definition the controller gives a runtime's state machine
    /// (with placeholder ARNs unless given).
    StateMachine {
        /// ECS cluster ARN.
        #[arg(long, default_value = "arn:aws:ecs:us-east-1:123456789012:cluster/profiler")]
        cluster: String,
        /// Task definition ARN.
        #[arg(long, default_value = "arn:aws:ecs:us-east-1:123456789012:task-definition/profiler-worker:1")]
        task_definition: String,
        /// Subnet ids.
        #[arg(long, value_delimiter = ',', default_value = "subnet-0123456789abcdef0")]
        subnets: Vec<String>,
        /// Security group ids.
        #[arg(long, value_delimiter = ',', default_value = "sg-0123456789abcdef0")]
        security_groups: Vec<String>,
        /// Give tasks a public IP.
        #[arg(long)]
        assign_public_ip: bool,
        /// Groups above which a fan-out's Map state runs in Distributed mode.
        #[arg(long, default_value_t = INLINE_MAP_CONCURRENCY)]
        distributed_map_above: u32,
    },
}

/// `validate`: one JSON line per manifest; exit 2 when any is refused, 1 when input is unreadable.
fn validate_files(files: &[std::path::PathBuf]) -> ExitCode {
    let read = |path: &std::path::Path| -> Result<String, String> {
        if path.as_os_str() == "-" {
            std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
        }
    };
    let stdin = [std::path::PathBuf::from("-")];
    let mut refused = false;
    for path in if files.is_empty() { &stdin[..] } else { files } {
        let verdicts = read(path).and_then(|text| {
            validate_manifests(&text).map_err(|e| format!("{}: not YAML or JSON: {e}", path.display()))
        });
        match verdicts {
            Ok(verdicts) => {
                for verdict in verdicts {
                    refused |= verdict.error.is_some();
                    println!("{}", verdict.to_json());
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if refused { ExitCode::from(2) } else { ExitCode::SUCCESS }
}

/// `next-runs`: the next `count` fire times, one line each: UTC and local time.
fn next_runs(schedule: &str, time_zone: &str, after: Option<&str>, count: usize) -> Result<String, String> {
    let parsed = Schedule::new(schedule, time_zone).map_err(|e| e.to_string())?;
    let mut t = match after {
        Some(text) => text.parse::<jiff::Timestamp>().map_err(|e| format!("--after {text:?}: {e}"))?,
        None => jiff::Timestamp::now(),
    };
    let tz = jiff::tz::TimeZoneDatabase::bundled().get(time_zone).map_err(|e| e.to_string())?;
    let mut lines = Vec::new();
    for _ in 0..count {
        let Some(next) = parsed.next_after(t) else { break };
        lines.push(format!("{next}\t{}", next.to_zoned(tz.clone())));
        t = next;
    }
    Ok(lines.join("\n"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let printed = match cli.command {
        Command::Run {
            namespaces,
            http_address,
            database_url,
            listing_max_age,
            aws_requests_per_second,
            aws_burst,
            aws_max_in_flight,
            group_progress_interval,
            leader_election,
            lease_name,
            lease_namespace,
            identity,
        } => {
            tracing_subscriber::fmt()
                .json()
                .with_env_filter(EnvFilter::try_from_env("PROFILER_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
                .with_writer(std::io::stderr)
                .init();
            let database = match database_url.as_deref().map(DatabaseConfig::from_url).transpose() {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("error: --database-url: {e}");
                    return ExitCode::from(2);
                }
            };
            if aws_requests_per_second.is_nan() || aws_requests_per_second <= 0.0 {
                eprintln!("error: --aws-requests-per-second must be a positive number");
                return ExitCode::from(2);
            }
            if aws_max_in_flight == 0 {
                eprintln!("error: --aws-max-in-flight must be at least 1");
                return ExitCode::from(2);
            }
            let leader_election = leader_election.then(|| LeaseConfig {
                name: lease_name,
                namespace: lease_namespace,
                identity: identity.unwrap_or_else(|| format!("profiler-controller-{}", uuid::Uuid::new_v4())),
            });
            let config = RunConfig {
                namespaces,
                http_address,
                database,
                listing_max_age: Duration::from_secs(listing_max_age),
                aws_requests_per_second,
                aws_burst,
                aws_max_in_flight,
                group_progress_interval: Duration::from_secs(group_progress_interval),
                leader_election,
            };
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: cannot start the async runtime: {e}");
                    return ExitCode::FAILURE;
                }
            };
            return match runtime.block_on(run(config)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!(error = %e, "controller stopped");
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Crds => crds_yaml().map_err(|e| e.to_string()),
        Command::Validate { files } => return validate_files(&files),
        Command::NextRuns { schedule, time_zone, after, count } => {
            next_runs(&schedule, &time_zone, after.as_deref(), count)
        }
        Command::StateMachine {
            cluster,
            task_definition,
            subnets,
            security_groups,
            assign_public_ip,
            distributed_map_above,
        } => {
            let params = StateMachineParams {
                cluster,
                task_definition,
                subnets,
                security_groups,
                assign_public_ip,
                distributed_map_above,
            };
            serde_json::to_string_pretty(&definition(&params)).map_err(|e| e.to_string())
        }
    };
    match printed {
        Ok(text) => {
            println!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
