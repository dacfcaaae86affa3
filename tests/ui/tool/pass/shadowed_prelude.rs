// The user's module shadows `Result`, `Option`, `String`, `Box`, `Ok`, `Some`, `Send`
// and `core`: the expansion must not care.
#![allow(dead_code)]

mod tools {
    pub struct Result;
    pub struct Option;
    pub struct String;
    pub struct Box;
    pub struct Vec;
    pub struct Ok;
    pub struct Some;
    pub struct None;
    pub trait Send {}
    pub trait Sized {}
    pub trait Future {}
    pub mod core {}
    pub mod std {}

    /// Add two numbers.
    #[mcp::tool(icon(src = "https://example.com/add.png", theme = "light"), meta(n = 1))]
    pub fn add(a: f64, b: f64) -> f64 {
        a + b
    }

    /// Count, asynchronously and with a context.
    #[mcp::tool]
    pub async fn count(ctx: mcp::Context, to: u32) -> ::std::result::Result<u32, ::std::string::String> {
        let _ = ctx;
        ::std::result::Result::Ok(to)
    }
}

fn main() {
    let _ = tools::add(1.0, 2.0);
}
