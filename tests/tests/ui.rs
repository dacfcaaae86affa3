//! Compile-time checks of `#[mcp::tool]`, `#[mcp::main]`, `#[mcp::resource]`,
//! `#[mcp::prompt]` and `#[mcp::complete]`.
//!
//! - `ui/*/fail/*.rs` must fail to compile with exactly the reviewed `.stderr` beside
//!   them, and `ui/*/pass/*.rs` must compile and run (trybuild).
//! - `ui/standalone/*.rs` need a build trybuild cannot make: a renamed dependency, `mcp`
//!   without its `http` feature, and clippy's pedantic lints. Each becomes a package of a
//!   small workspace under `target/tmp`, checked with `cargo clippy`.
//!
//! Regenerate the snapshots on purpose only, `TRYBUILD=overwrite cargo test -p mcp-tests
//! --test ui`, and review the diff like code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for kind in ["tool", "main", "resource", "prompt", "complete", "server"] {
        cases.pass(format!("ui/{kind}/pass/*.rs"));
        cases.compile_fail(format!("ui/{kind}/fail/*.rs"));
    }
}

/// `(package, dependency name)`: each standalone case depends on `mcp-runtime` without
/// default features, under that name.
const STANDALONE: &[(&str, &str)] = &[
    ("no_http", "mcp"),
    ("renamed", "my_mcp"),
    ("pedantic", "mcp"),
];

#[test]
fn standalone() {
    let root = standalone_workspace();

    // A renamed dependency and clippy's pedantic lints: compiles, not a single warning.
    let output = clippy(&root, &["renamed", "pedantic"]);
    assert!(
        output.status.success(),
        "the renamed and pedantic cases must pass clippy with -D warnings:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // No `http` feature: one error, on the `"http"` string, naming the feature.
    let output = clippy(&root, &["no_http"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "no_http must not compile");
    let expected = [
        "error: `transport = \"http\"` needs the `http` feature of `mcp`, which this build turns off; enable it (`mcp = { version = \"...\", features = [\"http\"] }`) or use `transport = \"stdio\"`",
        "2 | #[mcp::main(transport = \"http\")]\n  |                         ^^^^^^\n",
        "could not compile `no_http` (bin \"no_http\") due to 1 previous error",
    ];
    for line in expected {
        assert!(stderr.contains(line), "expected `{line}` in:\n{stderr}");
    }
}

/// Writes the workspace (manifests pointing at this checkout, the sources from
/// `ui/standalone`, and this workspace's lock file so versions match) and returns it.
fn standalone_workspace() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runtime = tests.join("../mcp-runtime");
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-standalone");
    let members: Vec<String> = STANDALONE
        .iter()
        .map(|(name, _)| format!("{name:?}"))
        .collect();
    write(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    let lock = std::fs::read(tests.join("../Cargo.lock")).expect("the workspace's Cargo.lock");
    std::fs::write(root.join("Cargo.lock"), lock).expect("write Cargo.lock");
    for (name, dependency) in STANDALONE {
        let manifest = format!(
            "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{dependency} = {{ package = \"mcp-runtime\", path = {:?}, default-features = false }}\n",
            runtime.display().to_string()
        );
        write(&root.join(name).join("Cargo.toml"), &manifest);
        let source =
            std::fs::read_to_string(tests.join("ui/standalone").join(format!("{name}.rs")))
                .expect("the case's source");
        write(&root.join(name).join("src/main.rs"), &source);
    }
    root
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the directory");
    }
    // Unchanged files keep their timestamps, so cargo rebuilds nothing.
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("write the file");
    }
}

fn clippy(root: &Path, packages: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args(["clippy", "--quiet", "--color=never"]);
    for package in packages {
        command.args(["-p", package]);
    }
    command
        .args(["--", "-D", "warnings"])
        .output()
        .expect("run cargo clippy")
}
