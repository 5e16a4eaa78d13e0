//! AWS clients of the worker: credentials and region from the default chain (the task role on
//! Fargate), adaptive retry for throttling, and the emulator switches the tests use
//! (`AWS_ENDPOINT_URL`, read by the SDK itself; `PROFILER_S3_FORCE_PATH_STYLE=true` for S3).

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, SdkConfig};

/// Loads the shared SDK configuration with adaptive retry (client-side rate limiting when AWS
/// throttles) and up to 5 attempts per call.
pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(5))
        .load()
        .await
}

/// An S3 client; path-style addressing when `PROFILER_S3_FORCE_PATH_STYLE` is `true` (emulators).
pub fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let path_style = std::env::var("PROFILER_S3_FORCE_PATH_STYLE").is_ok_and(|v| v == "true" || v == "1");
    let s3 = aws_sdk_s3::config::Builder::from(config).force_path_style(path_style).build();
    aws_sdk_s3::Client::from_conf(s3)
}

/// A Secrets Manager client.
pub fn secrets_client(config: &SdkConfig) -> aws_sdk_secretsmanager::Client {
    aws_sdk_secretsmanager::Client::new(config)
}

/// A Redshift Data API client.
pub fn redshift_client(config: &SdkConfig) -> aws_sdk_redshiftdata::Client {
    aws_sdk_redshiftdata::Client::new(config)
}

/// An Athena client.
pub fn athena_client(config: &SdkConfig) -> aws_sdk_athena::Client {
    aws_sdk_athena::Client::new(config)
}

/// The AWS error code and message of a failed call, whatever the operation.
pub fn describe<E, R>(error: &aws_sdk_s3::error::SdkError<E, R>) -> (Option<String>, String)
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_s3::error::SdkError;
    match error {
        SdkError::ServiceError(e) => {
            let err = e.err();
            let message = match err.message() {
                Some(m) => m.to_owned(),
                // An unparseable reply surfaces as an unhandled error without a message.
                None => aws_sdk_s3::error::DisplayErrorContext(err).to_string(),
            };
            (err.code().map(str::to_owned), message)
        }
        SdkError::TimeoutError(_) => (None, "timed out".to_owned()),
        SdkError::DispatchFailure(e) => (None, format!("cannot reach the endpoint: {e:?}")),
        other => (None, aws_sdk_s3::error::DisplayErrorContext(other).to_string()),
    }
}

/// A failed AWS call as a connector error: which source, which step, what the service said, and
/// whether retrying may help.
pub fn call_failed<E, R>(
    source_name: String,
    step: &'static str,
    service: &str,
    error: &aws_sdk_s3::error::SdkError<E, R>,
) -> crate::error::WorkerError
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let (code, message) = describe(error);
    let transient = is_transient_code(code.as_deref());
    let code = code.map(|c| format!("{c}: ")).unwrap_or_default();
    crate::error::WorkerError::Connector {
        source_name,
        step,
        message: format!("{service} said {code}{message}"),
        transient,
    }
}

/// Whether an AWS error code means "try again later".
pub fn is_transient_code(code: Option<&str>) -> bool {
    matches!(
        code,
        None | Some(
            "ThrottlingException"
                | "TooManyRequestsException"
                | "Throttling"
                | "SlowDown"
                | "RequestLimitExceeded"
                | "ServiceUnavailable"
                | "InternalError"
                | "InternalServerException"
                | "InternalServerError"
        )
    )
}
