//! Stdio load: JSON lines to a child's stdin, replies read from its stdout,
//! one call at a time or several in flight.

use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout};

use crate::phase::{self, CALL_TIMEOUT, CallError, Outcome, Plan};
use crate::protocol::{self, INITIALIZE_ID, INITIALIZED, Incoming, Protocol};

/// A client speaking to one server over its stdin/stdout.
pub struct StdioClient {
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    protocol: Protocol,
    line: Vec<u8>,
    out: Vec<u8>,
}

impl StdioClient {
    /// Takes over the piped stdin/stdout of `child`.
    pub fn new(child: &mut Child, protocol: &Protocol) -> Result<StdioClient, String> {
        let stdin = child
            .stdin
            .take()
            .ok_or("the server's stdin is not piped")?;
        let stdout = child
            .stdout
            .take()
            .ok_or("the server's stdout is not piped")?;
        Ok(StdioClient {
            stdin,
            stdout: BufReader::with_capacity(64 * 1024, stdout),
            protocol: protocol.clone(),
            line: Vec::with_capacity(512),
            out: Vec::with_capacity(16 * 1024),
        })
    }

    /// For a legacy server: `initialize`, its reply, `notifications/initialized`.
    pub async fn handshake(&mut self) -> Result<(), String> {
        let Some(initialize) = self.protocol.initialize() else {
            return Ok(());
        };
        self.send(initialize.as_bytes()).await?;
        loop {
            if let Incoming::Reply { id, .. } = self.receive().await? {
                if id != INITIALIZE_ID {
                    return Err(format!("reply to id {id} while initializing"));
                }
                protocol::negotiated_version(&self.line)?;
                break;
            }
        }
        self.send(INITIALIZED.as_bytes()).await
    }

    /// Writes one message and a newline.
    async fn send(&mut self, message: &[u8]) -> Result<(), String> {
        self.out.clear();
        self.out.extend_from_slice(message);
        self.out.push(b'\n');
        self.flush_out().await
    }

    async fn flush_out(&mut self) -> Result<(), String> {
        self.stdin
            .write_all(&self.out)
            .await
            .map_err(|e| format!("writing to the server: {e}"))
    }

    /// Reads the next line from the server and parses it.
    async fn receive(&mut self) -> Result<Incoming, String> {
        self.line.clear();
        let read =
            tokio::time::timeout(CALL_TIMEOUT, self.stdout.read_until(b'\n', &mut self.line))
                .await
                .map_err(|_| format!("no reply within {CALL_TIMEOUT:?}"))?
                .map_err(|e| format!("reading from the server: {e}"))?;
        if read == 0 {
            return Err("the server closed its stdout".into());
        }
        protocol::read_message(&self.line)
    }

    /// Whether a whole line is already buffered (reading it will not wait).
    fn line_buffered(&self) -> bool {
        self.stdout.buffer().contains(&b'\n')
    }

    /// Calls `add(a = id, b = 0.5)` and waits for and checks its reply.
    pub async fn call(&mut self, id: u64) -> Result<(), CallError> {
        self.out.clear();
        self.protocol.write_call(id, id, &mut self.out);
        self.out.push(b'\n');
        self.flush_out().await.map_err(CallError::Transport)?;
        loop {
            match self.receive().await.map_err(CallError::Transport)? {
                Incoming::Other => continue,
                Incoming::Reply { id: got, text } if got == id => {
                    return protocol::check_sum(id, id, text).map_err(CallError::Reply);
                }
                Incoming::Reply { id: got, .. } => {
                    return Err(CallError::Transport(format!(
                        "reply to id {got}, expected {id}"
                    )));
                }
            }
        }
    }

    /// One call at a time. Stops at the first transport failure.
    pub async fn sequential(&mut self, plan: Plan) -> Outcome {
        let mut outcome = Outcome::default();
        let started = Instant::now();
        let mut offset = 0;
        while plan.wants(offset, started) {
            let sent = Instant::now();
            match self.call(plan.first_id + offset).await {
                Ok(()) => outcome.latencies_ns.push(phase::nanos_since(sent)),
                Err(CallError::Reply(e)) => {
                    outcome.latencies_ns.push(phase::nanos_since(sent));
                    outcome.fail(e);
                }
                Err(CallError::Transport(e)) => {
                    outcome.fail(e);
                    break;
                }
            }
            offset += 1;
        }
        outcome.wall = started.elapsed();
        outcome.next_id = plan.first_id + offset + 1;
        outcome
    }

    /// Keeps `depth` calls in flight: writes as many new calls as replies
    /// came in, in one write, after reading every reply already buffered.
    pub async fn pipelined(&mut self, plan: Plan, depth: u64) -> Outcome {
        let mut outcome = Outcome::default();
        let started = Instant::now();
        let mut sent_at: Vec<Option<Instant>> = Vec::with_capacity(plan.requests as usize);
        let mut issued: u64 = 0;
        let mut in_flight: u64 = 0;
        'phase: loop {
            self.out.clear();
            let now = Instant::now();
            while in_flight < depth && plan.wants(issued, started) {
                self.protocol.write_call(
                    plan.first_id + issued,
                    plan.first_id + issued,
                    &mut self.out,
                );
                self.out.push(b'\n');
                sent_at.push(Some(now));
                issued += 1;
                in_flight += 1;
            }
            if !self.out.is_empty()
                && let Err(e) = self.flush_out().await
            {
                outcome.fail(e);
                break;
            }
            if in_flight == 0 {
                break;
            }
            loop {
                match self.receive().await {
                    Ok(Incoming::Other) => {}
                    Ok(Incoming::Reply { id, text }) => {
                        let slot = id
                            .checked_sub(plan.first_id)
                            .and_then(|offset| sent_at.get_mut(offset as usize))
                            .and_then(Option::take);
                        let Some(sent) = slot else {
                            outcome.fail(format!("unexpected reply to id {id}"));
                            break 'phase;
                        };
                        in_flight -= 1;
                        outcome.latencies_ns.push(phase::nanos_since(sent));
                        if let Err(e) = protocol::check_sum(id, id, text) {
                            outcome.fail(e);
                        }
                    }
                    Err(e) => {
                        outcome.fail(e);
                        break 'phase;
                    }
                }
                if !self.line_buffered() {
                    break;
                }
            }
        }
        outcome.wall = started.elapsed();
        outcome.next_id = plan.first_id + issued;
        outcome
    }
}
