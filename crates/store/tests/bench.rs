//! Quick latency measurements (not run by default):
//! `cargo test -p localorg-store --release --test bench -- --ignored --nocapture`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::time::Instant;

use localorg_store::{Durability, Key, Store, StoreOptions, Table};

/// Nanoseconds this thread has spent on a CPU (Linux), so the numbers mean something on a
/// busy machine; falls back to 0 elsewhere.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|f| f.parse().ok()))
        .unwrap_or(0)
}

/// A wall-clock + on-CPU stopwatch.
struct Watch(Instant, u64);

impl Watch {
    fn start() -> Self {
        Watch(Instant::now(), cpu_ns())
    }
    /// "wall/cpu" microseconds per operation.
    fn per(&self, n: u64) -> String {
        let wall = self.0.elapsed().as_secs_f64() * 1e6 / n as f64;
        let cpu = (cpu_ns() - self.1) as f64 / 1e3 / n as f64;
        format!("{wall:6.2}/{cpu:6.2}")
    }
}

fn key(i: u64) -> Vec<u8> {
    Key::new()
        .str("000000000000")
        .str("user")
        .u64(i)
        .into_bytes()
}

fn measure(store: &Store, label: &str, seed: u64) {
    const N: u64 = 10_000;
    let value = vec![7u8; 200];
    store
        .write(|tx| {
            for i in 0..N {
                tx.put(&key(i), &value)?;
            }
            Ok::<_, localorg_store::StoreError>(())
        })
        .unwrap();

    let reads = 100_000u64;
    let t = Watch::start();
    let mut hits = 0;
    for i in 0..reads {
        let k = key((i * 7919 + seed) % N);
        if store.read(|tx| tx.get(&k)).unwrap().is_some() {
            hits += 1;
        }
    }
    let read_us = t.per(reads);
    assert_eq!(hits, reads);

    let writes = 5_000u64;
    let t = Watch::start();
    for i in 0..writes {
        store
            .write(|tx| {
                for j in 0..5 {
                    tx.put(&key(N + i * 5 + j), &value)?;
                }
                Ok::<_, localorg_store::StoreError>(())
            })
            .unwrap();
    }
    let write_us = t.per(writes);

    let scans = 20_000u64;
    let t = Watch::start();
    for i in 0..scans {
        let after = key((i * 31) % N);
        let range = Key::new().str("000000000000").str("user").prefix_range();
        let page = store
            .read(|tx| tx.scan_page(&range, Some(&after), 100, false))
            .unwrap();
        assert!(!page.items.is_empty());
    }
    let scan_us = t.per(scans);

    let table: Table<serde_json::Value> = Table::new("typed");
    let pk = Key::new().str("000000000000").str("alice");
    let doc = serde_json::json!({"UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::000000000000:user/alice", "Path": "/", "Tags": []});
    store.write(|tx| table.put(tx, &pk, &doc)).unwrap();
    let t = Watch::start();
    for _ in 0..reads {
        store.read(|tx| table.get(tx, &pk)).unwrap().unwrap();
    }
    let typed_us = t.per(reads);

    println!(
        "{label:>12} (µs wall/cpu per op): point read {read_us} | typed get {typed_us} | write tx of 5 puts {write_us} | page of 100 {scan_us}"
    );
}

#[test]
#[ignore = "benchmark; run with --release -- --ignored --nocapture"]
fn latency() {
    let dir = tempfile::tempdir().unwrap();
    let normal = Store::open(&dir.path().join("normal")).unwrap();
    measure(&normal, "file NORMAL", 1);
    let full = Store::open_with(
        &dir.path().join("full"),
        &StoreOptions {
            durability: Durability::Full,
            ..StoreOptions::default()
        },
    )
    .unwrap();
    measure(&full, "file FULL", 2);
    let mem = Store::in_memory().unwrap();
    measure(&mem, "memory", 3);

    // Concurrent readers (file mode): total read throughput with 2 threads.
    let t = Instant::now();
    let per = 100_000u64;
    std::thread::scope(|s| {
        for th in 0..2u64 {
            let st = normal.clone();
            s.spawn(move || {
                for i in 0..per {
                    let k = key((i * 7919 + th) % 10_000);
                    st.read(|tx| tx.get(&k)).unwrap().unwrap();
                }
            });
        }
    });
    let secs = t.elapsed().as_secs_f64();
    println!(
        "2 reader threads: {:.0} point reads/s",
        2.0 * per as f64 / secs
    );
}
