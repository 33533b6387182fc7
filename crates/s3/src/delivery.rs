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
        let expected = crate::checksums::Expected {
            algorithm: "CRC64NVME".to_owned(),
            ..Default::default()
        };
        // Deliveries are small (log files, reports): written whole.
        let written = self
            .blobs
            .write_bytes(&blob, object.body, expected.hasher())
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

#[cfg(test)]
mod tests {
    use localorg_kernel::{Caller, Partition, Registry, Requester};
    use localorg_store::Key;

    use super::*;
    use crate::records::{BucketRecord, PublicAccessBlock};

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"TrailWrites","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
         "Action":"s3:PutObject","Resource":"arn:aws:s3:::archive/AWSLogs/*",
         "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;

    fn object<'a>(service: &'a str, account: &'a str, body: &'a [u8]) -> ServiceObject<'a> {
        ServiceObject {
            service_principal: service,
            source_account: account,
            source_arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org",
            bucket: "archive",
            key: "AWSLogs/111122223333/log.json.gz",
            body,
            content_type: "application/json",
        }
    }

    #[test]
    fn the_bucket_policy_decides_which_service_principal_may_deliver() {
        let blobs = Arc::new(Blobs::in_memory());
        let registry = Registry::new().with_delivery(Arc::new(S3Delivery::new(blobs)));
        let Ok(partition) = Partition::in_memory("111122223333", registry) else {
            panic!("partition");
        };
        let caller = Caller::root("111122223333", "test");
        let requester = Requester {
            caller: &caller,
            region: "us-east-1",
            source_ip: "127.0.0.1",
            endpoint: "",
        };
        let bucket = BucketRecord {
            name: "archive".to_owned(),
            owner: "111122223333".to_owned(),
            region: "us-east-1".to_owned(),
            created_ms: 0,
            versioning: None,
            object_lock: None,
            policy: Some(POLICY.to_owned()),
            public_access_block: Some(PublicAccessBlock::ALL),
            ownership: Some("BucketOwnerEnforced".to_owned()),
            configs: Default::default(),
            tags: None,
        };
        let created = partition.write_as(&requester, |ctx| {
            core::BUCKETS.put(ctx.tx.write()?, &Key::new().str("archive"), &bucket)?;
            Ok(())
        });
        assert!(created.is_ok());
        let deliver = |o: &ServiceObject<'_>| {
            partition.write_as(&requester, |ctx| ctx.delivery().put_object(ctx, o))
        };
        let trail = object("cloudtrail.amazonaws.com", "111122223333", b"{}");
        assert!(deliver(&trail).is_ok());
        let billing = object("billingreports.amazonaws.com", "111122223333", b"{}");
        assert_eq!(
            deliver(&billing)
                .err()
                .map(|e| e.code.to_string())
                .as_deref(),
            Some("AccessDenied")
        );
        let other_account = object("cloudtrail.amazonaws.com", "444455556666", b"{}");
        assert_eq!(
            deliver(&other_account)
                .err()
                .map(|e| e.code.to_string())
                .as_deref(),
            Some("AccessDenied")
        );
        let stored = partition.read_as(&requester, |ctx| {
            crate::versions::find(
                ctx.tx.read(),
                "archive",
                "AWSLogs/111122223333/log.json.gz",
                None,
            )
        });
        assert!(
            matches!(stored, Ok(Some(o)) if o.size == 2 && o.headers.content_type.as_deref() == Some("application/json"))
        );
        let checked = partition.read_as(&requester, |ctx| {
            ctx.delivery()
                .check(ctx, &billing, "s3:PutObject", Some(billing.key))
        });
        assert!(checked.is_err());
    }
}
