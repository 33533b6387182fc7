//! What Identity Center keeps in the store: internal records, not API shapes.

use serde::{Deserialize, Serialize};

/// An Identity Center instance (one per account; the management account's is the organization's).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceRecord {
    /// `ssoins-` + 16 hex.
    pub id: String,
    /// The account that owns it.
    pub owner_account_id: String,
    /// The organization whose instance it is (`None`: an account instance).
    pub org_id: Option<String>,
    /// `d-` + 10 hex.
    pub identity_store_id: String,
    /// The instance's name, if given.
    pub name: Option<String>,
    /// The Region it was created in.
    pub region: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Tags, in the order given.
    pub tags: Vec<(String, String)>,
    /// The identity store's network configuration (`UpdateIdentityStore`), as given.
    #[serde(default)]
    pub network_configuration: Option<serde_json::Value>,
    /// Attributes for access control (`InstanceAccessControlAttributeConfiguration`), as given.
    #[serde(default)]
    pub access_control_attributes: Option<serde_json::Value>,
    /// Regions the instance was replicated to (`AddRegion`), with when, ms since epoch.
    #[serde(default)]
    pub added_regions: Vec<(String, i64)>,
}

impl InstanceRecord {
    /// `arn:aws:sso:::instance/ssoins-…`.
    pub fn arn(&self) -> String {
        format!("arn:aws:sso:::instance/{}", self.id)
    }

    /// `arn:aws:identitystore::OWNER:identitystore/d-…`.
    pub fn identity_store_arn(&self) -> String {
        identity_store_arn(&self.owner_account_id, &self.identity_store_id)
    }
}

/// `arn:aws:identitystore::ACCOUNT:identitystore/d-…`.
pub fn identity_store_arn(account_id: &str, identity_store_id: &str) -> String {
    format!("arn:aws:identitystore::{account_id}:identitystore/{identity_store_id}")
}

/// A user or a group of an identity store: its attributes as the API names them (`UserName`,
/// `Name`, `Emails`, … or `DisplayName`, `Description`), plus what the store keeps about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryRecord {
    /// The identity store.
    pub identity_store_id: String,
    /// `<store suffix>-<uuid>`.
    pub id: String,
    /// The API attributes (a JSON object with the API's member names).
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Who created it (a principal ARN).
    pub created_by: String,
    /// Last updated, ms since epoch.
    pub updated_ms: i64,
    /// Who updated it last.
    pub updated_by: String,
    /// Bumped by every change (`Revision`).
    pub revision: u64,
}

/// A user's membership in a group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MembershipRecord {
    /// The identity store.
    pub identity_store_id: String,
    /// `<store suffix>-<uuid>`.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// The member (a user).
    pub user_id: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Who created it.
    pub created_by: String,
}
