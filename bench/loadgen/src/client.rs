//! One keep-alive HTTP/1.1 connection that signs every request with SigV4 (the `aws-sigv4` crate,
//! a fresh signature per request) and classifies the answer.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::target::Endpoint;

/// How long one request may take before it counts as an error.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// AWS credentials a request is signed with.
#[derive(Clone)]
pub struct Creds {
    /// Access key id.
    pub access_key: String,
    /// Secret access key.
    pub secret_key: String,
    /// Session token (temporary credentials only).
    pub token: Option<String>,
}

impl std::fmt::Debug for Creds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Creds")
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

/// The wire protocol of an AWS service call.
#[derive(Debug, Clone, Copy)]
pub enum Protocol {
    /// awsQuery (STS, IAM): form body, XML answer.
    Query {
        /// The `Version` form field.
        version: &'static str,
    },
    /// awsJson1.1 with an `X-Amz-Target` prefix.
    Json11 {
        /// The target prefix, e.g. `AWSOrganizationsV20161128`.
        target_prefix: &'static str,
    },
}

/// A signed AWS API service.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// SigV4 signing name.
    pub signing_name: &'static str,
    /// Protocol.
    pub protocol: Protocol,
}

/// AWS Organizations (awsJson1.1).
pub const ORGANIZATIONS: Api = Api {
    signing_name: "organizations",
    protocol: Protocol::Json11 {
        target_prefix: "AWSOrganizationsV20161128",
    },
};
/// AWS IAM (awsQuery).
pub const IAM: Api = Api {
    signing_name: "iam",
    protocol: Protocol::Query {
        version: "2010-05-08",
    },
};
/// AWS STS (awsQuery).
pub const STS: Api = Api {
    signing_name: "sts",
    protocol: Protocol::Query {
        version: "2011-06-15",
    },
};

/// How an S3 request's body is covered by its signature (the `x-amz-content-sha256` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// The SHA-256 of the body is signed (small bodies).
    Signed,
    /// `UNSIGNED-PAYLOAD`: the body is not hashed (big bodies, so hashing is not the bottleneck).
    Unsigned,
}

/// One path-style S3 request (`/bucket/key?query`), signed as service `s3`.
#[derive(Debug, Clone)]
pub struct S3Request<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path and query, already percent-encoded (`/bucket/key?partNumber=1&uploadId=...`).
    pub path: &'a str,
    /// The body (a clone of a shared buffer costs nothing).
    pub body: Bytes,
    /// How the body is signed.
    pub payload: Payload,
    /// `Content-Type`, if any.
    pub content_type: Option<&'a str>,
    /// How long the request (including reading the whole answer) may take.
    pub timeout: Duration,
}

/// What to do with a successful answer's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// Keep it in [`Answer::body`].
    Keep,
    /// Count its bytes into [`Answer::received`] and drop each chunk as it arrives.
    Count,
}

/// The outcome of one request.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status (0 when no answer arrived).
    pub status: u16,
    /// Response body.
    pub body: Bytes,
    /// The AWS error code for an error answer (`Transport` / `Timeout` when none arrived).
    pub error: Option<String>,
    /// Response headers (empty when no answer arrived).
    pub headers: http::HeaderMap,
    /// Body bytes received (for a counted download the body itself is not kept).
    pub received: u64,
}

impl Answer {
    /// Whether the call succeeded (2xx).
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }

    /// A failure without an answer (`Transport`, `Timeout`), `detail` in the body.
    fn failed(code: &str, detail: String) -> Self {
        Self {
            status: 0,
            body: Bytes::from(detail),
            error: Some(code.to_owned()),
            headers: http::HeaderMap::new(),
            received: 0,
        }
    }

    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The text of the first `<tag>...</tag>` element in an XML body.
    pub fn xml(&self, tag: &str) -> Option<String> {
        xml_text(&String::from_utf8_lossy(&self.body), tag)
    }

    /// Whether the server says the operation is not implemented.
    pub fn not_implemented(&self) -> bool {
        self.status == 501
            || self
                .error
                .as_deref()
                .is_some_and(|c| c.starts_with("NotImplemented"))
            || (self.status >= 400
                && String::from_utf8_lossy(&self.body).contains("has not been implemented"))
    }
}

/// The text between `<tag>` and `</tag>`, if present.
pub fn xml_text(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = body.find(&open)?.checked_add(open.len())?;
    let rest = body.get(start..)?;
    let end = rest.find(&close)?;
    rest.get(..end).map(str::to_owned)
}

/// The AWS error code of an error answer: JSON `__type` (after any `#`), XML `<Code>`, the
/// `x-amzn-ErrorType` header, else `HTTP<status>`.
pub fn error_code(status: u16, header: Option<&str>, body: &[u8]) -> String {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Some(t) = map.get("__type").and_then(|v| v.as_str()) {
            return t.rsplit('#').next().unwrap_or(t).to_owned();
        }
    }
    let text = String::from_utf8_lossy(body);
    if let Some(code) = xml_text(&text, "Code") {
        return code;
    }
    if let Some(h) = header {
        return h.split(':').next().unwrap_or(h).to_owned();
    }
    format!("HTTP{status}")
}

/// One connection to the endpoint; reconnects after a transport failure.
pub struct Conn {
    endpoint: Endpoint,
    sender: Option<SendRequest<Full<Bytes>>>,
    /// Region signed into every request.
    region: String,
}

impl Conn {
    /// A connection (opened lazily on the first request).
    pub fn new(endpoint: Endpoint, region: &str) -> Self {
        Self {
            endpoint,
            sender: None,
            region: region.to_owned(),
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, String> {
        let stream = TcpStream::connect(self.endpoint.addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(sender)
    }

    /// Calls `operation` of `api` with `params` (a JSON object for JSON protocols; form pairs
    /// as a JSON object of strings for awsQuery), signed with `creds`.
    pub async fn call(
        &mut self,
        api: Api,
        operation: &str,
        params: &serde_json::Value,
        creds: &Creds,
    ) -> Answer {
        let (body, content_type, target) = match api.protocol {
            Protocol::Query { version } => {
                let mut form = format!("Action={operation}&Version={version}");
                if let serde_json::Value::Object(map) = params {
                    for (k, v) in map {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                        form.push('&');
                        form.push_str(&encode_form(k));
                        form.push('=');
                        form.push_str(&encode_form(&v));
                    }
                }
                (
                    form,
                    "application/x-www-form-urlencoded; charset=utf-8",
                    None,
                )
            }
            Protocol::Json11 { target_prefix } => (
                params.to_string(),
                "application/x-amz-json-1.1",
                Some(format!("{target_prefix}.{operation}")),
            ),
        };
        match tokio::time::timeout(
            REQUEST_TIMEOUT,
            self.send(api, body.into_bytes(), content_type, target, creds),
        )
        .await
        {
            Ok(answer) => answer,
            Err(_) => {
                self.sender = None;
                Answer::failed("Timeout", String::new())
            }
        }
    }

    /// Sends one path-style S3 request signed with `creds`. A successful answer's body is kept.
    pub async fn s3(&mut self, request: S3Request<'_>, creds: &Creds) -> Answer {
        self.s3_with(request, creds, Sink::Keep).await
    }

    /// Like [`Conn::s3`], but a successful answer's body is only counted
    /// ([`Answer::received`]), chunk by chunk as it arrives, and never held whole.
    pub async fn s3_download(&mut self, request: S3Request<'_>, creds: &Creds) -> Answer {
        self.s3_with(request, creds, Sink::Count).await
    }

    async fn s3_with(&mut self, request: S3Request<'_>, creds: &Creds, sink: Sink) -> Answer {
        let timeout = request.timeout;
        let signed = match self.signed_s3(request, creds) {
            Ok(r) => r,
            Err(e) => return Answer::failed("Transport", e),
        };
        match tokio::time::timeout(timeout, self.exchange(signed, sink)).await {
            Ok(answer) => answer,
            Err(_) => {
                self.sender = None;
                Answer::failed("Timeout", String::new())
            }
        }
    }

    async fn send(
        &mut self,
        api: Api,
        body: Vec<u8>,
        content_type: &str,
        target: Option<String>,
        creds: &Creds,
    ) -> Answer {
        match self.signed(api, body, content_type, target.as_deref(), creds) {
            Ok(request) => self.exchange(request, Sink::Keep).await,
            Err(e) => Answer::failed("Transport", e),
        }
    }

    /// Sends a signed request on the kept-alive connection (reconnecting when it is gone) and reads
    /// the answer; a successful answer's body goes to `sink`, an error's is always kept.
    async fn exchange(&mut self, request: http::Request<Full<Bytes>>, sink: Sink) -> Answer {
        let transport = |e: String| Answer::failed("Transport", e);
        let mut sender = match self.sender.take() {
            Some(s) if !s.is_closed() => s,
            _ => match self.connect().await {
                Ok(s) => s,
                Err(e) => return transport(e),
            },
        };
        if sender.ready().await.is_err() {
            sender = match self.connect().await {
                Ok(s) => s,
                Err(e) => return transport(e),
            };
        }
        let response = match sender.send_request(request).await {
            Ok(r) => r,
            Err(e) => return transport(format!("send: {e}")),
        };
        let (parts, incoming) = response.into_parts();
        let status = parts.status.as_u16();
        let (body, received) = if sink == Sink::Count && status < 300 {
            match count_body(incoming).await {
                Ok(n) => (Bytes::new(), n),
                Err(e) => return transport(format!("body: {e}")),
            }
        } else {
            match incoming.collect().await {
                Ok(b) => {
                    let b = b.to_bytes();
                    let n = u64::try_from(b.len()).unwrap_or(u64::MAX);
                    (b, n)
                }
                Err(e) => return transport(format!("body: {e}")),
            }
        };
        self.sender = Some(sender);
        let error = (status >= 300).then(|| {
            let header = parts
                .headers
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok());
            error_code(status, header, &body)
        });
        Answer {
            status,
            body,
            error,
            headers: parts.headers,
            received,
        }
    }

    /// An unsigned `POST path` with an empty body (admin endpoints such as `/moto-api/reset`);
    /// the HTTP status.
    pub async fn post_unsigned(&mut self, path: &str) -> Result<u16, String> {
        let request = http::Request::builder()
            .method("POST")
            .uri(path)
            .header("host", self.endpoint.host.as_str())
            .body(Full::new(Bytes::new()))
            .map_err(|e| format!("request: {e}"))?;
        let mut sender = self.connect().await?;
        let response = tokio::time::timeout(REQUEST_TIMEOUT, sender.send_request(request))
            .await
            .map_err(|_| "timeout".to_owned())?
            .map_err(|e| format!("send: {e}"))?;
        let status = response.status().as_u16();
        let _ = response.into_body().collect().await;
        Ok(status)
    }

    fn signed(
        &self,
        api: Api,
        body: Vec<u8>,
        content_type: &str,
        target: Option<&str>,
        creds: &Creds,
    ) -> Result<http::Request<Full<Bytes>>, String> {
        let uri = format!("{}/", self.endpoint.base_url());
        let mut headers: Vec<(&str, &str)> = vec![
            ("host", self.endpoint.host.as_str()),
            ("content-type", content_type),
        ];
        if let Some(t) = target {
            headers.push(("x-amz-target", t));
        }
        let identity: Identity = Credentials::new(
            creds.access_key.clone(),
            creds.secret_key.clone(),
            creds.token.clone(),
            None,
            "loadgen",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(api.signing_name)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("signing params: {e}"))?
            .into();
        let signable = SignableRequest::new(
            "POST",
            uri.as_str(),
            headers.iter().copied(),
            SignableBody::Bytes(&body),
        )
        .map_err(|e| format!("signable: {e}"))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| format!("sign: {e}"))?
            .into_parts();
        let mut builder = http::Request::builder().method("POST").uri("/");
        for (k, v) in &headers {
            builder = builder.header(*k, *v);
        }
        let mut request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| format!("request: {e}"))?;
        instructions.apply_to_request_http1x(&mut request);
        Ok(request)
    }

    /// Signs a path-style S3 request: service `s3`, no double encoding or path normalization,
    /// `x-amz-content-sha256` set to the body's SHA-256 or `UNSIGNED-PAYLOAD`.
    fn signed_s3(
        &self,
        request: S3Request<'_>,
        creds: &Creds,
    ) -> Result<http::Request<Full<Bytes>>, String> {
        let uri = format!("{}{}", self.endpoint.base_url(), request.path);
        let mut headers: Vec<(&str, &str)> = vec![("host", self.endpoint.host.as_str())];
        if let Some(ct) = request.content_type {
            headers.push(("content-type", ct));
        }
        let identity: Identity = Credentials::new(
            creds.access_key.clone(),
            creds.secret_key.clone(),
            creds.token.clone(),
            None,
            "loadgen",
        )
        .into();
        let mut settings = SigningSettings::default();
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("s3")
            .time(SystemTime::now())
            .settings(settings)
            .build()
            .map_err(|e| format!("signing params: {e}"))?
            .into();
        let body = match request.payload {
            Payload::Signed => SignableBody::Bytes(&request.body),
            Payload::Unsigned => SignableBody::UnsignedPayload,
        };
        let signable =
            SignableRequest::new(request.method, uri.as_str(), headers.iter().copied(), body)
                .map_err(|e| format!("signable: {e}"))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| format!("sign: {e}"))?
            .into_parts();
        let mut builder = http::Request::builder()
            .method(request.method)
            .uri(request.path);
        for (k, v) in &headers {
            builder = builder.header(*k, *v);
        }
        let mut out = builder
            .body(Full::new(request.body))
            .map_err(|e| format!("request: {e}"))?;
        instructions.apply_to_request_http1x(&mut out);
        Ok(out)
    }
}

/// Reads a response body to its end, counting its bytes and dropping each chunk.
async fn count_body(mut body: Incoming) -> Result<u64, hyper::Error> {
    let mut n = 0u64;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            n = n.saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
        }
    }
    Ok(n)
}

/// Percent-encoding of everything but the URI unreserved characters: one form key or value, or
/// one URI query value (an S3 upload id).
pub fn encode_form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_from_json_xml_and_status() {
        assert_eq!(
            error_code(
                400,
                None,
                br#"{"__type":"com.amazonaws#AWSOrganizationsNotInUseException"}"#
            ),
            "AWSOrganizationsNotInUseException"
        );
        assert_eq!(
            error_code(
                403,
                None,
                b"<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>"
            ),
            "AccessDenied"
        );
        assert_eq!(
            error_code(400, Some("Foo:http://x"), b"nope"),
            "Foo".to_owned()
        );
        assert_eq!(error_code(502, None, b""), "HTTP502");
    }

    #[test]
    fn form_encoding() {
        assert_eq!(
            encode_form("arn:aws:iam::1:role/R a"),
            "arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR%20a"
        );
    }
}
