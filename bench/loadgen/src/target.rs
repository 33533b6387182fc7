//! The endpoint under test: `http://` on a loopback address, nothing else.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A parsed, loopback-only HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Where to connect.
    pub addr: SocketAddr,
    /// The `Host` header value (and the authority signed into every request).
    pub host: String,
}

/// Why an endpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError(pub String);

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

impl Endpoint {
    /// Parses `http://HOST:PORT[/]` and refuses anything that is not a loopback address:
    /// `127.0.0.0/8`, `::1` or the literal name `localhost` (mapped to `127.0.0.1` without DNS).
    pub fn parse(raw: &str) -> Result<Self, EndpointError> {
        let err = |m: &str| EndpointError(format!("endpoint {raw:?}: {m}"));
        let uri: http::Uri = raw.parse().map_err(|_| err("not a URL"))?;
        if uri.scheme_str() != Some("http") {
            return Err(err("only http:// is supported"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(err("give the server root only, without a path or query"));
        }
        let authority = uri.authority().ok_or_else(|| err("no host"))?;
        if authority.as_str().contains('@') {
            return Err(err("user info is not allowed"));
        }
        let port = authority
            .port_u16()
            .ok_or_else(|| err("an explicit port is required"))?;
        let host = authority.host();
        let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .map_err(|_| err("the host must be a loopback IP address or localhost"))?
        };
        if !ip.is_loopback() {
            return Err(err(
                "refusing a non-loopback target (only 127.0.0.0/8, ::1, localhost)",
            ));
        }
        Ok(Self {
            addr: SocketAddr::new(ip, port),
            host: authority.as_str().to_owned(),
        })
    }

    /// The base URL used for signing (`http://host:port`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_targets_are_accepted() {
        for ok in [
            "http://127.0.0.1:4566",
            "http://127.0.0.1:4566/",
            "http://127.1.2.3:80",
            "http://localhost:5000",
            "http://LOCALHOST:5000",
            "http://[::1]:4566",
        ] {
            let e = Endpoint::parse(ok).unwrap();
            assert!(e.addr.ip().is_loopback(), "{ok}");
        }
        let e = Endpoint::parse("http://localhost:5000").unwrap();
        assert_eq!(e.addr, "127.0.0.1:5000".parse().unwrap());
        assert_eq!(e.host, "localhost:5000");
        assert_eq!(e.base_url(), "http://localhost:5000");
    }

    #[test]
    fn non_loopback_and_odd_targets_are_refused() {
        for bad in [
            "http://10.0.0.1:4566",
            "http://0.0.0.0:4566",
            "http://192.168.1.1:4566",
            "http://example.com:80",
            "http://localhost.example.com:80",
            "http://127.0.0.1.nip.io:80",
            "http://[::2]:4566",
            "http://[::]:4566",
            "https://127.0.0.1:4566",
            "http://127.0.0.1",
            "http://user@127.0.0.1:4566",
            "http://127.0.0.1:4566/path",
            "organizations.us-east-1.amazonaws.com",
            "",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad} should be refused");
        }
        let msg = Endpoint::parse("http://8.8.8.8:53")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("non-loopback"), "{msg}");
    }
}
