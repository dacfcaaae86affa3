//! The soak run: the calculator at saturation for minutes on end, over HTTP (32
//! connections) and over stdio (16 calls in flight), one transport after the other,
//! every reply checked, with the server's resident memory sampled as it goes.
//!
//! It passes when no call failed and the resident set stayed flat after the warm-up:
//! no sample more than [`MAX_GROWTH`] above the first one taken after it.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::driver::Driver;
use crate::measure::{self, Pinning};
use crate::phase::Plan;
use crate::scenario::{Scenario, Sizes};
use crate::servers::{self, ServerSpec};

/// How far the resident set may grow after the warm-up: 10 %.
pub const MAX_GROWTH: f64 = 0.10;

/// How long and how often.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SoakPlan {
    /// Length of each transport's run, in seconds.
    pub seconds_per_transport: u64,
    /// Seconds between two samples.
    pub sample_seconds: u64,
    /// Seconds of warm-up at the start of each run: sampled, but not held to the
    /// growth limit (allocators and caches settle).
    pub warmup_seconds: u64,
}

/// One sample of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// Seconds since the run started.
    pub at_s: f64,
    /// Calls answered since the previous sample.
    pub calls: u64,
    /// Calls that failed since the previous sample.
    pub errors: u64,
    /// Calls per second since the previous sample.
    pub calls_per_s: f64,
    /// The server's resident set now (`VmRSS`), KiB.
    pub rss_kib: u64,
}

/// One transport's run.
#[derive(Debug, Serialize)]
pub struct SoakRun {
    /// `http-32` or `stdio-16`.
    pub scenario: &'static str,
    /// Every sample, in order.
    pub samples: Vec<Sample>,
    /// Calls answered in all.
    pub calls: u64,
    /// Calls that failed in all.
    pub errors: u64,
    /// The first failure, if any.
    pub first_error: Option<String>,
    /// The first sample after the warm-up, KiB.
    pub rss_after_warmup_kib: Option<u64>,
    /// The highest sample after the warm-up, KiB.
    pub rss_max_kib: Option<u64>,
    /// `rss_max / rss_after_warmup - 1`.
    pub rss_growth: Option<f64>,
    /// The server's peak resident set (`VmHWM`) at the end, KiB.
    pub peak_rss_kib: Option<u64>,
    /// What stopped the run early, if anything did.
    pub error: Option<String>,
}

impl SoakRun {
    /// No failed call, no early stop, and the resident set flat after the warm-up.
    pub fn passed(&self) -> bool {
        self.errors == 0
            && self.error.is_none()
            && self.rss_growth.is_some_and(|growth| growth <= MAX_GROWTH)
    }
}

/// The whole soak.
#[derive(Debug, Serialize)]
pub struct SoakReport {
    /// When it started (UTC).
    pub started: String,
    /// `git describe` of the repository.
    pub git: Option<String>,
    /// The plan.
    pub plan: SoakPlan,
    /// The runs, HTTP first.
    pub runs: Vec<SoakRun>,
}

impl SoakReport {
    /// Whether every run passed.
    pub fn passed(&self) -> bool {
        !self.runs.is_empty() && self.runs.iter().all(SoakRun::passed)
    }

    /// The report as Markdown: one summary table, then each run's samples.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Soak run\n\n");
        let _ = writeln!(
            out,
            "- started {}, git {}\n- {} s per transport at saturation, a sample every {} s, \
             the first {} s warm-up; pass: 0 errors and resident set within {:.0} % of its \
             first sample after the warm-up\n",
            self.started,
            self.git.as_deref().unwrap_or("?"),
            self.plan.seconds_per_transport,
            self.plan.sample_seconds,
            self.plan.warmup_seconds,
            MAX_GROWTH * 100.0,
        );
        out.push_str(
            "| transport | calls | errors | calls/s | RSS after warm-up KiB | RSS max KiB | growth | peak RSS KiB | result |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
        );
        for run in &self.runs {
            let seconds = run.samples.last().map_or(0.0, |s| s.at_s);
            let rate = if seconds > 0.0 {
                run.calls as f64 / seconds
            } else {
                0.0
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} |",
                run.scenario,
                run.calls,
                run.errors,
                rate,
                show(run.rss_after_warmup_kib),
                show(run.rss_max_kib),
                run.rss_growth
                    .map_or("–".to_owned(), |g| format!("{:+.1} %", g * 100.0)),
                show(run.peak_rss_kib),
                if run.passed() { "pass" } else { "FAIL" },
            );
        }
        for run in &self.runs {
            let _ = writeln!(
                out,
                "\n## {}\n\n| s | calls | errors | calls/s | RSS KiB |\n|---:|---:|---:|---:|---:|",
                run.scenario
            );
            for sample in &run.samples {
                let _ = writeln!(
                    out,
                    "| {:.0} | {} | {} | {:.0} | {} |",
                    sample.at_s, sample.calls, sample.errors, sample.calls_per_s, sample.rss_kib
                );
            }
            if let Some(error) = run.first_error.as_ref().or(run.error.as_ref()) {
                let _ = writeln!(out, "\nfirst failure: {error}");
            }
        }
        out
    }
}

fn show(value: Option<u64>) -> String {
    value.map_or("–".to_owned(), |v| v.to_string())
}

/// Runs the calculator through `plan` over HTTP, then over stdio.
pub async fn run(
    spec: &ServerSpec,
    plan: SoakPlan,
    pinning: &Pinning,
    log_dir: &Path,
) -> Vec<SoakRun> {
    let sizes = Sizes::full();
    let mut runs = Vec::new();
    for scenario in [Scenario::Http32, Scenario::Stdio16] {
        let run = soak_one(spec, scenario, plan, &sizes, pinning, log_dir).await;
        eprintln!(
            "soak {}: {} calls, {} errors, RSS growth {}",
            run.scenario,
            run.calls,
            run.errors,
            run.rss_growth
                .map_or("–".to_owned(), |g| format!("{:+.1} %", g * 100.0))
        );
        runs.push(run);
    }
    runs
}

async fn soak_one(
    spec: &ServerSpec,
    scenario: Scenario,
    plan: SoakPlan,
    sizes: &Sizes,
    pinning: &Pinning,
    log_dir: &Path,
) -> SoakRun {
    let mut run = SoakRun {
        scenario: scenario.name(),
        samples: Vec::new(),
        calls: 0,
        errors: 0,
        first_error: None,
        rss_after_warmup_kib: None,
        rss_max_kib: None,
        rss_growth: None,
        peak_rss_kib: None,
        error: None,
    };
    let mut launched = match servers::spawn(spec, scenario.transport(), pinning, log_dir) {
        Ok(launched) => launched,
        Err(e) => {
            run.error = Some(e.to_string());
            return run;
        }
    };
    let pid = launched.pid;
    let result = async {
        let mut driver = Driver::open(scenario, spec, &mut launched, sizes).await?;
        let started = Instant::now();
        let total = Duration::from_secs(plan.seconds_per_transport);
        let sample = Duration::from_secs(plan.sample_seconds.max(1));
        let mut next_id = 1;
        while started.elapsed() < total {
            let outcome = driver
                .phase(Plan {
                    first_id: next_id,
                    requests: 0,
                    min_duration: sample,
                })
                .await;
            next_id = outcome.next_id;
            let rss_kib = measure::rss_kib(pid).map_err(|e| format!("server RSS: {e}"))?;
            let calls = outcome.answered();
            run.calls += calls;
            run.errors += outcome.errors;
            if run.first_error.is_none() {
                run.first_error = outcome.first_error;
            }
            let wall = outcome.wall.as_secs_f64();
            run.samples.push(Sample {
                at_s: started.elapsed().as_secs_f64(),
                calls,
                errors: outcome.errors,
                calls_per_s: if wall > 0.0 { calls as f64 / wall } else { 0.0 },
                rss_kib,
            });
            eprintln!(
                "soak {} {:>4.0} s: {:>8} calls {:>3} errors  RSS {} KiB",
                scenario.name(),
                started.elapsed().as_secs_f64(),
                calls,
                outcome.errors,
                rss_kib
            );
        }
        Ok::<(), String>(())
    }
    .await;
    if let Err(e) = result {
        run.error = Some(e);
    }
    run.peak_rss_kib = measure::peak_rss_kib(pid).ok();
    servers::stop(launched).await;
    let settled: Vec<u64> = run
        .samples
        .iter()
        .filter(|s| s.at_s > plan.warmup_seconds as f64)
        .map(|s| s.rss_kib)
        .collect();
    if let (Some(&first), Some(&max)) = (settled.first(), settled.iter().max()) {
        run.rss_after_warmup_kib = Some(first);
        run.rss_max_kib = Some(max);
        run.rss_growth = Some(max as f64 / first as f64 - 1.0);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(rss: &[u64], errors: u64) -> SoakRun {
        SoakRun {
            scenario: "stdio-16",
            samples: Vec::new(),
            calls: 10,
            errors,
            first_error: None,
            rss_after_warmup_kib: rss.first().copied(),
            rss_max_kib: rss.iter().max().copied(),
            rss_growth: rss
                .first()
                .zip(rss.iter().max())
                .map(|(&first, &max)| max as f64 / first as f64 - 1.0),
            peak_rss_kib: None,
            error: None,
        }
    }

    #[test]
    fn a_run_passes_only_without_errors_and_with_a_flat_resident_set() {
        assert!(run_with(&[5000, 5200, 5400], 0).passed());
        assert!(!run_with(&[5000, 5600], 0).passed(), "12 % growth");
        assert!(!run_with(&[5000, 5000], 1).passed(), "an error");
        assert!(!run_with(&[], 0).passed(), "no sample after the warm-up");
    }
}
