//! What every end-to-end scenario needs: the Kubernetes API emulator, moto (started by
//! scripts/test.sh), the real Postgres, the controller binary as a process, and helpers to wait
//! for a ProfileJob's phase.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use k8s_openapi::api::events::v1::Event;
use kube::api::{Api, ListParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use profiler_crds::JobPhase;
use profiler_crds::resources::{ProfileJob, ProfilerRuntime};
use profiler_store::{DatabaseConfig, Store};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run scripts/test.sh"))
}

fn python() -> String {
    std::env::var("PROFILER_TEST_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").to_string_lossy().into_owned())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn run_json(args: &[&str]) -> Value {
    let out = Command::new(python()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// An empty scratch directory under the temp dir, named `name` and this process's id: whatever a
/// previous run with the same id left there (a pyiceberg catalog naming files on a moto that is
/// gone) is removed first.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profiler-e2e-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A child process killed when dropped.
pub struct Process(pub Child);

impl Process {
    /// SIGTERM, as Kubernetes stops a pod, then waits for the exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.0.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let start = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "the controller did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The pyiceberg table `fixtures.orders` on moto S3, registered in Glue: made once per test
/// binary (the fixture script recreates the Glue database, so scenarios share it).
pub fn orders_table() -> &'static Value {
    static TABLE: OnceLock<Value> = OnceLock::new();
    TABLE.get_or_init(|| {
        let moto = env("PROFILER_TEST_MOTO_URL");
        let dir = scratch_dir("orders");
        run_json(&[
            root().join("tests/fixtures/make_iceberg.py").to_str().unwrap(),
            dir.join("iceberg").to_str().unwrap(),
            "--s3",
            &moto,
            &format!("e2e{}-data", std::process::id()),
        ])
    })
}

/// A new database with the migrations applied; its URL.
pub async fn fresh_database(scenario: &str) -> String {
    let server = env("PROFILER_TEST_DATABASE_URL");
    let name = format!("e2e_{scenario}_{}", std::process::id());
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut admin).await.unwrap();
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    Store::connect(&DatabaseConfig::from_url(&url).unwrap()).await.unwrap().migrate().await.unwrap();
    url
}

/// One scenario's world: its own Kubernetes API emulator, AWS resources (cluster, bucket,
/// secret, state machine name) in the shared moto, and database.
pub struct World {
    _emulator: Process,
    pub kubeconfig: PathBuf,
    pub client: Client,
    pub aws: Value,
    pub tag: String,
    pub database: String,
}

impl World {
    pub async fn new(scenario: &str) -> Self {
        env("PROFILER_TEST_WORKER_BIN");
        let moto = env("PROFILER_TEST_MOTO_URL");
        let tag = format!("e2e{}{scenario}", std::process::id());
        let dir = scratch_dir(scenario);
        let database = fresh_database(scenario).await;
        let aws =
            run_json(&[root().join("tests/fixtures/make_aws_runtime.py").to_str().unwrap(), &moto, &tag, &database]);
        profiler_controller::install_crypto_provider();
        let (emulator, server) = kube_emulator();
        let kubeconfig = kubeconfig(&server, &dir);
        let config =
            Config::from_custom_kubeconfig(Kubeconfig::read_from(&kubeconfig).unwrap(), &KubeConfigOptions::default())
                .await
                .unwrap();
        let client = Client::try_from(config).unwrap();
        Self { _emulator: emulator, kubeconfig, client, aws, tag, database }
    }

    /// Starts `profiler-controller run` against this world; `database` is the store URL it gets.
    pub fn controller(&self, database: &str, http_port: u16, extra: &[(&str, &str)]) -> Process {
        let mut command = Command::new(env!("CARGO_BIN_EXE_profiler-controller"));
        command
            .arg("run")
            .env("KUBECONFIG", &self.kubeconfig)
            .env("PROFILER_HTTP_ADDRESS", format!("127.0.0.1:{http_port}"))
            .env("PROFILER_DATABASE_URL", database)
            .env("PROFILER_LISTING_MAX_AGE", "1")
            .env("AWS_ENDPOINT_URL", env("PROFILER_TEST_MOTO_URL"))
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("PROFILER_S3_FORCE_PATH_STYLE", "true")
            // Warnings only, unless PROFILER_TEST_CONTROLLER_LOG asks for more (e.g. `info`).
            .env("PROFILER_LOG", std::env::var("PROFILER_TEST_CONTROLLER_LOG").unwrap_or_else(|_| "warn".into()))
            .env_remove("AWS_PROFILE")
            .env_remove("POD_NAME")
            .env_remove("POD_NAMESPACE");
        for (name, value) in extra {
            command.env(name, value);
        }
        Process(command.spawn().unwrap())
    }

    /// The ProfilerRuntime `default`, pointing at this world's AWS resources.
    pub async fn create_runtime(&self) -> Api<ProfilerRuntime> {
        self.create_runtime_with(json!({})).await
    }

    /// The ProfilerRuntime `default` with `worker` settings added to its `spec.worker`.
    pub async fn create_runtime_with(&self, worker: Value) -> Api<ProfilerRuntime> {
        let aws = &self.aws;
        let mut worker_spec = json!({"image": "profiler-worker:test"});
        if let (Some(spec), Value::Object(extra)) = (worker_spec.as_object_mut(), worker) {
            spec.extend(extra);
        }
        let runtimes: Api<ProfilerRuntime> = Api::all(self.client.clone());
        let runtime: ProfilerRuntime = serde_json::from_value(json!({
            "apiVersion": "profiler.dev/v1alpha1",
            "kind": "ProfilerRuntime",
            "metadata": {"name": "default"},
            "spec": {
                "ecs": {"cluster": aws["cluster"], "subnets": [aws["subnet"]], "securityGroups": [aws["security_group"]]},
                "taskRoleArn": aws["task_role_arn"],
                "executionRoleArn": aws["execution_role_arn"],
                "stateMachineRoleArn": aws["state_machine_role_arn"],
                "stateMachineName": format!("{}-profiler", self.tag),
                "worker": worker_spec,
                "results": {"bucket": aws["bucket"], "prefix": "profiles"},
                "databaseSecretArn": aws["secret_arn"],
            }
        }))
        .unwrap();
        runtimes.create(&PostParams::default(), &runtime).await.unwrap();
        runtimes
    }

    /// The state machine's ARN once the runtime is Ready.
    pub async fn state_machine_arn(&self) -> String {
        let runtimes: Api<ProfilerRuntime> = Api::all(self.client.clone());
        let start = Instant::now();
        loop {
            let runtime = runtimes.get("default").await.unwrap();
            if let Some(arn) = runtime.status.and_then(|s| s.state_machine_arn) {
                return arn;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "the runtime did not become Ready");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    pub fn jobs(&self) -> Api<ProfileJob> {
        Api::namespaced(self.client.clone(), "default")
    }
}

/// A ProfileJob in `default` profiling `source`.
pub fn job(name: &str, source: Value, extra_spec: Value) -> ProfileJob {
    let mut spec = json!({"source": source, "backoffLimit": 2});
    if let (Some(spec), Value::Object(extra)) = (spec.as_object_mut(), extra_spec) {
        spec.extend(extra);
    }
    serde_json::from_value(json!({
        "apiVersion": "profiler.dev/v1alpha1",
        "kind": "ProfileJob",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }))
    .unwrap()
}

/// The Glue table `fixtures.<table>` as a job source.
pub fn glue_source(table: &str) -> Value {
    json!({"iceberg": {"catalog": {"glue": {}}, "namespace": "fixtures", "table": table}})
}

/// A REST catalog that accepts connections and never answers: the worker waits on it (up to the
/// 120 s timeout `scripts/lib/moto.sh` gives the tasks), which keeps an attempt running as long as
/// a scenario needs.
pub struct SilentCatalog {
    _listener: TcpListener,
    pub uri: String,
}

impl SilentCatalog {
    pub fn new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        Self { _listener: listener, uri }
    }

    pub fn source(&self) -> Value {
        json!({"iceberg": {"catalog": {"rest": {"uri": self.uri}}, "namespace": "fixtures", "table": "orders"}})
    }
}

pub async fn wait_for_phase(api: &Api<ProfileJob>, name: &str, phases: &[JobPhase], timeout: Duration) -> ProfileJob {
    let start = Instant::now();
    loop {
        let job = api.get(name).await.unwrap();
        let phase = job.status.as_ref().and_then(|s| s.phase);
        if phase.is_some_and(|p| phases.contains(&p)) {
            return job;
        }
        assert!(start.elapsed() < timeout, "{name} did not reach {phases:?} in {timeout:?}; status: {:?}", job.status);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub async fn wait_until_gone(api: &Api<ProfileJob>, name: &str, timeout: Duration) {
    let start = Instant::now();
    while api.get_opt(name).await.unwrap().is_some() {
        assert!(start.elapsed() < timeout, "{name} was not deleted in {timeout:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until `check` holds, polling.
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < timeout, "not within {timeout:?}: {what}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The SDK configuration of a client on moto.
async fn moto_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(profiler_aws::https_client())
        .endpoint_url(env("PROFILER_TEST_MOTO_URL"))
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sfn::config::Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await
}

/// A Step Functions client on moto.
pub async fn sfn() -> aws_sdk_sfn::Client {
    aws_sdk_sfn::Client::new(&moto_config().await)
}

/// The JSON object at `s3://bucket/key` on moto.
pub async fn s3_json(uri: &str) -> Value {
    let config = moto_config().await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
    let (bucket, key) = uri.strip_prefix("s3://").and_then(|rest| rest.split_once('/')).unwrap();
    let object = s3.get_object().bucket(bucket).key(key).send().await.unwrap();
    serde_json::from_slice(&object.body.collect().await.unwrap().into_bytes()).unwrap()
}

/// Writes `body` to `s3://bucket/key` in moto.
pub async fn put_s3(bucket: &str, key: &str, body: Vec<u8>) {
    let config = moto_config().await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
    s3.put_object().bucket(bucket).key(key).body(body.into()).send().await.unwrap();
}

/// Runs a fixture script of tests/fixtures with the test Python; its JSON output.
pub fn fixture(script: &str, args: &[&str]) -> Value {
    let path = root().join("tests/fixtures").join(script);
    let mut all = vec![path.to_str().unwrap()];
    all.extend_from_slice(args);
    run_json(&all)
}

/// Every execution of `machine` whose name starts with `prefix`: (name, status).
pub async fn executions(machine: &str, prefix: &str) -> Vec<(String, String)> {
    let listed = sfn().await.list_executions().state_machine_arn(machine).max_results(1000).send().await.unwrap();
    listed
        .executions()
        .iter()
        .filter(|e| e.name().starts_with(prefix))
        .map(|e| (e.name().to_owned(), e.status().as_str().to_owned()))
        .collect()
}

/// The job's row phase and its runs' statuses in the store.
pub async fn stored(database: &str, name: &str) -> (Option<String>, Vec<String>) {
    let store = Store::open(&DatabaseConfig::from_url(database).unwrap()).await.unwrap();
    let phase: Option<(String,)> =
        sqlx::query_as("select phase::text from profiler.profile_jobs where namespace = 'default' and name = $1")
            .bind(name)
            .fetch_optional(store.pool())
            .await
            .unwrap();
    let runs: Vec<(String,)> = sqlx::query_as(
        "select r.status::text from profiler.profile_runs r join profiler.profile_jobs j on j.uid = r.job_uid
         where j.namespace = 'default' and j.name = $1 order by r.attempt",
    )
    .bind(name)
    .fetch_all(store.pool())
    .await
    .unwrap();
    (phase.map(|p| p.0), runs.into_iter().map(|r| r.0).collect())
}

/// GET over plain HTTP/1.1 without a client library; None when nothing listens.
pub fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut body = String::new();
    stream.read_to_string(&mut body).ok()?;
    Some(body)
}

/// The value of an unlabelled metric, when the endpoint answers.
pub fn metric(port: u16, name: &str) -> Option<f64> {
    http_get(port, "/metrics")?.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
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

fn kubeconfig(server: &str, dir: &Path) -> PathBuf {
    let path = dir.join("kubeconfig");
    let yaml = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: emulator\n  cluster:\n    server: {server}\n\
         users:\n- name: test\n  user: {{}}\ncontexts:\n- name: emulator\n  context:\n    cluster: emulator\n    user: test\n    namespace: default\n\
         current-context: emulator\n"
    );
    std::fs::write(&path, yaml).unwrap();
    path
}

/// The notes of the events of ProfileJob `name` with `reason`.
pub async fn event_notes(world: &World, name: &str, reason: &str) -> Vec<String> {
    let events: Api<Event> = Api::namespaced(world.client.clone(), "default");
    let listed = events.list(&ListParams::default()).await.unwrap().items;
    listed
        .into_iter()
        .filter(|e| e.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some(name))
        .filter(|e| e.reason.as_deref() == Some(reason))
        .filter_map(|e| e.note)
        .collect()
}
