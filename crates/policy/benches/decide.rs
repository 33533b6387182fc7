//! A typical request against a 10-statement identity policy, a 3-level SCP chain
//! and a permissions boundary. Throughput is reported in decisions per second.

#![allow(missing_docs, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use localorg_policy::{Decision, Outcome, Request};

#[path = "support/scenario.rs"]
mod scenario;
use scenario::setup;

fn bench(c: &mut Criterion) {
    let (set, req) = setup();
    assert_eq!(set.decide(&req), Outcome::Allow);
    let mut g = c.benchmark_group("typical");
    g.throughput(Throughput::Elements(1));
    g.bench_function("decide", |b| b.iter(|| set.decide(black_box(&req))));
    let mut out = Decision::default();
    g.bench_function("evaluate_into", |b| {
        b.iter(|| {
            set.evaluate_into(black_box(&req), &mut out);
            out.effect
        })
    });
    let denied = Request::new(
        req.principal().clone(),
        "iam:CreateUser",
        "arn:aws:iam::111122223333:user/mallory",
    )
    .with_context("aws:SourceIp", "10.1.2.3")
    .with_context("aws:ViaAWSService", "false");
    assert_eq!(set.decide(&denied), Outcome::ExplicitDeny);
    g.bench_function("decide_explicit_deny", |b| {
        b.iter(|| set.decide(black_box(&denied)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
