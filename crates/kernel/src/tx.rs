//! The per-call context a service operation runs with.

use localorg_model::ApiError;
use localorg_store::{ReadTx, WriteTx};

use crate::context::{Caller, IdGen};
use crate::directory::Directory;
use crate::organization::OrganizationTree;
use crate::service::Registry;

/// The store transaction of one call: read-only operations get a read transaction (they run
/// concurrently), everything else the single write transaction.
pub enum TxRef<'a> {
    /// A read-only call.
    Read(&'a dyn ReadTx),
    /// A call that may change state.
    Write(&'a mut dyn WriteTx),
}

impl TxRef<'_> {
    /// Reads.
    pub fn read(&self) -> &dyn ReadTx {
        match self {
            TxRef::Read(tx) => *tx,
            TxRef::Write(tx) => tx.as_read(),
        }
    }

    /// Writes; an error when the operation was classified read-only (a localorg bug).
    pub fn write(&mut self) -> Result<&mut dyn WriteTx, ApiError> {
        match self {
            TxRef::Write(tx) => Ok(&mut **tx),
            TxRef::Read(_) => Err(ApiError::internal("a read-only operation tried to write")),
        }
    }
}

/// Everything an operation gets besides its input.
pub struct Ctx<'a> {
    /// The call's transaction.
    pub tx: TxRef<'a>,
    /// Who is calling.
    pub caller: &'a Caller,
    /// The time of the call (one instant for the whole call).
    pub now: jiff::Timestamp,
    /// The signing region.
    pub region: &'a str,
    /// The caller's IP address.
    pub source_ip: &'a str,
    /// The endpoint the client called (`http://127.0.0.1:4566`), from its `Host` header: where
    /// localorg's own pages are (the access portal, its sign-in page).
    pub endpoint: &'a str,
    /// Id generator.
    pub ids: &'a IdGen,
    /// Quotas and other knobs of this partition.
    pub settings: &'a Settings,
    /// When each access key was last used.
    pub key_usage: &'a KeyUsage,
    /// The families and ports of the partition: reached through [`Ctx::organizations`] and
    /// [`Ctx::directory`].
    pub(crate) registry: &'a Registry,
}

/// When, where and for which service each access key last signed a request
/// (`GetAccessKeyLastUsed`). Kept in memory: AWS itself reports last use approximately (it may lag
/// by hours), and writing the store on every request would serialize reads behind writes; after a
/// restart keys read as never used until they sign again.
#[derive(Debug, Default)]
pub struct KeyUsage(std::sync::Mutex<std::collections::HashMap<String, KeyUse>>);

/// One access key's last use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUse {
    /// When, ms since epoch.
    pub at_ms: i64,
    /// The service's signing name (`iam`, `sts`, `organizations`, ...).
    pub service: String,
    /// The signing region.
    pub region: String,
}

impl KeyUsage {
    /// Records a use of `access_key_id`.
    pub fn record(&self, access_key_id: &str, at_ms: i64, service: &str, region: &str) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let entry = KeyUse {
            at_ms,
            service: service.to_owned(),
            region: region.to_owned(),
        };
        map.insert(access_key_id.to_owned(), entry);
    }

    /// The last use of `access_key_id`, if it signed anything since the server started.
    pub fn last(&self, access_key_id: &str) -> Option<KeyUse> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(access_key_id)
            .cloned()
    }
}

/// Quotas and other knobs set when the server starts.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Accounts one organization may hold (AWS starts new organizations at 10 and raises it on
    /// request; localorg defaults to a generous 10,000 so test suites are not throttled).
    pub max_accounts_per_organization: usize,
    /// Requests count as made over TLS (`aws:SecureTransport` true). localorg listens on plain
    /// HTTP, so by default they do not — and a bucket policy denying insecure transport, as most
    /// log-archive policies do, then denies everything, as AWS would over HTTP.
    pub secure_transport: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_accounts_per_organization: 10_000,
            secure_transport: false,
        }
    }
}

impl<'a> Ctx<'a> {
    /// Now, in ms since the epoch (what records store).
    pub fn now_ms(&self) -> i64 {
        self.now.as_millisecond()
    }

    /// The organization tree (Organizations' port): the one door to organization facts.
    pub fn organizations(&self) -> &'a dyn OrganizationTree {
        self.registry.organizations()
    }

    /// Object delivery into buckets (S3's port): how services write their logs and exports.
    pub fn delivery(&self) -> &'a dyn crate::delivery::ObjectDelivery {
        self.registry.delivery()
    }

    /// IAM's directory (IAM's port): the one door to IAM principals, roles and policies.
    pub fn directory(&self) -> &'a dyn Directory {
        self.registry.directory()
    }
}
