//! The account-level Block Public Access settings of S3 Control (`GetPublicAccessBlock`,
//! `PutPublicAccessBlock`, `DeletePublicAccessBlock` with an account id), which apply to every
//! bucket of the account together with each bucket's own. S3 Control signs as `s3` and shares
//! S3's endpoint here, so it arrives through s3s as a custom route.

use std::sync::Arc;

use http::{Extensions, HeaderMap, Method, Uri};
use localorg_model::ApiError;
use localorg_store::Key;
use s3s::dto::PublicAccessBlockConfiguration;
use s3s::route::S3Route;
use s3s::{Body, S3Request, S3Response, S3Result};

use crate::access;
use crate::config::{pab_of, pab_shape};
use crate::core::{s3_error, ACCOUNT_PUBLIC_ACCESS};
use crate::front::{S3Front, Who};

/// The path of the account's Block Public Access configuration.
const PATH: &str = "/v20180820/configuration/publicAccessBlock";

/// S3 Control's account Block Public Access, routed beside S3.
pub struct AccountControl(pub Arc<S3Front>);

#[async_trait::async_trait]
impl S3Route for AccountControl {
    fn is_match(
        &self,
        _method: &Method,
        uri: &Uri,
        _headers: &HeaderMap,
        _: &mut Extensions,
    ) -> bool {
        uri.path() == PATH
    }

    async fn check_access(&self, _req: &mut S3Request<Body>) -> S3Result<()> {
        // Decided in `call`, with the caller's policies.
        Ok(())
    }

    async fn call(&self, mut req: S3Request<Body>) -> S3Result<S3Response<Body>> {
        let front = &self.0;
        let caller = front.resolve(
            req.credentials.as_ref().map(|c| c.access_key.as_str()),
            &req.headers,
            req.uri.query(),
        )?;
        let origin = req.extensions.get::<crate::front::Origin>().cloned();
        let who = Who {
            caller,
            region: req
                .region
                .as_ref()
                .map_or_else(|| "us-east-1".to_owned(), |r| r.as_str().to_owned()),
            source_ip: origin
                .as_ref()
                .map_or_else(|| "127.0.0.1".to_owned(), |o| o.source_ip.clone()),
            endpoint: origin.map(|o| o.endpoint).unwrap_or_default(),
        };
        let account = req
            .headers
            .get("x-amz-account-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let key = Key::new().str(&account);
        let action = if req.method == Method::GET {
            "s3:GetAccountPublicAccessBlock"
        } else {
            "s3:PutAccountPublicAccessBlock"
        };
        let check = |ctx: &localorg_kernel::Ctx<'_>| -> Result<(), ApiError> {
            access::authorize_account(ctx, front.enforce, action, "*", &Vec::new())?;
            if ctx.caller.account_id != account {
                return Err(access::access_denied("Access Denied".to_owned()));
            }
            Ok(())
        };
        match req.method {
            Method::GET => {
                let settings = front.read(&who, |ctx| {
                    check(ctx)?;
                    Ok(ACCOUNT_PUBLIC_ACCESS.get(ctx.tx.read(), &key)?)
                })?;
                let Some(settings) = settings else {
                    return Err(s3_error(ApiError::new(
                        "NoSuchPublicAccessBlockConfiguration",
                        404,
                        "The public access block configuration was not found",
                    )));
                };
                let mut xml = Vec::new();
                let mut ser = s3s::xml::Serializer::new(&mut xml);
                let written = ser
                    .decl()
                    .and_then(|()| s3s::xml::Serialize::serialize(&pab_shape(settings), &mut ser));
                written.map_err(|e| s3_error(ApiError::internal(e.to_string())))?;
                let mut response = S3Response::new(Body::from(xml));
                response.headers.insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/xml"),
                );
                Ok(response)
            }
            Method::PUT => {
                let body = req
                    .input
                    .store_all_limited(64 * 1024)
                    .await
                    .map_err(|_| s3_error(crate::core::malformed_xml()))?;
                let mut de = s3s::xml::Deserializer::new(&body);
                let config: PublicAccessBlockConfiguration =
                    s3s::xml::Deserialize::deserialize(&mut de)
                        .map_err(|_| s3_error(crate::core::malformed_xml()))?;
                let settings = pab_of(&config);
                front.write(&who, |ctx| {
                    check(ctx)?;
                    ACCOUNT_PUBLIC_ACCESS.put(ctx.tx.write()?, &key, &settings)?;
                    Ok(())
                })?;
                Ok(S3Response::new(Body::empty()))
            }
            Method::DELETE => {
                front.write(&who, |ctx| {
                    check(ctx)?;
                    ACCOUNT_PUBLIC_ACCESS.delete(ctx.tx.write()?, &key)?;
                    Ok(())
                })?;
                let mut response = S3Response::new(Body::empty());
                response.status = Some(http::StatusCode::NO_CONTENT);
                Ok(response)
            }
            _ => Err(s3s::s3_error!(MethodNotAllowed)),
        }
    }
}
