//! Buckets: create (with AWS's Region and name rules), delete (only when empty), list, head and
//! locate.

use localorg_model::ApiError;
use localorg_store::Key;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::access;
use crate::core::{self, s3_error, BUCKETS};
use crate::front::S3Front;
use crate::records::{BucketRecord, LockConfig, PublicAccessBlock};

/// Whether `name` follows the naming rules of general purpose buckets.
pub fn valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && edge(bytes.first())
        && edge(bytes.last())
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !["xn--", "sthree-", "amzn-s3-demo-"]
            .iter()
            .any(|p| name.starts_with(p))
        && !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// `CreateBucket`.
pub async fn create(
    front: &S3Front,
    req: S3Request<CreateBucketInput>,
) -> S3Result<S3Response<CreateBucketOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let name = input.bucket.clone();
    if !valid_bucket_name(&name) {
        return Err(s3_error(ApiError::new(
            "InvalidBucketName",
            400,
            "The specified bucket is not valid.",
        )));
    }
    let constraint = input
        .create_bucket_configuration
        .as_ref()
        .and_then(|c| c.location_constraint.as_ref())
        .map(|c| c.as_str().to_owned())
        .filter(|c| !c.is_empty());
    let region = bucket_region(&who.region, constraint.as_deref()).map_err(s3_error)?;
    let ownership = input
        .object_ownership
        .as_ref()
        .map_or("BucketOwnerEnforced", ObjectOwnership::as_str)
        .to_owned();
    if ownership == "BucketOwnerEnforced" {
        if let Some(acl) = &input.acl {
            if acl.as_str() != "private" && acl.as_str() != "bucket-owner-full-control" {
                return Err(s3_error(acl_not_supported()));
            }
        }
    }
    let lock = input.object_lock_enabled_for_bucket.unwrap_or(false);
    let mut keys: access::Keys = vec![("s3:LocationConstraint".to_owned(), vec![region.clone()])];
    if let Some(acl) = &input.acl {
        keys.push(("s3:x-amz-acl".to_owned(), vec![acl.as_str().to_owned()]));
    }
    keys.push((
        "s3:x-amz-object-ownership".to_owned(),
        vec![ownership.clone()],
    ));
    front.write(&who, |ctx| {
        access::authorize_account(
            ctx,
            front.enforce,
            "s3:CreateBucket",
            &format!("arn:aws:s3:::{name}"),
            &keys,
        )?;
        let account = ctx.caller.account_id.clone();
        if let Some(existing) = BUCKETS.get(ctx.tx.read(), &Key::new().str(&name))? {
            if existing.owner != account {
                return Err(ApiError::new(
                    "BucketAlreadyExists",
                    409,
                    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                ));
            }
            // us-east-1 answers a repeated CreateBucket of one's own bucket with success.
            if existing.region == "us-east-1" && region == "us-east-1" {
                return Ok(());
            }
            return Err(ApiError::new(
                "BucketAlreadyOwnedByYou",
                409,
                "Your previous request to create the named bucket succeeded and you already own it.",
            ));
        }
        let bucket = BucketRecord {
            name: name.clone(),
            owner: account,
            region: region.clone(),
            created_ms: ctx.now_ms(),
            versioning: lock.then(|| "Enabled".to_owned()),
            object_lock: lock.then(LockConfig::default),
            policy: None,
            public_access_block: Some(PublicAccessBlock::ALL),
            ownership: Some(ownership.clone()),
            configs: Default::default(),
            tags: None,
        };
        BUCKETS.put(ctx.tx.write()?, &Key::new().str(&name), &bucket)?;
        Ok(())
    })?;
    let location = if region == "us-east-1" {
        format!("/{name}")
    } else {
        format!("http://{name}.s3.localhost/")
    };
    Ok(S3Response::new(CreateBucketOutput {
        location: Some(location),
    }))
}

/// The Region of a new bucket: the location constraint, which must be the Region the request
/// was signed for (us-east-1 takes none).
fn bucket_region(signing_region: &str, constraint: Option<&str>) -> Result<String, ApiError> {
    let constraint = constraint.map(|c| if c == "EU" { "eu-west-1" } else { c });
    match constraint {
        None if signing_region == "us-east-1" => Ok("us-east-1".to_owned()),
        None => Err(ApiError::new(
            "IllegalLocationConstraintException",
            400,
            "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
        )),
        Some("us-east-1") => Err(ApiError::new(
            "InvalidLocationConstraint",
            400,
            "The specified location-constraint is not valid",
        )),
        Some(c) if c != signing_region => Err(ApiError::new(
            "IllegalLocationConstraintException",
            400,
            format!(
                "The {c} location constraint is incompatible for the region specific endpoint this request was sent to."
            ),
        )),
        Some(c) => Ok(c.to_owned()),
    }
}

/// `AccessControlListNotSupported`.
pub fn acl_not_supported() -> ApiError {
    ApiError::new(
        "AccessControlListNotSupported",
        400,
        "The bucket does not allow ACLs",
    )
}

/// `DeleteBucket`.
pub async fn delete(
    front: &S3Front,
    req: S3Request<DeleteBucketInput>,
) -> S3Result<S3Response<DeleteBucketOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let freed = front.write(&who, |ctx| {
        let bucket = front.bucket_for(
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:DeleteBucket",
            None,
            &Vec::new(),
        )?;
        let prefix = Key::new().str(&bucket.name);
        if core::VERSIONS.count(ctx.tx.read(), &prefix)? > 0 {
            return Err(ApiError::new(
                "BucketNotEmpty",
                409,
                "The bucket you tried to delete is not empty",
            ));
        }
        // Uploads in progress go with the bucket.
        let mut freed = Vec::new();
        let uploads = core::UPLOADS.scan_all(ctx.tx.read(), &prefix)?;
        let tx = ctx.tx.write()?;
        for (pk, upload) in uploads {
            let parts = Key::new().str(&upload.upload_id);
            for (_, part) in core::PARTS.scan_all(tx.as_read(), &parts)? {
                freed.push(part.blob);
            }
            core::PARTS.delete_prefix(tx, &parts)?;
            core::UPLOADS.delete(tx, &pk)?;
        }
        BUCKETS.delete(tx, &prefix)?;
        Ok(freed)
    })?;
    front.blobs.remove(&freed);
    Ok(S3Response::new(DeleteBucketOutput {}))
}

/// `ListBuckets`: the caller's account's buckets by name, in pages.
pub async fn list(
    front: &S3Front,
    req: S3Request<ListBucketsInput>,
) -> S3Result<S3Response<ListBucketsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let max = input.max_buckets.unwrap_or(10_000);
    if !(1..=10_000).contains(&max) {
        return Err(s3_error(core::invalid_argument(
            "Argument max-buckets must be an integer between 1 and 10000",
        )));
    }
    let (buckets, next, account) = front.read(&who, |ctx| {
        access::authorize_account(ctx, front.enforce, "s3:ListAllMyBuckets", "*", &Vec::new())?;
        let account = ctx.caller.account_id.clone();
        let all = BUCKETS
            .scan_index(
                ctx.tx.read(),
                "owner",
                &Key::new().str(&account),
                None,
                usize::MAX,
            )?
            .items;
        let after = input.continuation_token.clone().unwrap_or_default();
        let mut page: Vec<BucketRecord> = all
            .into_iter()
            .map(|(_, b)| b)
            .filter(|b| b.name > after)
            .filter(|b| {
                input
                    .prefix
                    .as_ref()
                    .is_none_or(|p| b.name.starts_with(p.as_str()))
            })
            .filter(|b| input.bucket_region.as_ref().is_none_or(|r| &b.region == r))
            .collect();
        let truncated = page.len() > max as usize;
        page.truncate(max as usize);
        let next = if truncated {
            page.last().map(|b| b.name.clone())
        } else {
            None
        };
        Ok((page, next, account))
    })?;
    Ok(S3Response::new(ListBucketsOutput {
        buckets: Some(
            buckets
                .into_iter()
                .map(|b| Bucket {
                    bucket_region: Some(b.region),
                    creation_date: Some(core::timestamp(b.created_ms)),
                    name: Some(b.name),
                })
                .collect(),
        ),
        continuation_token: next,
        owner: Some(core::owner(&account)),
        prefix: input.prefix,
    }))
}

/// `HeadBucket`.
pub async fn head(
    front: &S3Front,
    req: S3Request<HeadBucketInput>,
) -> S3Result<S3Response<HeadBucketOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let bucket = front.read_bucket(
        &who,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:ListBucket",
    )?;
    Ok(S3Response::new(HeadBucketOutput {
        bucket_region: Some(bucket.region),
        ..Default::default()
    }))
}

/// `GetBucketLocation`: no constraint for us-east-1.
pub async fn location(
    front: &S3Front,
    req: S3Request<GetBucketLocationInput>,
) -> S3Result<S3Response<GetBucketLocationOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let bucket = front.read_bucket(
        &who,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:GetBucketLocation",
    )?;
    Ok(S3Response::new(GetBucketLocationOutput {
        location_constraint: (bucket.region != "us-east-1")
            .then(|| BucketLocationConstraint::from(bucket.region)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_aws_rules() {
        for good in ["abc", "my-logs.2024", "a1-b2", "0bucket0"] {
            assert!(valid_bucket_name(good), "{good}");
        }
        for bad in [
            "ab",
            "AB",
            "a..b",
            "-abc",
            "abc-",
            "192.168.1.1",
            "xn--abc",
            "abc-s3alias",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_location_constraint_must_match_the_signing_region() {
        assert_eq!(
            bucket_region("us-east-1", None).ok().as_deref(),
            Some("us-east-1")
        );
        assert_eq!(
            bucket_region("eu-west-1", Some("eu-west-1"))
                .ok()
                .as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            bucket_region("eu-west-1", Some("EU")).ok().as_deref(),
            Some("eu-west-1")
        );
        let code = |r: Result<String, ApiError>| r.err().map(|e| e.code.to_string());
        assert_eq!(
            code(bucket_region("us-east-1", Some("us-east-1"))).as_deref(),
            Some("InvalidLocationConstraint")
        );
        assert_eq!(
            code(bucket_region("eu-west-1", None)).as_deref(),
            Some("IllegalLocationConstraintException")
        );
        assert_eq!(
            code(bucket_region("us-east-1", Some("eu-west-1"))).as_deref(),
            Some("IllegalLocationConstraintException")
        );
    }
}
