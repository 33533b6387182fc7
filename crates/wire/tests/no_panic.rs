//! Decoding arbitrary bytes never panics: every failure is a `WireError`.

use localorg_model::Service;
use localorg_wire::{decode_input, detect, validate_input, HttpRequest};
use proptest::prelude::*;

fn ops() -> Vec<(Service, &'static str)> {
    Service::ALL
        .iter()
        .flat_map(|&s| s.model().operations.keys().map(move |k| (s, k.as_str())))
        .collect()
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        // Structured-ish JSON and form bodies reach deeper code.
        "\\{(\"[A-Za-z]{1,12}\":(\\[|\\{|\"[a-z]*\"|[0-9.e-]{1,6}|true|null|,|\\]|\\}){0,6}){0,4}\\}".prop_map(String::into_bytes),
        "([A-Z][A-Za-z]{0,10}(\\.(member|entry|key|value|[0-9]{1,2}|[A-Z][a-z]{0,6})){0,4}=[%a-z0-9+.:-]{0,12}&?){0,8}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decode_never_panics(
        op_index in any::<prop::sample::Index>(),
        body in body_strategy(),
        query in "([A-Za-z._0-9]{0,12}=[%A-Za-z0-9+:.-]{0,10}&?){0,6}",
        path in "(/[a-z_{}%0-9A-F]{0,10}){0,3}",
        target in "[A-Za-z0-9._]{0,40}",
    ) {
        let ops = ops();
        let (service, operation) = ops[op_index.index(ops.len())];
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amz-target", http::HeaderValue::from_str(&target).unwrap());
        headers.insert("x-amz-sso_bearer_token", http::HeaderValue::from_static("tok"));
        headers.insert("x-amz-date", http::HeaderValue::from_static("not a date"));
        let req = HttpRequest { method: "POST", path: &path, query: &query, headers: &headers, body: &body };
        let _ = detect(&req, None);
        let _ = detect(&req, Some(service.model().metadata.signing_name()));
        if let Ok(v) = decode_input(service, operation, &req) {
            prop_assert!(v.is_object());
            let _ = validate_input(service, operation, &v);
        }
        let get = HttpRequest { method: "GET", ..req };
        let _ = decode_input(service, operation, &get);
    }
}
