//! Objects: put (streamed to a blob, checksummed), get and head (ranges, conditions), delete
//! (delete markers under versioning, Object Lock), copy, and tags.

use std::collections::BTreeMap;

use localorg_kernel::Ctx;
use localorg_model::ApiError;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::access::{self, Keys};
use crate::checksums::{self, Expected};
use crate::core::{self, s3_error};
use crate::front::{S3Front, Who};
use crate::records::{BucketRecord, ContentHeaders, ObjectRecord, Segment};
use crate::versions;

/// The `Content-Type` of an object written without one.
pub const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";

/// `PutObject`.
pub async fn put(
    front: &S3Front,
    req: S3Request<PutObjectInput>,
) -> S3Result<S3Response<PutObjectOutput>> {
    let who = front.who(&req);
    let headers = req.headers.clone();
    let trailers = req.trailing_headers.clone();
    let mut input = req.input;
    let tags = parse_tagging_header(input.tagging.as_deref()).map_err(s3_error)?;
    let mut keys = write_keys(
        input.acl.as_ref().map(ObjectCannedACL::as_str),
        input
            .server_side_encryption
            .as_ref()
            .map(ServerSideEncryption::as_str),
        input.object_lock_mode.as_ref().map(ObjectLockMode::as_str),
    );
    keys.extend(request_tag_keys(&tags));
    let bucket = front.read(&who, |ctx| {
        let bucket = front.bucket_for(
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:PutObject",
            Some(&input.key),
            &keys,
        )?;
        check_write(
            ctx,
            &bucket,
            &input.key,
            input.if_none_match.as_ref(),
            input.if_match.as_ref(),
        )?;
        Ok(bucket)
    })?;
    check_acl(&bucket, input.acl.as_ref().map(ObjectCannedACL::as_str)).map_err(s3_error)?;
    let lock = lock_settings(
        &bucket,
        input.object_lock_mode.as_ref().map(ObjectLockMode::as_str),
        input.object_lock_retain_until_date.as_ref(),
        input
            .object_lock_legal_hold_status
            .as_ref()
            .map(ObjectLockLegalHoldStatus::as_str),
    )
    .map_err(s3_error)?;
    let expected = Expected::of_put(&headers, input.checksum_algorithm.as_ref());
    let blob = front.blob_id();
    let body = input.body.take();
    let written = checksums::write_body(front, &blob, body, &expected).await?;
    if let Err(e) = checksums::verify(
        &written,
        input.content_md5.as_deref(),
        &expected,
        trailers.as_ref(),
    ) {
        front.blobs.remove(std::slice::from_ref(&blob));
        return Err(s3_error(e));
    }
    let object = ObjectRecord {
        bucket: bucket.name.clone(),
        key: input.key.clone(),
        segments: vec![Segment {
            blob: blob.clone(),
            len: written.len,
        }],
        size: written.len,
        etag: written.md5_hex.clone(),
        owner: bucket.owner.clone(),
        headers: content_headers_of!(input),
        checksum: checksums::record_of(&written, &expected),
        tags,
        lock_mode: lock.0,
        retain_until_ms: lock.1,
        legal_hold: lock.2,
        ..Default::default()
    };
    let stored = store(front, &who, &input.bucket, object)
        .inspect_err(|_| front.blobs.remove(std::slice::from_ref(&blob)))?;
    let mut output = PutObjectOutput {
        e_tag: Some(ETag::Strong(stored.etag.clone())),
        server_side_encryption: Some(sse_of(&stored.headers)),
        version_id: version_shown(&bucket, &stored),
        ..Default::default()
    };
    checksums::fill(&stored.checksum, &mut output);
    Ok(S3Response::new(output))
}

/// Writes `object` as a new version in one transaction (the bucket must still exist), freeing
/// the blobs of the version it replaces.
pub fn store(
    front: &S3Front,
    who: &Who,
    bucket: &str,
    object: ObjectRecord,
) -> S3Result<ObjectRecord> {
    let (stored, freed) = front.write(who, |ctx| {
        let bucket = core::bucket(ctx.tx.read(), bucket)?;
        versions::put(ctx, &bucket, object.clone())
    })?;
    front.blobs.remove(&freed);
    Ok(stored)
}

/// The version id a response shows: none for buckets that never had versioning.
pub fn version_shown(bucket: &BucketRecord, object: &ObjectRecord) -> Option<String> {
    bucket
        .versioning
        .as_ref()
        .map(|_| object.version_id.clone())
}

/// The encryption an object reports (SSE-S3 unless asked otherwise: every bucket encrypts).
fn sse_of(headers: &ContentHeaders) -> ServerSideEncryption {
    ServerSideEncryption::from(
        headers
            .server_side_encryption
            .clone()
            .unwrap_or_else(|| "AES256".to_owned()),
    )
}

/// Conditional writes (`If-None-Match: *`, `If-Match`) and the rule that a locked bucket's
/// objects are never overwritten in place (versioning is always on there).
fn check_write(
    ctx: &Ctx<'_>,
    bucket: &BucketRecord,
    key: &str,
    if_none_match: Option<&ETagCondition>,
    if_match: Option<&ETagCondition>,
) -> Result<(), ApiError> {
    if if_none_match.is_none() && if_match.is_none() {
        return Ok(());
    }
    let current =
        versions::find(ctx.tx.read(), &bucket.name, key, None)?.filter(|o| !o.delete_marker);
    if let Some(cond) = if_none_match {
        if current.as_ref().is_some_and(|o| etag_matches(cond, o)) {
            return Err(precondition_failed());
        }
    }
    if let Some(cond) = if_match {
        match &current {
            None => return Err(core::no_such_key(key)),
            Some(o) if !etag_matches(cond, o) => return Err(precondition_failed()),
            Some(_) => {}
        }
    }
    Ok(())
}

fn precondition_failed() -> ApiError {
    ApiError::new(
        "PreconditionFailed",
        412,
        "At least one of the pre-conditions you specified did not hold",
    )
}

fn etag_matches(cond: &ETagCondition, object: &ObjectRecord) -> bool {
    match cond {
        ETagCondition::Any => true,
        ETagCondition::ETag(tag) => tag.value() == object.etag,
    }
}

/// With ACLs disabled (`BucketOwnerEnforced`), only the bucket-owner-full-control canned ACL
/// is accepted.
fn check_acl(bucket: &BucketRecord, acl: Option<&str>) -> Result<(), ApiError> {
    let enforced = bucket
        .ownership
        .as_deref()
        .is_none_or(|o| o == "BucketOwnerEnforced");
    match acl {
        Some(acl) if enforced && acl != "bucket-owner-full-control" && acl != "private" => {
            Err(crate::buckets::acl_not_supported())
        }
        _ => Ok(()),
    }
}

/// Object Lock settings asked for on a write: (mode, retain until ms, legal hold).
pub fn lock_settings(
    bucket: &BucketRecord,
    mode: Option<&str>,
    until: Option<&Timestamp>,
    legal_hold: Option<&str>,
) -> Result<(Option<String>, Option<i64>, bool), ApiError> {
    if (mode.is_some() || until.is_some() || legal_hold.is_some()) && bucket.object_lock.is_none() {
        return Err(core::invalid_request(
            "Bucket is missing Object Lock Configuration",
        ));
    }
    if mode.is_some() != until.is_some() {
        return Err(core::invalid_argument(
            "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
        ));
    }
    Ok((
        mode.map(str::to_owned),
        until.map(core::millis),
        legal_hold == Some("ON"),
    ))
}

/// Condition keys of a write.
fn write_keys(acl: Option<&str>, sse: Option<&str>, lock_mode: Option<&str>) -> Keys {
    let mut keys = Keys::new();
    if let Some(acl) = acl {
        keys.push(("s3:x-amz-acl".to_owned(), vec![acl.to_owned()]));
    }
    if let Some(sse) = sse {
        keys.push((
            "s3:x-amz-server-side-encryption".to_owned(),
            vec![sse.to_owned()],
        ));
    }
    if let Some(mode) = lock_mode {
        keys.push(("s3:object-lock-mode".to_owned(), vec![mode.to_owned()]));
    }
    keys
}

/// `s3:RequestObjectTag/<key>` and `s3:RequestObjectTagKeys` of tags a request sets.
fn request_tag_keys(tags: &[(String, String)]) -> Keys {
    let mut keys: Keys = tags
        .iter()
        .map(|(k, v)| (format!("s3:RequestObjectTag/{k}"), vec![v.clone()]))
        .collect();
    if !tags.is_empty() {
        keys.push((
            "s3:RequestObjectTagKeys".to_owned(),
            tags.iter().map(|(k, _)| k.clone()).collect(),
        ));
    }
    keys
}

/// `s3:ExistingObjectTag/<key>` of an object's tags.
fn existing_tag_keys(object: Option<&ObjectRecord>) -> Keys {
    object
        .map(|o| {
            o.tags
                .iter()
                .map(|(k, v)| (format!("s3:ExistingObjectTag/{k}"), vec![v.clone()]))
                .collect()
        })
        .unwrap_or_default()
}

/// The stored content headers of a write, from an input with S3's content fields
/// (`PutObject`, `CreateMultipartUpload`, `CopyObject` with `REPLACE`), `binary/octet-stream`
/// when it names no type.
macro_rules! content_headers_of {
    ($input:expr) => {{
        let input = &$input;
        $crate::objects::content_headers(
            Some(input.content_type.as_ref().map_or_else(
                || $crate::objects::DEFAULT_CONTENT_TYPE.to_owned(),
                ToString::to_string,
            )),
            input.cache_control.clone(),
            input.content_disposition.clone(),
            input.content_encoding.clone(),
            input.content_language.clone(),
            input.expires.as_ref(),
            input.website_redirect_location.clone(),
            input.storage_class.as_ref().map(|s| s.as_str().to_owned()),
            input
                .server_side_encryption
                .as_ref()
                .map(|s| s.as_str().to_owned()),
            input.ssekms_key_id.clone(),
            input.metadata.clone(),
        )
    }};
}
pub(crate) use content_headers_of;

/// The stored content headers of a write.
#[allow(clippy::too_many_arguments)]
pub fn content_headers(
    content_type: Option<String>,
    cache_control: Option<String>,
    content_disposition: Option<String>,
    content_encoding: Option<String>,
    content_language: Option<String>,
    expires: Option<&Timestamp>,
    website_redirect_location: Option<String>,
    storage_class: Option<String>,
    server_side_encryption: Option<String>,
    kms_key_id: Option<String>,
    metadata: Option<Metadata>,
) -> ContentHeaders {
    // `aws-chunked` describes the request's framing, not the object: S3 drops it.
    let content_encoding = content_encoding
        .map(|e| {
            e.split(',')
                .map(str::trim)
                .filter(|part| !part.eq_ignore_ascii_case("aws-chunked") && !part.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|e| !e.is_empty());
    ContentHeaders {
        content_type,
        cache_control,
        content_disposition,
        content_encoding,
        content_language,
        expires_ms: expires.map(core::millis),
        website_redirect_location,
        storage_class: storage_class.filter(|s| s != "STANDARD"),
        server_side_encryption,
        kms_key_id,
        metadata: metadata
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Parses the `x-amz-tagging` header (`k1=v1&k2=v2`; no tags when absent).
pub fn parse_tagging_header(header: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let tags: Vec<(String, String)> = header
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect();
    validate_tags(&tags)?;
    Ok(tags)
}

/// S3's object tag rules: at most 10, unique keys of 1–128 and values of 0–256 characters.
pub fn validate_tags(tags: &[(String, String)]) -> Result<(), ApiError> {
    let invalid = |m: &str| ApiError::new("InvalidTag", 400, m.to_owned());
    if tags.len() > 10 {
        return Err(invalid("Object tags cannot be greater than 10"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (k, v) in tags {
        if k.is_empty() || k.chars().count() > 128 {
            return Err(invalid("The TagKey you have provided is invalid"));
        }
        if v.chars().count() > 256 {
            return Err(invalid("The TagValue you have provided is invalid"));
        }
        if !seen.insert(k) {
            return Err(invalid("Cannot provide multiple Tags with the same key"));
        }
    }
    Ok(())
}

/// The version of `key` that a read asks for, once the caller may read it: `NoSuchKey` when it
/// is absent and the caller may list the bucket, `AccessDenied` otherwise (as AWS hides which
/// keys exist from those who cannot list).
pub fn readable(
    front: &S3Front,
    ctx: &Ctx<'_>,
    bucket_name: &str,
    expected_owner: Option<&str>,
    key: &str,
    version_id: Option<&str>,
    action: (&str, &str),
) -> Result<(BucketRecord, ObjectRecord), ApiError> {
    let bucket = core::bucket(ctx.tx.read(), bucket_name)?;
    let object = versions::find(ctx.tx.read(), bucket_name, key, version_id)?;
    let action = if version_id.is_some() {
        action.1
    } else {
        action.0
    };
    let keys = existing_tag_keys(object.as_ref());
    front.bucket_for(ctx, bucket_name, expected_owner, action, Some(key), &keys)?;
    match object {
        Some(o) if o.delete_marker => {
            if version_id.is_some() {
                Err(ApiError::new(
                    "MethodNotAllowed",
                    405,
                    "The specified method is not allowed against this resource.",
                )
                .with_field("DeleteMarker", "true"))
            } else {
                Err(core::no_such_key(key).with_field("DeleteMarker", "true"))
            }
        }
        Some(o) => Ok((bucket, o)),
        None => {
            let listing = access::authorize(
                ctx,
                front.enforce,
                &bucket,
                "s3:ListBucket",
                None,
                &Vec::new(),
            );
            match (listing, version_id) {
                (Err(_), _) => Err(access::access_denied("Access Denied".to_owned())),
                (Ok(()), Some(v)) if v != "null" => Err(core::no_such_version(v)),
                (Ok(()), _) => Err(core::no_such_key(key)),
            }
        }
    }
}

/// Evaluates `If-Match`, `If-None-Match`, `If-Modified-Since` and `If-Unmodified-Since` as S3
/// does (RFC 9110 precedence: a true `If-Match` overrides a false `If-Unmodified-Since`, a
/// false `If-None-Match` a true `If-Modified-Since`).
pub fn preconditions(
    object: &ObjectRecord,
    if_match: Option<&ETagCondition>,
    if_none_match: Option<&ETagCondition>,
    if_modified_since: Option<&Timestamp>,
    if_unmodified_since: Option<&Timestamp>,
) -> Result<(), ApiError> {
    // HTTP dates have whole seconds.
    let modified_s = object.last_modified_ms / 1000;
    let not_modified = || ApiError::new("NotModified", 304, "Not Modified");
    match if_match {
        Some(cond) if !etag_matches(cond, object) => return Err(precondition_failed()),
        Some(_) => {}
        None => {
            if if_unmodified_since.is_some_and(|t| modified_s > core::millis(t) / 1000) {
                return Err(precondition_failed());
            }
        }
    }
    match if_none_match {
        Some(cond) if etag_matches(cond, object) => return Err(not_modified()),
        Some(_) => {}
        None => {
            if if_modified_since.is_some_and(|t| modified_s <= core::millis(t) / 1000) {
                return Err(not_modified());
            }
        }
    }
    Ok(())
}

/// Fills the object fields GET and HEAD share.
macro_rules! object_output {
    ($ty:ident, $object:expr, $bucket:expr, $checksum_mode:expr) => {{
        let o: &ObjectRecord = $object;
        let h = &o.headers;
        let mut out = $ty {
            accept_ranges: Some("bytes".to_owned()),
            cache_control: h.cache_control.clone(),
            content_disposition: h.content_disposition.clone(),
            content_encoding: h.content_encoding.clone(),
            content_language: h.content_language.clone(),
            content_type: h.content_type.as_deref().and_then(|t| t.parse().ok()),
            e_tag: Some(ETag::Strong(o.etag.clone())),
            expires: h.expires_ms.map(core::timestamp),
            last_modified: Some(core::timestamp(o.last_modified_ms)),
            metadata: (!h.metadata.is_empty()).then(|| {
                h.metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }),
            object_lock_legal_hold_status: o
                .legal_hold
                .then(|| ObjectLockLegalHoldStatus::from_static(ObjectLockLegalHoldStatus::ON)),
            object_lock_mode: o.lock_mode.clone().map(ObjectLockMode::from),
            object_lock_retain_until_date: o.retain_until_ms.map(core::timestamp),
            parts_count: o.parts_count,
            server_side_encryption: Some(sse_of(h)),
            ssekms_key_id: h.kms_key_id.clone(),
            storage_class: h.storage_class.clone().map(StorageClass::from),
            version_id: version_shown($bucket, o),
            website_redirect_location: h.website_redirect_location.clone(),
            ..Default::default()
        };
        if $checksum_mode {
            checksums::fill(&o.checksum, &mut out);
        }
        out
    }};
}

/// The version a GET or HEAD reads, once allowed and its conditions hold, with the byte range
/// asked for: `(bucket, object, checksum mode, range)`. Both inputs name these fields alike.
macro_rules! fetch {
    ($front:expr, $who:expr, $input:expr) => {{
        let input = &$input;
        let (bucket, object) = $front.read(&$who, |ctx| {
            readable(
                $front,
                ctx,
                &input.bucket,
                input.expected_bucket_owner.as_deref(),
                &input.key,
                input.version_id.as_deref(),
                ("s3:GetObject", "s3:GetObjectVersion"),
            )
        })?;
        preconditions(
            &object,
            input.if_match.as_ref(),
            input.if_none_match.as_ref(),
            input.if_modified_since.as_ref(),
            input.if_unmodified_since.as_ref(),
        )
        .map_err(s3_error)?;
        let checksum_mode = input
            .checksum_mode
            .as_ref()
            .is_some_and(|m| m.as_str() == "ENABLED");
        let range = match &input.range {
            Some(range) => Some(range.check(object.size).map_err(|_| {
                s3_error(
                    ApiError::new(
                        "InvalidRange",
                        416,
                        "The requested range is not satisfiable",
                    )
                    .with_field("ActualObjectSize", object.size.to_string()),
                )
            })?),
            None => None,
        };
        (bucket, object, checksum_mode, range)
    }};
}

/// Sets the length and range of a GET or HEAD answer; 206 for a range.
macro_rules! ranged {
    ($output:expr, $object:expr, $range:expr) => {{
        let span = $range.clone().unwrap_or(0..$object.size);
        $output.content_length = Some((span.end - span.start) as i64);
        if let Some(r) = &$range {
            $output.content_range = Some(format!(
                "bytes {}-{}/{}",
                r.start,
                r.end.saturating_sub(1),
                $object.size
            ));
        }
        span
    }};
}

fn partial<T>(output: T, range: &Option<std::ops::Range<u64>>) -> S3Response<T> {
    let mut response = S3Response::new(output);
    if range.is_some() {
        response.status = Some(http::StatusCode::PARTIAL_CONTENT);
    }
    response
}

/// `GetObject`.
pub async fn get(
    front: &S3Front,
    req: S3Request<GetObjectInput>,
) -> S3Result<S3Response<GetObjectOutput>> {
    let who = front.who(&req);
    let (bucket, object, checksum_mode, range) = fetch!(front, who, req.input);
    let mut output = object_output!(
        GetObjectOutput,
        &object,
        &bucket,
        checksum_mode && range.is_none()
    );
    let span = ranged!(output, object, range);
    output.tag_count = (!object.tags.is_empty()).then_some(object.tags.len() as i32);
    let segments = object
        .segments
        .iter()
        .map(|s| (s.blob.clone(), s.len))
        .collect();
    output.body = Some(crate::blobs::stream_segments(
        front.blobs.clone(),
        segments,
        span,
    ));
    Ok(partial(output, &range))
}

/// `HeadObject`.
pub async fn head(
    front: &S3Front,
    req: S3Request<HeadObjectInput>,
) -> S3Result<S3Response<HeadObjectOutput>> {
    let who = front.who(&req);
    let (bucket, object, checksum_mode, range) = fetch!(front, who, req.input);
    let mut output = object_output!(
        HeadObjectOutput,
        &object,
        &bucket,
        checksum_mode && range.is_none()
    );
    ranged!(output, object, range);
    Ok(partial(output, &range))
}

/// What deleting one key did.
pub struct Deleted {
    /// A delete marker was created (or the version removed was one).
    pub delete_marker: bool,
    /// The version removed, or the marker's version id.
    pub version_id: Option<String>,
}

/// Deletes `key` (or one version of it) in the caller's transaction; returns what happened and
/// the blobs to free.
pub fn delete_one(
    front: &S3Front,
    ctx: &mut Ctx<'_>,
    bucket: &BucketRecord,
    key: &str,
    version_id: Option<&str>,
    bypass_governance: bool,
) -> Result<(Deleted, Vec<String>), ApiError> {
    let action = if version_id.is_some() {
        "s3:DeleteObjectVersion"
    } else {
        "s3:DeleteObject"
    };
    access::authorize(ctx, front.enforce, bucket, action, Some(key), &Vec::new())?;
    let bypass = bypass_governance
        && access::authorize(
            ctx,
            front.enforce,
            bucket,
            "s3:BypassGovernanceRetention",
            Some(key),
            &Vec::new(),
        )
        .is_ok();
    if let Some(version_id) = version_id {
        let Some(version) = versions::find(ctx.tx.read(), &bucket.name, key, Some(version_id))?
        else {
            return Ok((
                Deleted {
                    delete_marker: false,
                    version_id: Some(version_id.to_owned()),
                },
                Vec::new(),
            ));
        };
        versions::check_unlocked(ctx, &version, bypass)?;
        let freed = versions::remove(ctx, &bucket.name, &version)?;
        return Ok((
            Deleted {
                delete_marker: version.delete_marker,
                version_id: Some(version.version_id),
            },
            freed,
        ));
    }
    if bucket.versioning.is_none() {
        let freed = match versions::find(ctx.tx.read(), &bucket.name, key, None)? {
            Some(current) => versions::remove(ctx, &bucket.name, &current)?,
            None => Vec::new(),
        };
        return Ok((
            Deleted {
                delete_marker: false,
                version_id: None,
            },
            freed,
        ));
    }
    let marker = ObjectRecord {
        bucket: bucket.name.clone(),
        key: key.to_owned(),
        delete_marker: true,
        last_modified_ms: ctx.now_ms(),
        owner: bucket.owner.clone(),
        ..Default::default()
    };
    let (marker, freed) = versions::put(ctx, bucket, marker)?;
    Ok((
        Deleted {
            delete_marker: true,
            version_id: Some(marker.version_id),
        },
        freed,
    ))
}

/// `DeleteObject`.
pub async fn delete(
    front: &S3Front,
    req: S3Request<DeleteObjectInput>,
) -> S3Result<S3Response<DeleteObjectOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let (deleted, freed) = front.write(&who, |ctx| {
        let bucket = core::bucket(ctx.tx.read(), &input.bucket)?;
        if input
            .expected_bucket_owner
            .as_deref()
            .is_some_and(|o| o != bucket.owner)
        {
            return Err(access::access_denied("Access Denied".to_owned()));
        }
        delete_one(
            front,
            ctx,
            &bucket,
            &input.key,
            input.version_id.as_deref(),
            input.bypass_governance_retention.unwrap_or(false),
        )
    })?;
    front.blobs.remove(&freed);
    Ok(S3Response::new(DeleteObjectOutput {
        delete_marker: deleted.delete_marker.then_some(true),
        version_id: deleted.version_id,
        ..Default::default()
    }))
}

/// `DeleteObjects`: each key decided and deleted on its own; failures are reported per key.
pub async fn delete_many(
    front: &S3Front,
    req: S3Request<DeleteObjectsInput>,
) -> S3Result<S3Response<DeleteObjectsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    if input.delete.objects.len() > 1000 {
        return Err(s3_error(core::malformed_xml()));
    }
    let quiet = input.delete.quiet.unwrap_or(false);
    let bypass = input.bypass_governance_retention.unwrap_or(false);
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    let mut freed = Vec::new();
    for object in &input.delete.objects {
        let result = front.write(&who, |ctx| {
            let bucket = core::bucket(ctx.tx.read(), &input.bucket)?;
            delete_one(
                front,
                ctx,
                &bucket,
                &object.key,
                object.version_id.as_deref(),
                bypass,
            )
        });
        match result {
            Ok((done, blobs)) => {
                freed.extend(blobs);
                if !quiet {
                    deleted.push(DeletedObject {
                        key: Some(object.key.clone()),
                        version_id: object.version_id.clone(),
                        delete_marker: done.delete_marker.then_some(true),
                        delete_marker_version_id: if done.delete_marker
                            && object.version_id.is_none()
                        {
                            done.version_id
                        } else {
                            None
                        },
                    });
                }
            }
            Err(e) if e.code() == &s3s::S3ErrorCode::NoSuchBucket => return Err(e),
            Err(e) => errors.push(Error {
                code: Some(e.code().as_str().to_owned()),
                key: Some(object.key.clone()),
                message: e.message().map(str::to_owned),
                version_id: object.version_id.clone(),
            }),
        }
    }
    front.blobs.remove(&freed);
    Ok(S3Response::new(DeleteObjectsOutput {
        deleted: Some(deleted),
        errors: (!errors.is_empty()).then_some(errors),
        ..Default::default()
    }))
}

/// `CopyObject`: the source's body streamed into a new blob.
pub async fn copy(
    front: &S3Front,
    req: S3Request<CopyObjectInput>,
) -> S3Result<S3Response<CopyObjectOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let CopySource::Bucket {
        bucket: source_bucket,
        key: source_key,
        version_id: source_version,
    } = &input.copy_source
    else {
        return Err(s3_error(core::invalid_argument(
            "Copying from an access point is not supported",
        )));
    };
    let replace = input
        .metadata_directive
        .as_ref()
        .is_some_and(|d| d.as_str() == "REPLACE");
    let replace_tags = input
        .tagging_directive
        .as_ref()
        .is_some_and(|d| d.as_str() == "REPLACE");
    let mut keys = write_keys(
        input.acl.as_ref().map(ObjectCannedACL::as_str),
        input
            .server_side_encryption
            .as_ref()
            .map(ServerSideEncryption::as_str),
        input.object_lock_mode.as_ref().map(ObjectLockMode::as_str),
    );
    keys.push((
        "s3:x-amz-copy-source".to_owned(),
        vec![format!("{source_bucket}/{source_key}")],
    ));
    keys.push((
        "s3:x-amz-metadata-directive".to_owned(),
        vec![if replace { "REPLACE" } else { "COPY" }.to_owned()],
    ));
    let (source_bucket_record, source, bucket) = front.read(&who, |ctx| {
        let (sb, source) = readable(
            front,
            ctx,
            source_bucket,
            input.expected_source_bucket_owner.as_deref(),
            source_key,
            source_version.as_deref(),
            ("s3:GetObject", "s3:GetObjectVersion"),
        )?;
        let bucket = front.bucket_for(
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:PutObject",
            Some(&input.key),
            &keys,
        )?;
        Ok((sb, source, bucket))
    })?;
    preconditions(
        &source,
        input.copy_source_if_match.as_ref(),
        input.copy_source_if_none_match.as_ref(),
        input.copy_source_if_modified_since.as_ref(),
        input.copy_source_if_unmodified_since.as_ref(),
    )
    .map_err(|e| {
        // A copy whose source condition fails answers 412 for both kinds.
        let mut e = s3_error(e);
        if e.code() == &s3s::S3ErrorCode::NotModified {
            e = s3_error(precondition_failed());
        }
        e
    })?;
    check_acl(&bucket, input.acl.as_ref().map(ObjectCannedACL::as_str)).map_err(s3_error)?;
    let same = **source_bucket == *input.bucket && **source_key == *input.key;
    let changes = replace
        || input.storage_class.is_some()
        || input.website_redirect_location.is_some()
        || input.server_side_encryption.is_some()
        || (bucket.versioning_enabled() && source_version.is_some());
    if same && !changes {
        return Err(s3_error(core::invalid_request(
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        )));
    }
    let headers = if replace {
        content_headers_of!(input)
    } else {
        let mut h = source.headers.clone();
        if let Some(class) = &input.storage_class {
            h.storage_class = Some(class.as_str().to_owned()).filter(|s| s != "STANDARD");
        }
        h
    };
    let tags = if replace_tags {
        parse_tagging_header(input.tagging.as_deref()).map_err(s3_error)?
    } else {
        source.tags.clone()
    };
    let lock = lock_settings(
        &bucket,
        input.object_lock_mode.as_ref().map(ObjectLockMode::as_str),
        input.object_lock_retain_until_date.as_ref(),
        input
            .object_lock_legal_hold_status
            .as_ref()
            .map(ObjectLockLegalHoldStatus::as_str),
    )
    .map_err(s3_error)?;
    let blob = front.blob_id();
    let segments = source
        .segments
        .iter()
        .map(|s| (s.blob.clone(), s.len))
        .collect();
    let body = crate::blobs::stream_segments(front.blobs.clone(), segments, 0..source.size);
    let expected = Expected::recompute(source.checksum.as_ref());
    let written = checksums::write_body(front, &blob, Some(body), &expected).await?;
    let object = ObjectRecord {
        bucket: bucket.name.clone(),
        key: input.key.clone(),
        segments: vec![Segment {
            blob: blob.clone(),
            len: written.len,
        }],
        size: written.len,
        // A copy of a multipart object is one part: its ETag is the MD5 of the whole.
        etag: written.md5_hex.clone(),
        owner: bucket.owner.clone(),
        headers,
        checksum: checksums::record_of(&written, &expected),
        tags,
        lock_mode: lock.0,
        retain_until_ms: lock.1,
        legal_hold: lock.2,
        ..Default::default()
    };
    let stored = store(front, &who, &input.bucket, object)
        .inspect_err(|_| front.blobs.remove(std::slice::from_ref(&blob)))?;
    let mut result = CopyObjectResult {
        e_tag: Some(ETag::Strong(stored.etag.clone())),
        last_modified: Some(core::timestamp(stored.last_modified_ms)),
        ..Default::default()
    };
    checksums::fill(&stored.checksum, &mut result);
    Ok(S3Response::new(CopyObjectOutput {
        copy_object_result: Some(result),
        copy_source_version_id: version_shown(&source_bucket_record, &source),
        version_id: version_shown(&bucket, &stored),
        server_side_encryption: Some(sse_of(&stored.headers)),
        ..Default::default()
    }))
}

#[allow(clippy::too_many_arguments)]
/// Changes one version of an object in place (tags, retention, legal hold) in the write
/// transaction; `change` sees the version and returns the output.
pub fn change_version<T>(
    front: &S3Front,
    who: &Who,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    action: &str,
    keys_of: impl Fn(&ObjectRecord) -> Keys,
    mut change: impl FnMut(&Ctx<'_>, &BucketRecord, &mut ObjectRecord) -> Result<T, ApiError>,
) -> S3Result<T> {
    front.write(who, |ctx| {
        let bucket_record = core::bucket(ctx.tx.read(), bucket)?;
        let found = versions::find(ctx.tx.read(), bucket, key, version_id)?;
        let keys = found.as_ref().map(&keys_of).unwrap_or_default();
        access::authorize(ctx, front.enforce, &bucket_record, action, Some(key), &keys)?;
        let mut version = match found {
            Some(v) if !v.delete_marker => v,
            Some(_) => {
                return Err(ApiError::new(
                    "MethodNotAllowed",
                    405,
                    "The specified method is not allowed against this resource.",
                ))
            }
            None => match version_id {
                Some(v) => return Err(core::no_such_version(v)),
                None => return Err(core::no_such_key(key)),
            },
        };
        let out = change(ctx, &bucket_record, &mut version)?;
        let tx = ctx.tx.write()?;
        core::VERSIONS.put(tx, &core::version_key(bucket, key, version.seq), &version)?;
        let current_key = core::object_key(bucket, key);
        if core::CURRENT
            .get(tx.as_read(), &current_key)?
            .is_some_and(|c| c.seq == version.seq)
        {
            core::CURRENT.put(tx, &current_key, &version)?;
        }
        Ok(out)
    })
}

/// `GetObjectTagging`.
pub async fn get_tagging(
    front: &S3Front,
    req: S3Request<GetObjectTaggingInput>,
) -> S3Result<S3Response<GetObjectTaggingOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let action = if input.version_id.is_some() {
        "s3:GetObjectVersionTagging"
    } else {
        "s3:GetObjectTagging"
    };
    let (bucket, object) = front.read(&who, |ctx| {
        readable(
            front,
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            &input.key,
            input.version_id.as_deref(),
            (action, action),
        )
    })?;
    Ok(S3Response::new(GetObjectTaggingOutput {
        tag_set: tag_set(&object.tags),
        version_id: version_shown(&bucket, &object),
    }))
}

/// Tags in S3's shape.
pub fn tag_set(tags: &[(String, String)]) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag {
            key: Some(k.clone()),
            value: Some(v.clone()),
        })
        .collect()
}

/// Tags from S3's shape.
pub fn tags_of(tag_set: &[Tag]) -> Vec<(String, String)> {
    tag_set
        .iter()
        .map(|t| {
            (
                t.key.clone().unwrap_or_default(),
                t.value.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// `PutObjectTagging`.
pub async fn put_tagging(
    front: &S3Front,
    req: S3Request<PutObjectTaggingInput>,
) -> S3Result<S3Response<PutObjectTaggingOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let tags = tags_of(&input.tagging.tag_set);
    validate_tags(&tags).map_err(s3_error)?;
    let action = if input.version_id.is_some() {
        "s3:PutObjectVersionTagging"
    } else {
        "s3:PutObjectTagging"
    };
    let request_keys = request_tag_keys(&tags);
    let version = change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        action,
        |o| {
            let mut keys = existing_tag_keys(Some(o));
            keys.extend(request_keys.clone());
            keys
        },
        |_, bucket, object| {
            object.tags = tags.clone();
            Ok(version_shown(bucket, object))
        },
    )?;
    Ok(S3Response::new(PutObjectTaggingOutput {
        version_id: version,
    }))
}

/// `DeleteObjectTagging`.
pub async fn delete_tagging(
    front: &S3Front,
    req: S3Request<DeleteObjectTaggingInput>,
) -> S3Result<S3Response<DeleteObjectTaggingOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let action = if input.version_id.is_some() {
        "s3:DeleteObjectVersionTagging"
    } else {
        "s3:DeleteObjectTagging"
    };
    let version = change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        action,
        |o| existing_tag_keys(Some(o)),
        |_, bucket, object| {
            object.tags.clear();
            Ok(version_shown(bucket, object))
        },
    )?;
    let mut response = S3Response::new(DeleteObjectTaggingOutput {
        version_id: version,
    });
    response.status = Some(http::StatusCode::NO_CONTENT);
    Ok(response)
}

/// `GetObjectAttributes`: the attributes asked for (`ETag`, `Checksum`, `ObjectParts`,
/// `StorageClass`, `ObjectSize`).
pub async fn get_attributes(
    front: &S3Front,
    req: S3Request<GetObjectAttributesInput>,
) -> S3Result<S3Response<GetObjectAttributesOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let (bucket, object) = front.read(&who, |ctx| {
        readable(
            front,
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            &input.key,
            input.version_id.as_deref(),
            ("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes"),
        )
    })?;
    // One header may list several attributes, comma-separated.
    let asked = |name: &str| {
        input
            .object_attributes
            .iter()
            .flat_map(|a| a.as_str().split(','))
            .any(|a| a.trim() == name)
    };
    let mut output = GetObjectAttributesOutput {
        last_modified: Some(core::timestamp(object.last_modified_ms)),
        version_id: version_shown(&bucket, &object),
        ..Default::default()
    };
    if asked("ETag") {
        output.e_tag = Some(ETag::Strong(object.etag.clone()));
    }
    if asked("ObjectSize") {
        output.object_size = Some(object.size as i64);
    }
    if asked("StorageClass") {
        output.storage_class = Some(StorageClass::from(
            object
                .headers
                .storage_class
                .clone()
                .unwrap_or_else(|| "STANDARD".to_owned()),
        ));
    }
    if asked("Checksum") && object.checksum.is_some() {
        let mut checksum = Checksum::default();
        checksums::fill(&object.checksum, &mut checksum);
        output.checksum = Some(checksum);
    }
    if asked("ObjectParts") {
        if let Some(count) = object.parts_count {
            output.object_parts = Some(GetObjectAttributesParts {
                total_parts_count: Some(count),
                ..Default::default()
            });
        }
    }
    Ok(S3Response::new(output))
}

/// `PutObjectAcl`: with ACLs disabled only the owner-only canned ACLs are accepted, as S3 does.
pub async fn put_acl(
    front: &S3Front,
    req: S3Request<PutObjectAclInput>,
) -> S3Result<S3Response<PutObjectAclOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let acl = input.acl.as_ref().map(ObjectCannedACL::as_str);
    let action = if input.version_id.is_some() {
        "s3:PutObjectVersionAcl"
    } else {
        "s3:PutObjectAcl"
    };
    change_version(
        front,
        &who,
        &input.bucket,
        &input.key,
        input.version_id.as_deref(),
        action,
        |_| Keys::new(),
        |_, bucket, _| {
            let grants = input.access_control_policy.is_some()
                || input.grant_full_control.is_some()
                || input.grant_read.is_some()
                || input.grant_read_acp.is_some()
                || input.grant_write.is_some()
                || input.grant_write_acp.is_some();
            if grants {
                return check_acl(bucket, Some("public-read"));
            }
            check_acl(bucket, acl)
        },
    )?;
    Ok(S3Response::new(PutObjectAclOutput::default()))
}
