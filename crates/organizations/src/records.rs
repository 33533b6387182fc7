//! What Organizations keeps in the store. Internal records, not API shapes: each has one function
//! in `shapes.rs` that renders the API view, so the stored format can evolve on its own.

use serde::{Deserialize, Serialize};

/// An organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrganizationRecord {
    /// `o-` + 10 lower-case letters/digits.
    pub id: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// The management account.
    pub management_account_id: String,
    /// `r-` + 4.
    pub root_id: String,
    /// Policy types enabled on the root (`SERVICE_CONTROL_POLICY`, ...), in enabling order.
    pub enabled_policy_types: Vec<String>,
    /// Trusted service principals and when they were enabled (ms since epoch).
    pub service_access: Vec<(String, i64)>,
    /// The open `ENABLE_ALL_FEATURES` handshake, while one is in progress.
    pub all_features_handshake: Option<String>,
    /// Creation time, ms since epoch.
    pub created_ms: i64,
}

/// An account's place in an organization (key: the account id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MembershipRecord {
    /// The organization.
    pub org_id: String,
    /// The root or OU the account sits in.
    pub parent_id: String,
    /// `INVITED` or `CREATED`.
    pub joined_method: String,
    /// When the account joined, ms since epoch.
    pub joined_ms: i64,
}

/// An organizational unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OuRecord {
    /// `ou-` + root suffix + `-` + 8.
    pub id: String,
    /// The organization.
    pub org_id: String,
    /// The OU's name (unique among its siblings).
    pub name: String,
    /// The root or OU above it.
    pub parent_id: String,
}

/// A customer managed policy of an organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyRecord {
    /// `p-` + 8 (SCPs and other types alike).
    pub id: String,
    /// The organization.
    pub org_id: String,
    /// The policy type, e.g. `SERVICE_CONTROL_POLICY`.
    pub policy_type: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The policy document text, as given.
    pub content: String,
    /// Last created or updated, ms since epoch (the effective policy's `LastUpdatedTimestamp`).
    #[serde(default)]
    pub updated_ms: i64,
}

/// A handshake (invitation, enable-all-features request or approval).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HandshakeRecord {
    /// `h-` + 10.
    pub id: String,
    /// The organization that sent it.
    pub org_id: String,
    /// `INVITE`, `ENABLE_ALL_FEATURES`, `APPROVE_ALL_FEATURES`.
    pub action: String,
    /// `REQUESTED`, `OPEN`, `CANCELED`, `ACCEPTED`, `DECLINED` (`EXPIRED` is derived from the clock).
    pub state: String,
    /// Parties: (id, type) with type `ACCOUNT`, `ORGANIZATION` or `EMAIL`.
    pub parties: Vec<(String, String)>,
    /// The account that must answer (resolved from an email when invited by email, if it exists).
    pub target_account_id: Option<String>,
    /// The invitation's email target, when invited by email.
    pub target_email: Option<String>,
    /// Notes sent with an invitation.
    pub notes: Option<String>,
    /// For `APPROVE_ALL_FEATURES`: the `ENABLE_ALL_FEATURES` handshake it answers.
    pub parent_handshake_id: Option<String>,
    /// Requested, ms since epoch.
    pub requested_ms: i64,
    /// Expires, ms since epoch.
    pub expires_ms: i64,
    /// Tags to attach to the invited account when it accepts (`InviteAccountToOrganization`).
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// When the handshake left `OPEN`/`REQUESTED` (accepted, declined, canceled), ms since epoch.
    #[serde(default)]
    pub closed_ms: Option<i64>,
}

/// The status of one `CreateAccount` request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateAccountRecord {
    /// `car-` + 32 lower-case letters/digits.
    pub id: String,
    /// The organization.
    pub org_id: String,
    /// The requested account name.
    pub account_name: String,
    /// `IN_PROGRESS`, `SUCCEEDED` or `FAILED`.
    pub state: String,
    /// The new account, when it succeeded.
    pub account_id: Option<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// Requested, ms since epoch.
    pub requested_ms: i64,
    /// Completed, ms since epoch.
    pub completed_ms: Option<i64>,
    /// The IAM role to create in the new account for the management account to assume
    /// (`OrganizationAccountAccessRole` unless the request named another).
    #[serde(default)]
    pub role_name: Option<String>,
    /// `ALLOW` or `DENY`: whether IAM users of the new account may see billing (default `ALLOW`).
    #[serde(default)]
    pub iam_user_access_to_billing: Option<String>,
}

/// A delegated administrator registration (key: org, account, service principal).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DelegationRecord {
    /// When it was registered, ms since epoch.
    pub enabled_ms: i64,
}

/// The organization's resource-based policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResourcePolicyRecord {
    /// `rp-` + 8.
    pub id: String,
    /// The policy document.
    pub content: String,
}
