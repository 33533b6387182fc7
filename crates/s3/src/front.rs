//! The S3 front door: s3s parses the protocol (routes, headers, XML, SigV4 in every payload
//! variant) and calls [`S3Front`], which resolves the caller through the kernel's credentials,
//! runs each operation in a store transaction through [`Partition::read_as`] /
//! [`Partition::write_as`], and streams bodies through [`Blobs`].

use std::sync::Arc;

use localorg_kernel::{Caller, Ctx, Partition, Requester};
use localorg_model::ApiError;
use s3s::auth::{S3Auth, SecretKey};
use s3s::{S3Request, S3Result};

use crate::access::{self, Keys};
use crate::blobs::Blobs;
use crate::core::{self, s3_error};
use crate::records::BucketRecord;

/// Where a request came from; the server puts it in the request's extensions.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The client's IP address.
    pub source_ip: String,
    /// The endpoint the client called (`http://HOST:PORT`).
    pub endpoint: String,
}

/// The caller, once authenticated (set by the access check, read by every operation).
#[derive(Debug, Clone)]
struct Authenticated(Caller);

/// S3 on one partition.
pub struct S3Front {
    pub(crate) partition: Arc<Partition>,
    pub(crate) blobs: Arc<Blobs>,
    /// Ask the policy engine (off in `--auth permissive`).
    pub(crate) enforce: bool,
}

/// Who makes one request: the owned parts of a [`Requester`].
pub struct Who {
    pub(crate) caller: Caller,
    pub(crate) region: String,
    pub(crate) source_ip: String,
    pub(crate) endpoint: String,
}

impl Who {
    fn requester(&self) -> Requester<'_> {
        Requester {
            caller: &self.caller,
            region: &self.region,
            source_ip: &self.source_ip,
            endpoint: &self.endpoint,
        }
    }
}

impl S3Front {
    /// S3 over `partition`, with bodies in `blobs`.
    pub fn new(partition: Arc<Partition>, blobs: Arc<Blobs>, enforce: bool) -> Arc<S3Front> {
        Arc::new(S3Front {
            partition,
            blobs,
            enforce,
        })
    }

    /// The s3s service that answers S3 requests (path style, and virtual-hosted style for
    /// `BUCKET.s3.localhost` and `BUCKET.localhost`).
    pub fn service(self: &Arc<Self>) -> s3s::service::S3Service {
        let mut builder = s3s::service::S3ServiceBuilder::new(crate::ops::Ops(self.clone()));
        builder.set_auth(KeyLookup(self.clone()));
        builder.set_access(CallerCheck(self.clone()));
        builder.set_host(LocalHost);
        builder.set_route(crate::control::AccountControl(self.clone()));
        builder.build()
    }

    /// Who makes `req`.
    pub(crate) fn who<T>(&self, req: &S3Request<T>) -> Who {
        let caller = req
            .extensions
            .get::<Authenticated>()
            .map_or_else(Caller::anonymous, |a| a.0.clone());
        let origin = req.extensions.get::<Origin>();
        Who {
            caller,
            region: req
                .region
                .as_ref()
                .map_or_else(|| "us-east-1".to_owned(), |r| r.as_str().to_owned()),
            source_ip: origin.map_or_else(|| "127.0.0.1".to_owned(), |o| o.source_ip.clone()),
            endpoint: origin.map_or_else(String::new, |o| o.endpoint.clone()),
        }
    }

    /// Runs `f` in a read transaction.
    pub(crate) fn read<T>(
        &self,
        who: &Who,
        f: impl FnOnce(&Ctx<'_>) -> Result<T, ApiError>,
    ) -> S3Result<T> {
        tokio::task::block_in_place(|| self.partition.read_as(&who.requester(), f))
            .map_err(s3_error)
    }

    /// Runs `f` in the write transaction.
    pub(crate) fn write<T>(
        &self,
        who: &Who,
        f: impl FnMut(&mut Ctx<'_>) -> Result<T, ApiError>,
    ) -> S3Result<T> {
        tokio::task::block_in_place(|| self.partition.write_as(&who.requester(), f))
            .map_err(s3_error)
    }

    /// The bucket, once the caller may run `action` on it (and `key`).
    pub(crate) fn bucket_for(
        &self,
        ctx: &Ctx<'_>,
        name: &str,
        expected_owner: Option<&str>,
        action: &str,
        key: Option<&str>,
        keys: &Keys,
    ) -> Result<BucketRecord, ApiError> {
        let bucket = core::bucket(ctx.tx.read(), name)?;
        access::authorize(ctx, self.enforce, &bucket, action, key, keys)?;
        if expected_owner.is_some_and(|owner| owner != bucket.owner) {
            return Err(access::access_denied("Access Denied".to_owned()));
        }
        Ok(bucket)
    }

    /// Reads the bucket for `action` in a read transaction.
    pub(crate) fn read_bucket(
        &self,
        who: &Who,
        name: &str,
        expected_owner: Option<&str>,
        action: &str,
    ) -> S3Result<BucketRecord> {
        self.read(who, |ctx| {
            self.bucket_for(ctx, name, expected_owner, action, None, &Vec::new())
        })
    }

    /// Changes the bucket for `action` in the write transaction.
    pub(crate) fn change_bucket<T>(
        &self,
        who: &Who,
        name: &str,
        expected_owner: Option<&str>,
        action: &str,
        mut f: impl FnMut(&mut Ctx<'_>, &mut BucketRecord) -> Result<T, ApiError>,
    ) -> S3Result<T> {
        self.write(who, |ctx| {
            let mut bucket =
                self.bucket_for(ctx, name, expected_owner, action, None, &Vec::new())?;
            let out = f(ctx, &mut bucket)?;
            core::BUCKETS.put(
                ctx.tx.write()?,
                &localorg_store::Key::new().str(name),
                &bucket,
            )?;
            Ok(out)
        })
    }

    /// The caller behind a request's access key (its session token checked), or the anonymous
    /// principal for an unsigned request.
    pub(crate) fn resolve(
        &self,
        access_key: Option<&str>,
        headers: &http::HeaderMap,
        query: Option<&str>,
    ) -> S3Result<Caller> {
        let Some(key) = access_key else {
            return Ok(Caller::anonymous());
        };
        let token = headers
            .get("x-amz-security-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| query_param(query, "X-Amz-Security-Token"));
        let credential = tokio::task::block_in_place(|| self.partition.credential(key))
            .map_err(s3_error)?
            .ok_or_else(|| s3s::s3_error!(InvalidAccessKeyId))?;
        access::caller_of(credential, token.as_deref(), self.partition.now_ms()).map_err(s3_error)
    }

    /// What CloudTrail needs of a management call (bucket-level operations; object-level ones
    /// are data events, which localorg's trails do not record): `None` for the others.
    pub(crate) fn audit_start<T>(
        &self,
        req: &S3Request<T>,
        operation: &'static str,
    ) -> Option<AuditCall> {
        if !is_management_event(operation) || !self.partition.audit().enabled() {
            return None;
        }
        let host = req
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let bucket = bucket_of_host(host).map(str::to_owned).or_else(|| {
            req.uri
                .path()
                .trim_start_matches('/')
                .split('/')
                .next()
                .filter(|b| !b.is_empty())
                .map(str::to_owned)
        });
        Some(AuditCall {
            who: self.who(req),
            operation,
            bucket,
            user_agent: req
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
            at: jiff::Timestamp::now(),
        })
    }

    /// Offers an answered management call to the audit sink.
    pub(crate) fn audit_end<T>(&self, call: Option<AuditCall>, out: &S3Result<T>) {
        let Some(call) = call else {
            return;
        };
        let error = out.as_ref().err().map(|e| {
            ApiError::new(
                e.code().as_str().to_owned(),
                e.status_code().map_or(400, |s| s.as_u16()),
                e.message().unwrap_or("").to_owned(),
            )
        });
        let request = call
            .bucket
            .as_ref()
            .map(|b| serde_json::json!({ "bucketName": b }));
        let request_id = self.partition.ids().uuid();
        self.partition
            .audit()
            .record(&localorg_kernel::audit::AuditEvent {
                request_id: &request_id,
                at: call.at,
                service: "s3",
                operation: call.operation,
                caller: Some(&call.who.caller),
                region: &call.who.region,
                source_ip: &call.who.source_ip,
                user_agent: &call.user_agent,
                read_only: ["Get", "List", "Head"]
                    .iter()
                    .any(|p| call.operation.starts_with(p)),
                request: request.as_ref(),
                response: None,
                error: error.as_ref(),
            });
    }

    /// A new blob id.
    pub(crate) fn blob_id(&self) -> String {
        self.partition
            .ids()
            .string(localorg_kernel::context::LOWER_HEX, 32)
    }
}

/// A management call being served, for the audit sink.
pub(crate) struct AuditCall {
    who: Who,
    operation: &'static str,
    bucket: Option<String>,
    user_agent: String,
    at: jiff::Timestamp,
}

/// Whether S3 records the operation as a management event: bucket-level operations are, object-level
/// ones (and object listings) are data events.
fn is_management_event(operation: &str) -> bool {
    let data = (operation.contains("Object") && !operation.ends_with("ObjectLockConfiguration"))
        || operation.contains("Multipart")
        || matches!(operation, "UploadPart" | "UploadPartCopy" | "ListParts");
    !data
}

/// Secret keys come from the kernel's credentials: every key localorg issued signs S3 requests.
struct KeyLookup(Arc<S3Front>);

#[async_trait::async_trait]
impl S3Auth for KeyLookup {
    async fn get_secret_key(&self, access_key: &str) -> S3Result<SecretKey> {
        let credential = tokio::task::block_in_place(|| self.0.partition.credential(access_key))
            .map_err(s3_error)?;
        match credential {
            Some(c) => Ok(SecretKey::from(c.secret.expose().to_owned())),
            None => Err(s3s::s3_error!(
                InvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records."
            )),
        }
    }
}

/// Resolves the caller of every request: the signed key's principal, once its session token is
/// checked, or the anonymous principal. Authorization itself happens in each operation, which
/// knows the bucket and its policy.
struct CallerCheck(Arc<S3Front>);

#[async_trait::async_trait]
impl s3s::access::S3Access for CallerCheck {
    async fn check(&self, cx: &mut s3s::access::S3AccessContext<'_>) -> S3Result<()> {
        let caller = self.0.resolve(
            cx.credentials().map(|c| c.access_key.as_str()),
            cx.headers(),
            cx.uri().query(),
        )?;
        let region = cx
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|a| a.split("Credential=").nth(1))
            .and_then(|c| c.split('/').nth(2))
            .unwrap_or("us-east-1")
            .to_owned();
        let requester = Requester {
            caller: &caller,
            region: &region,
            source_ip: "",
            endpoint: "",
        };
        self.0.partition.record_key_use(&requester, "s3");
        cx.extensions_mut().insert(Authenticated(caller));
        Ok(())
    }
}

/// The value of `name` in a query string, percent-decoded.
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    let query = query?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Virtual-hosted style for `BUCKET.s3.localhost` and `BUCKET.localhost` (any port); every
/// other host (`127.0.0.1`, `localhost`, `s3.localhost`) is path style.
struct LocalHost;

impl s3s::host::S3Host for LocalHost {
    fn parse_host_header<'a>(&'a self, host: &'a str) -> S3Result<s3s::host::VirtualHost<'a>> {
        Ok(match bucket_of_host(host) {
            Some(bucket) => s3s::host::VirtualHost::new(host).with_bucket(bucket),
            None => s3s::host::VirtualHost::new(host),
        })
    }
}

/// The bucket a virtual-hosted-style `Host` names, if it names one.
pub fn bucket_of_host(host: &str) -> Option<&str> {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let rest = name.strip_suffix(".localhost")?;
    let bucket = rest.strip_suffix(".s3").unwrap_or(rest);
    (!bucket.is_empty() && bucket != "s3").then_some(bucket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_hosts_name_their_bucket_and_other_hosts_do_not() {
        assert_eq!(bucket_of_host("logs.s3.localhost:4566"), Some("logs"));
        assert_eq!(bucket_of_host("my.logs.localhost"), Some("my.logs"));
        assert_eq!(bucket_of_host("s3.localhost:4566"), None);
        assert_eq!(bucket_of_host("localhost:4566"), None);
        assert_eq!(bucket_of_host("127.0.0.1:4566"), None);
    }

    #[test]
    fn bucket_operations_are_management_events_and_object_operations_are_not() {
        for management in [
            "CreateBucket",
            "PutBucketPolicy",
            "ListBuckets",
            "HeadBucket",
            "PutObjectLockConfiguration",
        ] {
            assert!(is_management_event(management), "{management}");
        }
        for data in [
            "PutObject",
            "GetObject",
            "ListObjectsV2",
            "DeleteObjects",
            "UploadPart",
            "CompleteMultipartUpload",
            "ListParts",
            "PutObjectRetention",
        ] {
            assert!(!is_management_event(data), "{data}");
        }
    }

    #[test]
    fn query_parameters_are_percent_decoded() {
        assert_eq!(
            query_param(
                Some("a=1&X-Amz-Security-Token=ab%2Fc%3D"),
                "X-Amz-Security-Token"
            ),
            Some("ab/c=".to_owned())
        );
        assert_eq!(query_param(Some("a=1"), "b"), None);
    }
}
