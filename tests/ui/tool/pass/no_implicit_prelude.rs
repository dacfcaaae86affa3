// The expansion names everything by absolute path: it compiles without the prelude.
#[no_implicit_prelude]
mod tools {
    /// Add two numbers.
    #[::mcp::tool(
        name = "add",
        annotations(read_only),
        icon(src = "https://example.com/add.png", mime = "image/png", sizes = ["48x48"], theme = "dark"),
        meta("com.example/flag" = true)
    )]
    pub fn add(a: f64, b: ::std::option::Option<f64>) -> ::std::result::Result<f64, ::std::string::String> {
        ::std::result::Result::Ok(a + ::std::option::Option::unwrap_or(b, 0.0))
    }

    /// Wait, then answer.
    #[::mcp::tool]
    pub async fn later(ctx: ::mcp::Context) -> ::std::string::String {
        let _ = ctx;
        ::std::string::String::new()
    }
}

fn main() {
    let _ = tools::add(1.0, None);
    let _ = tools::later(mcp::Context::detached());
}
