//! The notification outbox: messages a call wants delivered after it commits (handshake e-mails,
//! budget alerts, trail deliveries) are written in the call's own transaction, so a message exists
//! exactly when the change that caused it does. A deliverer reads [`pending`] messages of its topic
//! and [`acknowledge`]s each once delivered (at-least-once).

use std::sync::LazyLock;

use localorg_model::ApiError;
use localorg_store::{Key, ReadTx, Table, WriteTx};
use serde::{Deserialize, Serialize};

use crate::tx::Ctx;

/// One message waiting for delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    /// Position in its topic: 1, 2, 3, … in commit order.
    pub seq: i64,
    /// Who delivers it (`organizations.handshake`, `budgets.alert`, ...).
    pub topic: String,
    /// When it was enqueued, ms since epoch.
    pub enqueued_ms: i64,
    /// What to deliver.
    pub body: serde_json::Value,
}

/// Messages by (topic, seq).
static OUTBOX: LazyLock<Table<OutboxMessage>> = LazyLock::new(|| Table::new("kernel.outbox"));

/// The last seq handed out per topic (writes are serialized, so the counter never races).
static LAST_SEQ: LazyLock<Table<i64>> = LazyLock::new(|| Table::new("kernel.outbox_seq"));

fn key(topic: &str, seq: i64) -> Key {
    Key::new().str(topic).i64(seq)
}

/// Enqueues a message in the call's transaction; it is there once (and only if) the call commits.
pub fn enqueue(
    ctx: &mut Ctx<'_>,
    topic: &str,
    body: serde_json::Value,
) -> Result<OutboxMessage, ApiError> {
    let enqueued_ms = ctx.now_ms();
    let tx = ctx.tx.write()?;
    let topic_key = Key::new().str(topic);
    let seq = LAST_SEQ.get(tx.as_read(), &topic_key)?.unwrap_or(0) + 1;
    LAST_SEQ.put(tx, &topic_key, &seq)?;
    let message = OutboxMessage {
        seq,
        topic: topic.to_owned(),
        enqueued_ms,
        body,
    };
    OUTBOX.put(tx, &key(topic, seq), &message)?;
    Ok(message)
}

/// Up to `max` undelivered messages of `topic`, oldest first.
pub fn pending(tx: &dyn ReadTx, topic: &str, max: usize) -> Result<Vec<OutboxMessage>, ApiError> {
    Ok(OUTBOX
        .scan(tx, &Key::new().str(topic), None, max)?
        .items
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

/// Removes a delivered message.
pub fn acknowledge(tx: &mut dyn WriteTx, message: &OutboxMessage) -> Result<(), ApiError> {
    OUTBOX.delete(tx, &key(&message.topic, message.seq))?;
    Ok(())
}
