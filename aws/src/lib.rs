//! What the controller and the worker share about AWS: the HTTPS client every SDK client sends
//! through ([`https_client`]) and failed calls in words ([`AwsCallError`]).

mod error;

pub use error::{AwsCallError, FailureClass, configured_endpoint, is_throttling_code};

use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// The HTTPS client of every AWS SDK client: hyper with rustls on *ring*, the crypto provider
/// the rest of the workspace (sqlx, kube) uses, so aws-lc is never built.
pub fn https_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https()
}
