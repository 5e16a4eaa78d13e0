//! Each failure class as a real AWS SDK client meets it: the Step Functions client sends a real
//! request to a loopback HTTP peer that answers what AWS (or a broken network) answers, and the
//! message must be a sentence with AWS's words or the network cause, never a `Debug` dump.

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_sfn::config::{Credentials, Region};
use profiler_aws::{AwsCallError, FailureClass};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// An endpoint that answers every request with `status` and `body` (awsJson1_0, as Step Functions).
async fn peer(status: u16, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the headers and the body the client announced.
            loop {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    url
}

async fn call(endpoint: &str) -> AwsCallError {
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(endpoint)
        .http_client(profiler_aws::https_client())
        .retry_config(RetryConfig::disabled())
        .build();
    let client = aws_sdk_sfn::Client::from_conf(config);
    let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:profiler";
    let error = client.describe_state_machine().state_machine_arn(arn).send().await.unwrap_err();
    AwsCallError::new("Step Functions", "DescribeStateMachine", Some(endpoint), &error)
}

/// No Rust structure names, no braces of a Debug dump.
fn assert_words(message: &str) {
    for dump in ["DispatchFailure", "ConnectorError", "ServiceError", "ResponseError", "source:", "{ ", "kind:"] {
        assert!(!message.contains(dump), "{dump:?} in {message}");
    }
}

#[tokio::test]
async fn unreachable_endpoint() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = call(&endpoint).await;
    let message = error.to_string();
    assert_eq!(error.class, FailureClass::Unreachable, "{message}");
    assert!(
        message.starts_with(&format!("Step Functions DescribeStateMachine: cannot reach {endpoint}: ")),
        "{message}"
    );
    assert!(message.to_lowercase().contains("connection refused"), "{message}");
    assert!(error.is_transient());
    assert_words(&message);
}

#[tokio::test]
async fn access_denied() {
    let endpoint = peer(
        400,
        r#"{"__type":"AccessDeniedException","message":"User: arn:aws:sts::123456789012:assumed-role/ctl/x is not authorized to perform: states:DescribeStateMachine"}"#,
    )
    .await;
    let error = call(&endpoint).await;
    let message = error.to_string();
    assert_eq!(error.class, FailureClass::AccessDenied, "{message}");
    assert_eq!(error.code.as_deref(), Some("AccessDeniedException"));
    assert!(message.contains("access denied (AccessDeniedException: User: arn:aws:sts::123456789012"), "{message}");
    assert!(message.contains("grant this call"), "{message}");
    assert!(!error.is_transient());
    assert_words(&message);
}

#[tokio::test]
async fn throttling() {
    let endpoint = peer(400, r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#).await;
    let error = call(&endpoint).await;
    let message = error.to_string();
    assert_eq!(error.class, FailureClass::Throttled, "{message}");
    assert!(message.contains("AWS throttled the call (ThrottlingException: Rate exceeded)"), "{message}");
    assert!(error.is_transient());
    assert_words(&message);
}

#[tokio::test]
async fn not_found() {
    let endpoint = peer(
        400,
        r#"{"__type":"StateMachineDoesNotExist","message":"State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:profiler'"}"#,
    )
    .await;
    let error = call(&endpoint).await;
    let message = error.to_string();
    assert_eq!(error.class, FailureClass::NotFound, "{message}");
    assert_eq!(
        message,
        "Step Functions DescribeStateMachine: StateMachineDoesNotExist: State Machine Does Not Exist: \
         'arn:aws:states:us-east-1:123456789012:stateMachine:profiler'"
    );
    assert_words(&message);
}

#[tokio::test]
async fn malformed_answer() {
    let endpoint = peer(200, "<html><body>captive portal</body></html>").await;
    let error = call(&endpoint).await;
    let message = error.to_string();
    assert_eq!(error.class, FailureClass::Malformed, "{message}");
    assert!(message.contains(&format!("the answer from {endpoint} (HTTP 200) could not be read")), "{message}");
    assert!(error.is_transient());
    assert_words(&message);
}
