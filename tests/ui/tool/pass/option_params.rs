// `Option` parameters are optional; any `Deserialize + JsonSchema` type is accepted.
use std::collections::BTreeMap;

#[derive(mcp::serde::Deserialize, mcp::schemars::JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
enum Unit {
    Celsius,
    Fahrenheit,
}

/// Read the weather.
///
/// # Arguments
/// * `city` - where
/// * `unit` - which scale
#[mcp::tool]
fn weather(
    city: String,
    unit: Option<Unit>,
    #[mcp(description = "how many days ahead")] days: Option<u8>,
    tags: Vec<String>,
    extra: BTreeMap<String, f64>,
) -> String {
    let unit = match unit {
        Some(Unit::Celsius) | None => "C",
        Some(Unit::Fahrenheit) => "F",
    };
    format!("{city} {unit} {days:?} {tags:?} {extra:?}")
}

fn main() {
    let _ = weather("Oslo".into(), None, Some(1), Vec::new(), BTreeMap::new());
}
