//! Pure, synchronous AWS Signature Version 4 **verification** for localorg.
//!
//! The API is split so that a server can look up the secret asynchronously
//! between parsing and verifying:
//!
//! ```text
//! let auth = parse(&req)?            // Ok(None): no SigV4 at all
//! auth.check_time(now)?              // clock skew / presigned expiry
//! secret = lookup(auth.access_key_id())  // InvalidClientTokenId, ExpiredToken
//! auth.verify(&req, &secret, now)?   // or verify_with_key with a cached SigningKey
//! ```
//!
//! # Order in which failures are reported
//!
//! AWS reports the cheapest, key-independent problems first; this crate follows
//! that order and a server should keep it:
//!
//! 1. [`parse`], without the secret:
//!    - an `Authorization` header *and* presigned query parameters:
//!      [`SigV4Error::MultipleAuthMechanisms`];
//!    - header form: a scheme other than `AWS4-HMAC-SHA256` (`Bearer`, SigV2's
//!      `AWS AKID:sig`): [`SigV4Error::IncompleteAuthorizationHeader`] listing all
//!      three components (as AWS does), or [`SigV4Error::UnsupportedAlgorithm`] for
//!      another `AWS4-*` scheme (SigV4a); then a component without `=`:
//!      [`SigV4Error::MalformedAuthorizationPair`]; then the missing components and
//!      the missing date header, all in one message;
//!    - query form: the missing `X-Amz-*` parameters, all in one message
//!      ([`SigV4Error::IncompleteQueryParameters`]); then the algorithm;
//!    - the credential's five elements ([`SigV4Error::MalformedCredential`]), the
//!      date format ([`SigV4Error::InvalidDate`]), `X-Amz-Expires`
//!      ([`SigV4Error::InvalidExpires`]), the scope terminator
//!      ([`SigV4Error::InvalidTerminator`]), the scope date against the request date
//!      ([`SigV4Error::ScopeDateMismatch`]);
//!    - `host` signed ([`SigV4Error::HostNotSigned`]), every `x-amz-*` header signed
//!      ([`SigV4Error::UnsignedHeaders`]), the `x-amz-content-sha256` value
//!      ([`SigV4Error::InvalidContentSha256`]).
//! 2. [`Authorization::check_time`] (also run by `verify`): the 15-minute skew
//!    ([`SigV4Error::SignatureExpired`], [`SigV4Error::SignatureNotYetCurrent`])
//!    and presigned expiry ([`SigV4Error::PresignedRequestExpired`]).
//! 3. The server's key lookup: [`SigV4Error::InvalidClientTokenId`] for an unknown
//!    access key or a bad/missing session token of an `ASIA` key;
//!    [`SigV4Error::ExpiredToken`] for expired temporary credentials. The session
//!    token itself ([`Authorization::security_token`]) is the server's to check.
//! 4. [`Authorization::verify`]: the body digest
//!    ([`SigV4Error::ContentSha256Mismatch`]), then the signature
//!    ([`SigV4Error::SignatureDoesNotMatch`], constant-time compare).
//!
//! # Which headers must be signed
//!
//! `host` must be signed. Every `x-amz-*` header present must be signed, except
//! `x-amz-user-agent`: botocore (boto3, aws CLI) signs every header but
//! `user-agent`, `expect`, `transfer-encoding`, `x-amzn-trace-id` and a few hop-by-hop
//! ones, so `X-Amz-Target`, `X-Amz-Date`, `X-Amz-Security-Token` and
//! `X-Amz-Content-SHA256` are always signed by it; the Rust SDK signs
//! `x-amz-user-agent` in header form but leaves it out of presigned URLs, and it
//! carries nothing the server acts on. `x-amzn-*` headers are not `x-amz-*` and
//! may stay unsigned. A session token sent as an unsigned header (allowed by a
//! few AWS services, see the suite's `post-sts-header-after`) is refused.
//!
//! # Presigned requests
//!
//! Non-S3 services (STS in particular) accept a presigned request for at most 15
//! minutes after its `X-Amz-Date`, whatever `X-Amz-Expires` says; a shorter
//! `X-Amz-Expires` is honoured here (localorg is stricter than AWS there) and
//! reported as [`SigV4Error::PresignedRequestExpired`]. The payload hash of a
//! presigned non-S3 request is the body's SHA-256, as for the header form.
//!
//! HTTP/2 requests carry `:authority` instead of `Host`: the server must put the
//! authority into the header map as `host` before calling [`parse`].

mod canonical;
mod error;
mod key;

use jiff::{SignedDuration, Timestamp};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

pub use error::{ErrorProtocol, MissingHeaderPart, SigV4Error, SIGNATURE_DOES_NOT_MATCH_MESSAGE};
pub use key::{signing_key, SigningKey};

/// The only supported signing algorithm.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The credential scope terminator.
pub const TERMINATOR: &str = "aws4_request";

/// The payload-hash value that opts out of body signing.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The longest `X-Amz-Expires` AWS accepts (seven days).
pub const MAX_EXPIRES_SECS: u64 = 604_800;

/// The allowed clock skew between the request time and the server's time.
pub const MAX_SKEW: SignedDuration = SignedDuration::from_secs(15 * 60);

/// Header names exempt from "every `x-amz-*` header must be signed".
const UNSIGNED_X_AMZ_ALLOWED: &[&str] = &["x-amz-user-agent"];

/// An HTTP request as received, before any decoding.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The raw path exactly as on the wire, still percent-encoded (`/a%20b`).
    pub path: &'a str,
    /// The raw query string without the `?` (empty when there is none).
    pub query: &'a str,
    /// The headers; must include `host` (for HTTP/2, copy `:authority` in).
    pub headers: &'a http::HeaderMap,
    /// The complete body.
    pub body: &'a [u8],
}

/// The credential scope: `date/region/service/aws4_request`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CredentialScope {
    /// `YYYYMMDD`.
    pub date: String,
    /// The signing region, e.g. `us-east-1`.
    pub region: String,
    /// The signing service name, e.g. `iam`, `organizations`, `sso`.
    pub service: String,
}

impl std::fmt::Display for CredentialScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}/{}/{TERMINATOR}",
            self.date, self.region, self.service
        )
    }
}

/// A parsed SigV4 authorization (header or presigned query form), not yet verified.
#[derive(Clone)]
pub struct Authorization {
    access_key_id: String,
    scope: CredentialScope,
    signed_headers: Vec<String>,
    signature: String,
    request_time: Timestamp,
    amz_date: String,
    security_token: Option<Zeroizing<String>>,
    presigned: bool,
    expires: Option<u64>,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization")
            .field("access_key_id", &self.access_key_id)
            .field("scope", &self.scope)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .field("amz_date", &self.amz_date)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("presigned", &self.presigned)
            .field("expires", &self.expires)
            .finish()
    }
}

/// Reads a header as text (lossy for non-UTF-8 octets).
fn header_text(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Parses `YYYYMMDDTHHMMSSZ`.
fn parse_amz_date(value: &str) -> Option<Timestamp> {
    let b = value.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i32> {
        let part = b.get(range)?;
        let mut n: i32 = 0;
        for &c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i32::from(c - b'0');
        }
        Some(n)
    };
    let year = i16::try_from(digits(0..4)?).ok()?;
    let month = i8::try_from(digits(4..6)?).ok()?;
    let day = i8::try_from(digits(6..8)?).ok()?;
    let hour = i8::try_from(digits(9..11)?).ok()?;
    let minute = i8::try_from(digits(11..13)?).ok()?;
    let second = i8::try_from(digits(13..15)?).ok()?;
    let dt = jiff::civil::DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(dt).ok()
}

/// Parses an HTTP `Date` header (RFC 7231 IMF-fixdate, or RFC 2822).
fn parse_http_date(value: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()
}

fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The raw pieces found in the request, before validation.
struct RawAuth {
    credential: String,
    signed_headers: String,
    signature: String,
    request_time: Timestamp,
    amz_date: String,
    security_token: Option<String>,
    presigned: bool,
    expires: Option<u64>,
}

/// Finds the SigV4 authorization in a request.
///
/// Returns `Ok(None)` when the request carries no SigV4 at all: no
/// `Authorization` header and none of the `X-Amz-Algorithm`, `X-Amz-Credential`,
/// `X-Amz-Signature` query parameters. Everything that can be checked without the
/// secret and without a clock is checked here (see the crate documentation for
/// the order).
pub fn parse(req: &Request<'_>) -> Result<Option<Authorization>, SigV4Error> {
    let query = canonical::parse_query(req.query);
    let query_auth = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"]
        .iter()
        .any(|name| canonical::query_param(&query, name).is_some());
    let header = req.headers.get(http::header::AUTHORIZATION);
    let raw = match (header, query_auth) {
        (None, false) => return Ok(None),
        (Some(_), true) => return Err(SigV4Error::MultipleAuthMechanisms),
        (Some(value), false) => parse_header_form(req, value)?,
        (None, true) => parse_query_form(req, &query)?,
    };
    finish(req, raw).map(Some)
}

fn parse_header_form(req: &Request<'_>, value: &http::HeaderValue) -> Result<RawAuth, SigV4Error> {
    let header = String::from_utf8_lossy(value.as_bytes()).into_owned();
    let amz_date_header = header_text(req.headers, "x-amz-date");
    let date_header = header_text(req.headers, "date");
    let has_date = amz_date_header.is_some() || date_header.is_some();

    let mut tokens = header
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    let scheme = tokens.next().unwrap_or_default();
    if scheme != ALGORITHM {
        if scheme.starts_with("AWS4-") {
            return Err(SigV4Error::UnsupportedAlgorithm {
                algorithm: scheme.to_owned(),
            });
        }
        let mut missing = vec![
            MissingHeaderPart::Credential,
            MissingHeaderPart::Signature,
            MissingHeaderPart::SignedHeaders,
        ];
        if !has_date {
            missing.push(MissingHeaderPart::Date);
        }
        return Err(SigV4Error::IncompleteAuthorizationHeader { missing, header });
    }

    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for token in tokens {
        let Some((key, val)) = token.split_once('=') else {
            return Err(SigV4Error::MalformedAuthorizationPair {
                pair: token.to_owned(),
                header: header.clone(),
            });
        };
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(val.to_owned());
        }
    }

    let mut missing = Vec::new();
    if credential.is_none() {
        missing.push(MissingHeaderPart::Credential);
    }
    if signature.is_none() {
        missing.push(MissingHeaderPart::Signature);
    }
    if signed_headers.is_none() {
        missing.push(MissingHeaderPart::SignedHeaders);
    }
    if !has_date {
        missing.push(MissingHeaderPart::Date);
    }
    let (Some(credential), Some(signed_headers), Some(signature), true) =
        (credential, signed_headers, signature, missing.is_empty())
    else {
        return Err(SigV4Error::IncompleteAuthorizationHeader { missing, header });
    };

    check_credential_shape(&credential)?;

    let (request_time, amz_date) = match (amz_date_header, date_header) {
        (Some(v), _) => match parse_amz_date(&v) {
            Some(ts) => (ts, v),
            None => return Err(SigV4Error::InvalidDate { value: v }),
        },
        (None, Some(v)) => match parse_http_date(&v) {
            Some(ts) => (ts, error::amz_date(ts)),
            None => return Err(SigV4Error::InvalidDate { value: v }),
        },
        (None, None) => {
            return Err(SigV4Error::IncompleteAuthorizationHeader {
                missing: vec![MissingHeaderPart::Date],
                header,
            })
        }
    };

    Ok(RawAuth {
        credential,
        signed_headers,
        signature,
        request_time,
        amz_date,
        security_token: header_text(req.headers, "x-amz-security-token"),
        presigned: false,
        expires: None,
    })
}

fn parse_query_form(
    req: &Request<'_>,
    query: &[(Vec<u8>, Vec<u8>)],
) -> Result<RawAuth, SigV4Error> {
    let param = |name: &str| canonical::query_param(query, name);
    let algorithm = param("X-Amz-Algorithm");
    let credential = param("X-Amz-Credential");
    let signature = param("X-Amz-Signature");
    let signed_headers = param("X-Amz-SignedHeaders");
    let date = param("X-Amz-Date");
    let mut missing = Vec::new();
    for (name, value) in [
        ("X-Amz-Algorithm", &algorithm),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Signature", &signature),
        ("X-Amz-SignedHeaders", &signed_headers),
        ("X-Amz-Date", &date),
    ] {
        if value.is_none() {
            missing.push(name);
        }
    }
    let (Some(algorithm), Some(credential), Some(signature), Some(signed_headers), Some(date)) =
        (algorithm, credential, signature, signed_headers, date)
    else {
        return Err(SigV4Error::IncompleteQueryParameters { missing });
    };
    if algorithm != ALGORITHM {
        return Err(SigV4Error::UnsupportedAlgorithm { algorithm });
    }
    check_credential_shape(&credential)?;
    let Some(request_time) = parse_amz_date(&date) else {
        return Err(SigV4Error::InvalidDate { value: date });
    };
    let expires = match param("X-Amz-Expires") {
        None => None,
        Some(value) => match value.parse::<u64>() {
            Ok(n) if n <= MAX_EXPIRES_SECS => Some(n),
            _ => return Err(SigV4Error::InvalidExpires { value }),
        },
    };
    Ok(RawAuth {
        credential,
        signed_headers,
        signature,
        request_time,
        amz_date: date,
        security_token: param("X-Amz-Security-Token")
            .or_else(|| header_text(req.headers, "x-amz-security-token")),
        presigned: true,
        expires,
    })
}

fn check_credential_shape(credential: &str) -> Result<(), SigV4Error> {
    if credential.split('/').count() == 5 {
        Ok(())
    } else {
        Err(SigV4Error::MalformedCredential {
            credential: credential.to_owned(),
        })
    }
}

fn finish(req: &Request<'_>, raw: RawAuth) -> Result<Authorization, SigV4Error> {
    let mut parts = raw.credential.split('/');
    let (Some(akid), Some(date), Some(region), Some(service), Some(terminator), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(SigV4Error::MalformedCredential {
            credential: raw.credential.clone(),
        });
    };
    if terminator != TERMINATOR {
        return Err(SigV4Error::InvalidTerminator {
            terminator: terminator.to_owned(),
        });
    }
    let request_date = raw.amz_date.get(..8).unwrap_or_default();
    if date != request_date {
        return Err(SigV4Error::ScopeDateMismatch {
            scope_date: date.to_owned(),
            request_date: request_date.to_owned(),
            amz_date: raw.amz_date.clone(),
        });
    }

    let signed_headers: Vec<String> = raw
        .signed_headers
        .split(';')
        .map(str::to_ascii_lowercase)
        .collect();
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(SigV4Error::HostNotSigned);
    }
    let mut unsigned: Vec<String> = req
        .headers
        .keys()
        .map(http::HeaderName::as_str)
        .filter(|name| {
            name.starts_with("x-amz-")
                && !UNSIGNED_X_AMZ_ALLOWED.contains(name)
                && !signed_headers.iter().any(|s| s == name)
        })
        .map(str::to_owned)
        .collect();
    if !unsigned.is_empty() {
        unsigned.sort();
        return Err(SigV4Error::UnsignedHeaders { names: unsigned });
    }
    if signed_headers.iter().any(|h| h == "x-amz-content-sha256") {
        if let Some(value) = header_text(req.headers, "x-amz-content-sha256") {
            if value != UNSIGNED_PAYLOAD && !is_sha256_hex(&value) {
                return Err(SigV4Error::InvalidContentSha256 { value });
            }
        }
    }

    Ok(Authorization {
        access_key_id: akid.to_owned(),
        scope: CredentialScope {
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
        },
        signed_headers,
        signature: raw.signature,
        request_time: raw.request_time,
        amz_date: raw.amz_date,
        security_token: raw.security_token.map(Zeroizing::new),
        presigned: raw.presigned,
        expires: raw.expires,
    })
}

impl Authorization {
    /// The access key id (`AKIA...` / `ASIA...`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The credential scope (date, region, service).
    pub fn scope(&self) -> &CredentialScope {
        &self.scope
    }

    /// The credential scope's `YYYYMMDD`.
    pub fn scope_date(&self) -> &str {
        &self.scope.date
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.scope.region
    }

    /// The signing service name (`iam`, `sts`, `organizations`, `sso`, ...).
    pub fn service(&self) -> &str {
        &self.scope.service
    }

    /// The signed header names, lower case, in the order the client listed them.
    pub fn signed_headers(&self) -> &[String] {
        &self.signed_headers
    }

    /// The signature as sent (hex).
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The request time (`X-Amz-Date`, or the `Date` header in header form).
    pub fn request_time(&self) -> Timestamp {
        self.request_time
    }

    /// The request time as it enters the string-to-sign (`20240101T000000Z`).
    pub fn amz_date(&self) -> &str {
        &self.amz_date
    }

    /// The session token (`X-Amz-Security-Token` header, or query parameter for
    /// presigned requests), if any. The server must check it belongs to the key.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(|t| t.as_str())
    }

    /// Whether the signature came in the query string (presigned URL).
    pub fn is_presigned(&self) -> bool {
        self.presigned
    }

    /// `X-Amz-Expires` in seconds (presigned requests that carry it).
    pub fn expires(&self) -> Option<u64> {
        self.expires
    }

    /// Fails with [`SigV4Error::WrongService`] unless the credential scope names
    /// `expected`.
    pub fn check_service(&self, expected: &str) -> Result<(), SigV4Error> {
        if self.scope.service == expected {
            Ok(())
        } else {
            Err(SigV4Error::WrongService {
                expected: expected.to_owned(),
            })
        }
    }

    /// Fails with [`SigV4Error::WrongRegion`] unless `allowed` accepts the
    /// credential scope's region.
    pub fn check_region(&self, allowed: impl Fn(&str) -> bool) -> Result<(), SigV4Error> {
        if allowed(&self.scope.region) {
            Ok(())
        } else {
            Err(SigV4Error::WrongRegion {
                region: self.scope.region.clone(),
            })
        }
    }

    /// Checks the request time against `now`: 15 minutes of skew either way; a
    /// presigned request also expires after `X-Amz-Expires` seconds and, as on AWS
    /// for non-S3 services, after 15 minutes at most.
    pub fn check_time(&self, now: Timestamp) -> Result<(), SigV4Error> {
        let age = now.duration_since(self.request_time);
        if self.request_time.duration_since(now) > MAX_SKEW {
            return Err(SigV4Error::SignatureNotYetCurrent {
                request_time: self.request_time,
                now,
            });
        }
        if age > MAX_SKEW {
            return Err(SigV4Error::SignatureExpired {
                request_time: self.request_time,
                now,
            });
        }
        if let Some(expires) = self.expires {
            let limit = SignedDuration::from_secs(i64::try_from(expires).unwrap_or(i64::MAX));
            if self.presigned && age > limit {
                return Err(SigV4Error::PresignedRequestExpired);
            }
        }
        Ok(())
    }

    /// Derives the signing key for this authorization's scope from `secret_access_key`.
    pub fn signing_key(&self, secret_access_key: &str) -> SigningKey {
        signing_key(
            secret_access_key,
            &self.scope.date,
            &self.scope.region,
            &self.scope.service,
        )
    }

    /// The payload hash entering the canonical request: the signed
    /// `x-amz-content-sha256` value when present, else the body's SHA-256.
    fn payload_hash(&self, req: &Request<'_>) -> Result<String, SigV4Error> {
        let body_hash = canonical::sha256_hex(req.body);
        if !self
            .signed_headers
            .iter()
            .any(|h| h == "x-amz-content-sha256")
        {
            return Ok(body_hash);
        }
        match header_text(req.headers, "x-amz-content-sha256") {
            None => Ok(body_hash),
            Some(v) if v == UNSIGNED_PAYLOAD => Ok(v),
            Some(v) if is_sha256_hex(&v) => {
                if v.eq_ignore_ascii_case(&body_hash) {
                    Ok(v)
                } else {
                    Err(SigV4Error::ContentSha256Mismatch)
                }
            }
            Some(value) => Err(SigV4Error::InvalidContentSha256 { value }),
        }
    }

    fn canonical_bytes(&self, req: &Request<'_>, payload_hash: &str) -> Vec<u8> {
        let query = canonical::parse_query(req.query);
        canonical::canonical_request(&canonical::CanonicalInput {
            method: req.method,
            path: req.path,
            query: &query,
            skip_query_param: self.presigned.then_some("X-Amz-Signature"),
            headers: req.headers,
            signed_headers: &self.signed_headers,
            payload_hash,
        })
    }

    fn string_to_sign_for(&self, canonical_request: &[u8]) -> String {
        format!(
            "{ALGORITHM}\n{}\n{}\n{}",
            self.amz_date,
            self.scope,
            canonical::sha256_hex(canonical_request)
        )
    }

    /// The canonical request this verifier builds for `req` (for debugging; non-UTF-8
    /// octets are replaced).
    pub fn canonical_request(&self, req: &Request<'_>) -> String {
        let payload_hash = self
            .payload_hash(req)
            .unwrap_or_else(|_| canonical::sha256_hex(req.body));
        String::from_utf8_lossy(&self.canonical_bytes(req, &payload_hash)).into_owned()
    }

    /// Verifies the signature with the secret access key (derives the signing key;
    /// see [`Authorization::verify_with_key`] to reuse a cached one). Runs
    /// [`Authorization::check_time`] first.
    pub fn verify(
        &self,
        req: &Request<'_>,
        secret_access_key: &str,
        now: Timestamp,
    ) -> Result<(), SigV4Error> {
        self.check_time(now)?;
        let key = self.signing_key(secret_access_key);
        self.verify_with_key(req, &key, now)
    }

    /// Verifies the signature with a signing key derived for this authorization's
    /// access key and scope (`signing_key(secret, scope_date, region, service)`).
    /// Runs [`Authorization::check_time`] first; the comparison is constant-time.
    pub fn verify_with_key(
        &self,
        req: &Request<'_>,
        key: &SigningKey,
        now: Timestamp,
    ) -> Result<(), SigV4Error> {
        self.check_time(now)?;
        let payload_hash = self.payload_hash(req)?;
        let canonical_request = self.canonical_bytes(req, &payload_hash);
        let string_to_sign = self.string_to_sign_for(&canonical_request);
        let expected = hex::encode(key::hmac_sha256(key.as_bytes(), string_to_sign.as_bytes()));
        if bool::from(expected.as_bytes().ct_eq(self.signature.as_bytes())) {
            Ok(())
        } else {
            Err(SigV4Error::SignatureDoesNotMatch {
                canonical_request: String::from_utf8_lossy(&canonical_request).into_owned(),
                string_to_sign,
            })
        }
    }
}

#[cfg(test)]
mod tests;
