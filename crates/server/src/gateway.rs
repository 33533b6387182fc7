//! Every AWS request: detect -> decode -> authenticate -> authorize -> handle -> encode.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, Request};
use axum::response::Response;
use bytes::Bytes;
use localorg_model::{ApiError, Service};
use localorg_services::{Call, Caller};
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
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(
                "RequestEntityTooLarge",
                413,
                "The request body is too large.",
            );
            return finish(encode_unrouted_error(&e, &request_id), None, "-", started);
        }
    };
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let http_request = wire::HttpRequest {
        method: parts.method.as_str(),
        path: &path,
        query: &query,
        headers: &parts.headers,
        body: &body,
    };
    let signed = localorg_sigv4::Request {
        method: parts.method.as_str(),
        path: &path,
        query: &query,
        headers: &parts.headers,
        body: &body,
    };
    let authorization = localorg_sigv4::parse(&signed);
    let scope_service = match &authorization {
        Ok(Some(a)) => Some(a.service()),
        _ => None,
    };
    let (service, operation) = match wire::detect(&http_request, scope_service) {
        Ok(found) => found,
        Err(e) => {
            let e = ApiError::from(e);
            return finish(encode_unrouted_error(&e, &request_id), None, "-", started);
        }
    };
    let fail = |e: ApiError| wire::encode_error(service, &e, &request_id);

    let authorization = match authorization {
        Ok(a) => a,
        Err(e) => {
            return finish(
                fail(sigv4_error(service, &e)),
                Some(service),
                operation,
                started,
            )
        }
    };
    let input = match wire::decode_input(service, operation, &http_request) {
        Ok(input) => input,
        Err(e) => return finish(fail(ApiError::from(e)), Some(service), operation, started),
    };
    if let Err(violations) = wire::validate_input(service, operation, &input) {
        let e = localorg_services::validation_error(service, &violations);
        return finish(fail(e), Some(service), operation, started);
    }

    // Key lookup, signature check and the call itself run off the async threads: the store is sync.
    let region = authorization
        .as_ref()
        .map_or_else(|| "us-east-1".to_owned(), |a| a.region().to_owned());
    let owned = OwnedRequest {
        method: parts.method.as_str().to_owned(),
        path,
        query,
        headers: parts.headers.clone(),
        body: body.clone(),
    };
    let partition = state.partition.clone();
    let auth_mode = state.auth;
    let source_ip = peer.ip().to_string();
    let joined = tokio::task::spawn_blocking(move || {
        let caller = authenticate(
            &partition,
            auth_mode,
            service,
            operation,
            authorization.as_ref(),
            &owned,
        )?;
        let caller_arn = caller
            .as_ref()
            .map_or_else(|| "anonymous".to_owned(), |c| c.arn.clone());
        let call = Call {
            service,
            operation,
            caller,
            region,
            source_ip,
            input,
        };
        partition
            .call(call)
            .map(|out| (out, caller_arn.clone()))
            .map_err(|e| (e, Some(caller_arn)))
    })
    .await;
    let (response, caller) = match joined {
        Ok(Ok((output, caller))) => (
            wire::encode_output(service, operation, &output, &request_id),
            caller,
        ),
        Ok(Err((e, caller))) => (fail(e), caller.unwrap_or_else(|| "-".to_owned())),
        Err(e) => (
            fail(ApiError::internal(format!("request handler failed: {e}"))),
            "-".to_owned(),
        ),
    };
    tracing::info!(
        service = service.model_name(),
        operation,
        caller = %caller,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    into_axum(response)
}

/// The request pieces the blocking section needs after the async handler returns control.
struct OwnedRequest {
    method: String,
    path: String,
    query: String,
    headers: axum::http::HeaderMap,
    body: Bytes,
}

/// Resolves the caller: verifies the signature against the key's secret, or (permissive mode) lets an
/// unknown key act as the default account's root user. `Ok(None)` is an anonymous call to an
/// operation AWS serves unsigned.
fn authenticate(
    partition: &localorg_services::Partition,
    mode: AuthMode,
    service: Service,
    operation: &'static str,
    authorization: Option<&localorg_sigv4::Authorization>,
    request: &OwnedRequest,
) -> Result<Option<Caller>, (ApiError, Option<String>)> {
    let Some(authorization) = authorization else {
        if service
            .model()
            .operations
            .get(operation)
            .is_some_and(|o| o.is_unsigned())
        {
            return Ok(None);
        }
        let e = localorg_sigv4::SigV4Error::MissingAuthenticationToken;
        return Err((sigv4_error(service, &e), None));
    };
    let fail = |e: &localorg_sigv4::SigV4Error| (sigv4_error(service, e), None);
    let now = jiff::Timestamp::now();
    authorization.check_time(now).map_err(|e| fail(&e))?;
    let credential = partition
        .credential(authorization.access_key_id())
        .map_err(|e| (e, None))?;
    let Some(credential) = credential else {
        return match mode {
            AuthMode::Permissive => Ok(Some(
                partition.default_root_caller().map_err(|e| (e, None))?,
            )),
            AuthMode::Enforce => Err(fail(&localorg_sigv4::SigV4Error::InvalidClientTokenId)),
        };
    };
    let signed = localorg_sigv4::Request {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: &request.headers,
        body: &request.body,
    };
    authorization
        .verify(&signed, credential.secret.expose(), now)
        .map_err(|e| fail(&e))?;
    Ok(Some(credential.caller))
}

fn sigv4_error(service: Service, e: &localorg_sigv4::SigV4Error) -> ApiError {
    let protocol = match wire::protocol_of(service) {
        wire::Protocol::AwsQuery => localorg_sigv4::ErrorProtocol::Query,
        wire::Protocol::RestJson1 => localorg_sigv4::ErrorProtocol::RestJson,
        _ => localorg_sigv4::ErrorProtocol::Json,
    };
    ApiError::new(e.code(protocol), e.status_for(protocol), e.to_string())
}

fn finish(
    response: http::Response<Bytes>,
    service: Option<Service>,
    operation: &str,
    started: Instant,
) -> Response {
    tracing::info!(
        service = service.map_or("-", Service::model_name),
        operation,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request rejected"
    );
    into_axum(response)
}

fn into_axum(response: http::Response<Bytes>) -> Response {
    let (mut parts, body) = response.into_parts();
    if !parts.headers.contains_key("x-amzn-requestid") {
        parts
            .headers
            .insert("x-amzn-requestid", HeaderValue::from_static("0"));
    }
    Response::from_parts(parts, Body::from(body))
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
