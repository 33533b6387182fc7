//! The audit hook: every API call is offered to the partition's [`AuditSink`] — the point where
//! CloudTrail records events. A write call that succeeds is offered inside its own transaction
//! ([`AuditSink::record_in`], by `Partition::call`), so its event commits with it; every other
//! call (reads, failures, denials) is offered after the answer ([`AuditSink::record`], by the
//! gateway), and the sink may group-commit those. Until a sink is wired the partition has
//! [`NoAudit`], which asks for nothing, so no event is built and no payload copied.

use localorg_model::ApiError;
use localorg_store::WriteTx;

use crate::context::Caller;

/// One answered API call, as the gateway saw it.
#[derive(Debug)]
pub struct AuditEvent<'a> {
    /// The request id the answer carried (`x-amzn-RequestId`).
    pub request_id: &'a str,
    /// When the call was received.
    pub at: jiff::Timestamp,
    /// The service, by its model name (`iam`, `organizations`, `s3`…): S3, which has no generated
    /// model, reports here too.
    pub service: &'a str,
    /// The operation.
    pub operation: &'a str,
    /// Who called (`None`: unauthenticated, or not authenticated yet when the call failed).
    pub caller: Option<&'a Caller>,
    /// The signing region (`us-east-1` for unsigned calls).
    pub region: &'a str,
    /// The caller's IP address.
    pub source_ip: &'a str,
    /// The `User-Agent` header.
    pub user_agent: &'a str,
    /// The operation only reads (CloudTrail's `readOnly`).
    pub read_only: bool,
    /// The decoded input (only when the sink [wants payloads](AuditSink::wants_payloads)).
    pub request: Option<&'a serde_json::Value>,
    /// The output of a call that succeeded (only when the sink wants payloads).
    pub response: Option<&'a serde_json::Value>,
    /// The error of a call that failed.
    pub error: Option<&'a ApiError>,
}

/// Where answered calls go.
pub trait AuditSink: Send + Sync {
    /// False when the sink records nothing: the gateway then skips building events.
    fn enabled(&self) -> bool {
        true
    }

    /// True when events should carry the request and response payloads (copied per call).
    fn wants_payloads(&self) -> bool {
        false
    }

    /// Records one call. Called after the answer is known, outside the call's transaction: a sink
    /// must not fail the call, and must be quick (buffer, then write elsewhere).
    fn record(&self, event: &AuditEvent<'_>);

    /// Records a write call that succeeded, in its transaction: the event commits exactly when the
    /// write does. An error fails the call (and rolls the write back).
    fn record_in(&self, tx: &mut dyn WriteTx, event: &AuditEvent<'_>) -> Result<(), ApiError> {
        let _ = tx;
        self.record(event);
        Ok(())
    }
}

/// The sink of a partition without an audit trail: records nothing.
#[derive(Debug, Default)]
pub struct NoAudit;

impl AuditSink for NoAudit {
    fn enabled(&self) -> bool {
        false
    }

    fn record(&self, _: &AuditEvent<'_>) {}
}
