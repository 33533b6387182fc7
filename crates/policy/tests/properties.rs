//! Property tests: the decision's monotonicity laws, "never grants" for SCPs and
//! boundaries, no panics on arbitrary input, and the wildcard matcher against a
//! regex oracle.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code: failing loudly is the point

use localorg_policy::pattern::{ArnPattern, NoVars, Pattern};
use localorg_policy::{
    cli::evaluate_line, CompiledPolicy, Outcome, PolicyDocument, PolicySet, PolicyType, Principal,
    PrincipalType, Request,
};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};
use std::sync::Arc;

const ACCT_A: &str = "111122223333";
const ACCT_B: &str = "444455556666";

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:GetObject",
    "s3:Get*",
    "s3:?etObject",
    "s3:PutObject",
    "ec2:*",
    "iam:PassRole",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::other/*",
    "arn:aws:s3:::bucket/${aws:username}",
    "arn:aws:ec2:*:*:instance/*",
];

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!({"StringEquals": {"aws:PrincipalTag/team": "red"}}))),
        1 => Just(Some(json!({"Bool": {"aws:SecureTransport": "true"}}))),
        1 => Just(Some(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}))),
        1 => Just(Some(json!({"ForAnyValue:StringLike": {"aws:TagKeys": "a*"}}))),
        1 => Just(Some(json!({"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}))),
        1 => Just(Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))),
        1 => Just(Some(json!({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}))),
        1 => Just(Some(json!({"Null": {"aws:TokenIssueTime": "true"}}))),
        1 => Just(Some(json!({"StringEquals": {"aws:PrincipalAccount": ACCT_A}}))),
    ]
}

fn principal_elem() -> impl Strategy<Value = Value> {
    select(vec![
        json!("*"),
        json!({"AWS": ACCT_A}),
        json!({"AWS": format!("arn:aws:iam::{ACCT_B}:root")}),
        json!({"AWS": format!("arn:aws:iam::{ACCT_A}:user/alice")}),
        json!({"AWS": format!("arn:aws:iam::{ACCT_A}:role/Dev")}),
        json!({"AWS": format!("arn:aws:sts::{ACCT_A}:assumed-role/Dev/s1")}),
        json!({"AWS": format!("arn:aws:iam::{ACCT_B}:user/bob")}),
        json!({"Service": "ec2.amazonaws.com"}),
    ])
}

/// One statement. `principals`: the policy kind names principals.
fn statement(principals: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        select(ACTIONS),
        any::<bool>(),
        select(RESOURCES),
        prop::bool::weighted(0.15),
        condition(),
        principal_elem(),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            move |(allow, action, not_action, resource, not_resource, cond, principal, not_p)| {
                let mut st = serde_json::Map::new();
                st.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                let not_action = not_action && action != "*" && action.len() % 3 == 0;
                st.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    json!(action),
                );
                st.insert(
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    }
                    .into(),
                    json!(resource),
                );
                if let Some(c) = cond {
                    st.insert("Condition".into(), c);
                }
                if principals {
                    // NotPrincipal only with Deny, as AWS recommends.
                    let key = if not_p && !allow && principal != json!("*") {
                        "NotPrincipal"
                    } else {
                        "Principal"
                    };
                    st.insert(key.into(), principal);
                }
                Value::Object(st)
            },
        )
}

fn policy(principals: bool) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement(principals), 1..4)
}

/// A set of policies, kept as JSON statements so it can be mutated.
#[derive(Debug, Clone)]
struct Scenario {
    identity: Vec<Vec<Value>>,
    boundary: Option<Vec<Value>>,
    session: Vec<Vec<Value>>,
    resource: Option<Vec<Value>>,
    scps: Vec<Vec<Vec<Value>>>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(policy(false), 0..3),
        prop::option::weighted(0.4, policy(false)),
        prop::collection::vec(policy(false), 0..2),
        prop::option::weighted(0.5, policy(true)),
        prop::collection::vec(prop::collection::vec(policy(false), 1..3), 0..3),
    )
        .prop_map(|(identity, boundary, session, resource, scps)| Scenario {
            identity,
            boundary,
            session,
            resource,
            scps,
        })
}

fn compile(stmts: &[Value], id: &str, kind: PolicyType) -> Arc<CompiledPolicy> {
    let text = json!({"Version": "2012-10-17", "Statement": stmts}).to_string();
    match CompiledPolicy::compile(&text, id, kind) {
        Ok(p) => Arc::new(p),
        Err(e) => panic!("generated policy does not compile: {e}\n{text}"),
    }
}

impl Scenario {
    fn build(&self) -> PolicySet {
        PolicySet {
            identity: self
                .identity
                .iter()
                .enumerate()
                .map(|(i, p)| compile(p, &format!("id{i}"), PolicyType::Identity))
                .collect(),
            boundary: self
                .boundary
                .as_ref()
                .map(|p| compile(p, "boundary", PolicyType::Boundary)),
            session: self
                .session
                .iter()
                .map(|p| compile(p, "session", PolicyType::Session))
                .collect(),
            resource: self
                .resource
                .as_ref()
                .map(|p| compile(p, "resource", PolicyType::Resource)),
            scps: self
                .scps
                .iter()
                .map(|lvl| {
                    lvl.iter()
                        .map(|p| compile(p, "scp", PolicyType::Scp))
                        .collect()
                })
                .collect(),
            rcps: Vec::new(),
        }
    }

    /// Every statement, mutably, with whether it names principals.
    fn statements_mut(&mut self) -> Vec<&mut Value> {
        let mut out: Vec<&mut Value> = Vec::new();
        for p in &mut self.identity {
            out.extend(p.iter_mut());
        }
        if let Some(p) = &mut self.boundary {
            out.extend(p.iter_mut());
        }
        for p in &mut self.session {
            out.extend(p.iter_mut());
        }
        if let Some(p) = &mut self.resource {
            out.extend(p.iter_mut());
        }
        for lvl in &mut self.scps {
            for p in lvl {
                out.extend(p.iter_mut());
            }
        }
        out
    }
}

fn request() -> impl Strategy<Value = Request> {
    let principal = select(vec![
        (
            PrincipalType::User,
            format!("arn:aws:iam::{ACCT_A}:user/alice"),
            ACCT_A,
        ),
        (
            PrincipalType::AssumedRole,
            format!("arn:aws:sts::{ACCT_A}:assumed-role/Dev/s1"),
            ACCT_A,
        ),
        (
            PrincipalType::Root,
            format!("arn:aws:iam::{ACCT_A}:root"),
            ACCT_A,
        ),
        (
            PrincipalType::User,
            format!("arn:aws:iam::{ACCT_B}:user/bob"),
            ACCT_B,
        ),
        (PrincipalType::Service, "ec2.amazonaws.com".to_string(), ""),
        (PrincipalType::Anonymous, "anonymous".to_string(), ""),
    ]);
    (
        principal,
        any::<bool>(),
        any::<bool>(),
        select(vec![
            "s3:GetObject",
            "s3:PutObject",
            "ec2:RunInstances",
            "iam:PassRole",
        ]),
        select(vec![
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::bucket/alice",
            "arn:aws:s3:::other/x",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        ]),
        any::<bool>(),
        prop::option::of(select(vec!["red", "blue"])),
        prop::option::of(select(vec!["10.1.2.3", "192.168.0.1", "2001:db8::1"])),
        prop::option::of(prop::collection::vec(select(vec!["a", "b", "c"]), 0..3)),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |((kind, arn, acct), mgmt, slr, action, resource, cross, team, ip, tags, tls)| {
                let mut p = Principal::new(kind, arn, acct);
                p.is_management_account = mgmt;
                p.is_service_linked_role = slr && kind == PrincipalType::AssumedRole;
                if let Some(t) = team {
                    p.tags.push(("team".into(), t.into()));
                }
                let mut r = Request::new(p, action, resource).with_resource_account(if cross {
                    ACCT_B
                } else {
                    ACCT_A
                });
                if let Some(ip) = ip {
                    r = r.with_context("aws:SourceIp", ip);
                }
                if let Some(t) = tags {
                    r = r.with_context("aws:TagKeys", t);
                }
                if let Some(b) = tls {
                    r = r.with_context("aws:SecureTransport", b);
                }
                r
            },
        )
}

/// 512 cases per property; `PROPTEST_CASES=N` overrides.
fn config() -> ProptestConfig {
    let d = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_some() {
        d
    } else {
        ProptestConfig { cases: 512, ..d }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Adding an explicit Deny anywhere never produces an Allow that was not there.
    #[test]
    fn adding_a_deny_never_allows(s in scenario(), req in request(), deny in statement(false), pick in any::<prop::sample::Index>(), kind in 0usize..5) {
        let before = s.build().decide(&req);
        let mut t = s.clone();
        let with_principal = |mut d: Value| { d["Principal"] = json!("*"); d };
        let mut deny = deny;
        deny["Effect"] = json!("Deny");
        match kind {
            0 => if t.identity.is_empty() { t.identity.push(vec![deny]) } else { let i = pick.index(t.identity.len()); t.identity[i].push(deny) },
            1 => t.boundary.get_or_insert_with(Vec::new).push(deny),
            2 => if t.session.is_empty() { t.session.push(vec![deny]) } else { t.session[0].push(deny) },
            3 => t.resource.get_or_insert_with(Vec::new).push(with_principal(deny)),
            _ => if t.scps.is_empty() { t.scps.push(vec![vec![deny]]) } else { let i = pick.index(t.scps.len()); t.scps[i][0].push(deny) },
        }
        let after = t.build().decide(&req);
        prop_assert!(after != Outcome::Allow || before == Outcome::Allow, "{before:?} -> {after:?}");
        if before == Outcome::ExplicitDeny {
            prop_assert_eq!(after, Outcome::ExplicitDeny);
        }
    }

    /// A Deny matching everything in an identity policy always decides ExplicitDeny.
    #[test]
    fn a_matching_identity_deny_always_denies(s in scenario(), req in request()) {
        let mut t = s;
        t.identity.push(vec![json!({"Effect": "Deny", "Action": "*", "Resource": "*"})]);
        prop_assert_eq!(t.build().decide(&req), Outcome::ExplicitDeny);
    }

    /// Neutralising an Allow statement never turns a denial into an Allow.
    #[test]
    fn removing_an_allow_never_allows(s in scenario(), req in request(), pick in any::<prop::sample::Index>()) {
        let before = s.build().decide(&req);
        let mut t = s.clone();
        let mut stmts = t.statements_mut();
        let allows: Vec<usize> = stmts.iter().enumerate().filter(|(_, v)| v["Effect"] == "Allow").map(|(i, _)| i).collect();
        prop_assume!(!allows.is_empty());
        let i = allows[pick.index(allows.len())];
        let st = &mut stmts[i];
        if let Some(o) = st.as_object_mut() {
            o.remove("NotAction");
            o.insert("Action".into(), json!("none:Nothing"));
        }
        let after = t.build().decide(&req);
        prop_assert!(after != Outcome::Allow || before == Outcome::Allow, "{before:?} -> {after:?}");
    }

    /// An SCP chain never grants: whatever it says, removing it cannot lose an Allow.
    #[test]
    fn an_scp_never_grants(s in scenario(), req in request()) {
        let with = s.build();
        let mut t = s;
        t.scps.clear();
        let without = t.build();
        if with.decide(&req) == Outcome::Allow {
            prop_assert_eq!(without.decide(&req), Outcome::Allow);
        }
    }

    /// A permissions boundary never grants.
    #[test]
    fn a_boundary_never_grants(s in scenario(), req in request()) {
        let with = s.build();
        let mut t = s;
        t.boundary = None;
        if with.decide(&req) == Outcome::Allow {
            prop_assert_eq!(t.build().decide(&req), Outcome::Allow);
        }
    }

    /// Session policies never grant.
    #[test]
    fn session_policies_never_grant(s in scenario(), req in request()) {
        let with = s.build();
        let mut t = s;
        t.session.clear();
        if with.decide(&req) == Outcome::Allow {
            prop_assert_eq!(t.build().decide(&req), Outcome::Allow);
        }
    }

    /// `decide` and `evaluate` agree; the explanation matches the outcome.
    #[test]
    fn decide_agrees_with_evaluate(s in scenario(), req in request()) {
        let set = s.build();
        let d = set.evaluate(&req);
        prop_assert_eq!(d.effect, set.decide(&req));
        match d.effect {
            Outcome::ExplicitDeny => prop_assert!(!d.deciding.is_empty() && d.deciding.iter().all(|x| x.effect == localorg_policy::Effect::Deny)),
            Outcome::ImplicitDeny => prop_assert!(d.deciding.is_empty() && d.missing.is_some()),
            Outcome::Allow => prop_assert!(d.deciding.iter().all(|x| x.effect == localorg_policy::Effect::Allow)),
        }
        let m = d.message(&req);
        prop_assert!(m.contains(req.action()));
    }

    /// The parser and validator never panic on arbitrary text.
    #[test]
    fn parser_never_panics_on_text(text in ".{0,200}") {
        let _ = PolicyDocument::parse(&text);
        for kind in [PolicyType::Identity, PolicyType::Resource, PolicyType::Trust, PolicyType::Scp, PolicyType::Rcp] {
            let _ = localorg_policy::validate_document(&text, kind);
        }
        let _ = evaluate_line(&text);
    }

    /// … nor on JSON-shaped text built from policy vocabulary.
    #[test]
    fn parser_never_panics_on_policy_shaped_text(parts in prop::collection::vec(select(vec![
        "{", "}", "[", "]", ",", ":", "\"Version\"", "\"2012-10-17\"", "\"2008-10-17\"", "\"Statement\"",
        "\"Effect\"", "\"Allow\"", "\"Deny\"", "\"Action\"", "\"NotAction\"", "\"Resource\"", "\"NotResource\"",
        "\"Principal\"", "\"NotPrincipal\"", "\"AWS\"", "\"Service\"", "\"*\"", "\"s3:*\"", "\"Condition\"",
        "\"StringLike\"", "\"ForAllValues:StringEquals\"", "\"aws:TagKeys\"", "\"${aws:username}\"", "\"${\"",
        "true", "1.5e3", "null", "\"arn:aws:s3:::b/*\"", "\"Sid\"", "\"Id\"", "\"\\u00e9\"", "\"\\ud800\"",
    ]), 0..60)) {
        let text = parts.concat();
        if let Ok(doc) = PolicyDocument::parse(&text) {
            // Lossless: what we write back parses to the same document.
            let again = PolicyDocument::parse(&doc.to_json());
            prop_assert!(again.is_ok());
        }
        for kind in [PolicyType::Identity, PolicyType::Resource, PolicyType::Session, PolicyType::Boundary, PolicyType::Rcp] {
            let _ = localorg_policy::validate_document(&text, kind);
            if let Ok(p) = CompiledPolicy::compile(&text, "x", kind) {
                let set = PolicySet { identity: vec![Arc::new(p)], ..PolicySet::default() };
                let req = Request::new(Principal::new(PrincipalType::User, "arn:aws:iam::111122223333:user/u", ACCT_A), "s3:GetObject", "arn:aws:s3:::b/k");
                let _ = set.evaluate(&req).message(&req);
            }
        }
    }

    /// The wildcard matcher agrees with a regex oracle.
    #[test]
    fn wildcard_matches_regex_oracle(pat in "[ab*?]{0,12}", text in "[ab]{0,16}") {
        let mut re = String::from("(?s)^");
        for c in pat.chars() {
            match c {
                '*' => re.push_str(".*"),
                '?' => re.push('.'),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        let oracle = regex::Regex::new(&re).map(|r| r.is_match(&text));
        prop_assert_eq!(Pattern::wildcard(&pat).matches(&text, &NoVars), oracle.ok());
    }

    /// … also over a wider alphabet with multi-byte characters.
    #[test]
    fn wildcard_matches_regex_oracle_unicode(pat in "[a-cé:/*?]{0,10}", text in "[a-cé:/]{0,14}") {
        let mut re = String::from("(?s)^");
        for c in pat.chars() {
            match c {
                '*' => re.push_str(".*"),
                '?' => re.push('.'),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        let oracle = regex::Regex::new(&re).map(|r| r.is_match(&text));
        prop_assert_eq!(Pattern::wildcard(&pat).matches(&text, &NoVars), oracle.ok());
    }

    /// ARN patterns: a wildcard in one of the first five components never crosses a colon.
    #[test]
    fn arn_components_do_not_leak(region in "[a-z0-9*-]{0,6}", acct in "[0-9*]{0,4}", res in "[a-z/:*]{0,8}",
                                   tregion in "[a-z0-9-]{0,6}", tacct in "[0-9]{0,4}", tres in "[a-z/:]{0,8}") {
        let pat = format!("arn:aws:ec2:{region}:{acct}:{res}");
        let text = format!("arn:aws:ec2:{tregion}:{tacct}:{tres}");
        let per = |p: &str, t: &str| Pattern::wildcard(p).matches(t, &NoVars) == Some(true);
        let expected = per(&region, &tregion) && per(&acct, &tacct) && per(&res, &tres);
        prop_assert_eq!(ArnPattern::resource(&pat).matches(&text, &NoVars), Some(expected));
    }

    /// Matching never panics on arbitrary patterns and texts (variables included).
    #[test]
    fn matcher_never_panics(pat in ".{0,40}", text in ".{0,40}") {
        let _ = Pattern::wildcard(&pat).matches(&text, &NoVars);
        let _ = Pattern::with_variables(&pat).matches(&text, &NoVars);
        let _ = ArnPattern::resource(&pat).matches(&text, &NoVars);
    }
}
