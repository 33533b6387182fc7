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

use crate::core::{event_key, reserve_seqs, EVENTS};
use crate::event::Pending;
use crate::records::EventRecord;

/// How often waiting events are stored.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// Events stored per transaction by a flush.
const CHUNK: usize = 256;

/// Events are kept this long (LookupEvents' 90 days).
pub const RETENTION_MS: i64 = 90 * 24 * 3_600_000;

/// CloudTrail's recording of every call.
pub struct CloudTrailRecorder {
    /// Calls waiting to be stored: a channel, so that request threads never wait for each other
    /// (or for a flush) to hand one over.
    sender: std::sync::mpsc::Sender<Pending>,
    waiting: Mutex<std::sync::mpsc::Receiver<Pending>>,
    ids: IdGen,
    flushes: std::sync::atomic::AtomicU64,
}

impl Default for CloudTrailRecorder {
    fn default() -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        CloudTrailRecorder {
            sender,
            waiting: Mutex::new(receiver),
            ids: IdGen::from_entropy(),
            flushes: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl CloudTrailRecorder {
    /// Stores the waiting events in one transaction and prunes events past retention. Called
    /// every [`FLUSH_INTERVAL`]; on failure the events are kept for the next flush.
    pub fn flush(&self, store: &Store, now_ms: i64) {
        let batch: Vec<Pending> = self.lock().try_iter().collect();
        if batch.is_empty() {
            return;
        }
        // Records are built outside the store's lock; stored in chunks, so one large batch never
        // holds the writer (and, in memory, the readers) for long.
        let mut records: Vec<EventRecord> = batch
            .iter()
            .flat_map(|pending| pending.records(|| self.ids.uuid()))
            .collect();
        for chunk in records.chunks_mut(CHUNK) {
            let stored = store.write(|tx| {
                let first = reserve_seqs(tx, chunk.len())?;
                for (seq, record) in (first..).zip(chunk.iter_mut()) {
                    record.seq = seq;
                    EVENTS.put(tx, &event_key(record), record)?;
                }
                Ok::<(), ApiError>(())
            });
            if let Err(e) = stored {
                tracing::warn!(error = %e.message, "cloudtrail: events lost");
            }
        }
        // Pruning looks at the oldest events now and then, not on every flush.
        let flushes = self
            .flushes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if flushes.is_multiple_of(50) {
            if let Err(e) = store.write(|tx| prune(tx, now_ms)) {
                tracing::warn!(error = %e.message, "cloudtrail: pruning failed");
            }
        }
    }

    /// Forgets the waiting events (the partition was reset).
    pub fn clear(&self) {
        self.lock().try_iter().for_each(drop);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::sync::mpsc::Receiver<Pending>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn store(&self, tx: &mut dyn WriteTx, pending: &Pending) -> Result<(), ApiError> {
        let records = pending.records(|| self.ids.uuid());
        let first = reserve_seqs(tx, records.len())?;
        for (seq, mut record) in (first..).zip(records) {
            record.seq = seq;
            EVENTS.put(tx, &event_key(&record), &record)?;
        }
        Ok(())
    }
}

/// Deletes events older than the retention, oldest first, a bounded number per flush.
fn prune(tx: &mut dyn WriteTx, now_ms: i64) -> Result<(), ApiError> {
    let cutoff = now_ms - RETENTION_MS;
    for _ in 0..100 {
        // Sequence order is recording order: the lowest is the oldest.
        let oldest = EVENTS.scan_index_from(tx.as_read(), "seq", &Key::new(), 1, false)?;
        match oldest.into_iter().next() {
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
            // The receiver lives as long as the recorder: a send cannot fail.
            let _ = self.sender.send(pending);
        }
    }

    fn record_in(&self, tx: &mut dyn WriteTx, event: &AuditEvent<'_>) -> Result<(), ApiError> {
        match Pending::of(event) {
            Some(pending) => self.store(tx, &pending),
            None => Ok(()),
        }
    }
}
