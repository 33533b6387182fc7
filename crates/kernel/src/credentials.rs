//! Credentials and sessions: every access key the partition issued (root and IAM users' long-term
//! `AKIA` keys, STS's temporary `ASIA` keys with their session token and context), and the caller
//! each key signs as. The tables are private: IAM manages long-term keys, STS (and later the
//! access portal and federation) issue sessions, the gateway looks keys up, all through this module.

use std::sync::LazyLock;

use localorg_model::ApiError;
use localorg_store::{Index, Key, ReadTx, Table, WriteTx};
use serde::{Deserialize, Serialize};

use crate::context::{Caller, IdGen, PrincipalKind, Secret, SessionContext};
use crate::tx::Ctx;

/// An access key: who it belongs to and its secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessKeyRecord {
    /// The access key id.
    pub access_key_id: String,
    /// The owning account.
    pub account_id: String,
    /// The principal the key signs as.
    pub principal: PrincipalKind,
    /// The secret access key.
    pub secret: Secret,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// The principal's unique id (`AIDA...` for users, `AROA...:session` for role sessions); the
    /// account id for root.
    #[serde(default)]
    pub principal_id: String,
    /// The principal's ARN (`arn:aws:iam::ACCOUNT:user/path/name`, `...:assumed-role/ROLE/SESSION`);
    /// empty for root.
    #[serde(default)]
    pub principal_arn: String,
    /// Temporary credentials (`ASIA...`): the session token and the session's context.
    #[serde(default)]
    pub session: Option<SessionRecord>,
}

/// The part of temporary credentials only sessions have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The session token the request must carry (`X-Amz-Security-Token`).
    pub token: Secret,
    /// The session's context.
    pub context: SessionContext,
}

/// The credentials behind an access key id, for the gateway to verify a signature with.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The secret access key.
    pub secret: Secret,
    /// For temporary credentials: the session token requests must carry.
    pub session_token: Option<Secret>,
    /// Who signs with it.
    pub caller: Caller,
}

/// Why a signed request's session token does not let it through (each front door words it in
/// its protocol's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Temporary credentials without their session token.
    Missing,
    /// A session token that is not the key's, or one given with a long-term key.
    Wrong,
    /// The session has expired.
    Expired,
}

impl Credential {
    /// The caller of a request signed with this key and carrying `token`, at `now_ms`: temporary
    /// credentials must come with their own session token (compared in constant time), and only
    /// until they expire; long-term keys must come without one.
    pub fn caller_with_token(
        self,
        token: Option<&str>,
        now_ms: i64,
    ) -> Result<Caller, TokenRefusal> {
        match (&self.session_token, token) {
            (Some(expected), Some(given)) => {
                let same: bool =
                    subtle::ConstantTimeEq::ct_eq(expected.expose().as_bytes(), given.as_bytes())
                        .into();
                if !same {
                    return Err(TokenRefusal::Wrong);
                }
            }
            (Some(_), None) => return Err(TokenRefusal::Missing),
            (None, Some(_)) => return Err(TokenRefusal::Wrong),
            (None, None) => {}
        }
        if let Some(session) = &self.caller.session {
            if now_ms >= session.expires_ms {
                return Err(TokenRefusal::Expired);
            }
        }
        Ok(self.caller)
    }
}

/// Access keys by id, indexed by owning account.
static ACCESS_KEYS: LazyLock<Table<AccessKeyRecord>> = LazyLock::new(|| {
    Table::new("access_key").index(Index::multi("account", |k: &AccessKeyRecord| {
        vec![Key::new().str(&k.account_id)]
    }))
});

/// Temporary keys by expiry: key (account, expiry ms, access key id), value the access key id.
/// Lets issuing credentials delete the account's expired ones without scanning live keys.
static SESSION_EXPIRY: LazyLock<Table<String>> = LazyLock::new(|| Table::new("sts.session_expiry"));

/// The key `access_key_id`, whatever its status.
pub fn get(tx: &dyn ReadTx, access_key_id: &str) -> Result<Option<AccessKeyRecord>, ApiError> {
    Ok(ACCESS_KEYS.get(tx, &Key::new().str(access_key_id))?)
}

/// Stores a new or changed key (status changes, IAM's `CreateAccessKey`).
pub fn put(tx: &mut dyn WriteTx, key: &AccessKeyRecord) -> Result<(), ApiError> {
    Ok(ACCESS_KEYS.put(tx, &Key::new().str(&key.access_key_id), key)?)
}

/// Deletes the key `access_key_id` (nothing when there is none).
pub fn delete(tx: &mut dyn WriteTx, access_key_id: &str) -> Result<(), ApiError> {
    ACCESS_KEYS.delete(tx, &Key::new().str(access_key_id))?;
    Ok(())
}

/// A fresh access key id with `prefix` (`AKIA`, `ASIA`) that no key has yet.
pub fn new_access_key_id(tx: &dyn ReadTx, ids: &IdGen, prefix: &str) -> Result<String, ApiError> {
    loop {
        let candidate = ids.access_key_id(prefix);
        if !ACCESS_KEYS.contains(tx, &Key::new().str(&candidate))? {
            return Ok(candidate);
        }
    }
}

/// The account's long-term access keys (root's and its IAM users'; no session keys), in id order.
pub fn long_term_keys(tx: &dyn ReadTx, account_id: &str) -> Result<Vec<AccessKeyRecord>, ApiError> {
    let prefix = Key::new().str(account_id);
    let mut out = Vec::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let page = ACCESS_KEYS.scan_index(tx, "account", &prefix, after.as_deref(), 500)?;
        out.extend(
            page.items
                .into_iter()
                .map(|(_, k)| k)
                .filter(|k| k.session.is_none()),
        );
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(out),
        }
    }
}

/// Issues a new root access key for `account_id` (sign-up, `complete-signup`).
pub fn issue_root_key(
    tx: &mut dyn WriteTx,
    ids: &IdGen,
    account_id: &str,
    now_ms: i64,
) -> Result<(String, Secret), ApiError> {
    let access_key_id = new_access_key_id(tx.as_read(), ids, "AKIA")?;
    let secret = ids.secret_access_key();
    put(
        tx,
        &AccessKeyRecord {
            access_key_id: access_key_id.clone(),
            account_id: account_id.to_owned(),
            principal: PrincipalKind::Root,
            secret: secret.clone(),
            status: "Active".to_owned(),
            created_ms: now_ms,
            principal_id: account_id.to_owned(),
            principal_arn: String::new(),
            session: None,
        },
    )?;
    Ok((access_key_id, secret))
}

/// The credentials of an access key id, if the partition issued it and it is active.
pub fn credential(tx: &dyn ReadTx, access_key_id: &str) -> Result<Option<Credential>, ApiError> {
    let Some(key) = get(tx, access_key_id)? else {
        return Ok(None);
    };
    if key.status != "Active" {
        return Ok(None);
    }
    let caller = caller_of(&key);
    Ok(Some(Credential {
        secret: key.secret,
        session_token: key.session.map(|sess| sess.token),
        caller,
    }))
}

/// The caller an access key signs as.
pub fn caller_of(key: &AccessKeyRecord) -> Caller {
    let account = &key.account_id;
    let (arn, user_id) = match &key.principal {
        PrincipalKind::Root | PrincipalKind::Anonymous => {
            // Root sessions (`GetSessionToken` as root, `AssumeRoot`) keep their session context.
            let mut caller = Caller::root(account, &key.access_key_id);
            caller.session = key.session.as_ref().map(|sess| sess.context.clone());
            return caller;
        }
        PrincipalKind::User { name } => (
            non_empty_or(&key.principal_arn, || {
                format!("arn:aws:iam::{account}:user/{name}")
            }),
            key.principal_id.clone(),
        ),
        PrincipalKind::AssumedRole {
            role_name,
            session_name,
            ..
        } => (
            format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}"),
            key.principal_id.clone(),
        ),
        PrincipalKind::FederatedUser { name, .. } => (
            format!("arn:aws:sts::{account}:federated-user/{name}"),
            format!("{account}:{name}"),
        ),
    };
    Caller {
        account_id: account.clone(),
        arn,
        kind: key.principal.clone(),
        user_id,
        access_key_id: key.access_key_id.clone(),
        session: key.session.as_ref().map(|sess| sess.context.clone()),
    }
}

fn non_empty_or(value: &str, fallback: impl FnOnce() -> String) -> String {
    if value.is_empty() {
        fallback()
    } else {
        value.to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

/// Characters of session tokens (standard Base64, as AWS's tokens are).
const TOKEN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Every AWS session token issued today starts with this (the Base64 of its binary envelope's
/// header); localorg's tokens are random after it.
const TOKEN_PREFIX: &str = "IQoJb3JpZ2luX2Vj";

/// Length of a token without session policies or tags (a typical `GetSessionToken` token).
const BASE_TOKEN_LEN: usize = 356;

/// The largest session token STS hands out (`MinimumSessionTokenSize` may not exceed it either):
/// `SessionTokenUtilization` is the token's share of it.
pub const MAX_TOKEN_LEN: usize = 4096;

/// Expired sessions deleted per issue at most (each issue adds one, so they cannot pile up).
const PRUNE_BATCH: usize = 16;

/// How long an expired session's key stays after its expiry, so that clients still using it get
/// AWS's `ExpiredToken` rather than an unknown key for a while.
const EXPIRED_GRACE_MS: i64 = 3_600_000;

/// What [`issue_session`] needs to know about the new session.
pub struct NewSession {
    /// The account the credentials act in.
    pub account_id: String,
    /// Who they act as.
    pub principal: PrincipalKind,
    /// `aws:userid` (`AROA…:session`, `AIDA…`, `ACCOUNT:name`, the account id for root).
    pub principal_id: String,
    /// The principal's ARN (empty for root).
    pub principal_arn: String,
    /// The session's context (issue and expiry times, MFA, session policies and tags, ...).
    pub context: SessionContext,
    /// `MinimumSessionTokenSize`.
    pub min_token_size: Option<i32>,
    /// Bytes of packed session policies and tags (adds to the token's length, as in AWS).
    pub packed_bytes: usize,
}

/// Temporary credentials just issued.
pub struct IssuedSession {
    /// The `ASIA` access key id.
    pub access_key_id: String,
    /// Its secret.
    pub secret: Secret,
    /// The session token.
    pub token: String,
    /// When the session expires, ms since epoch.
    pub expires_ms: i64,
}

/// Stores a new `ASIA` key with its session token; the gateway authenticates it at once.
/// Long-expired sessions of the same account are deleted on the way (temporary keys do not pile up).
pub fn issue_session(ctx: &mut Ctx<'_>, session: NewSession) -> Result<IssuedSession, ApiError> {
    prune_expired(ctx, &session.account_id)?;
    let access_key_id = new_access_key_id(ctx.tx.read(), ctx.ids, "ASIA")?;
    let secret = ctx.ids.secret_access_key();
    let token = session_token(ctx.ids, session.packed_bytes, session.min_token_size);
    let expires_ms = session.context.expires_ms;
    let record = AccessKeyRecord {
        access_key_id: access_key_id.clone(),
        account_id: session.account_id,
        principal: session.principal,
        secret: secret.clone(),
        status: "Active".to_owned(),
        created_ms: ctx.now_ms(),
        principal_id: session.principal_id,
        principal_arn: session.principal_arn,
        session: Some(SessionRecord {
            token: Secret::new(token.clone()),
            context: session.context,
        }),
    };
    let tx = ctx.tx.write()?;
    put(tx, &record)?;
    SESSION_EXPIRY.put(
        tx,
        &expiry_key(&record.account_id, expires_ms, &access_key_id),
        &access_key_id,
    )?;
    Ok(IssuedSession {
        access_key_id,
        secret,
        token,
        expires_ms,
    })
}

/// A new opaque session token: AWS's prefix, random Base64, longer when it carries session
/// policies and tags, at least `MinimumSessionTokenSize` long.
fn session_token(ids: &IdGen, packed_bytes: usize, min_size: Option<i32>) -> String {
    let natural = BASE_TOKEN_LEN + packed_bytes.div_ceil(3) * 4;
    let min = min_size.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let len = natural.max(min).min(MAX_TOKEN_LEN.max(natural));
    let mut token = String::with_capacity(len);
    token.push_str(TOKEN_PREFIX);
    token.push_str(&ids.string(TOKEN_CHARS, len.saturating_sub(TOKEN_PREFIX.len())));
    token
}

fn expiry_key(account_id: &str, expires_ms: i64, access_key_id: &str) -> Key {
    Key::new()
        .str(account_id)
        .i64(expires_ms)
        .str(access_key_id)
}

/// Deletes (some of) the account's temporary keys whose session expired more than
/// [`EXPIRED_GRACE_MS`] ago, oldest first.
fn prune_expired(ctx: &mut Ctx<'_>, account_id: &str) -> Result<(), ApiError> {
    let now = ctx.now_ms() - EXPIRED_GRACE_MS;
    let page = SESSION_EXPIRY.scan(
        ctx.tx.read(),
        &Key::new().str(account_id),
        None,
        PRUNE_BATCH,
    )?;
    let mut expired = Vec::new();
    for (pk, access_key_id) in page.items {
        let mut parts = pk.decoder();
        let _account = parts.str();
        if parts.i64().map_or(true, |expires| expires > now) {
            break;
        }
        expired.push((pk, access_key_id));
    }
    if expired.is_empty() {
        return Ok(());
    }
    let tx = ctx.tx.write()?;
    for (pk, access_key_id) in expired {
        SESSION_EXPIRY.delete(tx, &pk)?;
        delete(tx, &access_key_id)?;
    }
    Ok(())
}
