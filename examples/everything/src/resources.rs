//! The resources: `#[mcp::resource]` functions. Each doc comment is the description
//! clients see, so the scenario each one serves is noted in a plain comment above it.

use mcp::EmbeddedResource;

use crate::RED_PIXEL_PNG;

// Scenario `resources-read-text`.
/// A static text resource for testing
#[mcp::resource(
    uri = "test://static-text",
    mime = "text/plain",
    name = "static-text",
    title = "Static text resource"
)]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

// Scenario `resources-read-binary`. The PNG is kept as base64, so it is returned as
// an `EmbeddedResource` blob rather than as bytes; it is its own icon.
/// A static binary resource (a 1x1 PNG) for testing
#[mcp::resource(
    uri = "test://static-binary",
    mime = "image/png",
    name = "static-binary",
    title = "Static binary resource",
    icon(src = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", mime = "image/png", sizes = ["1x1"]),
    meta("com.example/scenario" = "resources-read-binary")
)]
fn static_binary() -> EmbeddedResource {
    EmbeddedResource {
        uri: "test://static-binary".to_owned(),
        mime_type: Some("image/png".to_owned()),
        text: None,
        blob: Some(RED_PIXEL_PNG.to_owned()),
    }
}

// Scenario `resources-templates-read`; `id` has a completer in `completions.rs`.
/// A resource template whose `id` is substituted into the data
#[mcp::resource(
    uri = "test://template/{id}/data",
    mime = "application/json",
    name = "template-data",
    title = "Template resource"
)]
fn template_data(id: String) -> String {
    serde_json::json!({
        "id": id,
        "templateTest": true,
        "data": format!("Data for ID: {id}"),
    })
    .to_string()
}

// The target of scenarios `resources-subscribe` and `resources-unsubscribe` (it never
// changes, so a subscription never fires).
/// A resource clients may subscribe to
#[mcp::resource(
    uri = "test://watched-resource",
    mime = "text/plain",
    name = "watched-resource",
    title = "Watched resource"
)]
fn watched_resource() -> &'static str {
    "Watched resource content"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_stay_callable_as_plain_functions() {
        assert!(static_text().starts_with("This is the content"));
        assert_eq!(static_binary().blob.as_deref(), Some(RED_PIXEL_PNG));
        let data: serde_json::Value = serde_json::from_str(&template_data("42".into())).unwrap();
        assert_eq!(data["data"], "Data for ID: 42");
        assert_eq!(watched_resource(), "Watched resource content");
    }
}
