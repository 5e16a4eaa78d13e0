//! What the controller and the worker share about AWS: the HTTPS client every SDK client sends
//! through ([`https_client`]) and failed calls in words ([`AwsCallError`]).

mod error;

/// The trait that reads AWS's code and message from a failed call, for code that words failures
/// of several services alike.
pub use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use error::{AwsCallError, FailureClass, configured_endpoint, is_throttling_code};

/// The error of a call of any SDK client (each SDK's own `SdkError<E>`).
pub type SdkError<E> =
    aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>;

use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// The HTTPS client of every AWS SDK client: hyper with rustls on *ring*, the crypto provider
/// the rest of the workspace (sqlx, kube) uses, so aws-lc is never built.
pub fn https_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https()
}
