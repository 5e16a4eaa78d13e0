//! AWS clients of the worker: credentials and region from the default chain (the task role on
//! Fargate), adaptive retry for throttling, and the emulator switches the tests use
//! (`AWS_ENDPOINT_URL`, read by the SDK itself; `PROFILER_S3_FORCE_PATH_STYLE=true` for S3).

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use profiler_aws::{AwsCallError, configured_endpoint};

/// Loads the shared SDK configuration with adaptive retry (client-side rate limiting when AWS
/// throttles) and up to 5 attempts per call.
pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(profiler_aws::https_client())
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

/// The AWS error code of a failed call and what happened in words: AWS's message, or the
/// network cause with the endpoint (the shared formatter of `profiler-aws`).
pub fn describe<E>(error: &aws_sdk_s3::error::SdkError<E>) -> (Option<String>, String)
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let failure = AwsCallError::new("AWS", "call", configured_endpoint().as_deref(), error);
    let message = match (&failure.code, error.as_service_error().and_then(|e| e.message())) {
        // The code travels apart; the message is AWS's own.
        (Some(_), Some(message)) => message.to_owned(),
        _ => failure.detail,
    };
    (failure.code, message)
}

/// A failed AWS call as a connector error: which source, which step, what the service said, and
/// whether retrying may help.
pub fn call_failed<E>(
    source_name: String,
    step: &'static str,
    service: &'static str,
    error: &aws_sdk_s3::error::SdkError<E>,
) -> crate::error::WorkerError
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let failure = AwsCallError::new(service, step, configured_endpoint().as_deref(), error);
    let transient = failure.is_transient() || is_transient_code(failure.code.as_deref());
    let message = match failure.code {
        Some(_) => format!("{service} said {}", failure.detail),
        None => format!("{service}: {}", failure.detail),
    };
    crate::error::WorkerError::Connector { source_name, step, message, transient }
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
