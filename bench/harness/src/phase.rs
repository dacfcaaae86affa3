//! A phase of load (warm-up or measured): how many calls it makes and what it
//! observed.

use std::time::{Duration, Instant};

/// How long a phase goes on.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The id (and first addend) of the phase's first call; later calls count up.
    pub first_id: u64,
    /// Calls to make at least.
    pub requests: u64,
    /// Keep making calls until at least this much time has passed too.
    pub min_duration: Duration,
}

impl Plan {
    /// Whether the call with offset `issued` (0-based) in the phase is still due.
    pub fn wants(&self, issued: u64, started: Instant) -> bool {
        issued < self.requests || started.elapsed() < self.min_duration
    }
}

/// What a phase observed.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Latency of every answered call, in nanoseconds.
    pub latencies_ns: Vec<u64>,
    /// Calls that failed (bad reply, error reply, timeout, broken transport).
    pub errors: u64,
    /// The first failure, to show.
    pub first_error: Option<String>,
    /// From the phase's first call to its last reply.
    pub wall: Duration,
    /// An id above every id the phase used (where the next phase can start).
    pub next_id: u64,
}

impl Outcome {
    /// Records one failed call.
    pub fn fail(&mut self, error: String) {
        self.errors += 1;
        self.first_error.get_or_insert(error);
    }

    /// Calls answered (correctly or not).
    pub fn answered(&self) -> u64 {
        self.latencies_ns.len() as u64
    }

    /// Adds another worker's observations (its wall time is ignored).
    pub fn absorb(&mut self, other: Outcome) {
        self.latencies_ns.extend(other.latencies_ns);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// A phase's call timeout: a call not answered in this time counts as failed.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Nanoseconds since `start`, saturating.
pub fn nanos_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Why a call failed.
#[derive(Debug)]
pub enum CallError {
    /// The connection is unusable (closed, reset, timed out).
    Transport(String),
    /// The server answered, wrongly.
    Reply(String),
}

impl CallError {
    /// What went wrong.
    pub fn message(self) -> String {
        match self {
            CallError::Transport(e) | CallError::Reply(e) => e,
        }
    }
}
