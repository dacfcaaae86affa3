//! The interleaved session: every round runs every scenario against every
//! server (in an order rotated each round), each run on a fresh server.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::cold_start;
use crate::driver::Driver;
use crate::figures;
use crate::measure::{self, CoreBusy, CpuDelta, CpuReading, Pinning};
use crate::phase::Plan;
use crate::scenario::{Scenario, Sizes};
use crate::servers::{self, Launched, ServerSpec};
use crate::stats;

/// One server in one scenario in one round.
#[derive(Debug, Serialize)]
pub struct Run {
    /// Round number, from 1.
    pub round: usize,
    /// What was run.
    pub scenario: Scenario,
    /// Which server.
    pub server: String,
    /// The run's figures (keys in [`figures`]).
    pub figures: BTreeMap<&'static str, f64>,
    /// Cold start: each spawn's time to first reply, in milliseconds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples_ms: Vec<f64>,
    /// Calls that failed.
    pub errors: u64,
    /// What went wrong, if anything did.
    pub error: Option<String>,
}

impl Run {
    /// Whether anything went wrong.
    pub fn failed(&self) -> bool {
        self.errors > 0 || self.error.is_some()
    }
}

/// What a run needs besides the server and the scenario.
pub struct Session<'a> {
    /// Run sizes.
    pub sizes: &'a Sizes,
    /// CPU pinning.
    pub pinning: &'a Pinning,
    /// Where server stderr goes.
    pub log_dir: &'a Path,
}

impl Session<'_> {
    /// Runs every round; `servers` rotate by one position each round.
    pub async fn run_all(&self, servers: &[ServerSpec]) -> Vec<Run> {
        let mut runs = Vec::new();
        for round in 1..=self.sizes.rounds {
            for scenario in Scenario::ALL {
                for i in 0..servers.len() {
                    let spec = &servers[(i + round - 1) % servers.len()];
                    let run = self.run(round, scenario, spec).await;
                    eprintln!("{}", figures::progress_line(&run, self.sizes.rounds));
                    runs.push(run);
                }
            }
        }
        runs
    }

    /// One run of `spec` in `scenario`.
    pub async fn run(&self, round: usize, scenario: Scenario, spec: &ServerSpec) -> Run {
        let mut run = Run {
            round,
            scenario,
            server: spec.name.clone(),
            figures: BTreeMap::new(),
            samples_ms: Vec::new(),
            errors: 0,
            error: None,
        };
        let result = if scenario.is_cold_start() {
            self.cold(scenario, spec, &mut run).await
        } else {
            self.load(scenario, spec, &mut run).await
        };
        if let Err(e) = result {
            run.error = Some(e);
        }
        run
    }

    async fn cold(
        &self,
        scenario: Scenario,
        spec: &ServerSpec,
        run: &mut Run,
    ) -> Result<(), String> {
        for _ in 0..self.sizes.cold_spawns {
            let took =
                cold_start::time_once(spec, scenario.transport(), self.pinning, self.log_dir)
                    .await?;
            run.samples_ms.push(took.as_secs_f64() * 1e3);
        }
        if let Some(median) = stats::median(&run.samples_ms) {
            run.figures.insert(figures::COLD_START_MS, median);
        }
        Ok(())
    }

    async fn load(
        &self,
        scenario: Scenario,
        spec: &ServerSpec,
        run: &mut Run,
    ) -> Result<(), String> {
        let mut launched = servers::spawn(spec, scenario.transport(), self.pinning, self.log_dir)
            .map_err(|e| e.to_string())?;
        let result = self.drive(scenario, spec, &mut launched, run).await;
        servers::stop(launched).await;
        result
    }

    async fn drive(
        &self,
        scenario: Scenario,
        spec: &ServerSpec,
        launched: &mut Launched,
        run: &mut Run,
    ) -> Result<(), String> {
        let mut driver = Driver::open(scenario, spec, launched, self.sizes).await?;
        let warmup = Plan {
            first_id: 1,
            requests: self.sizes.warmup(scenario),
            min_duration: self.sizes.min_warmup,
        };
        let warm = driver.phase(warmup).await;
        run.errors += warm.errors;
        if let Some(e) = warm.first_error {
            return Err(format!("warm-up: {e}"));
        }
        let plan = Plan {
            first_id: warm.next_id,
            requests: self.sizes.requests(scenario),
            min_duration: self.sizes.min_measured,
        };
        let pid = launched.pid;
        let reading = || CpuReading::of(pid).map_err(|e| format!("server CPU: {e}"));
        let own = || CpuReading::own().map_err(|e| format!("own CPU: {e}"));
        let cores = CoreBusy::read(self.pinning);
        let (server_before, own_before) = (reading()?, own()?);
        let measured = driver.phase(plan).await;
        let (server_after, own_after) = (reading()?, own()?);
        let cores = cores.and_then(|before| Some((before, CoreBusy::read(self.pinning)?)));
        let rss = measure::peak_rss_kib(pid).map_err(|e| format!("server RSS: {e}"))?;
        run.errors += measured.errors;
        let server = CpuDelta::between(server_before, server_after);
        let own = CpuDelta::between(own_before, own_after);
        figures::record(run, &measured, server, own, rss);
        if let Some((before, after)) = cores {
            figures::record_interference(run, measured.wall, (before, after), server, own);
        }
        match measured.first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
