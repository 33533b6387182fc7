//! Constraint violations (found by `localorg-wire` against the model) as each service words them.

use localorg_model::{ApiError, Service};
use localorg_wire::{validation_message, Violation};

/// The error a service answers when its input breaks the model's constraints.
///
/// Organizations answers `InvalidInputException` with a `Reason`; IAM and STS (awsQuery) answer
/// `ValidationError`; the JSON services answer `ValidationException`. The message is AWS's
/// "N validation error(s) detected: ..." text.
pub fn validation_error(service: Service, violations: &[Violation]) -> ApiError {
    let message = validation_message(violations);
    match service {
        Service::Organizations => {
            let reason = violations
                .first()
                .map_or("INVALID_INPUT", |v| organizations_reason(&v.constraint));
            ApiError::new("InvalidInputException", 400, message).with_field("Reason", reason)
        }
        Service::Iam | Service::Sts => ApiError::new("ValidationError", 400, message),
        // CloudTrail checks `MaxResults` itself, with its own exception.
        Service::CloudTrail if violations.iter().any(|v| v.path == "maxResults") => ApiError::new(
            "InvalidMaxResultsException",
            400,
            "Value for MaxResults must be between 1 and 50.",
        ),
        _ => ApiError::new("ValidationException", 400, message),
    }
}

/// Organizations' `InvalidInputException` reason for a model constraint.
fn organizations_reason(constraint: &str) -> &'static str {
    if constraint.contains("must not be null") {
        "INPUT_REQUIRED"
    } else if constraint.contains("length less than or equal") {
        "MAX_LENGTH_EXCEEDED"
    } else if constraint.contains("length greater than or equal") {
        "MIN_LENGTH_EXCEEDED"
    } else if constraint.contains("regular expression pattern") {
        "INVALID_PATTERN"
    } else if constraint.contains("enum value set") {
        "INVALID_ENUM"
    } else if constraint.contains("less than or equal") {
        "MAX_VALUE_EXCEEDED"
    } else if constraint.contains("greater than or equal") {
        "MIN_VALUE_EXCEEDED"
    } else {
        "INVALID_INPUT"
    }
}
