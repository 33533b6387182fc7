//! Tables, ids and the small conversions CloudTrail's operations share.

use std::sync::LazyLock;

use localorg_model::ApiError;
use localorg_store::{Index, Key, Table, WriteTx};

use crate::records::{EventRecord, TrailRecord};

/// Events by (recipient account, Region, newest first, event id); by sequence number (delivery
/// follows it, pruning starts from its oldest end). Two rows per event: recording stays cheap, and
/// LookupEvents filters its one attribute while it scans the account's Region newest first.
pub static EVENTS: LazyLock<Table<EventRecord>> = LazyLock::new(|| {
    // Sequence numbers are handed out once each (`reserve_seqs`): the index need not check them.
    Table::new("cloudtrail.event").index(Index::multi("seq", |e: &EventRecord| {
        vec![Key::new().u64(e.seq)]
    }))
});

/// Trails by (owner account, name); organization trails by organization.
pub static TRAILS: LazyLock<Table<TrailRecord>> = LazyLock::new(|| {
    Table::new("cloudtrail.trail").index(Index::multi("org", |t: &TrailRecord| {
        t.org_id
            .iter()
            .map(|org| Key::new().str(org).str(&t.account).str(&t.name))
            .collect()
    }))
});

/// The event sequence counter.
static SEQUENCE: LazyLock<Table<u64>> = LazyLock::new(|| Table::new("cloudtrail.sequence"));

/// Reserves `count` event sequence numbers; returns the first.
pub fn reserve_seqs(tx: &mut dyn WriteTx, count: usize) -> Result<u64, ApiError> {
    let key = Key::new();
    let first = SEQUENCE.get(tx.as_read(), &key)?.unwrap_or(0) + 1;
    SEQUENCE.put(tx, &key, &(first + count as u64 - 1))?;
    Ok(first)
}

/// A time as a key part that sorts newest first.
pub fn newest_first(time_ms: i64) -> u64 {
    u64::MAX - time_ms.max(0) as u64
}

/// The primary key of an event.
pub fn event_key(e: &EventRecord) -> Key {
    Key::new()
        .str(&e.account)
        .str(&e.region)
        .u64(newest_first(e.time_ms))
        .str(&e.event_id)
}

/// Whether LookupEvents' attribute `name` has `value` for the event.
pub fn has_attribute(e: &EventRecord, name: &str, value: &str) -> bool {
    match name {
        "EventId" => e.event_id == value,
        "EventName" => e.event_name == value,
        "ReadOnly" => e.read_only.to_string() == value,
        "EventSource" => e.event_source == value,
        "Username" => e.username.as_deref() == Some(value),
        "AccessKeyId" => e.access_key_id.as_deref() == Some(value),
        "ResourceType" => e.resources.iter().any(|(kind, _)| kind == value),
        "ResourceName" => e.resources.iter().any(|(_, name)| name == value),
        _ => false,
    }
}

/// The primary key of a trail.
pub fn trail_key(account: &str, name: &str) -> Key {
    Key::new().str(account).str(name)
}

/// `YYYY-MM-DDTHH:MM:SSZ` (CloudTrail's time format: UTC, whole seconds).
pub fn iso(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
