//! A stable smoke run of the fuzz targets (`fuzz/src/lib.rs`): seeds from the
//! case files, then deterministic pseudo-random mutations. The real fuzzing is
//! `cargo +nightly fuzz run …` in `crates/policy/fuzz`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code: failing loudly is the point

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod targets;

use serde_json::Value;
use std::path::Path;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "*",
    "?",
    "${",
    "}",
    "${aws:username}",
    "${*}",
    "\"Principal\"",
    "\"NotPrincipal\"",
    "\"Condition\"",
    "\"ForAllValues:StringLike\"",
    "\"IfExists\"",
    "arn:aws:s3:::",
    "\\u0000",
    "\\ud83d\\ude00",
    "é",
    "1e999",
    "-0",
    "null",
];

/// Every policy document found in the case files, as text.
fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for dir in ["cases", "validate"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            collect(&v, &mut out);
        }
    }
    out
}

fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("Statement") {
                out.push(v.to_string());
            }
            for x in m.values() {
                collect(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

fn mutate(rng: &mut Rng, s: &str) -> Vec<u8> {
    let mut b = s.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(at..at, t.bytes());
            }
            2 => b.truncate(at),
            3 if at < b.len() => {
                let end = (at + rng.below(12)).min(b.len());
                b.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(24)).min(b.len());
                let chunk: Vec<u8> = b[at..end].to_vec();
                b.splice(at..at, chunk);
            }
        }
    }
    b
}

#[test]
fn fuzz_targets_smoke() {
    let seeds = seeds();
    assert!(seeds.len() > 100, "found {} seed policies", seeds.len());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for s in &seeds {
        targets::parse(s.as_bytes());
        targets::validate(s.as_bytes());
    }
    for _ in 0..3000 {
        let seed = &seeds[rng.below(seeds.len())];
        let data = mutate(&mut rng, seed);
        targets::parse(&data);
        targets::validate(&data);
    }
    for _ in 0..5000 {
        let n = rng.below(24);
        let data: Vec<u8> = (0..n)
            .map(|_| {
                let alphabet = b"ab*?:/${}\0x,' ";
                alphabet[rng.below(alphabet.len())]
            })
            .collect();
        targets::wildcard(&data);
    }
    let line = r#"{"principal":{"arn":"arn:aws:iam::111122223333:user/a","account":"111122223333","type":"User"},"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],"scps":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]]}"#;
    targets::evaluate(line.as_bytes());
    for _ in 0..2000 {
        targets::evaluate(&mutate(&mut rng, line));
    }
}
