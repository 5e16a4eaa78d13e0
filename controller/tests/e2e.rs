//! End to end: the `profiler-controller` binary against the emulated Kubernetes API
//! (tests/emulators/kube_apiserver.py), moto with Step Functions really executing the generated
//! state machine and each ECS task run as the real `profiler-task` process (started by
//! scripts/test.sh with PROFILER_TEST_WORKER_BIN), an Iceberg table pyiceberg wrote to moto's S3,
//! and the real Postgres. A ProfileJob is applied and must end Succeeded with its result in status
//! and its rows in Postgres; a job on a missing table must fail at once, without retries.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kube::api::{Api, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use profiler_crds::JobPhase;
use profiler_crds::resources::{ProfileJob, ProfilerRuntime};
use profiler_store::{DatabaseConfig, Store};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run scripts/test.sh"))
}

fn python() -> String {
    std::env::var("PROFILER_TEST_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn run_json(args: &[&str]) -> Value {
    let out = Command::new(python()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn kube_emulator() -> (Process, String) {
    let port = free_port();
    let mut child = Command::new(python())
        .arg(root().join("tests/emulators/kube_apiserver.py"))
        .args(["127.0.0.1", &port.to_string()])
        .arg(root().join("charts/profiler-operator/crds/profiler.dev.yaml"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready", "the Kubernetes API emulator did not start");
    (Process(child), format!("http://127.0.0.1:{port}"))
}

fn kubeconfig(server: &str, dir: &std::path::Path) -> PathBuf {
    let path = dir.join("kubeconfig");
    let yaml = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: emulator\n  cluster:\n    server: {server}\n\
         users:\n- name: test\n  user: {{}}\ncontexts:\n- name: emulator\n  context:\n    cluster: emulator\n    user: test\n    namespace: default\n\
         current-context: emulator\n"
    );
    std::fs::write(&path, yaml).unwrap();
    path
}

async fn fresh_database() -> String {
    let server = env("PROFILER_TEST_DATABASE_URL");
    let name = format!("e2e_{}", std::process::id());
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    Store::connect(&DatabaseConfig::from_url(&url).unwrap()).await.unwrap().migrate().await.unwrap();
    url
}

async fn wait_for_phase(api: &Api<ProfileJob>, name: &str, phases: &[JobPhase], timeout: Duration) -> ProfileJob {
    let start = Instant::now();
    loop {
        let job = api.get(name).await.unwrap();
        let phase = job.status.as_ref().and_then(|s| s.phase);
        if phase.is_some_and(|p| phases.contains(&p)) {
            return job;
        }
        assert!(start.elapsed() < timeout, "{name} did not reach {phases:?} in {timeout:?}; status: {:?}", job.status);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_job_runs_through_step_functions_and_fargate_into_s3_and_postgres() {
    let moto = env("PROFILER_TEST_MOTO_URL");
    env("PROFILER_TEST_WORKER_BIN");
    let tag = format!("e2e{}", std::process::id());
    let dir = std::env::temp_dir().join(format!("profiler-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = fresh_database().await;
    let aws = run_json(&[root().join("tests/fixtures/make_aws_runtime.py").to_str().unwrap(), &moto, &tag, &db]);
    let table = run_json(&[
        root().join("tests/fixtures/make_iceberg.py").to_str().unwrap(),
        dir.join("iceberg").to_str().unwrap(),
        "--s3",
        &moto,
        &format!("{tag}-data"),
    ]);

    profiler_controller::install_crypto_provider();
    let (_emulator, server) = kube_emulator();
    let kubeconfig = kubeconfig(&server, &dir);
    let http_port = free_port();
    let _controller = Process(
        Command::new(env!("CARGO_BIN_EXE_profiler-controller"))
            .arg("run")
            .env("KUBECONFIG", &kubeconfig)
            .env("PROFILER_HTTP_ADDRESS", format!("127.0.0.1:{http_port}"))
            .env("PROFILER_DATABASE_URL", &db)
            .env("PROFILER_LISTING_MAX_AGE", "1")
            .env("AWS_ENDPOINT_URL", &moto)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("PROFILER_S3_FORCE_PATH_STYLE", "true")
            .env_remove("AWS_PROFILE")
            .spawn()
            .unwrap(),
    );

    let config =
        Config::from_custom_kubeconfig(Kubeconfig::read_from(&kubeconfig).unwrap(), &KubeConfigOptions::default())
            .await
            .unwrap();
    let client = Client::try_from(config).unwrap();
    let runtimes: Api<ProfilerRuntime> = Api::all(client.clone());
    let runtime: ProfilerRuntime = serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1",
        "kind": "ProfilerRuntime",
        "metadata": {"name": "default"},
        "spec": {
            "ecs": {"cluster": aws["cluster"], "subnets": [aws["subnet"]], "securityGroups": [aws["security_group"]]},
            "taskRoleArn": aws["task_role_arn"],
            "executionRoleArn": aws["execution_role_arn"],
            "stateMachineRoleArn": aws["state_machine_role_arn"],
            "stateMachineName": format!("{tag}-profiler"),
            "worker": {"image": "profiler-worker:test"},
            "results": {"bucket": aws["bucket"], "prefix": "profiles"},
            "databaseSecretArn": aws["secret_arn"],
        }
    }))
    .unwrap();
    runtimes.create(&PostParams::default(), &runtime).await.unwrap();

    let jobs: Api<ProfileJob> = Api::namespaced(client.clone(), "default");
    let job = |name: &str, table_name: &str| -> ProfileJob {
        serde_json::from_value(json!({
            "apiVersion": "profiler.dev/v1alpha1",
            "kind": "ProfileJob",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {
                "source": {"iceberg": {"catalog": {"glue": {}}, "namespace": "fixtures", "table": table_name}},
                "backoffLimit": 2,
            }
        }))
        .unwrap()
    };
    jobs.create(&PostParams::default(), &job("orders", "orders")).await.unwrap();
    let done =
        wait_for_phase(&jobs, "orders", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = done.status.unwrap();
    assert_eq!(status.phase, Some(JobPhase::Succeeded), "{status:?}");
    let result = status.result.unwrap();
    assert_eq!(result.rows, table["whole"]["rows"].as_u64().unwrap());
    assert_eq!((status.attempt, result.columns), (1, 6));
    assert!(
        result.profile_uri.starts_with(&format!("s3://{}/profiles/default/orders/", aws["bucket"].as_str().unwrap()))
    );
    assert!(status.conditions.iter().any(|c| c.type_ == "Succeeded" && c.status == "True"));
    assert!(
        status.conditions.iter().any(|c| c.type_ == "StoreSynced" && c.status == "True"),
        "{:?}",
        status.conditions
    );
    let runtime = runtimes.get("default").await.unwrap().status.unwrap();
    assert!(runtime.state_machine_arn.unwrap().ends_with(&format!(":stateMachine:{tag}-profiler")));

    let store = Store::open(&DatabaseConfig::from_url(&db).unwrap()).await.unwrap();
    let (phase, runs): (String, i64) = sqlx::query_as(
        "select j.phase::text, (select count(*) from profiler.profile_runs r where r.job_uid = j.uid and r.status = 'Succeeded')
         from profiler.profile_jobs j where j.namespace = 'default' and j.name = 'orders'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((phase.as_str(), runs), ("Succeeded", 1));

    // A missing table is bad input: Failed at once, with the worker's message, no retry.
    jobs.create(&PostParams::default(), &job("missing", "nope")).await.unwrap();
    let failed =
        wait_for_phase(&jobs, "missing", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(180)).await;
    let status = failed.status.unwrap();
    assert_eq!((status.phase, status.attempt), (Some(JobPhase::Failed), 1), "{status:?}");
    let message = status.message.unwrap_or_default();
    assert!(message.contains("table not found: fixtures.nope in the Glue catalog"), "{message}");

    // A catalog that cannot be reached is transient: retried as new attempts (new executions),
    // then Failed once backoffLimit is spent.
    let mut unreachable = job("unreachable", "orders");
    unreachable.spec.source = serde_json::from_value(json!({"iceberg": {
        "catalog": {"rest": {"uri": "http://127.0.0.1:1"}}, "namespace": "fixtures", "table": "orders"}}))
    .unwrap();
    unreachable.spec.backoff_limit = 1;
    jobs.create(&PostParams::default(), &unreachable).await.unwrap();
    let failed =
        wait_for_phase(&jobs, "unreachable", &[JobPhase::Succeeded, JobPhase::Failed], Duration::from_secs(240)).await;
    let status = failed.status.unwrap();
    assert_eq!((status.phase, status.attempt), (Some(JobPhase::Failed), 2), "{status:?}");
    let message = status.message.unwrap_or_default();
    assert!(message.contains("attempt 2 of 2 failed") && message.contains("no attempts left"), "{message}");
    assert!(status.execution_arn.unwrap().ends_with("-2"), "the retry ran as a new execution");
    let (runs,): (i64,) = sqlx::query_as(
        "select count(*) from profiler.profile_runs r join profiler.profile_jobs j on j.uid = r.job_uid
         where j.name = 'unreachable' and r.status = 'Failed'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(runs, 2, "both attempts are recorded as failed runs");

    // Every AWS call is counted.
    let metrics = reqwest_free_get(http_port, "/metrics");
    assert!(
        metrics.contains("profiler_operator_aws_calls_total{service=\"SFN\",operation=\"StartExecution\"}"),
        "{metrics}"
    );
}

/// GET over plain HTTP/1.1 without a client library.
fn reqwest_free_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut body = String::new();
    stream.read_to_string(&mut body).unwrap();
    body
}
