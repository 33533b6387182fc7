//! S3's door: which requests are S3's (decided from the head alone, before any body is read, so
//! S3 bodies stream), and handing them to s3s.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use localorg_wire as wire;

use crate::AppState;

/// Whether the request is for S3: signed for `s3` (SigV4 header or presigned query, or SigV2),
/// addressed to a virtual-hosted bucket, or unsigned and claimed by no other service.
pub(crate) fn is_s3(request: &Request<Body>) -> bool {
    let headers = request.headers();
    let query = request.uri().query().unwrap_or("");
    if let Some(auth) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if auth.starts_with("AWS ") {
            return true;
        }
        return scope_service(auth.split("Credential=").nth(1)) == Some("s3");
    }
    for pair in query.split('&') {
        if let Some(credential) = pair.strip_prefix("X-Amz-Credential=") {
            let credential = percent_encoding::percent_decode_str(credential).decode_utf8_lossy();
            return scope_service(Some(&credential)) == Some("s3");
        }
        if pair.starts_with("AWSAccessKeyId=") {
            return true;
        }
    }
    let host = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if localorg_s3::bucket_of_host(host).is_some() {
        return true;
    }
    // Unsigned requests of other services carry a target, a form or JSON, or a REST path of
    // theirs (the access portal, OIDC).
    if headers.contains_key("x-amz-target") {
        return false;
    }
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded")
        || content_type.contains("json")
    {
        return false;
    }
    let probe = wire::HttpRequest {
        method: request.method().as_str(),
        path: request.uri().path(),
        query,
        headers,
        body: &[],
    };
    wire::detect(&probe, None).is_err()
}

/// The service of a SigV4 credential (`AKID/DATE/REGION/SERVICE/aws4_request`).
fn scope_service(credential: Option<&str>) -> Option<&str> {
    credential?.split(',').next()?.split('/').nth(3)
}

/// Serves one S3 request through s3s.
pub(crate) async fn handle(
    state: &AppState,
    peer: SocketAddr,
    mut request: Request<Body>,
    started: Instant,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let has_body = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0")
        || request
            .headers()
            .contains_key(http::header::TRANSFER_ENCODING);
    let origin = localorg_s3::Origin {
        source_ip: peer.ip().to_string(),
        endpoint: crate::gateway::endpoint_of(request.headers()),
    };
    request.extensions_mut().insert(origin);
    let request = request.map(s3s::Body::http_body_unsync);
    let mut response = match state.s3.call(request).await {
        Ok(response) => finish(response).await,
        Err(e) => {
            tracing::error!(error = ?e, "s3 request failed");
            Response::builder()
                .status(500)
                .body(Body::from("InternalError"))
                .unwrap_or_default()
        }
    };
    // A refused request's body may be unread: the connection cannot carry another request.
    if has_body && response.status().as_u16() >= 400 {
        response.headers_mut().insert(
            http::header::CONNECTION,
            http::HeaderValue::from_static("close"),
        );
    }
    let request_id = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .to_ascii_uppercase();
    if let Ok(value) = http::HeaderValue::from_str(request_id.get(..16).unwrap_or("")) {
        response
            .headers_mut()
            .insert("x-amz-request-id", value.clone());
        response.headers_mut().insert("x-amz-id-2", value);
    }
    tracing::info!(
        service = "s3",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Puts the extra elements an error carries in headers (`BucketName`, `Key`) into its document,
/// as S3 renders them.
async fn finish(response: s3s::HttpResponse) -> Response {
    let (mut parts, body) = response.into_parts();
    let fields: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter_map(|(name, value)| {
            let field = name
                .as_str()
                .strip_prefix(localorg_s3::ERROR_FIELD_HEADER)?;
            Some((field.to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    if fields.is_empty() {
        return Response::from_parts(parts, Body::new(body));
    }
    for (field, _) in &fields {
        parts
            .headers
            .remove(format!("{}{field}", localorg_s3::ERROR_FIELD_HEADER).as_str());
    }
    let Ok(document) = axum::body::to_bytes(Body::new(body), 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let text = String::from_utf8_lossy(&document);
    let Some(end) = text.rfind("</Error>") else {
        return Response::from_parts(parts, Body::from(document));
    };
    let mut extra = String::new();
    for (field, value) in fields {
        // Header names are lower-cased: S3's element names are the capitalised ones it uses.
        let element = match field.as_str() {
            "bucketname" => "BucketName",
            "key" => "Key",
            "versionid" => "VersionId",
            "actualobjectsize" => "ActualObjectSize",
            _ => continue,
        };
        extra.push_str(&format!(
            "<{element}>{}</{element}>",
            quick_xml::escape::escape(value.as_str())
        ));
    }
    let rewritten = format!(
        "{}{extra}{}",
        text.get(..end).unwrap_or(""),
        text.get(end..).unwrap_or("")
    );
    parts.headers.remove(http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(rewritten))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap_or_default()
    }

    #[test]
    fn s3_requests_are_told_apart_by_their_head() {
        let s3_auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";
        let iam_auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00";
        assert!(is_s3(&request(
            "GET",
            "/b/k",
            &[("authorization", s3_auth)]
        )));
        assert!(!is_s3(&request(
            "POST",
            "/",
            &[("authorization", iam_auth)]
        )));
        assert!(is_s3(&request(
            "GET",
            "/b/k?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00",
            &[]
        )));
        assert!(is_s3(&request(
            "GET",
            "/k",
            &[("host", "logs.s3.localhost:4566")]
        )));
        assert!(is_s3(&request(
            "GET",
            "/public-bucket/key",
            &[("host", "127.0.0.1:4566")]
        )));
        assert!(!is_s3(&request(
            "POST",
            "/",
            &[("content-type", "application/x-www-form-urlencoded")]
        )));
        assert!(!is_s3(&request("POST", "/", &[("x-amz-target", "X.Y")])));
    }
}
