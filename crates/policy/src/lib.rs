//! # localorg-policy — the IAM policy language, decided as AWS decides
//!
//! This crate parses, validates, evaluates and explains AWS IAM policies. It is
//! pure: no I/O (except the two CLI helpers that take a reader and a writer), no
//! async, no clock.
//!
//! ## Compile once, evaluate many
//!
//! ```
//! use localorg_policy::*;
//! use std::sync::Arc;
//!
//! let identity = CompiledPolicy::compile(
//!     r#"{"Version":"2012-10-17","Statement":[
//!          {"Sid":"ReadHome","Effect":"Allow","Action":"s3:GetObject",
//!           "Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#,
//!     "arn:aws:iam::111122223333:policy/Home",
//!     PolicyType::Identity,
//! )?;
//! let scp = CompiledPolicy::compile(
//!     r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny",
//!          "Action":"s3:Delete*","Resource":"*"},
//!         {"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
//!     "p-guardrails",
//!     PolicyType::Scp,
//! )?;
//! let set = PolicySet {
//!     identity: vec![Arc::new(identity)],
//!     scps: vec![vec![Arc::new(scp)]],
//!     ..PolicySet::default()
//! };
//! let alice = Principal::new(PrincipalType::User, "arn:aws:iam::111122223333:user/alice", "111122223333");
//! let req = Request::new(alice, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt");
//! let d = set.evaluate(&req);
//! assert_eq!(d.effect, Outcome::Allow);
//! assert_eq!(d.deciding.iter().find(|s| s.kind == PolicyType::Identity).unwrap().sid.as_deref(), Some("ReadHome"));
//!
//! let del = Request::new(req.principal().clone(), "s3:DeleteObject", "arn:aws:s3:::home/alice/notes.txt");
//! let d = set.evaluate(&del);
//! assert_eq!(d.effect, Outcome::ExplicitDeny);
//! assert!(d.message(&del).ends_with(
//!     "with an explicit deny in a service control policy: p-guardrails (level 0, statement \"NoDelete\" (index 0))"));
//! # Ok::<(), PolicyError>(())
//! ```
//!
//! ## Map of the crate
//!
//! * [`PolicyDocument`] — the grammar: every form AWS accepts, with positions,
//!   serializing back without loss ([`PolicyDocument::to_json`]).
//! * [`validate_document`] — rules per [`PolicyType`] and Access Analyzer-style
//!   [`Finding`]s; `ERROR`s carry AWS's `MalformedPolicyDocument` wording.
//! * [`CompiledPolicy`] — a validated, pre-analysed policy.
//! * [`Request`] / [`Principal`] — the request context; principal keys are derived.
//! * [`PolicySet`] — the policies that apply, by kind; [`PolicySet::evaluate`]
//!   returns a [`Decision`] (outcome + deciding statements), [`PolicySet::decide`]
//!   only the [`Outcome`] without allocating. The evaluation order and every
//!   choice made where AWS is ambiguous are documented in [`eval`].
//! * [`Decision::message`] — AWS's denial message, naming the policy and statement.
//! * [`condition`] — every condition operator and its exact semantics.
//! * [`pattern`] — wildcards, policy variables and ARN-component matching.
//! * [`cli`] — [`cli::evaluate_jsonl`] and [`cli::validate`] for the
//!   `localorg policy evaluate` / `validate` commands (the JSONL schema is in the
//!   crate README, `crates/policy/README.md`).
//!
//! ## Speed
//!
//! Compilation does the work once: actions are lower-cased, wildcard patterns are
//! classified (`*`, exact, prefix, general), literal ARN prefixes are joined,
//! variables are located and condition values parsed. [`PolicySet::decide`] then
//! allocates nothing; [`PolicySet::evaluate_into`] reuses its buffer. The
//! criterion benchmark (`cargo bench -p localorg-policy`) and
//! `cargo run --release -p localorg-policy --example throughput` measure a typical
//! request against a 10-statement identity policy, a 3-level SCP chain and a
//! boundary.
//!
//! ## How it is tested
//!
//! * `tests/cases/*.json` — hundreds of decision cases, each named for the rule
//!   it pins down (including every choice made where AWS's documentation is
//!   ambiguous); `tests/validate/*.json` — validation findings.
//! * `tests/properties.rs` — proptest: adding a `Deny` never yields `Allow`,
//!   removing an `Allow` never turns a denial into `Allow`, SCPs, boundaries and
//!   session policies never grant, parsing and matching never panic, and the
//!   wildcard matcher agrees with a regex oracle.
//! * `fuzz/` — cargo-fuzz targets (parser, validator, matcher, JSONL line), with a
//!   stable smoke run in `tests/fuzz_smoke.rs`.

pub mod ast;
pub mod cli;
pub mod compile;
pub mod condition;
mod error;
pub mod eval;
pub mod json;
mod message;
pub mod pattern;
pub mod request;
pub mod validate;

pub use ast::{Effect, PolicyDocument};
pub use cli::{evaluate_jsonl, evaluate_line, EvalStats};
pub use compile::{CompiledPolicy, PolicyType};
pub use error::PolicyError;
pub use eval::{DecidingStatement, Decision, Missing, Outcome, PolicySet};
pub use request::{ContextValue, Principal, PrincipalType, Request};
pub use validate::{validate_document, Finding, Severity, Validation};
