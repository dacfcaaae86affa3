//! A log subscriber that decides what is enabled from the `RUST_LOG` filter alone, and
//! builds the real one (tracing-subscriber's formatter and span registry) when the first
//! enabled span or event arrives. A server that logs nothing (a stdio server at the
//! default level) never pays for it: neither the start-up work nor the memory.

use std::sync::OnceLock;

use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Metadata, Subscriber};
use tracing_core::span::Current;
use tracing_subscriber::filter::Targets;

/// Builds the real subscriber, once.
type Build = Box<dyn Fn() -> Dispatch + Send + Sync>;

/// See the module documentation.
pub(crate) struct LazyLogger {
    /// The same filter the real subscriber applies.
    filter: Targets,
    build: Build,
    real: OnceLock<Dispatch>,
}

impl LazyLogger {
    /// A logger applying `filter`, whose real subscriber `build` makes when needed.
    pub(crate) fn new(filter: Targets, build: Build) -> LazyLogger {
        LazyLogger {
            filter,
            build,
            real: OnceLock::new(),
        }
    }

    fn real(&self) -> &Dispatch {
        self.real.get_or_init(|| (self.build)())
    }
}

impl Subscriber for LazyLogger {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        // "Sometimes": an enabled callsite asks `enabled` each time, which reaches the
        // real subscriber and its per-layer filter; a disabled one costs nothing.
        if self
            .filter
            .would_enable(metadata.target(), metadata.level())
        {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        let levels = self.filter.iter().map(|(_, level)| level);
        levels.chain(self.filter.default_level()).max()
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.filter
            .would_enable(metadata.target(), metadata.level())
            && self.real().enabled(metadata)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.real().new_span(span)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        self.real().record(span, values);
    }

    fn record_follows_from(&self, span: &Id, follows: &Id) {
        self.real().record_follows_from(span, follows);
    }

    fn event(&self, event: &Event<'_>) {
        self.real().event(event);
    }

    fn enter(&self, span: &Id) {
        self.real().enter(span);
    }

    fn exit(&self, span: &Id) {
        self.real().exit(span);
    }

    fn clone_span(&self, id: &Id) -> Id {
        self.real().clone_span(id)
    }

    fn try_close(&self, id: Id) -> bool {
        self.real().try_close(id)
    }

    fn current_span(&self) -> Current {
        // No real subscriber yet: no span was ever made.
        match self.real.get() {
            Some(real) => real.current_span(),
            None => Current::none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A logger whose real subscriber counts how often it was built and what it saw.
    fn counting(filter: &str) -> (LazyLogger, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let builds = Arc::new(AtomicUsize::new(0));
        let events = Arc::new(AtomicUsize::new(0));
        let (built, seen) = (Arc::clone(&builds), Arc::clone(&events));
        let logger = LazyLogger::new(
            filter.parse().unwrap(),
            Box::new(move || {
                built.fetch_add(1, Ordering::SeqCst);
                Dispatch::new(Counter(Arc::clone(&seen)))
            }),
        );
        (logger, builds, events)
    }

    struct Counter(Arc<AtomicUsize>);

    impl Subscriber for Counter {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &Event<'_>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[test]
    fn nothing_is_built_until_an_enabled_event_and_then_only_once() {
        let (logger, builds, events) = counting("info");
        assert_eq!(logger.max_level_hint(), Some(LevelFilter::INFO));
        tracing::subscriber::with_default(logger, || {
            tracing::debug!("filtered out");
            assert_eq!(builds.load(Ordering::SeqCst), 0);
            tracing::info!("first");
            tracing::warn!("second");
        });
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert_eq!(events.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn per_target_levels_raise_the_hint() {
        let (logger, builds, _) = counting("warn,mcp=debug");
        assert_eq!(logger.max_level_hint(), Some(LevelFilter::DEBUG));
        assert!(logger.current_span().id().is_none());
        assert_eq!(builds.load(Ordering::SeqCst), 0);
    }
}
