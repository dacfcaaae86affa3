//! Cold start: from spawning a server to its first correct `add` reply
//! (including the legacy handshake where the server needs one).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::http_load::HttpClient;
use crate::measure::Pinning;
use crate::phase::CallError;
use crate::servers::{self, ServerSpec, Transport};
use crate::stdio_load::StdioClient;

/// How long a server may take to start before the attempt counts as failed.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Spawns `spec` on `transport` once and times it to its first reply.
pub async fn time_once(
    spec: &ServerSpec,
    transport: Transport,
    pinning: &Pinning,
    log_dir: &Path,
) -> Result<Duration, String> {
    let started = Instant::now();
    let mut launched =
        servers::spawn(spec, transport, pinning, log_dir).map_err(|e| e.to_string())?;
    let result = match transport {
        Transport::Stdio => first_stdio_reply(&mut launched.child, spec).await,
        Transport::Http => {
            let addr = launched.addr.expect("an HTTP server has an address");
            first_http_reply(addr, spec).await
        }
    };
    let elapsed = started.elapsed();
    servers::stop(launched).await;
    result.map(|()| elapsed)
}

async fn first_stdio_reply(
    child: &mut tokio::process::Child,
    spec: &ServerSpec,
) -> Result<(), String> {
    // Written at once: the request waits in the pipe until the server reads it.
    let mut client = StdioClient::new(child, &spec.protocol)?;
    client.handshake().await?;
    client.call(1).await.map_err(CallError::message)
}

async fn first_http_reply(addr: std::net::SocketAddr, spec: &ServerSpec) -> Result<(), String> {
    let mut client =
        HttpClient::connect_when_up(addr, &spec.http_path, &spec.protocol, START_TIMEOUT).await?;
    client.call(1).await.map_err(CallError::message)
}
