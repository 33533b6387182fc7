//! `parse` (and `verify` on whatever parses) never panics on hostile input.

// Test helpers outside #[test] fns: failing loudly on bad fixtures is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use localorg_sigv4::{parse, Request};
use proptest::prelude::*;

fn run(path: &str, query: &str, headers: &[(&str, Vec<u8>)], body: &[u8]) {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        if let Ok(v) = http::HeaderValue::from_bytes(value) {
            map.append(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), v);
        }
    }
    let req = Request {
        method: "POST",
        path,
        query,
        headers: &map,
        body,
    };
    if let Ok(Some(auth)) = parse(&req) {
        let now = auth.request_time();
        let _ = auth.verify(&req, "secret", now);
        let _ = auth.check_time(jiff::Timestamp::MIN);
        let _ = auth.check_time(jiff::Timestamp::MAX);
        let _ = auth.canonical_request(&req);
        let _ = format!("{auth:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_everything(
        path in any::<String>(),
        query in any::<String>(),
        auth in prop::collection::vec(any::<u8>(), 0..200),
        date in prop::collection::vec(any::<u8>(), 0..40),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        run(&path, &query, &[("authorization", auth), ("x-amz-date", date.clone()), ("date", date), ("host", b"h".to_vec())], &body);
    }

    #[test]
    fn near_valid_header_form(
        akid in "[A-Z0-9/]{0,12}",
        scope in "[0-9a-z_/-]{0,40}",
        signed in "[a-zA-Z;:-]{0,30}",
        sig in "[0-9a-fA-F]{0,70}",
        sep in "[ ,\t]{0,3}",
        date in "[0-9TZ]{14,18}",
        sha in "[0-9a-zA-Z-]{0,66}",
        path in "[/.a-z%0-9]{0,20}",
        query in "[a-zA-Z0-9=&%+.-]{0,30}",
    ) {
        let header = format!("AWS4-HMAC-SHA256 Credential={akid}/{scope}{sep}SignedHeaders={signed},{sep}Signature={sig}");
        run(&path, &query, &[
            ("authorization", header.into_bytes()),
            ("x-amz-date", date.into_bytes()),
            ("x-amz-content-sha256", sha.into_bytes()),
            ("host", b"h".to_vec()),
        ], b"{}");
    }

    #[test]
    fn near_valid_query_form(
        cred in "[A-Za-z0-9%/_-]{0,50}",
        date in "[0-9TZ]{14,18}",
        expires in "-?[0-9]{0,25}",
        signed in "[a-z;%]{0,20}",
        extra in "[a-zA-Z0-9=&%+.-]{0,30}",
    ) {
        let query = format!("{extra}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={cred}&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders={signed}&X-Amz-Signature=00");
        run("/", &query, &[("host", b"h".to_vec())], b"");
    }
}
