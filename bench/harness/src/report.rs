//! The report: the conditions, the summary and every run, written as JSON
//! (everything, raw runs included) and as Markdown tables.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::build_time::BuildTimes;
use crate::figures;
use crate::runner::Run;
use crate::scenario::Sizes;
use crate::stats;
use crate::summary::{BASELINE, OURS, RMCP, Row};

/// Everything one invocation measured.
#[derive(Debug, Serialize)]
pub struct Report {
    /// When, where and how.
    pub meta: Meta,
    /// The servers, with their binary sizes.
    pub servers: Vec<ServerInfo>,
    /// Medians across rounds, with ratios.
    pub summary: Vec<Row>,
    /// Compile times, when measured.
    pub build_time: Option<BuildTimes>,
    /// Every run, raw.
    pub runs: Vec<Run>,
    /// What went wrong (empty when all went well).
    pub failures: Vec<String>,
}

/// The conditions of a benchmark session.
#[derive(Debug, Serialize)]
pub struct Meta {
    /// Start time, UTC, RFC 3339.
    pub started: String,
    /// The harness's arguments.
    pub command: Vec<String>,
    /// Whether this was the short `--quick` session.
    pub quick: bool,
    /// Run sizes.
    pub sizes: Option<Sizes>,
    /// CPU the servers were pinned to.
    pub server_cpu: Option<usize>,
    /// CPU the load generator was pinned to.
    pub client_cpu: Option<usize>,
    /// CPUs available at start.
    pub cpus: Vec<usize>,
    /// `/proc/PID/stat` clock ticks per second.
    pub clock_ticks_per_sec: u64,
    /// 1-minute load average before the session started.
    pub load_average_at_start: Option<f64>,
    /// CPU model.
    pub cpu_model: Option<String>,
    /// Kernel release.
    pub kernel: Option<String>,
    /// `git describe --always --dirty` of the repository.
    pub git: Option<String>,
}

/// One server under test.
#[derive(Debug, Serialize)]
pub struct ServerInfo {
    /// Name in reports.
    pub name: String,
    /// Its binary.
    pub binary: PathBuf,
    /// How the harness talks to it.
    pub protocol: String,
    /// Binary size in bytes (absent when the binary is missing).
    pub binary_bytes: Option<u64>,
    /// Why it was left out, if it was.
    pub skipped: Option<String>,
}

impl Report {
    /// Whether nothing failed.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// Writes `<dir>/<stem>.json` and `<dir>/<stem>.md`; returns the Markdown.
    pub fn write(&self, dir: &Path, stem: &str) -> std::io::Result<String> {
        std::fs::create_dir_all(dir)?;
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{stem}.json")), json + "\n")?;
        let markdown = self.markdown();
        std::fs::write(dir.join(format!("{stem}.md")), &markdown)?;
        Ok(markdown)
    }

    fn row(&self, scenario: &str, key: &str) -> Option<&Row> {
        self.summary
            .iter()
            .find(|r| r.scenario == scenario && r.key == key)
    }

    /// The report as Markdown.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let meta = &self.meta;
        let _ = writeln!(md, "# MCP server benchmark\n");
        let _ = writeln!(
            md,
            "- started {} ({}), git {}",
            meta.started,
            if meta.quick { "quick" } else { "full" },
            meta.git.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            md,
            "- {} · kernel {} · CPUs {:?}; servers on CPU {}, load generator on CPU {}",
            meta.cpu_model.as_deref().unwrap_or("unknown CPU"),
            meta.kernel.as_deref().unwrap_or("?"),
            meta.cpus,
            pin(meta.server_cpu),
            pin(meta.client_cpu),
        );
        if let Some(sizes) = &meta.sizes {
            let _ = writeln!(
                md,
                "- {} round(s), interleaved; medians across rounds; measured calls per run: \
                 http-1 {}, http-32 {} ({} connections), stdio-seq {}, stdio-16 {} ({} in flight), \
                 at least {:.1} s each; {} spawn(s) per cold start run",
                sizes.rounds,
                sizes.http1_requests,
                sizes.http32_requests,
                sizes.http_connections,
                sizes.stdio_seq_requests,
                sizes.stdio16_requests,
                sizes.stdio_depth,
                sizes.min_measured.as_secs_f64(),
                sizes.cold_spawns,
            );
        }
        if let Some(noise) = self.noise() {
            let _ = writeln!(md, "- {noise}");
        }
        for server in &self.servers {
            let _ = writeln!(
                md,
                "- {}: `{}` ({}){}",
                server.name,
                server.binary.display(),
                server.protocol,
                server
                    .skipped
                    .as_ref()
                    .map(|why| format!(" — SKIPPED: {why}"))
                    .unwrap_or_default()
            );
        }
        if meta.quick {
            let _ = writeln!(
                md,
                "- **quick run**: small counts, one round; it shows that everything works, \
                 not what anything costs (the /proc stat CPU rows are whole 10 ms ticks here)"
            );
        }
        md.push('\n');
        self.acceptance(&mut md);
        self.figures_table(&mut md);
        if !self.failures.is_empty() {
            let _ = writeln!(md, "\n## Failures\n");
            for failure in &self.failures {
                let _ = writeln!(md, "- {failure}");
            }
        }
        md
    }

    /// How busy other processes kept the pinned CPUs during measured phases.
    fn noise(&self) -> Option<String> {
        let spread = |key: &str| {
            let values: Vec<f64> = self
                .runs
                .iter()
                .filter_map(|r| r.figures.get(key).copied())
                .collect();
            let max = values.iter().copied().fold(f64::NAN, f64::max);
            Some((stats::median(&values)?, max))
        };
        let (server_median, server_max) = spread(figures::OTHER_ON_SERVER_CPU_PCT)?;
        let (client_median, client_max) = spread(figures::OTHER_ON_CLIENT_CPU_PCT)?;
        let load = self
            .meta
            .load_average_at_start
            .map_or("?".into(), |l| format!("{l:.2}"));
        Some(format!(
            "other processes during measured phases: server CPU median {server_median:.0}% \
             (max {server_max:.0}%), load generator CPU median {client_median:.0}% \
             (max {client_max:.0}%); load average at start {load}"
        ))
    }

    fn acceptance(&self, md: &mut String) {
        let _ = writeln!(md, "## Headline ratios\n");
        let _ = writeln!(md, "| figure | ratio | calculator | reference |");
        let _ = writeln!(md, "|---|---:|---:|---:|");
        let lines = [
            (
                "HTTP server CPU µs/req, 1 connection",
                "http-1",
                figures::CPU_US,
                BASELINE,
            ),
            (
                "HTTP server CPU µs/req, 32 connections",
                "http-32",
                figures::CPU_US,
                BASELINE,
            ),
            (
                "stdio server CPU µs/req, sequential",
                "stdio-seq",
                figures::CPU_US,
                BASELINE,
            ),
            (
                "stdio calls/s, 16 in flight",
                "stdio-16",
                figures::RPS,
                BASELINE,
            ),
            (
                "peak RSS, HTTP 32 connections",
                "http-32",
                figures::PEAK_RSS_KIB,
                BASELINE,
            ),
            (
                "peak RSS, stdio 16 in flight",
                "stdio-16",
                figures::PEAK_RSS_KIB,
                BASELINE,
            ),
            (
                "cold start, stdio",
                "cold-stdio",
                figures::COLD_START_MS,
                BASELINE,
            ),
            (
                "cold start, HTTP",
                "cold-http",
                figures::COLD_START_MS,
                BASELINE,
            ),
            ("binary size", "binary", "binary_bytes", RMCP),
            (
                "incremental release rebuild",
                "build",
                "incremental_s",
                RMCP,
            ),
            ("clean release build", "build", "clean_s", RMCP),
        ];
        for (label, scenario, key, reference) in lines {
            let Some(row) = self.row(scenario, key) else {
                continue;
            };
            let _ = writeln!(
                md,
                "| {label} ({} is better) | calculator/{reference} = **{}** | {} | {} |",
                row.better,
                ratio(row.ratio(OURS, reference)),
                number(row.values.get(OURS).copied()),
                number(row.values.get(reference).copied()),
            );
        }
        md.push('\n');
    }

    fn figures_table(&self, md: &mut String) {
        let _ = writeln!(md, "## All figures (medians)\n");
        let _ = writeln!(
            md,
            "| scenario | figure | better | calculator | baseline | rmcp | calculator/baseline | rmcp/baseline | calculator/rmcp |"
        );
        let _ = writeln!(md, "|---|---|---|---:|---:|---:|---:|---:|---:|");
        for row in &self.summary {
            let value = |name: &str| number(row.values.get(name).copied());
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                row.scenario,
                row.figure,
                row.better,
                value(OURS),
                value(BASELINE),
                value(RMCP),
                ratio(row.ratio(OURS, BASELINE)),
                ratio(row.ratio(RMCP, BASELINE)),
                ratio(row.ratio(OURS, RMCP)),
            );
        }
    }
}

fn pin(cpu: Option<usize>) -> String {
    cpu.map_or("(not pinned)".into(), |c| c.to_string())
}

/// A figure with sensible precision.
fn number(value: Option<f64>) -> String {
    match value {
        None => "–".into(),
        Some(v) if !v.is_finite() => "–".into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 100.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.2}"),
    }
}

fn ratio(value: Option<f64>) -> String {
    value.map_or("–".into(), |r| format!("{r:.2}×"))
}

/// Now, UTC, as RFC 3339.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(number(Some(12345.6)), "12346");
        assert_eq!(number(Some(123.45)), "123.5");
        assert_eq!(number(Some(1.234)), "1.23");
        assert_eq!(number(None), "–");
        assert_eq!(ratio(Some(1.5)), "1.50×");
        assert_eq!(now_utc().len(), 20);
    }
}
