//! Compile-time cost: a clean release build of one server package in a fresh
//! target directory, then release rebuilds after editing one tool's body.
//!
//! Everything happens in a copy of the server's workspace under
//! `bench/target/build-time/<name>/src` (target directory `.../target`), so the
//! real sources are never touched. The copy keeps the workspace's
//! `Cargo.lock`, so dependency versions are the real ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use serde::Serialize;
use tokio::process::Command;

use crate::measure::Pinning;
use crate::stats;

/// A server package whose build is timed.
#[derive(Debug, Clone, Serialize)]
pub struct BuildTarget {
    /// Name in reports (`calculator`, `rmcp`).
    pub name: String,
    /// The workspace the package belongs to.
    pub workspace: PathBuf,
    /// Top-level entries of the workspace left out of the copy.
    pub exclude: Vec<String>,
    /// The package (`cargo build -p`).
    pub package: String,
    /// The file holding the tool that is edited, relative to the workspace.
    pub tool_file: PathBuf,
    /// Text in that file the edit replaces (its first occurrence)...
    pub edit_from: String,
    /// ...and what replaces it.
    pub edit_to: String,
}

impl BuildTarget {
    /// The calculator (`main_dir`'s workspace) and the rmcp peer (`bench_dir`'s).
    pub fn defaults(main_dir: &Path, bench_dir: &Path) -> Vec<BuildTarget> {
        vec![
            BuildTarget {
                name: "calculator".into(),
                workspace: main_dir.to_path_buf(),
                exclude: vec!["bench".into()],
                package: "calculator".into(),
                tool_file: "examples/calculator/src/main.rs".into(),
                edit_from: "a + b".into(),
                edit_to: "b + a".into(),
            },
            BuildTarget {
                name: "rmcp".into(),
                workspace: bench_dir.to_path_buf(),
                exclude: vec!["results".into()],
                package: "rmcp-calculator".into(),
                tool_file: "rmcp-calculator/src/main.rs".into(),
                edit_from: "a + b".into(),
                edit_to: "b + a".into(),
            },
        ]
    }
}

/// The build times of one server.
#[derive(Debug, Default, Serialize)]
pub struct ServerBuildTimes {
    /// Each clean build, seconds.
    pub clean_s: Vec<f64>,
    /// Each rebuild after an edit, seconds.
    pub incremental_s: Vec<f64>,
    /// Median clean build, seconds.
    pub clean_median_s: Option<f64>,
    /// Median rebuild, seconds.
    pub incremental_median_s: Option<f64>,
}

/// Compile times of every server.
#[derive(Debug, Serialize)]
pub struct BuildTimes {
    /// Clean builds per server (alternating servers).
    pub repetitions: usize,
    /// Edits (each followed by a rebuild) after each clean build.
    pub edits_per_repetition: usize,
    /// What was built and edited.
    pub targets: Vec<BuildTarget>,
    /// Times per server name.
    pub servers: BTreeMap<String, ServerBuildTimes>,
}

/// Times `repetitions` clean builds of each target (alternating, the order
/// rotating), each followed by `edits` rebuilds after an edit of its tool.
pub async fn measure(
    targets: &[BuildTarget],
    repetitions: usize,
    edits: usize,
    work_root: &Path,
    pinning: &Pinning,
) -> Result<BuildTimes, String> {
    let mut servers: BTreeMap<String, ServerBuildTimes> = BTreeMap::new();
    for rep in 0..repetitions {
        for i in 0..targets.len() {
            let target = &targets[(i + rep) % targets.len()];
            let times = servers.entry(target.name.clone()).or_default();
            let dir = work_root.join(&target.name);
            let src = dir.join("src");
            let target_dir = dir.join("target");
            remove(&src)?;
            remove(&target_dir)?;
            copy_tree(&target.workspace, &src, &target.exclude)
                .map_err(|e| format!("copying {}: {e}", target.workspace.display()))?;
            let tool = src.join(&target.tool_file);
            let original = std::fs::read_to_string(&tool)
                .map_err(|e| format!("reading {}: {e}", tool.display()))?;
            if !original.contains(&target.edit_from) {
                return Err(format!(
                    "{}: `{}` not found in {}; cannot edit the tool",
                    target.name,
                    target.edit_from,
                    target.tool_file.display()
                ));
            }
            let edited = original.replacen(&target.edit_from, &target.edit_to, 1);
            let log = dir.join("build.log");
            let clean = cargo_build(target, &src, &target_dir, &log, pinning).await?;
            eprintln!(
                "[build {}/{repetitions}] {:<10} clean      {clean:>7.1} s",
                rep + 1,
                target.name
            );
            times.clean_s.push(clean);
            for edit in 0..edits {
                let text = if edit.is_multiple_of(2) {
                    &edited
                } else {
                    &original
                };
                std::fs::write(&tool, text)
                    .map_err(|e| format!("editing {}: {e}", tool.display()))?;
                let rebuild = cargo_build(target, &src, &target_dir, &log, pinning).await?;
                eprintln!(
                    "[build {}/{repetitions}] {:<10} after edit {rebuild:>7.1} s",
                    rep + 1,
                    target.name
                );
                times.incremental_s.push(rebuild);
            }
        }
    }
    for times in servers.values_mut() {
        times.clean_median_s = stats::median(&times.clean_s);
        times.incremental_median_s = stats::median(&times.incremental_s);
    }
    Ok(BuildTimes {
        repetitions,
        edits_per_repetition: edits,
        targets: targets.to_vec(),
        servers,
    })
}

/// Runs `cargo build --release --locked -p <package>`; returns its wall time.
async fn cargo_build(
    target: &BuildTarget,
    workspace: &Path,
    target_dir: &Path,
    log: &Path,
    pinning: &Pinning,
) -> Result<f64, String> {
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(["build", "--release", "--locked", "-p", &target.package])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file);
    pinning.apply_all(&mut command);
    let started = Instant::now();
    let status = command
        .status()
        .await
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let took = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!(
            "building {} failed ({status}); see {}",
            target.package,
            log.display()
        ));
    }
    Ok(took)
}

fn remove(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("removing {}: {e}", path.display())),
    }
}

/// Names never copied, at any depth: build output and VCS data.
const SKIPPED: [&str; 4] = ["target", ".git", "node_modules", "__pycache__"];

/// Copies the source tree `from` to `to`, leaving out build output, `.git`
/// and the top-level entries in `exclude`.
fn copy_tree(from: &Path, to: &Path, exclude: &[String]) -> std::io::Result<()> {
    copy_dir(
        from,
        to,
        &|depth, name| SKIPPED.contains(&name) || (depth == 0 && exclude.iter().any(|e| e == name)),
        0,
    )
}

fn copy_dir(
    from: &Path,
    to: &Path,
    skip: &dyn Fn(usize, &str) -> bool,
    depth: usize,
) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if skip(depth, &name.to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        let meta = std::fs::metadata(&path)?;
        if meta.is_dir() {
            copy_dir(&path, &to.join(&name), skip, depth + 1)?;
        } else if meta.is_file() {
            std::fs::copy(&path, to.join(&name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_sources_without_build_output() {
        let root = std::env::temp_dir().join(format!("mcp-bench-copy-{}", std::process::id()));
        let from = root.join("from");
        std::fs::create_dir_all(from.join("target/release")).unwrap();
        std::fs::create_dir_all(from.join("crate/src")).unwrap();
        std::fs::create_dir_all(from.join("bench")).unwrap();
        std::fs::write(from.join("Cargo.toml"), "[workspace]").unwrap();
        std::fs::write(from.join("crate/src/main.rs"), "fn main() {}").unwrap();
        std::fs::write(from.join("target/release/big"), "x").unwrap();
        std::fs::write(from.join("bench/x"), "x").unwrap();
        let to = root.join("to");
        copy_tree(&from, &to, &["bench".into()]).unwrap();
        assert!(to.join("Cargo.toml").is_file());
        assert!(to.join("crate/src/main.rs").is_file());
        assert!(!to.join("target").exists());
        assert!(!to.join("bench").exists());
        std::fs::remove_dir_all(root).unwrap();
    }
}
