//! What IAM keeps in the store. Internal records; `core.rs` renders the API views.
//!
//! Names of users, groups, roles, policies and instance profiles are unique per account without
//! regard to case (as in AWS), so primary keys use the lower-cased name and records keep the name as
//! given.

use serde::{Deserialize, Serialize};

/// An IAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// `AIDA` + 17.
    pub id: String,
    /// `/` or `/division/`.
    pub path: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// The permissions boundary policy ARN.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Last console sign-in, ms since epoch.
    #[serde(default)]
    pub password_last_used_ms: Option<i64>,
}

/// An IAM group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// `AGPA` + 17.
    pub id: String,
    /// Path.
    pub path: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// An IAM role.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// `AROA` + 17.
    pub id: String,
    /// Path (`/aws-service-role/<service>/` for service-linked roles).
    pub path: String,
    /// The trust policy document, as given (JSON text, not URL-encoded).
    pub trust_policy: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Longest session, seconds (3600..=43200).
    pub max_session_duration: i32,
    /// The permissions boundary policy ARN.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Last assumed: (ms since epoch, region).
    #[serde(default)]
    pub last_used: Option<(i64, String)>,
    /// A service-linked role: the service principal that owns it.
    #[serde(default)]
    pub service_linked_to: Option<String>,
    /// A role another service provisions and manages (`sso.amazonaws.com` for Identity Center's
    /// `AWSReservedSSO_…` roles): IAM's own operations may not change or delete it.
    #[serde(default)]
    pub managed_by: Option<String>,
}

/// One version of a customer managed policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyVersionRecord {
    /// `v1`, `v2`, ...
    pub version_id: String,
    /// The document, as given (JSON text).
    pub document: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// A customer managed policy (key: its ARN).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManagedPolicyRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// `ANPA` + 17.
    pub id: String,
    /// Path.
    pub path: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Versions, oldest first (at most 5).
    pub versions: Vec<PolicyVersionRecord>,
    /// The default version's id.
    pub default_version_id: String,
    /// The number the next version gets.
    pub next_version: u32,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Last changed (new default version), ms since epoch.
    pub updated_ms: i64,
}

/// A login profile (console password) of a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginProfileRecord {
    /// The password (localorg keeps it to check sign-ins; never returned by the API).
    pub password: localorg_kernel::context::Secret,
    /// The user must set a new password at next sign-in.
    pub password_reset_required: bool,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// A virtual MFA device (key: account, serial number).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MfaDeviceRecord {
    /// `arn:aws:iam::ACCOUNT:mfa/NAME`.
    pub serial_number: String,
    /// The TOTP seed (Base32 text).
    pub seed: localorg_kernel::context::Secret,
    /// The user it is enabled for.
    #[serde(default)]
    pub user_name: Option<String>,
    /// Enabled, ms since epoch.
    #[serde(default)]
    pub enabled_ms: Option<i64>,
    /// The last TOTP time step accepted (a code is accepted once).
    #[serde(default)]
    pub last_step: Option<u64>,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// An instance profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceProfileRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// `AIPA` + 17.
    pub id: String,
    /// Path.
    pub path: String,
    /// The role in it (at most one).
    #[serde(default)]
    pub role_name: Option<String>,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// Account-wide IAM settings (key: account).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IamAccountRecord {
    /// The account alias (at most one).
    #[serde(default)]
    pub alias: Option<String>,
    /// The password policy, as the API's `PasswordPolicy` JSON.
    #[serde(default)]
    pub password_policy: Option<serde_json::Value>,
    /// When the credential report was last generated, ms since epoch.
    #[serde(default)]
    pub credential_report_ms: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// iamextra: identity providers, SSH public keys, service-specific credentials
// ---------------------------------------------------------------------------------------------

/// An OpenID Connect identity provider (key: account, URL without `https://`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OidcProviderRecord {
    /// The owning account.
    pub account_id: String,
    /// The URL as given (`https://...`).
    pub url: String,
    /// The audiences, in the order added.
    #[serde(default)]
    pub client_ids: Vec<String>,
    /// Server certificate thumbprints (40 hex characters each).
    #[serde(default)]
    pub thumbprints: Vec<String>,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// A SAML identity provider (key: account, lower(name)).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SamlProviderRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// The SAML metadata document.
    pub metadata: String,
    /// `validUntil` of the metadata, ms since epoch.
    #[serde(default)]
    pub valid_until_ms: Option<i64>,
    /// `Required` or `Allowed`.
    #[serde(default)]
    pub assertion_encryption_mode: Option<String>,
    /// A UUID naming the provider.
    #[serde(default)]
    pub uuid: String,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Created, ms since epoch.
    pub created_ms: i64,
}

/// An SSH public key of a user (key: account, user id, key id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SshPublicKeyRecord {
    /// `APKA` + 16.
    pub id: String,
    /// The key as uploaded (OpenSSH one-line format, trimmed).
    pub body: String,
    /// The MD5 fingerprint, colon-separated hex.
    pub fingerprint: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Uploaded, ms since epoch.
    pub uploaded_ms: i64,
}

/// A service-specific credential of a user (key: account, user id, credential id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceCredentialRecord {
    /// `ACCA` + 17.
    pub id: String,
    /// `codecommit.amazonaws.com` or `cassandra.amazonaws.com`.
    pub service_name: String,
    /// `<user>-at-<account>` (plus a suffix for the second credential).
    pub service_user_name: String,
    /// The generated password.
    pub password: localorg_kernel::context::Secret,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Expires, ms since epoch (`CredentialAgeDays`).
    #[serde(default)]
    pub expiration_ms: Option<i64>,
}

/// An X.509 signing certificate of a user or the root user (key: account, owner, certificate id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SigningCertificateRecord {
    /// 28 upper-case Base32 characters.
    pub id: String,
    /// The certificate, PEM as uploaded (trimmed).
    pub body: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Uploaded, ms since epoch.
    pub uploaded_ms: i64,
}

/// A server certificate (key: account, lower(name)).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerCertificateRecord {
    /// The owning account.
    pub account_id: String,
    /// The name as given.
    pub name: String,
    /// `ASCA` + 17.
    pub id: String,
    /// Path.
    pub path: String,
    /// The certificate, PEM.
    pub body: String,
    /// The chain, PEM.
    #[serde(default)]
    pub chain: Option<String>,
    /// `notAfter` of the certificate, ms since epoch.
    pub expiration_ms: i64,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Uploaded, ms since epoch.
    pub uploaded_ms: i64,
}
