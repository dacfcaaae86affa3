// One name in two modules compiles (the server reports that clash at startup), and
// distinct names that only differ in `-`, `.` and `_` do not clash.
mod a {
    /// Add two numbers.
    #[mcp::tool(name = "calc")]
    pub fn add(a: f64, b: f64) -> f64 {
        a + b
    }
}

mod b {
    /// Subtract `b` from `a`.
    #[mcp::tool(name = "calc")]
    pub fn subtract(a: f64, b: f64) -> f64 {
        a - b
    }
}

/// One.
#[mcp::tool(name = "files.read")]
fn one() {}

/// Two.
#[mcp::tool(name = "files-read")]
fn two() {}

/// Three.
#[mcp::tool(name = "files_read")]
fn three() {}

/// Four: the tool `files_read` and the function `files_read` are different things.
#[mcp::tool(name = "files_2e_read")]
fn files_read() {}

fn main() {
    let _ = (a::add(1.0, 2.0), b::subtract(1.0, 2.0));
    one();
    two();
    three();
    files_read();
}
