//! Signing in: OIDC (sso-oidc: client registration, the device authorization grant, refresh
//! tokens), the access portal API (sso: accounts and roles a user may reach, role credentials,
//! logout), identity store users' passwords, and approving a device code.
//!
//! The access portal of an instance is `<endpoint>/start/<IdentityStoreId>` (AWS's
//! `https://d-….awsapps.com/start` works too: the identity store id is what counts). A device code
//! is approved on localorg's sign-in page (`<endpoint>/start/device?user_code=…`) or with
//! `localorg sso approve`, both through [`approve_device`]. Portal credentials are STS sessions of
//! the provisioned `AWSReservedSSO_…` role named after the user, lasting the permission set's
//! session duration.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use localorg_kernel::credentials::{self, NewSession};
use localorg_kernel::{accounts, Ctx, IdGen, PrincipalKind};
use localorg_model::generated::{sso, sso_oidc};
use localorg_model::ApiError;
use localorg_store::{Index, Key, ReadTx, Store, Table, WriteTx};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::assignments::{assignments_of_user, provisioned_role};
use crate::core::{entry_key, shape, INSTANCES, MEMBERSHIPS, USERS};
use crate::permission_sets::{duration_seconds, PERMISSION_SETS};
use crate::records::{EntryRecord, InstanceRecord};

/// Client registrations last 90 days.
const CLIENT_LIFETIME_MS: i64 = 90 * 86_400_000;
/// Device codes expire after 10 minutes.
const DEVICE_CODE_SECONDS: i64 = 600;
/// Clients poll `CreateToken` at most once a second.
const POLL_INTERVAL_SECONDS: i64 = 1;
/// Access tokens last 8 hours (AWS's default session for the portal).
const ACCESS_TOKEN_SECONDS: i64 = 8 * 3600;
/// Refresh tokens last 90 days.
const REFRESH_TOKEN_MS: i64 = 90 * 86_400_000;
/// The device-code grant.
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// User codes: upper-case letters without the look-alikes.
const USER_CODE_CHARS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
const TOKEN_CHARS: &[u8] = localorg_kernel::context::ALNUM;

/// A registered OIDC client.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ClientRecord {
    client_id: String,
    secret: String,
    name: String,
    scopes: Vec<String>,
    issued_ms: i64,
    expires_ms: i64,
}

/// A device authorization in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DeviceRecord {
    device_code: String,
    user_code: String,
    client_id: String,
    instance_id: String,
    expires_ms: i64,
    /// The user who approved it.
    approved_user: Option<String>,
    /// Already exchanged for a token.
    redeemed: bool,
}

/// An access or refresh token: whose, for which instance, until when.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenRecord {
    instance_id: String,
    user_id: String,
    client_id: String,
    scopes: Vec<String>,
    expires_ms: i64,
}

/// A user's password: a salted SHA-256 (localorg's passwords are test credentials; a slow KDF
/// would only slow test suites).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PasswordRecord {
    salt: String,
    hash: String,
}

static CLIENTS: LazyLock<Table<ClientRecord>> = LazyLock::new(|| Table::new("sso.oidc_client"));
static DEVICES: LazyLock<Table<DeviceRecord>> = LazyLock::new(|| {
    Table::new("sso.oidc_device").index(Index::unique("user_code", |d: &DeviceRecord| {
        vec![Key::new().str(&d.user_code)]
    }))
});
static ACCESS_TOKENS: LazyLock<Table<TokenRecord>> =
    LazyLock::new(|| Table::new("sso.access_token"));
static REFRESH_TOKENS: LazyLock<Table<TokenRecord>> =
    LazyLock::new(|| Table::new("sso.refresh_token"));
/// Passwords by (identity store, user id).
static PASSWORDS: LazyLock<Table<PasswordRecord>> = LazyLock::new(|| Table::new("sso.password"));

/// A user's virtual MFA device: its Base32 seed and the last accepted TOTP step.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct MfaRecord {
    seed: localorg_kernel::Secret,
    last_step: Option<u64>,
}

/// MFA devices by (identity store, user id).
static MFA_DEVICES: LazyLock<Table<MfaRecord>> = LazyLock::new(|| Table::new("sso.mfa"));

fn oidc_error(
    spec: &localorg_model::generated::ErrorSpec,
    error: &str,
    description: &str,
) -> ApiError {
    spec.error(description.to_owned())
        .with_field("error", error)
        .with_field("error_description", description)
}

fn hash(salt: &str, password: &str) -> String {
    let digest = Sha256::digest(format!("{salt}:{password}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// sso-oidc
// ---------------------------------------------------------------------------------------------

fn client(
    tx: &dyn ReadTx,
    id: &str,
    secret: Option<&str>,
    now: i64,
) -> Result<ClientRecord, ApiError> {
    CLIENTS
        .get(tx, &Key::new().str(id))?
        .filter(|c| secret.is_none_or(|s| s == c.secret) && c.expires_ms > now)
        .ok_or_else(|| {
            oidc_error(
                sso_oidc::errors::INVALID_CLIENT_EXCEPTION,
                "invalid_client",
                "Invalid client: unknown client, wrong secret, or expired registration.",
            )
        })
}

/// `RegisterClient`.
pub fn register_client(
    ctx: &mut Ctx<'_>,
    input: sso_oidc::RegisterClientRequest,
) -> Result<sso_oidc::RegisterClientResponse, ApiError> {
    let now = ctx.now_ms();
    let record = ClientRecord {
        client_id: ctx.ids.string(TOKEN_CHARS, 22),
        secret: ctx.ids.string(TOKEN_CHARS, 96),
        name: input.client_name,
        scopes: input.scopes.unwrap_or_default(),
        issued_ms: now,
        expires_ms: now + CLIENT_LIFETIME_MS,
    };
    CLIENTS.put(ctx.tx.write()?, &Key::new().str(&record.client_id), &record)?;
    Ok(sso_oidc::RegisterClientResponse {
        client_id: Some(record.client_id),
        client_secret: Some(record.secret),
        client_id_issued_at: Some(record.issued_ms / 1000),
        client_secret_expires_at: Some(record.expires_ms / 1000),
        authorization_endpoint: None,
        token_endpoint: None,
    })
}

/// The instance a start URL names: by the identity store id (`d-` + 10 hex) or instance id in it.
fn instance_of_start_url(tx: &dyn ReadTx, url: &str) -> Result<Option<InstanceRecord>, ApiError> {
    for token in url.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if token.len() == 12 && token.starts_with("d-") {
            if let Some((_, i)) = INSTANCES.get_by(tx, "store", &Key::new().str(token))? {
                return Ok(Some(i));
            }
        }
        if token.starts_with("ssoins-") {
            if let Some(i) = INSTANCES.get(tx, &Key::new().str(token))? {
                return Ok(Some(i));
            }
        }
    }
    Ok(None)
}

/// `StartDeviceAuthorization`.
pub fn start_device_authorization(
    ctx: &mut Ctx<'_>,
    input: sso_oidc::StartDeviceAuthorizationRequest,
) -> Result<sso_oidc::StartDeviceAuthorizationResponse, ApiError> {
    let now = ctx.now_ms();
    let tx = ctx.tx.read();
    let client = client(tx, &input.client_id, Some(&input.client_secret), now)?;
    let instance = instance_of_start_url(tx, &input.start_url)?.ok_or_else(|| {
        oidc_error(
            sso_oidc::errors::INVALID_REQUEST_EXCEPTION,
            "invalid_request",
            &format!(
                "The start URL {} names no Identity Center instance: use {}/start/<IdentityStoreId>.",
                input.start_url, ctx.endpoint
            ),
        )
    })?;
    let user_code = loop {
        let code = format!(
            "{}-{}",
            ctx.ids.string(USER_CODE_CHARS, 4),
            ctx.ids.string(USER_CODE_CHARS, 4)
        );
        if DEVICES
            .get_by(tx, "user_code", &Key::new().str(&code))?
            .is_none()
        {
            break code;
        }
    };
    let record = DeviceRecord {
        device_code: ctx.ids.string(TOKEN_CHARS, 64),
        user_code: user_code.clone(),
        client_id: client.client_id,
        instance_id: instance.id,
        expires_ms: now + DEVICE_CODE_SECONDS * 1000,
        approved_user: None,
        redeemed: false,
    };
    let verification = format!("{}/start/device", ctx.endpoint);
    DEVICES.put(
        ctx.tx.write()?,
        &Key::new().str(&record.device_code),
        &record,
    )?;
    Ok(sso_oidc::StartDeviceAuthorizationResponse {
        device_code: Some(record.device_code),
        user_code: Some(user_code.clone()),
        verification_uri: Some(verification.clone()),
        verification_uri_complete: Some(format!("{verification}?user_code={user_code}")),
        expires_in: Some(DEVICE_CODE_SECONDS as i32),
        interval: Some(POLL_INTERVAL_SECONDS as i32),
    })
}

/// Issues an access token (and a refresh token when the client asked for portal access scopes).
fn issue_tokens(
    ctx: &mut Ctx<'_>,
    client: &ClientRecord,
    instance_id: &str,
    user_id: &str,
) -> Result<sso_oidc::CreateTokenResponse, ApiError> {
    let now = ctx.now_ms();
    let access = TokenRecord {
        instance_id: instance_id.to_owned(),
        user_id: user_id.to_owned(),
        client_id: client.client_id.clone(),
        scopes: client.scopes.clone(),
        expires_ms: now + ACCESS_TOKEN_SECONDS * 1000,
    };
    let access_token = format!("aoa{}", ctx.ids.string(TOKEN_CHARS, 120));
    let refresh_token =
        (!client.scopes.is_empty()).then(|| format!("aor{}", ctx.ids.string(TOKEN_CHARS, 120)));
    let tx = ctx.tx.write()?;
    ACCESS_TOKENS.put(tx, &Key::new().str(&access_token), &access)?;
    if let Some(refresh) = &refresh_token {
        let record = TokenRecord {
            expires_ms: now + REFRESH_TOKEN_MS,
            ..access.clone()
        };
        REFRESH_TOKENS.put(tx, &Key::new().str(refresh), &record)?;
    }
    Ok(sso_oidc::CreateTokenResponse {
        access_token: Some(access_token),
        token_type: Some("Bearer".to_owned()),
        expires_in: Some(ACCESS_TOKEN_SECONDS as i32),
        refresh_token,
        id_token: None,
    })
}

/// `CreateToken`: the device-code grant (pending, slow-down, expired, approved) and the
/// refresh-token grant.
pub fn create_token(
    ctx: &mut Ctx<'_>,
    input: sso_oidc::CreateTokenRequest,
) -> Result<sso_oidc::CreateTokenResponse, ApiError> {
    let now = ctx.now_ms();
    let client = client(
        ctx.tx.read(),
        &input.client_id,
        Some(&input.client_secret),
        now,
    )?;
    let invalid_grant = |what: &str| {
        oidc_error(
            sso_oidc::errors::INVALID_GRANT_EXCEPTION,
            "invalid_grant",
            what,
        )
    };
    match input.grant_type.as_str() {
        DEVICE_GRANT => {
            let code = input.device_code.as_deref().unwrap_or_default();
            let key = Key::new().str(code);
            let mut device = DEVICES
                .get(ctx.tx.read(), &key)?
                .filter(|d| d.client_id == client.client_id && !d.redeemed)
                .ok_or_else(|| invalid_grant("Invalid grant provided"))?;
            if device.expires_ms <= now {
                return Err(oidc_error(
                    sso_oidc::errors::EXPIRED_TOKEN_EXCEPTION,
                    "expired_token",
                    "The device code has expired.",
                ));
            }
            let Some(user_id) = device.approved_user.clone() else {
                return Err(if polled_too_soon(&device.device_code, now) {
                    oidc_error(
                        sso_oidc::errors::SLOW_DOWN_EXCEPTION,
                        "slow_down",
                        "Client is polling too fast.",
                    )
                } else {
                    oidc_error(
                        sso_oidc::errors::AUTHORIZATION_PENDING_EXCEPTION,
                        "authorization_pending",
                        "The user has not approved the request yet.",
                    )
                });
            };
            device.redeemed = true;
            DEVICES.put(ctx.tx.write()?, &key, &device)?;
            issue_tokens(ctx, &client, &device.instance_id, &user_id)
        }
        "refresh_token" => {
            let token = input.refresh_token.as_deref().unwrap_or_default();
            let key = Key::new().str(token);
            let record = REFRESH_TOKENS
                .get(ctx.tx.read(), &key)?
                .filter(|r| r.client_id == client.client_id && r.expires_ms > now)
                .ok_or_else(|| invalid_grant("Invalid refresh token provided"))?;
            REFRESH_TOKENS.delete(ctx.tx.write()?, &key)?;
            issue_tokens(ctx, &client, &record.instance_id, &record.user_id)
        }
        other => Err(oidc_error(
            sso_oidc::errors::UNSUPPORTED_GRANT_TYPE_EXCEPTION,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {other}"),
        )),
    }
}

/// When each pending device code was last polled. Kept in memory: the answer to a poll is an error,
/// so the call's transaction does not commit, and the interval only matters while a client polls.
static LAST_POLLS: LazyLock<Mutex<HashMap<String, i64>>> = LazyLock::new(Mutex::default);

/// Records a poll of `device_code`; true when the previous one was less than the interval ago.
fn polled_too_soon(device_code: &str, now_ms: i64) -> bool {
    let mut polls = LAST_POLLS.lock().unwrap_or_else(|p| p.into_inner());
    // Codes live 10 minutes: forget older polls so the map stays small.
    polls.retain(|_, at| now_ms - *at < DEVICE_CODE_SECONDS * 1000);
    let previous = polls.insert(device_code.to_owned(), now_ms);
    previous.is_some_and(|last| now_ms - last < POLL_INTERVAL_SECONDS * 1000)
}

// ---------------------------------------------------------------------------------------------
// The access portal (sso)
// ---------------------------------------------------------------------------------------------

fn unauthorized() -> ApiError {
    sso::errors::UNAUTHORIZED_EXCEPTION.error("Session token not found or invalid")
}

/// The user and instance of a portal access token.
fn session(ctx: &Ctx<'_>, token: &str) -> Result<(InstanceRecord, EntryRecord), ApiError> {
    let tx = ctx.tx.read();
    let record = ACCESS_TOKENS
        .get(tx, &Key::new().str(token))?
        .filter(|t| t.expires_ms > ctx.now_ms())
        .ok_or_else(unauthorized)?;
    let instance = INSTANCES
        .get(tx, &Key::new().str(&record.instance_id))?
        .ok_or_else(unauthorized)?;
    let user = USERS
        .get(tx, &entry_key(&instance.identity_store_id, &record.user_id))?
        .ok_or_else(unauthorized)?;
    Ok((instance, user))
}

/// The groups `user` belongs to.
fn groups_of(
    tx: &dyn ReadTx,
    instance: &InstanceRecord,
    user: &EntryRecord,
) -> Result<Vec<String>, ApiError> {
    Ok(MEMBERSHIPS
        .scan_index(
            tx,
            "member",
            &Key::new().str(&instance.identity_store_id).str(&user.id),
            None,
            usize::MAX,
        )?
        .items
        .into_iter()
        // A group's memberships go with it, so every membership names a live group.
        .map(|(_, m)| m.group_id)
        .collect())
}

/// (account, permission set id) pairs the user may reach, directly or through its groups.
fn entitlements(
    ctx: &Ctx<'_>,
    instance: &InstanceRecord,
    user: &EntryRecord,
) -> Result<Vec<(String, String)>, ApiError> {
    let tx = ctx.tx.read();
    let mut out = assignments_of_user(tx, instance, "USER", &user.id)?;
    for group in groups_of(tx, instance, user)? {
        out.extend(assignments_of_user(tx, instance, "GROUP", &group)?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn permission_set_name(
    tx: &dyn ReadTx,
    instance: &InstanceRecord,
    ps_id: &str,
) -> Result<Option<String>, ApiError> {
    Ok(PERMISSION_SETS
        .get(tx, &Key::new().str(&instance.id).str(ps_id))?
        .map(|p| p.name))
}

/// `ListAccounts` (portal): the accounts the user has an assignment in.
pub fn list_accounts(
    ctx: &mut Ctx<'_>,
    input: sso::ListAccountsRequest,
) -> Result<sso::ListAccountsResponse, ApiError> {
    let (instance, user) = session(ctx, &input.access_token)?;
    let mut ids: Vec<String> = entitlements(ctx, &instance, &user)?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    ids.dedup();
    let mut list = Vec::new();
    for id in ids {
        if let Some(a) = accounts::get(ctx.tx.read(), &id)? {
            list.push(json!({"accountId": a.id, "accountName": a.name, "emailAddress": a.email}));
        }
    }
    shape(json!({"accountList": list}))
}

/// `ListAccountRoles` (portal): the permission sets the user may use in the account.
pub fn list_account_roles(
    ctx: &mut Ctx<'_>,
    input: sso::ListAccountRolesRequest,
) -> Result<sso::ListAccountRolesResponse, ApiError> {
    let (instance, user) = session(ctx, &input.access_token)?;
    let tx = ctx.tx.read();
    let mut roles = Vec::new();
    for (account, ps_id) in entitlements(ctx, &instance, &user)? {
        if account == input.account_id {
            if let Some(name) = permission_set_name(tx, &instance, &ps_id)? {
                roles.push(json!({"accountId": account, "roleName": name}));
            }
        }
    }
    shape(json!({"roleList": roles}))
}

/// `GetRoleCredentials` (portal): an STS session of the provisioned role, named after the user,
/// lasting the permission set's session duration.
pub fn get_role_credentials(
    ctx: &mut Ctx<'_>,
    input: sso::GetRoleCredentialsRequest,
) -> Result<sso::GetRoleCredentialsResponse, ApiError> {
    let (instance, user) = session(ctx, &input.access_token)?;
    // AWS's portal answers a role the user may not use with `ForbiddenException` (403).
    let no_access = || ApiError::new("ForbiddenException", 403, "No access");
    let tx = ctx.tx.read();
    let mut found = None;
    for (account, ps_id) in entitlements(ctx, &instance, &user)? {
        if account != input.account_id {
            continue;
        }
        let Some(ps) = PERMISSION_SETS.get(tx, &Key::new().str(&instance.id).str(&ps_id))? else {
            continue;
        };
        if ps.name == input.role_name {
            found = Some(ps);
            break;
        }
    }
    let ps = found.ok_or_else(no_access)?;
    let role_name =
        provisioned_role(tx, &instance, &ps.id, &input.account_id)?.ok_or_else(no_access)?;
    let role = ctx
        .directory()
        .role(tx, &input.account_id, &role_name)?
        .ok_or_else(no_access)?;
    let user_name = user
        .attributes
        .get("UserName")
        .and_then(Value::as_str)
        .unwrap_or(&user.id)
        .to_owned();
    let now = ctx.now_ms();
    let seconds = duration_seconds(&ps.session_duration).unwrap_or(3600);
    let expires_ms = (now / 1000 + seconds) * 1000;
    let issued = credentials::issue_session(
        ctx,
        NewSession {
            account_id: input.account_id.clone(),
            principal: PrincipalKind::AssumedRole {
                role_name: role.name.clone(),
                role_path: role.path.clone(),
                session_name: user_name.clone(),
            },
            principal_id: format!("{}:{user_name}", role.id),
            principal_arn: format!(
                "arn:aws:sts::{}:assumed-role/{}/{user_name}",
                input.account_id, role.name
            ),
            context: localorg_kernel::context::SessionContext {
                issued_ms: now,
                expires_ms,
                tags: crate::attributes::session_tags(&instance, &user),
                ..Default::default()
            },
            min_token_size: None,
            packed_bytes: 0,
        },
    )?;
    shape(json!({"roleCredentials": {
        "accessKeyId": issued.access_key_id,
        "secretAccessKey": issued.secret.expose(),
        "sessionToken": issued.token,
        "expiration": issued.expires_ms,
    }}))
}

/// `Logout` (portal): the access token stops working.
pub fn logout(ctx: &mut Ctx<'_>, input: sso::LogoutRequest) -> Result<(), ApiError> {
    let key = Key::new().str(&input.access_token);
    if !ACCESS_TOKENS.contains(ctx.tx.read(), &key)? {
        return Err(unauthorized());
    }
    ACCESS_TOKENS.delete(ctx.tx.write()?, &key)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Passwords and approval (localorg's sign-in page, `localorg sso approve`, `set-password`)
// ---------------------------------------------------------------------------------------------

/// Why signing in or approving failed, in words for the person at the page or the command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// No pending request has that code, or it expired.
    #[error("the code {0} is not valid or has expired: start the sign-in again")]
    UnknownCode(String),
    /// Wrong user name or password (not saying which).
    #[error("incorrect user name or password")]
    BadCredentials,
    /// The user has an MFA device and the code was missing or wrong.
    #[error("an MFA code is required: the code is missing, wrong or already used")]
    BadMfaCode,
    /// The request cannot be honoured (no such user, a password too short).
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error("{0}")]
    Internal(String),
}

impl From<ApiError> for SignInError {
    fn from(e: ApiError) -> Self {
        SignInError::Internal(e.message)
    }
}

impl From<localorg_store::StoreError> for SignInError {
    fn from(e: localorg_store::StoreError) -> Self {
        SignInError::Internal(e.to_string())
    }
}

fn user_by_name(
    tx: &dyn ReadTx,
    store_id: &str,
    user_name: &str,
) -> Result<Option<EntryRecord>, SignInError> {
    Ok(USERS
        .get_by(
            tx,
            "user_name",
            &crate::core::entry_key_value(store_id, user_name),
        )?
        .map(|(_, u)| u))
}

/// Sets the password of the identity store user `user_name` (an administrator's reset) in the
/// store `identity_store_id` or of the instance `instance_arn`, or in the instance of
/// `caller_account` when neither is named. Only the account that owns the instance may; returns the
/// identity store id.
pub fn set_password(
    store: &Store,
    ids: &IdGen,
    caller_account: &str,
    identity_store_id: Option<&str>,
    instance_arn: Option<&str>,
    user_name: &str,
    password: &str,
) -> Result<String, SignInError> {
    if password.chars().count() < 8 {
        return Err(SignInError::Invalid(
            "the password must have at least 8 characters".to_owned(),
        ));
    }
    store.write(|tx: &mut dyn WriteTx| {
        let instance = match (identity_store_id, instance_arn) {
            (Some(id), _) => INSTANCES
                .get_by(tx.as_read(), "store", &Key::new().str(id))?
                .map(|(_, i)| i),
            (None, Some(arn)) => {
                let id = crate::core::plain_id(arn);
                INSTANCES.get(tx.as_read(), &Key::new().str(id))?
            }
            (None, None) => INSTANCES
                .get_by(tx.as_read(), "owner", &Key::new().str(caller_account))?
                .map(|(_, i)| i),
        }
        .filter(|i| i.owner_account_id == caller_account)
        .ok_or_else(|| {
            SignInError::Invalid(format!(
                "account {caller_account} owns no identity store {}",
                identity_store_id.or(instance_arn).unwrap_or("(none named)")
            ))
        })?;
        let store_id = instance.identity_store_id;
        let user = user_by_name(tx.as_read(), &store_id, user_name)?.ok_or_else(|| {
            SignInError::Invalid(format!("no user {user_name} in identity store {store_id}"))
        })?;
        let salt = ids.string(TOKEN_CHARS, 16);
        let record = PasswordRecord {
            hash: hash(&salt, password),
            salt,
        };
        PASSWORDS.put(tx, &entry_key(&store_id, &user.id), &record)?;
        Ok(store_id)
    })
}

/// Registers a virtual MFA device for the identity store user `user_name` (replacing any), and
/// returns its Base32 seed: from then on signing in needs a TOTP code.
pub fn register_mfa_device(
    store: &Store,
    ids: &IdGen,
    identity_store_id: &str,
    user_name: &str,
) -> Result<String, SignInError> {
    store.write(|tx: &mut dyn WriteTx| {
        let user = user_by_name(tx.as_read(), identity_store_id, user_name)?.ok_or_else(|| {
            SignInError::Invalid(format!(
                "no user {user_name} in identity store {identity_store_id}"
            ))
        })?;
        let seed = ids.string(localorg_kernel::context::BASE32_UPPER, 32);
        let record = MfaRecord {
            seed: localorg_kernel::Secret::new(seed.clone()),
            last_step: None,
        };
        MFA_DEVICES.put(tx, &entry_key(identity_store_id, &user.id), &record)?;
        Ok(seed)
    })
}

/// Approves the device authorization `user_code` as the user `user_name` of its instance, who
/// proves it with `password` (and a TOTP code when it registered an MFA device): the client's next
/// `CreateToken` gets the user's tokens.
pub fn approve_device(
    store: &Store,
    now_ms: i64,
    user_code: &str,
    user_name: &str,
    password: &str,
    totp: Option<&str>,
) -> Result<(), SignInError> {
    let code = user_code.trim().to_uppercase();
    store.write(|tx: &mut dyn WriteTx| {
        let (key, mut device) = DEVICES
            .get_by(tx.as_read(), "user_code", &Key::new().str(&code))?
            .filter(|(_, d)| d.expires_ms > now_ms && !d.redeemed)
            .ok_or_else(|| SignInError::UnknownCode(code.clone()))?;
        let instance = INSTANCES
            .get(tx.as_read(), &Key::new().str(&device.instance_id))?
            .ok_or_else(|| SignInError::UnknownCode(code.clone()))?;
        let user = user_by_name(tx.as_read(), &instance.identity_store_id, user_name)?
            .ok_or(SignInError::BadCredentials)?;
        let stored = PASSWORDS
            .get(
                tx.as_read(),
                &entry_key(&instance.identity_store_id, &user.id),
            )?
            .ok_or(SignInError::BadCredentials)?;
        if hash(&stored.salt, password) != stored.hash {
            return Err(SignInError::BadCredentials);
        }
        let mfa_key = entry_key(&instance.identity_store_id, &user.id);
        if let Some(mut mfa) = MFA_DEVICES.get(tx.as_read(), &mfa_key)? {
            let now = jiff::Timestamp::from_millisecond(now_ms)
                .map_err(|e| SignInError::Internal(e.to_string()))?;
            let step = totp
                .filter(|c| !c.trim().is_empty())
                .and_then(|code| {
                    localorg_kernel::totp::accepted_step(
                        mfa.seed.expose(),
                        mfa.last_step,
                        code,
                        now,
                    )
                })
                .ok_or(SignInError::BadMfaCode)?;
            mfa.last_step = Some(step);
            MFA_DEVICES.put(tx, &mfa_key, &mfa)?;
        }
        device.approved_user = Some(user.id);
        DEVICES.put(tx, &key, &device)?;
        Ok(())
    })
}
