//! The backend contract: a transactional ordered key-value store.
//!
//! A backend provides serializable transactions over byte keys ordered bytewise. The
//! [`crate::Store`] handle adds retries, commit hooks and nesting checks on top, so a
//! backend only has to implement these primitives. Every backend must pass
//! [`crate::conformance::run`].

use crate::error::Result;
use crate::range::KeyRange;

/// A key-value pair returned by scans.
pub type Entry = (Vec<u8>, Vec<u8>);

/// A storage engine. Object safe so the store can hold `Arc<dyn Backend>`.
pub trait Backend: Send + Sync {
    /// Starts a read transaction that sees one consistent committed snapshot.
    fn begin_read(&self) -> Result<Box<dyn ReadTxn + '_>>;
    /// Starts a write transaction. Write transactions are serializable with respect to each
    /// other and to readers; the backend may block until earlier writers finish.
    fn begin_write(&self) -> Result<Box<dyn WriteTxn + '_>>;
    /// A short human-readable name for logs ("sqlite-file", "sqlite-memory", ...).
    fn name(&self) -> &'static str;
}

/// Operations available in every transaction.
pub trait ReadTxn {
    /// The value stored under `key`.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Entries in `range`, ascending (or descending when `reverse`), at most `limit`.
    fn scan(&self, range: &KeyRange, limit: Option<usize>, reverse: bool) -> Result<Vec<Entry>>;
    /// Number of keys in `range`.
    fn count(&self, range: &KeyRange) -> Result<u64>;
    /// Ends the read transaction (releasing its snapshot). Dropping without calling this
    /// must also release it.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Operations of a write transaction. Dropping one without `commit` rolls it back.
pub trait WriteTxn: ReadTxn {
    /// Inserts or replaces the value of `key`.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()>;
    /// Removes `key`; true when it existed.
    fn delete(&mut self, key: &[u8]) -> Result<bool>;
    /// Removes every key in `range`; returns how many.
    fn delete_range(&mut self, range: &KeyRange) -> Result<u64>;
    /// Makes every change durable (to the configured durability level) and visible.
    fn commit(self: Box<Self>) -> Result<()>;
    /// Discards every change.
    fn rollback(self: Box<Self>) -> Result<()>;
}
