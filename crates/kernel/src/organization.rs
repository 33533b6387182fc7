//! The organization tree as other services see it: which organization an account belongs to, where
//! it sits (root, OUs), the policies attached along the way, trusted access and delegated
//! administrators.
//!
//! Organizations owns the tree and its tables; it fills this port ([`OrganizationTree`]) when the
//! partition is wired, and every other service reads the tree only through it
//! ([`crate::Ctx::organizations`]). A partition without Organizations wired has no organizations.

use localorg_model::ApiError;
use localorg_store::ReadTx;

/// An organization, as other services need to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    /// The management account.
    pub management_account_id: String,
    /// The root (`r-…`).
    pub root_id: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// Policy types enabled on the root, in enabling order (`SERVICE_CONTROL_POLICY`, ...).
    pub enabled_policy_types: Vec<String>,
    /// Service principals with trusted access (`iam.amazonaws.com`, `sso.amazonaws.com`, ...).
    pub trusted_services: Vec<String>,
}

impl Organization {
    /// True when the policy type (`SERVICE_CONTROL_POLICY`, `RESOURCE_CONTROL_POLICY`, ...) is
    /// enabled on the root.
    pub fn policy_type_enabled(&self, policy_type: &str) -> bool {
        self.enabled_policy_types.iter().any(|t| t == policy_type)
    }

    /// True when `service_principal` has trusted access.
    pub fn trusts(&self, service_principal: &str) -> bool {
        self.trusted_services.iter().any(|s| s == service_principal)
    }
}

/// Where an account sits in its organization: the organization and the parents from the root down
/// to the account's parent (root first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The organization.
    pub org: Organization,
    /// Root, then each OU down to the account's parent.
    pub path: Vec<String>,
}

impl Placement {
    /// True when `account_id` is the organization's management account.
    pub fn is_management(&self, account_id: &str) -> bool {
        self.org.management_account_id == account_id
    }

    /// The organization path of the account's parent, as `aws:PrincipalOrgPaths` and
    /// `aws:ResourceOrgPaths` give it: `o-…/r-…/ou-…/`.
    pub fn org_path(&self) -> String {
        format!("{}/{}/", self.org.id, self.path.join("/"))
    }
}

/// What the rest of localorg may know of the organization tree.
pub trait OrganizationTree: Send + Sync {
    /// The placement of `account_id`; `None` outside any organization.
    fn placement(&self, tx: &dyn ReadTx, account_id: &str) -> Result<Option<Placement>, ApiError>;

    /// The policies of `policy_type` attached directly to `target_id` (root, OU or account) of the
    /// organization, in attachment order, as (policy id, content).
    fn attached_policies(
        &self,
        tx: &dyn ReadTx,
        org_id: &str,
        target_id: &str,
        policy_type: &str,
    ) -> Result<Vec<(String, String)>, ApiError>;

    /// True when `account_id` is a delegated administrator of the organization for
    /// `service_principal`.
    fn is_delegated_administrator(
        &self,
        tx: &dyn ReadTx,
        org_id: &str,
        account_id: &str,
        service_principal: &str,
    ) -> Result<bool, ApiError>;
}

/// The tree of a partition without Organizations: no account is in an organization.
#[derive(Debug, Default)]
pub struct NoOrganizations;

impl OrganizationTree for NoOrganizations {
    fn placement(&self, _: &dyn ReadTx, _: &str) -> Result<Option<Placement>, ApiError> {
        Ok(None)
    }

    fn attached_policies(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<Vec<(String, String)>, ApiError> {
        Ok(Vec::new())
    }

    fn is_delegated_administrator(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<bool, ApiError> {
        Ok(false)
    }
}
