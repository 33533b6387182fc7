//! Tables, errors and the conversions every S3 operation shares.

use std::sync::LazyLock;

use localorg_kernel::Ctx;
use localorg_model::ApiError;
use localorg_store::{Index, Key, ReadTx, Table, WriteTx};
use s3s::{S3Error, S3ErrorCode};

use crate::records::{BucketRecord, ObjectRecord, PartRecord, UploadRecord};

/// Buckets by name; by (owner, name) for `ListBuckets`.
pub static BUCKETS: LazyLock<Table<BucketRecord>> = LazyLock::new(|| {
    Table::new("s3.bucket").index(Index::multi("owner", |b: &BucketRecord| {
        vec![Key::new().str(&b.owner).str(&b.name)]
    }))
});

/// The current version of each object (a delete marker, when that is the latest) by
/// (bucket, key): what `GetObject` without a version id and `ListObjects` read.
pub static CURRENT: LazyLock<Table<ObjectRecord>> = LazyLock::new(|| Table::new("s3.object"));

/// Every version, the current one included, by (bucket, key, newest first).
pub static VERSIONS: LazyLock<Table<ObjectRecord>> =
    LazyLock::new(|| Table::new("s3.object_version"));

/// Multipart uploads in progress by (bucket, key, upload id); unique by upload id.
pub static UPLOADS: LazyLock<Table<UploadRecord>> = LazyLock::new(|| {
    Table::new("s3.upload").index(Index::unique("id", |u: &UploadRecord| {
        vec![Key::new().str(&u.upload_id)]
    }))
});

/// Parts by (upload id, part number).
pub static PARTS: LazyLock<Table<PartRecord>> = LazyLock::new(|| Table::new("s3.part"));

/// The account-level Block Public Access settings by account.
pub static ACCOUNT_PUBLIC_ACCESS: LazyLock<Table<crate::records::PublicAccessBlock>> =
    LazyLock::new(|| Table::new("s3.account_public_access_block"));

/// The counter that orders versions.
static SEQUENCE: LazyLock<Table<u64>> = LazyLock::new(|| Table::new("s3.sequence"));

/// The next version sequence number (monotonic across the partition).
pub fn next_seq(tx: &mut dyn WriteTx) -> Result<u64, ApiError> {
    let key = Key::new();
    let next = SEQUENCE.get(tx.as_read(), &key)?.unwrap_or(0) + 1;
    SEQUENCE.put(tx, &key, &next)?;
    Ok(next)
}

/// Key of an object's current version.
pub fn object_key(bucket: &str, key: &str) -> Key {
    Key::new().str(bucket).str(key)
}

/// Key of one version: newest first within the object.
pub fn version_key(bucket: &str, key: &str, seq: u64) -> Key {
    object_key(bucket, key).u64(u64::MAX - seq)
}

/// The raw key of the current version of `key` (to resume a listing after it).
pub fn current_raw(bucket: &str, key: &str) -> Vec<u8> {
    CURRENT.record_key(&object_key(bucket, key)).into_bytes()
}

/// The raw key just past every key that starts with `prefix` (to skip a common prefix).
pub fn past_prefix(table: &Table<ObjectRecord>, bucket: &str, prefix: &str) -> Vec<u8> {
    let mut raw = table
        .record_key(&Key::new().str(bucket).str_prefix(prefix))
        .into_bytes();
    // UTF-8 never has 0xFF: every key with this prefix sorts before this.
    raw.push(0xFF);
    raw
}

/// The bucket, or `NoSuchBucket`.
pub fn bucket(tx: &dyn ReadTx, name: &str) -> Result<BucketRecord, ApiError> {
    BUCKETS
        .get(tx, &Key::new().str(name))?
        .ok_or_else(|| no_such_bucket(name))
}

/// `NoSuchBucket`.
pub fn no_such_bucket(name: &str) -> ApiError {
    ApiError::new("NoSuchBucket", 404, "The specified bucket does not exist")
        .with_field("BucketName", name.to_owned())
}

/// `NoSuchKey`.
pub fn no_such_key(key: &str) -> ApiError {
    ApiError::new("NoSuchKey", 404, "The specified key does not exist.")
        .with_field("Key", key.to_owned())
}

/// `NoSuchVersion`.
pub fn no_such_version(version: &str) -> ApiError {
    ApiError::new(
        "NoSuchVersion",
        404,
        "The specified version does not exist.",
    )
    .with_field("VersionId", version.to_owned())
}

/// `NoSuchUpload`.
pub fn no_such_upload() -> ApiError {
    ApiError::new(
        "NoSuchUpload",
        404,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

/// `InvalidArgument` (400).
pub fn invalid_argument(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidArgument", 400, message)
}

/// `InvalidRequest` (400).
pub fn invalid_request(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidRequest", 400, message)
}

/// `MalformedXML` (400).
pub fn malformed_xml() -> ApiError {
    ApiError::new(
        "MalformedXML",
        400,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

/// The prefix of the headers that carry an error's extra elements (`BucketName`, `Key`) to the
/// server, which puts them into the error document (s3s renders code and message only).
pub const ERROR_FIELD_HEADER: &str = "x-localorg-error-";

/// An [`ApiError`] in S3's terms (code, status, message).
pub fn s3_error(e: ApiError) -> S3Error {
    let code = S3ErrorCode::from_bytes(e.code.as_bytes())
        .unwrap_or_else(|| S3ErrorCode::Custom(e.code.to_string().into()));
    let mut err = S3Error::with_message(code, e.message);
    if let Ok(status) = http::StatusCode::from_u16(e.status) {
        err.set_status_code(status);
    }
    let mut headers = http::HeaderMap::new();
    for (name, value) in &e.fields {
        let Some(value) = value
            .as_str()
            .and_then(|v| http::HeaderValue::from_str(v).ok())
        else {
            continue;
        };
        if name == "DeleteMarker" {
            // A read that meets a delete marker says so in a header.
            headers.insert("x-amz-delete-marker", value);
        } else if let Ok(header) = http::HeaderName::from_bytes(
            format!("{ERROR_FIELD_HEADER}{}", name.to_ascii_lowercase()).as_bytes(),
        ) {
            headers.insert(header, value);
        }
    }
    if !headers.is_empty() {
        // These replace the error's headers: keep its content type.
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/xml"),
        );
        err.set_headers(headers);
    }
    err
}

/// The canonical user id S3 shows for an account (64 hex characters, stable per account).
pub fn canonical_id(account: &str) -> String {
    use s3s::crypto::Checksum as _;
    hex::encode(s3s::crypto::Sha256::checksum(
        format!("localorg canonical user {account}").as_bytes(),
    ))
}

/// The owner shape of an account.
pub fn owner(account: &str) -> s3s::dto::Owner {
    s3s::dto::Owner {
        display_name: None,
        id: Some(canonical_id(account)),
    }
}

/// A timestamp for s3s from ms since the epoch.
pub fn timestamp(ms: i64) -> s3s::dto::Timestamp {
    let nanos = i128::from(ms) * 1_000_000;
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    s3s::dto::Timestamp::from(at)
}

/// Ms since the epoch of an s3s timestamp.
pub fn millis(at: &s3s::dto::Timestamp) -> i64 {
    let at: time::OffsetDateTime = at.clone().into();
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Whether `ctx`'s caller is the root user of `account`.
pub fn is_root_of(ctx: &Ctx<'_>, account: &str) -> bool {
    matches!(ctx.caller.kind, localorg_kernel::PrincipalKind::Root)
        && ctx.caller.account_id == account
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_error_elements_travel_in_headers() {
        let e = s3_error(no_such_bucket("ghost"));
        let headers = e.headers().cloned().unwrap_or_default();
        assert_eq!(
            headers
                .get("x-localorg-error-bucketname")
                .and_then(|v| v.to_str().ok()),
            Some("ghost")
        );
        assert_eq!(e.status_code(), Some(http::StatusCode::NOT_FOUND));
    }
}
