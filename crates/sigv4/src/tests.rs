use super::*;
use http::{HeaderMap, HeaderValue};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn ts(s: &str) -> Timestamp {
    parse_amz_date(s).unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.append(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

fn req<'a>(headers: &'a HeaderMap, query: &'a str) -> Request<'a> {
    Request {
        method: "GET",
        path: "/",
        query,
        headers,
        body: b"",
    }
}

fn parse_err(headers: &HeaderMap, query: &str) -> SigV4Error {
    parse(&req(headers, query)).unwrap_err()
}

/// The IAM ListUsers example of the AWS SigV4 documentation.
fn iam_example() -> (HeaderMap, &'static str) {
    let h = headers(&[
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        ("host", "iam.amazonaws.com"),
        ("x-amz-date", "20150830T123600Z"),
        (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        ),
    ]);
    (h, "Action=ListUsers&Version=2010-05-08")
}

#[test]
fn no_auth_is_none() {
    let h = headers(&[("host", "iam.amazonaws.com")]);
    assert!(parse(&req(&h, "Action=ListUsers")).unwrap().is_none());
    // A session token alone is not an authentication attempt.
    assert!(parse(&req(&h, "X-Amz-Security-Token=abc"))
        .unwrap()
        .is_none());
}

#[test]
fn verifies_the_aws_documentation_example() {
    let (h, q) = iam_example();
    let auth = parse(&req(&h, q)).unwrap().unwrap();
    assert_eq!(auth.access_key_id(), "AKIDEXAMPLE");
    assert_eq!(auth.scope_date(), "20150830");
    assert_eq!(auth.region(), "us-east-1");
    assert_eq!(auth.service(), "iam");
    assert_eq!(
        auth.signed_headers(),
        ["content-type", "host", "x-amz-date"]
    );
    assert_eq!(auth.request_time(), ts("20150830T123600Z"));
    assert!(!auth.is_presigned());
    assert_eq!(auth.expires(), None);
    assert_eq!(auth.security_token(), None);
    let now = ts("20150830T123600Z");
    auth.verify(&req(&h, q), SECRET, now).unwrap();
    let key = signing_key(SECRET, "20150830", "us-east-1", "iam");
    auth.verify_with_key(&req(&h, q), &key, now).unwrap();
    assert!(auth.check_service("iam").is_ok());
    assert_eq!(
        auth.check_service("sts").unwrap_err().to_string(),
        "Credential should be scoped to correct service: 'sts'. "
    );
    assert!(auth.check_region(|r| r == "us-east-1").is_ok());
    assert_eq!(
        auth.check_region(|_| false).unwrap_err().to_string(),
        "Credential should be scoped to a valid region, not 'us-east-1'. "
    );

    let err = auth.verify(&req(&h, q), "wrong", now).unwrap_err();
    assert_eq!(err.to_string(), SIGNATURE_DOES_NOT_MATCH_MESSAGE);
    assert_eq!(err.code(ErrorProtocol::Query), "SignatureDoesNotMatch");
    assert_eq!(err.code(ErrorProtocol::Json), "InvalidSignatureException");
    assert_eq!(err.status(), 403);
    let SigV4Error::SignatureDoesNotMatch {
        canonical_request, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        canonical_request,
        "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert!(err
        .detailed_message()
        .contains("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"));
    assert_eq!(auth.canonical_request(&req(&h, q)), *canonical_request);
}

#[test]
fn tolerates_authorization_whitespace_variations() {
    let (h, q) = iam_example();
    let original = h.get("authorization").unwrap().to_str().unwrap().to_owned();
    let sig = original.rsplit('=').next().unwrap();
    let cred = "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request";
    let sh = "content-type;host;x-amz-date";
    for variant in [
        format!("AWS4-HMAC-SHA256 Credential={cred},SignedHeaders={sh},Signature={sig}"),
        format!("AWS4-HMAC-SHA256   Credential={cred} ,  SignedHeaders={sh},\tSignature={sig}  "),
        format!("AWS4-HMAC-SHA256 Signature={sig}, Credential={cred}, SignedHeaders={sh}"),
    ] {
        let mut h2 = h.clone();
        h2.insert("authorization", HeaderValue::from_str(&variant).unwrap());
        let auth = parse(&req(&h2, q)).unwrap().unwrap();
        auth.verify(&req(&h2, q), SECRET, ts("20150830T123600Z"))
            .unwrap();
    }
}

#[test]
fn non_sigv4_authorization_is_incomplete() {
    let h = headers(&[("host", "h"), ("authorization", "Bearer abc.def")]);
    let err = parse_err(&h, "");
    assert_eq!(
        err.to_string(),
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc.def"
    );
    assert_eq!(err.code(ErrorProtocol::Query), "IncompleteSignature");
    assert_eq!(
        err.code(ErrorProtocol::Json),
        "IncompleteSignatureException"
    );
    assert_eq!(err.status(), 400);

    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request",
        ),
    ]);
    assert_eq!(
        parse_err(&h, "").to_string(),
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request"
    );
}

#[test]
fn malformed_pairs_and_credentials() {
    let value = "AWS4-HMAC-SHA256 Credential= AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00";
    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        ("authorization", value),
    ]);
    assert_eq!(
        parse_err(&h, "").to_string(),
        format!("'AKID/20150830/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'.")
    );

    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/iam/aws4_request, SignedHeaders=host, Signature=00"),
    ]);
    let err = parse_err(&h, "");
    assert_eq!(
        err.to_string(),
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20150830/iam/aws4_request'"
    );
    assert_eq!(err.code(ErrorProtocol::Query), "IncompleteSignature");

    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws5_request, SignedHeaders=host, Signature=00"),
    ]);
    let err = parse_err(&h, "");
    assert_eq!(
        err.to_string(),
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
    );
    assert_eq!(err.code(ErrorProtocol::Query), "SignatureDoesNotMatch");

    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        ("authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKID/20150830/iam/aws4_request, SignedHeaders=host, Signature=00"),
    ]);
    assert!(matches!(
        parse_err(&h, ""),
        SigV4Error::UnsupportedAlgorithm { .. }
    ));
}

#[test]
fn scope_date_must_match_request_date() {
    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150831T000000Z"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
    ]);
    assert_eq!(
        parse_err(&h, "").to_string(),
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != '20150831', from '20150831T000000Z'."
    );
}

#[test]
fn bad_dates_are_rejected() {
    for bad in [
        "2015-08-30T12:36:00Z",
        "20150830T123600",
        "20151330T123600Z",
        "",
    ] {
        let h = headers(&[
            ("host", "h"),
            ("x-amz-date", bad),
            ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
        ]);
        let err = parse_err(&h, "");
        assert_eq!(
            err,
            SigV4Error::InvalidDate {
                value: bad.to_owned()
            }
        );
        assert_eq!(err.to_string(), format!("Date must be in ISO-8601 'basic format'. Got '{bad}'. See http://en.wikipedia.org/wiki/ISO_8601"));
    }
}

#[test]
fn date_header_is_a_fallback() {
    let h = headers(&[
        ("host", "h"),
        ("date", "Sun, 30 Aug 2015 12:36:00 GMT"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=date;host, Signature=00"),
    ]);
    let auth = parse(&req(&h, "")).unwrap().unwrap();
    assert_eq!(auth.amz_date(), "20150830T123600Z");
    assert_eq!(auth.request_time(), ts("20150830T123600Z"));
}

#[test]
fn host_and_x_amz_headers_must_be_signed() {
    let auth = |sh: &str| {
        format!("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/organizations/aws4_request, SignedHeaders={sh}, Signature=00")
    };
    let base = [("host", "h"), ("x-amz-date", "20150830T123600Z")];

    let mut h = headers(&base);
    h.insert(
        "authorization",
        HeaderValue::from_str(&auth("x-amz-date")).unwrap(),
    );
    let err = parse_err(&h, "");
    assert_eq!(err, SigV4Error::HostNotSigned);
    assert_eq!(
        err.to_string(),
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
    );

    let mut h = headers(&base);
    h.insert(
        "x-amz-target",
        HeaderValue::from_static("AWSOrganizationsV20161128.ListAccounts"),
    );
    h.insert("x-amz-security-token", HeaderValue::from_static("tok"));
    h.insert(
        "authorization",
        HeaderValue::from_str(&auth("host;x-amz-date")).unwrap(),
    );
    let err = parse_err(&h, "");
    assert_eq!(
        err,
        SigV4Error::UnsignedHeaders {
            names: vec!["x-amz-security-token".into(), "x-amz-target".into()]
        }
    );
    assert_eq!(
        err.code(ErrorProtocol::Json),
        "IncompleteSignatureException"
    );

    // Signed: fine. x-amz-user-agent, x-amzn-trace-id and user-agent may stay unsigned.
    let mut h = headers(&base);
    h.insert("x-amz-target", HeaderValue::from_static("X.Y"));
    h.insert("x-amz-user-agent", HeaderValue::from_static("aws-sdk-js/3"));
    h.insert("x-amzn-trace-id", HeaderValue::from_static("Root=1"));
    h.insert("user-agent", HeaderValue::from_static("curl"));
    h.insert(
        "authorization",
        HeaderValue::from_str(&auth("Host;X-Amz-Date;x-amz-target")).unwrap(),
    );
    let a = parse(&req(&h, "")).unwrap().unwrap();
    assert_eq!(a.signed_headers(), ["host", "x-amz-date", "x-amz-target"]);
}

#[test]
fn content_sha256_is_checked() {
    let auth = "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00";
    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
        ("authorization", auth),
    ]);
    assert!(matches!(
        parse_err(&h, ""),
        SigV4Error::InvalidContentSha256 { .. }
    ));

    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20150830T123600Z"),
        ("x-amz-content-sha256", &"0".repeat(64)),
        ("authorization", auth),
    ]);
    let a = parse(&req(&h, "")).unwrap().unwrap();
    let err = a
        .verify(&req(&h, ""), SECRET, ts("20150830T123600Z"))
        .unwrap_err();
    assert_eq!(err, SigV4Error::ContentSha256Mismatch);
    assert_eq!(err.code(ErrorProtocol::Query), "XAmzContentSHA256Mismatch");
    assert_eq!(err.status(), 400);
}

#[test]
fn clock_skew_messages() {
    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", "20240101T000000Z"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
    ]);
    let a = parse(&req(&h, "")).unwrap().unwrap();
    let err = a.check_time(ts("20240101T002500Z")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T002500Z - 15 min.)"
    );
    assert_eq!(err.code(ErrorProtocol::Query), "SignatureDoesNotMatch");
    assert_eq!(err.code(ErrorProtocol::Json), "InvalidSignatureException");
    assert_eq!(err.status(), 403);
    assert_eq!(err.status_for(ErrorProtocol::Json), 400);
    // verify reports the skew before looking at the signature.
    assert_eq!(
        a.verify(&req(&h, ""), SECRET, ts("20240101T002500Z"))
            .unwrap_err(),
        err
    );

    let err = a.check_time(ts("20231231T233000Z")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Signature not yet current: 20240101T000000Z is still later than 20231231T234500Z (20231231T233000Z + 15 min.)"
    );
    // Exactly 15 minutes either way is fine.
    a.check_time(ts("20240101T001500Z")).unwrap();
    a.check_time(ts("20231231T234500Z")).unwrap();
}

#[test]
fn presigned_parse_and_expiry() {
    let h = headers(&[("host", "sts.amazonaws.com")]);
    let q = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20240101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=a%2Bb%2Fc%3D&X-Amz-Signature=00";
    let a = parse(&req(&h, q)).unwrap().unwrap();
    assert!(a.is_presigned());
    assert_eq!(a.expires(), Some(60));
    assert_eq!(a.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(a.service(), "sts");
    assert_eq!(a.security_token(), Some("a+b/c="));
    assert!(!format!("{a:?}").contains("a+b/c="));
    a.check_time(ts("20240101T000100Z")).unwrap();
    let err = a.check_time(ts("20240101T000101Z")).unwrap_err();
    assert_eq!(err, SigV4Error::PresignedRequestExpired);
    assert_eq!(err.code(ErrorProtocol::Query), "AccessDenied");
    assert_eq!(err.to_string(), "Request has expired");
    assert!(matches!(
        a.check_time(ts("20231231T234459Z")),
        Err(SigV4Error::SignatureNotYetCurrent { .. })
    ));

    // A long X-Amz-Expires does not outlive the 15-minute limit of non-S3 services.
    let q2 = q.replace("X-Amz-Expires=60", "X-Amz-Expires=3600");
    let a = parse(&req(&h, &q2)).unwrap().unwrap();
    a.check_time(ts("20240101T001500Z")).unwrap();
    assert!(matches!(
        a.check_time(ts("20240101T001501Z")),
        Err(SigV4Error::SignatureExpired { .. })
    ));

    for bad in ["x", "-1", "604801"] {
        let q3 = q.replace("X-Amz-Expires=60", &format!("X-Amz-Expires={bad}"));
        assert!(matches!(
            parse_err(&h, &q3),
            SigV4Error::InvalidExpires { .. }
        ));
    }
    assert_eq!(
        SigV4Error::InvalidExpires {
            value: "604801".into()
        }
        .to_string(),
        "X-Amz-Expires must be less than a week (in seconds) that is 604800"
    );
}

#[test]
fn presigned_missing_params() {
    let h = headers(&[("host", "h")]);
    let err = parse_err(
        &h,
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z",
    );
    assert_eq!(
        err.to_string(),
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."
    );
    assert_eq!(err.code(ErrorProtocol::Query), "IncompleteSignature");
    let err = parse_err(&h, "X-Amz-Algorithm=HMAC&X-Amz-Credential=a%2Fb%2Fc%2Fd%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00");
    assert!(matches!(err, SigV4Error::UnsupportedAlgorithm { .. }));
}

#[test]
fn both_mechanisms_is_an_error() {
    let (mut h, _) = iam_example();
    h.insert("x-test", HeaderValue::from_static("1"));
    let err = parse_err(&h, "X-Amz-Signature=00");
    assert_eq!(err, SigV4Error::MultipleAuthMechanisms);
}

#[test]
fn error_table() {
    use ErrorProtocol::{Json, Query, RestJson};
    let cases: Vec<(SigV4Error, &str, &str, u16, &str)> = vec![
        (
            SigV4Error::MissingAuthenticationToken,
            "MissingAuthenticationToken",
            "MissingAuthenticationTokenException",
            403,
            "Request is missing Authentication Token",
        ),
        (
            SigV4Error::InvalidClientTokenId,
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            403,
            "The security token included in the request is invalid.",
        ),
        (
            SigV4Error::ExpiredToken,
            "ExpiredToken",
            "ExpiredTokenException",
            403,
            "The security token included in the request is expired",
        ),
        (
            SigV4Error::HostNotSigned,
            "IncompleteSignature",
            "IncompleteSignatureException",
            400,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ),
    ];
    for (err, query, json, status, message) in cases {
        assert_eq!(err.code(Query), query);
        assert_eq!(err.code(Json), json);
        assert_eq!(err.code(RestJson), json);
        assert_eq!(err.status(), status);
        assert_eq!(err.status_for(RestJson), status);
        assert_eq!(err.status_for(Json), 400);
        assert_eq!(err.to_string(), message);
    }
}
