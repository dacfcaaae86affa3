//! Multi round-trip requests (2026-07-28): a handler that asks for input suspends; the
//! request is answered `input_required` with the questions and a sealed `requestState`;
//! the client's retry carries the answers, and the handler runs again and finds them.
//!
//! `requestState` is `base64(payload).base64(HMAC-SHA256(key, payload))`; the payload
//! binds the answers so far to the method, the tool/prompt/resource, the authenticated
//! identity and an expiry, so a tampered, replayed-elsewhere or stale state is refused.

use std::borrow::Cow;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;
use tokio::sync::Notify;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::base64;
use crate::input::InputRequest;
use crate::protocol::jsonrpc::result_value_message;
use crate::protocol::meta::SERVER_INFO_KEY;
use crate::protocol::{RequestId, RpcError, codes};
use crate::server::Server;
use crate::server::dispatch::Reply;
use crate::server::in_flight::Registration;
use crate::server::running::run_handler;

/// How long a `requestState` stays valid.
const STATE_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The key that seals request states: `MCP_STATE_SECRET` (shared by replicas behind a
/// load balancer) or random per process.
#[derive(Clone)]
pub(crate) struct StateKey(Vec<u8>);

impl std::fmt::Debug for StateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateKey(..)")
    }
}

impl StateKey {
    pub(crate) fn from_environment() -> StateKey {
        if let Ok(secret) = std::env::var("MCP_STATE_SECRET")
            && !secret.is_empty()
        {
            return StateKey(secret.into_bytes());
        }
        let mut key = vec![0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            tracing::warn!("no randomness for the request-state key; set MCP_STATE_SECRET");
        }
        StateKey(key)
    }

    fn mac(&self, payload: &[u8]) -> Vec<u8> {
        // HMAC accepts keys of any length.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return Vec::new();
        };
        mac.update(payload);
        mac.finalize().into_bytes().to_vec()
    }

    fn verify(&self, payload: &[u8], tag: &[u8]) -> bool {
        Hmac::<Sha256>::new_from_slice(&self.0)
            .map(|mut mac| {
                mac.update(payload);
                mac.verify_slice(tag).is_ok()
            })
            .unwrap_or(false)
    }
}

/// What a sealed state is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) method: &'static str,
    /// The tool or prompt name, or the resource URI.
    pub(crate) target: Cow<'static, str>,
    pub(crate) principal: Option<String>,
}

/// The input state of a 2026-07-28 `tools/call`, `prompts/get` or `resources/read`
/// (legacy requests have none: they ask the client over their connection).
pub(crate) fn input_for(
    server: &Server,
    params: &Map<String, Value>,
    binding: Binding,
    client_capabilities: &Value,
) -> Result<(Arc<InputState>, Binding), RpcError> {
    let state = InputState::from_params(
        params,
        &server.core().state_key,
        &binding,
        client_capabilities.clone(),
    )?;
    Ok((Arc::new(state), binding))
}

/// The input of one request: answers known so far, and questions asked this round.
#[derive(Debug)]
pub(crate) struct InputState {
    answers: Map<String, Value>,
    client_capabilities: Value,
    questions: Mutex<Vec<(String, Value)>>,
    refusal: Mutex<Option<RpcError>>,
    counter: AtomicUsize,
    /// Set when the handler asked for input it does not have; `resume` wakes the runner.
    suspended: AtomicBool,
    resume: Notify,
}

impl InputState {
    /// Reads `inputResponses` and `requestState` of a request.
    pub(crate) fn from_params(
        params: &Map<String, Value>,
        key: &StateKey,
        binding: &Binding,
        client_capabilities: Value,
    ) -> Result<InputState, RpcError> {
        let mut answers = match params.get("requestState") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::String(state)) => open(state, key, binding)?,
            Some(_) => return Err(RpcError::invalid_params("`requestState` must be a string")),
        };
        match params.get("inputResponses") {
            None | Some(Value::Null) => {}
            Some(Value::Object(responses)) => {
                for (name, response) in responses {
                    if !response.is_object() {
                        return Err(RpcError::invalid_params(format!(
                            "`inputResponses.{name}` must be an object (the client's result)"
                        )));
                    }
                    answers.insert(name.clone(), response.clone());
                }
            }
            Some(_) => {
                return Err(RpcError::invalid_params(
                    "`inputResponses` must be an object",
                ));
            }
        }
        Ok(InputState {
            answers,
            client_capabilities,
            questions: Mutex::default(),
            refusal: Mutex::default(),
            counter: AtomicUsize::new(0),
            suspended: AtomicBool::new(false),
            resume: Notify::new(),
        })
    }

    /// The answer to `request`, or `None` after recording the question (the caller then
    /// waits forever: the runner answers `input_required` and drops the handler).
    pub(crate) fn ask(&self, request: &InputRequest) -> Option<Value> {
        let key = request
            .key
            .clone()
            .unwrap_or_else(|| format!("input-{}", self.counter.fetch_add(1, Ordering::Relaxed)));
        if let Some(answer) = self.answers.get(&key) {
            return Some(answer.clone());
        }
        if let Some(required) = request.missing_capability(&self.client_capabilities) {
            let error = RpcError::new(
                codes::MISSING_REQUIRED_CLIENT_CAPABILITY,
                format!(
                    "this request needs the client capability `{}`",
                    InputRequest::capability_name(&required)
                ),
            )
            .with_data(json!({ "requiredCapabilities": required }));
            if let Ok(mut refusal) = self.refusal.lock() {
                refusal.get_or_insert(error);
            }
        } else if let Ok(mut questions) = self.questions.lock() {
            let question = json!({ "method": request.method, "params": request.params });
            questions.push((key, question));
        }
        self.suspended.store(true, Ordering::Release);
        self.resume.notify_waiters();
        None
    }

    /// Completes when the handler asked for input it does not have.
    pub(crate) async fn suspended(&self) {
        loop {
            let notified = self.resume.notified();
            tokio::pin!(notified);
            // Registered before the flag is read, so a question asked in between still
            // wakes this wait.
            notified.as_mut().enable();
            if self.suspended.load(Ordering::Acquire) {
                return;
            }
            notified.await;
        }
    }

    /// The result of a suspended round: `-32021` if a capability is missing, else the
    /// `input_required` result (without `_meta`; the caller adds it).
    pub(crate) fn outcome(
        &self,
        key: &StateKey,
        binding: &Binding,
    ) -> Result<Map<String, Value>, RpcError> {
        if let Some(refusal) = self
            .refusal
            .lock()
            .ok()
            .and_then(|mut refusal| refusal.take())
        {
            return Err(refusal);
        }
        let questions = self.questions.lock().map(|q| q.clone()).unwrap_or_default();
        let mut result = Map::new();
        result.insert("resultType".into(), Value::from("input_required"));
        let requests: Map<String, Value> = questions.into_iter().collect();
        result.insert("inputRequests".into(), Value::Object(requests));
        result.insert(
            "requestState".into(),
            Value::from(seal(&self.answers, key, binding)),
        );
        Ok(result)
    }
}

/// Runs a handler that may ask for input: like [`run_handler`], and when the handler
/// suspends on a question, answers `input_required` (or `-32021`) instead.
pub(crate) async fn run_with_input<T>(
    id: &RequestId,
    what: &str,
    registration: Registration,
    future: Pin<Box<dyn Future<Output = T> + Send>>,
    input: Option<(Arc<InputState>, Binding)>,
    server: &Server,
) -> Option<Result<T, Reply>> {
    let Some((input, binding)) = input else {
        return run_handler(id, what, registration, future).await;
    };
    let run = run_handler(id, what, registration, future);
    tokio::pin!(run);
    tokio::select! {
        biased;
        outcome = &mut run => outcome,
        () = input.suspended() => {
            let core = server.core();
            Some(Err(match input.outcome(&core.state_key, &binding) {
                Ok(mut result) => {
                    let mut meta = Map::new();
                    meta.insert(SERVER_INFO_KEY.into(), core.info_json.clone());
                    result.insert("_meta".into(), Value::Object(meta));
                    Reply::ok(result_value_message(id, &Value::Object(result)))
                }
                Err(error) => Reply::error(id, &error),
            }))
        }
    }
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis())
        .unwrap_or(0)
}

/// Seals the answers so far for the client to echo back.
fn seal(answers: &Map<String, Value>, key: &StateKey, binding: &Binding) -> String {
    let payload = json!({
        "v": 1,
        "m": binding.method,
        "t": binding.target,
        "p": binding.principal,
        "e": (now_ms() + STATE_LIFETIME.as_millis()).to_string(),
        "a": answers,
    })
    .to_string();
    let tag = key.mac(payload.as_bytes());
    format!(
        "{}.{}",
        base64::encode(payload.as_bytes()),
        base64::encode(&tag)
    )
}

/// Opens a sealed state: the answers, if it is intact, fresh and for this request.
fn open(state: &str, key: &StateKey, binding: &Binding) -> Result<Map<String, Value>, RpcError> {
    let invalid = |why: &str| RpcError::invalid_params(format!("invalid requestState: {why}"));
    let (payload, tag) = state.split_once('.').ok_or_else(|| invalid("malformed"))?;
    let payload = base64::decode(payload).ok_or_else(|| invalid("malformed"))?;
    let tag = base64::decode(tag).ok_or_else(|| invalid("malformed"))?;
    if !key.verify(&payload, &tag) {
        return Err(invalid("it was altered or sealed by another server"));
    }
    let payload: Value = serde_json::from_slice(&payload).map_err(|_| invalid("malformed"))?;
    let expiry: u128 = payload["e"]
        .as_str()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    if expiry < now_ms() {
        return Err(invalid("it expired; start the request again without it"));
    }
    let bound = payload["m"] == binding.method
        && payload["t"] == binding.target.as_ref()
        && payload["p"] == json!(binding.principal);
    if !bound {
        return Err(invalid("it belongs to another request or identity"));
    }
    Ok(payload["a"].as_object().cloned().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding() -> Binding {
        Binding {
            method: "tools/call",
            target: "greet".into(),
            principal: None,
        }
    }

    fn state(params: Value, key: &StateKey, binding: &Binding) -> Result<InputState, RpcError> {
        let params = params.as_object().cloned().unwrap_or_default();
        InputState::from_params(&params, key, binding, json!({"elicitation": {}}))
    }

    #[test]
    fn a_sealed_state_opens_only_intact_and_for_its_request() {
        let key = StateKey(b"secret".to_vec());
        let mut answers = Map::new();
        answers.insert("a".into(), json!({"action": "accept"}));
        let sealed = seal(&answers, &key, &binding());
        assert_eq!(open(&sealed, &key, &binding()).unwrap(), answers);
        let other_key = StateKey(b"other".to_vec());
        assert_eq!(
            open(&sealed, &other_key, &binding()).unwrap_err().code,
            -32602
        );
        let other_tool = Binding {
            target: "other".into(),
            ..binding()
        };
        assert_eq!(open(&sealed, &key, &other_tool).unwrap_err().code, -32602);
        let mut tampered = sealed.clone().into_bytes();
        tampered[3] ^= 1;
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(open(&tampered, &key, &binding()).is_err());
    }

    #[test]
    fn questions_are_asked_until_answered() {
        let key = StateKey(b"k".to_vec());
        let first = state(json!({}), &key, &binding()).unwrap();
        let request = InputRequest::elicit::<String>("name?").key("name");
        assert!(first.ask(&request).is_none());
        let outcome = first.outcome(&key, &binding()).unwrap();
        assert_eq!(
            outcome["inputRequests"]["name"]["method"],
            "elicitation/create"
        );
        let retry = state(
            json!({"inputResponses": {"name": {"action": "accept", "content": "Ada"}}, "requestState": outcome["requestState"]}),
            &key,
            &binding(),
        )
        .unwrap();
        assert_eq!(retry.ask(&request).unwrap()["content"], "Ada");
    }

    #[test]
    fn a_missing_capability_is_refused() {
        let key = StateKey(b"k".to_vec());
        let params = Map::new();
        let input = InputState::from_params(&params, &key, &binding(), json!({})).unwrap();
        assert!(input.ask(&InputRequest::list_roots()).is_none());
        let error = input.outcome(&key, &binding()).unwrap_err();
        assert_eq!(error.code, -32021);
        assert_eq!(
            error.data.unwrap()["requiredCapabilities"],
            json!({"roots": {}})
        );
    }
}
