//! The one error value every service operation returns, before a protocol renders it.

use std::borrow::Cow;
use std::fmt;

/// An AWS error as the caller will see it: code, HTTP status, message and any extra members of the
/// exception shape (e.g. Organizations' `Reason`). Services build these from their typed errors;
/// `localorg-wire` renders them per protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// Wire error code, e.g. `AccessDeniedException` (JSON) or `NoSuchEntity` (query).
    pub code: Cow<'static, str>,
    /// HTTP status.
    pub status: u16,
    /// `true` when the caller is at fault (`Sender` in query errors), `false` for `Receiver`.
    pub sender_fault: bool,
    /// Human-readable message.
    pub message: String,
    /// Extra members of the exception shape, rendered beside the message.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// A caller-fault error.
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        status: u16,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            code: code.into(),
            status,
            sender_fault: status < 500,
            message: message.into(),
            fields: serde_json::Map::new(),
        }
    }

    /// Adds an extra member (e.g. `Reason`) to the rendered error.
    pub fn with_field(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        self.fields.insert(name.to_owned(), value.into());
        self
    }

    /// The answer for an operation localorg does not implement: a 4xx (clients retry 5xx) naming it.
    pub fn not_implemented(service_id: &str, operation: &str) -> Self {
        ApiError::new(
            "NotImplementedException",
            400,
            format!("localorg does not implement {service_id} {operation} yet"),
        )
    }

    /// An unexpected failure inside localorg (a bug or a storage failure): a 500.
    pub fn internal(message: impl Into<String>) -> Self {
        let mut e = ApiError::new("InternalFailure", 500, message);
        e.sender_fault = false;
        e
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

/// A storage failure is localorg's fault, never the caller's: a 500 `InternalFailure`.
/// (Lets service code use `?` on store results inside store transactions.)
impl From<localorg_store::StoreError> for ApiError {
    fn from(e: localorg_store::StoreError) -> Self {
        ApiError::internal(format!("storage failure: {e}"))
    }
}
