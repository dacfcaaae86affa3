//! Running the cases on one conversation and checking what came back.

use serde_json::{Value, json};

use super::{Answer, Case, Status};
use super::{Conversation, Observed, Transport};
use crate::{Schema, show};

/// Sends every case that applies to `conversation`, each followed by a valid `add`;
/// returns one line per deviation (empty when all went as the cases say).
pub fn run(conversation: &mut dyn Conversation, cases: &[Case]) -> Vec<String> {
    let era = conversation.era();
    let transport = conversation.transport();
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        if !case.applies(transport, era) {
            continue;
        }
        let follow_up = 1000 + i64::try_from(index).unwrap_or(0);
        let body = (case.body)(era);
        let observed = conversation.exchange(case, &body, follow_up);
        let mut problems = Vec::new();
        if let Err(problem) = check_case(case, transport, conversation, &observed) {
            problems.push(problem);
        }
        if let Err(problem) = check_follow_up(conversation.schema(), follow_up, &observed) {
            problems.push(format!("the next request: {problem}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} — {}: {}\n    sent: {}\n    got: HTTP {:?}, {}, body {:?}",
                conversation.label(),
                case.name,
                problems.join("; "),
                preview(&body),
                observed.status,
                show(&observed.messages),
                observed.body,
            ));
        }
    }
    failures
}

/// The case's answer and status.
fn check_case(
    case: &Case,
    transport: Transport,
    conversation: &dyn Conversation,
    observed: &Observed,
) -> Result<(), String> {
    let era = conversation.era();
    let expected_status = match transport {
        Transport::Stdio => None,
        Transport::Streamable => Some(case.http_status(era)),
        Transport::HttpSse => Some(case.sse_status(era)),
    };
    if observed.status != expected_status {
        return Err(format!(
            "expected HTTP {expected_status:?}, got {:?}",
            observed.status
        ));
    }
    let answer = match (case.status, transport) {
        (Status::Refused(_), Transport::Streamable | Transport::HttpSse) => &Answer::Nothing,
        _ => case.answer(transport, era),
    };
    let schema = conversation.schema();
    for message in &observed.messages {
        check_message(schema, message)?;
    }
    match (answer, observed.messages.as_slice()) {
        (Answer::Nothing, []) => {
            let empty_202 =
                observed.status.is_none_or(|status| status != 202) || observed.body.is_empty();
            if empty_202 {
                Ok(())
            } else {
                Err("a 202 has no body".to_owned())
            }
        }
        (Answer::Error(code, id), [message]) => expect_error(schema, message, *code, id),
        (Answer::Result(id, tool_error), [message]) => {
            expect_call_result(schema, message, id, *tool_error).map(|_| ())
        }
        (Answer::Batch(items), [message]) => expect_batch(schema, message, items),
        (answer, messages) => Err(format!(
            "expected {answer:?}, got {} messages",
            messages.len()
        )),
    }
}

///
/// An `id` of `null` stands for one the server could not read: JSON-RPC 2.0's `null` up
/// to 2025-06-18, no `id` at all from 2025-11-25 on (its error response's `id` is
/// optional and typed string or integer).
fn expect_error(schema: &Schema, message: &Value, code: i64, id: &Value) -> Result<(), String> {
    let expected = match id {
        Value::Null if omits_unread_ids(schema) => None,
        id => Some(id),
    };
    if message.get("id") != expected {
        let shown = |id: Option<&Value>| id.map_or("no id".to_owned(), Value::to_string);
        return Err(format!(
            "expected {}, got {}: {message}",
            shown(expected),
            shown(message.get("id"))
        ));
    }
    match message["error"]["code"].as_i64() {
        Some(got) if got == code => Ok(()),
        _ => Err(format!("expected error {code}, got {message}")),
    }
}

/// Checks a `CallToolResult` answering `id`, returning its result.
fn expect_call_result<'a>(
    schema: &Schema,
    message: &'a Value,
    id: &Value,
    tool_error: bool,
) -> Result<&'a Value, String> {
    if message.get("id") != Some(id) {
        return Err(format!("expected id {id}, got {}", message["id"]));
    }
    let result = message
        .get("result")
        .ok_or_else(|| format!("expected a result, got {message}"))?;
    schema
        .validate("CallToolResult", result)
        .map_err(|violation| violation.to_string())?;
    let is_error = result["isError"] == json!(true);
    if is_error != tool_error {
        return Err(format!("expected isError {tool_error}, got {result}"));
    }
    Ok(result)
}

fn expect_batch(
    schema: &Schema,
    message: &Value,
    items: &[(Option<i64>, Value)],
) -> Result<(), String> {
    let replies = message
        .as_array()
        .ok_or_else(|| format!("expected a batch response (an array), got {message}"))?;
    if replies.len() != items.len() {
        return Err(format!(
            "expected {} replies in the batch, got {}",
            items.len(),
            replies.len()
        ));
    }
    for (reply, (code, id)) in replies.iter().zip(items) {
        match code {
            Some(code) => expect_error(schema, reply, *code, id)?,
            None => expect_call_result(schema, reply, id, false).map(|_| ())?,
        }
    }
    Ok(())
}

/// The follow-up `add` of 1 and 2: a result answering `id` whose text is `3`.
fn check_follow_up(schema: &Schema, id: i64, observed: &Observed) -> Result<(), String> {
    let message = observed.follow_up.as_ref().map_err(String::clone)?;
    check_message(schema, message)?;
    let result = expect_call_result(schema, message, &json!(id), false)?;
    match result["content"][0]["text"].as_str() {
        Some("3") => Ok(()),
        _ => Err(format!("expected 1 + 2 = 3, got {message}")),
    }
}

/// Validates a server message (a batch response element by element) against `schema`.
///
/// An error response whose id could not be read has `id: null` up to 2025-06-18, as
/// JSON-RPC 2.0 §5 requires; those schemas type a required `id` as string or integer and
/// cannot express the message at all, so it is checked with a stand-in id. 2025-11-25
/// and later leave the id out, which their schemas allow: the message is checked as it
/// is. Errors with a definition of their own in the schema are checked against it too.
///
/// # Errors
///
/// The schema violation, as text.
pub fn check_message(schema: &Schema, message: &Value) -> Result<(), String> {
    if let Some(replies) = message.as_array() {
        for reply in replies {
            check_message(schema, reply)?;
        }
        let stand_ins: Vec<Value> = replies.iter().map(|r| stand_in(schema, r)).collect();
        return schema
            .validate("JSONRPCBatchResponse", &Value::Array(stand_ins))
            .map_err(|violation| violation.to_string());
    }
    let checked = stand_in(schema, message);
    schema
        .validate_server_message(&checked)
        .map_err(|violation| violation.to_string())?;
    let specific = match message["error"]["code"].as_i64() {
        Some(-32700) => Some(("ParseError", &message["error"])),
        Some(-32600) => Some(("InvalidRequestError", &message["error"])),
        Some(-32601) => Some(("MethodNotFoundError", &message["error"])),
        Some(-32602) => Some(("InvalidParamsError", &message["error"])),
        Some(-32022) => Some(("UnsupportedProtocolVersionError", &checked)),
        _ => None,
    };
    match specific {
        Some((definition, part)) if schema.has_definition(definition) => schema
            .validate(definition, part)
            .map_err(|violation| violation.to_string()),
        _ => Ok(()),
    }
}

/// Whether `schema` is of a revision whose errors leave out an id that could not be read
/// (2025-11-25 and later, the first with a `JSONRPCErrorResponse` of optional `id`).
fn omits_unread_ids(schema: &Schema) -> bool {
    schema.has_definition("JSONRPCErrorResponse")
}

/// `message` with an `id: null` replaced by `0`, in the older schemas (which require a
/// string or integer id and have no way to write one that could not be read).
fn stand_in(schema: &Schema, message: &Value) -> Value {
    let mut message = message.clone();
    if !omits_unread_ids(schema)
        && message.get("error").is_some()
        && message.get("id").is_some_and(Value::is_null)
    {
        message["id"] = json!(0);
    }
    message
}

/// The start of what was sent, for failure reports.
fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(160)]).into_owned();
    if body.len() > 160 {
        format!("{text}… ({} bytes)", body.len())
    } else {
        text
    }
}
