//! Issuing temporary credentials: `ASIA` keys with session tokens in the partition's access-key
//! table (the gateway authenticates them at once), session policies and tags with their packed
//! size, durations, MFA checks and the `Credentials` view.

use localorg_model::generated::sts::{errors, Credentials, PolicyDescriptorType, Tag};
use localorg_model::{ApiError, Timestamp};
use localorg_policy::{validate_document, PolicyType};
use std::sync::LazyLock;

use localorg_store::{Key, Table};

use crate::context::{PrincipalKind, SessionContext};
use crate::partition::{AccessKeyRecord, SessionRecord, ACCESS_KEYS};
use crate::tx::Ctx;

/// Characters of session tokens (standard Base64, as AWS's tokens are).
const TOKEN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Every AWS session token issued today starts with this (the Base64 of its binary envelope's
/// header); localorg's tokens are random after it.
const TOKEN_PREFIX: &str = "IQoJb3JpZ2luX2Vj";

/// Length of a token without session policies or tags (a typical `GetSessionToken` token).
const BASE_TOKEN_LEN: usize = 356;

/// The largest session token STS hands out (`MinimumSessionTokenSize` may not exceed it either):
/// `SessionTokenUtilization` is the token's share of it.
const MAX_TOKEN_LEN: usize = 4096;

/// The packed-policy budget in bytes. AWS compresses session policies, policy ARNs and session
/// tags into a binary blob with a fixed limit it does not document; localorg counts half of the
/// minified policy text and of each ARN (a typical compression ratio) and each tag's key and value
/// plus 4 bytes of framing, against 1,024 bytes. A 2,048-character policy (the plaintext maximum)
/// fills about 100 %, a short tag about 1 %, 50 maximal tags far more than 100 %.
const PACKED_LIMIT: usize = 1024;

/// At most this many managed session policies (AWS's documented quota).
const MAX_POLICY_ARNS: usize = 10;

/// A session policy that allows nothing: what `GetFederationToken` without `Policy`/`PolicyArns`
/// gets (AWS: "the resulting credentials have no permissions"). Evaluated as a session policy it
/// makes every request an implicit deny "because no session policy allows" the action.
pub const NO_PERMISSIONS_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"none:null","Resource":"*"}]}"#;

/// What [`issue`] needs to know about the new session.
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

/// Issued credentials and the token's size figures.
pub struct Issued {
    /// The API view.
    pub credentials: Credentials,
    /// `SessionTokenSize`.
    pub token_size: i32,
    /// `SessionTokenUtilization`.
    pub token_utilization: i32,
}

/// Stores a new `ASIA` key with its session token and returns the credentials. Long-expired
/// sessions of the same account are deleted on the way (temporary keys do not pile up).
pub fn issue(ctx: &mut Ctx<'_>, session: NewSession) -> Result<Issued, ApiError> {
    prune_expired(ctx, &session.account_id)?;
    let access_key_id = loop {
        let candidate = ctx.ids.access_key_id("ASIA");
        if !ACCESS_KEYS.contains(ctx.tx.read(), &Key::new().str(&candidate))? {
            break candidate;
        }
    };
    let secret = ctx.ids.secret_access_key();
    let token = session_token(ctx, session.packed_bytes, session.min_token_size);
    let token_size = token.len();
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
            token: crate::context::Secret::new(token.clone()),
            context: session.context,
        }),
    };
    let account_id = record.account_id.clone();
    let tx = ctx.tx.write()?;
    ACCESS_KEYS.put(tx, &Key::new().str(&access_key_id), &record)?;
    SESSION_EXPIRY.put(
        tx,
        &expiry_key(&account_id, expires_ms, &access_key_id),
        &access_key_id,
    )?;
    Ok(Issued {
        credentials: Credentials {
            access_key_id,
            secret_access_key: secret.expose().to_owned(),
            session_token: token,
            expiration: Timestamp::from_millis(expires_ms),
        },
        token_size: i32::try_from(token_size).unwrap_or(i32::MAX),
        token_utilization: i32::try_from(token_size.saturating_mul(100).div_ceil(MAX_TOKEN_LEN))
            .unwrap_or(100)
            .min(100),
    })
}

/// Temporary keys by expiry: key (account, expiry ms, access key id), value the access key id.
/// Lets issuing credentials delete the account's expired ones without scanning live keys.
static SESSION_EXPIRY: LazyLock<Table<String>> = LazyLock::new(|| Table::new("sts.session_expiry"));

/// Expired sessions deleted per issue at most (each issue adds one, so they cannot pile up).
const PRUNE_BATCH: usize = 16;

/// How long an expired session's key stays after its expiry, so that clients still using it get
/// AWS's `ExpiredToken` rather than an unknown key for a while.
const EXPIRED_GRACE_MS: i64 = 3_600_000;

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
        ACCESS_KEYS.delete(tx, &Key::new().str(&access_key_id))?;
    }
    Ok(())
}

/// A new opaque session token: AWS's prefix, random Base64, longer when it carries session
/// policies and tags, at least `MinimumSessionTokenSize` long.
fn session_token(ctx: &Ctx<'_>, packed_bytes: usize, min_size: Option<i32>) -> String {
    let natural = BASE_TOKEN_LEN + packed_bytes.div_ceil(3) * 4;
    let min = min_size.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let len = natural.max(min).min(MAX_TOKEN_LEN.max(natural));
    let mut token = String::with_capacity(len);
    token.push_str(TOKEN_PREFIX);
    token.push_str(
        &ctx.ids
            .string(TOKEN_CHARS, len.saturating_sub(TOKEN_PREFIX.len())),
    );
    token
}

/// `(issued_ms, expires_ms)` for a session of `seconds` starting now (expiry on a whole second,
/// as AWS reports it).
pub fn lifetime(ctx: &Ctx<'_>, seconds: i64) -> (i64, i64) {
    let now = ctx.now_ms();
    (now, (now / 1000 + seconds) * 1000)
}

// ---------------------------------------------------------------------------------------------
// Session policies and tags
// ---------------------------------------------------------------------------------------------

/// Validated session policies and tags, with their packed size.
#[derive(Debug, Default)]
pub struct Packed {
    /// The inline session policy, as given.
    pub policy: Option<String>,
    /// The managed session policy ARNs.
    pub policy_arns: Vec<String>,
    /// Bytes counted against the packed limit.
    pub bytes: usize,
    /// `PackedPolicySize` (percent of the limit, rounded up).
    pub percent: i32,
}

/// Validates `Policy` (as a session policy) and `PolicyArns` (count; existence is up to the
/// caller) and computes the packed size of them and `tags`; `PackedPolicyTooLarge` over 100 %.
pub fn pack(
    policy: Option<&str>,
    policy_arns: Option<&[PolicyDescriptorType]>,
    tags: &[(String, String)],
) -> Result<Packed, ApiError> {
    let mut packed = Packed::default();
    let mut policy_bytes = 0usize;
    if let Some(text) = policy {
        if let Some(e) = validate_document(text, PolicyType::Session).first_error() {
            return Err(errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION.error(e.aws_message));
        }
        let minified = serde_json::from_str::<serde_json::Value>(text)
            .map(|v| v.to_string().len())
            .unwrap_or(text.len());
        policy_bytes += minified.div_ceil(2);
        packed.policy = Some(text.to_owned());
    }
    let arns = policy_arns.unwrap_or_default();
    if arns.len() > MAX_POLICY_ARNS {
        return Err(ApiError::new(
            "ValidationError",
            400,
            format!(
                "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: \
                 Member must have length less than or equal to {MAX_POLICY_ARNS}"
            ),
        ));
    }
    for descriptor in arns {
        let arn = descriptor.arn.clone().ok_or_else(|| {
            ApiError::new(
                "ValidationError",
                400,
                "1 validation error detected: Value null at 'policyArns.member.arn' failed to \
                 satisfy constraint: Member must not be null",
            )
        })?;
        policy_bytes += arn.len().div_ceil(2);
        packed.policy_arns.push(arn);
    }
    let tag_bytes: usize = tags.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
    let percent = |bytes: usize| bytes.saturating_mul(100).div_ceil(PACKED_LIMIT);
    if percent(tag_bytes) > 100 {
        return Err(errors::PACKED_POLICY_TOO_LARGE_EXCEPTION.error(format!(
            "Packed size of session tags consumes {}% of allotted space.",
            percent(tag_bytes)
        )));
    }
    packed.bytes = policy_bytes + tag_bytes;
    let total = percent(packed.bytes);
    if total > 100 {
        return Err(errors::PACKED_POLICY_TOO_LARGE_EXCEPTION.error(format!(
            "Packed policy consumes {total}% of allotted space, please use smaller policy."
        )));
    }
    packed.percent = i32::try_from(total).unwrap_or(100);
    Ok(packed)
}

/// The request's session tags as pairs; tag keys are unique without regard to case.
pub fn request_tags(tags: Option<&[Tag]>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for tag in tags.unwrap_or_default() {
        if out.iter().any(|(k, _)| k.eq_ignore_ascii_case(&tag.key)) {
            return Err(duplicate_tag_keys());
        }
        out.push((tag.key.clone(), tag.value.clone()));
    }
    Ok(out)
}

/// `ValidationError` for tag keys given twice (AWS compares them without regard to case).
pub fn duplicate_tag_keys() -> ApiError {
    ApiError::new(
        "ValidationError",
        400,
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    )
}

/// `DurationSeconds` out of bounds (beyond what the model's range already rejects).
pub fn duration_error(message: &str) -> ApiError {
    ApiError::new("ValidationError", 400, message.to_owned())
}

// ---------------------------------------------------------------------------------------------
// MFA
// ---------------------------------------------------------------------------------------------

/// `SerialNumber` + `TokenCode`: `Ok(true)` when both are given and the code is valid for an MFA
/// device of the calling IAM user (or root user), `Ok(false)` when neither is given; AWS's
/// `AccessDenied` otherwise. A code is accepted once.
pub fn check_mfa(
    ctx: &mut Ctx<'_>,
    serial_number: Option<&str>,
    token_code: Option<&str>,
) -> Result<bool, ApiError> {
    let (serial, code) = match (serial_number, token_code) {
        (None, None) => return Ok(false),
        (Some(serial), Some(code)) => (serial, code),
        // A code without a device or a device without a code cannot be checked.
        (Some(_), None) | (None, Some(_)) => {
            return Err(ApiError::new(
                "ValidationError",
                400,
                "SerialNumber and TokenCode must be specified together.",
            ))
        }
    };
    let unable = || {
        ApiError::new(
            "AccessDenied",
            403,
            "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your \
             MFA serial number is valid and associated with this user.",
        )
    };
    let owner = match &ctx.caller.kind {
        PrincipalKind::User { name } => Some(name.clone()),
        PrincipalKind::Root => None,
        _ => return Err(unable()),
    };
    let account = ctx.caller.account_id.clone();
    if !crate::iam::core::mfa_device_enabled_for(ctx.tx.read(), &account, serial, owner.as_deref())?
    {
        return Err(unable());
    }
    let now = ctx.now;
    if crate::iam::core::verify_totp_code(ctx.tx.write()?, &account, serial, code, now)? {
        Ok(true)
    } else {
        Err(ApiError::new(
            "AccessDenied",
            403,
            "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use localorg_model::Service;
    use serde_json::json;

    use crate::context::ManualClock;
    use crate::partition::{Call, Partition};

    fn get_session_token(p: &Partition, seconds: i64) -> String {
        let caller = p.credential("test").ok().flatten().map(|c| c.caller);
        let out = p
            .call(Call {
                service: Service::Sts,
                operation: "GetSessionToken",
                caller,
                region: "us-east-1".to_owned(),
                source_ip: "127.0.0.1".to_owned(),
                input: json!({ "DurationSeconds": seconds }),
                authorize: true,
            })
            .ok();
        out.and_then(|v| v["Credentials"]["AccessKeyId"].as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    #[test]
    fn long_expired_sessions_are_deleted_when_new_ones_are_issued() {
        let Ok(mut p) = Partition::in_memory("000000000000") else {
            panic!("partition");
        };
        let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
        p.set_clock(clock.clone());
        let first = get_session_token(&p, 900);
        assert!(first.starts_with("ASIA"), "{first}");
        let live = |id: &str| p.credential(id).ok().flatten().is_some();
        assert!(live(&first));
        // Expired, but within the grace period: kept (clients get ExpiredToken).
        clock.advance(jiff::SignedDuration::from_secs(1800));
        let second = get_session_token(&p, 3600);
        assert!(live(&first) && live(&second));
        // Expired for more than the grace period: deleted on the next issue; live ones stay.
        clock.advance(jiff::SignedDuration::from_secs(3600));
        let third = get_session_token(&p, 900);
        assert!(!live(&first));
        assert!(live(&second) && live(&third));
    }
}
