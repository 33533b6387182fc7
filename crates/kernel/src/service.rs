//! How service families plug into the partition.
//!
//! A service family (Organizations, IAM, STS, and later Identity Center, S3, CloudTrail, billing) is
//! a crate that implements [`ServiceFamily`] for the AWS services it plays and, where other
//! services need its facts, fills a port of the kernel ([`OrganizationTree`], [`Directory`],
//! [`AuditSink`]). The composition root (`localorg-server`) puts them together in a [`Registry`];
//! no service crate depends on another.

use std::sync::Arc;

use localorg_model::{ApiError, Service};
use localorg_store::ReadTx;

use crate::audit::{AuditSink, NoAudit};
use crate::delivery::{NoDelivery, ObjectDelivery};
use crate::directory::{Directory, NoDirectory};
use crate::organization::{NoOrganizations, OrganizationTree, Placement};
use crate::tx::Ctx;

/// One family of AWS services, as the partition calls it.
pub trait ServiceFamily: Send + Sync {
    /// The services this family plays.
    fn services(&self) -> &'static [Service];

    /// Runs one operation of one of [`services`](Self::services) inside the call's transaction.
    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        service: Service,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError>;

    /// The ARN of the resource an operation acts on, for authorization, as the AWS Service
    /// Authorization Reference names it; `*` for operations on no particular resource.
    /// `placement` is the caller's.
    fn resource_arn(
        &self,
        ctx: &Ctx<'_>,
        tx: &dyn ReadTx,
        placement: Option<&Placement>,
        service: Service,
        operation: &str,
        input: &serde_json::Value,
    ) -> Result<String, ApiError> {
        let _ = (ctx, tx, placement, service, operation, input);
        Ok("*".to_owned())
    }

    /// The tags of a resource of this family (`aws:ResourceTag/*`), by ARN; none by default.
    fn resource_tags(&self, tx: &dyn ReadTx, arn: &str) -> Result<Vec<(String, String)>, ApiError> {
        let _ = (tx, arn);
        Ok(Vec::new())
    }
}

/// Runs `operation` through a generated API trait's `dispatch`: the body of
/// [`ServiceFamily::call`] for a family that implements `localorg_model::generated::$module`'s trait
/// with `$api`. An operation name the model does not know answers `UnknownOperationException`.
#[macro_export]
macro_rules! dispatch_generated {
    ($module:ident, $api:expr, $ctx:expr, $operation:expr, $input:expr) => {{
        let operation: &str = $operation;
        match $crate::model::generated::$module::Operation::from_name(operation) {
            Some(op) => $crate::model::generated::$module::dispatch(&$api, $ctx, op, $input),
            None => Err($crate::not_yet::unknown_operation(operation)),
        }
    }};
}

/// The service families of a partition and the ports they fill.
#[derive(Clone)]
pub struct Registry {
    families: Vec<Arc<dyn ServiceFamily>>,
    organizations: Arc<dyn OrganizationTree>,
    directory: Arc<dyn Directory>,
    audit: Arc<dyn AuditSink>,
    delivery: Arc<dyn ObjectDelivery>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            families: Vec::new(),
            organizations: Arc::new(NoOrganizations),
            directory: Arc::new(NoDirectory),
            audit: Arc::new(NoAudit),
            delivery: Arc::new(NoDelivery),
        }
    }
}

impl Registry {
    /// No families; empty ports.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a family (the first family that plays a service serves it).
    pub fn with_family(mut self, family: Arc<dyn ServiceFamily>) -> Self {
        self.families.push(family);
        self
    }

    /// Fills the organization-tree port.
    pub fn with_organizations(mut self, tree: Arc<dyn OrganizationTree>) -> Self {
        self.organizations = tree;
        self
    }

    /// Fills the IAM directory port.
    pub fn with_directory(mut self, directory: Arc<dyn Directory>) -> Self {
        self.directory = directory;
        self
    }

    /// Sets the audit sink.
    pub fn with_audit(mut self, audit: Arc<dyn AuditSink>) -> Self {
        self.audit = audit;
        self
    }

    /// Fills the object-delivery port (the family that owns buckets).
    pub fn with_delivery(mut self, delivery: Arc<dyn ObjectDelivery>) -> Self {
        self.delivery = delivery;
        self
    }

    /// The family that plays `service`.
    pub fn family(&self, service: Service) -> Option<&dyn ServiceFamily> {
        self.families
            .iter()
            .find(|f| f.services().contains(&service))
            .map(|f| &**f)
    }

    /// The family whose services' signing name is the service part of `arn` (`iam` in
    /// `arn:aws:iam::…`).
    pub fn family_of_arn(&self, arn: &str) -> Option<&dyn ServiceFamily> {
        let namespace = arn.strip_prefix("arn:aws:")?.split(':').next()?;
        self.families
            .iter()
            .find(|f| {
                f.services()
                    .iter()
                    .any(|s| s.model().metadata.signing_name() == namespace)
            })
            .map(|f| &**f)
    }

    /// The organization tree.
    pub fn organizations(&self) -> &dyn OrganizationTree {
        &*self.organizations
    }

    /// IAM's directory.
    pub fn directory(&self) -> &dyn Directory {
        &*self.directory
    }

    /// Object delivery into buckets.
    pub fn delivery(&self) -> &dyn ObjectDelivery {
        &*self.delivery
    }

    /// The audit sink.
    pub fn audit(&self) -> &dyn AuditSink {
        &*self.audit
    }
}
