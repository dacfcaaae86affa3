//! Standard input and output as non-blocking pipes, read and written on the runtime's own
//! event loop.
//!
//! `tokio::io::stdin` and `stdout` hand every read and write to the blocking thread pool,
//! a thread round trip per message. When stdin and stdout are pipes or sockets (how a
//! client starts a stdio server), they can be switched to non-blocking mode and polled
//! like any socket instead. Other kinds (a terminal, a regular file) keep the portable
//! path. When serving ends, the descriptors are switched back to blocking mode, since a
//! parent process may share them.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::FileTypeExt;
use std::pin::Pin;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::UnixStream;
use tokio::net::unix::pipe;

/// A byte stream the stdio transport reads from.
pub(crate) type Input = Pin<Box<dyn AsyncRead + Send>>;
/// A byte stream the stdio transport writes to.
pub(crate) type Output = Pin<Box<dyn AsyncWrite + Send>>;

/// The process's stdin and stdout, polled directly where their kind allows it, and what
/// switches them back when serving is over. Must be called inside the runtime.
pub(crate) fn open() -> (Input, Output, Restorer) {
    let mut switched = Vec::new();
    let input: Input = match switch(io::stdin().as_fd(), &mut switched) {
        Some(Pollable::Pipe(fd)) => match pipe::Receiver::from_owned_fd(fd) {
            Ok(receiver) => Box::pin(receiver),
            Err(_) => Box::pin(tokio::io::stdin()),
        },
        Some(Pollable::Socket(socket)) => Box::pin(socket),
        None => Box::pin(tokio::io::stdin()),
    };
    let output: Output = match switch(io::stdout().as_fd(), &mut switched) {
        Some(Pollable::Pipe(fd)) => match pipe::Sender::from_owned_fd(fd) {
            Ok(sender) => Box::pin(sender),
            Err(_) => Box::pin(tokio::io::stdout()),
        },
        Some(Pollable::Socket(socket)) => Box::pin(socket),
        None => Box::pin(tokio::io::stdout()),
    };
    (input, output, Restorer(switched))
}

/// A standard stream that epoll can watch.
enum Pollable {
    /// A pipe or FIFO, not yet registered: tokio's checked constructors switch it to
    /// non-blocking mode.
    Pipe(OwnedFd),
    /// A socket, already in non-blocking mode and registered.
    Socket(UnixStream),
}

/// `fd` as a [`Pollable`] when it is a pipe or a socket; a copy is kept in `switched` to
/// switch it back to blocking mode at the end.
///
/// Non-blocking mode is essential, not an optimisation: readiness can be stale (an event
/// for bytes an earlier read already took), and a read of a blocking descriptor would
/// then stall the whole event loop until the client writes again.
fn switch(fd: BorrowedFd<'_>, switched: &mut Vec<OwnedFd>) -> Option<Pollable> {
    let owned = fd.try_clone_to_owned().ok()?;
    let kind = File::from(owned.try_clone().ok()?)
        .metadata()
        .ok()?
        .file_type();
    let copy = owned.try_clone().ok()?;
    let pollable = if kind.is_fifo() {
        Pollable::Pipe(owned)
    } else if kind.is_socket() {
        // `set_nonblocking` is `ioctl(FIONBIO)`, which works on a socket of any family.
        let socket = std::os::unix::net::UnixStream::from(owned);
        socket.set_nonblocking(true).ok()?;
        Pollable::Socket(UnixStream::from_std(socket).ok()?)
    } else {
        return None;
    };
    switched.push(copy);
    Some(pollable)
}

/// Switches descriptors back to blocking mode when dropped: copies of the descriptors
/// that were switched to non-blocking mode.
pub(crate) struct Restorer(Vec<OwnedFd>);

impl Drop for Restorer {
    fn drop(&mut self) {
        for fd in self.0.drain(..) {
            // Registering the copy again and taking it back out clears `O_NONBLOCK` on
            // the shared file description. Failing to is harmless: the process is done
            // with the descriptor.
            let restored = pipe::Receiver::from_owned_fd_unchecked(fd)
                .and_then(pipe::Receiver::into_blocking_fd);
            if let Err(error) = restored {
                tracing::debug!(%error, "could not switch stdio back to blocking mode");
            }
        }
    }
}
