//! [`ClientCertificate`]: the certificate a client proved it holds (mutual TLS), with its
//! subject read from the DER.

use std::fmt::{self, Write as _};
use std::sync::Arc;

/// The certificate a client presented and proved it holds, over HTTPS with
/// `--tls-client-ca` (mutual TLS); the server verified it against that CA before the
/// first byte of HTTP was read.
///
/// Tools get it from [`Context::client_certificate`](crate::Context::client_certificate).
/// Cloning is cheap.
///
/// ```
/// # fn check(cert: &mcp::ClientCertificate) {
/// // A subject in RFC 4514 form, most specific part first.
/// println!("{}", cert.subject()); // CN=alice,OU=payments,O=Example Corp
/// if cert.common_name() == Some("alice") { /* … */ }
/// # }
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientCertificate {
    inner: Arc<Parsed>,
}

#[derive(PartialEq, Eq, Hash)]
struct Parsed {
    der: Vec<u8>,
    subject: String,
    common_name: Option<String>,
}

impl ClientCertificate {
    /// Reads an X.509 certificate in DER; `None` when the bytes are not one. Only the
    /// subject is read: nothing is verified here (the TLS layer did that).
    pub fn from_der(der: impl Into<Vec<u8>>) -> Option<ClientCertificate> {
        let der = der.into();
        let names = subject_names(&der)?;
        let common_name = names
            .iter()
            .flatten()
            .filter(|name| name.oid == COMMON_NAME)
            .find_map(|name| name.text.clone());
        let subject = rfc4514(&names);
        Some(ClientCertificate {
            inner: Arc::new(Parsed {
                der,
                subject,
                common_name,
            }),
        })
    }

    /// The subject's distinguished name as RFC 4514 writes it (`CN=alice,O=Example`):
    /// the most specific part first, special characters escaped, unknown attributes as
    /// their dotted OID with the value's DER in hex.
    pub fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// The subject's common name (`CN`), when it has one.
    pub fn common_name(&self) -> Option<&str> {
        self.inner.common_name.as_deref()
    }

    /// The whole certificate in DER, for reading what else it says (subject
    /// alternative names, extensions) with an X.509 library.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("subject", &self.subject())
            .finish_non_exhaustive()
    }
}

const COMMON_NAME: &str = "2.5.4.3";

/// Short names RFC 4514 (and common practice) gives attribute types.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        COMMON_NAME => "CN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => return None,
    })
}

/// One attribute of a relative distinguished name.
struct Attribute {
    oid: String,
    /// The value as text, when it is a string type.
    text: Option<String>,
    /// The value's whole DER (tag, length, content).
    der: Vec<u8>,
}

/// The subject's relative distinguished names, in certificate order (least specific
/// first).
fn subject_names(der: &[u8]) -> Option<Vec<Vec<Attribute>>> {
    let certificate = Der::new(der).expect(SEQUENCE)?;
    let tbs = Der::new(certificate.content).expect(SEQUENCE)?;
    let mut fields = Der::new(tbs.content);
    let mut field = fields.next()?;
    if field.tag == VERSION {
        field = fields.next()?;
    }
    if field.tag != INTEGER {
        return None;
    }
    fields.expect(SEQUENCE)?; // signature algorithm
    fields.expect(SEQUENCE)?; // issuer
    fields.expect(SEQUENCE)?; // validity
    let subject = fields.expect(SEQUENCE)?;
    let mut names = Vec::new();
    let mut rdns = Der::new(subject.content);
    while !rdns.is_empty() {
        let rdn = rdns.expect(SET)?;
        let mut attributes = Vec::new();
        let mut items = Der::new(rdn.content);
        while !items.is_empty() {
            let pair = items.expect(SEQUENCE)?;
            let mut parts = Der::new(pair.content);
            let oid = dotted_oid(parts.expect(OID)?.content)?;
            let value = parts.next()?;
            attributes.push(Attribute {
                oid,
                text: string_value(value.tag, value.content),
                der: value.whole.to_vec(),
            });
        }
        names.push(attributes);
    }
    Some(names)
}

/// RFC 4514: relative distinguished names from the last to the first, joined by `,`;
/// the attributes of one joined by `+`.
fn rfc4514(names: &[Vec<Attribute>]) -> String {
    let mut out = String::new();
    for (index, rdn) in names.iter().rev().enumerate() {
        if index > 0 {
            out.push(',');
        }
        for (position, attribute) in rdn.iter().enumerate() {
            if position > 0 {
                out.push('+');
            }
            match (short_name(&attribute.oid), &attribute.text) {
                (Some(name), Some(text)) => {
                    out.push_str(name);
                    out.push('=');
                    escape_into(&mut out, text);
                }
                _ => {
                    out.push_str(&attribute.oid);
                    out.push_str("=#");
                    for byte in &attribute.der {
                        let _ = write!(out, "{byte:02x}");
                    }
                }
            }
        }
    }
    out
}

/// Escapes a value as RFC 4514 section 2.4 asks.
fn escape_into(out: &mut String, value: &str) {
    let last = value.chars().count().saturating_sub(1);
    for (index, c) in value.chars().enumerate() {
        let special = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (index == 0 && matches!(c, '#' | ' '))
            || (index == last && c == ' ');
        if c == '\0' {
            out.push_str("\\00");
        } else {
            if special {
                out.push('\\');
            }
            out.push(c);
        }
    }
}

const INTEGER: u8 = 0x02;
const OID: u8 = 0x06;
const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
/// `[0] EXPLICIT Version` of a TBSCertificate.
const VERSION: u8 = 0xa0;

/// The text of a string value: UTF8String, PrintableString, IA5String, TeletexString
/// (read as Latin-1), BMPString (UTF-16) or UniversalString (UTF-32).
fn string_value(tag: u8, content: &[u8]) -> Option<String> {
    match tag {
        0x0c | 0x12 | 0x13 | 0x16 | 0x1a => String::from_utf8(content.to_vec()).ok(),
        0x14 => Some(content.iter().map(|&b| char::from(b)).collect()),
        0x1e => {
            if !content.len().is_multiple_of(2) {
                return None;
            }
            let units = content
                .chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            char::decode_utf16(units).collect::<Result<_, _>>().ok()
        }
        0x1c => {
            if !content.len().is_multiple_of(4) {
                return None;
            }
            content
                .chunks(4)
                .map(|quad| {
                    char::from_u32(u32::from_be_bytes([quad[0], quad[1], quad[2], quad[3]]))
                })
                .collect()
        }
        _ => None,
    }
}

/// An object identifier's content octets in dotted form (`2.5.4.3`).
fn dotted_oid(content: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut current: u64 = 0;
    for (index, &byte) in content.iter().enumerate() {
        if current == 0 && byte == 0x80 {
            return None; // not minimal
        }
        current = current.checked_mul(128)? | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = if current < 80 { current / 40 } else { 2 };
                arcs.push(first);
                arcs.push(current - first * 40);
            } else {
                arcs.push(current);
            }
            current = 0;
        } else if index == content.len() - 1 {
            return None; // truncated
        }
    }
    if arcs.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (index, arc) in arcs.iter().enumerate() {
        if index > 0 {
            out.push('.');
        }
        let _ = write!(out, "{arc}");
    }
    Some(out)
}

/// One DER element.
struct Element<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

/// A reader of consecutive DER elements (single-byte tags, definite lengths).
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(bytes: &'a [u8]) -> Der<'a> {
        Der { rest: bytes }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn next(&mut self) -> Option<Element<'a>> {
        let start = self.rest;
        let (&tag, rest) = self.rest.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // multi-byte tags appear nowhere in what is read here
        }
        let (&first, mut rest) = rest.split_first()?;
        let length = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes
                .iter()
                .fold(0usize, |length, &byte| (length << 8) | usize::from(byte))
        };
        if rest.len() < length {
            return None;
        }
        let (content, after) = rest.split_at(length);
        self.rest = after;
        Some(Element {
            tag,
            content,
            whole: &start[..start.len() - after.len()],
        })
    }

    fn expect(&mut self, tag: u8) -> Option<Element<'a>> {
        self.next().filter(|element| element.tag == tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_read_in_dotted_form() {
        assert_eq!(dotted_oid(&[0x55, 0x04, 0x03]).as_deref(), Some("2.5.4.3"));
        assert_eq!(
            dotted_oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]).as_deref(),
            Some("1.2.840.113549.1.9.1")
        );
        assert_eq!(dotted_oid(&[0x2a, 0x86]), None);
        assert_eq!(dotted_oid(&[]), None);
    }

    #[test]
    fn values_escape_as_rfc_4514_asks() {
        let mut out = String::new();
        escape_into(&mut out, "#Smith, Jr. +1 ");
        assert_eq!(out, "\\#Smith\\, Jr. \\+1\\ ");
    }

    #[test]
    fn string_types_decode() {
        assert_eq!(
            string_value(0x1e, &[0, b'h', 0, b'i']).as_deref(),
            Some("hi")
        );
        assert_eq!(string_value(0x14, &[0xe9]).as_deref(), Some("é"));
        assert_eq!(string_value(0x04, b"raw"), None);
    }

    #[test]
    fn what_is_not_a_certificate_is_refused() {
        assert!(ClientCertificate::from_der(Vec::new()).is_none());
        assert!(ClientCertificate::from_der(vec![0x30, 0x82, 0xff]).is_none());
        assert!(ClientCertificate::from_der(vec![0x30, 0x00]).is_none());
    }
}
