//! Object versions: writing a new one (a `null` version replaces the previous `null` version,
//! versioning gives each write its own id), finding one, removing one, and the Object Lock rules
//! that keep a locked version in place.

use localorg_kernel::context::ALNUM;
use localorg_kernel::Ctx;
use localorg_model::ApiError;
use localorg_store::ReadTx;

use crate::core::{self, CURRENT, VERSIONS};
use crate::records::{BucketRecord, ObjectRecord};

/// Stores `object` as the newest version of its key; returns the stored record and the blobs
/// no version refers to any more (to remove after commit).
pub fn put(
    ctx: &mut Ctx<'_>,
    bucket: &BucketRecord,
    mut object: ObjectRecord,
) -> Result<(ObjectRecord, Vec<String>), ApiError> {
    object.last_modified_ms = ctx.now_ms();
    let tx = ctx.tx.write()?;
    object.seq = core::next_seq(tx)?;
    let mut freed = Vec::new();
    if bucket.versioning_enabled() {
        object.version_id = ctx.ids.string(ALNUM, 32);
    } else {
        object.version_id = "null".to_owned();
        if let Some(previous) = find(ctx.tx.read(), &bucket.name, &object.key, Some("null"))? {
            let tx = ctx.tx.write()?;
            VERSIONS.delete(
                tx,
                &core::version_key(&bucket.name, &object.key, previous.seq),
            )?;
            freed.extend(previous.segments.into_iter().map(|s| s.blob));
        }
    }
    if !object.delete_marker && object.lock_mode.is_none() {
        if let Some(default) = bucket
            .object_lock
            .as_ref()
            .and_then(|l| l.default_retention.as_ref())
        {
            let days =
                i64::from(default.days.unwrap_or(0)) + i64::from(default.years.unwrap_or(0)) * 365;
            object.lock_mode = Some(default.mode.clone());
            object.retain_until_ms = Some(ctx.now_ms() + days * 86_400_000);
        }
    }
    let tx = ctx.tx.write()?;
    VERSIONS.put(
        tx,
        &core::version_key(&bucket.name, &object.key, object.seq),
        &object,
    )?;
    CURRENT.put(tx, &core::object_key(&bucket.name, &object.key), &object)?;
    Ok((object, freed))
}

/// Every version of `key`, newest first.
pub fn all(tx: &dyn ReadTx, bucket: &str, key: &str) -> Result<Vec<ObjectRecord>, ApiError> {
    Ok(VERSIONS
        .scan_all(tx, &core::object_key(bucket, key))?
        .into_iter()
        .map(|(_, v)| v)
        .collect())
}

/// The version `version_id` of `key`, or the current one (which may be a delete marker).
pub fn find(
    tx: &dyn ReadTx,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<Option<ObjectRecord>, ApiError> {
    match version_id {
        None => Ok(CURRENT.get(tx, &core::object_key(bucket, key))?),
        Some(id) => Ok(all(tx, bucket, key)?
            .into_iter()
            .find(|v| v.version_id == id)),
    }
}

/// Removes one version; the next newer-to-older version becomes current when it was current.
/// Returns the blobs it held.
pub fn remove(
    ctx: &mut Ctx<'_>,
    bucket: &str,
    version: &ObjectRecord,
) -> Result<Vec<String>, ApiError> {
    let tx = ctx.tx.write()?;
    VERSIONS.delete(tx, &core::version_key(bucket, &version.key, version.seq))?;
    let current_key = core::object_key(bucket, &version.key);
    let current = CURRENT.get(tx.as_read(), &current_key)?;
    if current.is_some_and(|c| c.seq == version.seq) {
        let next = VERSIONS
            .scan(tx.as_read(), &current_key, None, 1)?
            .items
            .into_iter()
            .next();
        match next {
            Some((_, next)) => CURRENT.put(tx, &current_key, &next)?,
            None => {
                CURRENT.delete(tx, &current_key)?;
            }
        }
    }
    Ok(version.segments.iter().map(|s| s.blob.clone()).collect())
}

/// Refuses to delete or overwrite a version that Object Lock protects: a legal hold, a
/// compliance retention, or a governance retention without `bypass` (which the caller must be
/// allowed: `s3:BypassGovernanceRetention`, checked by the caller of this function).
pub fn check_unlocked(ctx: &Ctx<'_>, version: &ObjectRecord, bypass: bool) -> Result<(), ApiError> {
    let protected = || {
        ApiError::new(
            "AccessDenied",
            403,
            "Access Denied because object protected by object lock.",
        )
    };
    if version.legal_hold {
        return Err(protected());
    }
    let retained = version.retain_until_ms.is_some_and(|t| t > ctx.now_ms());
    match version.lock_mode.as_deref() {
        Some("COMPLIANCE") if retained => Err(protected()),
        Some("GOVERNANCE") if retained && !bypass => Err(protected()),
        _ => Ok(()),
    }
}
