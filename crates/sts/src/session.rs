//! Issuing temporary credentials: `ASIA` keys with session tokens in the partition's access-key
//! table (the gateway authenticates them at once), session policies and tags with their packed
//! size, durations, MFA checks and the `Credentials` view.

use localorg_model::generated::sts::{errors, Credentials, PolicyDescriptorType, Tag};
use localorg_model::{ApiError, Timestamp};
use localorg_policy::{validate_document, PolicyType};

use localorg_kernel::context::PrincipalKind;
pub use localorg_kernel::credentials::NewSession;
use localorg_kernel::credentials::{self, MAX_TOKEN_LEN};
use localorg_kernel::Ctx;

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

/// Issued credentials and the token's size figures.
pub struct Issued {
    /// The API view.
    pub credentials: Credentials,
    /// `SessionTokenSize`.
    pub token_size: i32,
    /// `SessionTokenUtilization`.
    pub token_utilization: i32,
}

/// Issues the session (the kernel stores the key and token) and returns STS's view of it.
pub fn issue(ctx: &mut Ctx<'_>, session: NewSession) -> Result<Issued, ApiError> {
    let issued = credentials::issue_session(ctx, session)?;
    let token_size = issued.token.len();
    Ok(Issued {
        credentials: Credentials {
            access_key_id: issued.access_key_id,
            secret_access_key: issued.secret.expose().to_owned(),
            session_token: issued.token,
            expiration: Timestamp::from_millis(issued.expires_ms),
        },
        token_size: i32::try_from(token_size).unwrap_or(i32::MAX),
        token_utilization: i32::try_from(token_size.saturating_mul(100).div_ceil(MAX_TOKEN_LEN))
            .unwrap_or(100)
            .min(100),
    })
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
    let directory = ctx.directory();
    if !directory.mfa_device_enabled_for(ctx.tx.read(), &account, serial, owner.as_deref())? {
        return Err(unable());
    }
    let now = ctx.now;
    if directory.verify_totp_code(ctx.tx.write()?, &account, serial, code, now)? {
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

    use localorg_kernel::context::ManualClock;
    use localorg_kernel::{Call, Partition, Registry};

    fn get_session_token(p: &Partition, seconds: i64) -> String {
        let caller = p.credential("test").ok().flatten().map(|c| c.caller);
        let out = p
            .call(Call {
                service: Service::Sts,
                operation: "GetSessionToken",
                caller,
                region: "us-east-1".to_owned(),
                source_ip: "127.0.0.1".to_owned(),
                endpoint: "http://127.0.0.1:4566".to_owned(),
                input: json!({ "DurationSeconds": seconds }),
                authorize: true,
                request_id: String::new(),
                user_agent: String::new(),
            })
            .ok();
        out.and_then(|v| v["Credentials"]["AccessKeyId"].as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    #[test]
    fn long_expired_sessions_are_deleted_when_new_ones_are_issued() {
        let Ok(mut p) = Partition::in_memory(
            "000000000000",
            Registry::new().with_family(Arc::new(crate::StsFamily)),
        ) else {
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
