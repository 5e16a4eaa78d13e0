//! The Kubernetes API side of the request tests: a `tower_test` mock that the reconcilers'
//! client talks to, answered request by request.

use http::{Request, Response, StatusCode};
use kube::client::Body;
use serde_json::Value;
use tower_test::mock::Handle;

/// The test's end of the mock API.
pub type ApiHandle = Handle<Request<Body>, Response<Body>>;

/// Answers the next request after `check` has looked at it (method, path and query, JSON body).
pub async fn answer(handle: &mut ApiHandle, check: impl FnOnce(&str, &str, Value), status: StatusCode, reply: Value) {
    let (request, send) = handle.next_request().await.expect("the reconciler sent no further request");
    let method = request.method().to_string();
    let uri = request.uri().to_string().trim_end_matches('?').to_owned();
    let bytes = request.into_body().collect_bytes().await.expect("a readable request body");
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("a JSON body") };
    check(&method, &uri, body);
    let response = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(&reply).expect("JSON")))
        .expect("a response");
    send.send_response(response);
}
