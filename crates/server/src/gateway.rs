//! Every AWS request: detect -> authenticate -> decode and validate -> authorize -> handle -> encode
//! -> audit.
//!
//! The async handler only collects the body; the rest runs on the blocking pool in one go, because
//! key lookup and the call itself use the (synchronous) store.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::Request;
use axum::response::Response;
use bytes::Bytes;
use localorg_kernel::audit::AuditEvent;
use localorg_kernel::credentials::TokenRefusal;
use localorg_kernel::{Call, Caller, Partition};
use localorg_model::{ApiError, Service};
use localorg_sigv4::{Authorization, SigV4Error};
use localorg_wire as wire;

use crate::{AppState, AuthMode};

/// Largest request body accepted (AWS's own limits are far below this for these services).
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(crate) async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request<Body>,
) -> Response {
    let started = Instant::now();
    if crate::s3::is_s3(&request) {
        return crate::s3::handle(&state, peer, request, started).await;
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        let e = ApiError::new(
            "RequestEntityTooLarge",
            413,
            "The request body is too large.",
        );
        return into_axum(encode_unrouted_error(&e, &request_id));
    };
    // The store is synchronous and a call is short: run it on this worker thread, telling the
    // runtime to move other tasks away meanwhile (cheaper than a hand-off to the blocking pool).
    let response = tokio::task::block_in_place(|| {
        let request = Incoming {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or(""),
            headers: &parts.headers,
            body: &body,
        };
        let outcome = process(&state, &request, peer, &request_id);
        tracing::info!(
            service = outcome.service.map_or("-", Service::model_name),
            operation = outcome.operation,
            caller = outcome.caller.as_deref().unwrap_or("-"),
            status = outcome.response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "request"
        );
        outcome.response
    });
    into_axum(response)
}

/// The request as received.
struct Incoming<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a http::HeaderMap,
    body: &'a [u8],
}

impl Incoming<'_> {
    fn wire(&self) -> wire::HttpRequest<'_> {
        wire::HttpRequest {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
        }
    }

    fn signed(&self) -> localorg_sigv4::Request<'_> {
        localorg_sigv4::Request {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
        }
    }
}

/// What the request log line reports, with the response.
struct Outcome {
    service: Option<Service>,
    operation: &'static str,
    caller: Option<String>,
    response: http::Response<Bytes>,
}

fn process(
    state: &AppState,
    request: &Incoming<'_>,
    peer: SocketAddr,
    request_id: &str,
) -> Outcome {
    let authorization = localorg_sigv4::parse(&request.signed());
    let scope_service = match &authorization {
        Ok(Some(a)) => Some(a.service()),
        _ => None,
    };
    let (service, operation) = match wire::detect(&request.wire(), scope_service) {
        Ok(found) => found,
        Err(e) => {
            return Outcome {
                service: None,
                operation: "-",
                caller: None,
                response: encode_unrouted_error(&ApiError::from(e), request_id),
            }
        }
    };
    let received = jiff::Timestamp::now();
    let sink = state.partition.audit();
    let mut seen = Seen {
        request_id: request_id.to_owned(),
        audit: sink.enabled(),
        payloads: sink.enabled() && sink.wants_payloads(),
        ..Seen::default()
    };
    let result = serve_call(
        state,
        request,
        peer,
        service,
        operation,
        authorization,
        &mut seen,
    );
    let response = match &result {
        Ok(output) => wire::encode_output(service, operation, output, request_id),
        Err(e) => wire::encode_error(service, e, request_id),
    };
    // A write that succeeded was recorded in its transaction (`Partition::call`).
    let recorded = result.is_ok() && !localorg_kernel::partition::is_read_only(operation);
    if seen.audit && !recorded {
        let user_agent = user_agent_of(request.headers);
        sink.record(&AuditEvent {
            request_id,
            at: received,
            service: service.model_name(),
            operation,
            caller: seen.caller.as_ref(),
            region: seen.region.as_deref().unwrap_or("us-east-1"),
            source_ip: &peer.ip().to_string(),
            user_agent,
            read_only: localorg_kernel::partition::is_read_only(operation),
            request: seen.input.as_ref(),
            response: result.as_ref().ok().filter(|_| seen.payloads),
            error: result.as_ref().err(),
        });
    }
    Outcome {
        service: Some(service),
        operation,
        caller: seen.caller_arn,
        response,
    }
}

/// What the log line and the audit stage learn of a call while it is served.
#[derive(Default)]
struct Seen {
    /// The request id the answer carries.
    request_id: String,
    /// The audit sink records calls: keep the caller and the region.
    audit: bool,
    /// The audit sink wants payloads: keep a copy of the input.
    payloads: bool,
    /// The caller's ARN, once authenticated (`anonymous` for unsigned calls).
    caller_arn: Option<String>,
    /// The caller (audit only).
    caller: Option<Caller>,
    /// The signing region (audit only).
    region: Option<String>,
    /// The decoded input (audit payloads only).
    input: Option<serde_json::Value>,
}

/// Authenticates, decodes, validates and runs one call, noting in `seen` what it learns.
fn serve_call(
    state: &AppState,
    request: &Incoming<'_>,
    peer: SocketAddr,
    service: Service,
    operation: &'static str,
    authorization: Result<Option<Authorization>, SigV4Error>,
    seen: &mut Seen,
) -> Result<serde_json::Value, ApiError> {
    let authorization = authorization.map_err(|e| sigv4_error(service, &e))?;
    let caller = authenticate(
        &state.partition,
        state.auth,
        service,
        operation,
        authorization.as_ref(),
        request,
    )?;
    seen.caller_arn = Some(
        caller
            .as_ref()
            .map_or_else(|| "anonymous".to_owned(), |c| c.arn.clone()),
    );
    // Any signing region is accepted; it becomes the call's region (`aws:RequestedRegion`).
    let region = authorization
        .as_ref()
        .map_or("us-east-1", Authorization::region)
        .to_owned();
    if seen.audit {
        seen.caller.clone_from(&caller);
        seen.region = Some(region.clone());
    }
    let input = wire::decode_input(service, operation, &request.wire())?;
    if seen.payloads {
        seen.input = Some(input.clone());
    }
    wire::validate_input(service, operation, &input)
        .map_err(|violations| localorg_kernel::validation_error(service, &violations))?;
    state.partition.call(Call {
        service,
        operation,
        caller,
        region,
        source_ip: peer.ip().to_string(),
        endpoint: endpoint_of(request.headers),
        input,
        authorize: state.auth == AuthMode::Enforce,
        request_id: seen.request_id.clone(),
        user_agent: user_agent_of(request.headers).to_owned(),
    })
}

/// The caller of a SigV4-signed request to one of localorg's own endpoints (no anonymous callers,
/// and no permissive fallback: these endpoints change identities).
pub(crate) fn signed_caller(
    state: &AppState,
    method: &str,
    path: &str,
    query: &str,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<(Caller, String), ApiError> {
    let request = Incoming {
        method,
        path,
        query,
        headers,
        body,
    };
    let service = Service::IdentityStore;
    let authorization =
        localorg_sigv4::parse(&request.signed()).map_err(|e| sigv4_error(service, &e))?;
    let region = authorization
        .as_ref()
        .map_or("us-east-1", Authorization::region)
        .to_owned();
    let Some(authorization) = authorization else {
        return Err(sigv4_error(
            service,
            &SigV4Error::MissingAuthenticationToken,
        ));
    };
    let caller = authenticate(
        &state.partition,
        AuthMode::Enforce,
        service,
        "UpdateUser",
        Some(&authorization),
        &request,
    )?
    .ok_or_else(|| sigv4_error(service, &SigV4Error::MissingAuthenticationToken))?;
    Ok((caller, region))
}

/// Resolves the caller: checks the clock skew, looks the key up, verifies the signature against its
/// secret — or (permissive mode) lets an unknown key act as the default account's root user.
/// `Ok(None)` is an anonymous call to an operation AWS serves unsigned.
fn authenticate(
    partition: &Partition,
    mode: AuthMode,
    service: Service,
    operation: &'static str,
    authorization: Option<&Authorization>,
    request: &Incoming<'_>,
) -> Result<Option<Caller>, ApiError> {
    let Some(authorization) = authorization else {
        if service
            .model()
            .operations
            .get(operation)
            .is_some_and(|o| o.is_unsigned())
        {
            return Ok(None);
        }
        return Err(sigv4_error(
            service,
            &SigV4Error::MissingAuthenticationToken,
        ));
    };
    let now = jiff::Timestamp::now();
    authorization
        .check_time(now)
        .map_err(|e| sigv4_error(service, &e))?;
    let Some(credential) = partition.credential(authorization.access_key_id())? else {
        return match mode {
            AuthMode::Permissive => Ok(Some(partition.default_root_caller()?)),
            AuthMode::Enforce => Err(sigv4_error(service, &SigV4Error::InvalidClientTokenId)),
        };
    };
    authorization
        .verify(&request.signed(), credential.secret.expose(), now)
        .map_err(|e| sigv4_error(service, &e))?;
    let caller = credential
        .caller_with_token(authorization.security_token(), now.as_millisecond())
        .map_err(|refusal| {
            let e = match refusal {
                TokenRefusal::Expired => SigV4Error::ExpiredToken,
                TokenRefusal::Missing | TokenRefusal::Wrong => SigV4Error::InvalidClientTokenId,
            };
            sigv4_error(service, &e)
        })?;
    Ok(Some(caller))
}

/// The client's `User-Agent` (empty when absent).
fn user_agent_of(headers: &http::HeaderMap) -> &str {
    headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The endpoint the client called, from its `Host` header (HTTP/1.1 clients always send one).
pub(crate) fn endpoint_of(headers: &http::HeaderMap) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A SigV4 failure in the error vocabulary of the service's protocol.
fn sigv4_error(service: Service, e: &SigV4Error) -> ApiError {
    let protocol = match wire::protocol_of(service) {
        wire::Protocol::AwsQuery => localorg_sigv4::ErrorProtocol::Query,
        wire::Protocol::RestJson1 => localorg_sigv4::ErrorProtocol::RestJson,
        wire::Protocol::AwsJson10 | wire::Protocol::AwsJson11 => {
            localorg_sigv4::ErrorProtocol::Json
        }
    };
    ApiError::new(e.code(protocol), e.status_for(protocol), e.to_string())
}

/// An error for a request no service claims: rendered as awsJson, which every JSON client parses.
fn encode_unrouted_error(e: &ApiError, request_id: &str) -> http::Response<Bytes> {
    let body = serde_json::json!({"__type": e.code, "message": e.message});
    http::Response::builder()
        .status(e.status)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amzn-requestid", request_id)
        .header("x-amzn-errortype", e.code.as_ref())
        .body(Bytes::from(body.to_string()))
        .unwrap_or_default()
}

pub(crate) fn into_axum(response: http::Response<Bytes>) -> Response {
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use localorg_kernel::audit::{AuditEvent, AuditSink};
    use localorg_kernel::Partition;

    use super::*;

    /// One recorded event: (service, operation, caller ARN, error code, user agent).
    type Recorded = (String, String, Option<String>, Option<String>, String);

    /// Keeps what it is offered.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<Recorded>>);

    impl AuditSink for Recorder {
        fn record(&self, event: &AuditEvent<'_>) {
            if let Ok(mut seen) = self.0.lock() {
                seen.push((
                    event.service.to_owned(),
                    event.operation.to_owned(),
                    event.caller.map(|c| c.arn.clone()),
                    event.error.map(|e| e.code.to_string()),
                    event.user_agent.to_owned(),
                ));
            }
        }
    }

    #[test]
    fn calls_that_fail_before_the_handler_reach_the_audit_stage_too() {
        let recorder = Arc::new(Recorder::default());
        let registry = crate::registry().with_audit(recorder.clone());
        let Ok(partition) = Partition::in_memory("000000000000", registry) else {
            panic!("in-memory partition");
        };
        let state = AppState::new(partition, AuthMode::Enforce);
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(
            http::header::USER_AGENT,
            http::HeaderValue::from_static("audit-test/1.0"),
        );
        let request = Incoming {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"Action=GetCallerIdentity&Version=2011-06-15",
        };
        let peer: SocketAddr = ([127, 0, 0, 1], 50000).into();
        let outcome = process(&state, &request, peer, "req-1");
        assert_eq!(outcome.response.status().as_u16(), 403);
        let seen = recorder.0.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(
            seen,
            [(
                "sts".to_owned(),
                "GetCallerIdentity".to_owned(),
                None,
                Some("MissingAuthenticationToken".to_owned()),
                "audit-test/1.0".to_owned(),
            )]
        );
    }
}
