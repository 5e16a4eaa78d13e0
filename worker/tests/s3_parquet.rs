//! Parquet read straight from S3 (`s3://BUCKET/PREFIX/`, an object, a glob over keys) against
//! moto's S3, compared with the same files read locally: `profile`, `check`, the verbs, the
//! projection's ranged reads, a ProfileJob's `parquet` source run by the Fargate worker, and the
//! errors (missing bucket, empty prefix, an object that is not
//! Parquet, an Iceberg table's directory, access denied from a fake endpoint).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;

use profiler_worker::source::parquet::ParquetSource;
use serde_json::{Value, json};
use support::{json_out, moto, profiler_command, run_task, stderr, stdout};

fn root() -> PathBuf {
    support::repo_root()
}

/// The test data: the same files on moto's S3 and in a local directory.
struct Fixture {
    bucket: String,
    local: PathBuf,
}

const DAYS: [&str; 2] = ["dt=2024-01-01", "dt=2024-01-02"];

/// Uploads the fixture once per test binary: `orders/dt=*/part-0.parquet` (examples/data's
/// orders, twice), a `_SUCCESS` marker and a CSV beside them, an empty-of-Parquet prefix, an
/// object that is not Parquet, and an Iceberg table's layout.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let bucket = format!("s3-parquet-{}", std::process::id());
        let local = std::env::temp_dir().join(format!("s3-parquet-{}", std::process::id()));
        let orders = std::fs::read(root().join("examples/data/orders.parquet")).unwrap();
        let mut objects: Vec<(String, Vec<u8>)> = Vec::new();
        for day in DAYS {
            let dir = local.join("orders").join(day);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("part-0.parquet"), &orders).unwrap();
            objects.push((format!("orders/{day}/part-0.parquet"), orders.clone()));
        }
        objects.push(("orders/_SUCCESS".into(), Vec::new()));
        objects.push(("orders/notes.csv".into(), b"id,note\n1,hello\n".to_vec()));
        objects.push(("empty/readme.txt".into(), b"nothing here".to_vec()));
        objects.push(("bad/data.parquet".into(), b"this is not a Parquet file".to_vec()));
        objects.push(("ice/metadata/v1.metadata.json".into(), b"{}".to_vec()));
        objects.push(("ice/data/00000.parquet".into(), orders.clone()));
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let s3 = support::s3().await;
            s3.create_bucket().bucket(&bucket).send().await.unwrap();
            for (key, body) in objects {
                s3.put_object().bucket(&bucket).key(&key).body(body.into()).send().await.unwrap();
            }
        });
        Fixture { bucket, local }
    })
}

fn s3(path: &str) -> String {
    format!("s3://{}/{path}", fixture().bucket)
}

fn local(path: &str) -> String {
    fixture().local.join(path).to_string_lossy().into_owned()
}

/// Runs `profiler` with `endpoint` as its AWS.
fn profiler_at(endpoint: &str, args: &[&str]) -> Output {
    profiler_command(endpoint, args).output().unwrap()
}

fn profiler(args: &[&str]) -> Output {
    profiler_at(&moto(), args)
}

/// A document with what differs between two runs of one table removed: where it was read, when,
/// how long it took, the KLL quantile sketch with what is drawn from it (quantiles, histograms),
/// which is randomised, and the frequent-items sketch's bytes, which list its items in hash
/// order (its top values stay compared): two runs of one local file differ there too.
fn comparable(mut doc: Value) -> Value {
    let o = doc.as_object_mut().unwrap();
    for key in ["startedAt", "durationMs"] {
        o.remove(key);
    }
    o.get_mut("source").and_then(Value::as_object_mut).unwrap().remove("location");
    for column in o.get_mut("columns").and_then(Value::as_array_mut).into_iter().flatten() {
        for kind in ["numeric", "temporal"] {
            if let Some(stats) = column.get_mut(kind).and_then(Value::as_object_mut) {
                stats.remove("distribution");
            }
        }
        if let Some(sketches) = column.get_mut("sketches").and_then(Value::as_object_mut) {
            sketches.remove("kll");
            sketches.remove("frequentItems");
        }
    }
    doc
}

/// The paths at which `a` and `b` differ, with both values (shortened).
fn differences(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let (u, v) = (x.get(key).unwrap_or(&Value::Null), y.get(key).unwrap_or(&Value::Null));
                differences(u, v, &format!("{path}.{key}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                differences(u, v, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => {
            let short = |v: &Value| v.to_string().chars().take(80).collect::<String>();
            out.push(format!("{path}: {} vs {}", short(a), short(b)));
        }
        _ => {}
    }
}

/// Asserts two documents are equal, naming the paths where they are not.
fn assert_same(a: Value, b: Value) {
    let mut out = Vec::new();
    differences(&a, &b, "", &mut out);
    assert!(out.is_empty(), "documents differ:\n{}", out.join("\n"));
}

/// `profiler <verb> SOURCE --out DIR --quiet [extra]`; the document `file` it wrote.
fn run_to(verb: &str, source: &str, name: &str, file: &str, extra: &[&str]) -> (Output, Value) {
    let out = std::env::temp_dir().join(format!("s3-parquet-out-{}-{name}", std::process::id()));
    let mut args = vec![verb, source, "--quiet", "--threads", "2", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = profiler(&args);
    let text = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    (o, serde_json::from_str(&text).unwrap())
}

#[test]
fn a_prefix_profiles_as_the_same_files_read_locally() {
    let (o, remote) = run_to("profile", &s3("orders/"), "remote", "profile.json", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (o, here) = run_to("profile", &local("orders"), "local", "profile.json", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(remote["source"]["kind"], "parquet");
    assert_eq!(remote["source"]["location"], s3("orders/"));
    assert_eq!(remote["source"]["files"], 2, "_SUCCESS and notes.csv are not read");
    assert_eq!(remote["rowCount"], 100_000);
    assert!(remote["bytesScanned"].as_u64().unwrap() > 0);
    // Counts, nulls, min/max, moments, quantiles, top values, sketches: all the same.
    assert_same(comparable(remote), comparable(here));
}

#[test]
fn projection_reads_only_the_chunks_of_the_profiled_columns() {
    let columns = ["--columns", "status,id"];
    let (o, remote) =
        run_to("profile", &s3("orders/dt=2024-01-01/part-0.parquet"), "proj-remote", "profile.json", &columns);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_, here) =
        run_to("profile", &local("orders/dt=2024-01-01/part-0.parquet"), "proj-local", "profile.json", &columns);
    let names: Vec<&str> = remote["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["status", "id"]);
    assert_same(comparable(remote), comparable(here));

    // In the library: the GETs fetch the footer and the projected chunks, far less than the file.
    support_env();
    let size = std::fs::metadata(local("orders/dt=2024-01-01/part-0.parquet")).unwrap().len();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let read = |columns: Option<&[String]>| {
        let source = runtime.block_on(ParquetSource::open_any(&s3("orders/dt=2024-01-01/"), columns)).unwrap();
        let footer = source.fetched();
        let mut rows = 0;
        for partition in source.partitions() {
            partition
                .read(&mut |batch| {
                    rows += batch.num_rows();
                    Ok(())
                })
                .unwrap();
        }
        (footer, source.fetched(), rows)
    };
    let (footer, all, rows) = read(None);
    assert_eq!(rows, 50_000);
    assert!(footer.requests <= 2 && footer.bytes < size / 4, "the footer alone: {footer:?} of {size} bytes");
    assert!(all.bytes >= size * 9 / 10, "every column: {all:?} of {size} bytes");
    let (_, projected, rows) = read(Some(&["id".to_owned()]));
    assert_eq!(rows, 50_000);
    assert!(projected.bytes < size / 2, "one column: {projected:?} of {size} bytes");
    eprintln!("fetched for every column: {all:?}; for id: {projected:?}; object: {size} bytes");
}

#[test]
fn globs_select_keys() {
    let count = |source: &str| {
        let o = profiler(&["count", source, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{source}: {}", stderr(&o));
        let v = json_out(&o);
        (v["rows"].as_u64().unwrap(), v["detail"].as_str().unwrap().to_owned())
    };
    assert_eq!(count(&s3("orders/dt=*/")), (100_000, "footers of 2 Parquet file(s)".to_owned()));
    assert_eq!(count(&s3("orders/dt=2024-01-02/*.parquet")), (50_000, "footers of 1 Parquet file(s)".to_owned()));
    assert_eq!(count(&s3("orders/*/part-?.parquet")).0, 100_000);
    let o = profiler(&["count", &s3("orders/*.parquet")]);
    assert_eq!(o.status.code(), Some(2), "no .parquet directly under orders/: {}", stderr(&o));
}

#[test]
fn verbs_read_s3_as_they_read_local_files() {
    let (remote, here) = (s3("orders/"), local("orders"));
    let o = profiler(&["count", &remote, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let count = json_out(&o);
    assert_eq!((count["rows"].as_u64(), count["method"].as_str()), (Some(100_000), Some("metadata")));
    assert_eq!(count["source"], remote);

    let o = profiler(&["schema", &remote, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_out(&o)["columns"], json_out(&profiler(&["schema", &here, "--json"]))["columns"]);
    assert!(stdout(&profiler(&["schema", &remote])).contains("BYTE_ARRAY (UTF8)"));

    let o = profiler(&["sample", &remote, "-n", "5", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&profiler(&["sample", &here, "-n", "5", "--json"])));
    assert_eq!(stdout(&o).lines().count(), 5);

    let o = profiler(&["test-connection", &remote, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report = json_out(&o);
    let steps: Vec<(&str, &str)> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("bucket", "passed"), ("list objects", "passed"), ("files", "passed"), ("footers", "passed")]);
    assert_eq!(report["steps"][2]["detail"], "2 Parquet file(s)");
    assert_eq!(report["steps"][3]["detail"], "readable: 100000 rows, 8 columns");
}

#[test]
fn rules_check_on_s3_as_on_local_files() {
    let rules = root().join("worker/tests/rules/orders.yaml");
    let rules = ["--rules", rules.to_str().unwrap()];
    let (remote_run, remote) = run_to("check", &s3("orders/"), "check-remote", "check.json", &rules);
    let (local_run, here) = run_to("check", &local("orders"), "check-local", "check.json", &rules);
    assert_eq!(remote_run.status.code(), local_run.status.code(), "{}", stderr(&remote_run));
    assert_eq!(remote["rowCount"], 100_000);
    assert_same(comparable(remote), comparable(here));
}

#[test]
fn errors_name_the_location_the_step_and_what_s3_said() {
    let missing = format!("s3://no-such-bucket-{}/orders/", std::process::id());
    let o = profiler(&["count", &missing]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let message = stderr(&o);
    assert!(
        message.contains(&format!("{missing}: could not list the objects (ListObjectsV2): S3 said NoSuchBucket")),
        "{message}"
    );
    let o = profiler(&["test-connection", &missing, "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let report = json_out(&o);
    assert_eq!(
        (report["steps"][0]["name"].as_str(), report["steps"][0]["status"].as_str()),
        (Some("bucket"), Some("failed"))
    );
    assert!(report["steps"][0]["fix"].as_str().unwrap().contains("does not exist"), "{report}");

    let o = profiler(&["profile", &s3("empty/"), "--quiet", "--out", "/tmp/never-written"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{}: no Parquet files found: ListObjectsV2 listed 1 object(s)", s3("empty/"))),
        "{}",
        stderr(&o)
    );
    let o = profiler(&["test-connection", &s3("empty/"), "--json"]);
    let report = json_out(&o);
    assert_eq!(report["steps"][1]["status"], "passed");
    assert_eq!(
        (report["steps"][2]["name"].as_str(), report["steps"][2]["status"].as_str()),
        (Some("files"), Some("failed"))
    );

    let o = profiler(&["count", &s3("bad/")]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{}: not a readable Parquet file", s3("bad/data.parquet"))), "{}", stderr(&o));
    let o = profiler(&["test-connection", &s3("bad/data.parquet")]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    let failed =
        stdout(&o).lines().any(|l| l.starts_with("footers") && l.contains("FAILED  ") && l.contains("Corrupt footer"));
    assert!(failed, "{}", stdout(&o));

    let o = profiler(&["count", &s3("ice/")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("holds an Iceberg table"), "{}", stderr(&o));
    let o = profiler(&["count", "s3:///orders/"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn access_denied_names_the_permission() {
    let endpoint = denying_s3();
    let o = profiler_at(&endpoint, &["count", "s3://locked/orders/"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("s3://locked/orders/: could not list the objects (ListObjectsV2)"), "{}", stderr(&o));
    assert!(stderr(&o).contains("access denied (AccessDenied: Access Denied)"), "{}", stderr(&o));
    let o = profiler_at(&endpoint, &["test-connection", "s3://locked/orders/", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let report = json_out(&o);
    assert_eq!(report["steps"][0]["status"], "failed");
    assert!(report["steps"][0]["fix"].as_str().unwrap().contains("s3:ListBucket on arn:aws:s3:::locked"), "{report}");
}

/// An S3 endpoint that answers every request 403 AccessDenied; its URL.
fn denying_s3() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
                        <Message>Access Denied</Message><RequestId>1</RequestId></Error>";
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// The library's S3 client reads the same environment as the binary.
fn support_env() {
    static SET: OnceLock<()> = OnceLock::new();
    SET.get_or_init(|| {
        // SAFETY: set once, before this test binary's only in-process AWS client is built; the
        // other tests run the binary with their own environment.
        unsafe {
            std::env::set_var("AWS_ENDPOINT_URL", moto());
            std::env::set_var("AWS_ACCESS_KEY_ID", "test");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
            std::env::set_var("AWS_REGION", "us-east-1");
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
            std::env::set_var("PROFILER_S3_FORCE_PATH_STYLE", "true");
        }
    });
}

/// A ProfileJob's `source.parquet` as the Fargate worker (`profiler-task`) runs it: the prefix is
/// read as `profiler profile` reads it, the job's rules are verified in the same scan, and the
/// outputs land under the attempt's prefix; a prefix without Parquet fails with the CLI's words
/// and the exit code of bad input.
#[test]
fn a_parquet_job_reads_the_prefix_as_the_cli_does() {
    let f = fixture();
    let uid = "7d1e4c2a-3b5f-4a6e-9c8d-1f2e3d4c5b6a";
    let job = |uri: &str| {
        json!({
            "version": 1,
            "job": {"namespace": "team-a", "name": "orders-files", "uid": uid, "attempt": 1},
            "source": {"parquet": {"uri": uri}},
            "output": {"bucket": f.bucket, "prefix": "runs"},
            "rules": {"formatVersion": 1, "rules": [
                {"name": "rows", "type": "rowCount", "min": 100000, "max": 100000},
                {"name": "id-unique", "type": "uniqueness", "column": "id"},
            ]},
        })
        .to_string()
    };
    let (o, summary) = run_task(&job(&s3("orders/")), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary["status"], "succeeded");
    assert_eq!(summary["rows"], 100_000);
    // The two days hold the same file: every id twice, so the uniqueness rule fails.
    assert_eq!(summary["check"]["score"], "1/2", "{summary}");
    assert_eq!(summary["check"]["summary"]["failing"], json!(["id-unique"]));
    let prefix = format!("runs/team-a/orders-files/{uid}/attempt-1/");
    assert_eq!(summary["profileUri"], format!("s3://{}/{prefix}profile.json", f.bucket));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let task_profile: Value = runtime.block_on(async {
        let client = support::s3().await;
        let (body, _) = support::object(&client, &f.bucket, &format!("{prefix}profile.json")).await;
        serde_json::from_slice(&body).unwrap()
    });
    assert_eq!(task_profile["source"]["location"], s3("orders/"));
    let (o, cli_profile) = run_to("profile", &s3("orders/"), "task-cli", "profile.json", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_same(comparable(task_profile), comparable(cli_profile));

    let (o, _) = run_task(&job(&s3("empty/")), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{}: no Parquet files found", s3("empty/"))), "{}", stderr(&o));
}

/// A ProfileJob with `parallelism` run as the state machine runs it: the first task plans the
/// groups (`plan.json`, the Map state's items), one task per group writes its partial profile,
/// and the merge task writes the job's profile. The merged profile equals the single task's in
/// every count, bound and moment (sketch images aside, which merge within their error); a
/// group rerun overwrites its partial, so the merge counts it once.
#[test]
fn a_fanned_out_parquet_job_merges_to_the_single_task_profile() {
    let f = fixture();
    let job = |name: &str, uid: &str, parallelism: Value| {
        json!({
            "version": 1,
            "job": {"namespace": "team-a", "name": name, "uid": uid, "attempt": 1},
            "source": {"parquet": {"uri": s3("orders/")}},
            "output": {"bucket": f.bucket, "prefix": "runs"},
            "parallelism": parallelism,
        })
        .to_string()
    };
    let fanned = job("orders-fan", "0b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c4", json!(3));
    let (o, planned) = run_task(&fanned, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(planned["status"], "planned", "{planned}");
    let groups = planned["groups"].as_array().unwrap().clone();
    assert_eq!(groups.len(), 2, "two files of one row group each: never more groups than parts");
    let prefix = "runs/team-a/orders-fan/0b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c4/attempt-1/";
    assert_eq!(groups[1], json!({"step": "group-1", "resultKey": format!("{prefix}groups/1/result.json")}));
    for (i, group) in groups.iter().enumerate() {
        let step = group["step"].as_str().unwrap();
        let (o, done) = run_task(&fanned, &[("PROFILER_TASK_STEP", step)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            (done["status"].as_str(), done["group"].as_u64(), done["rows"].as_u64()),
            (Some("groupProfiled"), Some(i as u64), Some(50_000))
        );
    }
    // A rerun of group 0 (as the Map state's retry would) overwrites its partial profile.
    let (o, _) = run_task(&fanned, &[("PROFILER_TASK_STEP", "group-0")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (o, merged) = run_task(&fanned, &[("PROFILER_TASK_STEP", "merge")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        (merged["status"].as_str(), merged["rows"].as_u64(), merged["groups"].as_u64()),
        (Some("succeeded"), Some(100_000), Some(2)),
        "{merged}"
    );

    let single = job("orders-one", "1c8d0e2f-3a4b-4c5d-9e6f-708192a3b4c5", json!(1));
    let (o, one) = run_task(&single, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(one["status"], "succeeded");
    assert!(one.get("groups").is_none(), "{one}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let read = |uri: &Value| -> Value {
        let key = uri.as_str().unwrap().strip_prefix(&format!("s3://{}/", f.bucket)).unwrap().to_owned();
        runtime.block_on(async {
            let client = support::s3().await;
            serde_json::from_slice(&support::object(&client, &f.bucket, &key).await.0).unwrap()
        })
    };
    let (merged, one) = (read(&merged["profileUri"]), read(&one["profileUri"]));
    assert_eq!(merged["source"], one["source"], "the merged profile reports the whole source");
    // The plan carried the footers' bounds to both groups: the merged histograms stay exact.
    let numeric: Vec<&Value> =
        merged["columns"].as_array().unwrap().iter().filter(|c| c.get("numeric").is_some()).collect();
    assert!(!numeric.is_empty());
    for column in numeric {
        assert_eq!(column["numeric"]["distribution"]["histogramExact"], true, "{}", column["name"]);
    }
    // A sparse HLL image lists the same coupons in the order they were merged; its estimate
    // (`distinct`) is compared with everything else.
    let without_hll = |doc: Value| {
        let mut doc = comparable(doc);
        for column in doc["columns"].as_array_mut().unwrap() {
            if let Some(sketches) = column.get_mut("sketches").and_then(Value::as_object_mut) {
                sketches.remove("hll");
            }
        }
        doc
    };
    assert_same(without_hll(merged), without_hll(one));

    // A group the plan does not have is refused with the plan's size, as bad input.
    let (o, failed) = run_task(&fanned, &[("PROFILER_TASK_STEP", "group-7")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        failed["error"]["message"].as_str().unwrap().contains("the plan has 2 groups; there is no group 7"),
        "{failed}"
    );
}

/// A planned object deleted before its group runs: the group fails as bad input, naming the
/// part, instead of profiling less than the plan.
#[test]
fn a_group_whose_planned_object_is_gone_fails_and_says_so() {
    let f = fixture();
    let orders = std::fs::read(root().join("examples/data/orders.parquet")).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = runtime.block_on(support::s3());
    for key in ["fan-gone/a.parquet", "fan-gone/b.parquet"] {
        runtime.block_on(client.put_object().bucket(&f.bucket).key(key).body(orders.clone().into()).send()).unwrap();
    }
    let job = json!({
        "version": 1,
        "job": {"namespace": "team-a", "name": "gone", "uid": "2d9e1f30-4b5c-4d6e-8f70-8192a3b4c5d6", "attempt": 1},
        "source": {"parquet": {"uri": s3("fan-gone/")}},
        "output": {"bucket": f.bucket, "prefix": "runs"},
        "parallelism": 2,
    })
    .to_string();
    let (o, planned) = run_task(&job, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(planned["groups"].as_array().map(Vec::len), Some(2), "{planned}");
    runtime.block_on(client.delete_object().bucket(&f.bucket).key("fan-gone/b.parquet").send()).unwrap();
    let (o, failed) = run_task(&job, &[("PROFILER_TASK_STEP", "group-1")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let message = failed["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("group 1 of 2: the planned part "), "{message}");
    assert!(message.contains("fan-gone/b.parquet#0 is no longer in the source"), "{message}");
}
