//! Oracle test: the `aws-sigv4` crate (the Rust SDK's signer) signs randomized
//! requests; our verifier must accept every one of them, and must reject each
//! after any single-byte tamper of a signed part.

// Test helpers outside #[test] fns: failing loudly on bad fixtures is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use localorg_sigv4::{parse, Request};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use proptest::prelude::*;

/// Encode everything but unreserved characters.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Leave some sub-delims raw, as some clients do (all legal in a URI).
const LOOSE: &AsciiSet = &STRICT
    .remove(b'!')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b':')
    .remove(b'@')
    .remove(b',')
    .remove(b';')
    .remove(b'$');

const TEXT: &str = "[a-zA-Z0-9 \\-._~!$&'()*+,;=:@%/?#é\u{1F600}]{0,8}";

#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    host: &'static str,
    segments: Vec<String>,
    trailing_slash: bool,
    query: Vec<(String, String, bool)>,
    loose: bool,
    plus_for_space: bool,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    content_sha_header: bool,
    token: Option<String>,
    presigned: bool,
    expires: u64,
    secs: u64,
    skew: i64,
    region: &'static str,
    service: &'static str,
    tamper_seeds: Vec<usize>,
}

fn header_value() -> impl Strategy<Value = String> {
    (
        "[ ]{0,2}",
        "[!-~]{0,6}",
        "[ ]{0,3}",
        "[!-~]{0,6}",
        "[ ]{0,2}",
    )
        .prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}"))
}

fn case() -> impl Strategy<Value = Case> {
    let key = prop_oneof![
        Just("a".to_owned()),
        Just("A".to_owned()),
        Just("k".to_owned()),
        Just(String::new()),
        TEXT,
    ];
    (
        (
            prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]),
            prop::sample::select(vec!["example.amazonaws.com", "localhost:4566"]),
            prop::collection::vec(
                TEXT.prop_filter("no dot segments", |s| s != "." && s != ".."),
                0..4,
            ),
            any::<bool>(),
            prop::collection::vec((key, TEXT, any::<bool>()), 0..5),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "x-foo",
                        "x-amz-meta-a",
                        "x-amz-target",
                        "content-type",
                        "x-custom-b",
                        "x-amz-user-agent",
                        "user-agent",
                        "x-amzn-trace-id",
                    ]),
                    header_value(),
                ),
                0..5,
            ),
            prop::collection::vec(any::<u8>(), 0..48),
            any::<bool>(),
            prop::option::of("[A-Za-z0-9+/=]{8,40}"),
        ),
        (
            any::<bool>(),
            1u64..3600,
            978_307_200u64..2_100_000_000,
            -900i64..=900,
            prop::sample::select(vec!["us-east-1", "eu-west-1", "ap-southeast-2"]),
            prop::sample::select(vec!["iam", "sts", "organizations", "sso", "execute-api"]),
            prop::collection::vec(any::<usize>(), 16),
        ),
    )
        .prop_map(
            |(
                (method, host, segments, trailing_slash, query, loose, plus_for_space),
                (headers, body, content_sha_header, token),
                (presigned, expires, secs, skew, region, service, tamper_seeds),
            )| Case {
                method,
                host,
                segments,
                trailing_slash,
                query,
                loose,
                plus_for_space,
                headers,
                body,
                content_sha_header,
                token,
                presigned,
                expires,
                secs,
                skew,
                region,
                service,
                tamper_seeds,
            },
        )
}

/// The request as the server receives it.
struct Wire {
    method: String,
    path: String,
    query: String,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl Wire {
    fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

const AKID: &str = "AKIDORACLE";
const SECRET: &str = "oracle/Secret+Key0123456789";

fn encode(s: &str, case: &Case) -> String {
    let set = if case.loose { LOOSE } else { STRICT };
    let encoded = utf8_percent_encode(s, set).to_string();
    if case.plus_for_space {
        encoded.replace("%20", "+")
    } else {
        encoded
    }
}

fn build_and_sign(case: &Case) -> Wire {
    let mut path = String::new();
    for seg in &case.segments {
        path.push('/');
        let set = if case.loose { LOOSE } else { STRICT };
        path.push_str(&utf8_percent_encode(seg, set).to_string());
    }
    if path.is_empty() || case.trailing_slash {
        path.push('/');
    }
    let query: Vec<String> = case
        .query
        .iter()
        .filter(|(k, _, eq)| *eq || !k.is_empty())
        .map(|(k, v, eq)| {
            if *eq {
                format!("{}={}", encode(k, case), encode(v, case))
            } else {
                encode(k, case)
            }
        })
        .collect();
    let query = query.join("&");
    let uri = if query.is_empty() {
        format!("https://{}{}", case.host, path)
    } else {
        format!("https://{}{}?{}", case.host, path, query)
    };

    let mut headers: Vec<(String, String)> = vec![("host".into(), case.host.into())];
    for (name, value) in &case.headers {
        headers.push(((*name).into(), value.clone()));
    }

    let identity: Identity =
        Credentials::new(AKID, SECRET, case.token.clone(), None, "oracle").into();
    let mut settings = SigningSettings::default();
    if case.presigned {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(case.expires));
    } else if case.content_sha_header {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(case.region)
        .name(case.service)
        .time(UNIX_EPOCH + Duration::from_secs(case.secs))
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let signable = SignableRequest::new(
        case.method,
        uri.clone(),
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&case.body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = http::Request::builder()
        .method(case.method)
        .uri(&uri)
        .body(())
        .unwrap();
    for (k, v) in &headers {
        request.headers_mut().append(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            http::HeaderValue::from_str(v).unwrap(),
        );
    }
    instructions.apply_to_request_http1x(&mut request);
    let (parts, ()) = request.into_parts();
    Wire {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts.headers,
        body: case.body.clone(),
    }
}

fn now_for(case: &Case) -> jiff::Timestamp {
    let skew = if case.presigned {
        // Within [date - 15 min, date + min(expires, 15 min)].
        let max = i64::try_from(case.expires.min(900)).unwrap();
        case.skew.min(max)
    } else {
        case.skew
    };
    let secs = i64::try_from(case.secs).unwrap() + skew;
    jiff::Timestamp::from_second(secs).unwrap()
}

fn tampered(byte: u8) -> u8 {
    if byte == b'x' {
        b'y'
    } else {
        b'x'
    }
}

fn tamper_str(s: &str, seed: usize) -> String {
    let mut bytes = s.as_bytes().to_vec();
    let i = seed % bytes.len();
    bytes[i] = tampered(bytes[i]);
    String::from_utf8(bytes).unwrap()
}

/// Whether the server would refuse `wire` as signed by `AKID`/`SECRET`.
fn rejected(wire: &Wire, now: jiff::Timestamp) -> bool {
    match parse(&wire.request()) {
        Err(_) | Ok(None) => true,
        // A different access key id would look up a different secret.
        Ok(Some(auth)) if auth.access_key_id() != AKID => true,
        Ok(Some(auth)) => auth.verify(&wire.request(), SECRET, now).is_err(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn aws_sigv4_signed_requests_verify_and_tampering_is_caught(case in case()) {
        let wire = build_and_sign(&case);
        let now = now_for(&case);
        let auth = parse(&wire.request())
            .unwrap_or_else(|e| panic!("parse: {e}\n{case:?}\n{:?} {:?} {:?}", wire.path, wire.query, wire.headers))
            .expect("auth present");
        prop_assert_eq!(auth.access_key_id(), AKID);
        prop_assert_eq!(auth.is_presigned(), case.presigned);
        prop_assert_eq!(auth.security_token(), case.token.as_deref());
        prop_assert_eq!(auth.region(), case.region);
        prop_assert_eq!(auth.service(), case.service);
        if let Err(e) = auth.verify(&wire.request(), SECRET, now) {
            panic!("verify: {}\n{case:?}\n{:?} {:?} {:?}", e.detailed_message(), wire.path, wire.query, wire.headers);
        }

        let mut seeds = case.tamper_seeds.iter().copied().cycle();
        let mut seed = || seeds.next().unwrap_or_default();

        // The method, the path, the query, the body.
        let mut w = build_and_sign(&case);
        w.method = tamper_str(&w.method, seed());
        prop_assert!(rejected(&w, now), "method tamper accepted");
        let mut w = build_and_sign(&case);
        w.path = tamper_str(&w.path, seed());
        prop_assert!(rejected(&w, now), "path tamper accepted: {}", w.path);
        if !wire.query.is_empty() {
            let mut w = build_and_sign(&case);
            w.query = tamper_str(&w.query, seed());
            prop_assert!(rejected(&w, now), "query tamper accepted: {}", w.query);
        }
        if !wire.body.is_empty() {
            let mut w = build_and_sign(&case);
            let i = seed() % w.body.len();
            w.body[i] = tampered(w.body[i]);
            prop_assert!(rejected(&w, now), "body tamper accepted");
        }
        // Every signed header present, and the Authorization header.
        let mut names: Vec<String> = auth
            .signed_headers()
            .iter()
            .filter(|n| wire.headers.contains_key(n.as_str()))
            .cloned()
            .collect();
        if !case.presigned {
            names.push("authorization".into());
        }
        for name in names {
            let mut w = build_and_sign(&case);
            let value = w.headers.get(&name).unwrap().to_str().unwrap().to_owned();
            if value.is_empty() {
                continue;
            }
            let new = tamper_str(&value, seed());
            w.headers.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(&new).unwrap(),
            );
            prop_assert!(rejected(&w, now), "header {} tamper accepted: {:?} -> {:?}", name, value, new);
        }
    }
}
