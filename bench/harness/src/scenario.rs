//! The scenarios each server goes through, and how big each one is.

use std::time::Duration;

use serde::Serialize;

use crate::servers::Transport;

/// One kind of run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Scenario {
    /// HTTP, one connection, one call at a time.
    #[serde(rename = "http-1")]
    Http1,
    /// HTTP, many keep-alive connections, each one call at a time.
    #[serde(rename = "http-32")]
    Http32,
    /// stdio, one call at a time.
    #[serde(rename = "stdio-seq")]
    StdioSeq,
    /// stdio, several calls in flight.
    #[serde(rename = "stdio-16")]
    Stdio16,
    /// Spawn to first reply on stdio.
    #[serde(rename = "cold-stdio")]
    ColdStdio,
    /// Spawn to first reply on HTTP.
    #[serde(rename = "cold-http")]
    ColdHttp,
}

impl Scenario {
    /// Every scenario, in the order a round runs them.
    pub const ALL: [Scenario; 6] = [
        Scenario::Http1,
        Scenario::Http32,
        Scenario::StdioSeq,
        Scenario::Stdio16,
        Scenario::ColdStdio,
        Scenario::ColdHttp,
    ];

    /// Name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Http1 => "http-1",
            Scenario::Http32 => "http-32",
            Scenario::StdioSeq => "stdio-seq",
            Scenario::Stdio16 => "stdio-16",
            Scenario::ColdStdio => "cold-stdio",
            Scenario::ColdHttp => "cold-http",
        }
    }

    /// The transport the server is started on.
    pub fn transport(self) -> Transport {
        match self {
            Scenario::Http1 | Scenario::Http32 | Scenario::ColdHttp => Transport::Http,
            Scenario::StdioSeq | Scenario::Stdio16 | Scenario::ColdStdio => Transport::Stdio,
        }
    }

    /// Whether this is a cold-start scenario (no load phases).
    pub fn is_cold_start(self) -> bool {
        matches!(self, Scenario::ColdStdio | Scenario::ColdHttp)
    }
}

/// How big the runs are.
#[derive(Debug, Clone, Serialize)]
pub struct Sizes {
    /// Rounds (every scenario × every server once per round).
    pub rounds: usize,
    /// Measured calls for http-1.
    pub http1_requests: u64,
    /// Measured calls for http-32.
    pub http32_requests: u64,
    /// Measured calls for stdio-seq.
    pub stdio_seq_requests: u64,
    /// Measured calls for stdio-16.
    pub stdio16_requests: u64,
    /// Warm-up calls, as a fraction of the measured calls.
    pub warmup_fraction: f64,
    /// A warm-up goes on for at least this long, whatever its count.
    #[serde(rename = "min_warmup_s", serialize_with = "as_secs")]
    pub min_warmup: Duration,
    /// A measured phase goes on for at least this long, whatever its count.
    #[serde(rename = "min_measured_s", serialize_with = "as_secs")]
    pub min_measured: Duration,
    /// Connections in http-32.
    pub http_connections: usize,
    /// Calls in flight in stdio-16.
    pub stdio_depth: u64,
    /// Spawns per cold-start scenario per round.
    pub cold_spawns: usize,
}

fn as_secs<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

impl Sizes {
    /// The default: five rounds; each measured phase lasts 1.5 s (or its
    /// call count, if that takes longer), after a warm-up of at least 0.25 s.
    pub fn full() -> Sizes {
        Sizes {
            rounds: 5,
            http1_requests: 2_000,
            http32_requests: 5_000,
            stdio_seq_requests: 3_000,
            stdio16_requests: 10_000,
            warmup_fraction: 0.1,
            min_warmup: Duration::from_millis(250),
            min_measured: Duration::from_millis(1500),
            http_connections: 32,
            stdio_depth: 16,
            cold_spawns: 3,
        }
    }

    /// One short round: checks everything works, measures little.
    pub fn quick() -> Sizes {
        Sizes {
            rounds: 1,
            http1_requests: 300,
            http32_requests: 1_000,
            stdio_seq_requests: 300,
            stdio16_requests: 1_000,
            warmup_fraction: 0.1,
            min_warmup: Duration::ZERO,
            min_measured: Duration::ZERO,
            http_connections: 32,
            stdio_depth: 16,
            cold_spawns: 1,
        }
    }

    /// Multiplies every measured count by `factor`.
    pub fn scaled(mut self, factor: f64) -> Sizes {
        let scale = |n: u64| ((n as f64 * factor).round() as u64).max(1);
        self.http1_requests = scale(self.http1_requests);
        self.http32_requests = scale(self.http32_requests);
        self.stdio_seq_requests = scale(self.stdio_seq_requests);
        self.stdio16_requests = scale(self.stdio16_requests);
        self
    }

    /// Measured calls for `scenario` (0 for cold starts).
    pub fn requests(&self, scenario: Scenario) -> u64 {
        match scenario {
            Scenario::Http1 => self.http1_requests,
            Scenario::Http32 => self.http32_requests,
            Scenario::StdioSeq => self.stdio_seq_requests,
            Scenario::Stdio16 => self.stdio16_requests,
            Scenario::ColdStdio | Scenario::ColdHttp => 0,
        }
    }

    /// Warm-up calls for `scenario`.
    pub fn warmup(&self, scenario: Scenario) -> u64 {
        (self.requests(scenario) as f64 * self.warmup_fraction).ceil() as u64
    }
}
