//! The S3 workloads (path-style `/bucket/key`, signed as service `s3`): 4 KB `PutObject` and
//! `GetObject` throughput, and one big multipart upload followed by a streamed download.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::client::{encode_form, Answer, Conn, Creds, Payload, S3Request, REQUEST_TIMEOUT};
use crate::stats::{round3, Recorder};
use crate::workloads::{done, single, Failure, Outcome, Workload};

/// Size of one small object (s3-put-4k, s3-get-4k).
pub const SMALL_OBJECT: usize = 4096;
/// Objects s3-get-4k seeds before measuring (then GETs them round-robin).
pub const SEED_OBJECTS: u64 = 100;
/// Part size of the multipart upload, in MB.
pub const PART_MB: u64 = 8;
/// One MB (the unit of `--size-mb` and of the reported MB/s).
const MB: u64 = 1024 * 1024;
/// The multipart object's key.
const BIG_KEY: &str = "big-object";

/// The state an S3 workload's ops share.
pub struct S3State {
    /// The bucket the workload created.
    bucket: String,
    /// The body every small PUT sends, or the buffer every part is cut from (never copied).
    body: Bytes,
    /// s3-get-4k: how many objects were seeded.
    objects: u64,
    /// s3-multipart: the upload id.
    upload_id: String,
    /// s3-multipart: the object's size in bytes.
    size: u64,
    /// s3-multipart: the number of parts.
    parts: u64,
    /// s3-multipart: the ETag of each uploaded part (index = part number - 1).
    etags: Mutex<Vec<Option<String>>>,
    /// s3-multipart: seconds `CreateMultipartUpload` took (part of the upload time).
    create_s: f64,
}

/// The key of small object number `n`.
fn small_key(n: u64) -> String {
    format!("obj-{n:08}")
}

/// A deterministic, not trivially compressible body of `len` bytes.
fn pattern(len: usize) -> Bytes {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut v = Vec::with_capacity(len);
    while v.len() < len {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        v.extend_from_slice(&state.to_le_bytes());
    }
    v.truncate(len);
    Bytes::from(v)
}

fn request<'a>(method: &'a str, path: &'a str, body: Bytes, payload: Payload) -> S3Request<'a> {
    S3Request {
        method,
        path,
        body,
        payload,
        content_type: None,
        timeout: REQUEST_TIMEOUT,
    }
}

async fn must(
    conn: &mut Conn,
    operation: &str,
    req: S3Request<'_>,
    creds: &Creds,
) -> Result<Answer, Failure> {
    let a = conn.s3(req, creds).await;
    if a.ok() {
        Ok(a)
    } else {
        Err(Failure::from_answer(operation, &a))
    }
}

/// `CreateBucket` of `bucket` in `region` (a `LocationConstraint` outside us-east-1).
async fn create_bucket(
    conn: &mut Conn,
    creds: &Creds,
    bucket: &str,
    region: &str,
) -> Result<(), Failure> {
    let body = if region == "us-east-1" {
        Bytes::new()
    } else {
        Bytes::from(format!(
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
        ))
    };
    let path = format!("/{bucket}");
    must(
        conn,
        "CreateBucket",
        request("PUT", &path, body, Payload::Signed),
        creds,
    )
    .await
    .map(|_| ())
}

/// Creates the workload's bucket (and for s3-get-4k its objects, for s3-multipart the upload).
/// Returns the state, the op budget and facts to report.
pub async fn setup(
    workload: Workload,
    conn: &mut Conn,
    creds: &Creds,
    nonce: &str,
    region: &str,
    size_mb: u64,
) -> Result<(S3State, Option<u64>, Map<String, Value>), Failure> {
    let mut extra = Map::new();
    let mut state = S3State {
        bucket: format!("{nonce}-{}", workload.name().trim_start_matches("s3-")),
        body: Bytes::new(),
        objects: 0,
        upload_id: String::new(),
        size: 0,
        parts: 0,
        etags: Mutex::new(Vec::new()),
        create_s: 0.0,
    };
    create_bucket(conn, creds, &state.bucket, region).await?;
    extra.insert("bucket".into(), json!(state.bucket));
    let mut max_ops = None;
    match workload {
        Workload::S3Put4k => {
            state.body = pattern(SMALL_OBJECT);
            extra.insert("object_bytes".into(), json!(SMALL_OBJECT));
        }
        Workload::S3Get4k => {
            state.body = pattern(SMALL_OBJECT);
            for n in 0..SEED_OBJECTS {
                let path = format!("/{}/{}", state.bucket, small_key(n));
                must(
                    conn,
                    "PutObject",
                    request("PUT", &path, state.body.clone(), Payload::Signed),
                    creds,
                )
                .await?;
            }
            state.objects = SEED_OBJECTS;
            extra.insert("object_bytes".into(), json!(SMALL_OBJECT));
            extra.insert("objects".into(), json!(SEED_OBJECTS));
        }
        Workload::S3Multipart => {
            state.size = size_mb.saturating_mul(MB);
            state.parts = size_mb.div_ceil(PART_MB);
            let part_len = usize::try_from(PART_MB.saturating_mul(MB).min(state.size))
                .map_err(|e| Failure::Error(format!("part size: {e}")))?;
            state.body = pattern(part_len);
            let t0 = Instant::now();
            let path = format!("/{}/{BIG_KEY}?uploads", state.bucket);
            let a = must(
                conn,
                "CreateMultipartUpload",
                request("POST", &path, Bytes::new(), Payload::Signed),
                creds,
            )
            .await?;
            state.create_s = t0.elapsed().as_secs_f64();
            state.upload_id = a.xml("UploadId").ok_or_else(|| {
                Failure::Error("CreateMultipartUpload: no UploadId in the answer".to_owned())
            })?;
            let parts =
                usize::try_from(state.parts).map_err(|e| Failure::Error(format!("parts: {e}")))?;
            state.etags = Mutex::new(vec![None; parts]);
            max_ops = Some(state.parts);
            extra.insert("object_bytes".into(), json!(state.size));
            extra.insert("part_bytes".into(), json!(part_len));
            extra.insert("parts".into(), json!(state.parts));
        }
        _ => {
            return Err(Failure::Error(format!(
                "{} is not an S3 workload",
                workload.name()
            )))
        }
    }
    Ok((state, max_ops, extra))
}

/// Op number `i`: a PutObject of a new key, a GetObject of a seeded key, or UploadPart `i + 1`.
pub async fn op(
    workload: Workload,
    state: &S3State,
    conn: &mut Conn,
    creds: &Creds,
    i: u64,
) -> Outcome {
    match workload {
        Workload::S3Put4k => {
            let path = format!("/{}/{}", state.bucket, small_key(i));
            let a = conn
                .s3(
                    request("PUT", &path, state.body.clone(), Payload::Signed),
                    creds,
                )
                .await;
            single(&a, "PutObject")
        }
        Workload::S3Get4k => {
            let path = format!("/{}/{}", state.bucket, small_key(i % state.objects.max(1)));
            let a = conn
                .s3(request("GET", &path, Bytes::new(), Payload::Signed), creds)
                .await;
            let mut o = single(&a, "GetObject");
            if o.failure.is_none() && a.body.len() != SMALL_OBJECT {
                o.failure = Some(Failure::Error(format!(
                    "ShortBody ({} of {SMALL_OBJECT} bytes)",
                    a.body.len()
                )));
            }
            o
        }
        Workload::S3Multipart => upload_part(state, conn, creds, i).await,
        _ => done(0, Some(Failure::Error("not an S3 workload".to_owned()))),
    }
}

/// UploadPart number `i + 1`: the shared buffer, or its head for a short last part.
async fn upload_part(state: &S3State, conn: &mut Conn, creds: &Creds, i: u64) -> Outcome {
    let part = i.saturating_add(1);
    let offset = i.saturating_mul(PART_MB.saturating_mul(MB));
    let len = state.size.saturating_sub(offset).min(PART_MB * MB);
    let len = usize::try_from(len).unwrap_or(0).min(state.body.len());
    let body = state.body.slice(..len);
    let path = format!(
        "/{}/{BIG_KEY}?partNumber={part}&uploadId={}",
        state.bucket,
        encode_form(&state.upload_id)
    );
    let a = conn
        .s3(request("PUT", &path, body, Payload::Unsigned), creds)
        .await;
    let mut o = single(&a, "UploadPart");
    if o.failure.is_none() {
        match a.header("etag") {
            Some(etag) => {
                if let Ok(mut etags) = state.etags.lock() {
                    if let Some(slot) = usize::try_from(i).ok().and_then(|i| etags.get_mut(i)) {
                        *slot = Some(etag.to_owned());
                    }
                }
            }
            None => o.failure = Some(Failure::Error("UploadPart: no ETag".to_owned())),
        }
    }
    o
}

/// The time left until `deadline`, but at least [`REQUEST_TIMEOUT`].
fn budget(deadline: Instant) -> Duration {
    deadline
        .saturating_duration_since(Instant::now())
        .max(REQUEST_TIMEOUT)
}

/// Megabytes per second.
fn mb_per_s(bytes: u64, secs: f64) -> f64 {
    round3(bytes as f64 / MB as f64 / secs.max(1e-9))
}

/// After the measured parts of s3-multipart: `CompleteMultipartUpload`, then one `GetObject` of
/// the whole object whose body is counted as it streams in, never held. Each of the two may take
/// the rest of `--duration`, and at least [`REQUEST_TIMEOUT`]. Failures are added to `rec`; the
/// timings and rates are returned as facts to report.
pub async fn finish(
    state: &S3State,
    conn: &mut Conn,
    creds: &Creds,
    rec: &mut Recorder,
    parts_elapsed: Duration,
    deadline: Instant,
) -> Map<String, Value> {
    let mut extra = Map::new();
    let etags: Vec<Option<String>> = state.etags.lock().map(|e| e.clone()).unwrap_or_default();
    let uploaded = etags.iter().filter(|e| e.is_some()).count();
    extra.insert("parts_uploaded".into(), json!(uploaded));
    extra.insert("parts_s".into(), json!(round3(parts_elapsed.as_secs_f64())));
    if uploaded != etags.len() || etags.is_empty() {
        rec.extra_requests(0, Some("UploadIncomplete".to_owned()));
        return extra;
    }
    let mut xml =
        String::from("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (n, etag) in etags.iter().enumerate() {
        let etag = etag.as_deref().unwrap_or_default();
        xml.push_str(&format!(
            "<Part><ETag>{etag}</ETag><PartNumber>{}</PartNumber></Part>",
            n.saturating_add(1)
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    let path = format!(
        "/{}/{BIG_KEY}?uploadId={}",
        state.bucket,
        encode_form(&state.upload_id)
    );
    let t0 = Instant::now();
    let a = conn
        .s3(
            S3Request {
                content_type: Some("application/xml"),
                timeout: budget(deadline),
                ..request("POST", &path, Bytes::from(xml), Payload::Signed)
            },
            creds,
        )
        .await;
    let complete_s = t0.elapsed().as_secs_f64();
    // CompleteMultipartUpload may answer 200 with an <Error> document.
    let failure = if !a.ok() {
        Some(failure_text(Failure::from_answer(
            "CompleteMultipartUpload",
            &a,
        )))
    } else {
        a.xml("Code")
            .map(|code| format!("CompleteMultipartUpload: {code} (200 with an error document)"))
    };
    rec.extra_requests(1, failure.as_deref().map(short_code));
    extra.insert("complete_s".into(), json!(round3(complete_s)));
    if let Some(f) = failure {
        extra.insert("complete_error".into(), json!(f));
        return extra;
    }
    let upload_s = state.create_s + parts_elapsed.as_secs_f64() + complete_s;
    extra.insert("create_s".into(), json!(round3(state.create_s)));
    extra.insert("upload_s".into(), json!(round3(upload_s)));
    extra.insert(
        "upload_mb_per_s".into(),
        json!(mb_per_s(state.size, upload_s)),
    );
    if let Some(etag) = a.xml("ETag") {
        extra.insert("etag".into(), json!(etag.replace("&quot;", "\"")));
    }

    let path = format!("/{}/{BIG_KEY}", state.bucket);
    let t0 = Instant::now();
    let a = conn
        .s3_download(
            S3Request {
                timeout: budget(deadline),
                ..request("GET", &path, Bytes::new(), Payload::Signed)
            },
            creds,
        )
        .await;
    let download_s = t0.elapsed().as_secs_f64();
    let failure = if !a.ok() {
        Some(failure_text(Failure::from_answer("GetObject", &a)))
    } else if a.received != state.size {
        Some(format!(
            "ShortBody ({} of {} bytes)",
            a.received, state.size
        ))
    } else {
        None
    };
    rec.extra_requests(1, failure.as_deref().map(short_code));
    extra.insert("downloaded_bytes".into(), json!(a.received));
    extra.insert("download_s".into(), json!(round3(download_s)));
    if let Some(f) = failure {
        extra.insert("download_error".into(), json!(f));
    } else {
        extra.insert(
            "download_mb_per_s".into(),
            json!(mb_per_s(state.size, download_s)),
        );
    }
    extra
}

/// A failure as text: `NotImplemented:<op>`, or the error with its detail.
fn failure_text(f: Failure) -> String {
    match f {
        Failure::NotImplemented(op) => format!("NotImplemented:{op}"),
        Failure::Error(e) => e,
    }
}

/// The error code part of a failure text (up to ` (`), so counts aggregate.
fn short_code(e: &str) -> String {
    e.split(" (").next().unwrap_or(e).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_is_sized_and_varied() {
        let b = pattern(4096);
        assert_eq!(b.len(), 4096);
        let first = b.first().copied();
        assert!(b.iter().any(|x| Some(*x) != first));
        assert_eq!(pattern(13).len(), 13);
    }

    #[test]
    fn parts_cover_the_object() {
        assert_eq!(1024u64.div_ceil(PART_MB), 128);
        assert_eq!(20u64.div_ceil(PART_MB), 3);
        assert_eq!(mb_per_s(2 * MB, 0.5), 4.0);
        assert_eq!(short_code("ShortBody (1 of 2 bytes)"), "ShortBody");
    }
}
