//! Object Lock on versions: retention (governance and compliance) and legal holds.

use localorg_model::ApiError;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::access::{self, Keys};
use crate::core::{self, s3_error};
use crate::front::S3Front;
use crate::objects::change_version;

fn require_lock(bucket: &crate::records::BucketRecord) -> Result<(), ApiError> {
    if bucket.object_lock.is_none() {
        return Err(core::invalid_request(
            "Bucket is missing Object Lock Configuration",
        ));
    }
    Ok(())
}

/// `PutObjectRetention`: compliance retention can only grow; governance retention can be
/// shortened or removed with `x-amz-bypass-governance-retention` by callers allowed
/// `s3:BypassGovernanceRetention`.
pub async fn put_retention(
    front: &S3Front,
    req: S3Request<PutObjectRetentionInput>,
) -> S3Result<S3Response<PutObjectRetentionOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let retention = input.retention.clone().unwrap_or_default();
    let mode = retention.mode.as_ref().map(|m| m.as_str().to_owned());
    let until = retention.retain_until_date.as_ref().map(core::millis);
    if mode.is_some() != until.is_some() {
        return Err(s3_error(core::malformed_xml()));
    }
    let bypass = input.bypass_governance_retention.unwrap_or(false);
    let enforce = front.enforce;
    change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        "s3:PutObjectRetention",
        |_| Keys::new(),
        |ctx, bucket, object| {
            require_lock(bucket)?;
            if until.is_some_and(|t| t <= ctx.now_ms()) {
                return Err(core::invalid_argument(
                    "The retain until date must be in the future!",
                ));
            }
            let retained = object.retain_until_ms.is_some_and(|t| t > ctx.now_ms());
            let shortens = match (object.retain_until_ms, until) {
                (Some(old), Some(new)) => new < old,
                (Some(_), None) => true,
                _ => false,
            };
            let weakens = object.lock_mode.as_deref() == Some("COMPLIANCE")
                && mode.as_deref() != Some("COMPLIANCE");
            if retained && (shortens || weakens) {
                let allowed = object.lock_mode.as_deref() == Some("GOVERNANCE")
                    && bypass
                    && access::authorize(
                        ctx,
                        enforce,
                        bucket,
                        "s3:BypassGovernanceRetention",
                        Some(&object.key),
                        &Vec::new(),
                    )
                    .is_ok();
                if !allowed {
                    return Err(access::access_denied(
                        "Access Denied because object protected by object lock.".to_owned(),
                    ));
                }
            }
            object.lock_mode = mode.clone();
            object.retain_until_ms = until;
            Ok(())
        },
    )?;
    Ok(S3Response::new(PutObjectRetentionOutput::default()))
}

/// `GetObjectRetention`.
pub async fn get_retention(
    front: &S3Front,
    req: S3Request<GetObjectRetentionInput>,
) -> S3Result<S3Response<GetObjectRetentionOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let (mode, until) = change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        "s3:GetObjectRetention",
        |_| Keys::new(),
        |_, bucket, object| {
            require_lock(bucket)?;
            Ok((object.lock_mode.clone(), object.retain_until_ms))
        },
    )?;
    let Some(mode) = mode else {
        return Err(s3_error(ApiError::new(
            "NoSuchObjectLockConfiguration",
            404,
            "The specified object does not have a ObjectLock configuration",
        )));
    };
    Ok(S3Response::new(GetObjectRetentionOutput {
        retention: Some(ObjectLockRetention {
            mode: Some(ObjectLockRetentionMode::from(mode)),
            retain_until_date: until.map(core::timestamp),
        }),
    }))
}

/// `PutObjectLegalHold`.
pub async fn put_legal_hold(
    front: &S3Front,
    req: S3Request<PutObjectLegalHoldInput>,
) -> S3Result<S3Response<PutObjectLegalHoldOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let on = match input
        .legal_hold
        .as_ref()
        .and_then(|h| h.status.as_ref())
        .map(ObjectLockLegalHoldStatus::as_str)
    {
        Some("ON") => true,
        Some("OFF") => false,
        _ => return Err(s3_error(core::malformed_xml())),
    };
    change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        "s3:PutObjectLegalHold",
        |_| Keys::new(),
        |_, bucket, object| {
            require_lock(bucket)?;
            object.legal_hold = on;
            Ok(())
        },
    )?;
    Ok(S3Response::new(PutObjectLegalHoldOutput::default()))
}

/// `GetObjectLegalHold`.
pub async fn get_legal_hold(
    front: &S3Front,
    req: S3Request<GetObjectLegalHoldInput>,
) -> S3Result<S3Response<GetObjectLegalHoldOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let on = change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        "s3:GetObjectLegalHold",
        |_| Keys::new(),
        |_, bucket, object| {
            require_lock(bucket)?;
            Ok(object.legal_hold)
        },
    )?;
    Ok(S3Response::new(GetObjectLegalHoldOutput {
        legal_hold: Some(ObjectLockLegalHold {
            status: Some(ObjectLockLegalHoldStatus::from_static(if on {
                ObjectLockLegalHoldStatus::ON
            } else {
                ObjectLockLegalHoldStatus::OFF
            })),
        }),
    }))
}
