// The user gives `main` a return type.
#[mcp::main]
async fn main() -> Result<(), String> {
    Ok(())
}
