//! localorg-store: the durable transactional state of localorg.
//!
//! Layers, bottom up:
//! - [`backend`]: the object-safe engine contract ([`Backend`], [`ReadTxn`], [`WriteTxn`]):
//!   serializable transactions over bytewise-ordered byte keys. [`SqliteBackend`] is the
//!   default engine (file in WAL mode, or `:memory:`); every engine must pass
//!   [`conformance::run`].
//! - [`Store`]: the cheap-to-clone handle services use. `store.read(|tx| ...)` and
//!   `store.write(|tx| ...)` run closures in transactions; a write is all-or-nothing, may be
//!   retried on a busy/serialization failure, and runs `tx.on_commit` hooks after commit.
//! - [`Key`]: order-preserving tuple encoding (`Key::new().str(account).str("user").str(name)`).
//! - [`Table`]: typed serde records in a version envelope with secondary [`Index`]es.
//! - [`encode_token`] / [`decode_token`]: opaque, tamper-evident pagination tokens.
//!
//! ```
//! use localorg_store::{Key, Store, StoreError, Table};
//! # fn main() -> Result<(), StoreError> {
//! let store = Store::in_memory()?;
//! let users: Table<String> = Table::new("user");
//! store.write(|tx| users.put(tx, &Key::new().str("000000000000").str("alice"), &"Alice".to_string()))?;
//! let page = store.read(|tx| users.scan(tx, &Key::new().str("000000000000"), None, 10))?;
//! assert_eq!(page.items.len(), 1);
//! assert!(page.next.is_none());
//! # Ok(()) }
//! ```

pub mod backend;
pub mod conformance;
mod error;
pub mod key;
mod range;
pub mod sqlite;
mod store;
pub mod table;
mod token;

pub use backend::{Backend, Entry, ReadTxn, WriteTxn};
pub use error::{Result, StoreError};
pub use key::{Key, KeyDecoder, KeyError, KeyPart};
pub use range::{prefix_successor, KeyRange, Page};
pub use sqlite::{Durability, SqliteBackend, StoreOptions, DB_FILE_NAME};
pub use store::{CommitHook, ReadTx, Store, WriteTx, MAX_WRITE_ATTEMPTS};
pub use table::{Index, Table};
pub use token::{decode_token, encode_token, InvalidToken, MAX_TOKEN_LEN};
