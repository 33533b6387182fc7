//! The s3s `S3` trait, routed to localorg's operations. Operations not listed answer s3s's
//! `NotImplemented` (501).

use std::sync::Arc;

use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::front::S3Front;
use crate::{buckets, config, listing, lock, multipart, objects};

/// Every implemented S3 operation, by name (the closing note and the README list the rest).
pub const IMPLEMENTED: &[&str] = &[
    "CreateBucket",
    "DeleteBucket",
    "ListBuckets",
    "HeadBucket",
    "GetBucketLocation",
    "PutObject",
    "GetObject",
    "HeadObject",
    "DeleteObject",
    "DeleteObjects",
    "CopyObject",
    "GetObjectTagging",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "ListObjectsV2",
    "ListObjects",
    "ListObjectVersions",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "ListParts",
    "ListMultipartUploads",
    "GetBucketPolicy",
    "PutBucketPolicy",
    "DeleteBucketPolicy",
    "GetBucketPolicyStatus",
    "GetPublicAccessBlock",
    "PutPublicAccessBlock",
    "DeletePublicAccessBlock",
    "GetBucketOwnershipControls",
    "PutBucketOwnershipControls",
    "DeleteBucketOwnershipControls",
    "GetBucketVersioning",
    "PutBucketVersioning",
    "GetObjectLockConfiguration",
    "PutObjectLockConfiguration",
    "GetBucketEncryption",
    "PutBucketEncryption",
    "DeleteBucketEncryption",
    "GetBucketLifecycleConfiguration",
    "PutBucketLifecycleConfiguration",
    "DeleteBucketLifecycle",
    "GetBucketCors",
    "PutBucketCors",
    "DeleteBucketCors",
    "GetBucketTagging",
    "PutBucketTagging",
    "DeleteBucketTagging",
    "GetBucketAcl",
    "PutBucketAcl",
    "GetObjectAcl",
    "GetBucketWebsite",
    "GetBucketLogging",
    "GetBucketReplication",
    "GetBucketAccelerateConfiguration",
    "GetBucketRequestPayment",
    "GetBucketNotificationConfiguration",
    "PutObjectRetention",
    "GetObjectRetention",
    "PutObjectLegalHold",
    "GetObjectLegalHold",
    "GetObjectAttributes",
    "PutObjectAcl",
    "DeleteBucketWebsite",
    "DeleteBucketReplication",
    "ListBucketAnalyticsConfigurations",
    "ListBucketInventoryConfigurations",
    "ListBucketMetricsConfigurations",
];

/// The operations of one [`S3Front`].
pub struct Ops(pub Arc<S3Front>);

#[async_trait::async_trait]
impl s3s::S3 for Ops {
    async fn create_bucket(
        &self,
        req: S3Request<CreateBucketInput>,
    ) -> S3Result<S3Response<CreateBucketOutput>> {
        let call = self.0.audit_start(&req, "CreateBucket");
        let out = buckets::create(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket(
        &self,
        req: S3Request<DeleteBucketInput>,
    ) -> S3Result<S3Response<DeleteBucketOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucket");
        let out = buckets::delete(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_buckets(
        &self,
        req: S3Request<ListBucketsInput>,
    ) -> S3Result<S3Response<ListBucketsOutput>> {
        let call = self.0.audit_start(&req, "ListBuckets");
        let out = buckets::list(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn head_bucket(
        &self,
        req: S3Request<HeadBucketInput>,
    ) -> S3Result<S3Response<HeadBucketOutput>> {
        let call = self.0.audit_start(&req, "HeadBucket");
        let out = buckets::head(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_location(
        &self,
        req: S3Request<GetBucketLocationInput>,
    ) -> S3Result<S3Response<GetBucketLocationOutput>> {
        let call = self.0.audit_start(&req, "GetBucketLocation");
        let out = buckets::location(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_object(
        &self,
        req: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        let call = self.0.audit_start(&req, "PutObject");
        let out = objects::put(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object(
        &self,
        req: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        let call = self.0.audit_start(&req, "GetObject");
        let out = objects::get(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn head_object(
        &self,
        req: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        let call = self.0.audit_start(&req, "HeadObject");
        let out = objects::head(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_object(
        &self,
        req: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        let call = self.0.audit_start(&req, "DeleteObject");
        let out = objects::delete(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_objects(
        &self,
        req: S3Request<DeleteObjectsInput>,
    ) -> S3Result<S3Response<DeleteObjectsOutput>> {
        let call = self.0.audit_start(&req, "DeleteObjects");
        let out = objects::delete_many(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn copy_object(
        &self,
        req: S3Request<CopyObjectInput>,
    ) -> S3Result<S3Response<CopyObjectOutput>> {
        let call = self.0.audit_start(&req, "CopyObject");
        let out = objects::copy(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object_tagging(
        &self,
        req: S3Request<GetObjectTaggingInput>,
    ) -> S3Result<S3Response<GetObjectTaggingOutput>> {
        let call = self.0.audit_start(&req, "GetObjectTagging");
        let out = objects::get_tagging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_object_tagging(
        &self,
        req: S3Request<PutObjectTaggingInput>,
    ) -> S3Result<S3Response<PutObjectTaggingOutput>> {
        let call = self.0.audit_start(&req, "PutObjectTagging");
        let out = objects::put_tagging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_object_tagging(
        &self,
        req: S3Request<DeleteObjectTaggingInput>,
    ) -> S3Result<S3Response<DeleteObjectTaggingOutput>> {
        let call = self.0.audit_start(&req, "DeleteObjectTagging");
        let out = objects::delete_tagging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_objects_v2(
        &self,
        req: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        let call = self.0.audit_start(&req, "ListObjectsV2");
        let out = listing::list_v2(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_objects(
        &self,
        req: S3Request<ListObjectsInput>,
    ) -> S3Result<S3Response<ListObjectsOutput>> {
        let call = self.0.audit_start(&req, "ListObjects");
        let out = listing::list_v1(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_object_versions(
        &self,
        req: S3Request<ListObjectVersionsInput>,
    ) -> S3Result<S3Response<ListObjectVersionsOutput>> {
        let call = self.0.audit_start(&req, "ListObjectVersions");
        let out = listing::list_versions(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn create_multipart_upload(
        &self,
        req: S3Request<CreateMultipartUploadInput>,
    ) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
        let call = self.0.audit_start(&req, "CreateMultipartUpload");
        let out = multipart::create(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn upload_part(
        &self,
        req: S3Request<UploadPartInput>,
    ) -> S3Result<S3Response<UploadPartOutput>> {
        let call = self.0.audit_start(&req, "UploadPart");
        let out = multipart::upload_part(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn upload_part_copy(
        &self,
        req: S3Request<UploadPartCopyInput>,
    ) -> S3Result<S3Response<UploadPartCopyOutput>> {
        let call = self.0.audit_start(&req, "UploadPartCopy");
        let out = multipart::upload_part_copy(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn complete_multipart_upload(
        &self,
        req: S3Request<CompleteMultipartUploadInput>,
    ) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
        let call = self.0.audit_start(&req, "CompleteMultipartUpload");
        let out = multipart::complete(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn abort_multipart_upload(
        &self,
        req: S3Request<AbortMultipartUploadInput>,
    ) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
        let call = self.0.audit_start(&req, "AbortMultipartUpload");
        let out = multipart::abort(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_parts(
        &self,
        req: S3Request<ListPartsInput>,
    ) -> S3Result<S3Response<ListPartsOutput>> {
        let call = self.0.audit_start(&req, "ListParts");
        let out = multipart::list_parts(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_multipart_uploads(
        &self,
        req: S3Request<ListMultipartUploadsInput>,
    ) -> S3Result<S3Response<ListMultipartUploadsOutput>> {
        let call = self.0.audit_start(&req, "ListMultipartUploads");
        let out = multipart::list_uploads(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_policy(
        &self,
        req: S3Request<GetBucketPolicyInput>,
    ) -> S3Result<S3Response<GetBucketPolicyOutput>> {
        let call = self.0.audit_start(&req, "GetBucketPolicy");
        let out = config::get_policy(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_policy(
        &self,
        req: S3Request<PutBucketPolicyInput>,
    ) -> S3Result<S3Response<PutBucketPolicyOutput>> {
        let call = self.0.audit_start(&req, "PutBucketPolicy");
        let out = config::put_policy(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_policy(
        &self,
        req: S3Request<DeleteBucketPolicyInput>,
    ) -> S3Result<S3Response<DeleteBucketPolicyOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketPolicy");
        let out = config::delete_policy(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_policy_status(
        &self,
        req: S3Request<GetBucketPolicyStatusInput>,
    ) -> S3Result<S3Response<GetBucketPolicyStatusOutput>> {
        let call = self.0.audit_start(&req, "GetBucketPolicyStatus");
        let out = config::get_policy_status(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_public_access_block(
        &self,
        req: S3Request<GetPublicAccessBlockInput>,
    ) -> S3Result<S3Response<GetPublicAccessBlockOutput>> {
        let call = self.0.audit_start(&req, "GetPublicAccessBlock");
        let out = config::get_public_access_block(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_public_access_block(
        &self,
        req: S3Request<PutPublicAccessBlockInput>,
    ) -> S3Result<S3Response<PutPublicAccessBlockOutput>> {
        let call = self.0.audit_start(&req, "PutPublicAccessBlock");
        let out = config::put_public_access_block(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_public_access_block(
        &self,
        req: S3Request<DeletePublicAccessBlockInput>,
    ) -> S3Result<S3Response<DeletePublicAccessBlockOutput>> {
        let call = self.0.audit_start(&req, "DeletePublicAccessBlock");
        let out = config::delete_public_access_block(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_ownership_controls(
        &self,
        req: S3Request<GetBucketOwnershipControlsInput>,
    ) -> S3Result<S3Response<GetBucketOwnershipControlsOutput>> {
        let call = self.0.audit_start(&req, "GetBucketOwnershipControls");
        let out = config::get_ownership(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_ownership_controls(
        &self,
        req: S3Request<PutBucketOwnershipControlsInput>,
    ) -> S3Result<S3Response<PutBucketOwnershipControlsOutput>> {
        let call = self.0.audit_start(&req, "PutBucketOwnershipControls");
        let out = config::put_ownership(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_ownership_controls(
        &self,
        req: S3Request<DeleteBucketOwnershipControlsInput>,
    ) -> S3Result<S3Response<DeleteBucketOwnershipControlsOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketOwnershipControls");
        let out = config::delete_ownership(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_versioning(
        &self,
        req: S3Request<GetBucketVersioningInput>,
    ) -> S3Result<S3Response<GetBucketVersioningOutput>> {
        let call = self.0.audit_start(&req, "GetBucketVersioning");
        let out = config::get_versioning(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_versioning(
        &self,
        req: S3Request<PutBucketVersioningInput>,
    ) -> S3Result<S3Response<PutBucketVersioningOutput>> {
        let call = self.0.audit_start(&req, "PutBucketVersioning");
        let out = config::put_versioning(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object_lock_configuration(
        &self,
        req: S3Request<GetObjectLockConfigurationInput>,
    ) -> S3Result<S3Response<GetObjectLockConfigurationOutput>> {
        let call = self.0.audit_start(&req, "GetObjectLockConfiguration");
        let out = config::get_lock(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_object_lock_configuration(
        &self,
        req: S3Request<PutObjectLockConfigurationInput>,
    ) -> S3Result<S3Response<PutObjectLockConfigurationOutput>> {
        let call = self.0.audit_start(&req, "PutObjectLockConfiguration");
        let out = config::put_lock(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_encryption(
        &self,
        req: S3Request<GetBucketEncryptionInput>,
    ) -> S3Result<S3Response<GetBucketEncryptionOutput>> {
        let call = self.0.audit_start(&req, "GetBucketEncryption");
        let out = config::get_encryption(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_encryption(
        &self,
        req: S3Request<PutBucketEncryptionInput>,
    ) -> S3Result<S3Response<PutBucketEncryptionOutput>> {
        let call = self.0.audit_start(&req, "PutBucketEncryption");
        let out = config::put_encryption(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_encryption(
        &self,
        req: S3Request<DeleteBucketEncryptionInput>,
    ) -> S3Result<S3Response<DeleteBucketEncryptionOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketEncryption");
        let out = config::delete_encryption(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_lifecycle_configuration(
        &self,
        req: S3Request<GetBucketLifecycleConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketLifecycleConfigurationOutput>> {
        let call = self.0.audit_start(&req, "GetBucketLifecycleConfiguration");
        let out = config::get_lifecycle(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_lifecycle_configuration(
        &self,
        req: S3Request<PutBucketLifecycleConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketLifecycleConfigurationOutput>> {
        let call = self.0.audit_start(&req, "PutBucketLifecycleConfiguration");
        let out = config::put_lifecycle(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_lifecycle(
        &self,
        req: S3Request<DeleteBucketLifecycleInput>,
    ) -> S3Result<S3Response<DeleteBucketLifecycleOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketLifecycle");
        let out = config::delete_lifecycle(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_cors(
        &self,
        req: S3Request<GetBucketCorsInput>,
    ) -> S3Result<S3Response<GetBucketCorsOutput>> {
        let call = self.0.audit_start(&req, "GetBucketCors");
        let out = config::get_cors(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_cors(
        &self,
        req: S3Request<PutBucketCorsInput>,
    ) -> S3Result<S3Response<PutBucketCorsOutput>> {
        let call = self.0.audit_start(&req, "PutBucketCors");
        let out = config::put_cors(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_cors(
        &self,
        req: S3Request<DeleteBucketCorsInput>,
    ) -> S3Result<S3Response<DeleteBucketCorsOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketCors");
        let out = config::delete_cors(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_tagging(
        &self,
        req: S3Request<GetBucketTaggingInput>,
    ) -> S3Result<S3Response<GetBucketTaggingOutput>> {
        let call = self.0.audit_start(&req, "GetBucketTagging");
        let out = config::get_tagging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_tagging(
        &self,
        req: S3Request<PutBucketTaggingInput>,
    ) -> S3Result<S3Response<PutBucketTaggingOutput>> {
        let call = self.0.audit_start(&req, "PutBucketTagging");
        let out = config::put_tagging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_tagging(
        &self,
        req: S3Request<DeleteBucketTaggingInput>,
    ) -> S3Result<S3Response<DeleteBucketTaggingOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketTagging");
        let out = config::delete_tagging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_acl(
        &self,
        req: S3Request<GetBucketAclInput>,
    ) -> S3Result<S3Response<GetBucketAclOutput>> {
        let call = self.0.audit_start(&req, "GetBucketAcl");
        let out = config::get_acl(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_bucket_acl(
        &self,
        req: S3Request<PutBucketAclInput>,
    ) -> S3Result<S3Response<PutBucketAclOutput>> {
        let call = self.0.audit_start(&req, "PutBucketAcl");
        let out = config::put_acl(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object_acl(
        &self,
        req: S3Request<GetObjectAclInput>,
    ) -> S3Result<S3Response<GetObjectAclOutput>> {
        let call = self.0.audit_start(&req, "GetObjectAcl");
        let out = config::get_object_acl(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_website(
        &self,
        req: S3Request<GetBucketWebsiteInput>,
    ) -> S3Result<S3Response<GetBucketWebsiteOutput>> {
        let call = self.0.audit_start(&req, "GetBucketWebsite");
        let out = config::get_website(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_logging(
        &self,
        req: S3Request<GetBucketLoggingInput>,
    ) -> S3Result<S3Response<GetBucketLoggingOutput>> {
        let call = self.0.audit_start(&req, "GetBucketLogging");
        let out = config::get_logging(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_replication(
        &self,
        req: S3Request<GetBucketReplicationInput>,
    ) -> S3Result<S3Response<GetBucketReplicationOutput>> {
        let call = self.0.audit_start(&req, "GetBucketReplication");
        let out = config::get_replication(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_accelerate_configuration(
        &self,
        req: S3Request<GetBucketAccelerateConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketAccelerateConfigurationOutput>> {
        let call = self.0.audit_start(&req, "GetBucketAccelerateConfiguration");
        let out = config::get_accelerate(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_request_payment(
        &self,
        req: S3Request<GetBucketRequestPaymentInput>,
    ) -> S3Result<S3Response<GetBucketRequestPaymentOutput>> {
        let call = self.0.audit_start(&req, "GetBucketRequestPayment");
        let out = config::get_request_payment(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_bucket_notification_configuration(
        &self,
        req: S3Request<GetBucketNotificationConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketNotificationConfigurationOutput>> {
        let call = self
            .0
            .audit_start(&req, "GetBucketNotificationConfiguration");
        let out = config::get_notification(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_object_retention(
        &self,
        req: S3Request<PutObjectRetentionInput>,
    ) -> S3Result<S3Response<PutObjectRetentionOutput>> {
        let call = self.0.audit_start(&req, "PutObjectRetention");
        let out = lock::put_retention(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object_retention(
        &self,
        req: S3Request<GetObjectRetentionInput>,
    ) -> S3Result<S3Response<GetObjectRetentionOutput>> {
        let call = self.0.audit_start(&req, "GetObjectRetention");
        let out = lock::get_retention(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_object_legal_hold(
        &self,
        req: S3Request<PutObjectLegalHoldInput>,
    ) -> S3Result<S3Response<PutObjectLegalHoldOutput>> {
        let call = self.0.audit_start(&req, "PutObjectLegalHold");
        let out = lock::put_legal_hold(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object_legal_hold(
        &self,
        req: S3Request<GetObjectLegalHoldInput>,
    ) -> S3Result<S3Response<GetObjectLegalHoldOutput>> {
        let call = self.0.audit_start(&req, "GetObjectLegalHold");
        let out = lock::get_legal_hold(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn get_object_attributes(
        &self,
        req: S3Request<GetObjectAttributesInput>,
    ) -> S3Result<S3Response<GetObjectAttributesOutput>> {
        let call = self.0.audit_start(&req, "GetObjectAttributes");
        let out = objects::get_attributes(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn put_object_acl(
        &self,
        req: S3Request<PutObjectAclInput>,
    ) -> S3Result<S3Response<PutObjectAclOutput>> {
        let call = self.0.audit_start(&req, "PutObjectAcl");
        let out = objects::put_acl(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_website(
        &self,
        req: S3Request<DeleteBucketWebsiteInput>,
    ) -> S3Result<S3Response<DeleteBucketWebsiteOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketWebsite");
        let out = config::delete_website(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn delete_bucket_replication(
        &self,
        req: S3Request<DeleteBucketReplicationInput>,
    ) -> S3Result<S3Response<DeleteBucketReplicationOutput>> {
        let call = self.0.audit_start(&req, "DeleteBucketReplication");
        let out = config::delete_replication(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_bucket_analytics_configurations(
        &self,
        req: S3Request<ListBucketAnalyticsConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketAnalyticsConfigurationsOutput>> {
        let call = self
            .0
            .audit_start(&req, "ListBucketAnalyticsConfigurations");
        let out = config::list_analytics(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_bucket_inventory_configurations(
        &self,
        req: S3Request<ListBucketInventoryConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketInventoryConfigurationsOutput>> {
        let call = self
            .0
            .audit_start(&req, "ListBucketInventoryConfigurations");
        let out = config::list_inventory(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }

    async fn list_bucket_metrics_configurations(
        &self,
        req: S3Request<ListBucketMetricsConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketMetricsConfigurationsOutput>> {
        let call = self.0.audit_start(&req, "ListBucketMetricsConfigurations");
        let out = config::list_metrics(&self.0, req).await;
        self.0.audit_end(call, &out);
        out
    }
}
