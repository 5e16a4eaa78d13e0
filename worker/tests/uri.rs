//! Source URIs on the command line: every malformed URI is refused before any service is called,
//! with exit code 2 and a message naming the part at fault and the shape expected; `profiler
//! schema` without a URI still prints the profile's JSON Schema.

use std::process::{Command, Output};

fn profiler(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profiler"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        // Nothing is reached: a call would fail with exit code 3, not 2.
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

#[test]
fn malformed_uris_exit_2_naming_the_part_and_the_shape() {
    let cases = [
        ("athena://orders", "\"orders\" is not database.table; expected athena://[CATALOG/]DATABASE.TABLE"),
        ("athena://a.b?colour=red", "unknown parameter \"colour\""),
        ("redshift://wg/dev", "is not TARGET/DATABASE/SCHEMA.TABLE"),
        ("redshift://cluster:c1/dev/s.t", "a provisioned cluster needs credentials: add ?secret=ARN or ?user=USER"),
        ("iceberg+glue://orders", "\"orders\" is not NAMESPACE.TABLE"),
        ("iceberg+rest://host:99999/ns.t", "port \"99999\""),
        ("bigquery://p.d.t", "unknown scheme bigquery://"),
    ];
    for verb in ["test-connection", "schema", "count", "sample", "profile"] {
        for (uri, message) in cases {
            let o = profiler(&[verb, uri]);
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{verb} {uri}: {stderr}");
            assert!(
                stderr.starts_with(&format!("error: {uri}: ")) && stderr.contains(message),
                "{verb} {uri}: {stderr}"
            );
        }
    }
}

#[test]
fn schema_without_a_uri_prints_the_json_schemas() {
    let o = profiler(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"title\": \"TableProfile\""));
    let o = profiler(&["schema", "--diff"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("\"title\": \"TableProfile\""));
    let o = profiler(&["schema", "examples/data/orders.parquet", "--diff"]);
    assert_eq!(o.status.code(), Some(2), "clap refuses a URI with --diff");
}

#[test]
fn help_documents_the_exit_codes_and_the_uris() {
    let o = profiler(&["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    for needle in ["athena://", "redshift://", "iceberg+glue://", "130", "test-connection", "--timeout"] {
        if needle == "--timeout" {
            let verb = profiler(&["count", "--help"]);
            assert!(String::from_utf8_lossy(&verb.stdout).contains(needle));
        } else {
            assert!(help.contains(needle), "{needle} in:\n{help}");
        }
    }
}
