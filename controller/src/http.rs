//! The controller's small HTTP endpoint: `/healthz` (the process serves), `/readyz` (the
//! controllers are running) and `/metrics` (Prometheus text format).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::metrics::Metrics;

/// Serves until the process ends.
pub async fn serve(listener: TcpListener, metrics: Metrics, ready: Arc<AtomicBool>) {
    info!(address = ?listener.local_addr().ok(), "serving /healthz, /readyz and /metrics");
    loop {
        let Ok((mut stream, _)) = listener.accept().await else { continue };
        let metrics = metrics.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            let Some(request) = read_head(&mut stream).await else { return };
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let (status, content_type, body) = match path {
                "/healthz" | "/livez" => ("200 OK", "text/plain", "ok".to_owned()),
                "/readyz" if ready.load(Ordering::Relaxed) => ("200 OK", "text/plain", "ok".to_owned()),
                "/readyz" => ("503 Service Unavailable", "text/plain", "starting".to_owned()),
                "/metrics" => {
                    ("200 OK", "application/openmetrics-text; version=1.0.0; charset=utf-8", metrics.encode())
                }
                _ => ("404 Not Found", "text/plain", "not found".to_owned()),
            };
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            if let Err(e) = stream.write_all(response.as_bytes()).await {
                warn!(error = %e, "could not answer an HTTP request");
            }
        });
    }
}

/// The request line and headers (up to 8 KiB); None when the peer went away first. Reading the
/// whole head before answering keeps the close clean (no reset over unread bytes).
async fn read_head(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(512);
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8192 {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}
