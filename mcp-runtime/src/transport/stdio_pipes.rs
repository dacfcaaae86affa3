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
use tokio::net::unix::pipe;

/// A byte stream the stdio transport reads from.
pub(crate) type Input = Pin<Box<dyn AsyncRead + Send>>;
/// A byte stream the stdio transport writes to.
pub(crate) type Output = Pin<Box<dyn AsyncWrite + Send>>;

/// The process's stdin and stdout, polled directly where their kind allows it, and what
/// switches them back when serving is over. Must be called inside the runtime.
pub(crate) fn open() -> (Input, Output, Restorer) {
    let mut switched = Vec::new();
    let input: Input = match switch(io::stdin().as_fd(), &mut switched, |fd| {
        pipe::Receiver::from_owned_fd_unchecked(fd)
    }) {
        Some(receiver) => Box::pin(receiver),
        None => Box::pin(tokio::io::stdin()),
    };
    let output: Output = match switch(io::stdout().as_fd(), &mut switched, |fd| {
        pipe::Sender::from_owned_fd_unchecked(fd)
    }) {
        Some(sender) => Box::pin(sender),
        None => Box::pin(tokio::io::stdout()),
    };
    (input, output, Restorer(switched))
}

/// `fd` made into a non-blocking stream by `open` when it is a pipe or a socket; a copy
/// is kept in `switched` to switch it back.
fn switch<T>(
    fd: BorrowedFd<'_>,
    switched: &mut Vec<OwnedFd>,
    open: impl FnOnce(OwnedFd) -> io::Result<T>,
) -> Option<T> {
    let fd = pollable(fd)?;
    let copy = fd.try_clone().ok()?;
    let stream = open(fd).ok()?;
    switched.push(copy);
    Some(stream)
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

/// A copy of `fd` when it is a pipe or a socket (what epoll can watch).
fn pollable(fd: BorrowedFd<'_>) -> Option<OwnedFd> {
    let owned = fd.try_clone_to_owned().ok()?;
    let file = File::from(owned);
    let kind = file.metadata().ok()?.file_type();
    (kind.is_fifo() || kind.is_socket()).then(|| OwnedFd::from(file))
}
