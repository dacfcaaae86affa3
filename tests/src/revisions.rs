//! The protocol revisions the servers speak, and the `_meta` keys of a modern request.

/// Every protocol revision the servers are expected to speak, oldest first.
pub const ALL_REVISIONS: [&str; 5] = [
    "2024-11-05",
    "2025-03-26",
    "2025-06-18",
    "2025-11-25",
    "2026-07-28",
];

/// The legacy revisions: a session starts with the `initialize` handshake.
pub const LEGACY_REVISIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

/// The modern revision: no handshake, every request carries its version in `_meta`.
pub const MODERN_REVISION: &str = "2026-07-28";

/// `_meta` key of the protocol version of a modern request.
pub const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// `_meta` key of the client capabilities of a modern request.
pub const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
/// `_meta` key of the client identity of a modern request.
pub const META_CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";

/// Whether `revision` is a modern (handshake-free, per-request `_meta`) revision.
pub fn is_modern(revision: &str) -> bool {
    // Revision identifiers are ISO dates, so they order as strings.
    revision >= MODERN_REVISION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_eras() {
        assert!(is_modern("2026-07-28"));
        for revision in LEGACY_REVISIONS {
            assert!(!is_modern(revision));
        }
    }
}
