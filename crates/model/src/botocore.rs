//! The botocore JSON model format, as vendored under `models/`.
//!
//! Only what localorg reads is typed here; unknown keys are ignored so a newer botocore still parses.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One service's API model (`service-2.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceModel {
    /// Protocol and naming metadata.
    pub metadata: Metadata,
    /// Operations by name.
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name.
    pub shapes: BTreeMap<String, Shape>,
}

/// `metadata` of a service model.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// e.g. `2016-11-28`.
    pub api_version: String,
    /// Host prefix, e.g. `organizations`.
    pub endpoint_prefix: String,
    /// `json`, `query` or `rest-json`.
    pub protocol: String,
    /// SigV4 signing name when it differs from `endpoint_prefix`.
    #[serde(default)]
    pub signing_name: Option<String>,
    /// `X-Amz-Target` prefix for the JSON protocols.
    #[serde(default)]
    pub target_prefix: Option<String>,
    /// `1.0` or `1.1` for the JSON protocols.
    #[serde(default)]
    pub json_version: Option<String>,
    /// Query protocol XML namespace.
    #[serde(default)]
    pub xml_namespace: Option<String>,
    /// e.g. `Organizations`.
    pub service_id: String,
    /// e.g. `AWS Organizations`.
    pub service_full_name: String,
}

impl Metadata {
    /// The SigV4 credential-scope service name clients sign with.
    pub fn signing_name(&self) -> &str {
        self.signing_name
            .as_deref()
            .unwrap_or(&self.endpoint_prefix)
    }
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Operation name, e.g. `CreateAccount`.
    pub name: String,
    /// HTTP binding.
    pub http: Http,
    /// Input shape.
    #[serde(default)]
    pub input: Option<ShapeRef>,
    /// Output shape.
    #[serde(default)]
    pub output: Option<ShapeRef>,
    /// Error shapes the operation may return.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// `"none"` for unsigned operations (e.g. the SSO portal, OIDC token).
    #[serde(default)]
    pub authtype: Option<String>,
    /// Smithy auth schemes; `["smithy.api#noAuth"]` for unsigned operations.
    #[serde(default)]
    pub auth: Vec<String>,
}

impl Operation {
    /// True when AWS serves the operation without a SigV4 signature (bearer token or no auth).
    pub fn is_unsigned(&self) -> bool {
        self.authtype.as_deref() == Some("none")
            || self.auth.iter().any(|a| a == "smithy.api#noAuth")
    }
}

/// HTTP binding of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    /// `GET`, `POST`, ...
    pub method: String,
    /// URI template, e.g. `/assignment/roles` or `/v1/accounts/{AccountId}`.
    pub request_uri: String,
    /// Success status when not 200.
    #[serde(default)]
    pub response_code: Option<u16>,
}

/// A reference from an operation or member to a shape, with its binding.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    /// Target shape name.
    pub shape: String,
    /// `uri`, `querystring`, `header`, `headers`, `statusCode`; body when absent.
    #[serde(default)]
    pub location: Option<String>,
    /// Wire name (header, query key, XML element) when it differs from the member name.
    #[serde(default)]
    pub location_name: Option<String>,
    /// Filled by the client when absent.
    #[serde(default)]
    pub idempotency_token: bool,
    /// Query/XML list flattening on the reference.
    #[serde(default)]
    pub flattened: bool,
    /// The member is this payload.
    #[serde(default)]
    pub result_wrapper: Option<String>,
}

/// Error trait of an exception shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    /// Wire code when it differs from the shape name (query protocol).
    #[serde(default)]
    pub code: Option<String>,
    /// HTTP status.
    #[serde(default)]
    pub http_status_code: Option<u16>,
    /// `true`: the caller's fault (4xx).
    #[serde(default)]
    pub sender_fault: bool,
}

/// A shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// `structure`, `string`, `list`, `map`, `integer`, `long`, `boolean`, `timestamp`, `double`,
    /// `float`, `blob`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Structure members in model order.
    #[serde(default)]
    pub members: BTreeMap<String, ShapeRef>,
    /// Required members of a structure.
    #[serde(default)]
    pub required: Vec<String>,
    /// List member.
    #[serde(default)]
    pub member: Option<ShapeRef>,
    /// Map key.
    #[serde(default)]
    pub key: Option<ShapeRef>,
    /// Map value.
    #[serde(default)]
    pub value: Option<ShapeRef>,
    /// Length or value minimum.
    #[serde(default)]
    pub min: Option<f64>,
    /// Length or value maximum.
    #[serde(default)]
    pub max: Option<f64>,
    /// Regex a string must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Allowed string values.
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<String>>,
    /// The shape is an exception.
    #[serde(default)]
    pub exception: bool,
    /// The exception's wire traits.
    #[serde(default)]
    pub error: Option<ErrorTrait>,
    /// The value is secret (redacted in logs).
    #[serde(default)]
    pub sensitive: bool,
    /// Exactly one member is set.
    #[serde(default)]
    pub union: bool,
    /// A free-form JSON document.
    #[serde(default)]
    pub document: bool,
    /// Timestamp wire format override (`iso8601`, `unixTimestamp`, `rfc822`).
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// Query/XML list or map flattening.
    #[serde(default)]
    pub flattened: bool,
    /// Wire name of the shape (query protocol list members and structures).
    #[serde(default)]
    pub location_name: Option<String>,
}
