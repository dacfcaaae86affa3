//! The figures of a run: their keys in the JSON, and how they are computed
//! from what a measured phase observed.

use crate::measure::{self, CoreBusy, CpuDelta};
use crate::phase::Outcome;
use crate::runner::Run;
use crate::stats;

/// Calls answered in the measured phase.
pub const REQUESTS: &str = "requests";
/// Length of the measured phase, in seconds.
pub const WALL_S: &str = "wall_s";
/// Calls answered per second of the measured phase.
pub const RPS: &str = "requests_per_s";
/// Median latency, µs.
pub const P50_US: &str = "p50_us";
/// 99th percentile latency, µs.
pub const P99_US: &str = "p99_us";
/// Server CPU per call from `/proc/PID/stat` utime+stime, µs.
pub const CPU_US: &str = "server_cpu_us_per_req";
/// Server CPU per call from the process CPU clock (ns resolution), µs.
pub const CPU_CLOCK_US: &str = "server_cpu_clock_us_per_req";
/// Load generator CPU per call (the harness process), µs.
pub const CLIENT_CPU_US: &str = "client_cpu_us_per_req";
/// Peak RSS (`VmHWM`) at the end of the run, KiB.
pub const PEAK_RSS_KIB: &str = "peak_rss_kib";
/// Other processes' share of the server's CPU during the measured phase, %.
pub const OTHER_ON_SERVER_CPU_PCT: &str = "other_load_on_server_cpu_pct";
/// Other processes' share of the load generator's CPU during the measured phase, %.
pub const OTHER_ON_CLIENT_CPU_PCT: &str = "other_load_on_client_cpu_pct";
/// Median time from spawn to the first correct reply, ms.
pub const COLD_START_MS: &str = "cold_start_ms";

/// Records a load run's figures: the measured phase's `outcome`, the CPU the
/// server and the load generator used during it, and the server's peak RSS.
pub fn record(run: &mut Run, outcome: &Outcome, server: CpuDelta, own: CpuDelta, rss_kib: u64) {
    let answered = outcome.answered().max(1) as f64;
    let mut latencies = outcome.latencies_ns.clone();
    latencies.sort_unstable();
    let micros = |ns: Option<u64>| ns.map_or(f64::NAN, |ns| ns as f64 / 1e3);
    let figures = &mut run.figures;
    figures.insert(REQUESTS, outcome.answered() as f64);
    figures.insert(WALL_S, outcome.wall.as_secs_f64());
    figures.insert(RPS, outcome.answered() as f64 / outcome.wall.as_secs_f64());
    figures.insert(P50_US, micros(stats::percentile(&latencies, 50.0)));
    figures.insert(P99_US, micros(stats::percentile(&latencies, 99.0)));
    figures.insert(CPU_US, server.stat_us / answered);
    if let Some(clock_us) = server.clock_us {
        figures.insert(CPU_CLOCK_US, clock_us / answered);
    }
    let own_us = own.clock_us.unwrap_or(own.stat_us);
    figures.insert(CLIENT_CPU_US, own_us / answered);
    figures.insert(PEAK_RSS_KIB, rss_kib as f64);
}

/// Records how much of the pinned CPUs' busy time during the measured phase
/// (`wall`) was not the server's (`server`) or the load generator's (`own`).
pub fn record_interference(
    run: &mut Run,
    wall: std::time::Duration,
    (before, after): (CoreBusy, CoreBusy),
    server: CpuDelta,
    own: CpuDelta,
) {
    let wall_us = wall.as_secs_f64() * 1e6;
    let tick_us = 1e6 / measure::clock_ticks_per_sec() as f64;
    let other =
        |busy: u64, ours_us: f64| (busy as f64 * tick_us - ours_us).max(0.0) / wall_us * 1e2;
    run.figures.insert(
        OTHER_ON_SERVER_CPU_PCT,
        other(after.server.saturating_sub(before.server), server.stat_us),
    );
    run.figures.insert(
        OTHER_ON_CLIENT_CPU_PCT,
        other(after.client.saturating_sub(before.client), own.stat_us),
    );
}

/// One line about a finished run, for the terminal.
pub fn progress_line(run: &Run, rounds: usize) -> String {
    let get = |key| run.figures.get(key).copied().unwrap_or(f64::NAN);
    let head = format!(
        "[round {}/{rounds}] {:<10} {:<10}",
        run.round,
        run.scenario.name(),
        run.server
    );
    let body = if run.scenario.is_cold_start() {
        format!("cold start {:.2} ms", get(COLD_START_MS))
    } else {
        format!(
            "{:>8.0} req/s  cpu {:>6.2} µs/req  p50 {:>7.1} µs  p99 {:>7.1} µs  rss {:>5.1} MiB  other load {:>3.0}%/{:>3.0}%",
            get(RPS),
            get(CPU_US),
            get(P50_US),
            get(P99_US),
            get(PEAK_RSS_KIB) / 1024.0,
            get(OTHER_ON_SERVER_CPU_PCT),
            get(OTHER_ON_CLIENT_CPU_PCT),
        )
    };
    match &run.error {
        Some(e) => format!("{head} FAILED ({} errors): {e}", run.errors),
        None => format!("{head} {body}"),
    }
}
