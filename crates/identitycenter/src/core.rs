//! Tables, ids, pagination and the conversions every Identity Center operation shares.

use std::sync::LazyLock;

use localorg_kernel::context::LOWER_HEX;
use localorg_kernel::Ctx;
use localorg_model::ApiError;
use localorg_store::{decode_token, encode_token, Index, Key, Page, ReadTx, Table};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::records::{EntryRecord, InstanceRecord, MembershipRecord};

/// Instances by id; one per owner account; unique by identity store.
pub static INSTANCES: LazyLock<Table<InstanceRecord>> = LazyLock::new(|| {
    Table::new("sso.instance")
        .index(Index::unique("owner", |i: &InstanceRecord| {
            vec![Key::new().str(&i.owner_account_id)]
        }))
        .index(Index::unique("store", |i: &InstanceRecord| {
            vec![Key::new().str(&i.identity_store_id)]
        }))
});

/// Users by (identity store, user id); unique by lower-cased `UserName`.
pub static USERS: LazyLock<Table<EntryRecord>> = LazyLock::new(|| {
    Table::new("identitystore.user").index(Index::unique("user_name", |u: &EntryRecord| {
        unique_key(u, "UserName")
    }))
});

/// Groups by (identity store, group id); unique by lower-cased `DisplayName`.
pub static GROUPS: LazyLock<Table<EntryRecord>> = LazyLock::new(|| {
    Table::new("identitystore.group").index(Index::unique("display_name", |g: &EntryRecord| {
        unique_key(g, "DisplayName")
    }))
});

/// Memberships by (identity store, membership id); unique by (group, user); by member.
pub static MEMBERSHIPS: LazyLock<Table<MembershipRecord>> = LazyLock::new(|| {
    Table::new("identitystore.membership")
        .index(Index::unique("pair", |m: &MembershipRecord| {
            vec![Key::new()
                .str(&m.identity_store_id)
                .str(&m.group_id)
                .str(&m.user_id)]
        }))
        .index(Index::multi("member", |m: &MembershipRecord| {
            vec![Key::new().str(&m.identity_store_id).str(&m.user_id)]
        }))
        .index(Index::multi("group", |m: &MembershipRecord| {
            vec![Key::new().str(&m.identity_store_id).str(&m.group_id)]
        }))
});

/// The unique-index key of an entry's attribute (none when the entry lacks it).
fn unique_key(entry: &EntryRecord, attribute: &str) -> Vec<Key> {
    entry
        .attributes
        .get(attribute)
        .and_then(serde_json::Value::as_str)
        .map(|v| vec![entry_key_value(&entry.identity_store_id, v)])
        .unwrap_or_default()
}

/// The key under which a unique attribute value is indexed: compared without regard to case.
pub fn entry_key_value(identity_store_id: &str, value: &str) -> Key {
    Key::new().str(identity_store_id).str(&value.to_lowercase())
}

/// An id given as itself or as the last segment of its ARN (`arn:aws:identitystore:::user/ID`,
/// `arn:aws:sso:::instance/ssoins-…`, an identity store ARN).
pub fn plain_id(id_or_arn: &str) -> &str {
    id_or_arn.rsplit('/').next().unwrap_or(id_or_arn)
}

/// The primary key of a user, group or membership.
pub fn entry_key(identity_store_id: &str, id: &str) -> Key {
    Key::new().str(identity_store_id).str(id)
}

/// `ssoins-` + 16 hex.
pub fn new_instance_id(ctx: &Ctx<'_>) -> String {
    format!("ssoins-{}", ctx.ids.string(LOWER_HEX, 16))
}

/// `d-` + 10 hex.
pub fn new_identity_store_id(ctx: &Ctx<'_>) -> String {
    format!("d-{}", ctx.ids.string(LOWER_HEX, 10))
}

/// A user, group or membership id: the store's 10 hex digits, then a random UUID
/// (`9067c7c5a1-5e2f7b0a-…`), as AWS forms them.
pub fn new_entry_id(ids: &localorg_kernel::IdGen, identity_store_id: &str) -> String {
    let store = identity_store_id.trim_start_matches("d-");
    format!("{store}-{}", ids.uuid())
}

/// Pages hold at most this many items unless `MaxResults` says otherwise.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The page size for a `MaxResults` input.
pub fn page_size(max_results: Option<i32>) -> usize {
    max_results
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_PAGE_SIZE)
}

/// Decodes a `NextToken` (the raw key to continue after); `ValidationException` when it is not one
/// localorg handed out.
pub fn decode_next_token(token: Option<&str>) -> Result<Option<Vec<u8>>, ApiError> {
    token
        .map(|t| {
            decode_token(t)
                .map_err(|_| ApiError::new("ValidationException", 400, "The NextToken is invalid."))
        })
        .transpose()
}

/// The `NextToken` of a page.
pub fn next_token<T>(page: &Page<T>) -> Option<String> {
    page.next.as_deref().map(encode_token)
}

/// One page of records under a primary-key prefix.
pub fn prefix_page<V: DeserializeOwned + Serialize>(
    tx: &dyn ReadTx,
    table: &Table<V>,
    prefix: &Key,
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<V>, Option<String>), ApiError> {
    let after = decode_next_token(token)?;
    let page = table.scan(tx, prefix, after.as_deref(), page_size(max_results))?;
    let next = next_token(&page);
    Ok((page.items.into_iter().map(|(_, v)| v).collect(), next))
}

/// One page of an in-memory list: the `NextToken` is the offset of the next item.
pub fn list_page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let start = match decode_next_token(token)? {
        Some(bytes) => {
            let raw: [u8; 8] = bytes.try_into().map_err(|_| {
                ApiError::new("ValidationException", 400, "The NextToken is invalid.")
            })?;
            usize::try_from(u64::from_be_bytes(raw)).unwrap_or(usize::MAX)
        }
        None => 0,
    };
    let end = start
        .saturating_add(page_size(max_results))
        .min(items.len());
    let page = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    let next = (end < items.len()).then(|| encode_token(&(end as u64).to_be_bytes()));
    Ok((page, next))
}

/// A generated API shape from its canonical JSON (what localorg builds outputs from).
pub fn shape<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::internal(format!("cannot build the answer: {e}")))
}

/// The canonical JSON of a generated API shape.
pub fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::internal(format!("cannot read the input: {e}")))
}

/// Milliseconds since the epoch as a canonical JSON timestamp (seconds).
pub fn timestamp(ms: i64) -> serde_json::Value {
    serde_json::json!(ms as f64 / 1000.0)
}
