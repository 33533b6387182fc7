//! Authentication failures, with AWS's error codes, HTTP statuses and message wording.

use jiff::Timestamp;

/// The wire protocol family an error is rendered for. AWS names the same
/// authentication failure differently in the query protocol (IAM, STS) and in
/// the JSON protocols (Organizations, Identity Center, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorProtocol {
    /// `awsQuery` (IAM, STS): form in, XML out; codes like `SignatureDoesNotMatch`.
    Query,
    /// `awsJson1_0` / `awsJson1_1` (Organizations, identitystore, sso-admin, ...):
    /// codes like `InvalidSignatureException`; Coral answers these with HTTP 400.
    Json,
    /// `restJson1` (sso portal, ...): same codes as [`ErrorProtocol::Json`], HTTP
    /// statuses as in [`SigV4Error::status`].
    RestJson,
}

/// Which part of the `Authorization` header is missing (see
/// [`SigV4Error::IncompleteAuthorizationHeader`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MissingHeaderPart {
    /// The `Credential=` component.
    Credential,
    /// The `Signature=` component.
    Signature,
    /// The `SignedHeaders=` component.
    SignedHeaders,
    /// Neither an `X-Amz-Date` nor a `Date` header.
    Date,
}

impl MissingHeaderPart {
    fn message(self) -> &'static str {
        match self {
            Self::Credential => "Authorization header requires 'Credential' parameter.",
            Self::Signature => "Authorization header requires 'Signature' parameter.",
            Self::SignedHeaders => "Authorization header requires 'SignedHeaders' parameter.",
            Self::Date => {
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
            }
        }
    }
}

/// Formats a timestamp as the SigV4 "basic" ISO-8601 form, `20240101T000000Z`.
pub(crate) fn amz_date(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn fmt_missing_header_parts(missing: &[MissingHeaderPart], header: &str) -> String {
    let mut out = String::new();
    for part in missing {
        out.push_str(part.message());
        out.push(' ');
    }
    out.push_str("Authorization=");
    out.push_str(header);
    out
}

fn fmt_missing_query_params(missing: &[&'static str]) -> String {
    let mut out = String::new();
    for name in missing {
        out.push_str("AWS query-string parameters must include '");
        out.push_str(name);
        out.push_str("'. ");
    }
    out.push_str("Re-examine the query-string parameters.");
    out
}

fn fmt_expired(request_time: &Timestamp, now: &Timestamp) -> String {
    let limit = now.saturating_sub(crate::MAX_SKEW).unwrap_or(*now);
    format!(
        "Signature expired: {} is now earlier than {} ({} - 15 min.)",
        amz_date(*request_time),
        amz_date(limit),
        amz_date(*now)
    )
}

fn fmt_not_yet_current(request_time: &Timestamp, now: &Timestamp) -> String {
    let limit = now.saturating_add(crate::MAX_SKEW).unwrap_or(*now);
    format!(
        "Signature not yet current: {} is still later than {} ({} + 15 min.)",
        amz_date(*request_time),
        amz_date(limit),
        amz_date(*now)
    )
}

/// The AWS base message for a signature mismatch.
pub const SIGNATURE_DOES_NOT_MATCH_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// Every way SigV4 authentication can fail, in the order AWS reports them (see the
/// crate documentation). `Display` is AWS's message; [`SigV4Error::code`] and
/// [`SigV4Error::status`] give the error code and HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigV4Error {
    /// The request carries no authentication at all but the operation needs it.
    /// Never returned by [`crate::parse`] (which answers `Ok(None)`); the server
    /// raises it.
    #[error("Request is missing Authentication Token")]
    MissingAuthenticationToken,

    /// The `Authorization` header lacks one or more components (or is not SigV4 at
    /// all, e.g. `Bearer ...` or a SigV2 `AWS AKID:sig` header).
    #[error("{}", fmt_missing_header_parts(missing, header))]
    IncompleteAuthorizationHeader {
        /// The missing parts, in AWS's reporting order.
        missing: Vec<MissingHeaderPart>,
        /// The `Authorization` header value as received.
        header: String,
    },

    /// A component of the `Authorization` header is not `key=value`.
    #[error("'{pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'.")]
    MalformedAuthorizationPair {
        /// The offending token.
        pair: String,
        /// The `Authorization` header value as received.
        header: String,
    },

    /// A presigned request lacks one or more `X-Amz-*` query parameters.
    #[error("{}", fmt_missing_query_params(missing))]
    IncompleteQueryParameters {
        /// The missing parameter names, in AWS's reporting order.
        missing: Vec<&'static str>,
    },

    /// Both an `Authorization` header and presigned query parameters are present.
    #[error("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")]
    MultipleAuthMechanisms,

    /// The signing algorithm is not `AWS4-HMAC-SHA256` (e.g. SigV4a).
    #[error("Unsupported AWS 'algorithm': '{algorithm}'.")]
    UnsupportedAlgorithm {
        /// The algorithm named by the request.
        algorithm: String,
    },

    /// The credential is not `keyid/date/region/service/aws4_request`.
    #[error("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'")]
    MalformedCredential {
        /// The credential as received.
        credential: String,
    },

    /// `X-Amz-Date` (header or query) or `Date` cannot be parsed.
    #[error("Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601")]
    InvalidDate {
        /// The value as received.
        value: String,
    },

    /// `X-Amz-Expires` is not an integer in `0..=604800`.
    #[error("{}", match value.parse::<i64>() { Err(_) => "X-Amz-Expires should be a number", Ok(n) if n < 0 => "X-Amz-Expires must be non-negative", Ok(_) => "X-Amz-Expires must be less than a week (in seconds) that is 604800" })]
    InvalidExpires {
        /// The value as received.
        value: String,
    },

    /// The credential scope's terminator is not `aws4_request`.
    #[error(
        "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
    )]
    InvalidTerminator {
        /// The terminator as received.
        terminator: String,
    },

    /// The credential scope's date differs from the request date.
    #[error("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{request_date}', from '{amz_date}'.")]
    ScopeDateMismatch {
        /// The `YYYYMMDD` of the credential scope.
        scope_date: String,
        /// The `YYYYMMDD` of the request time.
        request_date: String,
        /// The request time in basic ISO-8601 form.
        amz_date: String,
    },

    /// The credential scope names another service than the one addressed
    /// (raised by [`crate::Authorization::check_service`]).
    #[error("Credential should be scoped to correct service: '{expected}'. ")]
    WrongService {
        /// The service the endpoint serves.
        expected: String,
    },

    /// The credential scope names a region the endpoint does not serve
    /// (raised by [`crate::Authorization::check_region`]).
    #[error("Credential should be scoped to a valid region, not '{region}'. ")]
    WrongRegion {
        /// The region in the credential scope.
        region: String,
    },

    /// `host` is not among the signed headers.
    #[error("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")]
    HostNotSigned,

    /// One or more `x-amz-*` headers are present but not signed.
    #[error("There were headers present in the request which were not signed: {}", names.join(", "))]
    UnsignedHeaders {
        /// The unsigned header names (lower case).
        names: Vec<String>,
    },

    /// A signed `x-amz-content-sha256` value is neither a SHA-256 hex digest nor
    /// `UNSIGNED-PAYLOAD`.
    #[error("x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.")]
    InvalidContentSha256 {
        /// The value as received.
        value: String,
    },

    /// A signed `x-amz-content-sha256` digest differs from the body's digest.
    #[error("The provided 'x-amz-content-sha256' header does not match what was computed.")]
    ContentSha256Mismatch,

    /// The request time is more than 15 minutes in the past (header form), or a
    /// presigned request's date is more than 15 minutes old.
    #[error("{}", fmt_expired(request_time, now))]
    SignatureExpired {
        /// The request time.
        request_time: Timestamp,
        /// The server's time.
        now: Timestamp,
    },

    /// The request time is more than 15 minutes in the future.
    #[error("{}", fmt_not_yet_current(request_time, now))]
    SignatureNotYetCurrent {
        /// The request time.
        request_time: Timestamp,
        /// The server's time.
        now: Timestamp,
    },

    /// A presigned request is past its `X-Amz-Expires`.
    #[error("Request has expired")]
    PresignedRequestExpired,

    /// The unknown access key id or an invalid session token (raised by the server
    /// after key lookup).
    #[error("The security token included in the request is invalid.")]
    InvalidClientTokenId,

    /// The session token (or the credentials it belongs to) has expired (raised by
    /// the server after key lookup).
    #[error("The security token included in the request is expired")]
    ExpiredToken,

    /// The signature differs from the one we calculated. `Display` is AWS's base
    /// message; [`SigV4Error::detailed_message`] adds the canonical request and
    /// string-to-sign the way IAM and STS do.
    #[error("{}", SIGNATURE_DOES_NOT_MATCH_MESSAGE)]
    SignatureDoesNotMatch {
        /// The canonical request the verifier built.
        canonical_request: String,
        /// The string-to-sign the verifier built.
        string_to_sign: String,
    },
}

/// The coarse kind of a failure: the part of the code table shared by all protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    MissingToken,
    Incomplete,
    Mismatch,
    InvalidToken,
    Expired,
    Denied,
    ContentSha,
}

impl SigV4Error {
    fn kind(&self) -> Kind {
        match self {
            Self::MissingAuthenticationToken => Kind::MissingToken,
            Self::IncompleteAuthorizationHeader { .. }
            | Self::MalformedAuthorizationPair { .. }
            | Self::IncompleteQueryParameters { .. }
            | Self::MultipleAuthMechanisms
            | Self::UnsupportedAlgorithm { .. }
            | Self::MalformedCredential { .. }
            | Self::InvalidDate { .. }
            | Self::InvalidExpires { .. }
            | Self::HostNotSigned
            | Self::UnsignedHeaders { .. }
            | Self::InvalidContentSha256 { .. } => Kind::Incomplete,
            Self::InvalidTerminator { .. }
            | Self::ScopeDateMismatch { .. }
            | Self::WrongService { .. }
            | Self::WrongRegion { .. }
            | Self::SignatureExpired { .. }
            | Self::SignatureNotYetCurrent { .. }
            | Self::SignatureDoesNotMatch { .. } => Kind::Mismatch,
            Self::PresignedRequestExpired => Kind::Denied,
            Self::InvalidClientTokenId => Kind::InvalidToken,
            Self::ExpiredToken => Kind::Expired,
            Self::ContentSha256Mismatch => Kind::ContentSha,
        }
    }

    /// The AWS error code for `protocol` (`SignatureDoesNotMatch` in the query
    /// protocol, `InvalidSignatureException` in the JSON protocols, ...).
    pub fn code(&self, protocol: ErrorProtocol) -> &'static str {
        let query = matches!(protocol, ErrorProtocol::Query);
        match (self.kind(), query) {
            (Kind::MissingToken, true) => "MissingAuthenticationToken",
            (Kind::MissingToken, false) => "MissingAuthenticationTokenException",
            (Kind::Incomplete, true) => "IncompleteSignature",
            (Kind::Incomplete, false) => "IncompleteSignatureException",
            (Kind::Mismatch, true) => "SignatureDoesNotMatch",
            (Kind::Mismatch, false) => "InvalidSignatureException",
            (Kind::InvalidToken, true) => "InvalidClientTokenId",
            (Kind::InvalidToken, false) => "UnrecognizedClientException",
            (Kind::Expired, true) => "ExpiredToken",
            (Kind::Expired, false) => "ExpiredTokenException",
            (Kind::Denied, true) => "AccessDenied",
            (Kind::Denied, false) => "AccessDeniedException",
            (Kind::ContentSha, _) => "XAmzContentSHA256Mismatch",
        }
    }

    /// The HTTP status AWS answers with in the query protocol (IAM, STS) and in
    /// `restJson1`: 400 for malformed signatures, 403 for everything else.
    pub fn status(&self) -> u16 {
        match self.kind() {
            Kind::Incomplete | Kind::ContentSha => 400,
            Kind::MissingToken
            | Kind::Mismatch
            | Kind::InvalidToken
            | Kind::Expired
            | Kind::Denied => 403,
        }
    }

    /// The HTTP status for `protocol`: as [`SigV4Error::status`], except that the
    /// `awsJson` (Coral) services answer every authentication failure with 400.
    pub fn status_for(&self, protocol: ErrorProtocol) -> u16 {
        match protocol {
            ErrorProtocol::Json => 400,
            ErrorProtocol::Query | ErrorProtocol::RestJson => self.status(),
        }
    }

    /// The message with the details AWS appends for a signature mismatch (the
    /// canonical request and the string-to-sign); other errors give `Display`.
    pub fn detailed_message(&self) -> String {
        match self {
            Self::SignatureDoesNotMatch {
                canonical_request,
                string_to_sign,
            } => format!(
                "{SIGNATURE_DOES_NOT_MATCH_MESSAGE}\n\nThe Canonical String for this request should have been\n'{canonical_request}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
            ),
            other => other.to_string(),
        }
    }
}
