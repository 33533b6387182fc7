//! The object-delivery port: AWS services (CloudTrail, cost exports) write into buckets as their
//! service principal, decided by the bucket policy exactly as an outside caller would be.

use std::sync::Arc;

use localorg_kernel::delivery::{ObjectDelivery, ServiceObject};
use localorg_kernel::Ctx;
use localorg_model::ApiError;

use crate::access;
use crate::blobs::Blobs;
use crate::core;
use crate::records::{ContentHeaders, ObjectRecord, Segment};

/// S3's side of object delivery.
pub struct S3Delivery {
    blobs: Arc<Blobs>,
}

impl S3Delivery {
    /// Delivery into buckets whose bodies live in `blobs`.
    pub fn new(blobs: Arc<Blobs>) -> S3Delivery {
        S3Delivery { blobs }
    }
}

impl ObjectDelivery for S3Delivery {
    fn check(
        &self,
        ctx: &Ctx<'_>,
        object: &ServiceObject<'_>,
        action: &str,
        key: Option<&str>,
    ) -> Result<(), ApiError> {
        let bucket = core::bucket(ctx.tx.read(), object.bucket)?;
        access::authorize_service(ctx, &bucket, object, action, key)
    }

    fn put_object(
        &self,
        ctx: &mut Ctx<'_>,
        object: &ServiceObject<'_>,
    ) -> Result<String, ApiError> {
        let bucket = core::bucket(ctx.tx.read(), object.bucket)?;
        access::authorize_service(ctx, &bucket, object, "s3:PutObject", Some(object.key))?;
        let blob = ctx.ids.string(localorg_kernel::context::LOWER_HEX, 32);
        // Deliveries are small (log files, reports): written whole, synchronously.
        let body = bytes::Bytes::copy_from_slice(object.body);
        let expected = crate::checksums::Expected {
            algorithm: "CRC64NVME".to_owned(),
            ..Default::default()
        };
        let written = tokio::runtime::Handle::current()
            .block_on(self.blobs.write(
                &blob,
                futures::stream::iter([Ok::<_, std::io::Error>(body)]),
                expected.hasher(),
            ))
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let record = ObjectRecord {
            bucket: bucket.name.clone(),
            key: object.key.to_owned(),
            segments: vec![Segment {
                blob: blob.clone(),
                len: written.len,
            }],
            size: written.len,
            etag: written.md5_hex.clone(),
            last_modified_ms: ctx.now_ms(),
            owner: bucket.owner.clone(),
            headers: ContentHeaders {
                content_type: Some(object.content_type.to_owned()),
                ..Default::default()
            },
            checksum: crate::checksums::record_of(&written, &expected),
            ..Default::default()
        };
        // A replaced body is left in place: this transaction may still roll back.
        crate::versions::put(ctx, &bucket, record)?;
        Ok(written.md5_hex)
    }
}
