//! Crash test: a child process commits transactions and prints each id after its commit
//! returns; the parent SIGKILLs it mid-run and checks that every acknowledged transaction is
//! there, complete, and that no transaction is partially visible.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use localorg_store::{Key, Store};

const DIR_ENV: &str = "LOCALORG_STORE_CRASH_CHILD_DIR";
const START_ENV: &str = "LOCALORG_STORE_CRASH_CHILD_START";
const PUTS: u64 = 5;

/// The child: only does anything when spawned by the parent test with the env vars set.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(DIR_ENV) else {
        return;
    };
    let start: u64 = std::env::var(START_ENV).unwrap().parse().unwrap();
    let store = Store::open(Path::new(&dir)).unwrap();
    let payload = vec![0xABu8; 300];
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut out = std::io::stdout().lock();
    let mut i = start;
    // Bounded so a child whose parent died stops by itself.
    while Instant::now() < deadline {
        store
            .write(|tx| {
                for j in 0..PUTS {
                    tx.put(&Key::new().str("tx").u64(i).u64(j).into_bytes(), &payload)?;
                }
                tx.put(b"last", &i.to_be_bytes())
            })
            .unwrap();
        writeln!(out, "ACK {i}").unwrap();
        out.flush().unwrap();
        i += 1;
    }
}

fn verify(dir: &Path, acked: &[u64]) -> u64 {
    let store = Store::open(dir).unwrap();
    let (entries, last) = store
        .read(|tx| {
            Ok::<_, localorg_store::StoreError>((
                tx.scan(&Key::new().str("tx").prefix_range(), None, false)?,
                tx.get(b"last")?,
            ))
        })
        .unwrap();
    let mut counts: std::collections::BTreeMap<u64, u64> = Default::default();
    for (k, _) in &entries {
        let mut d = localorg_store::KeyDecoder::new(k);
        assert_eq!(d.str().unwrap(), "tx");
        *counts.entry(d.u64().unwrap()).or_default() += 1;
    }
    // No partial transaction.
    for (id, n) in &counts {
        assert_eq!(*n, PUTS, "transaction {id} is partial: {n} of {PUTS} puts");
    }
    // Committed ids are contiguous from 0, and `last` names the newest.
    let ids: Vec<u64> = counts.keys().copied().collect();
    let max = *ids.last().unwrap();
    assert_eq!(ids, (0..=max).collect::<Vec<_>>(), "ids not contiguous");
    assert_eq!(last, Some(max.to_be_bytes().to_vec()));
    // Every acknowledged transaction survived.
    for id in acked {
        assert!(
            counts.contains_key(id),
            "acknowledged transaction {id} lost"
        );
    }
    max
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut next = 0u64;
    for round in 0..4u64 {
        let mut child = Command::new(&exe)
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(DIR_ENV, dir.path())
            .env(START_ENV, next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut acked = Vec::new();
        let target = 150 + round * 97;
        for line in lines.by_ref() {
            if let Some(id) = line.unwrap().strip_prefix("ACK ") {
                acked.push(id.parse::<u64>().unwrap());
                if acked.len() as u64 >= target {
                    break;
                }
            }
        }
        assert_eq!(acked.len() as u64, target, "child stopped early");
        // SIGKILL while the child is busy committing the next transactions, at a different
        // point in its loop each round.
        std::thread::sleep(Duration::from_micros(round * 173));
        child.kill().unwrap();
        // Ids printed before the kill landed are acknowledged too.
        for line in lines {
            let Ok(line) = line else { break };
            if let Some(id) = line.strip_prefix("ACK ") {
                acked.push(id.parse::<u64>().unwrap());
            }
        }
        let status = child.wait().unwrap();
        assert!(!status.success(), "child was killed");
        let max = verify(dir.path(), &acked);
        let max_acked = *acked.iter().max().unwrap();
        assert!(max >= max_acked);
        eprintln!(
            "round {round}: acked up to {max_acked}, store holds up to {max} ({} unacked but committed)",
            max - max_acked
        );
        next = max + 1;
    }
}
