//! A small blocking HTTP client (ureq) and the responses it returns.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::sse::SseStream;

/// How long one HTTP exchange may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// A response read completely.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    ///
    /// # Panics
    ///
    /// Panics, showing the response, if the body is not JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("the body is not JSON ({error}): {self}"))
    }
}

impl fmt::Display for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        for (name, value) in &self.headers {
            write!(f, "\n  {name}: {value}")?;
        }
        write!(f, "\n  body: {}", self.text())
    }
}

fn header_in<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// A response whose body is read as an event stream (see [`SseStream`]).
#[derive(Debug)]
pub struct StreamingResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, read by a background thread.
    pub events: SseStream,
}

impl StreamingResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }
}

/// A blocking HTTP client for one server: no connection reuse, no redirects, HTTP
/// error statuses returned as responses, every exchange bounded by [`REQUEST_TIMEOUT`].
#[derive(Debug, Clone)]
pub struct HttpClient {
    agent: ureq::Agent,
    base: String,
}

impl HttpClient {
    /// A client of `base` (`http://127.0.0.1:PORT`).
    pub fn new(base: &str) -> Self {
        Self::with_tls(base, ureq::tls::TlsConfig::default())
    }

    /// A client of an HTTPS `base` that trusts only the DER certificate `root`.
    pub fn trusting(base: &str, root: &[u8]) -> Self {
        let root = ureq::tls::Certificate::from_der(root).to_owned();
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(&[root]))
            .build();
        Self::with_tls(base, tls)
    }

    fn with_tls(base: &str, tls: ureq::tls::TlsConfig) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .tls_config(tls)
            .build()
            .new_agent();
        Self {
            agent,
            base: base.to_owned(),
        }
    }

    fn start(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = |body| request.body(body).map_err(ureq::Error::from);
        match body {
            Some(body) => self.agent.run(request(body.to_vec())?),
            None => self.agent.run(request(Vec::new())?.map(|_| ())),
        }
    }

    /// Sends a request and reads the whole response (at most 16 MiB).
    ///
    /// # Errors
    ///
    /// The transport error (connection refused, timeout, TLS failure…).
    pub fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<HttpResponse, ureq::Error> {
        let response = self.start(method, path, headers, body)?;
        let status = response.status().as_u16();
        let headers = header_list(response.headers());
        let body = response
            .into_body()
            .into_with_config()
            .limit(16 * 1024 * 1024)
            .read_to_vec()?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    /// Like [`HttpClient::try_send`], panicking on a transport error.
    #[track_caller]
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> HttpResponse {
        self.try_send(method, path, headers, body)
            .unwrap_or_else(|error| panic!("{method} {}{path} failed: {error}", self.base))
    }

    /// Sends a request and returns as soon as the response head arrives, with the body
    /// read as an event stream.
    ///
    /// # Panics
    ///
    /// Panics on a transport error.
    #[track_caller]
    pub fn stream(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> StreamingResponse {
        let response = self
            .start(method, path, headers, body)
            .unwrap_or_else(|error| panic!("{method} {}{path} failed: {error}", self.base));
        StreamingResponse {
            status: response.status().as_u16(),
            headers: header_list(response.headers()),
            events: SseStream::spawn(response.into_body().into_reader()),
        }
    }
}

fn header_list(headers: &ureq::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}
