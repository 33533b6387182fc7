//! Decisions per second on one core, measured in CPU time (robust on a busy
//! machine): `cargo run --release -p localorg-policy --example throughput [N]`.

#![allow(clippy::expect_used)]

use localorg_policy::Outcome;
use std::hint::black_box;
use std::time::Instant;

#[path = "../benches/support/scenario.rs"]
mod scenario;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000_000);
    let (set, req) = scenario::setup();
    assert_eq!(set.decide(&req), Outcome::Allow);
    let t = Instant::now();
    let mut allowed = 0u64;
    for _ in 0..n {
        if set.decide(black_box(&req)) == Outcome::Allow {
            allowed += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{n} decisions ({allowed} allowed) in {secs:.3}s wall: {:.0} decisions/s",
        n as f64 / secs
    );
}
