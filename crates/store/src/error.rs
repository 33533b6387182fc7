//! The store's error type.

/// Errors raised by the store and its typed layers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend is momentarily busy (lock held by another process, serialization failure).
    /// [`crate::Store::write`] retries the transaction on this error.
    #[error("store busy: {0}")]
    Busy(String),
    /// Any other backend failure (I/O, SQL, connection).
    #[error("store backend error: {0}")]
    Backend(String),
    /// Stored bytes could not be decoded (bad key encoding, bad value envelope, bad JSON).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A value could not be serialized.
    #[error("cannot encode value: {0}")]
    Encode(String),
    /// A unique secondary index already maps the key to another record.
    #[error("unique index {table}.{index} already holds this key")]
    UniqueViolation {
        /// The table the index belongs to.
        table: &'static str,
        /// The index name.
        index: &'static str,
    },
    /// `Store::read`/`Store::write` was called from inside another transaction closure on
    /// the same thread, which would deadlock.
    #[error("nested store transaction on the same thread")]
    Nested,
    /// The API was used in a way it does not support (for example an unknown index name).
    #[error("store usage error: {0}")]
    Usage(String),
    /// Opening the store failed (directory, file, pragmas).
    #[error("cannot open store: {0}")]
    Open(String),
}

impl StoreError {
    /// True when retrying the whole transaction may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }
}

/// Shorthand for results with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
