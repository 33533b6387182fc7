//! The bodies of the fuzz targets, shared with the stable smoke test
//! (`crates/policy/tests/fuzz_smoke.rs` includes this file).
//!
//! Each body must never panic, whatever the input.

use localorg_policy::pattern::{ArnPattern, NoVars, Pattern};
use localorg_policy::{
    cli::evaluate_line, validate_document, CompiledPolicy, PolicyDocument, PolicySet, PolicyType,
    Principal, PrincipalType, Request,
};
use std::sync::Arc;

const KINDS: [PolicyType; 7] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::Trust,
    PolicyType::Boundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
];

/// Parse; what parses must serialize and parse again to the same document.
pub fn parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = PolicyDocument::parse(text) {
        let again = PolicyDocument::parse(&doc.to_json());
        assert!(again.is_ok(), "round trip failed for {text:?}");
        if let Ok(again) = again {
            assert_eq!(
                again.to_json(),
                doc.to_json(),
                "round trip changed {text:?}"
            );
        }
    }
}

/// Validate as every kind; compile and evaluate what validates.
pub fn validate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let req = Request::new(
        Principal::new(
            PrincipalType::AssumedRole,
            "arn:aws:sts::111122223333:assumed-role/R/s",
            "111122223333",
        ),
        "s3:GetObject",
        "arn:aws:s3:::bucket/key",
    )
    .with_context("aws:TagKeys", vec!["a", "b"])
    .with_context("aws:SourceIp", "10.0.0.1");
    for kind in KINDS {
        let v = validate_document(text, kind);
        let _ = v.render_human();
        let _ = v.to_json();
        if let Ok(p) = CompiledPolicy::compile(text, "fuzz", kind) {
            let p = Arc::new(p);
            let mut set = PolicySet::new();
            match kind {
                PolicyType::Identity => set.identity.push(p),
                PolicyType::Boundary => set.boundary = Some(p),
                PolicyType::Session => set.session.push(p),
                PolicyType::Resource | PolicyType::Trust => set.resource = Some(p),
                PolicyType::Scp => set.scps.push(vec![p]),
                PolicyType::Rcp => set.rcps.push(vec![p]),
            }
            let d = set.evaluate(&req);
            assert_eq!(d.effect, set.decide(&req));
            let _ = d.message(&req);
        }
    }
}

/// Split the input at the first NUL into a pattern and a text; match them every way.
pub fn wildcard(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (pat, text) = s.split_once('\0').unwrap_or((s, ""));
    let m = Pattern::wildcard(pat).matches(text, &NoVars);
    assert!(m.is_some(), "a pattern without variables always decides");
    let _ = Pattern::with_variables(pat).matches(text, &NoVars);
    let _ = ArnPattern::resource(pat).matches(text, &NoVars);
}

/// One JSONL evaluation line.
pub fn evaluate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = evaluate_line(text);
}
