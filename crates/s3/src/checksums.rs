//! Integrity of bodies: the MD5 behind every ETag, `Content-MD5`, and the additional checksums
//! of current SDKs (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), given as a header or as a trailer
//! after an aws-chunked body. Without one, S3 computes CRC64NVME for every new object, and so
//! does localorg.

use localorg_model::ApiError;
use s3s::checksum::ChecksumHasher;
use s3s::crypto::Checksum as _;
use s3s::dto::StreamingBlob;
use s3s::S3Result;

use crate::blobs::Written;
use crate::core::s3_error;
use crate::front::S3Front;
use crate::records::ChecksumRecord;

/// The algorithms, as S3 names them (lower-cased in header names).
pub const ALGORITHMS: [&str; 5] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

/// The checksum a request declares.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// The algorithm to compute.
    pub algorithm: String,
    /// The value given in a header, base64.
    pub value: Option<String>,
    /// The trailer that will carry the value (`x-amz-checksum-crc32`).
    pub trailer: Option<String>,
}

impl Expected {
    /// What a write declares in its headers (`x-amz-checksum-*`, `x-amz-trailer`,
    /// `x-amz-sdk-checksum-algorithm`); CRC64NVME when it declares nothing.
    pub fn of_put(
        headers: &http::HeaderMap,
        declared: Option<&s3s::dto::ChecksumAlgorithm>,
    ) -> Expected {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(trailer) = header("x-amz-trailer").map(str::to_ascii_lowercase) {
            if let Some(alg) = trailer.strip_prefix("x-amz-checksum-") {
                return Expected {
                    algorithm: alg.to_ascii_uppercase(),
                    value: None,
                    trailer: Some(trailer.clone()),
                };
            }
        }
        for alg in ALGORITHMS {
            let name = format!("x-amz-checksum-{}", alg.to_ascii_lowercase());
            if let Some(value) = header(&name) {
                return Expected {
                    algorithm: alg.to_owned(),
                    value: Some(value.to_owned()),
                    trailer: None,
                };
            }
        }
        Expected {
            algorithm: declared
                .map_or("CRC64NVME", |d| d.as_str())
                .to_ascii_uppercase(),
            value: None,
            trailer: None,
        }
    }

    /// Recomputing a stored object's full-object checksum (a copy).
    pub fn recompute(source: Option<&ChecksumRecord>) -> Expected {
        Expected {
            algorithm: source
                .filter(|c| c.kind == "FULL_OBJECT")
                .map_or_else(|| "CRC64NVME".to_owned(), |c| c.algorithm.clone()),
            value: None,
            trailer: None,
        }
    }

    /// A hasher for the algorithm.
    pub fn hasher(&self) -> ChecksumHasher {
        let mut hasher = ChecksumHasher::default();
        match self.algorithm.as_str() {
            "CRC32" => hasher.crc32 = Some(s3s::crypto::Crc32::new()),
            "CRC32C" => hasher.crc32c = Some(s3s::crypto::Crc32c::new()),
            "SHA1" => hasher.sha1 = Some(s3s::crypto::Sha1::new()),
            "SHA256" => hasher.sha256 = Some(s3s::crypto::Sha256::new()),
            _ => hasher.crc64nvme = Some(s3s::crypto::Crc64Nvme::new()),
        }
        hasher
    }
}

/// Streams `body` into blob `blob`, computing the MD5 and the expected checksum.
pub async fn write_body(
    front: &S3Front,
    blob: &str,
    body: Option<StreamingBlob>,
    expected: &Expected,
) -> S3Result<Written> {
    let hasher = expected.hasher();
    let result = match body {
        Some(body) => front.blobs.write(blob, body, hasher).await,
        None => {
            let empty = futures::stream::empty::<Result<bytes::Bytes, std::io::Error>>();
            front.blobs.write(blob, empty, hasher).await
        }
    };
    result.map_err(|e| match e {
        // s3s reports what it verified while streaming as the body's error; its text names
        // the check that failed.
        crate::blobs::BlobError::Body(m) if m.contains("SignatureMismatch") => s3_error(ApiError::new(
            "SignatureDoesNotMatch",
            403,
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        )),
        crate::blobs::BlobError::Body(m) if m.contains("Sha256Mismatch") => s3_error(ApiError::new(
            "XAmzContentSHA256Mismatch",
            400,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )),
        crate::blobs::BlobError::Body(m) => s3_error(ApiError::new("IncompleteBody", 400, m)),
        other => s3_error(ApiError::internal(other.to_string())),
    })
}

/// The computed value of `algorithm` in `written`.
pub fn computed(written: &Written, algorithm: &str) -> Option<String> {
    let c = &written.checksums;
    match algorithm {
        "CRC32" => c.checksum_crc32.clone(),
        "CRC32C" => c.checksum_crc32c.clone(),
        "SHA1" => c.checksum_sha1.clone(),
        "SHA256" => c.checksum_sha256.clone(),
        _ => c.checksum_crc64nvme.clone(),
    }
}

/// Checks `Content-MD5` and the declared checksum against what was received.
pub fn verify(
    written: &Written,
    content_md5: Option<&str>,
    expected: &Expected,
    trailers: Option<&s3s::TrailingHeaders>,
) -> Result<(), ApiError> {
    if let Some(md5) = content_md5 {
        use base64::Engine as _;
        let given = base64::engine::general_purpose::STANDARD
            .decode(md5)
            .map_err(|_| {
                ApiError::new(
                    "InvalidDigest",
                    400,
                    "The Content-MD5 you specified was invalid.",
                )
            })?;
        if hex::encode(given) != written.md5_hex {
            return Err(ApiError::new(
                "BadDigest",
                400,
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    let given = match (&expected.value, &expected.trailer) {
        (Some(v), _) => Some(v.clone()),
        (None, Some(trailer)) => trailers
            .and_then(|t| {
                t.read(|h| {
                    h.get(trailer.as_str())
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                })
            })
            .flatten(),
        (None, None) => None,
    };
    if let Some(given) = given {
        if computed(written, &expected.algorithm).as_deref() != Some(given.as_str()) {
            return Err(ApiError::new(
                "BadDigest",
                400,
                format!(
                    "The {} you specified did not match the calculated checksum.",
                    expected.algorithm
                ),
            ));
        }
    }
    Ok(())
}

/// The checksum to store with a whole-object write.
pub fn record_of(written: &Written, expected: &Expected) -> Option<ChecksumRecord> {
    computed(written, &expected.algorithm).map(|value| ChecksumRecord {
        algorithm: expected.algorithm.clone(),
        value,
        kind: "FULL_OBJECT".to_owned(),
    })
}

/// Output shapes that report a checksum.
pub trait ChecksumFields {
    /// Sets the value of `algorithm` and the checksum type.
    fn set_checksum(&mut self, algorithm: &str, value: String, kind: &str);
}

macro_rules! checksum_fields {
    ($ty:ty $(, $typed:ident)?) => {
        impl ChecksumFields for $ty {
            fn set_checksum(&mut self, algorithm: &str, value: String, kind: &str) {
                match algorithm {
                    "CRC32" => self.checksum_crc32 = Some(value),
                    "CRC32C" => self.checksum_crc32c = Some(value),
                    "SHA1" => self.checksum_sha1 = Some(value),
                    "SHA256" => self.checksum_sha256 = Some(value),
                    _ => self.checksum_crc64nvme = Some(value),
                }
                // Shapes that carry the checksum type ($typed) report it too.
                $(self.checksum_type = Some(s3s::dto::ChecksumType::from(kind.to_owned()));
                let _ = stringify!($typed);)?
                let _ = kind;
            }
        }
    };
}

checksum_fields!(s3s::dto::UploadPartOutput);
checksum_fields!(s3s::dto::Part);
checksum_fields!(s3s::dto::CopyPartResult);
checksum_fields!(s3s::dto::PutObjectOutput, typed);
checksum_fields!(s3s::dto::GetObjectOutput, typed);
checksum_fields!(s3s::dto::HeadObjectOutput, typed);
checksum_fields!(s3s::dto::CopyObjectResult, typed);
checksum_fields!(s3s::dto::CompleteMultipartUploadOutput, typed);
checksum_fields!(s3s::dto::Checksum, typed);

/// Puts a stored checksum into an output shape.
pub fn fill(checksum: &Option<ChecksumRecord>, out: &mut impl ChecksumFields) {
    if let Some(c) = checksum {
        out.set_checksum(&c.algorithm, c.value.clone(), &c.kind);
    }
}

/// The composite checksum of a multipart object: the checksum of the parts' binary checksums,
/// then `-N`.
pub fn composite(algorithm: &str, parts: &[String]) -> Option<String> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut joined = Vec::new();
    for p in parts {
        joined.extend(engine.decode(p).ok()?);
    }
    let digest: Vec<u8> = match algorithm {
        "CRC32" => s3s::crypto::Crc32::checksum(&joined).as_ref().to_vec(),
        "CRC32C" => s3s::crypto::Crc32c::checksum(&joined).as_ref().to_vec(),
        "SHA1" => s3s::crypto::Sha1::checksum(&joined).as_ref().to_vec(),
        "SHA256" => s3s::crypto::Sha256::checksum(&joined).as_ref().to_vec(),
        _ => return None,
    };
    Some(format!("{}-{}", engine.encode(digest), parts.len()))
}
