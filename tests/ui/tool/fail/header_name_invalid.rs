// The user gives a header name with a space in it.
/// Look up a city.
#[mcp::tool]
fn city(#[mcp(header = "City Name")] name: String) -> String {
    name
}

fn main() {}
