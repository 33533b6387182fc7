//! Stored shapes: buckets, object versions, multipart uploads and their parts. API shapes are
//! built from these where an operation answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A bucket: its owner, Region and configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BucketRecord {
    /// The bucket name (unique in the partition).
    pub name: String,
    /// The owning account.
    pub owner: String,
    /// The bucket's Region.
    pub region: String,
    /// Creation time, ms since the epoch.
    pub created_ms: i64,
    /// `None` until versioning is first configured, then `Enabled` or `Suspended`.
    #[serde(default)]
    pub versioning: Option<String>,
    /// Object Lock, once enabled (it cannot be disabled).
    #[serde(default)]
    pub object_lock: Option<LockConfig>,
    /// The bucket policy (JSON text, as put).
    #[serde(default)]
    pub policy: Option<String>,
    /// Block Public Access of the bucket (`None`: deleted; new buckets have all four set).
    #[serde(default)]
    pub public_access_block: Option<PublicAccessBlock>,
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter` (`None`: deleted).
    #[serde(default)]
    pub ownership: Option<String>,
    /// Stored-and-reported configurations (s3s shapes as JSON): `encryption`, `lifecycle`,
    /// `cors`.
    #[serde(default)]
    pub configs: BTreeMap<String, serde_json::Value>,
    /// The bucket's tags (`None`: no tag set).
    #[serde(default)]
    pub tags: Option<Vec<(String, String)>>,
}

impl BucketRecord {
    /// The bucket's ARN.
    pub fn arn(&self) -> String {
        format!("arn:aws:s3:::{}", self.name)
    }

    /// Versioning is on: new objects get version ids.
    pub fn versioning_enabled(&self) -> bool {
        self.versioning.as_deref() == Some("Enabled")
    }
}

/// A bucket's Object Lock configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LockConfig {
    /// The default retention applied to new object versions.
    #[serde(default)]
    pub default_retention: Option<DefaultRetention>,
}

/// Default retention: a mode and a period in days or years.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DefaultRetention {
    /// `GOVERNANCE` or `COMPLIANCE`.
    pub mode: String,
    /// Days, when the period is in days.
    #[serde(default)]
    pub days: Option<i32>,
    /// Years, when the period is in years.
    #[serde(default)]
    pub years: Option<i32>,
}

/// The four Block Public Access settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    /// Refuse requests that set public ACLs.
    pub block_public_acls: bool,
    /// Ignore public ACLs.
    pub ignore_public_acls: bool,
    /// Refuse bucket policies that grant public access.
    pub block_public_policy: bool,
    /// Only the owner account and AWS services may use what a public policy grants.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// All four on: a new bucket's settings since April 2023.
    pub const ALL: PublicAccessBlock = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    /// Each setting on when either `self` or `other` has it (bucket and account settings
    /// combine this way).
    pub fn or(self, other: PublicAccessBlock) -> PublicAccessBlock {
        PublicAccessBlock {
            block_public_acls: self.block_public_acls || other.block_public_acls,
            ignore_public_acls: self.ignore_public_acls || other.ignore_public_acls,
            block_public_policy: self.block_public_policy || other.block_public_policy,
            restrict_public_buckets: self.restrict_public_buckets || other.restrict_public_buckets,
        }
    }
}

/// A piece of an object's body: a blob and its length. A multipart object is its parts' blobs
/// in order, so completing an upload copies nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Segment {
    /// The blob id.
    pub blob: String,
    /// Its length in bytes.
    pub len: u64,
}

/// One version of an object, or a delete marker.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ObjectRecord {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The version id (`null` in buckets without versioning).
    pub version_id: String,
    /// Order of versions: larger is newer.
    pub seq: u64,
    /// A delete marker has no body.
    #[serde(default)]
    pub delete_marker: bool,
    /// The body, in order.
    #[serde(default)]
    pub segments: Vec<Segment>,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// The ETag, without quotes.
    #[serde(default)]
    pub etag: String,
    /// When it was written, ms since the epoch.
    pub last_modified_ms: i64,
    /// The account that owns it (the bucket owner: ACLs are disabled).
    #[serde(default)]
    pub owner: String,
    /// Content headers and user metadata.
    #[serde(default)]
    pub headers: ContentHeaders,
    /// The additional checksum it was uploaded with.
    #[serde(default)]
    pub checksum: Option<ChecksumRecord>,
    /// Number of parts of a multipart object.
    #[serde(default)]
    pub parts_count: Option<i32>,
    /// Object tags.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Object Lock retention mode (`GOVERNANCE`, `COMPLIANCE`).
    #[serde(default)]
    pub lock_mode: Option<String>,
    /// Retained until, ms since the epoch.
    #[serde(default)]
    pub retain_until_ms: Option<i64>,
    /// A legal hold is on.
    #[serde(default)]
    pub legal_hold: bool,
}

/// The content headers stored with an object and returned on GET and HEAD.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentHeaders {
    /// `Content-Type`.
    #[serde(default)]
    pub content_type: Option<String>,
    /// `Cache-Control`.
    #[serde(default)]
    pub cache_control: Option<String>,
    /// `Content-Disposition`.
    #[serde(default)]
    pub content_disposition: Option<String>,
    /// `Content-Encoding`.
    #[serde(default)]
    pub content_encoding: Option<String>,
    /// `Content-Language`.
    #[serde(default)]
    pub content_language: Option<String>,
    /// `Expires`, ms since the epoch.
    #[serde(default)]
    pub expires_ms: Option<i64>,
    /// `x-amz-website-redirect-location`.
    #[serde(default)]
    pub website_redirect_location: Option<String>,
    /// `x-amz-storage-class` (`STANDARD` when not given).
    #[serde(default)]
    pub storage_class: Option<String>,
    /// `x-amz-server-side-encryption` asked for (`AES256` applies otherwise).
    #[serde(default)]
    pub server_side_encryption: Option<String>,
    /// `x-amz-server-side-encryption-aws-kms-key-id`.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// User metadata (`x-amz-meta-*`), lower-cased names.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

/// An additional checksum: its algorithm, base64 value and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksumRecord {
    /// `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`.
    pub algorithm: String,
    /// The base64 value (for a composite checksum: `…-N`).
    pub value: String,
    /// `FULL_OBJECT` or `COMPOSITE`.
    pub kind: String,
}

/// A multipart upload in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadRecord {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The upload id.
    pub upload_id: String,
    /// When it was created, ms since the epoch.
    pub initiated_ms: i64,
    /// Who created it (ARN, account).
    pub initiator_arn: String,
    /// The owning account.
    pub owner: String,
    /// Headers the completed object gets.
    pub headers: ContentHeaders,
    /// The checksum algorithm parts must carry.
    #[serde(default)]
    pub checksum_algorithm: Option<String>,
    /// `COMPOSITE` or `FULL_OBJECT`.
    #[serde(default)]
    pub checksum_type: Option<String>,
    /// Tags of the completed object.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Object Lock settings of the completed object.
    #[serde(default)]
    pub lock_mode: Option<String>,
    /// Retain-until of the completed object.
    #[serde(default)]
    pub retain_until_ms: Option<i64>,
    /// Legal hold of the completed object.
    #[serde(default)]
    pub legal_hold: bool,
}

/// An uploaded part.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartRecord {
    /// Part number, 1–10000.
    pub part_number: i32,
    /// Its blob.
    pub blob: String,
    /// Size in bytes.
    pub size: u64,
    /// Its ETag (MD5 hex, no quotes).
    pub etag: String,
    /// When it was uploaded.
    pub last_modified_ms: i64,
    /// Its additional checksum (base64), if the upload has an algorithm.
    #[serde(default)]
    pub checksum: Option<String>,
}
