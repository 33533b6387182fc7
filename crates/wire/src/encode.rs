//! Responses: outputs and errors per protocol.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use localorg_model::{ApiError, Service};
use serde_json::{Map, Value};

use crate::model::{error_shape, operation, output_shape, target};
use crate::{json, protocol_of, query, rest, Protocol};

fn response(
    status: u16,
    content_type: &'static str,
    request_id: &str,
    body: Vec<u8>,
) -> http::Response<Bytes> {
    let mut resp = http::Response::new(Bytes::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert(HeaderName::from_static("x-amzn-requestid"), v);
    }
    resp
}

fn json_content_type(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::AwsJson10 => "application/x-amz-json-1.0",
        Protocol::AwsJson11 => "application/x-amz-json-1.1",
        Protocol::RestJson1 => "application/json",
        Protocol::AwsQuery => "text/xml",
    }
}

fn to_bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec())
}

/// Encodes an operation's canonical output as the HTTP response its protocol prescribes.
///
/// * awsJson: `application/x-amz-json-1.x`, the output as JSON (timestamps as epoch seconds, nulls
///   and members the model does not know dropped);
/// * awsQuery: `text/xml`, `<OpResponse xmlns=..><OpResult>..</OpResult><ResponseMetadata>..`
///   (no result element when the operation has no output); timestamps ISO 8601 (milliseconds only
///   when non-zero); members in the model's (alphabetical, as the model crate stores them) order;
/// * restJson1: status from `http.responseCode` (or a `statusCode` member), `header`/`headers`
///   members as headers, the rest as the JSON body (`{}` when empty).
///
/// Every response carries `x-amzn-RequestId`. An operation the model does not know yields a 500
/// `InternalFailure` error response (a localorg bug, never a client's).
pub fn encode_output(
    service: Service,
    operation_name: &str,
    output: &Value,
    request_id: &str,
) -> http::Response<Bytes> {
    let Some(op) = operation(service, operation_name) else {
        return encode_error(
            service,
            &ApiError::internal(format!(
                "localorg has no model for operation {operation_name}"
            )),
            request_id,
        );
    };
    let protocol = protocol_of(service);
    match protocol {
        Protocol::AwsJson10 | Protocol::AwsJson11 => {
            let body = output_shape(service, op)
                .and_then(|s| json::render(service, s, output))
                .unwrap_or_else(json::empty);
            response(
                200,
                json_content_type(protocol),
                request_id,
                to_bytes(&body),
            )
        }
        Protocol::AwsQuery => {
            let body = query::encode_output(service, op, output, request_id);
            response(200, "text/xml", request_id, body.into_bytes())
        }
        Protocol::RestJson1 => {
            let rendered = rest::encode_output(service, op, output);
            let mut resp = response(
                rendered.status,
                "application/json",
                request_id,
                to_bytes(&rendered.body),
            );
            for (k, v) in rendered.headers {
                if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
                    resp.headers_mut().append(k, v);
                }
            }
            resp
        }
    }
}

/// Encodes an error as the service's protocol renders errors.
///
/// * awsJson: status from the error, body `{"__type": code, "<message>": .., ..fields}` where the
///   message key is spelled as the model's exception shape spells it (`Message` or `message`;
///   `message` when the model has no such exception), plus `x-amzn-ErrorType: <code>`;
/// * restJson1: the same body with `Content-Type: application/json`;
/// * awsQuery: `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code>..</Code><Message>..</Message>
///   ..fields..</Error><RequestId>..</RequestId></ErrorResponse>`.
pub fn encode_error(service: Service, err: &ApiError, request_id: &str) -> http::Response<Bytes> {
    let protocol = protocol_of(service);
    if protocol == Protocol::AwsQuery {
        let body = query::encode_error(service, err, request_id);
        return response(err.status, "text/xml", request_id, body.into_bytes());
    }
    let shape = error_shape(service, &err.code);
    let message_key = shape
        .and_then(|s| s.members.keys().find(|k| k.eq_ignore_ascii_case("message")))
        .map_or("message", String::as_str);
    let mut body = Map::new();
    body.insert("__type".to_owned(), Value::String(err.code.to_string()));
    body.insert(message_key.to_owned(), Value::String(err.message.clone()));
    for (k, v) in &err.fields {
        if k.eq_ignore_ascii_case("message") || k == "__type" {
            continue;
        }
        let rendered = shape
            .and_then(|s| s.members.get(k))
            .and_then(|r| target(service, r))
            .map_or_else(|| Some(v.clone()), |s| json::render(service, s, v));
        if let Some(item) = rendered {
            body.insert(k.clone(), item);
        }
    }
    let mut resp = response(
        err.status,
        json_content_type(protocol),
        request_id,
        to_bytes(&Value::Object(body)),
    );
    if let Ok(v) = HeaderValue::from_str(&err.code) {
        resp.headers_mut()
            .insert(HeaderName::from_static("x-amzn-errortype"), v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(r: &http::Response<Bytes>) -> Value {
        serde_json::from_slice(r.body()).unwrap()
    }

    #[test]
    fn json_output() {
        let r = encode_output(
            Service::Organizations,
            "DescribeAccount",
            &json!({"Account":{"Id":"111111111111","JoinedTimestamp":1704067200.5,"Name":null,"Extra":1}}),
            "rid",
        );
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/x-amz-json-1.1");
        assert_eq!(r.headers()["x-amzn-requestid"], "rid");
        assert_eq!(
            body(&r),
            json!({"Account":{"Id":"111111111111","JoinedTimestamp":1704067200.5}})
        );
    }

    #[test]
    fn json_error_uses_model_message_casing() {
        let err = ApiError::new("AccountNotFoundException", 400, "gone");
        let r = encode_error(Service::Organizations, &err, "rid");
        assert_eq!(r.status(), 400);
        assert_eq!(r.headers()["x-amzn-errortype"], "AccountNotFoundException");
        assert_eq!(
            body(&r),
            json!({"__type":"AccountNotFoundException","Message":"gone"})
        );
        let err = ApiError::new("ConstraintViolationException", 400, "no")
            .with_field("Reason", "ACCOUNT_NUMBER_LIMIT_EXCEEDED");
        let r = encode_error(Service::Organizations, &err, "rid");
        assert_eq!(body(&r)["Reason"], "ACCOUNT_NUMBER_LIMIT_EXCEEDED");
    }

    #[test]
    fn rest_output() {
        let r = encode_output(
            Service::SsoPortal,
            "GetRoleCredentials",
            &json!({"roleCredentials":{"accessKeyId":"A","expiration":5}}),
            "r",
        );
        assert_eq!(r.headers()["content-type"], "application/json");
        assert_eq!(
            body(&r),
            json!({"roleCredentials":{"accessKeyId":"A","expiration":5}})
        );
    }
}
