//! Runs the backend conformance suite against every backend configuration.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use localorg_store::{conformance, Backend, Durability, SqliteBackend, StoreOptions};

#[test]
fn sqlite_memory_conforms() {
    let r = conformance::run(&|| Ok(Arc::new(SqliteBackend::in_memory()?) as Arc<dyn Backend>));
    if let Err(e) = r {
        panic!("conformance failures:\n{e}");
    }
}

fn file_factory(durability: Durability) {
    let base = tempfile::tempdir().unwrap();
    let n = AtomicU32::new(0);
    let opts = StoreOptions {
        durability,
        ..StoreOptions::default()
    };
    let r = conformance::run(&|| {
        let dir = base
            .path()
            .join(n.fetch_add(1, Ordering::SeqCst).to_string());
        Ok(Arc::new(SqliteBackend::open(&dir, &opts)?) as Arc<dyn Backend>)
    });
    if let Err(e) = r {
        panic!("conformance failures:\n{e}");
    }
}

#[test]
fn sqlite_file_conforms() {
    file_factory(Durability::Normal);
}

#[test]
fn sqlite_file_full_durability_conforms() {
    file_factory(Durability::Full);
}

#[test]
fn reopen_keeps_data_and_checks_format() {
    let dir = tempfile::tempdir().unwrap();
    {
        let st = localorg_store::Store::open(dir.path()).unwrap();
        st.write(|tx| tx.put(b"k", b"v")).unwrap();
    }
    assert!(dir.path().join(localorg_store::DB_FILE_NAME).exists());
    let st = localorg_store::Store::open(dir.path()).unwrap();
    assert_eq!(st.read(|tx| tx.get(b"k")).unwrap(), Some(b"v".to_vec()));
    assert_eq!(st.backend_name(), "sqlite-file");
    // A store opened in a directory that does not exist yet creates it.
    let nested = dir.path().join("a/b");
    localorg_store::Store::open(&nested).unwrap();
    assert!(nested.join(localorg_store::DB_FILE_NAME).exists());
}
