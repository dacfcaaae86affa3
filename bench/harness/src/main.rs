//! `mcp-bench`: runs the calculator built on this framework, a hand-written
//! baseline and the rmcp peer side by side, interleaved, and reports medians
//! and ratios to the baseline (see `bench/README.md`).

mod build_time;
mod cold_start;
mod driver;
mod figures;
mod http_load;
mod machine;
mod measure;
mod phase;
mod protocol;
mod report;
mod runner;
mod scenario;
mod servers;
mod soak;
mod stats;
mod stdio_load;
mod summary;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build_time::BuildTarget;
use crate::measure::Pinning;
use crate::protocol::Protocol;
use crate::report::{Report, ServerInfo};
use crate::scenario::Sizes;
use crate::servers::ServerSpec;
use crate::summary::RMCP;

/// Side-by-side MCP server benchmark.
#[derive(Debug, Clone, Parser)]
#[command(name = "mcp-bench", version)]
struct Args {
    /// What to measure (default: `all`).
    #[command(subcommand)]
    command: Option<What>,
    /// One short round with small counts, no compile times: checks that
    /// everything works (what CI runs).
    #[arg(long, global = true)]
    quick: bool,
    /// Rounds (default 5; 1 with --quick).
    #[arg(long, global = true)]
    rounds: Option<usize>,
    /// Multiply every measured call count by this.
    #[arg(long, global = true, default_value_t = 1.0)]
    scale: f64,
    /// Least length of a measured phase in seconds (default 1.5; 0 with --quick).
    #[arg(long, global = true)]
    min_secs: Option<f64>,
    /// Spawns per cold-start run (default 3; 1 with --quick).
    #[arg(long, global = true)]
    cold_spawns: Option<usize>,
    /// Servers to run, comma-separated (default: all three).
    #[arg(long, global = true, value_delimiter = ',')]
    servers: Vec<String>,
    /// The calculator binary (default: target/release/calculator in the repository).
    #[arg(long, global = true)]
    calculator: Option<PathBuf>,
    /// The baseline binary (default: bench/target/release/baseline).
    #[arg(long, global = true)]
    baseline: Option<PathBuf>,
    /// The rmcp peer binary (default: bench/target/release/rmcp-calculator).
    #[arg(long, global = true)]
    rmcp: Option<PathBuf>,
    /// Drive rmcp with the legacy session handshake at this protocol version
    /// (e.g. 2025-06-18) instead of the stateless 2026-07-28 calls.
    #[arg(long, global = true, value_name = "VERSION")]
    rmcp_legacy: Option<String>,
    /// Clean builds per server when timing compiles.
    #[arg(long, global = true, default_value_t = 2)]
    build_reps: usize,
    /// Edit-and-rebuild cycles after each clean build.
    #[arg(long, global = true, default_value_t = 2)]
    build_edits: usize,
    /// Skip a server whose binary is missing without failing the session.
    #[arg(long, global = true)]
    allow_missing: bool,
    /// Do not pin servers and the load generator to CPUs.
    #[arg(long, global = true)]
    no_pin: bool,
    /// Where results go (default: bench/results).
    #[arg(long, global = true)]
    out: Option<PathBuf>,
    /// File name (without extension) of the results (default: `latest`,
    /// or `build-time` for the build-time command).
    #[arg(long, global = true)]
    name: Option<String>,
}

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Subcommand)]
enum What {
    /// Runtime figures, then compile times (compile times skipped with --quick).
    All,
    /// Runtime figures only.
    Load,
    /// Compile times only (calculator vs rmcp).
    BuildTime,
    /// The calculator alone at saturation for minutes, over HTTP then stdio, with
    /// errors and resident memory over time (not part of `all`).
    Soak {
        /// Minutes per transport.
        #[arg(long, default_value_t = 10.0)]
        minutes: f64,
        /// Seconds between samples.
        #[arg(long, default_value_t = 10)]
        sample_secs: u64,
        /// Seconds of warm-up, not held to the memory limit.
        #[arg(long, default_value_t = 60)]
        warmup_secs: u64,
    },
}

/// `bench/` (the harness lives in `bench/harness`).
fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/harness has a parent")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("mcp-bench: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs what `args` ask; `Ok(false)` when something failed along the way.
fn run(args: &Args) -> Result<bool, String> {
    let what = args.command.unwrap_or(What::All);
    let bench = bench_dir();
    let main_dir = bench.parent().expect("bench has a parent").to_path_buf();
    let out = args.out.clone().unwrap_or_else(|| bench.join("results"));
    let pinning = Pinning::detect(!args.no_pin).map_err(|e| format!("CPU affinity: {e}"))?;
    // Pin before the runtime starts, so every thread it makes inherits the CPU.
    pinning
        .pin_this_thread_as_client()
        .map_err(|e| format!("pinning the load generator: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    if let What::Soak {
        minutes,
        sample_secs,
        warmup_secs,
    } = what
    {
        let plan = soak::SoakPlan {
            seconds_per_transport: (minutes * 60.0).round().max(1.0) as u64,
            sample_seconds: sample_secs.max(1),
            warmup_seconds: warmup_secs,
        };
        return runtime.block_on(soak_session(args, plan, &bench, &main_dir, &out, &pinning));
    }
    runtime.block_on(session(args, what, &bench, &main_dir, &out, &pinning))
}

/// The soak run of the calculator; results in `soak.json` and `soak.md` (or `--name`).
async fn soak_session(
    args: &Args,
    plan: soak::SoakPlan,
    bench: &Path,
    main_dir: &Path,
    out: &Path,
    pinning: &Pinning,
) -> Result<bool, String> {
    let mut failures = Vec::new();
    let calculator = ServerSpec::defaults(main_dir, bench)
        .into_iter()
        .find(|spec| spec.name == "calculator")
        .ok_or("no calculator server spec")?;
    let args = Args {
        servers: vec![calculator.name.clone()],
        ..args.clone()
    };
    let (specs, _) = servers(&args, main_dir, bench, &mut failures);
    let spec = specs.first().ok_or_else(|| failures.join("; "))?;
    let log_dir = out.join("logs");
    std::fs::create_dir_all(&log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
    let started = report::now_utc();
    let runs = soak::run(spec, plan, pinning, &log_dir).await;
    let report = soak::SoakReport {
        started,
        git: machine::git_describe(main_dir),
        plan,
        runs,
    };
    let stem = args.name.clone().unwrap_or_else(|| "soak".to_owned());
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    let write = |ext: &str, text: &str| {
        let path = out.join(format!("{stem}.{ext}"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("json", &json)?;
    let markdown = report.markdown();
    write("md", &markdown)?;
    println!("{markdown}");
    eprintln!(
        "results: {} and .md",
        out.join(format!("{stem}.json")).display()
    );
    if !report.passed() {
        eprintln!("mcp-bench: soak FAILED (errors, or the resident set grew)");
    }
    Ok(report.passed())
}

async fn session(
    args: &Args,
    what: What,
    bench: &Path,
    main_dir: &Path,
    out: &Path,
    pinning: &Pinning,
) -> Result<bool, String> {
    let started = report::now_utc();
    let load = machine::load_average();
    if let Some(load) = load.filter(|&l| l > 1.0) {
        eprintln!(
            "mcp-bench: warning: load average {load:.2} before starting; \
             other processes will disturb the figures"
        );
    }
    let mut failures = Vec::new();
    let sizes = sizes(args);
    let (specs, infos) = servers(args, main_dir, bench, &mut failures);

    let mut runs = Vec::new();
    if what != What::BuildTime {
        let log_dir = out.join("logs");
        std::fs::create_dir_all(&log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
        let session = runner::Session {
            sizes: &sizes,
            pinning,
            log_dir: &log_dir,
        };
        runs = session.run_all(&specs).await;
        failures.extend(runs.iter().filter(|r| r.failed()).map(|r| {
            format!(
                "round {} {} {}: {} errors{}",
                r.round,
                r.scenario.name(),
                r.server,
                r.errors,
                r.error
                    .as_ref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            )
        }));
    }

    let build_time = if what == What::BuildTime || (what == What::All && !args.quick) {
        let targets = BuildTarget::defaults(main_dir, bench);
        let root = bench.join("target/build-time");
        match build_time::measure(&targets, args.build_reps, args.build_edits, &root, pinning).await
        {
            Ok(times) => Some(times),
            Err(e) => {
                failures.push(format!("build time: {e}"));
                None
            }
        }
    } else {
        None
    };

    let summary = summary::summarize(&runs, &infos, build_time.as_ref());
    let report = Report {
        meta: report::Meta {
            started,
            command: std::env::args().collect(),
            quick: args.quick,
            sizes: (what != What::BuildTime).then_some(sizes),
            server_cpu: pinning.server_cpu,
            client_cpu: pinning.client_cpu,
            cpus: pinning.allowed.clone(),
            clock_ticks_per_sec: measure::clock_ticks_per_sec(),
            load_average_at_start: load,
            cpu_model: machine::cpu_model(),
            kernel: machine::kernel(),
            git: machine::git_describe(main_dir),
        },
        servers: infos,
        summary,
        build_time,
        runs,
        failures,
    };
    let stem = args.name.clone().unwrap_or_else(|| {
        if what == What::BuildTime {
            "build-time"
        } else {
            "latest"
        }
        .to_owned()
    });
    let markdown = report
        .write(out, &stem)
        .map_err(|e| format!("writing results to {}: {e}", out.display()))?;
    println!("{markdown}");
    eprintln!(
        "results: {} and .md",
        out.join(format!("{stem}.json")).display()
    );
    if !report.ok() {
        eprintln!(
            "mcp-bench: FAILED ({} failures, listed above)",
            report.failures.len()
        );
    }
    Ok(report.ok())
}

fn sizes(args: &Args) -> Sizes {
    let mut sizes = if args.quick {
        Sizes::quick()
    } else {
        Sizes::full()
    }
    .scaled(args.scale);
    if let Some(rounds) = args.rounds {
        sizes.rounds = rounds.max(1);
    }
    if let Some(secs) = args.min_secs {
        sizes.min_measured = std::time::Duration::from_secs_f64(secs.max(0.0));
    }
    if let Some(spawns) = args.cold_spawns {
        sizes.cold_spawns = spawns.max(1);
    }
    sizes
}

/// The servers to run (those whose binary exists, each run from a copy taken
/// now) and what the report says of each; a missing binary is skipped with a message, and is a failure
/// unless `--allow-missing`.
fn servers(
    args: &Args,
    main_dir: &Path,
    bench: &Path,
    failures: &mut Vec<String>,
) -> (Vec<ServerSpec>, Vec<ServerInfo>) {
    let mut specs = Vec::new();
    let mut infos = Vec::new();
    for mut spec in ServerSpec::defaults(main_dir, bench) {
        let chosen = match spec.name.as_str() {
            "calculator" => &args.calculator,
            "baseline" => &args.baseline,
            _ => &args.rmcp,
        };
        if let Some(path) = chosen {
            spec.binary = path.clone();
        }
        if let (RMCP, Some(version)) = (spec.name.as_str(), &args.rmcp_legacy) {
            spec.protocol = Protocol::Legacy {
                version: version.clone(),
            };
        }
        let wanted = args.servers.is_empty() || args.servers.contains(&spec.name);
        let size = spec.binary_size().ok();
        let skipped = if !wanted {
            Some("not selected (--servers)".to_owned())
        } else if size.is_none() {
            let why = format!(
                "binary {} not found (build it: bench/run)",
                spec.binary.display()
            );
            eprintln!("mcp-bench: skipping {}: {why}", spec.name);
            if !args.allow_missing {
                failures.push(format!("{} skipped: {why}", spec.name));
            }
            Some(why)
        } else {
            None
        };
        infos.push(ServerInfo {
            name: spec.name.clone(),
            binary: spec.binary.clone(),
            protocol: spec.protocol.label(),
            binary_bytes: size,
            skipped: skipped.clone(),
        });
        if skipped.is_some() {
            continue;
        }
        // Run a copy: a rebuild in a shared checkout must not swap the binary mid-session.
        let copy = bench.join("target/mcp-bench/bin").join(&spec.name);
        match snapshot(&spec.binary, &copy) {
            Ok(()) => {
                spec.binary = copy;
                specs.push(spec);
            }
            Err(e) => failures.push(format!("{}: copying its binary: {e}", spec.name)),
        }
    }
    (specs, infos)
}

/// Copies `binary` to `copy` (permissions included).
fn snapshot(binary: &Path, copy: &Path) -> std::io::Result<()> {
    if let Some(dir) = copy.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Remove first: overwriting a binary that may still be running fails.
    match std::fs::remove_file(copy) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::copy(binary, copy).map(|_| ())
}
