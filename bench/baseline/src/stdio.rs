//! stdio: one JSON-RPC message per line on stdin, one per line on stdout.
//!
//! The main thread reads and answers lines synchronously: replies go into a
//! buffered stdout that is flushed once no more input is buffered, so a burst
//! of requests costs one write. `count` runs as a tokio task, so it never
//! holds up other calls, and writes (and flushes) its own lines.

use std::io::{self, BufRead, BufReader, BufWriter, Stdout, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use crate::protocol::{self, Count, Outcome};

const BUFFER_BYTES: usize = 64 * 1024;

/// stdout, shared by the main loop and the `count` tasks.
type Output = Arc<Mutex<BufWriter<Stdout>>>;

/// Serves stdin until it closes, then waits for `count` calls in flight.
pub(crate) fn serve(runtime: &Runtime) -> io::Result<()> {
    let output: Output = Arc::new(Mutex::new(BufWriter::with_capacity(
        BUFFER_BYTES,
        io::stdout(),
    )));
    let mut input = BufReader::with_capacity(BUFFER_BYTES, io::stdin().lock());
    let mut counts = JoinSet::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            let mut out = lock(&output);
            match protocol::handle(&line, &mut *out)? {
                Outcome::Replied { .. } => out.write_all(b"\n")?,
                Outcome::Silent => {}
                Outcome::Count(call) => {
                    counts.spawn_on(count(call, Arc::clone(&output)), runtime.handle());
                }
            }
        }
        if input.buffer().is_empty() {
            lock(&output).flush()?;
        }
        while counts.try_join_next().is_some() {}
    }
    runtime.block_on(async { while counts.join_next().await.is_some() {} });
    lock(&output).flush()
}

/// Runs one `count` call, writing its notifications and reply as they come.
async fn count(call: Count, output: Output) {
    let send = |message: Vec<u8>| {
        let mut out = lock(&output);
        // A closed stdout ends the main loop too; nothing to report here.
        let _ = out
            .write_all(&message)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush());
    };
    let reply = call.run(send).await;
    send(reply);
}

fn lock(output: &Output) -> MutexGuard<'_, BufWriter<Stdout>> {
    output.lock().unwrap_or_else(PoisonError::into_inner)
}
