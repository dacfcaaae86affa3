//! Legacy sessions over HTTP: Streamable HTTP sessions of 2025-03-26 to 2025-11-25
//! (`Mcp-Session-Id`) and HTTP+SSE sessions of 2024-11-05 (`?sessionId=`).
//!
//! Ids are 128 random bits from the operating system, after the replica's name and a dot
//! when it has one (`r2.4f…`): a session lives in one process's memory, and the prefix
//! lets a load balancer route each session to it (`deploy/nginx/`). Sessions are bounded
//! in number, bound to the identity that opened them, and closed when idle too long.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::context::Caller;
use crate::server::dispatch::Peer;
use crate::server::outbound::Outbound;

/// One legacy session.
#[derive(Debug)]
pub(crate) struct HttpSession {
    pub(crate) peer: Peer,
    /// Where server messages go for an HTTP+SSE session (its event stream).
    pub(crate) outbound: Option<Outbound>,
    /// Fires when the session ends (DELETE, expiry, drain).
    pub(crate) closed: CancellationToken,
    /// Whether a `GET /mcp` stream is open.
    pub(crate) stream_open: AtomicBool,
    /// Messages for the `GET /mcp` stream (Streamable HTTP sessions), kept while no
    /// stream is open; the open stream holds the receiver.
    pub(crate) standalone: Mutex<Option<mpsc::Receiver<Vec<u8>>>>,
    last_used: Mutex<Instant>,
}

impl HttpSession {
    /// Whether the session has its stream open: an HTTP+SSE session is its stream, a
    /// Streamable HTTP session has one while a `GET /mcp` is open.
    fn has_stream(&self) -> bool {
        self.outbound.is_some() || self.stream_open.load(Ordering::Acquire)
    }
}

/// Why a session could not be opened.
#[derive(Debug)]
pub(crate) struct TooManySessions;

/// Every open session.
#[derive(Debug)]
pub(crate) struct SessionStore {
    sessions: Mutex<HashMap<String, Arc<HttpSession>>>,
    max: usize,
    idle: Duration,
    /// `"<replica>."`, or empty.
    prefix: String,
}

impl SessionStore {
    pub(crate) fn new(max: usize, idle: Duration) -> SessionStore {
        SessionStore {
            sessions: Mutex::default(),
            max,
            idle,
            prefix: String::new(),
        }
    }

    /// Starts every id with `replica` and a dot.
    pub(crate) fn with_prefix(mut self, replica: Option<&str>) -> SessionStore {
        self.prefix = replica.map(|name| format!("{name}.")).unwrap_or_default();
        self
    }

    /// Opens a session for `caller`.
    pub(crate) fn open(
        &self,
        caller: Caller,
        outbound: Option<Outbound>,
    ) -> Result<(String, Arc<HttpSession>), TooManySessions> {
        let mut sessions = self.sessions.lock().map_err(|_| TooManySessions)?;
        if sessions.len() >= self.max {
            return Err(TooManySessions);
        }
        let id = new_id(&self.prefix).ok_or(TooManySessions)?;
        let mut peer = Peer::for_caller(caller);
        // An HTTP+SSE session's stream carries everything; a Streamable HTTP session
        // sends what belongs to no request on its `GET` stream.
        let standalone = match outbound {
            Some(_) => None,
            None => {
                let (sender, receiver) = Outbound::channel();
                peer.standalone = Some(sender);
                Some(receiver)
            }
        };
        let session = Arc::new(HttpSession {
            peer,
            outbound,
            closed: CancellationToken::new(),
            stream_open: AtomicBool::new(false),
            standalone: Mutex::new(standalone),
            last_used: Mutex::new(Instant::now()),
        });
        sessions.insert(id.clone(), Arc::clone(&session));
        Ok((id, session))
    }

    /// The session with this id, if it is open and belongs to `caller`.
    pub(crate) fn get(&self, id: &str, caller: &Caller) -> Option<Arc<HttpSession>> {
        let session = self.sessions.lock().ok()?.get(id).cloned()?;
        if session.peer.caller != *caller {
            return None;
        }
        if let Ok(mut last_used) = session.last_used.lock() {
            *last_used = Instant::now();
        }
        Some(session)
    }

    /// How many sessions are open, and how many of them have their stream open
    /// (`GET /mcp`; an HTTP+SSE session is its stream).
    pub(crate) fn counts(&self) -> (usize, usize) {
        let Ok(sessions) = self.sessions.lock() else {
            return (0, 0);
        };
        let streams = sessions
            .values()
            .filter(|session| session.has_stream())
            .count();
        (sessions.len(), streams)
    }

    /// Closes a session; `false` if there was none.
    pub(crate) fn close(&self, id: &str) -> bool {
        let removed = self.sessions.lock().ok().and_then(|mut s| s.remove(id));
        match removed {
            Some(session) => {
                session.closed.cancel();
                true
            }
            None => false,
        }
    }

    /// Closes sessions unused for longer than the idle timeout (an open stream counts as
    /// use).
    pub(crate) fn expire(&self) {
        let Ok(mut sessions) = self.sessions.lock() else {
            return;
        };
        let idle = self.idle;
        sessions.retain(|_, session| {
            let streaming = session.has_stream();
            let recent = session
                .last_used
                .lock()
                .map(|last| last.elapsed() < idle)
                .unwrap_or(false);
            let keep = streaming || recent;
            if !keep {
                session.closed.cancel();
            }
            keep
        });
    }

    /// Closes every session (drain).
    pub(crate) fn close_all(&self) {
        if let Ok(mut sessions) = self.sessions.lock() {
            for (_, session) in sessions.drain() {
                session.closed.cancel();
            }
        }
    }

    /// Runs [`SessionStore::expire`] periodically until `stop` fires.
    pub(crate) async fn expire_periodically(self: Arc<Self>, stop: CancellationToken) {
        let period = (self.idle / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
        let mut ticker = tokio::time::interval(period);
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                _ = ticker.tick() => self.expire(),
            }
        }
    }
}

/// `prefix` and 128 random bits as 32 hex digits.
fn new_id(prefix: &str) -> Option<String> {
    use std::fmt::Write;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let mut id = String::with_capacity(prefix.len() + 32);
    id.push_str(prefix);
    for byte in bytes {
        let _ = write!(id, "{byte:02x}");
    }
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Identity;

    #[test]
    fn sessions_are_bounded_bound_to_identity_and_closable() {
        let store = SessionStore::new(2, Duration::from_secs(60));
        let alice = Caller {
            identity: Some(Identity {
                name: "alice".into(),
            }),
            certificate: None,
        };
        let nobody = Caller::default();
        let (first, _) = store.open(alice.clone(), None).unwrap();
        let (second, _) = store.open(Caller::default(), None).unwrap();
        assert_ne!(first, second);
        assert_eq!(first.len(), 32);
        assert!(
            store.open(Caller::default(), None).is_err(),
            "the third session exceeds the bound"
        );
        assert!(store.get(&first, &alice).is_some());
        assert!(
            store.get(&first, &nobody).is_none(),
            "another identity cannot use it"
        );
        assert!(store.close(&first));
        assert!(store.get(&first, &alice).is_none());
        assert!(!store.close(&first));
    }

    #[test]
    fn a_replica_names_its_sessions() {
        let store = SessionStore::new(2, Duration::from_secs(60)).with_prefix(Some("r2"));
        let (id, _) = store.open(Caller::default(), None).unwrap();
        let (replica, random) = id.split_once('.').unwrap();
        assert_eq!(replica, "r2");
        assert_eq!(random.len(), 32);
        assert!(random.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        assert!(store.get(&id, &Caller::default()).is_some());
    }

    #[test]
    fn idle_sessions_expire() {
        let store = SessionStore::new(10, Duration::ZERO);
        let (id, session) = store.open(Caller::default(), None).unwrap();
        store.expire();
        assert!(store.get(&id, &Caller::default()).is_none());
        assert!(session.closed.is_cancelled());
    }
}
