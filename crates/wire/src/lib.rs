//! AWS wire protocols for localorg, driven by the vendored botocore models.
//!
//! There is no per-operation wire code: one decoder and one encoder per protocol walk the model's
//! shapes. Every operation's input and output travel through localorg in one **canonical JSON form**
//! (the contract with the generated types and the services):
//!
//! * structures are objects keyed by the model's member names, lists are arrays, maps are objects;
//! * strings are strings, `integer`/`long` are JSON integers, `double`/`float` are numbers, booleans
//!   are booleans;
//! * timestamps are numbers of seconds since the Unix epoch (fraction allowed);
//! * blobs are base64 strings; document shapes are any JSON;
//! * absent members are absent (never `null`).
//!
//! The request path is [`detect`] -> [`decode_input`] -> [`validate_input`]; the response path is
//! [`encode_output`] or [`encode_error`].
//!
//! Choices where AWS behaviour is not pinned down by the models are documented on the functions
//! that make them (unknown members are dropped on decode, scalar strings are accepted for numbers on
//! the JSON protocols, query XML members are written in the model's alphabetical member order, ...).

mod detect;
mod encode;
mod error;
mod json;
mod model;
mod query;
mod rest;
mod time;
mod validate;

use localorg_model::Service;

pub use detect::detect;
pub use encode::{encode_error, encode_output};
pub use error::WireError;
pub use validate::{validate_input, validation_message, Violation};

/// The wire protocols of the services localorg speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `application/x-amz-json-1.0`, operation in `X-Amz-Target`.
    AwsJson10,
    /// `application/x-amz-json-1.1`, operation in `X-Amz-Target`.
    AwsJson11,
    /// Form-encoded `Action=...&Version=...` in, XML out.
    AwsQuery,
    /// HTTP method + URI template; members bound to the URI, query string, headers and JSON body.
    RestJson1,
}

impl Protocol {
    /// `true` for the two `X-Amz-Target` JSON protocols.
    pub fn is_aws_json(self) -> bool {
        matches!(self, Protocol::AwsJson10 | Protocol::AwsJson11)
    }
}

/// The protocol a service speaks, from its model's `metadata.protocol` (and `jsonVersion`).
pub fn protocol_of(service: Service) -> Protocol {
    let meta = &service.model().metadata;
    match meta.protocol.as_str() {
        "query" | "ec2" => Protocol::AwsQuery,
        "rest-json" => Protocol::RestJson1,
        _ => {
            if meta.json_version.as_deref() == Some("1.0") {
                Protocol::AwsJson10
            } else {
                Protocol::AwsJson11
            }
        }
    }
}

/// One HTTP request as the wire layer sees it. Borrowed: the server owns the bytes.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The raw (still percent-encoded) path, e.g. `/getAlternateContact`.
    pub path: &'a str,
    /// The raw query string without the `?` (empty when none).
    pub query: &'a str,
    /// Request headers.
    pub headers: &'a http::HeaderMap,
    /// The request body.
    pub body: &'a [u8],
}

/// Decodes an operation's input from the request into the canonical JSON form.
///
/// `operation` is the model's operation name (as returned by [`detect`]). The result is always a
/// JSON object (an operation without an input shape decodes to `{}`). Members the model does not
/// know are dropped on every protocol (AWS ignores them too; the typed layer never sees them).
pub fn decode_input(
    service: Service,
    operation: &str,
    req: &HttpRequest<'_>,
) -> Result<serde_json::Value, WireError> {
    let protocol = protocol_of(service);
    let op = model::operation(service, operation).ok_or_else(|| WireError::UnknownOperation {
        protocol: Some(protocol),
        operation: operation.to_owned(),
    })?;
    match protocol {
        Protocol::AwsJson10 | Protocol::AwsJson11 => json::decode_body(service, op, req.body),
        Protocol::AwsQuery => query::decode(service, op, req),
        Protocol::RestJson1 => rest::decode(service, op, req),
    }
}

// Tests: `tests/botocore_requests.rs` decodes ~1500 requests botocore's own serializers produced
// (`tests/fixtures/make_fixtures.py` -> `tests/fixtures/requests.json`); the response direction is
// `tests/fixtures/check_responses.py`, which feeds the `wire_oracle` example's responses to
// botocore's parsers; `tests/no_panic.rs` is the decode-never-panics property test.
