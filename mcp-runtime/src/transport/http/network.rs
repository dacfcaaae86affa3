//! Network access control: `--allow-ip` lists the client networks served; everyone else
//! gets `403` before anything of the request is read. Behind a reverse proxy, the
//! client is found in `X-Forwarded-For`, believed only from `--trusted-proxy` networks.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// A network in CIDR notation (`10.0.0.0/8`, `::1/128`); a bare address is a network of
/// one.
///
/// ```
/// use mcp::transport::http::IpNet;
/// let net: IpNet = "127.0.0.0/30".parse().unwrap();
/// assert!(net.contains("127.0.0.3".parse().unwrap()));
/// assert!(!net.contains("127.0.0.4".parse().unwrap()));
/// assert!("127.0.0.2".parse::<IpNet>().unwrap().contains("127.0.0.2".parse().unwrap()));
/// assert!("10.0.0.0/33".parse::<IpNet>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    address: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` is in this network (an IPv4 address written as IPv6,
    /// `::ffff:a.b.c.d`, counts as the IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_matches(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_matches(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_matches(net: &[u8], ip: &[u8], prefix: u8) -> bool {
    let whole = usize::from(prefix / 8);
    if net[..whole] != ip[..whole] {
        return false;
    }
    let bits = prefix % 8;
    if bits == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - bits);
    net[whole] & mask == ip[whole] & mask
}

/// Why a network did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpNetError(String);

impl fmt::Display for IpNetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IpNetError {}

impl FromStr for IpNet {
    type Err = IpNetError;

    fn from_str(text: &str) -> Result<IpNet, IpNetError> {
        let invalid = || {
            IpNetError(format!(
                "`{text}` is not an address or a network such as 10.0.0.0/8 or ::1/128"
            ))
        };
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address = canonical(address.trim().parse().map_err(|_| invalid())?);
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|&p| p <= most)
                .ok_or_else(invalid)?,
        };
        Ok(IpNet { address, prefix })
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// Who may connect: networks served, and proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Default)]
pub(crate) struct NetworkPolicy {
    allowed: Vec<IpNet>,
    trusted_proxies: Vec<IpNet>,
}

impl NetworkPolicy {
    pub(crate) fn new(allowed: &[IpNet], trusted_proxies: &[IpNet]) -> NetworkPolicy {
        NetworkPolicy {
            allowed: allowed.to_vec(),
            trusted_proxies: trusted_proxies.to_vec(),
        }
    }

    /// Whether there is anything to check.
    pub(crate) fn is_open(&self) -> bool {
        self.allowed.is_empty()
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(ip))
    }

    /// The client of a request that came from `peer`: `peer` itself, unless it is a
    /// trusted proxy; then the last `X-Forwarded-For` address that is not one (each
    /// proxy appends the address it heard from). `None` when a trusted proxy forwarded
    /// an address that does not parse.
    pub(crate) fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Option<IpAddr> {
        if !self.trusted(peer) {
            return Some(peer);
        }
        let mut client = peer;
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .map(|value| value.to_str().ok())
            .collect::<Option<Vec<&str>>>()?;
        for hop in hops.iter().rev().flat_map(|value| value.rsplit(',')) {
            let hop = hop.trim();
            if hop.is_empty() {
                continue;
            }
            client = hop.parse().ok()?;
            if !self.trusted(client) {
                break;
            }
        }
        Some(client)
    }

    /// Whether a request from `peer` with these headers is served.
    pub(crate) fn admits(&self, peer: IpAddr, headers: &HeaderMap) -> bool {
        self.is_open()
            || self
                .client(peer, headers)
                .is_some_and(|client| self.allowed.iter().any(|net| net.contains(client)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|net| net.parse().unwrap()).collect()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn networks_parse_and_match_by_prefix() {
        let v6: IpNet = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!v6.contains("2001:db9::".parse().unwrap()));
        let mapped: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(mapped.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(
            "0.0.0.0/0"
                .parse::<IpNet>()
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        for bad in [
            "",
            "10.0.0.0/",
            "10.0.0/8",
            "::1/129",
            "host/8",
            "10.0.0.0/-1",
        ] {
            assert!(bad.parse::<IpNet>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let policy = NetworkPolicy::new(&nets(&["127.0.0.2"]), &nets(&["127.0.0.10/32"]));
        let proxy: IpAddr = "127.0.0.10".parse().unwrap();
        let stranger: IpAddr = "127.0.0.3".parse().unwrap();
        assert!(policy.admits("127.0.0.2".parse().unwrap(), &HeaderMap::new()));
        assert!(!policy.admits(stranger, &HeaderMap::new()));
        // A stranger cannot claim to be someone else.
        assert!(!policy.admits(stranger, &forwarded("127.0.0.2")));
        // The proxy speaks for its client: the last hop it did not add itself.
        assert!(policy.admits(proxy, &forwarded("203.0.113.9, 127.0.0.2")));
        assert!(!policy.admits(proxy, &forwarded("127.0.0.2, 127.0.0.3")));
        assert!(!policy.admits(proxy, &forwarded("not-an-address")));
        // Without the header the proxy itself is the client, and it is not allowed.
        assert!(!policy.admits(proxy, &HeaderMap::new()));
    }
}
