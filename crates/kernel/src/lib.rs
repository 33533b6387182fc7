//! The domain kernel: what every localorg service stands on, and the one door through which a
//! service touches anything beyond its own tables.
//!
//! - [`accounts`] and [`credentials`]: the partition's accounts, access keys and sessions (tables
//!   private to this crate, typed operations over them);
//! - [`Ctx`]: the call's transaction, caller, clock instant, ids and settings, and the ports to other
//!   families' facts: [`Ctx::organizations`] ([`organization::OrganizationTree`], filled by
//!   Organizations) and [`Ctx::directory`] ([`directory::Directory`], filled by IAM);
//! - [`authz`]: authorization of every signed call by the policy engine;
//! - [`audit`] and [`outbox`]: the hooks every call passes (the audit trail, notifications);
//! - [`Partition`] and [`ServiceFamily`]: how the gateway runs a call and how a service family
//!   plugs in ([`Registry`]).
//!
//! See `ARCHITECTURE.md` at the repository root for the map of crates and the rules between them.

pub mod accounts;
pub mod audit;
pub mod authz;
pub mod context;
pub mod credentials;
pub mod delivery;
pub mod directory;
pub mod not_yet;
pub mod organization;
pub mod outbox;
pub mod partition;
pub mod service;
pub mod totp;
pub mod tx;
mod validation;

/// The generated API code, for [`dispatch_generated!`].
#[doc(hidden)]
pub use localorg_model as model;

pub use context::{Caller, Clock, IdGen, ManualClock, PrincipalKind, Secret, SystemClock};
pub use partition::{Call, Partition, Requester, SignupOutput};
pub use service::{Registry, ServiceFamily};
pub use tx::{Ctx, KeyUsage, KeyUse, Settings, TxRef};
pub use validation::validation_error;
