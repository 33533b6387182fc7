//! The partition's AWS accounts: every account that exists, whether signed up for or created by an
//! organization. The table is private; services read and change accounts through these functions.

use std::sync::LazyLock;

use localorg_model::ApiError;
use localorg_store::{Index, Key, ReadTx, Table, WriteTx};
use serde::{Deserialize, Serialize};

use crate::context::IdGen;

/// An AWS account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    /// 12 digits.
    pub id: String,
    /// Account name.
    pub name: String,
    /// The root user's email address (unique across the partition, case-insensitively).
    pub email: String,
    /// `ACTIVE`, `PENDING_CLOSURE` or `SUSPENDED`.
    pub status: String,
    /// When the account was created, ms since epoch.
    pub created_ms: i64,
    /// When it was closed, ms since epoch.
    pub closed_ms: Option<i64>,
    /// Created by an organization (`CreateAccount`) rather than signed up for.
    pub created_by_organization: bool,
    /// The standalone sign-up is complete (always for signed-up accounts; organization-created
    /// accounts need `localorg account complete-signup` before they can leave).
    pub signup_complete: bool,
}

/// Accounts by id, unique by lower-cased email.
static ACCOUNTS: LazyLock<Table<AccountRecord>> = LazyLock::new(|| {
    Table::new("account").index(Index::unique("email", |a: &AccountRecord| {
        vec![Key::new().str(&a.email.to_lowercase())]
    }))
});

/// The account `id`, if it exists.
pub fn get(tx: &dyn ReadTx, id: &str) -> Result<Option<AccountRecord>, ApiError> {
    Ok(ACCOUNTS.get(tx, &Key::new().str(id))?)
}

/// True when the account `id` exists.
pub fn exists(tx: &dyn ReadTx, id: &str) -> Result<bool, ApiError> {
    Ok(ACCOUNTS.contains(tx, &Key::new().str(id))?)
}

/// The account whose root email is `email` (compared without regard to case).
pub fn by_email(tx: &dyn ReadTx, email: &str) -> Result<Option<AccountRecord>, ApiError> {
    Ok(ACCOUNTS
        .get_by(tx, "email", &Key::new().str(&email.to_lowercase()))?
        .map(|(_, a)| a))
}

/// Stores a changed account (name, status, closure, sign-up state). The id and email are the
/// account's identity: callers change the other fields of a record they read.
pub fn update(tx: &mut dyn WriteTx, account: &AccountRecord) -> Result<(), ApiError> {
    Ok(ACCOUNTS.put(tx, &Key::new().str(&account.id), account)?)
}

/// Creates an account with a fresh id; `None` when the email is already taken in the partition.
pub fn create(
    tx: &mut dyn WriteTx,
    ids: &IdGen,
    now_ms: i64,
    name: &str,
    email: &str,
    created_by_organization: bool,
) -> Result<Option<AccountRecord>, ApiError> {
    if by_email(tx.as_read(), email)?.is_some() {
        return Ok(None);
    }
    let id = loop {
        let candidate = ids.account_id();
        if !exists(tx.as_read(), &candidate)? {
            break candidate;
        }
    };
    let account = AccountRecord {
        id,
        name: name.to_owned(),
        email: email.to_owned(),
        status: "ACTIVE".to_owned(),
        created_ms: now_ms,
        closed_ms: None,
        created_by_organization,
        signup_complete: !created_by_organization,
    };
    update(tx, &account)?;
    Ok(Some(account))
}
