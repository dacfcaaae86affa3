// A prompt argument of a type that cannot be read from the argument's text.
struct Level;

/// Explain at a level.
#[mcp::prompt]
fn explain(level: Level) -> String {
    let _ = level;
    String::new()
}

fn main() {}
