//! Tools enabled and disabled at run time, and the `notifications/tools/list_changed`
//! that tell clients: on `subscriptions/listen` streams that asked for it (2026-07-28)
//! and on legacy connections that can carry server messages (stdio, HTTP+SSE).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::json;

use crate::protocol::RequestId;
use crate::protocol::jsonrpc::notification_message;
use crate::server::Server;
use crate::server::lists::PreparedList;
use crate::server::outbound::Outbound;

/// A place a list change is announced.
#[derive(Debug)]
struct Listener {
    id: u64,
    outbound: Outbound,
    /// The `subscriptions/listen` request it answers; `None` for a legacy connection.
    subscription: Option<RequestId>,
}

/// The listeners of one server.
#[derive(Debug, Default)]
pub(crate) struct Listeners {
    next: AtomicU64,
    listeners: Mutex<Vec<Listener>>,
}

/// Keeps a listener registered; dropping it removes the listener.
#[derive(Debug)]
pub(crate) struct ListenerGuard {
    listeners: Arc<Listeners>,
    id: u64,
}

impl Drop for ListenerGuard {
    fn drop(&mut self) {
        if let Ok(mut listeners) = self.listeners.listeners.lock() {
            listeners.retain(|listener| listener.id != self.id);
        }
    }
}

impl Listeners {
    /// Registers a place to announce tool-list changes.
    pub(crate) fn add(
        self: &Arc<Self>,
        outbound: Outbound,
        subscription: Option<RequestId>,
    ) -> ListenerGuard {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.push(Listener {
                id,
                outbound,
                subscription,
            });
        }
        ListenerGuard {
            listeners: Arc::clone(self),
            id,
        }
    }

    /// Announces that the tool list changed; listeners that are gone are dropped.
    fn tools_changed(&self) {
        let Ok(mut listeners) = self.listeners.lock() else {
            return;
        };
        listeners.retain(|listener| {
            let params = match &listener.subscription {
                Some(id) => json!({ "_meta": { "io.modelcontextprotocol/subscriptionId": id } }),
                None => json!({}),
            };
            let message = notification_message("notifications/tools/list_changed", &params);
            listener.outbound.try_send(message)
        });
    }
}

/// Which tools are switched off, and the tool list that leaves.
#[derive(Debug, Default)]
pub(crate) struct Switches {
    pub(crate) disabled: RwLock<HashSet<String>>,
    pub(crate) tools_list: RwLock<Arc<PreparedList>>,
}

impl Server {
    /// Switches a tool on or off at run time: an off tool is not listed and cannot be
    /// called, and clients listening for tool-list changes are told. `false` when the
    /// server has no tool of that name.
    ///
    /// ```
    /// /// Add two numbers.
    /// #[mcp::tool]
    /// fn add(a: f64, b: f64) -> f64 {
    ///     a + b
    /// }
    ///
    /// let server = mcp::Server::builder().tool(add).build().unwrap();
    /// assert!(server.set_tool_enabled("add", false));
    /// assert!(!server.is_tool_enabled("add"));
    /// assert!(!server.set_tool_enabled("nope", false));
    /// ```
    pub fn set_tool_enabled(&self, name: &str, enabled: bool) -> bool {
        let core = self.core();
        if core.tools.get(name).is_none() {
            return false;
        }
        let changed = match core.switches.disabled.write() {
            Ok(mut disabled) if enabled => disabled.remove(name),
            Ok(mut disabled) => disabled.insert(name.to_owned()),
            Err(_) => false,
        };
        if changed {
            let list = core.prepare_tools_list();
            if let Ok(mut current) = core.switches.tools_list.write() {
                *current = Arc::new(list);
            }
            core.listeners.tools_changed();
        }
        true
    }

    /// Whether a tool is served (it exists and is switched on).
    pub fn is_tool_enabled(&self, name: &str) -> bool {
        self.core().tools.get(name).is_some() && self.core().tool_switched_on(name)
    }
}
