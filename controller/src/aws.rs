//! AWS clients of the controller: credentials and region from the default chain (IRSA or EKS
//! Pod Identity in a cluster), one request rate limit shared by all clients (`rate_limit`),
//! adaptive retry (slows a client down further when AWS throttles), and an interceptor that
//! counts every call, and every throttled answer, in the metrics.
//!
//! The SDK's stalled-stream protection is kept for response bodies but not for request bodies:
//! it starts an upload's clock before the HTTP client is called, so a request that waits in the
//! rate limit's queue for more than its grace period (5 s) looked stalled and failed, and was
//! sent again although AWS had never seen it. The controller's request bodies are small JSON
//! documents, sent at once when their turn comes.

use aws_config::retry::RetryConfig;
use aws_config::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use profiler_aws::{AwsCallError, configured_endpoint, is_throttling_code};

use crate::error::Error;
use crate::metrics::{AwsCallLabels, Metrics};
use crate::rate_limit::RateLimit;

/// The three clients the controller uses.
#[derive(Clone, Debug)]
pub struct Aws {
    /// Step Functions.
    pub sfn: aws_sdk_sfn::Client,
    /// ECS (task definitions).
    pub ecs: aws_sdk_ecs::Client,
    /// S3 (results bucket lifecycle, task results).
    pub s3: aws_sdk_s3::Client,
}

impl Aws {
    /// Clients from the default chain, all sending through `limit`;
    /// `PROFILER_S3_FORCE_PATH_STYLE=true` for emulators.
    pub async fn from_env(metrics: &Metrics, limit: &RateLimit) -> Self {
        let mut config: SdkConfig = aws_config::defaults(BehaviorVersion::latest())
            .http_client(profiler_aws::https_client())
            .retry_config(RetryConfig::adaptive().with_max_attempts(5))
            .stalled_stream_protection(StalledStreamProtectionConfig::enabled().upload_enabled(false).build())
            .load()
            .await;
        if let Some(http) = config.http_client() {
            config = config.into_builder().http_client(limit.wrap(http)).build();
        }
        let counter = CallCounter { metrics: metrics.clone() };
        let path_style = std::env::var("PROFILER_S3_FORCE_PATH_STYLE").is_ok_and(|v| v == "true" || v == "1");
        Self {
            sfn: aws_sdk_sfn::Client::from_conf(
                aws_sdk_sfn::config::Builder::from(&config).interceptor(counter.clone()).build(),
            ),
            ecs: aws_sdk_ecs::Client::from_conf(
                aws_sdk_ecs::config::Builder::from(&config).interceptor(counter.clone()).build(),
            ),
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&config).force_path_style(path_style).interceptor(counter).build(),
            ),
        }
    }
}

/// Counts each transmitted request (so retries count too) by service and operation.
#[derive(Clone, Debug)]
struct CallCounter {
    metrics: Metrics,
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(labels) = call_labels(cfg) {
            self.metrics.aws_calls.get_or_create(&labels).inc();
        }
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        let error_type = response.headers().get("x-amzn-errortype").unwrap_or_default();
        if is_throttling(response.status().as_u16(), error_type)
            && let Some(labels) = call_labels(cfg)
        {
            self.metrics.aws_throttles.get_or_create(&labels).inc();
        }
        Ok(())
    }
}

/// The service and operation of the call in flight.
fn call_labels(cfg: &ConfigBag) -> Option<AwsCallLabels> {
    let metadata = cfg.load::<Metadata>()?;
    Some(AwsCallLabels { service: metadata.service().to_owned(), operation: metadata.name().to_owned() })
}

/// Whether an AWS answer says "slow down": HTTP 429, S3's 503 SlowDown, or a throttling error
/// type (JSON protocols name it in `x-amzn-ErrorType`).
fn is_throttling(status: u16, error_type: &str) -> bool {
    status == 429 || status == 503 || is_throttling_code(error_type)
}

/// A failed AWS call as a controller error, in words (service, operation, AWS's code and
/// message, or the network cause with the endpoint).
pub fn failed<E>(service: &'static str, operation: &'static str, error: &aws_sdk_sfn::error::SdkError<E>) -> Error
where
    E: aws_sdk_sfn::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    Error::Aws(AwsCallError::new(service, operation, configured_endpoint().as_deref(), error))
}

#[cfg(test)]
mod tests {
    use super::is_throttling;

    #[test]
    fn throttling_answers_are_recognised() {
        assert!(is_throttling(400, "ThrottlingException:http://internal.amazon.com/coral/"));
        assert!(is_throttling(429, ""));
        assert!(is_throttling(503, ""));
        assert!(!is_throttling(400, "ExecutionAlreadyExists"));
        assert!(!is_throttling(200, ""));
    }
}
