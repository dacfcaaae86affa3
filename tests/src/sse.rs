//! Server-Sent Events, as a client reads them.
//!
//! [`parse_events`] splits a complete `text/event-stream` body into events;
//! [`SseStream`] reads a live stream on a background thread so that every wait for the
//! next event is bounded by a timeout.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// One dispatched event: its type (`message` when the stream names none), its data
/// (the `data:` lines joined with `\n`) and its `id`, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, `message` by default.
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The `id:` field, if the event has one.
    pub id: Option<String>,
}

impl fmt::Display for SseEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event `{}` data {:?}", self.event, self.data)?;
        if let Some(id) = &self.id {
            write!(f, " id {id:?}")?;
        }
        Ok(())
    }
}

/// Accumulates the fields of one event, line by line, as the SSE specification says.
#[derive(Debug, Default)]
struct Pending {
    event: Option<String>,
    data: Vec<String>,
    id: Option<String>,
}

impl Pending {
    /// Feeds one line (without its line ending); returns an event on a blank line that
    /// ends an event with data.
    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let pending = std::mem::take(self);
            if pending.data.is_empty() {
                return None;
            }
            return Some(SseEvent {
                event: pending.event.unwrap_or_else(|| "message".to_owned()),
                data: pending.data.join("\n"),
                id: pending.id,
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => self.data.push(value.to_owned()),
            "id" => self.id = Some(value.to_owned()),
            _ => {}
        }
        None
    }
}

/// Splits a whole `text/event-stream` body into its events (an unterminated last event
/// is dropped, as a client would).
pub fn parse_events(body: &str) -> Vec<SseEvent> {
    let mut pending = Pending::default();
    body.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter_map(|line| pending.line(line))
        .collect()
}

/// Why [`SseStream::next`] returned no event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseError {
    /// No event arrived within the timeout.
    Timeout(Duration),
    /// The stream ended (cleanly, or with the read error given).
    Ended(Option<String>),
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(timeout) => write!(f, "no event within {timeout:?}"),
            Self::Ended(None) => f.write_str("the stream ended"),
            Self::Ended(Some(error)) => write!(f, "the stream ended with an error: {error}"),
        }
    }
}

impl std::error::Error for SseError {}

enum Item {
    Event(SseEvent),
    End(Option<String>),
}

/// A live event stream read by a background thread.
pub struct SseStream {
    items: Receiver<Item>,
    ended: Option<Option<String>>,
}

impl fmt::Debug for SseStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SseStream")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl SseStream {
    /// Starts reading `body` (an HTTP response body) on a background thread.
    pub fn spawn(body: impl Read + Send + 'static) -> Self {
        let (sender, items) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(body);
            let mut pending = Pending::default();
            let mut buffer = Vec::new();
            let end = loop {
                buffer.clear();
                match reader.read_until(b'\n', &mut buffer) {
                    Ok(0) => break None,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&buffer);
                        let line = text.strip_suffix('\n').unwrap_or(&text);
                        let line = line.strip_suffix('\r').unwrap_or(line);
                        if let Some(event) = pending.line(line)
                            && sender.send(Item::Event(event)).is_err()
                        {
                            return;
                        }
                    }
                    Err(error) => break Some(error.to_string()),
                }
            };
            let _ = sender.send(Item::End(end));
        });
        Self { items, ended: None }
    }

    /// The next event, waiting at most `timeout`.
    ///
    /// # Errors
    ///
    /// [`SseError::Timeout`], or [`SseError::Ended`] once the stream is over.
    pub fn next(&mut self, timeout: Duration) -> Result<SseEvent, SseError> {
        if let Some(end) = &self.ended {
            return Err(SseError::Ended(end.clone()));
        }
        match self.items.recv_timeout(timeout) {
            Ok(Item::Event(event)) => Ok(event),
            Ok(Item::End(end)) => {
                self.ended = Some(end.clone());
                Err(SseError::Ended(end))
            }
            Err(RecvTimeoutError::Timeout) => Err(SseError::Timeout(timeout)),
            Err(RecvTimeoutError::Disconnected) => {
                self.ended = Some(None);
                Err(SseError::Ended(None))
            }
        }
    }

    /// Waits at most `timeout` for the stream to end, returning the events received
    /// before the end.
    ///
    /// # Errors
    ///
    /// [`SseError::Timeout`] if the stream is still open after `timeout` (the events
    /// read meanwhile are dropped).
    pub fn rest(&mut self, timeout: Duration) -> Result<Vec<SseEvent>, SseError> {
        let deadline = std::time::Instant::now() + timeout;
        let mut events = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.next(left) {
                Ok(event) => events.push(event),
                Err(SseError::Ended(_)) => return Ok(events),
                Err(timeout) => return Err(timeout),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_multi_line_and_commented_events() {
        let body = ": keep-alive\n\nevent: endpoint\r\ndata: /messages?sessionId=1\r\n\r\n\
                    data:{\"a\":1}\ndata: second\nid: 7\n\ndata: unterminated";
        let events = parse_events(body);
        assert_eq!(
            events,
            vec![
                SseEvent {
                    event: "endpoint".into(),
                    data: "/messages?sessionId=1".into(),
                    id: None,
                },
                SseEvent {
                    event: "message".into(),
                    data: "{\"a\":1}\nsecond".into(),
                    id: Some("7".into()),
                },
            ]
        );
    }

    #[test]
    fn a_stream_delivers_events_then_ends() {
        let body = b"event: message\ndata: 1\n\n:\n\ndata: 2\n\n".to_vec();
        let mut stream = SseStream::spawn(std::io::Cursor::new(body));
        let timeout = Duration::from_secs(5);
        assert_eq!(stream.next(timeout).unwrap().data, "1");
        assert_eq!(stream.rest(timeout).unwrap().len(), 1);
        assert_eq!(stream.next(timeout), Err(SseError::Ended(None)));
    }
}
