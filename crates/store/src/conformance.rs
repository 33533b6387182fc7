//! The backend conformance suite. Every [`Backend`] must pass [`run`]:
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use localorg_store::{conformance, SqliteBackend, Backend};
//! let result = conformance::run(&|| Ok(Arc::new(SqliteBackend::in_memory()?) as Arc<dyn Backend>));
//! assert!(result.is_ok(), "{result:?}");
//! ```
//!
//! Each check gets a fresh, empty backend from the factory. Checks return errors instead of
//! panicking so the suite can live in library code and report every failure at once.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::backend::{Backend, Entry, ReadTxn, WriteTxn};
use crate::error::{Result, StoreError};
use crate::key::Key;
use crate::range::KeyRange;
use crate::store::Store;
use crate::table::{Index, Table};

/// Makes a fresh, empty backend.
pub type Factory<'a> = &'a dyn Fn() -> Result<Arc<dyn Backend>>;

type CheckResult = std::result::Result<(), String>;
type Check = fn(Factory<'_>) -> CheckResult;

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!("{} (line {})", format!($($msg)+), line!()));
        }
    };
}

macro_rules! ensure_eq {
    ($a:expr, $b:expr) => {{
        let (a, b) = (&$a, &$b);
        if a != b {
            return Err(format!(
                "{} != {}: {:?} vs {:?} (line {})",
                stringify!($a),
                stringify!($b),
                a,
                b,
                line!()
            ));
        }
    }};
}

fn s<T>(r: Result<T>) -> std::result::Result<T, String> {
    r.map_err(|e| format!("store error: {e}"))
}

/// Every check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    ("crud", check_crud),
    ("scan_order_and_bounds", check_scan),
    ("delete_range", check_delete_range),
    ("pagination", check_pagination),
    ("read_your_writes", check_read_your_writes),
    ("failed_write_leaves_no_trace", check_rollback),
    ("panic_rolls_back", check_panic),
    ("on_commit", check_on_commit),
    ("uncommitted_invisible", check_uncommitted_invisible),
    ("snapshot_reads", check_snapshot),
    ("serialized_writers", check_serialized_writers),
    ("retry_on_busy_commit", check_retry_commit),
    ("retry_on_busy_operation", check_retry_operation),
    ("nested_rejected", check_nested),
    ("reset", check_reset),
    ("large_values", check_large),
    ("typed_table", check_table),
];

/// Runs every check; `Err` lists the failures.
pub fn run(factory: Factory<'_>) -> std::result::Result<(), String> {
    let mut failures = Vec::new();
    for (name, check) in CHECKS {
        if let Err(e) = check(factory) {
            failures.push(format!("{name}: {e}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn store(factory: Factory<'_>) -> std::result::Result<Store, String> {
    Ok(Store::from_backend(s(factory())?))
}

fn keys(entries: &[Entry]) -> Vec<Vec<u8>> {
    entries.iter().map(|(k, _)| k.clone()).collect()
}

fn check_crud(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    ensure_eq!(s(st.read(|tx| tx.get(b"a")))?, None);
    s(st.write(|tx| {
        tx.put(b"a", b"1")?;
        tx.put(b"", b"empty key")?;
        tx.put(b"e", b"")?;
        tx.put(b"\x00\xff", b"\x00")
    }))?;
    ensure_eq!(s(st.read(|tx| tx.get(b"a")))?, Some(b"1".to_vec()));
    ensure_eq!(s(st.read(|tx| tx.get(b"")))?, Some(b"empty key".to_vec()));
    ensure_eq!(s(st.read(|tx| tx.get(b"e")))?, Some(Vec::new()));
    ensure_eq!(
        s(st.read(|tx| tx.get(b"\x00\xff")))?,
        Some(b"\x00".to_vec())
    );
    ensure_eq!(s(st.read(|tx| tx.get(b"\x00")))?, None);
    s(st.write(|tx| tx.put(b"a", b"2")))?;
    ensure_eq!(s(st.read(|tx| tx.get(b"a")))?, Some(b"2".to_vec()));
    ensure!(
        s(st.write(|tx| tx.delete(b"a")))?,
        "delete of existing key returns true"
    );
    ensure!(
        !s(st.write(|tx| tx.delete(b"a")))?,
        "delete of missing key returns false"
    );
    ensure!(!s(st.read(|tx| tx.contains(b"a")))?, "deleted key gone");
    Ok(())
}

fn fill(st: &Store, keys: &[&[u8]]) -> std::result::Result<(), String> {
    s(st.write(|tx| {
        for k in keys {
            tx.put(k, k)?;
        }
        Ok(())
    }))
}

fn check_scan(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let input: &[&[u8]] = &[
        b"b",
        b"a\xff",
        b"a",
        b"ab",
        b"\xff",
        b"\xff\xff",
        b"a\x00",
        b"c",
    ];
    fill(&st, input)?;
    let mut sorted: Vec<Vec<u8>> = input.iter().map(|k| k.to_vec()).collect();
    sorted.sort();
    let all = s(st.read(|tx| tx.scan(&KeyRange::all(), None, false)))?;
    ensure_eq!(keys(&all), sorted);
    ensure!(all.iter().all(|(k, v)| k == v), "values match keys");
    let rev = s(st.read(|tx| tx.scan(&KeyRange::all(), None, true)))?;
    let mut rsorted = sorted.clone();
    rsorted.reverse();
    ensure_eq!(keys(&rev), rsorted);
    let lim = s(st.read(|tx| tx.scan(&KeyRange::all(), Some(3), true)))?;
    ensure_eq!(
        keys(&lim),
        rsorted.iter().take(3).cloned().collect::<Vec<_>>()
    );
    let pa = s(st.read(|tx| tx.scan_prefix(b"a", None)))?;
    ensure_eq!(
        keys(&pa),
        vec![
            b"a".to_vec(),
            b"a\x00".to_vec(),
            b"ab".to_vec(),
            b"a\xff".to_vec()
        ]
    );
    let pff = s(st.read(|tx| tx.scan_prefix(b"\xff", None)))?;
    ensure_eq!(keys(&pff), vec![b"\xff".to_vec(), b"\xff\xff".to_vec()]);
    let between = s(st.read(|tx| tx.scan(&KeyRange::between(b"a\x00", b"b"), None, false)))?;
    ensure_eq!(
        keys(&between),
        vec![b"a\x00".to_vec(), b"ab".to_vec(), b"a\xff".to_vec()]
    );
    let incl = KeyRange {
        start: std::ops::Bound::Excluded(b"a".to_vec()),
        end: std::ops::Bound::Included(b"b".to_vec()),
    };
    let r = s(st.read(|tx| tx.scan(&incl, None, false)))?;
    ensure_eq!(
        keys(&r),
        vec![
            b"a\x00".to_vec(),
            b"ab".to_vec(),
            b"a\xff".to_vec(),
            b"b".to_vec()
        ]
    );
    ensure_eq!(s(st.read(|tx| tx.count(&incl)))?, 4);
    ensure_eq!(s(st.read(|tx| tx.count_prefix(b"a")))?, 4);
    ensure_eq!(s(st.read(|tx| tx.count(&KeyRange::all())))?, 8);
    ensure_eq!(
        s(st.read(|tx| tx.scan(&KeyRange::all(), Some(0), false)))?.len(),
        0
    );
    Ok(())
}

fn check_delete_range(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    fill(&st, &[b"a", b"a1", b"a2", b"b", b"b1", b"c"])?;
    ensure_eq!(s(st.write(|tx| tx.delete_prefix(b"a")))?, 3);
    ensure_eq!(
        s(st.write(|tx| tx.delete_range(&KeyRange::between(b"b1", b"c"))))?,
        1
    );
    let left = s(st.read(|tx| tx.scan(&KeyRange::all(), None, false)))?;
    ensure_eq!(keys(&left), vec![b"b".to_vec(), b"c".to_vec()]);
    ensure_eq!(s(st.write(|tx| tx.delete_prefix(b"zzz")))?, 0);
    Ok(())
}

fn check_pagination(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let ks: Vec<Vec<u8>> = (0u8..10).map(|i| vec![b'p', i]).collect();
    let refs: Vec<&[u8]> = ks.iter().map(Vec::as_slice).collect();
    fill(&st, &refs)?;
    fill(&st, &[b"o", b"q"])?;
    for reverse in [false, true] {
        let mut seen = Vec::new();
        let mut after: Option<Vec<u8>> = None;
        let mut pages = 0;
        loop {
            let page =
                s(st.read(|tx| {
                    tx.scan_page(&KeyRange::prefix(b"p"), after.as_deref(), 3, reverse)
                }))?;
            pages += 1;
            ensure!(page.items.len() <= 3, "page size");
            seen.extend(keys(&page.items));
            match page.next {
                Some(n) => {
                    // Round-trip through the opaque token like a service would.
                    let token = crate::token::encode_token(&n);
                    after = Some(crate::token::decode_token(&token).map_err(|e| e.to_string())?);
                }
                None => break,
            }
            ensure!(pages < 10, "pagination does not terminate");
        }
        let mut expect = ks.clone();
        if reverse {
            expect.reverse();
        }
        ensure_eq!(seen, expect);
        ensure_eq!(pages, 4);
    }
    // Exactly one page's worth: no continuation.
    let page = s(st.read(|tx| tx.scan_page(&KeyRange::prefix(b"p"), None, 10, false)))?;
    ensure!(
        page.next.is_none() && page.items.len() == 10,
        "exact page has no next"
    );
    // A continuation key outside the range (foreign token) yields nothing or everything,
    // never keys outside the range.
    let page = s(st.read(|tx| tx.scan_page(&KeyRange::prefix(b"p"), Some(b"z"), 5, false)))?;
    ensure!(page.items.is_empty(), "after beyond range is empty");
    let page = s(st.read(|tx| tx.scan_page(&KeyRange::prefix(b"p"), Some(b"a"), 50, false)))?;
    ensure_eq!(page.items.len(), 10);
    Ok(())
}

fn check_read_your_writes(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    fill(&st, &[b"k1", b"k2"])?;
    s(st.write(|tx| {
        tx.put(b"k3", b"k3")?;
        tx.delete(b"k1")?;
        let got = tx.get(b"k3")?;
        let all = tx.scan_prefix(b"k", None)?;
        let n = tx.as_read().count_prefix(b"k")?;
        if got.as_deref() != Some(b"k3".as_slice())
            || keys(&all) != vec![b"k2".to_vec(), b"k3".to_vec()]
            || n != 2
        {
            return Err(StoreError::Usage(
                "write tx does not see its own writes".into(),
            ));
        }
        Ok(())
    }))?;
    Ok(())
}

fn check_rollback(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    fill(&st, &[b"keep", b"gone?"])?;
    let ran = AtomicU32::new(0);
    let hook_ran = Arc::new(AtomicU32::new(0));
    let res: std::result::Result<(), StoreError> = st.write(|tx| {
        ran.fetch_add(1, Ordering::SeqCst);
        tx.put(b"new", b"x")?;
        tx.put(b"keep", b"changed")?;
        tx.delete(b"gone?")?;
        tx.delete_prefix(b"k")?;
        let h = hook_ran.clone();
        tx.on_commit(Box::new(move || {
            h.fetch_add(1, Ordering::SeqCst);
        }));
        Err(StoreError::Usage("business rule failed".into()))
    });
    ensure!(
        matches!(res, Err(StoreError::Usage(_))),
        "closure error returned: {res:?}"
    );
    ensure_eq!(ran.load(Ordering::SeqCst), 1);
    ensure_eq!(hook_ran.load(Ordering::SeqCst), 0);
    let all = s(st.read(|tx| tx.scan(&KeyRange::all(), None, false)))?;
    ensure_eq!(
        all,
        vec![
            (b"gone?".to_vec(), b"gone?".to_vec()),
            (b"keep".to_vec(), b"keep".to_vec())
        ]
    );
    // The store is still writable afterwards.
    s(st.write(|tx| tx.put(b"after", b"1")))?;
    ensure_eq!(s(st.read(|tx| tx.count(&KeyRange::all())))?, 3);
    Ok(())
}

fn check_panic(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let st2 = st.clone();
    let joined = std::thread::spawn(move || {
        let _: Result<()> = st2.write(|tx| {
            tx.put(b"p", b"1")?;
            closure_panics()
        });
    })
    .join();
    ensure!(joined.is_err(), "the panic propagates");
    ensure_eq!(s(st.read(|tx| tx.get(b"p")))?, None);
    s(st.write(|tx| tx.put(b"q", b"1")))?;
    ensure_eq!(s(st.read(|tx| tx.get(b"q")))?, Some(b"1".to_vec()));
    Ok(())
}

#[expect(clippy::panic, reason = "checks that a panicking closure rolls back")]
fn closure_panics() -> ! {
    std::panic::panic_any("closure panicked")
}

fn check_on_commit(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let (send, recv) = mpsc::channel::<(u32, Option<Vec<u8>>)>();
    let st2 = st.clone();
    s(st.write(|tx| {
        tx.put(b"h", b"v")?;
        for i in 0..3 {
            let send = send.clone();
            let st3 = st2.clone();
            tx.on_commit(Box::new(move || {
                // Hooks run after commit, outside the transaction: the data is visible.
                let seen = st3.read(|r| r.get(b"h")).ok().flatten();
                let _ = send.send((i, seen));
            }));
        }
        Ok(())
    }))?;
    drop(send);
    let got: Vec<_> = recv.iter().collect();
    ensure_eq!(
        got,
        vec![
            (0, Some(b"v".to_vec())),
            (1, Some(b"v".to_vec())),
            (2, Some(b"v".to_vec()))
        ]
    );
    Ok(())
}

fn check_uncommitted_invisible(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    fill(&st, &[b"x"])?;
    let (written_tx, written_rx) = mpsc::channel::<()>();
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let seen = std::thread::scope(|scope| {
        let st_w = &st;
        let writer = scope.spawn(move || -> Result<()> {
            let r: Result<()> = st_w.write(|tx| {
                tx.put(b"dirty", b"1")?;
                tx.delete(b"x")?;
                let _ = written_tx.send(());
                // Hold the transaction open while the reader looks (a backend that serializes
                // readers behind the writer makes the reader wait; then this times out).
                let _ = seen_rx.recv_timeout(Duration::from_millis(300));
                Err(StoreError::Usage("abort".into()))
            });
            ensure_usage(r)
        });
        let _ = written_rx.recv_timeout(Duration::from_secs(5));
        let seen = st.read(|tx| Ok::<_, StoreError>((tx.get(b"dirty")?, tx.get(b"x")?)));
        let _ = seen_tx.send(());
        let w = writer.join();
        (seen, w)
    });
    let (seen, writer) = seen;
    ensure!(matches!(writer, Ok(Ok(()))), "writer failed: {writer:?}");
    ensure_eq!(s(seen)?, (None, Some(b"x".to_vec())));
    Ok(())
}

fn ensure_usage(r: Result<()>) -> Result<()> {
    match r {
        Err(StoreError::Usage(_)) => Ok(()),
        Err(e) => Err(e),
        Ok(()) => Err(StoreError::Backend("aborted write committed".into())),
    }
}

fn check_snapshot(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    fill(&st, &[b"s1"])?;
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let (before, after) = std::thread::scope(|scope| {
        let st_w = &st;
        let writer = scope.spawn(move || -> Result<()> {
            let _ = started_rx.recv_timeout(Duration::from_secs(5));
            st_w.write(|tx| {
                tx.put(b"s2", b"s2")?;
                tx.delete(b"s1").map(|_| ())
            })?;
            let _ = done_tx.send(());
            Ok(())
        });
        let inside = st.read(|tx| {
            let first = keys(&tx.scan_prefix(b"s", None)?);
            let _ = started_tx.send(());
            // Give the writer time to commit (it may instead wait for us, depending on backend).
            let _ = done_rx.recv_timeout(Duration::from_millis(300));
            let second = keys(&tx.scan_prefix(b"s", None)?);
            Ok::<_, StoreError>((first, second))
        });
        let w = writer.join();
        (inside, w)
    });
    let (first, second) = s(before)?;
    ensure!(matches!(after, Ok(Ok(()))), "writer failed");
    ensure_eq!(first, vec![b"s1".to_vec()]);
    ensure_eq!(second, first);
    let now = keys(&s(st.read(|tx| tx.scan_prefix(b"s", None)))?);
    ensure_eq!(now, vec![b"s2".to_vec()]);
    Ok(())
}

fn check_serialized_writers(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    const THREADS: u64 = 4;
    const EACH: u64 = 50;
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let st = &st;
                scope.spawn(move || -> Result<()> {
                    for _ in 0..EACH {
                        st.write(|tx| {
                            let n = match tx.get(b"counter")? {
                                Some(v) => u64::from_be_bytes(
                                    v.try_into()
                                        .map_err(|_| StoreError::Corrupt("counter".into()))?,
                                ),
                                None => 0,
                            };
                            tx.put(b"counter", &(n + 1).to_be_bytes())
                        })?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(StoreError::Backend("thread panicked".into())))
            })
            .collect()
    });
    for r in results {
        s(r)?;
    }
    let v = s(st.read(|tx| tx.get(b"counter")))?;
    ensure_eq!(v, Some((THREADS * EACH).to_be_bytes().to_vec()));
    Ok(())
}

/// Wraps a backend and injects `Busy` failures: at commit, or at the next puts.
struct Flaky {
    inner: Arc<dyn Backend>,
    commit_failures: AtomicU32,
    put_failures: AtomicU32,
}

struct FlakyTxn<'a> {
    inner: Box<dyn WriteTxn + 'a>,
    parent: &'a Flaky,
}

fn take_one(c: &AtomicU32) -> bool {
    c.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

impl Backend for Flaky {
    fn begin_read(&self) -> Result<Box<dyn ReadTxn + '_>> {
        self.inner.begin_read()
    }
    fn begin_write(&self) -> Result<Box<dyn WriteTxn + '_>> {
        Ok(Box::new(FlakyTxn {
            inner: self.inner.begin_write()?,
            parent: self,
        }))
    }
    fn name(&self) -> &'static str {
        "flaky"
    }
}

impl ReadTxn for FlakyTxn<'_> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.inner.get(key)
    }
    fn scan(&self, range: &KeyRange, limit: Option<usize>, reverse: bool) -> Result<Vec<Entry>> {
        self.inner.scan(range, limit, reverse)
    }
    fn count(&self, range: &KeyRange) -> Result<u64> {
        self.inner.count(range)
    }
    fn finish(self: Box<Self>) -> Result<()> {
        self.inner.rollback()
    }
}

impl WriteTxn for FlakyTxn<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        if take_one(&self.parent.put_failures) {
            return Err(StoreError::Busy("injected busy put".into()));
        }
        self.inner.put(key, value)
    }
    fn delete(&mut self, key: &[u8]) -> Result<bool> {
        self.inner.delete(key)
    }
    fn delete_range(&mut self, range: &KeyRange) -> Result<u64> {
        self.inner.delete_range(range)
    }
    fn commit(self: Box<Self>) -> Result<()> {
        if take_one(&self.parent.commit_failures) {
            self.inner.rollback()?;
            return Err(StoreError::Busy("injected busy commit".into()));
        }
        self.inner.commit()
    }
    fn rollback(self: Box<Self>) -> Result<()> {
        self.inner.rollback()
    }
}

fn flaky(factory: Factory<'_>, commits: u32, puts: u32) -> std::result::Result<Store, String> {
    Ok(Store::from_backend(Arc::new(Flaky {
        inner: s(factory())?,
        commit_failures: AtomicU32::new(commits),
        put_failures: AtomicU32::new(puts),
    })))
}

fn check_retry_commit(factory: Factory<'_>) -> CheckResult {
    let st = flaky(factory, 2, 0)?;
    let runs = AtomicU32::new(0);
    let hooks = Arc::new(AtomicU32::new(0));
    s(st.write(|tx| {
        runs.fetch_add(1, Ordering::SeqCst);
        let n = tx.count_prefix(b"r")?;
        tx.put(format!("r{n}").as_bytes(), b"1")?;
        let h = hooks.clone();
        tx.on_commit(Box::new(move || {
            h.fetch_add(1, Ordering::SeqCst);
        }));
        Ok(())
    }))?;
    ensure_eq!(runs.load(Ordering::SeqCst), 3);
    ensure_eq!(hooks.load(Ordering::SeqCst), 1);
    let all = keys(&s(st.read(|tx| tx.scan_prefix(b"r", None)))?);
    ensure_eq!(all, vec![b"r0".to_vec()]);

    // A backend that stays busy: the error surfaces after MAX_WRITE_ATTEMPTS runs.
    let st = flaky(factory, u32::MAX, 0)?;
    let runs = AtomicU32::new(0);
    let r = st.write(|tx| {
        runs.fetch_add(1, Ordering::SeqCst);
        tx.put(b"x", b"1")
    });
    ensure!(
        matches!(r, Err(StoreError::Busy(_))),
        "persistent busy surfaces: {r:?}"
    );
    ensure_eq!(
        runs.load(Ordering::SeqCst),
        crate::store::MAX_WRITE_ATTEMPTS
    );
    ensure_eq!(s(st.read(|tx| tx.get(b"x")))?, None);
    Ok(())
}

/// A service-style error type that wraps store errors (so the store cannot see the cause).
#[derive(Debug)]
enum AppError {
    Store,
    Rule,
}

impl From<StoreError> for AppError {
    fn from(_: StoreError) -> Self {
        AppError::Store
    }
}

fn check_retry_operation(factory: Factory<'_>) -> CheckResult {
    let st = flaky(factory, 0, 1)?;
    let runs = AtomicU32::new(0);
    let r: std::result::Result<(), AppError> = st.write(|tx| {
        runs.fetch_add(1, Ordering::SeqCst);
        tx.put(b"a", b"1")?;
        tx.put(b"b", b"1")?;
        Ok(())
    });
    ensure!(r.is_ok(), "retried past a busy put: {r:?}");
    ensure_eq!(runs.load(Ordering::SeqCst), 2);
    ensure_eq!(s(st.read(|tx| tx.count(&KeyRange::all())))?, 2);
    // A non-retryable closure error is not retried.
    let runs = AtomicU32::new(0);
    let r: std::result::Result<(), AppError> = st.write(|_| {
        runs.fetch_add(1, Ordering::SeqCst);
        Err(AppError::Rule)
    });
    ensure!(matches!(r, Err(AppError::Rule)), "rule error returned");
    ensure_eq!(runs.load(Ordering::SeqCst), 1);
    Ok(())
}

fn check_nested(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let inner = s(st.write(|tx| {
        tx.put(b"n", b"1")?;
        Ok(st.read(|r| r.get(b"n")))
    }))?;
    ensure!(
        matches!(inner, Err(StoreError::Nested)),
        "nested read rejected: {inner:?}"
    );
    let inner = s(st.read(|_| Ok(st.write(|tx| tx.put(b"m", b"1")))))?;
    ensure!(
        matches!(inner, Err(StoreError::Nested)),
        "nested write rejected"
    );
    ensure_eq!(s(st.read(|tx| tx.get(b"n")))?, Some(b"1".to_vec()));
    ensure_eq!(s(st.read(|tx| tx.get(b"m")))?, None);
    Ok(())
}

fn check_reset(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    fill(&st, &[b"a", b"b", b"\xff"])?;
    s(st.reset())?;
    ensure_eq!(s(st.read(|tx| tx.count(&KeyRange::all())))?, 0);
    fill(&st, &[b"c"])?;
    ensure_eq!(s(st.read(|tx| tx.count(&KeyRange::all())))?, 1);
    Ok(())
}

fn check_large(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let big: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
    s(st.write(|tx| {
        tx.put(b"big", &big)?;
        for i in 0u32..2000 {
            tx.put(
                &Key::new().str("many").u64(u64::from(i)).into_bytes(),
                &i.to_be_bytes(),
            )?;
        }
        Ok(())
    }))?;
    ensure!(
        s(st.read(|tx| tx.get(b"big")))?.as_deref() == Some(big.as_slice()),
        "big value round-trips"
    );
    ensure_eq!(
        s(st.read(|tx| tx.count_prefix(Key::new().str("many").as_bytes())))?,
        2000
    );
    Ok(())
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct User {
    id: String,
    name: String,
    groups: Vec<String>,
}

fn user_table() -> Table<User> {
    Table::new("user")
        .index(Index::unique("by_id", |u: &User| {
            vec![Key::new().str(&u.id)]
        }))
        .index(Index::multi("by_group", |u: &User| {
            u.groups.iter().map(|g| Key::new().str(g)).collect()
        }))
}

fn check_table(factory: Factory<'_>) -> CheckResult {
    let st = store(factory)?;
    let users = user_table();
    let acct = Key::new().str("111111111111");
    let user = |id: &str, name: &str, groups: &[&str]| User {
        id: id.into(),
        name: name.into(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    };
    let alice = user("AIDA1", "alice", &["admins", "dev"]);
    let bob = user("AIDA2", "bob", &["dev"]);
    s(st.write(|tx| {
        users.put(tx, &acct.clone().str("alice"), &alice)?;
        users.put(tx, &acct.clone().str("bob"), &bob)?;
        users.put(
            tx,
            &Key::new().str("222222222222").str("carol"),
            &user("AIDA3", "carol", &[]),
        )?;
        // A string that extends the account id must not show up in the account's listing.
        users.put(
            tx,
            &Key::new().str("111111111111\0").str("zed"),
            &user("AIDA7", "zed", &[]),
        )
    }))?;
    let got = s(st.read(|tx| users.get(tx, &acct.clone().str("alice"))))?;
    ensure_eq!(got, Some(alice.clone()));
    let by_id = s(st.read(|tx| users.get_by(tx, "by_id", &Key::new().str("AIDA2"))))?;
    ensure_eq!(by_id, Some((acct.clone().str("bob"), bob.clone())));
    let dev = s(st.read(|tx| users.scan_index(tx, "by_group", &Key::new().str("dev"), None, 10)))?;
    ensure_eq!(
        dev.items
            .iter()
            .map(|(_, u)| u.name.clone())
            .collect::<Vec<_>>(),
        vec!["alice", "bob"]
    );
    let page = s(st.read(|tx| users.scan(tx, &acct, None, 1)))?;
    ensure_eq!(page.items.len(), 1);
    let page2 = s(st.read(|tx| users.scan(tx, &acct, page.next.as_deref(), 1)))?;
    ensure_eq!(
        page2.items.first().map(|(k, _)| k.clone()),
        Some(acct.clone().str("bob"))
    );
    ensure!(page2.next.is_none(), "last page");
    ensure_eq!(s(st.read(|tx| users.count(tx, &acct)))?, 2);
    // Unique violation rolls the whole transaction back.
    let r = st.write(|tx| {
        users.put(tx, &acct.clone().str("dave"), &user("AIDA9", "dave", &[]))?;
        users.put(tx, &acct.clone().str("eve"), &user("AIDA1", "eve", &[]))
    });
    ensure!(
        matches!(r, Err(StoreError::UniqueViolation { index: "by_id", .. })),
        "unique violation: {r:?}"
    );
    ensure_eq!(
        s(st.read(|tx| users.get(tx, &acct.clone().str("dave"))))?,
        None
    );
    // Updating moves index entries; insert refuses existing keys.
    s(st.write(|tx| {
        users.put(
            tx,
            &acct.clone().str("alice"),
            &user("AIDA1", "alice", &["ops"]),
        )
    }))?;
    let dev = s(st.read(|tx| users.scan_index(tx, "by_group", &Key::new().str("dev"), None, 10)))?;
    ensure_eq!(dev.items.len(), 1);
    ensure!(
        !s(st.write(|tx| users.insert(tx, &acct.clone().str("bob"), &alice)))?,
        "insert refuses"
    );
    // Delete removes index entries.
    let old = s(st.write(|tx| users.delete(tx, &acct.clone().str("bob"))))?;
    ensure_eq!(old, Some(bob));
    ensure_eq!(
        s(st.read(|tx| users.get_by(tx, "by_id", &Key::new().str("AIDA2"))))?,
        None
    );
    ensure_eq!(s(st.write(|tx| users.delete_prefix(tx, &acct)))?, 1);
    let ops = s(st.read(|tx| users.scan_index(tx, "by_group", &Key::new().str("ops"), None, 10)))?;
    ensure!(ops.items.is_empty(), "index emptied by delete_prefix");
    // Only carol's and zed's records and index entries remain.
    ensure_eq!(s(st.read(|tx| tx.count(&KeyRange::all())))?, 4);
    // An unknown index is a usage error.
    let r = st.read(|tx| users.get_by(tx, "nope", &Key::new()));
    ensure!(matches!(r, Err(StoreError::Usage(_))), "unknown index");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqliteBackend;

    /// A backend that never commits must fail the suite (the suite is not vacuous).
    #[test]
    fn broken_backend_fails() {
        let r = run(&|| {
            Ok(Arc::new(Flaky {
                inner: Arc::new(SqliteBackend::in_memory()?),
                commit_failures: AtomicU32::new(u32::MAX),
                put_failures: AtomicU32::new(0),
            }) as Arc<dyn Backend>)
        });
        let failures = r.unwrap_err();
        assert!(failures.contains("crud:"), "{failures}");
        assert!(
            failures.contains("failed_write_leaves_no_trace:") || failures.contains("on_commit:")
        );
    }
}
