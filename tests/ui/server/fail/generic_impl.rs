// A generic impl block: the shared value is found by its concrete type.
struct Store<T>(T);

#[mcp::server]
impl<T: Send + Sync + 'static> Store<T> {
    /// Size.
    #[tool]
    fn size(&self) -> u32 {
        0
    }
}

fn main() {}
