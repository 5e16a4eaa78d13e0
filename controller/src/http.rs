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
            let mut buffer = [0u8; 2048];
            let Ok(n) = stream.read(&mut buffer).await else { return };
            let request = String::from_utf8_lossy(&buffer[..n]);
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
