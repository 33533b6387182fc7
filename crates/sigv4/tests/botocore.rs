//! Requests signed by real botocore (`tests/fixtures/botocore.json`, made by
//! `tests/fixtures/generate_botocore.py`) must verify at the fixture's time, and
//! fail with the wrong secret, a moved clock, or a touched body.

// Test helpers outside #[test] fns: failing loudly on bad fixtures is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use localorg_sigv4::{parse, Authorization, Request, SigV4Error};
use serde_json::Value;

struct Fixture {
    name: String,
    service: String,
    now: jiff::Timestamp,
    access_key_id: String,
    secret: String,
    session_token: Option<String>,
    method: String,
    path: String,
    query: String,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl Fixture {
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

fn load() -> Vec<Fixture> {
    let text = include_str!("fixtures/botocore.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut headers = http::HeaderMap::new();
            for pair in c["headers"].as_array().unwrap() {
                let name = pair[0].as_str().unwrap();
                let value = pair[1].as_str().unwrap();
                headers.append(
                    http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    http::HeaderValue::from_str(value).unwrap(),
                );
            }
            let s = |k: &str| c[k].as_str().unwrap().to_owned();
            Fixture {
                name: s("name"),
                service: s("service"),
                now: s("now").parse().unwrap(),
                access_key_id: s("access_key_id"),
                secret: s("secret_access_key"),
                session_token: c["session_token"].as_str().map(str::to_owned),
                method: s("method"),
                path: s("path"),
                query: s("query"),
                headers,
                body: s("body").into_bytes(),
            }
        })
        .collect()
}

fn parsed(f: &Fixture) -> Authorization {
    parse(&f.request())
        .unwrap_or_else(|e| panic!("{}: {e}", f.name))
        .unwrap_or_else(|| panic!("{}: no auth", f.name))
}

#[test]
fn botocore_fixtures_verify() {
    let fixtures = load();
    assert_eq!(fixtures.len(), 8);
    for f in &fixtures {
        let auth = parsed(f);
        assert_eq!(auth.access_key_id(), f.access_key_id, "{}", f.name);
        assert_eq!(
            auth.security_token(),
            f.session_token.as_deref(),
            "{}",
            f.name
        );
        assert_eq!(auth.request_time(), f.now, "{}", f.name);
        assert_eq!(auth.scope_date(), "20240101");
        auth.check_service(&f.service).unwrap();
        assert_eq!(
            auth.is_presigned(),
            f.name.contains("presigned"),
            "{}",
            f.name
        );
        auth.verify(&f.request(), &f.secret, f.now)
            .unwrap_or_else(|e| panic!("{}: {}", f.name, e.detailed_message()));
        let key = auth.signing_key(&f.secret);
        auth.verify_with_key(&f.request(), &key, f.now).unwrap();
    }
}

#[test]
fn botocore_signs_what_we_require() {
    // The facts the "every x-amz-* header signed" rule relies on.
    for f in &load() {
        let auth = parsed(f);
        let signed = auth.signed_headers();
        assert!(signed.iter().any(|h| h == "host"));
        if f.headers.contains_key("x-amz-target") {
            assert!(signed.iter().any(|h| h == "x-amz-target"), "{}", f.name);
        }
        if !auth.is_presigned() && f.session_token.is_some() {
            assert!(
                signed.iter().any(|h| h == "x-amz-security-token"),
                "{}",
                f.name
            );
        }
        assert!(!signed.iter().any(|h| h == "user-agent"));
    }
}

#[test]
fn botocore_fixtures_reject_tampering() {
    for f in &load() {
        let auth = parsed(f);
        assert!(matches!(
            auth.verify(&f.request(), "not-the-secret", f.now),
            Err(SigV4Error::SignatureDoesNotMatch { .. })
        ));
        let late = f
            .now
            .checked_add(jiff::SignedDuration::from_secs(16 * 60))
            .unwrap();
        assert!(matches!(
            auth.verify(&f.request(), &f.secret, late),
            Err(SigV4Error::SignatureExpired { .. })
        ));
        if !f.body.is_empty() {
            let mut body = f.body.clone();
            body.push(b' ');
            let req = Request {
                body: &body,
                ..f.request()
            };
            assert!(auth.verify(&req, &f.secret, f.now).is_err(), "{}", f.name);
        }
        let mut query = f.query.clone();
        query.push_str(if query.is_empty() { "x=1" } else { "&x=1" });
        let req = Request {
            query: &query,
            ..f.request()
        };
        assert!(auth.verify(&req, &f.secret, f.now).is_err(), "{}", f.name);
    }
}
