//! The client side of a load run: the connections (or the pipe) to one
//! server, and running a phase of calls over them.

use std::time::Duration;

use crate::http_load::{self, HttpClient};
use crate::phase::{Outcome, Plan};
use crate::scenario::{Scenario, Sizes};
use crate::servers::{Launched, ServerSpec, Transport};
use crate::stdio_load::StdioClient;

/// How long a server may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The client side of a load run.
pub enum Driver {
    /// HTTP keep-alive connections.
    Http(Vec<HttpClient>),
    /// The server's stdin/stdout, with the calls to keep in flight.
    Stdio(StdioClient, u64),
}

impl Driver {
    /// Connects (and does any handshake).
    pub async fn open(
        scenario: Scenario,
        spec: &ServerSpec,
        launched: &mut Launched,
        sizes: &Sizes,
    ) -> Result<Driver, String> {
        match scenario.transport() {
            Transport::Http => {
                let addr = launched.addr.expect("an HTTP server has an address");
                let connections = if scenario == Scenario::Http32 {
                    sizes.http_connections
                } else {
                    1
                };
                let (path, protocol) = (&spec.http_path, &spec.protocol);
                let first =
                    HttpClient::connect_when_up(addr, path, protocol, START_TIMEOUT).await?;
                let mut clients = vec![first];
                clients
                    .extend(http_load::connect_all(addr, path, protocol, connections - 1).await?);
                Ok(Driver::Http(clients))
            }
            Transport::Stdio => {
                let mut client = StdioClient::new(&mut launched.child, &spec.protocol)?;
                client.handshake().await?;
                let depth = if scenario == Scenario::Stdio16 {
                    sizes.stdio_depth
                } else {
                    1
                };
                Ok(Driver::Stdio(client, depth))
            }
        }
    }

    /// Runs one phase.
    pub async fn phase(&mut self, plan: Plan) -> Outcome {
        match self {
            Driver::Http(clients) => {
                let (back, outcome) = http_load::closed_loop(std::mem::take(clients), plan).await;
                *clients = back;
                outcome
            }
            Driver::Stdio(client, 1) => client.sequential(plan).await,
            Driver::Stdio(client, depth) => client.pipelined(plan, *depth).await,
        }
    }
}
