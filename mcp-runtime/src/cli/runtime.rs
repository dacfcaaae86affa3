//! The async runtime `#[mcp::main]` serves on, sized to the CPUs the process may use.
//!
//! With more than one CPU, a multi-thread runtime: calls still running (async tools) make
//! progress in parallel. With one CPU (an affinity mask, a container's CPU quota), a
//! multi-thread runtime would have one worker thread plus the thread that started it,
//! waking each other for nothing; a current-thread runtime serves the same calls on one
//! thread, with less CPU per call and less memory. `TOKIO_WORKER_THREADS`, when set,
//! asks for a multi-thread runtime of that size whatever the CPU count.
//!
//! On a current-thread runtime `tokio::task::block_in_place` is not available (it
//! panics); tools that block should use `tokio::task::spawn_blocking`, which works on
//! both.

use std::io;

use tokio::runtime::{Builder, Runtime};

/// Which kind of runtime serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
}

impl Flavor {
    /// The flavor for `cpus` usable CPUs (`None`: unknown), and whether
    /// `TOKIO_WORKER_THREADS` is set.
    pub(crate) fn choose(cpus: Option<usize>, worker_threads_set: bool) -> Flavor {
        if cpus == Some(1) && !worker_threads_set {
            Flavor::CurrentThread
        } else {
            Flavor::MultiThread
        }
    }

    /// The flavor for this process.
    fn for_this_process() -> Flavor {
        let cpus = std::thread::available_parallelism().ok().map(usize::from);
        Flavor::choose(cpus, std::env::var_os("TOKIO_WORKER_THREADS").is_some())
    }
}

/// Builds the runtime (I/O and timers enabled) of the flavor this process calls for.
pub(crate) fn build() -> io::Result<Runtime> {
    let mut builder = match Flavor::for_this_process() {
        Flavor::CurrentThread => Builder::new_current_thread(),
        Flavor::MultiThread => Builder::new_multi_thread(),
    };
    builder.enable_all().build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cpu_gets_a_current_thread_runtime_unless_workers_are_asked_for() {
        assert_eq!(Flavor::choose(Some(1), false), Flavor::CurrentThread);
        assert_eq!(Flavor::choose(Some(1), true), Flavor::MultiThread);
        assert_eq!(Flavor::choose(Some(2), false), Flavor::MultiThread);
        assert_eq!(Flavor::choose(None, false), Flavor::MultiThread);
    }
}
