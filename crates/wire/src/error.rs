//! Failures of the wire layer itself (before a service runs), and how AWS words them.

use localorg_model::ApiError;

use crate::Protocol;

/// A request the wire layer could not route or read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WireError {
    /// No service could be determined from the signature, `X-Amz-Target`, `Action` or path.
    #[error("could not determine the AWS service and operation of this request")]
    UnknownService,
    /// The service is known but the operation is not (unknown target, action or route).
    #[error("unknown operation {operation}")]
    UnknownOperation {
        /// The protocol of the service, when known (it picks the error code).
        protocol: Option<Protocol>,
        /// The operation name as the request named it (may be empty).
        operation: String,
    },
    /// An awsQuery `Action` was given with a `Version` this service does not speak.
    #[error("could not find operation {operation} for version {version}")]
    InvalidAction {
        /// The `Action` value.
        operation: String,
        /// The `Version` value.
        version: String,
    },
    /// A JSON body (awsJson or restJson1) that is not JSON or does not fit the input shape.
    #[error("{message}")]
    Serialization {
        /// What did not fit.
        message: String,
    },
    /// An awsQuery parameter whose value does not fit its shape (e.g. `MaxItems=abc`).
    #[error("{message}")]
    MalformedQuery {
        /// What did not fit.
        message: String,
    },
}

impl WireError {
    /// The AWS error a client sees for this failure.
    ///
    /// * unknown operation on the JSON protocols: `UnknownOperationException` (400), as Coral answers;
    /// * unknown operation on awsQuery: `InvalidAction` (400), "Could not find operation X for version Y";
    /// * malformed JSON: `SerializationException` (400);
    /// * a query value that does not parse: `MalformedInput` (400).
    pub fn to_api_error(&self) -> ApiError {
        match self {
            WireError::UnknownService => ApiError::new(
                "UnknownOperationException",
                400,
                "Could not determine the AWS service or operation of this request",
            ),
            WireError::UnknownOperation {
                protocol: Some(Protocol::AwsQuery),
                operation,
            } => ApiError::new(
                "InvalidAction",
                400,
                format!("Could not find operation {operation}"),
            ),
            WireError::UnknownOperation { operation, .. } => ApiError::new(
                "UnknownOperationException",
                400,
                if operation.is_empty() {
                    "Unknown operation".to_owned()
                } else {
                    format!("Unknown operation {operation}")
                },
            ),
            WireError::InvalidAction { operation, version } => ApiError::new(
                "InvalidAction",
                400,
                format!("Could not find operation {operation} for version {version}"),
            ),
            WireError::Serialization { message } => {
                ApiError::new("SerializationException", 400, message.clone())
            }
            WireError::MalformedQuery { message } => {
                ApiError::new("MalformedInput", 400, message.clone())
            }
        }
    }
}

impl From<WireError> for ApiError {
    fn from(e: WireError) -> Self {
        e.to_api_error()
    }
}

/// Shorthand for a [`WireError::Serialization`].
pub(crate) fn ser(message: impl Into<String>) -> WireError {
    WireError::Serialization {
        message: message.into(),
    }
}

/// Shorthand for a [`WireError::MalformedQuery`].
pub(crate) fn malformed(message: impl Into<String>) -> WireError {
    WireError::MalformedQuery {
        message: message.into(),
    }
}
