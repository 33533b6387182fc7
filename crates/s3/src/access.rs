//! Who is asking, and may they: every S3 request is decided by the policy engine over the
//! caller's identity policies, boundary and session policies, the SCPs of the caller's account,
//! the bucket policy and the RCPs of the bucket owner's account, with Block Public Access
//! applied on top, as AWS decides it.

use localorg_kernel::authz::{self, Placement};
use localorg_kernel::{Caller, Ctx, PrincipalKind};
use localorg_model::ApiError;
use localorg_policy::{PolicySet, PolicyType, Principal, PrincipalType, Request};
use serde_json::Value;

use crate::records::{BucketRecord, PublicAccessBlock};

/// Condition keys of one request beyond the global ones (`s3:prefix`, `s3:x-amz-acl`…).
pub type Keys = Vec<(String, Vec<String>)>;

/// Decides whether `ctx`'s caller may run `action` on `bucket` (and `key`, for object actions).
/// `enforce` is off in `--auth permissive`.
pub fn authorize(
    ctx: &Ctx<'_>,
    enforce: bool,
    bucket: &BucketRecord,
    action: &str,
    key: Option<&str>,
    keys: &Keys,
) -> Result<(), ApiError> {
    if !enforce {
        return Ok(());
    }
    // The bucket owner's root user can always read, change and delete the bucket policy, even
    // when the policy denies it (lock-out protection).
    let policy_action = matches!(
        action,
        "s3:GetBucketPolicy" | "s3:PutBucketPolicy" | "s3:DeleteBucketPolicy"
    );
    if policy_action && crate::core::is_root_of(ctx, &bucket.owner) {
        return Ok(());
    }
    let tx = ctx.tx.read();
    let placement = authz::placement(ctx, tx, &ctx.caller.account_id)?;
    // The owner's place in its organization serves the resource keys and the RCP chain.
    let owner_placement = if bucket.owner == ctx.caller.account_id {
        placement.clone()
    } else {
        authz::placement(ctx, tx, &bucket.owner)?
    };
    let request = authz::request_for(
        ctx,
        tx,
        placement.as_ref(),
        action,
        &resource_of(bucket, key),
    )?;
    let request = with_resource_keys(ctx, bucket, owner_placement.as_ref(), request, keys);
    let mut policies = match ctx.caller.kind {
        PrincipalKind::Anonymous => PolicySet::new(),
        _ => authz::policies_for(ctx, tx, placement.as_ref())?,
    };
    let outsider = ctx.caller.account_id != bucket.owner;
    let restricted = outsider && public_access_block(ctx, bucket)?.restrict_public_buckets;
    policies.resource = bucket_policy(bucket, restricted)?;
    policies.rcps = authz::rcp_chain_for(ctx, tx, &bucket.owner, owner_placement.as_ref())?;
    decide(&policies, &request)
}

/// The ARN a request acts on: the bucket's, or one of its objects'.
fn resource_of(bucket: &BucketRecord, key: Option<&str>) -> String {
    match key {
        Some(key) => format!("arn:aws:s3:::{}/{key}", bucket.name),
        None => bucket.arn(),
    }
}

/// Decides a request of a service principal (CloudTrail writing logs): the bucket policy and the
/// owner's RCPs only.
pub fn authorize_service(
    ctx: &Ctx<'_>,
    bucket: &BucketRecord,
    object: &localorg_kernel::delivery::ServiceObject<'_>,
    action: &str,
    key: Option<&str>,
) -> Result<(), ApiError> {
    let tx = ctx.tx.read();
    let resource = resource_of(bucket, key);
    let principal = Principal::new(
        PrincipalType::Service,
        object.service_principal.to_owned(),
        String::new(),
    );
    let mut request = Request::new(principal, action, resource)
        .with_context("aws:SourceAccount", object.source_account.to_owned())
        .with_context("aws:SourceArn", object.source_arn.to_owned())
        .with_context("aws:RequestedRegion", bucket.region.clone())
        .with_context("aws:SecureTransport", true)
        .with_context("aws:ViaAWSService", false);
    if action == "s3:PutObject" {
        // Services write their files with the owner-full-control canned ACL, as the bucket
        // policies AWS documents for them require.
        request = request.with_context("s3:x-amz-acl", "bucket-owner-full-control");
    }
    if let Some(placement) = authz::placement(ctx, tx, object.source_account)? {
        request = request
            .with_context("aws:SourceOrgID", placement.org.id.clone())
            .with_context("aws:SourceOrgPaths", vec![placement.org_path()]);
    }
    let owner_placement = authz::placement(ctx, tx, &bucket.owner)?;
    let request = with_resource_keys(ctx, bucket, owner_placement.as_ref(), request, &Vec::new());
    let mut policies = PolicySet::new();
    policies.resource = bucket_policy(bucket, false)?;
    policies.rcps = authz::rcp_chain_for(ctx, tx, &bucket.owner, owner_placement.as_ref())?;
    decide(&policies, &request)
}

/// Decides an action on no bucket (`ListBuckets`, `CreateBucket` of a new name): the caller's
/// own policies and SCPs.
pub fn authorize_account(
    ctx: &Ctx<'_>,
    enforce: bool,
    action: &str,
    resource: &str,
    keys: &Keys,
) -> Result<(), ApiError> {
    if !enforce {
        return Ok(());
    }
    if matches!(ctx.caller.kind, PrincipalKind::Anonymous) {
        return Err(access_denied("Access Denied".to_owned()));
    }
    let tx = ctx.tx.read();
    let placement = authz::placement(ctx, tx, &ctx.caller.account_id)?;
    let mut request = authz::request_for(ctx, tx, placement.as_ref(), action, resource)?;
    for (k, v) in keys {
        request = request.with_context(k, v.clone());
    }
    let policies = authz::policies_for(ctx, tx, placement.as_ref())?;
    decide(&policies, &request)
}

fn decide(policies: &PolicySet, request: &Request) -> Result<(), ApiError> {
    let decision = policies.evaluate(request);
    if decision.effect == localorg_policy::Outcome::Allow {
        return Ok(());
    }
    Err(access_denied(decision.message(request)))
}

/// S3's `AccessDenied` (403).
pub fn access_denied(message: String) -> ApiError {
    ApiError::new("AccessDenied", 403, message)
}

/// The request keys every bucket request has: the resource's account and organization (its
/// owner's `placement`), the bucket's tags, and the request's own keys.
fn with_resource_keys(
    ctx: &Ctx<'_>,
    bucket: &BucketRecord,
    placement: Option<&Placement>,
    mut request: Request,
    keys: &Keys,
) -> Request {
    if ctx.settings.secure_transport {
        // Requests counted as TLS (`--secure-transport`) report a current TLS version.
        request = request.with_context("s3:TlsVersion", "1.3");
    }
    request = request
        .with_resource_account(bucket.owner.clone())
        .with_context("aws:ResourceAccount", bucket.owner.clone())
        .with_context("s3:ResourceAccount", bucket.owner.clone());
    if let Some(placement) = placement {
        request = request
            .with_resource_in_management_account(placement.is_management(&bucket.owner))
            .with_context("aws:ResourceOrgID", placement.org.id.clone())
            .with_context("aws:ResourceOrgPaths", vec![placement.org_path()]);
    }
    for (k, v) in bucket.tags.iter().flatten() {
        request = request.with_context(&format!("aws:ResourceTag/{k}"), v.clone());
    }
    for (k, v) in keys {
        request = request.with_context(k, v.clone());
    }
    request
}

/// The bucket policy, compiled; `None` when the bucket has none, or when it is public and
/// Block Public Access's `RestrictPublicBuckets` keeps it from granting to this caller
/// (`restricted`: anyone but AWS services and the owner account's principals).
fn bucket_policy(
    bucket: &BucketRecord,
    restricted: bool,
) -> Result<Option<std::sync::Arc<localorg_policy::CompiledPolicy>>, ApiError> {
    let Some(document) = &bucket.policy else {
        return Ok(None);
    };
    if restricted && is_public(document) {
        return Ok(None);
    }
    Ok(Some(authz::compiled(
        &format!("{} bucket policy", bucket.arn()),
        document,
        PolicyType::Resource,
    )?))
}

/// The settings in force for `bucket`: its own, combined with its owner account's.
pub fn public_access_block(
    ctx: &Ctx<'_>,
    bucket: &BucketRecord,
) -> Result<PublicAccessBlock, ApiError> {
    let account = crate::core::ACCOUNT_PUBLIC_ACCESS
        .get(
            ctx.tx.read(),
            &localorg_store::Key::new().str(&bucket.owner),
        )?
        .unwrap_or_default();
    Ok(bucket.public_access_block.unwrap_or_default().or(account))
}

/// Keys whose fixed values make a statement non-public (S3's "The meaning of public").
const FIXING_KEYS: [&str; 16] = [
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "aws:principalservicename",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    "aws:sourceip",
];

/// Whether a bucket policy is public: an `Allow` statement grants to everyone (`*`) without a
/// condition that pins one of [`FIXING_KEYS`] to fixed values.
pub fn is_public(document: &str) -> bool {
    let Ok(policy) = serde_json::from_str::<Value>(document) else {
        return false;
    };
    let statements = match policy.get("Statement").unwrap_or(&Value::Null) {
        Value::Array(list) => list.clone(),
        one @ Value::Object(_) => vec![one.clone()],
        _ => Vec::new(),
    };
    statements.iter().any(|s| {
        let field = |name: &str| s.get(name).unwrap_or(&Value::Null);
        field("Effect") == "Allow"
            && grants_everyone(field("Principal"))
            && !is_fixed(field("Condition"))
    })
}

fn grants_everyone(principal: &Value) -> bool {
    let is_star = |v: &Value| match v {
        Value::String(s) => s == "*",
        Value::Array(list) => list.iter().any(|x| x == "*"),
        _ => false,
    };
    match principal {
        Value::Object(map) => map.get("AWS").is_some_and(is_star),
        other => is_star(other),
    }
}

fn is_fixed(condition: &Value) -> bool {
    let Value::Object(operators) = condition else {
        return false;
    };
    operators.iter().any(|(operator, block)| {
        let op = operator.to_ascii_lowercase();
        let negated = op.contains("not");
        let Value::Object(keys) = block else {
            return false;
        };
        !negated
            && keys.iter().any(|(key, values)| {
                let key = key.to_ascii_lowercase();
                let fixed_value = |v: &Value| {
                    v.as_str()
                        .is_some_and(|s| !s.contains('*') && !s.contains('?') && !s.ends_with("/0"))
                };
                let all_fixed = match values {
                    Value::Array(list) => !list.is_empty() && list.iter().all(fixed_value),
                    v => fixed_value(v),
                };
                FIXING_KEYS.contains(&key.as_str()) && all_fixed
            })
    })
}

/// The caller a signed request acts as, once its key's session token is checked, in S3's codes.
pub fn caller_of(
    credential: localorg_kernel::credentials::Credential,
    token: Option<&str>,
    now_ms: i64,
) -> Result<Caller, ApiError> {
    use localorg_kernel::credentials::TokenRefusal;
    credential
        .caller_with_token(token, now_ms)
        .map_err(|refusal| match refusal {
            // A temporary key without its token is a key S3 does not know.
            TokenRefusal::Missing => ApiError::new(
                "InvalidAccessKeyId",
                403,
                "The AWS Access Key Id you provided does not exist in our records.",
            ),
            TokenRefusal::Wrong => ApiError::new(
                "InvalidToken",
                400,
                "The provided token is malformed or otherwise invalid.",
            ),
            TokenRefusal::Expired => {
                ApiError::new("ExpiredToken", 400, "The provided token has expired.")
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_is_public_when_it_grants_everyone_without_fixed_conditions() {
        let public = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let star_aws = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:*","Resource":"*"}}"#;
        let org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#;
        let wildcard_org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}"#;
        let account = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}]}"#;
        let deny =
            r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert!(is_public(public));
        assert!(is_public(star_aws));
        assert!(!is_public(org));
        assert!(is_public(wildcard_org));
        assert!(!is_public(account));
        assert!(!is_public(deny));
    }
}
