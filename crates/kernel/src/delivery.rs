//! Objects that AWS services write into customers' buckets: CloudTrail's log files, cost and
//! usage exports. The service acts as its service principal (`cloudtrail.amazonaws.com`), and the
//! bucket's policy decides, exactly as for an outside caller; a refused delivery is the
//! service's failure to report, not a crash.
//!
//! The port is filled by the family that owns buckets (S3); a partition without it refuses every
//! delivery with `NoSuchBucket`.

use localorg_model::ApiError;

use crate::tx::Ctx;

/// One object a service principal puts into a bucket.
#[derive(Debug, Clone, Copy)]
pub struct ServiceObject<'a> {
    /// The service principal that writes (`cloudtrail.amazonaws.com`).
    pub service_principal: &'a str,
    /// The account on whose behalf it writes (`aws:SourceAccount`).
    pub source_account: &'a str,
    /// The resource on whose behalf it writes (`aws:SourceArn`: the trail, the export).
    pub source_arn: &'a str,
    /// The bucket.
    pub bucket: &'a str,
    /// The object key.
    pub key: &'a str,
    /// The object's content.
    pub body: &'a [u8],
    /// Its `Content-Type`.
    pub content_type: &'a str,
}

/// Puts objects into buckets on behalf of AWS services.
pub trait ObjectDelivery: Send + Sync {
    /// Checks that the bucket exists and its policy lets the service principal run `action`
    /// (`s3:GetBucketAcl`, `s3:PutObject`) on `key` (`None`: on the bucket), as services check
    /// when a trail or an export is configured.
    fn check(
        &self,
        ctx: &Ctx<'_>,
        object: &ServiceObject<'_>,
        action: &str,
        key: Option<&str>,
    ) -> Result<(), ApiError>;

    /// Writes the object (a new version in a versioned bucket), in the caller's transaction;
    /// returns its ETag.
    fn put_object(&self, ctx: &mut Ctx<'_>, object: &ServiceObject<'_>)
        -> Result<String, ApiError>;
}

/// No family owns buckets: every delivery fails.
#[derive(Debug, Default)]
pub struct NoDelivery;

impl ObjectDelivery for NoDelivery {
    fn check(
        &self,
        _ctx: &Ctx<'_>,
        object: &ServiceObject<'_>,
        _action: &str,
        _key: Option<&str>,
    ) -> Result<(), ApiError> {
        Err(no_such_bucket(object.bucket))
    }

    fn put_object(
        &self,
        _ctx: &mut Ctx<'_>,
        object: &ServiceObject<'_>,
    ) -> Result<String, ApiError> {
        Err(no_such_bucket(object.bucket))
    }
}

fn no_such_bucket(bucket: &str) -> ApiError {
    ApiError::new(
        "NoSuchBucket",
        404,
        format!("The specified bucket does not exist: {bucket}"),
    )
}
