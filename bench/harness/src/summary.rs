//! The summary: each figure's median across rounds per server, and the
//! ratios between servers.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::build_time::BuildTimes;
use crate::figures;
use crate::report::ServerInfo;
use crate::runner::Run;
use crate::scenario::Scenario;
use crate::stats;

/// The server every ratio is taken against.
pub const BASELINE: &str = "baseline";
/// Our server.
pub const OURS: &str = "calculator";
/// The official SDK's server.
pub const RMCP: &str = "rmcp";

/// One figure of one scenario: each server's median across rounds, and ratios.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Scenario name, or `binary` / `build`.
    pub scenario: String,
    /// What is measured.
    pub figure: String,
    /// Key of the figure in the raw runs.
    pub key: String,
    /// `lower` or `higher` is better.
    pub better: &'static str,
    /// Median per server.
    pub values: BTreeMap<String, f64>,
    /// `a/b` ratios of those medians.
    pub ratios: BTreeMap<String, f64>,
}

impl Row {
    fn new(scenario: &str, label: &str, key: &str, better: &'static str) -> Row {
        Row {
            scenario: scenario.into(),
            figure: label.into(),
            key: key.into(),
            better,
            values: BTreeMap::new(),
            ratios: BTreeMap::new(),
        }
    }

    fn with_ratios(mut self) -> Row {
        for (a, b) in [(OURS, BASELINE), (RMCP, BASELINE), (OURS, RMCP)] {
            if let (Some(x), Some(y)) = (self.values.get(a), self.values.get(b))
                && *y != 0.0
            {
                self.ratios.insert(format!("{a}/{b}"), x / y);
            }
        }
        self
    }

    /// The ratio `a/b`, if both servers have a value.
    pub fn ratio(&self, a: &str, b: &str) -> Option<f64> {
        self.ratios.get(&format!("{a}/{b}")).copied()
    }
}

/// Which figures the tables show for a scenario: (label, key, better, scale).
fn figures_of(scenario: Scenario) -> Vec<(&'static str, &'static str, &'static str, f64)> {
    let load = [
        (
            "server CPU µs/req (/proc stat)",
            figures::CPU_US,
            "lower",
            1.0,
        ),
        (
            "server CPU µs/req (CPU clock)",
            figures::CPU_CLOCK_US,
            "lower",
            1.0,
        ),
        ("requests/s", figures::RPS, "higher", 1.0),
        ("p50 latency µs", figures::P50_US, "lower", 1.0),
        ("p99 latency µs", figures::P99_US, "lower", 1.0),
        (
            "load generator CPU µs/req",
            figures::CLIENT_CPU_US,
            "lower",
            1.0,
        ),
    ];
    let rss = ("peak RSS MiB", figures::PEAK_RSS_KIB, "lower", 1.0 / 1024.0);
    let cold = ("cold start ms", figures::COLD_START_MS, "lower", 1.0);
    match scenario {
        Scenario::Http1 | Scenario::StdioSeq => load.to_vec(),
        Scenario::Http32 | Scenario::Stdio16 => {
            let mut figures = load.to_vec();
            figures.push(rss);
            figures
        }
        Scenario::ColdStdio | Scenario::ColdHttp => vec![cold],
    }
}

/// Medians across rounds of every figure, binary sizes and compile times.
pub fn summarize(runs: &[Run], servers: &[ServerInfo], build: Option<&BuildTimes>) -> Vec<Row> {
    let mut rows = Vec::new();
    for scenario in Scenario::ALL {
        for (label, key, better, scale) in figures_of(scenario) {
            let mut row = Row::new(scenario.name(), label, key, better);
            for server in servers {
                let values: Vec<f64> = runs
                    .iter()
                    .filter(|r| r.scenario == scenario && r.server == server.name && !r.failed())
                    .filter_map(|r| r.figures.get(key).copied())
                    .collect();
                if let Some(median) = stats::median(&values) {
                    row.values.insert(server.name.clone(), median * scale);
                }
            }
            if !row.values.is_empty() {
                rows.push(row.with_ratios());
            }
        }
    }
    let mut size = Row::new("binary", "binary size MiB", "binary_bytes", "lower");
    for server in servers {
        if let Some(bytes) = server.binary_bytes {
            size.values
                .insert(server.name.clone(), bytes as f64 / (1024.0 * 1024.0));
        }
    }
    rows.push(size.with_ratios());
    if let Some(build) = build {
        for (label, key, pick) in [
            ("clean release build s", "clean_s", 0),
            ("incremental release rebuild s", "incremental_s", 1),
        ] {
            let mut row = Row::new("build", label, key, "lower");
            for (server, times) in &build.servers {
                let value = if pick == 0 {
                    times.clean_median_s
                } else {
                    times.incremental_median_s
                };
                if let Some(value) = value {
                    row.values.insert(server.clone(), value);
                }
            }
            rows.push(row.with_ratios());
        }
    }
    rows
}
