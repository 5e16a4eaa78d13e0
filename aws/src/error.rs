//! A failed AWS SDK call in words: which service and operation, and what went wrong, as a
//! sentence a user can act on — AWS's error code and message, or the network cause (connection
//! refused, name not resolved, timed out) with the endpoint — never a Rust `Debug` dump. The
//! controller puts these messages into conditions and Events, the worker into its error line and
//! task result.

use std::error::Error;
use std::fmt;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// What kind of failure a call met; decides the wording and whether a retry may help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// The endpoint could not be reached (refused, unresolvable, TLS, reset).
    Unreachable,
    /// No answer in time.
    TimedOut,
    /// AWS refused the credentials or the permission.
    AccessDenied,
    /// AWS asked the caller to slow down, after the SDK's own retries.
    Throttled,
    /// The named resource does not exist.
    NotFound,
    /// An answer came that the SDK could not read (not AWS, or a broken proxy).
    Malformed,
    /// Any other error AWS answered with.
    Service,
    /// The request could not be built (a bug or a bad configuration).
    Request,
}

impl FailureClass {
    /// Whether trying the same call again later may succeed.
    pub fn is_transient(self) -> bool {
        matches!(self, Self::Unreachable | Self::TimedOut | Self::Throttled | Self::Malformed)
    }
}

/// A failed AWS call, displayed as `<service> <operation>: <what happened>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCallError {
    /// Service, e.g. `Step Functions`.
    pub service: &'static str,
    /// Operation, e.g. `StartExecution`.
    pub operation: &'static str,
    /// AWS's error code, when AWS answered with one.
    pub code: Option<String>,
    /// The failure class.
    pub class: FailureClass,
    /// What happened, in words (AWS's message, or the network cause with the endpoint).
    pub detail: String,
}

impl fmt::Display for AwsCallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.service, self.operation, self.detail)
    }
}

impl Error for AwsCallError {}

impl AwsCallError {
    /// Describes `error` of `service`'s `operation`; `endpoint` is the URL the client was pointed
    /// at (`AWS_ENDPOINT_URL`), when not AWS's regional one.
    pub fn new<E>(
        service: &'static str,
        operation: &'static str,
        endpoint: Option<&str>,
        error: &SdkError<E, HttpResponse>,
    ) -> Self
    where
        E: ProvideErrorMetadata + Error + 'static,
    {
        let at = match endpoint {
            Some(url) => url.to_owned(),
            None => format!("the {service} endpoint"),
        };
        let (class, code, detail) = match error {
            SdkError::ServiceError(e) => {
                let err = e.err();
                let code = err.code().map(str::to_owned);
                let message = err.message().map(str::to_owned).unwrap_or_else(|| innermost(err));
                let status = e.raw().status().as_u16();
                let class = service_class(status, code.as_deref());
                let said = match &code {
                    Some(c) => format!("{c}: {message}"),
                    None => format!("HTTP {status}: {message}"),
                };
                let detail = match class {
                    FailureClass::Malformed => format!(
                        "the answer from {at} (HTTP {status}) could not be read: {message}; is the endpoint an AWS \
                         {service} endpoint?"
                    ),
                    FailureClass::AccessDenied => {
                        format!("access denied ({said}); grant this call to the role the credentials belong to")
                    }
                    FailureClass::Throttled => {
                        format!("AWS throttled the call ({said}) after the SDK's retries; lower the request rate")
                    }
                    _ => said,
                };
                (class, code, detail)
            }
            SdkError::DispatchFailure(e) => match e.as_connector_error() {
                Some(c) if c.is_timeout() => {
                    (FailureClass::TimedOut, None, format!("no connection to {at} in time: {}", innermost(c)))
                }
                Some(c) => (FailureClass::Unreachable, None, format!("cannot reach {at}: {}", innermost(c))),
                None => (FailureClass::Unreachable, None, format!("cannot reach {at}: {}", cause(error))),
            },
            SdkError::TimeoutError(_) => {
                (FailureClass::TimedOut, None, format!("no answer from {at} in time: {}", cause(error)))
            }
            SdkError::ResponseError(e) => (
                FailureClass::Malformed,
                None,
                format!(
                    "the answer from {at} (HTTP {}) could not be read: {}; is the endpoint an AWS {service} endpoint?",
                    e.raw().status().as_u16(),
                    cause(error)
                ),
            ),
            SdkError::ConstructionFailure(_) => {
                (FailureClass::Request, None, format!("the request could not be built: {}", cause(error)))
            }
            _ => (FailureClass::Service, None, cause(error)),
        };
        Self { service, operation, code, class, detail }
    }

    /// Whether trying the same call again later may succeed.
    pub fn is_transient(&self) -> bool {
        self.class.is_transient()
    }
}

/// The endpoint the SDK clients of this process are pointed at through `AWS_ENDPOINT_URL`
/// (emulators, VPC endpoints); `None` means AWS's regional endpoints.
pub fn configured_endpoint() -> Option<String> {
    std::env::var("AWS_ENDPOINT_URL").ok().filter(|url| !url.is_empty())
}

/// Whether an AWS error code (or a JSON protocol's `x-amzn-ErrorType`) says "slow down".
pub fn is_throttling_code(code: &str) -> bool {
    ["Throttl", "TooManyRequests", "RequestLimitExceeded", "SlowDown"].iter().any(|word| code.contains(word))
}

/// The class of an error AWS answered with, from its HTTP status and error code.
fn service_class(status: u16, code: Option<&str>) -> FailureClass {
    let code = code.unwrap_or_default();
    let has = |words: &[&str]| words.iter().any(|w| code.contains(w));
    if status == 429 || is_throttling_code(code) {
        FailureClass::Throttled
    } else if status == 403
        || has(&["AccessDenied", "UnauthorizedOperation", "NotAuthorized", "InvalidClientTokenId", "ExpiredToken"])
        || code == "UnrecognizedClientException"
        || code == "InvalidSignatureException"
        || code == "SignatureDoesNotMatch"
    {
        FailureClass::AccessDenied
    } else if status == 404 || has(&["NotFound", "DoesNotExist", "NoSuch"]) {
        FailureClass::NotFound
    } else if status >= 500 {
        FailureClass::Unreachable
    } else if code.is_empty() && status < 400 {
        // A success status the SDK could not parse: not an AWS answer.
        FailureClass::Malformed
    } else {
        FailureClass::Service
    }
}

/// What caused `error`, below the SDK's own one-word summary ("dispatch failure", ...).
fn cause(error: &(dyn Error + 'static)) -> String {
    error.source().map(innermost).unwrap_or_else(|| error.to_string())
}

/// The most specific description in an error's source chain, in the words of the error that
/// knows best (an I/O error's "Connection refused (os error 111)", a resolver's "Name or service
/// not known"), prefixed with its parent's where the innermost one alone says little.
fn innermost(error: &(dyn Error + 'static)) -> String {
    let mut chain: Vec<String> = Vec::new();
    let mut current: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !chain.last().is_some_and(|last| last.contains(&text)) {
            chain.push(text);
        }
        current = e.source();
    }
    match chain.as_slice() {
        [] => "no details given".to_owned(),
        [only] => only.clone(),
        [.., parent, last] if last.len() < 24 => format!("{parent}: {last}"),
        [.., last] => last.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_from_status_and_code() {
        assert_eq!(service_class(400, Some("ThrottlingException")), FailureClass::Throttled);
        assert_eq!(service_class(429, None), FailureClass::Throttled);
        assert_eq!(service_class(400, Some("AccessDeniedException")), FailureClass::AccessDenied);
        assert_eq!(service_class(403, None), FailureClass::AccessDenied);
        assert_eq!(service_class(400, Some("StateMachineDoesNotExist")), FailureClass::NotFound);
        assert_eq!(service_class(404, Some("NoSuchBucket")), FailureClass::NotFound);
        assert_eq!(service_class(400, Some("InvalidArn")), FailureClass::Service);
        assert_eq!(service_class(503, None), FailureClass::Unreachable);
        assert_eq!(service_class(200, None), FailureClass::Malformed);
        assert!(FailureClass::Throttled.is_transient() && !FailureClass::AccessDenied.is_transient());
    }
}
