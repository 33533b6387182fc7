//! Typed tables: serde values in a version envelope, under order-preserving keys, with
//! secondary indexes maintained in the same transaction.
//!
//! Layout of the raw key space:
//! - record: `(table_name: str) ++ primary_key`
//! - unique index entry: `(1: u64, table_name: str, index_name: str) ++ index_key` -> primary key
//! - multi index entry: `(1: u64, table_name: str, index_name: str) ++ index_key ++ primary_key`
//!   -> primary key
//!
//! Records and index entries cannot collide because their first parts have different types.
//!
//! Value envelope: `[0x01 = JSON][schema version: u8][serde_json bytes]`. A table declares its
//! current schema version and, optionally, a migration that upgrades older JSON on read
//! (records are rewritten in the new version the next time they are put).

use std::collections::BTreeSet;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::key::Key;
use crate::range::Page;
use crate::store::{ReadTx, WriteTx};

/// Envelope format byte for serde_json payloads.
pub const ENVELOPE_JSON: u8 = 0x01;
/// First key part (a u64) of the index key space.
const INDEX_NAMESPACE: u64 = 1;

/// Upgrades a record's JSON from an older schema version to the table's current one.
pub type Migration =
    fn(from_version: u8, value: serde_json::Value) -> Result<serde_json::Value, String>;

/// Computes the index keys of a record (zero, one or many).
pub type IndexKeys<V> = fn(&V) -> Vec<Key>;

/// A secondary index definition.
pub struct Index<V> {
    name: &'static str,
    unique: bool,
    keys: IndexKeys<V>,
}

impl<V> Index<V> {
    /// An index whose keys map to at most one record each; putting a second record with
    /// the same index key fails with [`StoreError::UniqueViolation`].
    pub fn unique(name: &'static str, keys: IndexKeys<V>) -> Self {
        Index {
            name,
            unique: true,
            keys,
        }
    }

    /// An index whose keys may map to many records.
    pub fn multi(name: &'static str, keys: IndexKeys<V>) -> Self {
        Index {
            name,
            unique: false,
            keys,
        }
    }

    /// The index name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A typed table of `V` records keyed by tuple [`Key`]s.
pub struct Table<V> {
    name: &'static str,
    schema_version: u8,
    migrate: Option<Migration>,
    indexes: Vec<Index<V>>,
    _v: PhantomData<fn() -> V>,
}

impl<V> std::fmt::Debug for Table<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("schema_version", &self.schema_version)
            .field(
                "indexes",
                &self.indexes.iter().map(|i| i.name).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<V: Serialize + DeserializeOwned> Table<V> {
    /// A table named `name` (unique across the store), schema version 1, no indexes.
    pub fn new(name: &'static str) -> Self {
        Table {
            name,
            schema_version: 1,
            migrate: None,
            indexes: Vec::new(),
            _v: PhantomData,
        }
    }

    /// Sets the current schema version and the migration for older records.
    #[must_use]
    pub fn schema(mut self, version: u8, migrate: Option<Migration>) -> Self {
        self.schema_version = version;
        self.migrate = migrate;
        self
    }

    /// Adds a secondary index.
    #[must_use]
    pub fn index(mut self, index: Index<V>) -> Self {
        self.indexes.push(index);
        self
    }

    /// The table name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The raw key prefix of every record of this table.
    pub fn prefix(&self) -> Key {
        Key::new().str(self.name)
    }

    /// The raw key of the record with primary key `pk`.
    pub fn record_key(&self, pk: &Key) -> Key {
        self.prefix().concat(pk)
    }

    fn index_prefix(&self, index: &str) -> Key {
        Key::new().u64(INDEX_NAMESPACE).str(self.name).str(index)
    }

    fn find_index(&self, name: &str) -> Result<&Index<V>> {
        self.indexes
            .iter()
            .find(|i| i.name == name)
            .ok_or_else(|| StoreError::Usage(format!("table {} has no index {name}", self.name)))
    }

    /// Encodes a value in the envelope.
    pub fn encode(&self, value: &V) -> Result<Vec<u8>> {
        let mut out = vec![ENVELOPE_JSON, self.schema_version];
        serde_json::to_writer(&mut out, value).map_err(|e| StoreError::Encode(e.to_string()))?;
        Ok(out)
    }

    /// Decodes a value from the envelope, migrating older schema versions.
    pub fn decode(&self, bytes: &[u8]) -> Result<V> {
        let corrupt = |m: String| StoreError::Corrupt(format!("table {}: {m}", self.name));
        let [format, version, json @ ..] = bytes else {
            return Err(corrupt("value shorter than its envelope".into()));
        };
        if *format != ENVELOPE_JSON {
            return Err(corrupt(format!("unknown envelope format {format}")));
        }
        if *version > self.schema_version {
            return Err(corrupt(format!(
                "schema version {version} is newer than {}",
                self.schema_version
            )));
        }
        match self.migrate {
            Some(migrate) if *version < self.schema_version => {
                let old: serde_json::Value =
                    serde_json::from_slice(json).map_err(|e| corrupt(e.to_string()))?;
                let new = migrate(*version, old).map_err(corrupt)?;
                serde_json::from_value(new).map_err(|e| corrupt(e.to_string()))
            }
            _ => serde_json::from_slice(json).map_err(|e| corrupt(e.to_string())),
        }
    }

    /// The record with primary key `pk`.
    pub fn get<T: ReadTx + ?Sized>(&self, tx: &T, pk: &Key) -> Result<Option<V>> {
        match tx.get(self.record_key(pk).as_bytes())? {
            Some(bytes) => self.decode(&bytes).map(Some),
            None => Ok(None),
        }
    }

    /// True when a record with primary key `pk` exists.
    pub fn contains<T: ReadTx + ?Sized>(&self, tx: &T, pk: &Key) -> Result<bool> {
        tx.contains(self.record_key(pk).as_bytes())
    }

    fn index_entries(&self, pk: &Key, value: &V) -> BTreeSet<(usize, Vec<u8>)> {
        let mut out = BTreeSet::new();
        for (i, index) in self.indexes.iter().enumerate() {
            for ikey in (index.keys)(value) {
                let mut raw = self.index_prefix(index.name).concat(&ikey);
                if !index.unique {
                    raw = raw.concat(pk);
                }
                out.insert((i, raw.into_bytes()));
            }
        }
        out
    }

    /// Inserts or replaces the record `pk`, updating its index entries.
    pub fn put(&self, tx: &mut dyn WriteTx, pk: &Key, value: &V) -> Result<()> {
        let record_key = self.record_key(pk);
        if !self.indexes.is_empty() {
            let old = match tx.get(record_key.as_bytes())? {
                Some(bytes) => self.index_entries(pk, &self.decode(&bytes)?),
                None => BTreeSet::new(),
            };
            let new = self.index_entries(pk, value);
            for stale in old.difference(&new) {
                tx.delete(&stale.1)?;
            }
            for (i, raw) in new.difference(&old) {
                if let Some(index) = self.indexes.get(*i) {
                    if index.unique {
                        if let Some(owner) = tx.get(raw)? {
                            if owner != pk.as_bytes() {
                                return Err(StoreError::UniqueViolation {
                                    table: self.name,
                                    index: index.name,
                                });
                            }
                        }
                    }
                }
                tx.put(raw, pk.as_bytes())?;
            }
        }
        tx.put(record_key.as_bytes(), &self.encode(value)?)
    }

    /// Inserts the record only if `pk` is free; false (and no change) when it exists.
    pub fn insert(&self, tx: &mut dyn WriteTx, pk: &Key, value: &V) -> Result<bool> {
        if self.contains(tx, pk)? {
            return Ok(false);
        }
        self.put(tx, pk, value)?;
        Ok(true)
    }

    /// Deletes the record `pk` and its index entries; returns the old value.
    pub fn delete(&self, tx: &mut dyn WriteTx, pk: &Key) -> Result<Option<V>> {
        let record_key = self.record_key(pk);
        let Some(bytes) = tx.get(record_key.as_bytes())? else {
            return Ok(None);
        };
        let old = self.decode(&bytes)?;
        for (_, raw) in self.index_entries(pk, &old) {
            tx.delete(&raw)?;
        }
        tx.delete(record_key.as_bytes())?;
        Ok(Some(old))
    }

    /// Deletes every record whose primary key extends `pk_prefix` (with index entries);
    /// returns how many.
    pub fn delete_prefix(&self, tx: &mut dyn WriteTx, pk_prefix: &Key) -> Result<u64> {
        let range = self.record_key(pk_prefix).prefix_range();
        if self.indexes.is_empty() {
            return tx.delete_range(&range);
        }
        let entries = tx.scan(&range, None, false)?;
        let table_prefix_len = self.prefix().as_bytes().len();
        let mut n = 0;
        for (raw, bytes) in entries {
            let pk = Key::from_bytes(raw.get(table_prefix_len..).unwrap_or_default().to_vec())?;
            for (_, ikey) in self.index_entries(&pk, &self.decode(&bytes)?) {
                tx.delete(&ikey)?;
            }
            tx.delete(&raw)?;
            n += 1;
        }
        Ok(n)
    }

    fn split_record(&self, raw: &[u8]) -> Result<Key> {
        let pfx = self.prefix();
        match raw.strip_prefix(pfx.as_bytes()) {
            Some(pk) => Ok(Key::from_bytes(pk.to_vec())?),
            None => Err(StoreError::Corrupt(format!(
                "key outside table {}",
                self.name
            ))),
        }
    }

    /// One page of records whose primary key extends `pk_prefix`, in key order, strictly
    /// after the raw key `after` (from a previous page's `next`, usually via a token).
    pub fn scan<T: ReadTx + ?Sized>(
        &self,
        tx: &T,
        pk_prefix: &Key,
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Page<(Key, V)>> {
        let range = self.record_key(pk_prefix).prefix_range();
        let page = tx.scan_page(&range, after, limit, false)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (raw, bytes) in page.items {
            items.push((self.split_record(&raw)?, self.decode(&bytes)?));
        }
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// One page of records whose raw key (see [`Table::record_key`]) lies in `range`, strictly
    /// after the raw key `after`, with their raw keys: for scans that are not by whole key parts
    /// (a string prefix, [`Key::str_prefix`]).
    pub fn scan_raw<T: ReadTx + ?Sized>(
        &self,
        tx: &T,
        range: &crate::KeyRange,
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Page<(Vec<u8>, V)>> {
        let page = tx.scan_page(range, after, limit, false)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (raw, bytes) in page.items {
            let value = self.decode(&bytes)?;
            items.push((raw, value));
        }
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// Every record whose primary key extends `pk_prefix`, in key order.
    pub fn scan_all<T: ReadTx + ?Sized>(&self, tx: &T, pk_prefix: &Key) -> Result<Vec<(Key, V)>> {
        tx.scan(&self.record_key(pk_prefix).prefix_range(), None, false)?
            .into_iter()
            .map(|(raw, bytes)| Ok((self.split_record(&raw)?, self.decode(&bytes)?)))
            .collect()
    }

    /// Number of records whose primary key extends `pk_prefix`.
    pub fn count<T: ReadTx + ?Sized>(&self, tx: &T, pk_prefix: &Key) -> Result<u64> {
        tx.count(&self.record_key(pk_prefix).prefix_range())
    }

    /// Looks a record up through a unique index.
    pub fn get_by<T: ReadTx + ?Sized>(
        &self,
        tx: &T,
        index: &str,
        ikey: &Key,
    ) -> Result<Option<(Key, V)>> {
        let idx = self.find_index(index)?;
        if !idx.unique {
            return Err(StoreError::Usage(format!(
                "index {}.{index} is not unique; use scan_index",
                self.name
            )));
        }
        let raw = self.index_prefix(index).concat(ikey);
        let Some(pk) = tx.get(raw.as_bytes())? else {
            return Ok(None);
        };
        let pk = Key::from_bytes(pk)?;
        match self.get(tx, &pk)? {
            Some(v) => Ok(Some((pk, v))),
            None => Err(StoreError::Corrupt(format!(
                "index {}.{index} points at a missing record",
                self.name
            ))),
        }
    }

    /// Number of index entries whose index key extends `ikey_prefix`: counts without reading or
    /// decoding the records (e.g. members of an organization).
    pub fn count_index<T: ReadTx + ?Sized>(
        &self,
        tx: &T,
        index: &str,
        ikey_prefix: &Key,
    ) -> Result<u64> {
        self.find_index(index)?;
        tx.count(&self.index_prefix(index).concat(ikey_prefix).prefix_range())
    }

    /// One page of records whose index key extends `ikey_prefix` (unique or multi index),
    /// in index-key order (then primary-key order).
    pub fn scan_index<T: ReadTx + ?Sized>(
        &self,
        tx: &T,
        index: &str,
        ikey_prefix: &Key,
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Page<(Key, V)>> {
        self.find_index(index)?;
        let range = self.index_prefix(index).concat(ikey_prefix).prefix_range();
        let page = tx.scan_page(&range, after, limit, false)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (_, pk) in page.items {
            items.push(self.indexed(tx, index, pk)?);
        }
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// The record an index entry points at (its primary key, raw).
    fn indexed<T: ReadTx + ?Sized>(&self, tx: &T, index: &str, pk: Vec<u8>) -> Result<(Key, V)> {
        let pk = Key::from_bytes(pk)?;
        match self.get(tx, &pk)? {
            Some(v) => Ok((pk, v)),
            None => Err(StoreError::Corrupt(format!(
                "index {}.{index} points at a missing record",
                self.name
            ))),
        }
    }

    /// At most `limit` records through `index` whose index key is at least `from`, in index-key
    /// order — or, with `reverse`, the last `limit` records in reverse order (from is then
    /// ignored): for indexes that order records (a sequence number, a time).
    pub fn scan_index_from<T: ReadTx + ?Sized>(
        &self,
        tx: &T,
        index: &str,
        from: &Key,
        limit: usize,
        reverse: bool,
    ) -> Result<Vec<(Key, V)>> {
        self.find_index(index)?;
        let all = self.index_prefix(index).prefix_range();
        let range = if reverse {
            all
        } else {
            crate::KeyRange {
                start: std::ops::Bound::Included(
                    self.index_prefix(index).concat(from).into_bytes(),
                ),
                end: all.end,
            }
        };
        let mut items = Vec::new();
        for (_, pk) in tx.scan(&range, Some(limit), reverse)? {
            items.push(self.indexed(tx, index, pk)?);
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct V2 {
        name: String,
        path: String,
    }

    #[test]
    fn envelope_and_migration() {
        let store = Store::in_memory().unwrap();
        let v1: Table<serde_json::Value> = Table::new("t");
        let pk = Key::new().str("a");
        store
            .write(|tx| v1.put(tx, &pk, &serde_json::json!({"name": "x"})))
            .unwrap();
        let raw = store
            .read(|tx| tx.get(v1.record_key(&pk).as_bytes()))
            .unwrap()
            .unwrap();
        assert_eq!(&raw[..2], &[ENVELOPE_JSON, 1]);
        let v2: Table<V2> = Table::new("t").schema(
            2,
            Some(|from, mut v| {
                if from == 1 {
                    if let Some(o) = v.as_object_mut() {
                        o.insert("path".into(), "/".into());
                    }
                }
                Ok(v)
            }),
        );
        // Read methods work inside write transactions too.
        let got = store.write(|tx| v2.get(tx, &pk)).unwrap();
        assert_eq!(
            got,
            Some(V2 {
                name: "x".into(),
                path: "/".into()
            })
        );
        // A newer record than the code knows is reported, not misread.
        assert!(matches!(
            v1.decode(&[ENVELOPE_JSON, 2, b'{', b'}']),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            v1.decode(&[9, 1, b'{', b'}']),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            v1.decode(&[ENVELOPE_JSON]),
            Err(StoreError::Corrupt(_))
        ));
    }
}
