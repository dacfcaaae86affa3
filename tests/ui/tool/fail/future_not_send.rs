// The user holds an `Rc` across an `.await`, so the tool's future is not `Send`.
use std::rc::Rc;

async fn pause() {}

/// Count to `to`.
#[mcp::tool]
async fn count(to: u32) -> u32 {
    let shared = Rc::new(to);
    pause().await;
    *shared
}

fn main() {}
