//! Locations in the workspace, and example binaries built once per test process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The root of the Cargo workspace (the parent of this package's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package lives inside the workspace")
        .to_path_buf()
}

/// The directory holding the MCP specification material: `$MCP_SPEC_DIR` if set, else
/// `<workspace>/../shared/spec`.
pub fn spec_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MCP_SPEC_DIR").filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    workspace_root()
        .parent()
        .expect("the workspace has a parent directory")
        .join("shared")
        .join("spec")
}

/// The Cargo target directory: `$CARGO_TARGET_DIR` if set (relative paths are taken
/// relative to the workspace root, where the build runs), else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// Builds the workspace package `package` (a binary example such as `calculator`) with
/// `$CARGO build -p <package> --quiet`, once per test process, and returns the path of
/// its executable, `<target dir>/debug/<package>`.
///
/// # Panics
///
/// Panics, with cargo's output, if the build fails or the executable is missing; the
/// failure is remembered, so later callers in the same process fail fast.
pub fn example_binary(package: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, Result<PathBuf, String>>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    // Holding the lock across the build serialises builds; cargo would anyway.
    let mut built = built
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let outcome = built
        .entry(package.to_owned())
        .or_insert_with(|| build_package(package));
    match outcome {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// The up-to-date `calculator` example binary (see [`example_binary`]).
pub fn calculator_binary() -> PathBuf {
    example_binary("calculator")
}

fn build_package(package: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = workspace_root();
    let output = Command::new(&cargo)
        .args(["build", "-p", package, "--quiet"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run {cargo:?} build -p {package}: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{} build -p {package}` in {} failed ({}):\n{}{}",
            Path::new(&cargo).display(),
            root.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        ));
    }
    let executable = target_dir()
        .join("debug")
        .join(format!("{package}{}", std::env::consts::EXE_SUFFIX));
    if executable.is_file() {
        Ok(executable)
    } else {
        Err(format!(
            "`cargo build -p {package}` succeeded but {} does not exist",
            executable.display()
        ))
    }
}
