//! IAM's principals as other services see them: the identity policies, permissions boundary and
//! tags that authorization evaluates, roles to assume and to provision, managed policy documents,
//! MFA devices, and IAM's organization-wide features.
//!
//! IAM owns users, groups, roles, policies and devices in its own tables; it fills this port
//! ([`Directory`]) when the partition is wired, and every other service reaches IAM's state only
//! through it ([`crate::Ctx::directory`]). A partition without IAM wired has no IAM principals.

use localorg_model::ApiError;
use localorg_store::{ReadTx, WriteTx};

use crate::context::IdGen;

/// An IAM principal whose policies a caller acts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalRef<'a> {
    /// An IAM user, by name.
    User(&'a str),
    /// An IAM role, by name.
    Role(&'a str),
}

/// A role, as STS and federation need it to issue sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFacts {
    /// The role's account.
    pub account_id: String,
    /// Its name, as created.
    pub name: String,
    /// Its path (`/`, `/team/`).
    pub path: String,
    /// Its unique id (`AROA…`).
    pub id: String,
    /// The trust policy document (JSON text).
    pub trust_policy: String,
    /// `MaxSessionDuration`, seconds.
    pub max_session_duration: i32,
}

impl RoleFacts {
    /// `arn:aws:iam::ACCOUNT:role{path}NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            self.account_id, self.path, self.name
        )
    }
}

/// A role another service sets up in an account (Organizations' `OrganizationAccountAccessRole`,
/// Identity Center's `AWSReservedSSO_…` roles), with exactly the policies it is given.
#[derive(Debug, Clone)]
pub struct RoleProvision<'a> {
    /// The account to create it in.
    pub account_id: &'a str,
    /// The role's name.
    pub name: &'a str,
    /// Its path.
    pub path: &'a str,
    /// The trust policy document.
    pub trust_policy: &'a str,
    /// The description.
    pub description: Option<&'a str>,
    /// `MaxSessionDuration`, seconds.
    pub max_session_duration: i32,
    /// AWS managed policies to attach, as (ARN, name).
    pub managed_policies: &'a [(&'a str, &'a str)],
    /// Customer managed policies of the account to attach, as (name, path): each must exist.
    pub customer_policies: &'a [(&'a str, &'a str)],
    /// Inline policies, as (name, document).
    pub inline_policies: &'a [(&'a str, &'a str)],
    /// The permissions boundary.
    pub boundary: Option<RoleBoundary<'a>>,
    /// The SAML provider the role trusts, as (name, metadata document): created in the account
    /// when it has none of that name (Identity Center's `AWSSSO_…_DO_NOT_DELETE`).
    pub saml_provider: Option<(&'a str, &'a str)>,
    /// The service that manages the role (`sso.amazonaws.com`): IAM's own operations may not
    /// change or delete it, and provisioning it again replaces it. `None`: an ordinary role,
    /// created once.
    pub managed_by: Option<&'a str>,
}

/// A provisioned role's permissions boundary.
#[derive(Debug, Clone, Copy)]
pub enum RoleBoundary<'a> {
    /// An AWS managed policy, by ARN.
    Managed(&'a str),
    /// A customer managed policy of the account, as (name, path).
    Customer(&'a str, &'a str),
}

/// What the rest of localorg may know of, and ask of, IAM.
pub trait Directory: Send + Sync {
    /// The identity-based policies of a user (attached and inline, its own and its groups') or a
    /// role, as (id, document) with id the policy ARN or `inline:NAME`.
    fn identity_policies(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        principal: PrincipalRef<'_>,
    ) -> Result<Vec<(String, String)>, ApiError>;

    /// The ARN of the principal's permissions boundary, if it has one.
    fn permissions_boundary(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        principal: PrincipalRef<'_>,
    ) -> Result<Option<String>, ApiError>;

    /// The principal's tags (`aws:PrincipalTag/*`).
    fn principal_tags(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        principal: PrincipalRef<'_>,
    ) -> Result<Vec<(String, String)>, ApiError>;

    /// The default version's document of the customer managed or AWS managed policy `arn`, as seen
    /// from `account_id`; `None` when there is no such policy.
    fn managed_policy_document(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        arn: &str,
    ) -> Result<Option<String>, ApiError>;

    /// True when `arn` names a managed policy a session in `account_id` may use: an AWS managed
    /// policy, or a customer managed policy of that same account.
    fn session_policy_exists(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        arn: &str,
    ) -> Result<bool, ApiError>;

    /// The role `name` of `account_id` (names compare without regard to case).
    fn role(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        name: &str,
    ) -> Result<Option<RoleFacts>, ApiError>;

    /// Records that a session of the role began (`RoleLastUsed`).
    fn record_role_use(
        &self,
        tx: &mut dyn WriteTx,
        account_id: &str,
        name: &str,
        at_ms: i64,
        region: &str,
    ) -> Result<(), ApiError>;

    /// Creates a role another service sets up, with exactly the given policies; a role the same
    /// service manages already is replaced. Nothing is written when it fails (a customer managed
    /// policy that does not exist in the account: `NoSuchEntity`).
    fn provision_role(
        &self,
        tx: &mut dyn WriteTx,
        ids: &IdGen,
        now_ms: i64,
        role: &RoleProvision<'_>,
    ) -> Result<(), ApiError>;

    /// Deletes a role `managed_by` manages, with its policies (nothing when there is none).
    fn remove_role(
        &self,
        tx: &mut dyn WriteTx,
        account_id: &str,
        name: &str,
        managed_by: &str,
    ) -> Result<(), ApiError>;

    /// True when the MFA device `serial_number` of `account_id` is enabled for `user_name`
    /// (`None`: the account's root user).
    fn mfa_device_enabled_for(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        serial_number: &str,
        user_name: Option<&str>,
    ) -> Result<bool, ApiError>;

    /// Checks a TOTP code of an enabled MFA device (accepted once: the time step is remembered).
    fn verify_totp_code(
        &self,
        tx: &mut dyn WriteTx,
        account_id: &str,
        serial_number: &str,
        code: &str,
        now: jiff::Timestamp,
    ) -> Result<bool, ApiError>;

    /// True when centralized root sessions (`sts:AssumeRoot`) are enabled for the organization.
    fn root_sessions_enabled(&self, tx: &dyn ReadTx, org_id: &str) -> Result<bool, ApiError>;
}

/// The directory of a partition without IAM: no users, roles or policies.
#[derive(Debug, Default)]
pub struct NoDirectory;

impl Directory for NoDirectory {
    fn identity_policies(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: PrincipalRef<'_>,
    ) -> Result<Vec<(String, String)>, ApiError> {
        Ok(Vec::new())
    }

    fn permissions_boundary(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: PrincipalRef<'_>,
    ) -> Result<Option<String>, ApiError> {
        Ok(None)
    }

    fn principal_tags(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: PrincipalRef<'_>,
    ) -> Result<Vec<(String, String)>, ApiError> {
        Ok(Vec::new())
    }

    fn managed_policy_document(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: &str,
    ) -> Result<Option<String>, ApiError> {
        Ok(None)
    }

    fn session_policy_exists(&self, _: &dyn ReadTx, _: &str, _: &str) -> Result<bool, ApiError> {
        Ok(false)
    }

    fn role(&self, _: &dyn ReadTx, _: &str, _: &str) -> Result<Option<RoleFacts>, ApiError> {
        Ok(None)
    }

    fn record_role_use(
        &self,
        _: &mut dyn WriteTx,
        _: &str,
        _: &str,
        _: i64,
        _: &str,
    ) -> Result<(), ApiError> {
        Ok(())
    }

    fn provision_role(
        &self,
        _: &mut dyn WriteTx,
        _: &IdGen,
        _: i64,
        role: &RoleProvision<'_>,
    ) -> Result<(), ApiError> {
        Err(ApiError::internal(format!(
            "cannot create role {} in {}: IAM is not part of this partition",
            role.name, role.account_id
        )))
    }

    fn remove_role(&self, _: &mut dyn WriteTx, _: &str, _: &str, _: &str) -> Result<(), ApiError> {
        Ok(())
    }

    fn mfa_device_enabled_for(
        &self,
        _: &dyn ReadTx,
        _: &str,
        _: &str,
        _: Option<&str>,
    ) -> Result<bool, ApiError> {
        Ok(false)
    }

    fn verify_totp_code(
        &self,
        _: &mut dyn WriteTx,
        _: &str,
        _: &str,
        _: &str,
        _: jiff::Timestamp,
    ) -> Result<bool, ApiError> {
        Ok(false)
    }

    fn root_sessions_enabled(&self, _: &dyn ReadTx, _: &str) -> Result<bool, ApiError> {
        Ok(false)
    }
}
