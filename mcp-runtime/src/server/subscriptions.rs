//! `subscriptions/listen` (2026-07-28): a long-lived request whose "response stream"
//! carries change notifications the client opted in to.
//!
//! The server acknowledges with the subset of the filter it honours (the tool list,
//! when it has tools; it never changes at run time yet, so nothing more is sent), then
//! holds the request open until the client cancels it (a closed HTTP stream, or
//! `notifications/cancelled` on stdio) or the server ends it (drain, end of input), in
//! which case it answers with a completion result, as the spec's graceful closure says.

use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use crate::protocol::jsonrpc::{notification_message, result_value_message};
use crate::protocol::{RequestId, RpcError};
use crate::server::Server;
use crate::server::dispatch::{CallTask, Peer, Reply};
use crate::server::outbound::Outbound;
use crate::tool_result::finish_modern;

const SUBSCRIPTION_ID_KEY: &str = "io.modelcontextprotocol/subscriptionId";

impl Server {
    /// Starts a subscription for request `id`.
    pub(crate) fn listen(
        &self,
        id: RequestId,
        params: &Map<String, Value>,
        peer: &Peer,
        notify: &Outbound,
    ) -> Result<CallTask, RpcError> {
        let Some(filter) = params.get("notifications").and_then(Value::as_object) else {
            return Err(RpcError::invalid_params(
                "`notifications` must be an object naming the notifications to receive",
            ));
        };
        let mut honoured = Map::new();
        if filter.get("toolsListChanged") == Some(&Value::Bool(true))
            && !self.core().tools.is_empty()
        {
            honoured.insert("toolsListChanged".into(), Value::Bool(true));
        }
        if filter.get("promptsListChanged") == Some(&Value::Bool(true))
            && !self.core().prompts.is_empty()
        {
            honoured.insert("promptsListChanged".into(), Value::Bool(true));
        }
        if filter.get("resourcesListChanged") == Some(&Value::Bool(true))
            && !self.core().resources.is_empty()
        {
            honoured.insert("resourcesListChanged".into(), Value::Bool(true));
        }
        if let Some(Value::Array(uris)) = filter.get("resourceSubscriptions") {
            let known: Vec<Value> = uris
                .iter()
                .filter(|uri| {
                    uri.as_str()
                        .is_some_and(|uri| self.core().resources.knows(uri))
                })
                .cloned()
                .collect();
            if !known.is_empty() {
                honoured.insert("resourceSubscriptions".into(), Value::Array(known));
            }
        }
        let registration = peer.in_flight.register(&id).ok_or_else(|| {
            RpcError::invalid_request("a request with this id is already in flight")
        })?;
        let acknowledged = notification_message(
            "notifications/subscriptions/acknowledged",
            &json!({ "_meta": { SUBSCRIPTION_ID_KEY: id }, "notifications": honoured }),
        );
        let listener = honoured
            .contains_key("toolsListChanged")
            .then(|| self.core().listeners.add(notify.clone(), Some(id.clone())));
        let notify = notify.clone();
        let server = self.clone();
        let ending: [CancellationToken; 2] = [server.core().closing.clone(), peer.closing.clone()];
        Ok(Box::pin(async move {
            // Registered for as long as the subscription lasts.
            let _listener = listener;
            notify.send(acknowledged).await;
            let cancelled = registration.token();
            let [server_closing, peer_closing] = ending;
            tokio::select! {
                () = cancelled.cancelled() => return None,
                () = server_closing.cancelled() => {}
                () = peer_closing.cancelled() => {}
            }
            registration.complete();
            let mut result = Map::new();
            finish_modern(&mut result, &server.core().info_json);
            if let Some(Value::Object(meta)) = result.get_mut("_meta") {
                meta.insert(
                    SUBSCRIPTION_ID_KEY.into(),
                    serde_json::to_value(&id).unwrap_or(Value::Null),
                );
            }
            Some(Reply::ok(result_value_message(&id, &Value::Object(result))))
        }))
    }

    #[cfg_attr(not(feature = "http"), allow(dead_code))] // used by the HTTP transport
    /// Ends every subscription of this server gracefully (drain).
    pub(crate) fn close_subscriptions(&self) {
        self.core().closing.cancel();
    }
}
