//! Multipart uploads: create, upload parts (each its own blob), complete (the object is its
//! parts' blobs in order: nothing is copied; ETag `md5(part md5s)-N`), abort, and the listings.

use localorg_model::ApiError;
use localorg_store::Key;
use s3s::crypto::Checksum as _;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::checksums::{self, Expected};
use crate::core::{self, s3_error, PARTS, UPLOADS};
use crate::front::S3Front;
use crate::objects;
use crate::records::{ObjectRecord, PartRecord, Segment, UploadRecord};

/// Smallest part but the last (5 MiB).
const MIN_PART: u64 = 5 * 1024 * 1024;

/// `CreateMultipartUpload`.
pub async fn create(
    front: &S3Front,
    req: S3Request<CreateMultipartUploadInput>,
) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let tags = objects::parse_tagging_header(input.tagging.as_deref()).map_err(s3_error)?;
    let algorithm = input
        .checksum_algorithm
        .as_ref()
        .map(|a| a.as_str().to_ascii_uppercase());
    let checksum_type = input
        .checksum_type
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .or_else(|| {
            algorithm.as_ref().map(|a| {
                if a == "CRC64NVME" {
                    "FULL_OBJECT"
                } else {
                    "COMPOSITE"
                }
                .to_owned()
            })
        });
    let upload_id = front
        .partition
        .ids()
        .string(localorg_kernel::context::ALNUM, 64);
    let upload = front.write(&who, |ctx| {
        let bucket = front.bucket_for(
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:PutObject",
            Some(&input.key),
            &Vec::new(),
        )?;
        let lock = objects::lock_settings(
            &bucket,
            input.object_lock_mode.as_ref().map(ObjectLockMode::as_str),
            input.object_lock_retain_until_date.as_ref(),
            input
                .object_lock_legal_hold_status
                .as_ref()
                .map(ObjectLockLegalHoldStatus::as_str),
        )?;
        let upload = UploadRecord {
            bucket: bucket.name.clone(),
            key: input.key.clone(),
            upload_id: upload_id.clone(),
            initiated_ms: ctx.now_ms(),
            initiator_arn: ctx.caller.arn.clone(),
            owner: bucket.owner.clone(),
            headers: objects::content_headers_of!(input),
            checksum_algorithm: algorithm.clone(),
            checksum_type: checksum_type.clone(),
            tags: tags.clone(),
            lock_mode: lock.0,
            retain_until_ms: lock.1,
            legal_hold: lock.2,
        };
        UPLOADS.put(
            ctx.tx.write()?,
            &Key::new().str(&bucket.name).str(&input.key).str(&upload_id),
            &upload,
        )?;
        Ok(upload)
    })?;
    Ok(S3Response::new(CreateMultipartUploadOutput {
        bucket: Some(upload.bucket),
        key: Some(upload.key),
        upload_id: Some(upload.upload_id),
        checksum_algorithm: algorithm.map(ChecksumAlgorithm::from),
        checksum_type: checksum_type.map(ChecksumType::from),
        server_side_encryption: Some(ServerSideEncryption::from(
            upload
                .headers
                .server_side_encryption
                .unwrap_or_else(|| "AES256".to_owned()),
        )),
        ..Default::default()
    }))
}

/// The upload `upload_id` of `bucket`/`key`, once the caller may run `action` on it.
fn upload_for(
    front: &S3Front,
    ctx: &localorg_kernel::Ctx<'_>,
    bucket: &str,
    key: &str,
    upload_id: &str,
    expected_owner: Option<&str>,
    action: &str,
) -> Result<UploadRecord, ApiError> {
    front.bucket_for(ctx, bucket, expected_owner, action, Some(key), &Vec::new())?;
    UPLOADS
        .get(
            ctx.tx.read(),
            &Key::new().str(bucket).str(key).str(upload_id),
        )?
        .ok_or_else(core::no_such_upload)
}

/// `UploadPart`.
pub async fn upload_part(
    front: &S3Front,
    req: S3Request<UploadPartInput>,
) -> S3Result<S3Response<UploadPartOutput>> {
    let who = front.who(&req);
    let headers = req.headers.clone();
    let trailers = req.trailing_headers.clone();
    let mut input = req.input;
    if !(1..=10_000).contains(&input.part_number) {
        return Err(s3_error(core::invalid_argument(
            "Part number must be an integer between 1 and 10000, inclusive",
        )));
    }
    let upload = front.read(&who, |ctx| {
        upload_for(
            front,
            ctx,
            &input.bucket,
            &input.key,
            &input.upload_id,
            input.expected_bucket_owner.as_deref(),
            "s3:PutObject",
        )
    })?;
    let mut expected = Expected::of_put(&headers, input.checksum_algorithm.as_ref());
    if let Some(alg) = &upload.checksum_algorithm {
        if expected.value.is_none() && expected.trailer.is_none() {
            expected.algorithm = alg.clone();
        }
    }
    let blob = front.blob_id();
    let written = checksums::write_body(front, &blob, input.body.take(), &expected).await?;
    if let Err(e) = checksums::verify(
        &written,
        input.content_md5.as_deref(),
        &expected,
        trailers.as_ref(),
    ) {
        front.blobs.remove(std::slice::from_ref(&blob));
        return Err(s3_error(e));
    }
    let part = store_part(
        front,
        &who,
        (&input.bucket, &input.key, &input.upload_id),
        &upload,
        (input.part_number, blob, &written),
    )?;
    let mut output = UploadPartOutput {
        e_tag: Some(ETag::Strong(part.etag)),
        server_side_encryption: Some(ServerSideEncryption::from_static(
            ServerSideEncryption::AES256,
        )),
        ..Default::default()
    };
    if let (Some(alg), Some(value)) = (&upload.checksum_algorithm, part.checksum) {
        checksums::ChecksumFields::set_checksum(&mut output, alg, value, "COMPOSITE");
    }
    Ok(S3Response::new(output))
}

/// Records part `number` (its `blob`, as written) of `upload` — replacing an earlier upload of
/// that number — if the upload is still in progress; the part's blob is removed when it is not.
fn store_part(
    front: &S3Front,
    who: &crate::front::Who,
    (bucket, key, upload_id): (&str, &str, &str),
    upload: &UploadRecord,
    (number, blob, written): (i32, String, &crate::blobs::Written),
) -> S3Result<PartRecord> {
    let part = PartRecord {
        part_number: number,
        blob,
        size: written.len,
        etag: written.md5_hex.clone(),
        last_modified_ms: front.partition.now_ms(),
        checksum: upload
            .checksum_algorithm
            .as_ref()
            .and_then(|alg| checksums::computed(written, alg)),
    };
    let replaced = front
        .write(who, |ctx| {
            // The upload may have been completed or aborted meanwhile.
            let key = Key::new().str(bucket).str(key).str(upload_id);
            if UPLOADS.get(ctx.tx.read(), &key)?.is_none() {
                return Err(core::no_such_upload());
            }
            let pk = Key::new().str(upload_id).u64(number as u64);
            let previous = PARTS.get(ctx.tx.read(), &pk)?;
            PARTS.put(ctx.tx.write()?, &pk, &part)?;
            Ok(previous.map(|p| p.blob))
        })
        .inspect_err(|_| front.blobs.remove(std::slice::from_ref(&part.blob)))?;
    front
        .blobs
        .remove(&replaced.into_iter().collect::<Vec<_>>());
    Ok(part)
}

/// `UploadPartCopy`: a part copied from (a byte range of) an existing object.
pub async fn upload_part_copy(
    front: &S3Front,
    req: S3Request<UploadPartCopyInput>,
) -> S3Result<S3Response<UploadPartCopyOutput>> {
    let who = front.who(&req);
    let input = req.input;
    if !(1..=10_000).contains(&input.part_number) {
        return Err(s3_error(core::invalid_argument(
            "Part number must be an integer between 1 and 10000, inclusive",
        )));
    }
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
    let (upload, source_bucket_record, source) = front.read(&who, |ctx| {
        let upload = upload_for(
            front,
            ctx,
            &input.bucket,
            &input.key,
            &input.upload_id,
            input.expected_bucket_owner.as_deref(),
            "s3:PutObject",
        )?;
        let (sb, source) = objects::readable(
            front,
            ctx,
            source_bucket,
            input.expected_source_bucket_owner.as_deref(),
            source_key,
            source_version.as_deref(),
            ("s3:GetObject", "s3:GetObjectVersion"),
        )?;
        Ok((upload, sb, source))
    })?;
    objects::preconditions(
        &source,
        input.copy_source_if_match.as_ref(),
        input.copy_source_if_none_match.as_ref(),
        input.copy_source_if_modified_since.as_ref(),
        input.copy_source_if_unmodified_since.as_ref(),
    )
    .map_err(|_| {
        s3_error(ApiError::new(
            "PreconditionFailed",
            412,
            "At least one of the pre-conditions you specified did not hold",
        ))
    })?;
    let span = match input.copy_source_range.as_deref() {
        None => 0..source.size,
        Some(range) => copy_range(range, source.size).map_err(s3_error)?,
    };
    let segments = source
        .segments
        .iter()
        .map(|s| (s.blob.clone(), s.len))
        .collect();
    let body = crate::blobs::stream_segments(front.blobs.clone(), segments, span);
    let expected = Expected {
        algorithm: upload
            .checksum_algorithm
            .clone()
            .unwrap_or_else(|| "CRC64NVME".to_owned()),
        ..Default::default()
    };
    let blob = front.blob_id();
    let written = checksums::write_body(front, &blob, Some(body), &expected).await?;
    let part = store_part(
        front,
        &who,
        (&input.bucket, &input.key, &input.upload_id),
        &upload,
        (input.part_number, blob, &written),
    )?;
    let mut result = CopyPartResult {
        e_tag: Some(ETag::Strong(part.etag)),
        last_modified: Some(core::timestamp(part.last_modified_ms)),
        ..Default::default()
    };
    if let (Some(alg), Some(value)) = (&upload.checksum_algorithm, part.checksum) {
        checksums::ChecksumFields::set_checksum(&mut result, alg, value, "COMPOSITE");
    }
    Ok(S3Response::new(UploadPartCopyOutput {
        copy_part_result: Some(result),
        copy_source_version_id: objects::version_shown(&source_bucket_record, &source),
        server_side_encryption: Some(ServerSideEncryption::from_static(
            ServerSideEncryption::AES256,
        )),
        ..Default::default()
    }))
}

/// The byte range `x-amz-copy-source-range: bytes=first-last` names, within `size`.
fn copy_range(range: &str, size: u64) -> Result<std::ops::Range<u64>, ApiError> {
    let invalid = || {
        core::invalid_argument(
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
        )
    };
    let (first, last) = range
        .strip_prefix("bytes=")
        .and_then(|r| r.split_once('-'))
        .ok_or_else(invalid)?;
    let first: u64 = first.parse().map_err(|_| invalid())?;
    let last: u64 = last.parse().map_err(|_| invalid())?;
    if first > last {
        return Err(invalid());
    }
    if last >= size {
        return Err(ApiError::new(
            "InvalidRange",
            416,
            "The requested range is not satisfiable",
        ));
    }
    Ok(first..last + 1)
}

/// `CompleteMultipartUpload`.
pub async fn complete(
    front: &S3Front,
    req: S3Request<CompleteMultipartUploadInput>,
) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let asked: Vec<CompletedPart> = input
        .multipart_upload
        .as_ref()
        .and_then(|m| m.parts.clone())
        .unwrap_or_default();
    if asked.is_empty() {
        return Err(s3_error(ApiError::new(
            "MalformedXML",
            400,
            "The XML you provided was not well-formed or did not validate against our published schema",
        )));
    }
    let (object, freed, bucket) = front.write(&who, |ctx| {
        let upload = upload_for(front, ctx, &input.bucket, &input.key, &input.upload_id, input.expected_bucket_owner.as_deref(), "s3:PutObject")?;
        let stored: Vec<PartRecord> = PARTS
            .scan_all(ctx.tx.read(), &Key::new().str(&input.upload_id))?
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        let mut chosen = Vec::new();
        let mut previous = 0;
        for (i, part) in asked.iter().enumerate() {
            let number = part.part_number.unwrap_or(0);
            if number <= previous {
                return Err(ApiError::new(
                    "InvalidPartOrder",
                    400,
                    "The list of parts was not in ascending order. Parts must be ordered by part number.",
                ));
            }
            previous = number;
            let found = stored.iter().find(|p| p.part_number == number);
            let matches = found.is_some_and(|p| {
                part.e_tag.as_ref().is_none_or(|t| t.value() == p.etag)
            });
            let Some(found) = found.filter(|_| matches) else {
                return Err(ApiError::new(
                    "InvalidPart",
                    400,
                    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
                ));
            };
            if i + 1 < asked.len() && found.size < MIN_PART {
                return Err(ApiError::new(
                    "EntityTooSmall",
                    400,
                    "Your proposed upload is smaller than the minimum allowed size",
                ));
            }
            chosen.push(found.clone());
        }
        let mut md5s = Vec::new();
        for p in &chosen {
            md5s.extend(hex::decode(&p.etag).unwrap_or_default());
        }
        let etag = format!(
            "{}-{}",
            hex::encode(s3s::crypto::Md5::checksum(&md5s)),
            chosen.len()
        );
        let checksum = match (&upload.checksum_algorithm, upload.checksum_type.as_deref()) {
            (Some(alg), Some("COMPOSITE")) => {
                let values: Option<Vec<String>> = chosen.iter().map(|p| p.checksum.clone()).collect();
                values
                    .and_then(|v| checksums::composite(alg, &v))
                    .map(|value| crate::records::ChecksumRecord {
                        algorithm: alg.clone(),
                        value,
                        kind: "COMPOSITE".to_owned(),
                    })
            }
            _ => None,
        };
        let object = ObjectRecord {
            bucket: input.bucket.clone(),
            key: input.key.clone(),
            segments: chosen
                .iter()
                .map(|p| Segment { blob: p.blob.clone(), len: p.size })
                .collect(),
            size: chosen.iter().map(|p| p.size).sum(),
            etag,
            last_modified_ms: ctx.now_ms(),
            owner: upload.owner.clone(),
            headers: upload.headers.clone(),
            checksum,
            parts_count: Some(chosen.len() as i32),
            tags: upload.tags.clone(),
            lock_mode: upload.lock_mode.clone(),
            retain_until_ms: upload.retain_until_ms,
            legal_hold: upload.legal_hold,
            ..Default::default()
        };
        let bucket = core::bucket(ctx.tx.read(), &input.bucket)?;
        let (object, mut freed) = crate::versions::put(ctx, &bucket, object)?;
        // Parts not in the object are dropped with the upload.
        freed.extend(
            stored
                .iter()
                .filter(|p| !chosen.iter().any(|c| c.part_number == p.part_number))
                .map(|p| p.blob.clone()),
        );
        let tx = ctx.tx.write()?;
        PARTS.delete_prefix(tx, &Key::new().str(&input.upload_id))?;
        UPLOADS.delete(tx, &Key::new().str(&input.bucket).str(&input.key).str(&input.upload_id))?;
        Ok((object, freed, bucket))
    })?;
    front.blobs.remove(&freed);
    let mut output = CompleteMultipartUploadOutput {
        bucket: Some(input.bucket.clone()),
        key: Some(input.key.clone()),
        e_tag: Some(ETag::Strong(object.etag.clone())),
        location: Some(format!("/{}/{}", input.bucket, input.key)),
        server_side_encryption: Some(ServerSideEncryption::from_static(
            ServerSideEncryption::AES256,
        )),
        version_id: objects::version_shown(&bucket, &object),
        ..Default::default()
    };
    checksums::fill(&object.checksum, &mut output);
    Ok(S3Response::new(output))
}

/// `AbortMultipartUpload`.
pub async fn abort(
    front: &S3Front,
    req: S3Request<AbortMultipartUploadInput>,
) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let freed = front.write(&who, |ctx| {
        upload_for(
            front,
            ctx,
            &input.bucket,
            &input.key,
            &input.upload_id,
            input.expected_bucket_owner.as_deref(),
            "s3:AbortMultipartUpload",
        )?;
        let parts = Key::new().str(&input.upload_id);
        let blobs: Vec<String> = PARTS
            .scan_all(ctx.tx.read(), &parts)?
            .into_iter()
            .map(|(_, p)| p.blob)
            .collect();
        let tx = ctx.tx.write()?;
        PARTS.delete_prefix(tx, &parts)?;
        UPLOADS.delete(
            tx,
            &Key::new()
                .str(&input.bucket)
                .str(&input.key)
                .str(&input.upload_id),
        )?;
        Ok(blobs)
    })?;
    front.blobs.remove(&freed);
    let mut response = S3Response::new(AbortMultipartUploadOutput::default());
    response.status = Some(http::StatusCode::NO_CONTENT);
    Ok(response)
}

/// `ListParts`.
pub async fn list_parts(
    front: &S3Front,
    req: S3Request<ListPartsInput>,
) -> S3Result<S3Response<ListPartsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let max = input.max_parts.map_or(1000, |m| m.clamp(0, 1000)) as usize;
    let marker = input.part_number_marker.unwrap_or(0).max(0) as u64;
    let (upload, parts) = front.read(&who, |ctx| {
        let upload = upload_for(
            front,
            ctx,
            &input.bucket,
            &input.key,
            &input.upload_id,
            input.expected_bucket_owner.as_deref(),
            "s3:ListMultipartUploadParts",
        )?;
        let after = PARTS
            .record_key(&Key::new().str(&input.upload_id).u64(marker))
            .into_bytes();
        let page = PARTS.scan(
            ctx.tx.read(),
            &Key::new().str(&input.upload_id),
            Some(&after),
            max,
        )?;
        let truncated = page.next.is_some();
        Ok((
            upload,
            (
                page.items.into_iter().map(|(_, p)| p).collect::<Vec<_>>(),
                truncated,
            ),
        ))
    })?;
    let (parts, truncated) = parts;
    let next = parts.last().map(|p| p.part_number);
    Ok(S3Response::new(ListPartsOutput {
        bucket: Some(input.bucket),
        key: Some(input.key),
        upload_id: Some(input.upload_id),
        initiator: Some(Initiator {
            display_name: None,
            id: Some(upload.initiator_arn.clone()),
        }),
        owner: Some(core::owner(&upload.owner)),
        storage_class: Some(StorageClass::from_static(StorageClass::STANDARD)),
        max_parts: Some(max as i32),
        part_number_marker: input.part_number_marker,
        next_part_number_marker: if truncated { next } else { None },
        is_truncated: Some(truncated),
        checksum_algorithm: upload
            .checksum_algorithm
            .clone()
            .map(ChecksumAlgorithm::from),
        checksum_type: upload.checksum_type.clone().map(ChecksumType::from),
        parts: Some(
            parts
                .into_iter()
                .map(|p| {
                    let mut part = Part {
                        e_tag: Some(ETag::Strong(p.etag)),
                        last_modified: Some(core::timestamp(p.last_modified_ms)),
                        part_number: Some(p.part_number),
                        size: Some(p.size as i64),
                        ..Default::default()
                    };
                    if let (Some(alg), Some(v)) = (&upload.checksum_algorithm, p.checksum) {
                        checksums::ChecksumFields::set_checksum(&mut part, alg, v, "COMPOSITE");
                    }
                    part
                })
                .collect(),
        ),
        ..Default::default()
    }))
}

/// `ListMultipartUploads`: uploads in progress by key, then upload id.
pub async fn list_uploads(
    front: &S3Front,
    req: S3Request<ListMultipartUploadsInput>,
) -> S3Result<S3Response<ListMultipartUploadsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let prefix = input.prefix.clone().unwrap_or_default();
    let max = input.max_uploads.map_or(1000, |m| m.clamp(0, 1000)) as usize;
    let uploads = front.read(&who, |ctx| {
        front.bucket_for(
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:ListBucketMultipartUploads",
            None,
            &Vec::new(),
        )?;
        Ok(UPLOADS
            .scan_all(ctx.tx.read(), &Key::new().str(&input.bucket))?
            .into_iter()
            .map(|(_, u)| u)
            .collect::<Vec<_>>())
    })?;
    let key_marker = input.key_marker.clone().unwrap_or_default();
    let id_marker = input.upload_id_marker.clone().unwrap_or_default();
    let mut listed = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut truncated = false;
    for u in uploads {
        if !u.key.starts_with(&prefix) {
            continue;
        }
        let after_marker = u.key > key_marker
            || (u.key == key_marker && !id_marker.is_empty() && u.upload_id > id_marker);
        if !key_marker.is_empty() && !after_marker {
            continue;
        }
        if listed.len() + prefixes.len() >= max {
            truncated = true;
            break;
        }
        let rolled = input
            .delimiter
            .as_deref()
            .filter(|d| !d.is_empty())
            .and_then(|d| {
                let rest = u.key.get(prefix.len()..)?;
                rest.find(d).map(|at| {
                    u.key
                        .get(..prefix.len() + at + d.len())
                        .unwrap_or_default()
                        .to_owned()
                })
            });
        match rolled {
            Some(p) if prefixes.last() == Some(&p) => {}
            Some(p) => prefixes.push(p),
            None => listed.push(u),
        }
    }
    let next = listed.last().map(|u| (u.key.clone(), u.upload_id.clone()));
    Ok(S3Response::new(ListMultipartUploadsOutput {
        bucket: Some(input.bucket),
        prefix: Some(prefix),
        key_marker: Some(key_marker),
        upload_id_marker: Some(id_marker),
        max_uploads: Some(max as i32),
        is_truncated: Some(truncated),
        next_key_marker: if truncated {
            next.clone().map(|n| n.0)
        } else {
            None
        },
        next_upload_id_marker: if truncated { next.map(|n| n.1) } else { None },
        delimiter: input.delimiter,
        common_prefixes: (!prefixes.is_empty()).then(|| {
            prefixes
                .into_iter()
                .map(|p| CommonPrefix { prefix: Some(p) })
                .collect()
        }),
        uploads: Some(
            listed
                .into_iter()
                .map(|u| MultipartUpload {
                    initiated: Some(core::timestamp(u.initiated_ms)),
                    initiator: Some(Initiator {
                        display_name: None,
                        id: Some(u.initiator_arn.clone()),
                    }),
                    key: Some(u.key),
                    owner: Some(core::owner(&u.owner)),
                    storage_class: Some(StorageClass::from_static(StorageClass::STANDARD)),
                    upload_id: Some(u.upload_id),
                    checksum_algorithm: u.checksum_algorithm.map(ChecksumAlgorithm::from),
                    checksum_type: u.checksum_type.map(ChecksumType::from),
                })
                .collect(),
        ),
        ..Default::default()
    }))
}
