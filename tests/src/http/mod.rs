//! HTTP test support: a server child process started with `--transport http` (its
//! address read from the startup log line, so tests can bind port 0 and run in
//! parallel), a small blocking HTTP client over loopback, and a raw sender for bodies no
//! client library would send.
//!
//! Every wait is bounded; dropping a [`ServerProcess`] kills a server still running.

mod client;
mod process;
mod raw;

use std::path::PathBuf;

pub use client::{HttpClient, HttpResponse, REQUEST_TIMEOUT, StreamingResponse};
pub use process::{HttpServer, STARTUP_TIMEOUT, ServerProcess};
pub use raw::post_large_body;

/// A fresh directory under the system temporary directory, removed on drop.
#[derive(Debug)]
pub struct TempDir {
    /// The directory.
    pub path: PathBuf,
}

impl TempDir {
    /// Creates `<tmp>/mcp-tests-<label>-<pid>-<n>`.
    ///
    /// # Panics
    ///
    /// Panics if the directory cannot be created.
    pub fn new(label: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("mcp-tests-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", path.display()));
        Self { path }
    }

    /// Writes `contents` to the file `name` in the directory and returns its path.
    ///
    /// # Panics
    ///
    /// Panics if the file cannot be written.
    pub fn write(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, contents)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
