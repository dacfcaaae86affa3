//! Protocol revisions and what each one can carry.

use std::fmt;

/// A revision of the Model Context Protocol that this server speaks.
///
/// Revisions up to 2025-11-25 are *legacy*: a client opens with `initialize` and the
/// negotiated revision holds for the session. 2026-07-28 is *modern*: every request
/// names its revision in `_meta`.
///
/// ```
/// use mcp::ProtocolVersion;
/// assert_eq!(ProtocolVersion::parse("2025-06-18"), Some(ProtocolVersion::V2025_06_18));
/// assert!(ProtocolVersion::LATEST.is_modern());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProtocolVersion {
    /// 2024-11-05, the first published revision (HTTP+SSE era).
    V2024_11_05,
    /// 2025-03-26: tool annotations, audio content, Streamable HTTP.
    V2025_03_26,
    /// 2025-06-18: structured tool output, titles, resource links.
    V2025_06_18,
    /// 2025-11-25: icons, URL elicitation, tasks; the last session-based revision.
    V2025_11_25,
    /// 2026-07-28: stateless, per-request `_meta`, `server/discover`.
    V2026_07_28,
}

impl ProtocolVersion {
    /// Every supported revision, newest first.
    pub const ALL: [ProtocolVersion; 5] = [
        ProtocolVersion::V2026_07_28,
        ProtocolVersion::V2025_11_25,
        ProtocolVersion::V2025_06_18,
        ProtocolVersion::V2025_03_26,
        ProtocolVersion::V2024_11_05,
    ];
    /// The newest revision.
    pub const LATEST: ProtocolVersion = ProtocolVersion::V2026_07_28;
    /// The newest revision that uses the `initialize` handshake.
    pub const LATEST_LEGACY: ProtocolVersion = ProtocolVersion::V2025_11_25;

    /// The revision's date string, as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProtocolVersion::V2024_11_05 => "2024-11-05",
            ProtocolVersion::V2025_03_26 => "2025-03-26",
            ProtocolVersion::V2025_06_18 => "2025-06-18",
            ProtocolVersion::V2025_11_25 => "2025-11-25",
            ProtocolVersion::V2026_07_28 => "2026-07-28",
        }
    }

    /// Parses a revision's date string; `None` for revisions this server does not know.
    pub fn parse(text: &str) -> Option<ProtocolVersion> {
        ProtocolVersion::ALL
            .into_iter()
            .find(|version| version.as_str() == text)
    }

    /// Whether this revision is modern (per-request `_meta`, no handshake).
    pub const fn is_modern(self) -> bool {
        matches!(self, ProtocolVersion::V2026_07_28)
    }

    /// Position in [`ProtocolVersion::ALL`] order reversed: 0 for the oldest.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// Tool `annotations` and audio content exist from 2025-03-26 on.
    pub(crate) fn has_annotations(self) -> bool {
        self >= ProtocolVersion::V2025_03_26
    }

    /// `title`, `outputSchema`, `structuredContent` and resource links exist from 2025-06-18 on.
    pub(crate) fn has_structured_output(self) -> bool {
        self >= ProtocolVersion::V2025_06_18
    }

    /// `_meta` on tool, resource and prompt descriptors exists from 2025-06-18 on.
    pub(crate) fn has_descriptor_meta(self) -> bool {
        self >= ProtocolVersion::V2025_06_18
    }

    /// `icons` on tools, resources and prompts exist from 2025-11-25 on.
    pub(crate) fn has_icons(self) -> bool {
        self >= ProtocolVersion::V2025_11_25
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_round_trips_through_its_string() {
        for version in ProtocolVersion::ALL {
            assert_eq!(ProtocolVersion::parse(version.as_str()), Some(version));
        }
        assert_eq!(ProtocolVersion::parse("1900-01-01"), None);
    }

    #[test]
    fn order_follows_dates() {
        let mut sorted = ProtocolVersion::ALL;
        sorted.sort();
        let dates: Vec<_> = sorted.iter().map(|v| v.as_str()).collect();
        let mut by_date = dates.clone();
        by_date.sort();
        assert_eq!(dates, by_date);
        assert_eq!(ProtocolVersion::V2024_11_05.index(), 0);
    }
}
