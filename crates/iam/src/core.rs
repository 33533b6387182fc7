//! What every IAM operation shares: tables, ids and ARNs, lookups with AWS's error wording, API views
//! and `Marker`/`MaxItems` pagination.

use std::sync::LazyLock;

use localorg_model::generated::iam::{errors, Group, Role, RoleLastUsed, Tag, User};
use localorg_model::{ApiError, Timestamp};
use localorg_store::{decode_token, encode_token, Index, Key, KeyPart, Page, ReadTx, Table};

use super::records::{
    GroupRecord, IamAccountRecord, InstanceProfileRecord, LoginProfileRecord, ManagedPolicyRecord,
    MfaDeviceRecord, RoleRecord, UserRecord,
};
use localorg_kernel::context::BASE32_UPPER;
use localorg_kernel::Ctx;

// ---------------------------------------------------------------------------------------------
// Tables. Primary keys start with the account id; names are lower-cased in keys.
// ---------------------------------------------------------------------------------------------

/// Users: key (account, lower(name)); unique by user id.
pub static USERS: LazyLock<Table<UserRecord>> = LazyLock::new(|| {
    Table::new("iam.user").index(Index::unique("id", |u: &UserRecord| {
        vec![Key::new().str(&u.id)]
    }))
});

/// Groups: key (account, lower(name)).
pub static GROUPS: LazyLock<Table<GroupRecord>> = LazyLock::new(|| {
    Table::new("iam.group").index(Index::unique("id", |g: &GroupRecord| {
        vec![Key::new().str(&g.id)]
    }))
});

/// Group membership: key (account, lower(group), lower(user)), value the user's name.
pub static GROUP_MEMBERS: LazyLock<Table<String>> =
    LazyLock::new(|| Table::new("iam.group_member"));

/// The reverse of [`GROUP_MEMBERS`]: key (account, lower(user), lower(group)), value the group's name.
pub static USER_GROUPS: LazyLock<Table<String>> = LazyLock::new(|| Table::new("iam.user_group"));

/// Roles: key (account, lower(name)); unique by role id.
pub static ROLES: LazyLock<Table<RoleRecord>> = LazyLock::new(|| {
    Table::new("iam.role").index(Index::unique("id", |r: &RoleRecord| {
        vec![Key::new().str(&r.id)]
    }))
});

/// Customer managed policies: key (account, lower(name)).
pub static POLICIES: LazyLock<Table<ManagedPolicyRecord>> =
    LazyLock::new(|| Table::new("iam.policy"));

/// Managed policies attached to identities: key (account, kind, lower(entity), policy ARN), value the
/// policy name. `kind` is `user`, `group` or `role`.
pub static ATTACHED: LazyLock<Table<String>> = LazyLock::new(|| Table::new("iam.attached"));

/// The reverse of [`ATTACHED`]: key (account, policy ARN, kind, lower(entity)), value the entity's
/// name (for `ListEntitiesForPolicy` and attachment counts).
pub static ATTACHED_TO: LazyLock<Table<String>> = LazyLock::new(|| Table::new("iam.attached_to"));

/// Inline policies: key (account, kind, lower(entity), policy name), value the document (JSON text).
pub static INLINE_POLICIES: LazyLock<Table<String>> = LazyLock::new(|| Table::new("iam.inline"));

/// Login profiles: key (account, lower(user)).
pub static LOGIN_PROFILES: LazyLock<Table<LoginProfileRecord>> =
    LazyLock::new(|| Table::new("iam.login_profile"));

/// Virtual MFA devices: key (account, serial number).
pub static MFA_DEVICES: LazyLock<Table<MfaDeviceRecord>> = LazyLock::new(|| Table::new("iam.mfa"));

/// Instance profiles: key (account, lower(name)).
pub static INSTANCE_PROFILES: LazyLock<Table<InstanceProfileRecord>> =
    LazyLock::new(|| Table::new("iam.instance_profile"));

/// Account-wide IAM settings: key (account).
pub static IAM_ACCOUNTS: LazyLock<Table<IamAccountRecord>> =
    LazyLock::new(|| Table::new("iam.account"));

/// The primary key of a named entity of `account`.
pub fn name_key(account_id: &str, name: &str) -> Key {
    Key::new().str(account_id).str(&name.to_lowercase())
}

// ---------------------------------------------------------------------------------------------
// Ids and ARNs
// ---------------------------------------------------------------------------------------------

/// A unique id as IAM makes them: a 4-letter prefix (`AIDA` user, `AGPA` group, `AROA` role,
/// `ANPA` policy, `AIPA` instance profile) + 17 Base32 characters.
pub fn new_unique_id(ctx: &Ctx<'_>, prefix: &str) -> String {
    format!("{prefix}{}", ctx.ids.string(BASE32_UPPER, 17))
}

/// `arn:aws:iam::ACCOUNT:KIND{path}NAME` (kind `user`, `group`, `role`, `policy`, `instance-profile`).
pub fn iam_arn(account_id: &str, kind: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:{kind}{path}{name}")
}

/// Normalises a `Path` input (default `/`).
pub fn path_or_root(path: Option<&str>) -> String {
    path.unwrap_or("/").to_owned()
}

// ---------------------------------------------------------------------------------------------
// Lookups, with AWS's NoSuchEntity wording
// ---------------------------------------------------------------------------------------------

/// `NoSuchEntity` for a named entity: "The user with name alice cannot be found."
pub fn no_such(kind: &str, name: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("The {kind} with name {name} cannot be found."))
}

/// `EntityAlreadyExists`: "User with name alice already exists."
pub fn already_exists(kind: &str, name: &str) -> ApiError {
    errors::ENTITY_ALREADY_EXISTS_EXCEPTION
        .error(format!("{kind} with name {name} already exists."))
}

/// The caller's account's user `name`.
pub fn user(tx: &dyn ReadTx, account_id: &str, name: &str) -> Result<UserRecord, ApiError> {
    USERS
        .get(tx, &name_key(account_id, name))?
        .ok_or_else(|| no_such("user", name))
}

/// The caller's account's group `name`.
pub fn group(tx: &dyn ReadTx, account_id: &str, name: &str) -> Result<GroupRecord, ApiError> {
    GROUPS
        .get(tx, &name_key(account_id, name))?
        .ok_or_else(|| no_such("group", name))
}

/// The caller's account's role `name`.
pub fn role(tx: &dyn ReadTx, account_id: &str, name: &str) -> Result<RoleRecord, ApiError> {
    ROLES
        .get(tx, &name_key(account_id, name))?
        .ok_or_else(|| no_such("role", name))
}

/// The user an operation is about: the named one, or (when `UserName` is absent, as AWS allows for
/// many user operations) the calling IAM user itself.
pub fn target_user_name(
    ctx: &Ctx<'_>,
    user_name: Option<&str>,
) -> Result<Option<String>, ApiError> {
    if let Some(name) = user_name {
        return Ok(Some(name.to_owned()));
    }
    match &ctx.caller.kind {
        localorg_kernel::context::PrincipalKind::User { name } => Ok(Some(name.clone())),
        _ => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// API views
// ---------------------------------------------------------------------------------------------

/// Milliseconds since the epoch as an API timestamp.
pub fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

/// Stored tags as the API's `Tag` list (`None` when empty, as IAM omits empty tag lists).
pub fn tags_shape(tags: &[(String, String)]) -> Option<Vec<Tag>> {
    (!tags.is_empty()).then(|| {
        tags.iter()
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect()
    })
}

/// The `User` view.
pub fn user_shape(u: &UserRecord) -> User {
    User {
        path: u.path.clone(),
        user_name: u.name.clone(),
        user_id: u.id.clone(),
        arn: iam_arn(&u.account_id, "user", &u.path, &u.name),
        create_date: ts(u.created_ms),
        password_last_used: u.password_last_used_ms.map(ts),
        permissions_boundary: u
            .permissions_boundary
            .as_ref()
            .map(|arn| boundary_shape(arn)),
        tags: tags_shape(&u.tags),
    }
}

/// The `Group` view.
pub fn group_shape(g: &GroupRecord) -> Group {
    Group {
        path: g.path.clone(),
        group_name: g.name.clone(),
        group_id: g.id.clone(),
        arn: iam_arn(&g.account_id, "group", &g.path, &g.name),
        create_date: ts(g.created_ms),
    }
}

/// The `Role` view (the trust policy URL-encoded, as IAM returns it).
pub fn role_shape(r: &RoleRecord) -> Role {
    Role {
        path: r.path.clone(),
        role_name: r.name.clone(),
        role_id: r.id.clone(),
        arn: iam_arn(&r.account_id, "role", &r.path, &r.name),
        create_date: ts(r.created_ms),
        assume_role_policy_document: Some(url_encode(&r.trust_policy)),
        description: r.description.clone(),
        max_session_duration: Some(r.max_session_duration),
        permissions_boundary: r
            .permissions_boundary
            .as_ref()
            .map(|arn| boundary_shape(arn)),
        tags: tags_shape(&r.tags),
        role_last_used: Some(RoleLastUsed {
            last_used_date: r.last_used.as_ref().map(|(ms, _)| ts(*ms)),
            region: r.last_used.as_ref().map(|(_, region)| region.clone()),
        }),
        source_role_template: None,
    }
}

/// The `AttachedPermissionsBoundary` view.
pub fn boundary_shape(arn: &str) -> localorg_model::generated::iam::AttachedPermissionsBoundary {
    localorg_model::generated::iam::AttachedPermissionsBoundary {
        permissions_boundary_arn: Some(arn.to_owned()),
        permissions_boundary_type: Some(
            localorg_model::generated::iam::PermissionsBoundaryAttachmentType::PermissionsBoundaryPolicy,
        ),
    }
}

/// Policy documents come back from IAM URL-encoded (RFC 3986), as botocore users know.
pub fn url_encode(text: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}

// ---------------------------------------------------------------------------------------------
// Pagination: `Marker` + `MaxItems` (default 100, at most 1000), `IsTruncated`.
// ---------------------------------------------------------------------------------------------

/// IAM's default page size.
pub const DEFAULT_MAX_ITEMS: usize = 100;

/// The page size for a `MaxItems` input.
pub fn max_items(max: Option<i32>) -> usize {
    max.and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_MAX_ITEMS)
}

/// Decodes a `Marker`; a marker this listing did not hand out is a `ValidationError`.
pub fn decode_marker(marker: Option<&str>) -> Result<Option<Vec<u8>>, ApiError> {
    marker
        .map(|m| {
            decode_token(m).map_err(|_| ApiError::new("ValidationError", 400, "Invalid Marker."))
        })
        .transpose()
}

/// `(IsTruncated, Marker)` of a page.
pub fn page_marker<T>(page: &Page<T>) -> (bool, Option<String>) {
    match page.next.as_deref() {
        Some(next) => (true, Some(encode_token(next))),
        None => (false, None),
    }
}

/// One page of a prefix listing: the records, `IsTruncated` and the next `Marker`.
pub fn list_page<V: serde::de::DeserializeOwned + serde::Serialize>(
    tx: &dyn ReadTx,
    table: &Table<V>,
    prefix: &Key,
    marker: Option<&str>,
    max: Option<i32>,
) -> Result<(Vec<V>, bool, Option<String>), ApiError> {
    let after = decode_marker(marker)?;
    let page = table.scan(tx, prefix, after.as_deref(), max_items(max))?;
    let (truncated, next) = page_marker(&page);
    Ok((
        page.items.into_iter().map(|(_, v)| v).collect(),
        truncated,
        next,
    ))
}

/// True when `path` (an IAM path) starts with `prefix` (a `PathPrefix` filter; `/` matches all).
pub fn path_matches(path: &str, prefix: Option<&str>) -> bool {
    prefix.is_none_or(|p| path.starts_with(p))
}

/// The account-wide IAM settings (defaults when never written).
pub fn iam_account(tx: &dyn ReadTx, account_id: &str) -> Result<IamAccountRecord, ApiError> {
    Ok(IAM_ACCOUNTS
        .get(tx, &Key::new().str(account_id))?
        .unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------
// MFA devices, as the directory port reports them
// ---------------------------------------------------------------------------------------------

/// True when the virtual MFA device `serial_number` of `account_id` is enabled for `user_name`
/// (`None`: the account's root user).
pub fn mfa_device_enabled_for(
    tx: &dyn ReadTx,
    account_id: &str,
    serial_number: &str,
    user_name: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(device) = MFA_DEVICES.get(tx, &Key::new().str(account_id).str(serial_number))? else {
        return Ok(false);
    };
    if device.enabled_ms.is_none() {
        return Ok(false);
    }
    Ok(match (user_name, device.user_name.as_deref()) {
        (Some(wanted), Some(owner)) => wanted.eq_ignore_ascii_case(owner),
        // The root user's device: enabled without a user name (or under the account's own name).
        (None, None) => true,
        (None, Some(owner)) => owner == account_id || owner == "root",
        (Some(_), None) => false,
    })
}

// ---------------------------------------------------------------------------------------------
// Shared by the IAM modules
// ---------------------------------------------------------------------------------------------

/// One page of an in-memory listing sorted by `sort key`: `Marker` is the last key handed out.
pub fn page_of<T>(
    mut items: Vec<(String, T)>,
    marker: Option<&str>,
    max: Option<i32>,
) -> Result<(Vec<T>, bool, Option<String>), ApiError> {
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let after = decode_marker(marker)?;
    let limit = max_items(max);
    let mut rest = items
        .into_iter()
        .filter(|(k, _)| after.as_deref().is_none_or(|a| k.as_bytes() > a))
        .peekable();
    let mut page = Vec::new();
    let mut last = None;
    while page.len() < limit {
        let Some((k, v)) = rest.next() else { break };
        page.push(v);
        last = Some(k);
    }
    let truncated = rest.peek().is_some();
    let marker = if truncated {
        last.map(|k| encode_token(k.as_bytes()))
    } else {
        None
    };
    Ok((page, truncated, marker))
}

/// The last part of a key, when it is a string.
pub fn last_str(key: &Key) -> Result<Option<String>, ApiError> {
    let parts = key
        .parts()
        .map_err(|e| ApiError::internal(format!("corrupt key: {e}")))?;
    Ok(match parts.into_iter().last() {
        Some(KeyPart::Str(s)) => Some(s),
        _ => None,
    })
}

/// Checks a permissions boundary ARN: a customer managed policy of the account (path included) or
/// an AWS managed policy localorg knows that is not a service-role policy. Returns the ARN.
pub fn check_boundary(tx: &dyn ReadTx, account: &str, arn: &str) -> Result<String, ApiError> {
    let invalid = || errors::INVALID_INPUT_EXCEPTION.error(format!("ARN {arn} is not valid."));
    let not_attachable = || {
        errors::NO_SUCH_ENTITY_EXCEPTION
            .error(format!("Policy {arn} does not exist or is not attachable."))
    };
    let rest = arn.strip_prefix("arn:aws:iam::").ok_or_else(invalid)?;
    let (owner, resource) = rest.split_once(':').ok_or_else(invalid)?;
    let path_name = resource.strip_prefix("policy/").ok_or_else(invalid)?;
    let name = path_name.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        return Err(invalid());
    }
    if owner == "aws" {
        return match super::aws_managed::aws_managed_policy(arn) {
            Some(p) if !p.is_service_role_policy() => Ok(arn.to_owned()),
            _ => Err(not_attachable()),
        };
    }
    if owner != account {
        return Err(not_attachable());
    }
    match super::policies::policy_document(tx, account, arn)? {
        Some(_) => Ok(arn.to_owned()),
        None => Err(not_attachable()),
    }
}

// ---------------------------------------------------------------------------------------------
// iamextra: identity providers, SSH public keys, service-specific credentials
// ---------------------------------------------------------------------------------------------

/// OpenID Connect providers: key (account, URL without `https://`).
pub static OIDC_PROVIDERS: LazyLock<Table<super::records::OidcProviderRecord>> =
    LazyLock::new(|| Table::new("iam.oidc_provider"));

/// SAML providers: key (account, lower(name)).
pub static SAML_PROVIDERS: LazyLock<Table<super::records::SamlProviderRecord>> =
    LazyLock::new(|| Table::new("iam.saml_provider"));

/// SSH public keys: key (account, user id, key id). Keyed by the user's id so a renamed user keeps
/// its keys.
pub static SSH_PUBLIC_KEYS: LazyLock<Table<super::records::SshPublicKeyRecord>> =
    LazyLock::new(|| Table::new("iam.ssh_public_key"));

/// Service-specific credentials: key (account, user id, credential id).
pub static SERVICE_CREDENTIALS: LazyLock<Table<super::records::ServiceCredentialRecord>> =
    LazyLock::new(|| Table::new("iam.service_credential"));

/// Signing certificates: key (account, owner (user id, or `root`), certificate id).
pub static SIGNING_CERTIFICATES: LazyLock<Table<super::records::SigningCertificateRecord>> =
    LazyLock::new(|| Table::new("iam.signing_certificate"));

/// Server certificates: key (account, lower(name)).
pub static SERVER_CERTIFICATES: LazyLock<Table<super::records::ServerCertificateRecord>> =
    LazyLock::new(|| Table::new("iam.server_certificate"));

/// The OpenID Connect provider of `account_id` for the token issuer `issuer` (a URL, with or
/// without `https://`): its ARN and record (client ids, thumbprints); `None` when there is none
/// (for `AssumeRoleWithWebIdentity`).
#[expect(
    dead_code,
    reason = "for federation (AssumeRoleWithWebIdentity, AssumeRoleWithSAML), through the directory port"
)]
pub fn oidc_provider_for_issuer(
    tx: &dyn ReadTx,
    account_id: &str,
    issuer: &str,
) -> Result<Option<(String, super::records::OidcProviderRecord)>, ApiError> {
    let rest = issuer.strip_prefix("https://").unwrap_or(issuer);
    let rest = rest.trim_end_matches('/');
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let resource = format!("{}{path}", host.to_lowercase());
    Ok(OIDC_PROVIDERS
        .get(tx, &Key::new().str(account_id).str(&resource))?
        .map(|p| {
            (
                format!("arn:aws:iam::{account_id}:oidc-provider/{resource}"),
                p,
            )
        }))
}

/// The SAML metadata document of the SAML provider `arn` of `account_id`; `None` when there is no
/// such provider (for `AssumeRoleWithSAML`).
#[expect(
    dead_code,
    reason = "for federation (AssumeRoleWithWebIdentity, AssumeRoleWithSAML), through the directory port"
)]
pub fn saml_provider_metadata(
    tx: &dyn ReadTx,
    account_id: &str,
    arn: &str,
) -> Result<Option<String>, ApiError> {
    let Some(name) = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_prefix(account_id))
        .and_then(|r| r.strip_prefix(":saml-provider/"))
    else {
        return Ok(None);
    };
    Ok(SAML_PROVIDERS
        .get(tx, &name_key(account_id, name))?
        .map(|p| p.metadata))
}
