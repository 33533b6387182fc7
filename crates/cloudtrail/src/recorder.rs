//! The audit sink CloudTrail fills: a successful write's events are stored in the write's own
//! transaction; every other call's (reads, failures, denials) wait in memory and are stored
//! together by [`CloudTrailRecorder::flush`], which the server runs every
//! [`FLUSH_INTERVAL`] and on shutdown. `kill -9` can lose at most the calls of the last interval
//! (and the flush under way): the loss window is [`FLUSH_INTERVAL`] plus one store commit.

use std::sync::Mutex;
use std::time::Duration;

use localorg_kernel::audit::{AuditEvent, AuditSink};
use localorg_kernel::IdGen;
use localorg_model::ApiError;
use localorg_store::{Key, Store, WriteTx};

use crate::core::{event_key, next_seq, EVENTS};
use crate::event::Pending;

/// How often waiting events are stored.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// Events are kept this long (LookupEvents' 90 days).
pub const RETENTION_MS: i64 = 90 * 24 * 3_600_000;

/// CloudTrail's recording of every call.
pub struct CloudTrailRecorder {
    waiting: Mutex<Vec<Pending>>,
    ids: IdGen,
}

impl Default for CloudTrailRecorder {
    fn default() -> Self {
        CloudTrailRecorder {
            waiting: Mutex::new(Vec::new()),
            ids: IdGen::from_entropy(),
        }
    }
}

impl CloudTrailRecorder {
    /// Stores the waiting events in one transaction and prunes events past retention. Called
    /// every [`FLUSH_INTERVAL`]; on failure the events are kept for the next flush.
    pub fn flush(&self, store: &Store, now_ms: i64) {
        let batch = std::mem::take(&mut *self.lock());
        if batch.is_empty() {
            return;
        }
        let stored = store.write(|tx| {
            for pending in &batch {
                self.store(tx, pending)?;
            }
            prune(tx, now_ms)
        });
        if let Err(e) = stored {
            tracing::warn!(error = %e.message, "cloudtrail: events not stored yet");
            let mut waiting = self.lock();
            let newer = std::mem::take(&mut *waiting);
            *waiting = batch;
            waiting.extend(newer);
        }
    }

    /// Forgets the waiting events (the partition was reset).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn store(&self, tx: &mut dyn WriteTx, pending: &Pending) -> Result<(), ApiError> {
        for mut record in pending.records(|| self.ids.uuid()) {
            record.seq = next_seq(tx)?;
            EVENTS.put(tx, &event_key(&record), &record)?;
        }
        Ok(())
    }
}

/// Deletes events older than the retention, oldest first, a bounded number per flush.
fn prune(tx: &mut dyn WriteTx, now_ms: i64) -> Result<(), ApiError> {
    let cutoff = now_ms - RETENTION_MS;
    for _ in 0..100 {
        let oldest = EVENTS.scan_index(tx.as_read(), "time", &Key::new(), None, 1)?;
        match oldest.items.into_iter().next() {
            Some((pk, event)) if event.time_ms < cutoff => {
                EVENTS.delete(tx, &pk)?;
            }
            _ => break,
        }
    }
    Ok(())
}

impl AuditSink for CloudTrailRecorder {
    fn wants_payloads(&self) -> bool {
        true
    }

    fn record(&self, event: &AuditEvent<'_>) {
        if let Some(pending) = Pending::of(event) {
            self.lock().push(pending);
        }
    }

    fn record_in(&self, tx: &mut dyn WriteTx, event: &AuditEvent<'_>) -> Result<(), ApiError> {
        match Pending::of(event) {
            Some(pending) => self.store(tx, &pending),
            None => Ok(()),
        }
    }
}
