//! Shared state for tools, resources and prompts: values the server holds, handed to any
//! function that takes [`State<T>`].

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

/// A value shared by every call, injected by type (never part of a schema).
///
/// Provide it with [`ServerBuilder::state`](crate::ServerBuilder::state), or with
/// [`provide`] in the body of `#[mcp::main]`.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// /// Counts calls.
/// #[derive(Default)]
/// struct Hits(AtomicU64);
///
/// /// Count this call.
/// #[mcp::tool]
/// fn hit(hits: mcp::State<Hits>) -> u64 {
///     hits.0.fetch_add(1, Ordering::Relaxed) + 1
/// }
///
/// let server = mcp::Server::builder().tool(hit).state(Hits::default()).build().unwrap();
/// # let _ = server;
/// ```
pub struct State<T: ?Sized>(Arc<T>);

impl<T: ?Sized> Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized> Clone for State<T> {
    fn clone(&self) -> State<T> {
        State(Arc::clone(&self.0))
    }
}

impl<T: ?Sized> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "State<{}>", std::any::type_name::<T>())
    }
}

impl<T: ?Sized> State<T> {
    /// The shared value.
    pub fn arc(&self) -> &Arc<T> {
        &self.0
    }
}

/// Values by type.
#[derive(Clone, Default)]
pub(crate) struct States {
    values: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl fmt::Debug for States {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("States")
            .field("count", &self.values.len())
            .finish()
    }
}

impl States {
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.values.insert(TypeId::of::<T>(), Arc::new(value));
    }

    pub(crate) fn extend(&mut self, other: States) {
        self.values.extend(other.values);
    }

    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<State<T>> {
        let value = Arc::clone(self.values.get(&TypeId::of::<T>())?);
        value.downcast::<T>().ok().map(State)
    }
}

static PROVIDED: Mutex<Option<States>> = Mutex::new(None);

/// Makes `value` available as [`State<T>`] to the server `#[mcp::main]` starts after its
/// body (one value per type; a later one replaces an earlier one).
///
/// ```no_run
/// /// The database handle every tool shares.
/// struct Db;
///
/// #[mcp::main]
/// async fn main() {
///     mcp::provide(Db);
/// }
/// ```
pub fn provide<T: Send + Sync + 'static>(value: T) {
    if let Ok(mut provided) = PROVIDED.lock() {
        provided.get_or_insert_with(States::default).insert(value);
    }
}

/// The values given to [`provide`] so far.
pub(crate) fn provided() -> States {
    PROVIDED
        .lock()
        .ok()
        .and_then(|provided| provided.clone())
        .unwrap_or_default()
}
