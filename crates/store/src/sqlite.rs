//! The SQLite backend (default, embedded).
//!
//! Layout: one table `kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID`; SQLite compares BLOBs
//! with `memcmp` then length, which is exactly the bytewise key order the store promises.
//!
//! File mode: one writer connection behind a mutex (SQLite has a single writer anyway), write
//! transactions use `BEGIN IMMEDIATE` so they take the write lock up front and never hit a
//! snapshot upgrade failure; readers use a small pool of connections and `BEGIN` (deferred),
//! which in WAL mode gives each read transaction a stable snapshot without blocking the
//! writer or other readers.
//!
//! Memory mode: one connection to a private database of the `memdb` VFS (memory laid out as a
//! file; `:memory:` databases made every commit scan the whole page cache) behind a mutex serves
//! reads and writes, so
//! transactions are simply serialized. Same SQL, same semantics, no files; throughput is
//! plenty for throwaway and test runs.
//!
//! Durability: WAL with `synchronous=NORMAL` (the default, [`Durability::Normal`]) writes each
//! commit's WAL frames with `write(2)` before `COMMIT` returns but fsyncs only at checkpoints.
//! The frames live in the OS page cache, so an acknowledged commit survives the process being
//! killed (`kill -9`, panic, OOM) but may be lost on power loss or a kernel crash.
//! [`Durability::Full`] fsyncs the WAL on every commit and survives power loss, at the cost of
//! one fsync per write transaction.

use std::ops::{Bound, Deref};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, ToSql};

use crate::backend::{Backend, Entry, ReadTxn, WriteTxn};
use crate::error::{Result, StoreError};
use crate::range::KeyRange;

/// File name of the database inside the data directory.
pub const DB_FILE_NAME: &str = "localorg.db";

/// On-disk format version, kept in `PRAGMA user_version`.
const FORMAT_VERSION: i64 = 1;

/// How hard a commit works to survive failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// WAL + `synchronous=NORMAL`: acknowledged commits survive a crash or `kill -9` of the
    /// process (the WAL frames are already in the OS page cache), not a power loss.
    #[default]
    Normal,
    /// WAL + `synchronous=FULL`: the WAL is fsynced on every commit; acknowledged commits
    /// survive power loss.
    Full,
}

/// Options for [`crate::Store::open_with`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Commit durability.
    pub durability: Durability,
    /// How many idle read connections to keep (file mode). More are opened on demand.
    pub max_idle_readers: usize,
    /// How long to wait for a lock held by another process before reporting busy.
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            durability: Durability::Normal,
            max_idle_readers: 8,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

fn map_err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Busy(e.to_string())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

fn open_err(e: rusqlite::Error) -> StoreError {
    StoreError::Open(e.to_string())
}

/// The SQLite backend.
pub struct SqliteBackend {
    mode: Mode,
}

enum Mode {
    File {
        writer: Mutex<Connection>,
        readers: Pool,
    },
    Memory {
        conn: Mutex<Connection>,
    },
}

struct Pool {
    path: PathBuf,
    busy_timeout: Duration,
    max_idle: usize,
    idle: Mutex<Vec<Connection>>,
}

impl Pool {
    fn get(&self) -> Result<PooledConn<'_>> {
        let reused = lock(&self.idle).pop();
        let conn = match reused {
            Some(c) => c,
            None => open_reader(&self.path, self.busy_timeout)?,
        };
        Ok(PooledConn {
            pool: self,
            conn: Some(conn),
        })
    }
}

struct PooledConn<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Deref for PooledConn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // `conn` is only taken in `drop`.
        match &self.conn {
            Some(c) => c,
            None => unreachable_conn(),
        }
    }
}

#[expect(
    clippy::panic,
    reason = "PooledConn::conn is Some until drop; unreachable"
)]
fn unreachable_conn() -> ! {
    panic!("pooled connection used after release")
}

impl Drop for PooledConn<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Only recycle connections that are cleanly outside a transaction.
            if conn.is_autocommit() {
                let mut idle = lock(&self.pool.idle);
                if idle.len() < self.pool.max_idle {
                    idle.push(conn);
                }
            }
        }
    }
}

/// Locks a mutex, ignoring poisoning: every transaction rolls back in `Drop`, so a panic
/// inside a closure leaves the connection consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn configure_common(conn: &Connection, busy_timeout: Duration) -> Result<()> {
    conn.busy_timeout(busy_timeout).map_err(open_err)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn open_reader(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let conn = Connection::open(path).map_err(open_err)?;
    configure_common(&conn, busy_timeout)?;
    conn.pragma_update(None, "query_only", true)
        .map_err(open_err)?;
    Ok(conn)
}

fn init_schema(conn: &Connection) -> Result<()> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(open_err)?;
    if version > FORMAT_VERSION {
        return Err(StoreError::Open(format!(
            "database format version {version} is newer than this build supports ({FORMAT_VERSION})"
        )));
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID;",
    )
    .map_err(open_err)?;
    if version < FORMAT_VERSION {
        conn.pragma_update(None, "user_version", FORMAT_VERSION)
            .map_err(open_err)?;
    }
    Ok(())
}

impl SqliteBackend {
    /// Opens (creating if needed) `dir/localorg.db` in WAL mode.
    pub fn open(dir: &Path, options: &StoreOptions) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        let path = dir.join(DB_FILE_NAME);
        let writer = Connection::open(&path).map_err(open_err)?;
        configure_common(&writer, options.busy_timeout)?;
        let mode: String = writer
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open(format!(
                "cannot switch {} to WAL mode (got {mode})",
                path.display()
            )));
        }
        let sync = match options.durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        writer
            .pragma_update(None, "synchronous", sync)
            .map_err(open_err)?;
        init_schema(&writer)?;
        tracing::debug!(path = %path.display(), durability = ?options.durability, "opened sqlite store");
        Ok(SqliteBackend {
            mode: Mode::File {
                writer: Mutex::new(writer),
                readers: Pool {
                    path,
                    busy_timeout: options.busy_timeout,
                    max_idle: options.max_idle_readers,
                    idle: Mutex::new(Vec::new()),
                },
            },
        })
    }

    /// A private in-memory database (one connection; transactions are serialized).
    pub fn in_memory() -> Result<Self> {
        // The `memdb` VFS keeps the database in memory as a file would be: SQLite's `:memory:`
        // databases live in the page cache instead, and every commit then scans that whole cache
        // (`pcache1Truncate`), so commits grow slower as the database grows.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("file:localorg-{}-{n}?vfs=memdb", std::process::id());
        let conn = Connection::open_with_flags(
            name,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
                | rusqlite::OpenFlags::SQLITE_OPEN_CREATE
                | rusqlite::OpenFlags::SQLITE_OPEN_URI
                | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "MEMORY")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "OFF")
            .map_err(open_err)?;
        configure_common(&conn, Duration::from_secs(5))?;
        init_schema(&conn)?;
        Ok(SqliteBackend {
            mode: Mode::Memory {
                conn: Mutex::new(conn),
            },
        })
    }
}

impl Backend for SqliteBackend {
    fn begin_read(&self) -> Result<Box<dyn ReadTxn + '_>> {
        match &self.mode {
            Mode::File { readers, .. } => Ok(Box::new(SqliteTxn::begin(readers.get()?, "BEGIN")?)),
            Mode::Memory { conn } => Ok(Box::new(SqliteTxn::begin(lock(conn), "BEGIN")?)),
        }
    }

    fn begin_write(&self) -> Result<Box<dyn WriteTxn + '_>> {
        let conn = match &self.mode {
            Mode::File { writer, .. } => lock(writer),
            Mode::Memory { conn } => lock(conn),
        };
        Ok(Box::new(SqliteTxn::begin(conn, "BEGIN IMMEDIATE")?))
    }

    fn name(&self) -> &'static str {
        match self.mode {
            Mode::File { .. } => "sqlite-file",
            Mode::Memory { .. } => "sqlite-memory",
        }
    }
}

/// A transaction on a borrowed connection. Rolls back on drop unless finished.
struct SqliteTxn<C: Deref<Target = Connection>> {
    conn: C,
    open: bool,
}

impl<C: Deref<Target = Connection>> SqliteTxn<C> {
    fn begin(conn: C, begin_sql: &str) -> Result<Self> {
        if !conn.is_autocommit() {
            // A previous user left a transaction open (should not happen); clear it.
            conn.execute_batch("ROLLBACK").map_err(map_err)?;
        }
        conn.prepare_cached(begin_sql)
            .and_then(|mut s| s.execute([]))
            .map_err(map_err)?;
        Ok(SqliteTxn { conn, open: true })
    }

    fn end(&mut self, sql: &str) -> Result<()> {
        self.open = false;
        let res = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute([]))
            .map(|_| ())
            .map_err(map_err);
        if res.is_err() && !self.conn.is_autocommit() {
            // COMMIT failed (e.g. busy): the transaction is still open; abandon it.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        res
    }
}

impl<C: Deref<Target = Connection>> Drop for SqliteTxn<C> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rollback on drop failed");
            }
        }
    }
}

/// Builds the WHERE clause for a range, pushing the bound values.
fn where_clause<'a>(range: &'a KeyRange, binds: &mut Vec<&'a dyn ToSql>) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(2);
    match &range.start {
        Bound::Unbounded => {}
        Bound::Included(k) => {
            parts.push("k >= ?");
            binds.push(k);
        }
        Bound::Excluded(k) => {
            parts.push("k > ?");
            binds.push(k);
        }
    }
    match &range.end {
        Bound::Unbounded => {}
        Bound::Included(k) => {
            parts.push("k <= ?");
            binds.push(k);
        }
        Bound::Excluded(k) => {
            parts.push("k < ?");
            binds.push(k);
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", parts.join(" AND "))
    }
}

impl<C: Deref<Target = Connection>> ReadTxn for SqliteTxn<C> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT v FROM kv WHERE k = ?1")
            .map_err(map_err)?;
        stmt.query_row(rusqlite::params![key], |r| r.get::<_, Vec<u8>>(0))
            .optional()
            .map_err(map_err)
    }

    fn scan(&self, range: &KeyRange, limit: Option<usize>, reverse: bool) -> Result<Vec<Entry>> {
        let mut binds: Vec<&dyn ToSql> = Vec::with_capacity(3);
        let clause = where_clause(range, &mut binds);
        let limit_val: i64 = limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        binds.push(&limit_val);
        let sql = format!(
            "SELECT k, v FROM kv{clause} ORDER BY k {} LIMIT ?",
            if reverse { "DESC" } else { "ASC" }
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(map_err)?;
        let mut rows = stmt.query(&binds[..]).map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_err)? {
            out.push((
                row.get::<_, Vec<u8>>(0).map_err(map_err)?,
                row.get::<_, Vec<u8>>(1).map_err(map_err)?,
            ));
        }
        Ok(out)
    }

    fn count(&self, range: &KeyRange) -> Result<u64> {
        let mut binds: Vec<&dyn ToSql> = Vec::with_capacity(2);
        let clause = where_clause(range, &mut binds);
        let sql = format!("SELECT COUNT(*) FROM kv{clause}");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(map_err)?;
        let n: i64 = stmt.query_row(&binds[..], |r| r.get(0)).map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.end("ROLLBACK")
    }
}

impl<C: Deref<Target = Connection>> WriteTxn for SqliteTxn<C> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO kv (k, v) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            )
            .map_err(map_err)?;
        stmt.execute(rusqlite::params![key, value])
            .map(|_| ())
            .map_err(map_err)
    }

    fn delete(&mut self, key: &[u8]) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM kv WHERE k = ?1")
            .map_err(map_err)?;
        stmt.execute(rusqlite::params![key])
            .map(|n| n > 0)
            .map_err(map_err)
    }

    fn delete_range(&mut self, range: &KeyRange) -> Result<u64> {
        let mut binds: Vec<&dyn ToSql> = Vec::with_capacity(2);
        let clause = where_clause(range, &mut binds);
        let sql = format!("DELETE FROM kv{clause}");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(map_err)?;
        let n = stmt.execute(&binds[..]).map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.end("COMMIT")
    }

    fn rollback(mut self: Box<Self>) -> Result<()> {
        self.end("ROLLBACK")
    }
}
