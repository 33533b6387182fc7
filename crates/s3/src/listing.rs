//! Listing a bucket: `ListObjectsV2`, `ListObjects` and `ListObjectVersions`, with prefix,
//! delimiter (common prefixes), start-after / markers / continuation tokens, and
//! `encoding-type=url`, over the store's ordered keys (S3 lists in UTF-8 binary order, as the
//! store keeps them).

use base64::Engine as _;
use localorg_model::ApiError;
use localorg_store::{KeyRange, ReadTx, Table};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::core::{self, s3_error, CURRENT, VERSIONS};
use crate::front::S3Front;
use crate::records::{BucketRecord, ObjectRecord};

/// One entry of a listing.
enum Entry {
    Object(Box<ObjectRecord>),
    Prefix(String),
}

/// A page of a listing.
struct Listing {
    entries: Vec<Entry>,
    truncated: bool,
}

/// Where a listing resumes.
enum Resume {
    /// From the start of the prefix.
    Start,
    /// After this raw key.
    After(Vec<u8>),
}

/// Lists `table` (current versions or all versions) under `prefix`, rolling keys up to the
/// first `delimiter` after the prefix, at most `max` entries.
#[allow(clippy::too_many_arguments)]
fn list(
    tx: &dyn ReadTx,
    table: &Table<ObjectRecord>,
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    resume: Resume,
    max: usize,
    skip_markers: bool,
) -> Result<Listing, ApiError> {
    let range = KeyRange::prefix(
        table
            .record_key(&localorg_store::Key::new().str(bucket).str_prefix(prefix))
            .as_bytes(),
    );
    let mut after = match resume {
        Resume::Start => None,
        Resume::After(raw) => Some(raw),
    };
    let mut entries = Vec::new();
    'scan: loop {
        let page = table.scan_raw(tx, &range, after.as_deref(), 1000)?;
        let more = page.next.is_some();
        for (raw, object) in page.items {
            after = Some(raw);
            if skip_markers && object.delete_marker {
                continue;
            }
            let rolled = delimiter.filter(|d| !d.is_empty()).and_then(|d| {
                let rest = object.key.get(prefix.len()..)?;
                rest.find(d).map(|at| {
                    object
                        .key
                        .get(..prefix.len() + at + d.len())
                        .unwrap_or_default()
                        .to_owned()
                })
            });
            if entries.len() >= max {
                return Ok(Listing {
                    entries,
                    truncated: true,
                });
            }
            match rolled {
                Some(common) => {
                    after = Some(core::past_prefix(table, bucket, &common));
                    entries.push(Entry::Prefix(common));
                    continue 'scan;
                }
                None => entries.push(Entry::Object(Box::new(object))),
            }
        }
        if !more {
            return Ok(Listing {
                entries,
                truncated: false,
            });
        }
    }
}

/// Characters `encoding-type=url` leaves as they are.
const URL_SAFE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// A name as the listing shows it (`encoding-type=url` percent-encodes it).
fn shown(name: &str, url: bool) -> String {
    if url {
        percent_encoding::utf8_percent_encode(name, URL_SAFE).to_string()
    } else {
        name.to_owned()
    }
}

fn max_keys(asked: Option<i32>) -> usize {
    asked.map_or(1000, |m| m.clamp(0, 1000) as usize)
}

/// The raw key after which a listing of current versions resumes, from a key or a common
/// prefix it returned last.
fn resume_current(bucket: &str, last: Option<&str>, delimiter: Option<&str>) -> Resume {
    match last {
        None | Some("") => Resume::Start,
        Some(last) if delimiter.is_some_and(|d| !d.is_empty() && last.ends_with(d)) => {
            Resume::After(core::past_prefix(&CURRENT, bucket, last))
        }
        Some(last) => Resume::After(core::current_raw(bucket, last)),
    }
}

fn object_entry(o: &ObjectRecord, url: bool, owner: bool) -> Object {
    Object {
        checksum_algorithm: o
            .checksum
            .as_ref()
            .map(|c| vec![ChecksumAlgorithm::from(c.algorithm.clone())]),
        checksum_type: o
            .checksum
            .as_ref()
            .map(|c| ChecksumType::from(c.kind.clone())),
        e_tag: Some(ETag::Strong(o.etag.clone())),
        key: Some(shown(&o.key, url)),
        last_modified: Some(core::timestamp(o.last_modified_ms)),
        owner: owner.then(|| core::owner(&o.owner)),
        size: Some(o.size as i64),
        storage_class: Some(ObjectStorageClass::from(
            o.headers
                .storage_class
                .clone()
                .unwrap_or_else(|| "STANDARD".to_owned()),
        )),
        ..Default::default()
    }
}

fn split(
    listing: Listing,
    url: bool,
    owner: bool,
) -> (Vec<Object>, Vec<CommonPrefix>, Option<String>) {
    let mut contents = Vec::new();
    let mut prefixes = Vec::new();
    let mut last = None;
    for entry in listing.entries {
        match entry {
            Entry::Object(o) => {
                last = Some(o.key.clone());
                contents.push(object_entry(&o, url, owner));
            }
            Entry::Prefix(p) => {
                prefixes.push(CommonPrefix {
                    prefix: Some(shown(&p, url)),
                });
                last = Some(p);
            }
        }
    }
    (contents, prefixes, last)
}

fn is_url(encoding: Option<&EncodingType>) -> Result<bool, ApiError> {
    match encoding.map(EncodingType::as_str) {
        None => Ok(false),
        Some("url") => Ok(true),
        Some(_) => Err(core::invalid_argument(
            "Invalid Encoding Method specified in Request",
        )),
    }
}

/// Reads a bucket for listing.
#[allow(clippy::too_many_arguments)]
fn listed_bucket(
    front: &S3Front,
    ctx: &localorg_kernel::Ctx<'_>,
    name: &str,
    expected_owner: Option<&str>,
    action: &str,
    prefix: &str,
    delimiter: Option<&str>,
    max: usize,
) -> Result<BucketRecord, ApiError> {
    let mut keys = vec![
        ("s3:prefix".to_owned(), vec![prefix.to_owned()]),
        ("s3:max-keys".to_owned(), vec![max.to_string()]),
    ];
    if let Some(d) = delimiter {
        keys.push(("s3:delimiter".to_owned(), vec![d.to_owned()]));
    }
    front.bucket_for(ctx, name, expected_owner, action, None, &keys)
}

/// What every listing asks: `(encoding-type=url, prefix, delimiter, max keys)`.
macro_rules! params {
    ($input:expr) => {
        (
            is_url($input.encoding_type.as_ref()).map_err(s3_error)?,
            $input.prefix.clone().unwrap_or_default(),
            $input.delimiter.clone().filter(|d| !d.is_empty()),
            max_keys($input.max_keys),
        )
    };
}

/// `ListObjectsV2`.
pub async fn list_v2(
    front: &S3Front,
    req: S3Request<ListObjectsV2Input>,
) -> S3Result<S3Response<ListObjectsV2Output>> {
    let who = front.who(&req);
    let input = req.input;
    let (url, prefix, delimiter, max) = params!(input);
    let token = match &input.continuation_token {
        Some(t) => Some(decode_token(t).map_err(s3_error)?),
        None => None,
    };
    let listing = front.read(&who, |ctx| {
        listed_bucket(
            front,
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:ListBucket",
            &prefix,
            delimiter.as_deref(),
            max,
        )?;
        let resume = match &token {
            Some((true, p)) => Resume::After(core::past_prefix(&CURRENT, &input.bucket, p)),
            Some((false, k)) => Resume::After(core::current_raw(&input.bucket, k)),
            None => {
                let start = input
                    .start_after
                    .as_deref()
                    .filter(|s| s.as_bytes() >= prefix.as_bytes());
                resume_current(&input.bucket, start, None)
            }
        };
        list(
            ctx.tx.read(),
            &CURRENT,
            &input.bucket,
            &prefix,
            delimiter.as_deref(),
            resume,
            max,
            true,
        )
    })?;
    let truncated = listing.truncated;
    let last_is_prefix = matches!(listing.entries.last(), Some(Entry::Prefix(_)));
    let (contents, prefixes, last) = split(listing, url, input.fetch_owner.unwrap_or(false));
    let key_count = (contents.len() + prefixes.len()) as i32;
    Ok(S3Response::new(ListObjectsV2Output {
        name: Some(input.bucket),
        prefix: Some(shown(&prefix, url)),
        max_keys: Some(max as i32),
        key_count: Some(key_count),
        continuation_token: input.continuation_token,
        is_truncated: Some(truncated),
        next_continuation_token: if truncated {
            last.map(|l| encode_token(last_is_prefix, &l))
        } else {
            None
        },
        contents: (!contents.is_empty()).then_some(contents),
        common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
        delimiter: delimiter.map(|d| shown(&d, url)),
        encoding_type: input.encoding_type,
        start_after: input.start_after.map(|s| shown(&s, url)),
        ..Default::default()
    }))
}

/// An opaque continuation token: whether the last entry was a common prefix, and its name.
fn encode_token(is_prefix: bool, last: &str) -> String {
    let tag = if is_prefix { "p" } else { "k" };
    base64::engine::general_purpose::STANDARD.encode(format!("{tag}:{last}"))
}

fn decode_token(token: &str) -> Result<(bool, String), ApiError> {
    let invalid = || core::invalid_argument("The continuation token provided is incorrect");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    match text.split_once(':') {
        Some(("p", name)) => Ok((true, name.to_owned())),
        Some(("k", name)) => Ok((false, name.to_owned())),
        _ => Err(invalid()),
    }
}

/// `ListObjects` (version 1): markers are keys; `NextMarker` only with a delimiter.
pub async fn list_v1(
    front: &S3Front,
    req: S3Request<ListObjectsInput>,
) -> S3Result<S3Response<ListObjectsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let (url, prefix, delimiter, max) = params!(input);
    let listing = front.read(&who, |ctx| {
        listed_bucket(
            front,
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:ListBucket",
            &prefix,
            delimiter.as_deref(),
            max,
        )?;
        let marker = input
            .marker
            .as_deref()
            .filter(|m| m.as_bytes() >= prefix.as_bytes());
        let resume = resume_current(&input.bucket, marker, delimiter.as_deref());
        list(
            ctx.tx.read(),
            &CURRENT,
            &input.bucket,
            &prefix,
            delimiter.as_deref(),
            resume,
            max,
            true,
        )
    })?;
    let truncated = listing.truncated;
    let (contents, prefixes, last) = split(listing, url, true);
    Ok(S3Response::new(ListObjectsOutput {
        name: Some(input.bucket),
        prefix: Some(shown(&prefix, url)),
        marker: Some(input.marker.map(|m| shown(&m, url)).unwrap_or_default()),
        max_keys: Some(max as i32),
        is_truncated: Some(truncated),
        next_marker: if truncated && delimiter.is_some() {
            last.map(|l| shown(&l, url))
        } else {
            None
        },
        contents: (!contents.is_empty()).then_some(contents),
        common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
        delimiter: delimiter.map(|d| shown(&d, url)),
        encoding_type: input.encoding_type,
        ..Default::default()
    }))
}

/// `ListObjectVersions`: every version and delete marker, newest first within a key.
pub async fn list_versions(
    front: &S3Front,
    req: S3Request<ListObjectVersionsInput>,
) -> S3Result<S3Response<ListObjectVersionsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let (url, prefix, delimiter, max) = params!(input);
    let (listing, latest) = front.read(&who, |ctx| {
        listed_bucket(
            front,
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:ListBucketVersions",
            &prefix,
            delimiter.as_deref(),
            max,
        )?;
        let tx = ctx.tx.read();
        let resume = match (
            input.key_marker.as_deref().filter(|k| !k.is_empty()),
            input.version_id_marker.as_deref().filter(|v| !v.is_empty()),
        ) {
            (None, _) => Resume::Start,
            (Some(key), None) => Resume::After(past_key(&input.bucket, key, delimiter.as_deref())),
            (Some(key), Some(version)) => {
                match crate::versions::find(tx, &input.bucket, key, Some(version))? {
                    Some(v) => Resume::After(
                        VERSIONS
                            .record_key(&core::version_key(&input.bucket, key, v.seq))
                            .into_bytes(),
                    ),
                    None => Resume::After(past_key(&input.bucket, key, delimiter.as_deref())),
                }
            }
        };
        let listing = list(
            tx,
            &VERSIONS,
            &input.bucket,
            &prefix,
            delimiter.as_deref(),
            resume,
            max,
            false,
        )?;
        let mut latest = std::collections::HashMap::new();
        for entry in &listing.entries {
            if let Entry::Object(v) = entry {
                if !latest.contains_key(&v.key) {
                    let current = CURRENT.get(tx, &core::object_key(&input.bucket, &v.key))?;
                    latest.insert(v.key.clone(), current.map_or(0, |c| c.seq));
                }
            }
        }
        Ok((listing, latest))
    })?;
    let truncated = listing.truncated;
    let mut versions = Vec::new();
    let mut markers = Vec::new();
    let mut prefixes = Vec::new();
    let mut next = (None, None);
    for entry in listing.entries {
        match entry {
            Entry::Prefix(p) => {
                next = (Some(p.clone()), None);
                prefixes.push(CommonPrefix {
                    prefix: Some(shown(&p, url)),
                });
            }
            Entry::Object(v) => {
                next = (Some(v.key.clone()), Some(v.version_id.clone()));
                let is_latest = latest.get(&v.key).is_some_and(|s| *s == v.seq);
                if v.delete_marker {
                    markers.push(DeleteMarkerEntry {
                        is_latest: Some(is_latest),
                        key: Some(shown(&v.key, url)),
                        last_modified: Some(core::timestamp(v.last_modified_ms)),
                        owner: Some(core::owner(&v.owner)),
                        version_id: Some(v.version_id.clone()),
                    });
                } else {
                    versions.push(ObjectVersion {
                        e_tag: Some(ETag::Strong(v.etag.clone())),
                        is_latest: Some(is_latest),
                        key: Some(shown(&v.key, url)),
                        last_modified: Some(core::timestamp(v.last_modified_ms)),
                        owner: Some(core::owner(&v.owner)),
                        size: Some(v.size as i64),
                        storage_class: Some(ObjectVersionStorageClass::from_static(
                            ObjectVersionStorageClass::STANDARD,
                        )),
                        version_id: Some(v.version_id.clone()),
                        checksum_algorithm: v
                            .checksum
                            .as_ref()
                            .map(|c| vec![ChecksumAlgorithm::from(c.algorithm.clone())]),
                        checksum_type: v
                            .checksum
                            .as_ref()
                            .map(|c| ChecksumType::from(c.kind.clone())),
                        ..Default::default()
                    });
                }
            }
        }
    }
    Ok(S3Response::new(ListObjectVersionsOutput {
        name: Some(input.bucket),
        prefix: Some(shown(&prefix, url)),
        key_marker: Some(input.key_marker.unwrap_or_default()),
        version_id_marker: Some(input.version_id_marker.unwrap_or_default()),
        max_keys: Some(max as i32),
        is_truncated: Some(truncated),
        next_key_marker: if truncated {
            next.0.map(|k| shown(&k, url))
        } else {
            None
        },
        next_version_id_marker: if truncated { next.1 } else { None },
        versions: (!versions.is_empty()).then_some(versions),
        delete_markers: (!markers.is_empty()).then_some(markers),
        common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
        delimiter: delimiter.map(|d| shown(&d, url)),
        encoding_type: input.encoding_type,
        ..Default::default()
    }))
}

/// The raw key after every version of `key` (or after every key under it, when it is a common
/// prefix).
fn past_key(bucket: &str, key: &str, delimiter: Option<&str>) -> Vec<u8> {
    if delimiter.is_some_and(|d| key.ends_with(d)) {
        return core::past_prefix(&VERSIONS, bucket, key);
    }
    let mut raw = VERSIONS
        .record_key(&core::object_key(bucket, key))
        .into_bytes();
    raw.push(0xFF);
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_garbage_is_refused() {
        for (p, name) in [(true, "a/"), (false, "a/b c%"), (false, "")] {
            assert_eq!(
                decode_token(&encode_token(p, name)).ok(),
                Some((p, name.to_owned()))
            );
        }
        assert!(decode_token("not base64!").is_err());
        assert!(decode_token(&base64::engine::general_purpose::STANDARD.encode("x")).is_err());
    }

    #[test]
    fn url_encoding_keeps_slashes_and_unreserved_characters() {
        assert_eq!(shown("a b/c+d%é~", true), "a%20b/c%2Bd%25%C3%A9~");
        assert_eq!(shown("a b", false), "a b");
    }
}
