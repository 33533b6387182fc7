//! The user-facing handle: [`Store`], [`ReadTx`], [`WriteTx`].

use std::cell::Cell;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::backend::{Backend, Entry, ReadTxn, WriteTxn};
use crate::error::{Result, StoreError};
use crate::range::{KeyRange, Page};
use crate::sqlite::{SqliteBackend, StoreOptions};

/// How many times [`Store::write`] runs a transaction that keeps failing with a retryable
/// error before giving up.
pub const MAX_WRITE_ATTEMPTS: u32 = 8;

/// A callback run after a successful commit.
pub type CommitHook = Box<dyn FnOnce() + Send>;

/// Reads inside a transaction. Every read of one transaction sees the same committed snapshot.
pub trait ReadTx {
    /// The value stored under `key`.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Entries in `range`, ascending or (with `reverse`) descending, at most `limit`.
    fn scan(&self, range: &KeyRange, limit: Option<usize>, reverse: bool) -> Result<Vec<Entry>>;
    /// Number of keys in `range`.
    fn count(&self, range: &KeyRange) -> Result<u64>;

    /// True when `key` exists.
    fn contains(&self, key: &[u8]) -> Result<bool> {
        Ok(self.get(key)?.is_some())
    }

    /// All entries whose key starts with the raw bytes `prefix`, ascending, at most `limit`.
    /// For tuple keys use `scan(&key.prefix_range(), ..)` instead: a raw byte prefix of
    /// `("a", "user")` also matches `("a", "user\0x")`.
    fn scan_prefix(&self, prefix: &[u8], limit: Option<usize>) -> Result<Vec<Entry>> {
        self.scan(&KeyRange::prefix(prefix), limit, false)
    }

    /// Number of keys starting with the raw bytes `prefix` (see [`ReadTx::scan_prefix`]).
    fn count_prefix(&self, prefix: &[u8]) -> Result<u64> {
        self.count(&KeyRange::prefix(prefix))
    }

    /// One page of `range`: entries strictly after `after` (strictly before it when
    /// `reverse`), at most `limit` of them. `Page::next` is set when more entries follow.
    fn scan_page(
        &self,
        range: &KeyRange,
        after: Option<&[u8]>,
        limit: usize,
        reverse: bool,
    ) -> Result<Page<Entry>> {
        let mut range = range.clone();
        if let Some(after) = after {
            range = if reverse {
                range.before(after)
            } else {
                range.after(after)
            };
        }
        let mut items = self.scan(&range, Some(limit.saturating_add(1)), reverse)?;
        let next = if items.len() > limit {
            items.truncate(limit);
            // With limit 0 there is no last item to continue from: continue from `after`.
            match items.last() {
                Some((k, _)) => Some(k.clone()),
                None => Some(after.map(<[u8]>::to_vec).unwrap_or_default()),
            }
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

/// Reads and writes inside a write transaction. All changes commit together or not at all.
pub trait WriteTx: ReadTx {
    /// Inserts or replaces the value of `key`.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()>;
    /// Removes `key`; true when it existed.
    fn delete(&mut self, key: &[u8]) -> Result<bool>;
    /// Removes every key in `range`; returns how many.
    fn delete_range(&mut self, range: &KeyRange) -> Result<u64>;
    /// Registers `hook` to run after this transaction commits (never if it rolls back or is
    /// retried: a retried attempt registers its hooks again). Hooks run in registration
    /// order on the committing thread, outside the transaction.
    fn on_commit(&mut self, hook: CommitHook);
    /// This transaction as a read transaction (for helpers that take `&dyn ReadTx`).
    fn as_read(&self) -> &dyn ReadTx;

    /// Removes every key starting with the raw bytes `prefix`; returns how many. For tuple
    /// keys use `delete_range(&key.prefix_range())`.
    fn delete_prefix(&mut self, prefix: &[u8]) -> Result<u64> {
        self.delete_range(&KeyRange::prefix(prefix))
    }
}

thread_local! {
    static IN_TXN: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current thread as inside a transaction closure; refuses nesting.
struct NestGuard;

impl NestGuard {
    fn enter() -> Result<NestGuard> {
        if IN_TXN.with(|c| c.replace(true)) {
            return Err(StoreError::Nested);
        }
        Ok(NestGuard)
    }
}

impl Drop for NestGuard {
    fn drop(&mut self) {
        IN_TXN.with(|c| c.set(false));
    }
}

/// Remembers whether any operation hit a retryable error, since the closure's own error type
/// may hide it.
#[derive(Default)]
struct RetryFlag(Cell<bool>);

impl RetryFlag {
    fn watch<T>(&self, r: Result<T>) -> Result<T> {
        if let Err(e) = &r {
            if e.is_retryable() {
                self.0.set(true);
            }
        }
        r
    }
}

struct ReadHandle<'a> {
    inner: Box<dyn ReadTxn + 'a>,
}

impl ReadTx for ReadHandle<'_> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.inner.get(key)
    }
    fn scan(&self, range: &KeyRange, limit: Option<usize>, reverse: bool) -> Result<Vec<Entry>> {
        self.inner.scan(range, limit, reverse)
    }
    fn count(&self, range: &KeyRange) -> Result<u64> {
        self.inner.count(range)
    }
}

struct WriteHandle<'a> {
    inner: Box<dyn WriteTxn + 'a>,
    hooks: Vec<CommitHook>,
    retry: RetryFlag,
}

impl ReadTx for WriteHandle<'_> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.retry.watch(self.inner.get(key))
    }
    fn scan(&self, range: &KeyRange, limit: Option<usize>, reverse: bool) -> Result<Vec<Entry>> {
        self.retry.watch(self.inner.scan(range, limit, reverse))
    }
    fn count(&self, range: &KeyRange) -> Result<u64> {
        self.retry.watch(self.inner.count(range))
    }
}

impl WriteTx for WriteHandle<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        let r = self.inner.put(key, value);
        self.retry.watch(r)
    }
    fn delete(&mut self, key: &[u8]) -> Result<bool> {
        let r = self.inner.delete(key);
        self.retry.watch(r)
    }
    fn delete_range(&mut self, range: &KeyRange) -> Result<u64> {
        let r = self.inner.delete_range(range);
        self.retry.watch(r)
    }
    fn on_commit(&mut self, hook: CommitHook) {
        self.hooks.push(hook);
    }
    fn as_read(&self) -> &dyn ReadTx {
        self
    }
}

/// The durable transactional state. Cheap to clone; share it across threads.
///
/// All methods are synchronous and may block (on the write lock, on disk I/O): call them
/// from `tokio::task::spawn_blocking` in async code. Do not call `read`/`write` from inside
/// another transaction's closure on the same thread: that returns [`StoreError::Nested`].
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend.name())
            .finish()
    }
}

impl Store {
    /// Opens (creating if missing) the SQLite database `localorg.db` in `dir`, WAL mode,
    /// [`crate::Durability::Normal`].
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, &StoreOptions::default())
    }

    /// Opens the SQLite database in `dir` with explicit options.
    pub fn open_with(dir: &Path, options: &StoreOptions) -> Result<Store> {
        Ok(Store::from_backend(Arc::new(SqliteBackend::open(
            dir, options,
        )?)))
    }

    /// A fresh, private in-memory store (SQLite's `memdb` VFS, one connection; transactions run
    /// one at a time).
    pub fn in_memory() -> Result<Store> {
        Ok(Store::from_backend(Arc::new(SqliteBackend::in_memory()?)))
    }

    /// A store over any backend.
    pub fn from_backend(backend: Arc<dyn Backend>) -> Store {
        Store { backend }
    }

    /// The backend's name, for logs.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// Runs `f` in a read transaction over one consistent committed snapshot.
    pub fn read<T, E>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let _nest = NestGuard::enter()?;
        let txn = ReadHandle {
            inner: self.backend.begin_read()?,
        };
        let out = f(&txn);
        // Ending a read transaction cannot lose data; report its failure only when `f` succeeded.
        let fin = txn.inner.finish();
        let value = out?;
        fin?;
        Ok(value)
    }

    /// Runs `f` in a write transaction and commits. Any `Err` from `f` rolls everything back
    /// and is returned. When the backend reports a retryable conflict (busy, serialization
    /// failure) during `f` or at commit, the whole transaction is rolled back and `f` runs
    /// again (up to [`MAX_WRITE_ATTEMPTS`] times), so `f` must not have side effects outside
    /// the transaction: use [`WriteTx::on_commit`] for those.
    pub fn write<T, E>(&self, mut f: impl FnMut(&mut dyn WriteTx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let (value, hooks) = {
            let _nest = NestGuard::enter()?;
            self.write_attempts(&mut f)?
        };
        // Hooks run outside the transaction and outside the nesting guard, so they may use
        // the store themselves.
        for hook in hooks {
            hook();
        }
        Ok(value)
    }

    fn write_attempts<T, E>(
        &self,
        f: &mut impl FnMut(&mut dyn WriteTx) -> Result<T, E>,
    ) -> Result<(T, Vec<CommitHook>), E>
    where
        E: From<StoreError>,
    {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let last = attempt >= MAX_WRITE_ATTEMPTS;
            let inner = match self.backend.begin_write() {
                Ok(t) => t,
                Err(e) if e.is_retryable() && !last => {
                    backoff(attempt);
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let mut txn = WriteHandle {
                inner,
                hooks: Vec::new(),
                retry: RetryFlag::default(),
            };
            match f(&mut txn) {
                Ok(value) => {
                    let hooks = std::mem::take(&mut txn.hooks);
                    match txn.inner.commit() {
                        Ok(()) => return Ok((value, hooks)),
                        Err(e) if e.is_retryable() && !last => {
                            tracing::debug!(attempt, error = %e, "write commit busy; retrying");
                            backoff(attempt);
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(err) => {
                    let retry = txn.retry.0.get();
                    if let Err(e) = txn.inner.rollback() {
                        tracing::warn!(error = %e, "rollback failed");
                    }
                    if !retry || last {
                        return Err(err);
                    }
                    tracing::debug!(attempt, "write transaction hit a retryable error; retrying");
                    backoff(attempt);
                }
            }
        }
    }

    /// Deletes every key (for `POST /_localorg/reset`). Callers invalidate their own caches.
    pub fn reset(&self) -> Result<()> {
        self.write(|tx| tx.delete_range(&KeyRange::all()).map(|_| ()))
    }
}

fn backoff(attempt: u32) {
    let micros = 200u64.saturating_mul(1u64 << attempt.min(10));
    std::thread::sleep(Duration::from_micros(micros));
}
