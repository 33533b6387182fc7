//! Bucket configuration: the policy (validated as a resource policy, refused when public under
//! Block Public Access), Block Public Access, ownership controls, versioning and Object Lock,
//! which localorg enforces; encryption, lifecycle, CORS and tags, which it stores and reports;
//! and the sub-resources Terraform reads, answered as AWS answers an unconfigured bucket.

use localorg_model::ApiError;
use localorg_policy::PolicyType;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

use crate::access;
use crate::core::{self, s3_error};
use crate::front::S3Front;
use crate::records::{BucketRecord, DefaultRetention, LockConfig, PublicAccessBlock};

fn no_content<T>(output: T) -> S3Response<T> {
    let mut response = S3Response::new(output);
    response.status = Some(http::StatusCode::NO_CONTENT);
    response
}

fn not_found(code: &'static str, message: &str) -> s3s::S3Error {
    s3_error(ApiError::new(code, 404, message))
}

/// A stored s3s configuration shape.
fn stored<T: serde::de::DeserializeOwned>(bucket: &BucketRecord, name: &str) -> Option<T> {
    bucket
        .configs
        .get(name)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(e.to_string()))
}

/// `GetBucketPolicy`.
pub async fn get_policy(
    front: &S3Front,
    req: S3Request<GetBucketPolicyInput>,
) -> S3Result<S3Response<GetBucketPolicyOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketPolicy",
    )?;
    match bucket.policy {
        Some(policy) => Ok(S3Response::new(GetBucketPolicyOutput {
            policy: Some(policy),
        })),
        None => Err(not_found(
            "NoSuchBucketPolicy",
            "The bucket policy does not exist",
        )),
    }
}

/// Checks a bucket policy as S3 does: a valid resource policy whose resources are this bucket
/// and its objects.
fn check_policy(bucket: &str, document: &str) -> Result<(), ApiError> {
    let malformed = |m: String| ApiError::new("MalformedPolicy", 400, m);
    if !document.trim_start().starts_with('{') {
        return Err(malformed(
            "Policies must be valid JSON and the first byte must be '{'".to_owned(),
        ));
    }
    let validation = localorg_policy::validate_document(document, PolicyType::Resource);
    if let Some(error) = validation.first_error() {
        return Err(malformed(error.aws_message));
    }
    let parsed: serde_json::Value =
        serde_json::from_str(document).map_err(|e| malformed(e.to_string()))?;
    let null = serde_json::Value::Null;
    let statements = match parsed.get("Statement").unwrap_or(&null) {
        serde_json::Value::Array(list) => list.clone(),
        other => vec![other.clone()],
    };
    let arn = format!("arn:aws:s3:::{bucket}");
    for statement in statements {
        let actions = match statement
            .get("Action")
            .or_else(|| statement.get("NotAction"))
        {
            Some(serde_json::Value::Array(list)) => list.clone(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        };
        if actions
            .iter()
            .any(|a| !a.as_str().is_some_and(crate::actions::is_s3_action))
        {
            return Err(malformed("Policy has invalid action".to_owned()));
        }
        let resources = statement
            .get("Resource")
            .or_else(|| statement.get("NotResource"))
            .cloned()
            .unwrap_or_default();
        let list = match resources {
            serde_json::Value::Array(list) => list,
            one => vec![one],
        };
        for r in list {
            let r = r.as_str().unwrap_or_default();
            let ours = r == arn
                || r.strip_prefix(&arn)
                    .is_some_and(|rest| rest.starts_with('/'));
            if !ours {
                return Err(malformed("Policy has invalid resource".to_owned()));
            }
        }
    }
    Ok(())
}

/// `PutBucketPolicy`.
pub async fn put_policy(
    front: &S3Front,
    req: S3Request<PutBucketPolicyInput>,
) -> S3Result<S3Response<PutBucketPolicyOutput>> {
    let who = front.who(&req);
    let input = req.input;
    check_policy(&input.bucket, &input.policy).map_err(s3_error)?;
    let public = access::is_public(&input.policy);
    front.change_bucket(&who, &input.bucket, input.expected_bucket_owner.as_deref(), "s3:PutBucketPolicy", |ctx, bucket| {
        if public && access::public_access_block(ctx, bucket)?.block_public_policy {
            return Err(access::access_denied(format!(
                "User: {} is not authorized to perform: s3:PutBucketPolicy on resource: \"{}\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
                ctx.caller.arn,
                bucket.arn()
            )));
        }
        bucket.policy = Some(input.policy.clone());
        Ok(())
    })?;
    Ok(no_content(PutBucketPolicyOutput {}))
}

/// `DeleteBucketPolicy`.
pub async fn delete_policy(
    front: &S3Front,
    req: S3Request<DeleteBucketPolicyInput>,
) -> S3Result<S3Response<DeleteBucketPolicyOutput>> {
    let who = front.who(&req);
    front.change_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:DeleteBucketPolicy",
        |_, bucket| {
            bucket.policy = None;
            Ok(())
        },
    )?;
    Ok(no_content(DeleteBucketPolicyOutput {}))
}

/// `GetBucketPolicyStatus`.
pub async fn get_policy_status(
    front: &S3Front,
    req: S3Request<GetBucketPolicyStatusInput>,
) -> S3Result<S3Response<GetBucketPolicyStatusOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketPolicyStatus",
    )?;
    let Some(policy) = &bucket.policy else {
        return Err(not_found(
            "NoSuchBucketPolicy",
            "The bucket policy does not exist",
        ));
    };
    Ok(S3Response::new(GetBucketPolicyStatusOutput {
        policy_status: Some(PolicyStatus {
            is_public: Some(access::is_public(policy)),
        }),
    }))
}

/// The S3 shape of Block Public Access settings.
pub fn pab_shape(b: PublicAccessBlock) -> PublicAccessBlockConfiguration {
    PublicAccessBlockConfiguration {
        block_public_acls: Some(b.block_public_acls),
        block_public_policy: Some(b.block_public_policy),
        ignore_public_acls: Some(b.ignore_public_acls),
        restrict_public_buckets: Some(b.restrict_public_buckets),
    }
}

/// Block Public Access settings from the S3 shape (absent settings are off).
pub fn pab_of(c: &PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: c.block_public_acls.unwrap_or(false),
        ignore_public_acls: c.ignore_public_acls.unwrap_or(false),
        block_public_policy: c.block_public_policy.unwrap_or(false),
        restrict_public_buckets: c.restrict_public_buckets.unwrap_or(false),
    }
}

/// `GetPublicAccessBlock`.
pub async fn get_public_access_block(
    front: &S3Front,
    req: S3Request<GetPublicAccessBlockInput>,
) -> S3Result<S3Response<GetPublicAccessBlockOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketPublicAccessBlock",
    )?;
    match bucket.public_access_block {
        Some(b) => Ok(S3Response::new(GetPublicAccessBlockOutput {
            public_access_block_configuration: Some(pab_shape(b)),
        })),
        None => Err(not_found(
            "NoSuchPublicAccessBlockConfiguration",
            "The public access block configuration was not found",
        )),
    }
}

/// `PutPublicAccessBlock`.
pub async fn put_public_access_block(
    front: &S3Front,
    req: S3Request<PutPublicAccessBlockInput>,
) -> S3Result<S3Response<PutPublicAccessBlockOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let settings = pab_of(&input.public_access_block_configuration);
    front.change_bucket(
        &who,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutBucketPublicAccessBlock",
        |_, bucket| {
            bucket.public_access_block = Some(settings);
            Ok(())
        },
    )?;
    Ok(S3Response::new(PutPublicAccessBlockOutput {}))
}

/// `DeletePublicAccessBlock`.
pub async fn delete_public_access_block(
    front: &S3Front,
    req: S3Request<DeletePublicAccessBlockInput>,
) -> S3Result<S3Response<DeletePublicAccessBlockOutput>> {
    let who = front.who(&req);
    front.change_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketPublicAccessBlock",
        |_, bucket| {
            bucket.public_access_block = None;
            Ok(())
        },
    )?;
    Ok(no_content(DeletePublicAccessBlockOutput {}))
}

/// `GetBucketOwnershipControls`.
pub async fn get_ownership(
    front: &S3Front,
    req: S3Request<GetBucketOwnershipControlsInput>,
) -> S3Result<S3Response<GetBucketOwnershipControlsOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketOwnershipControls",
    )?;
    match bucket.ownership {
        Some(o) => Ok(S3Response::new(GetBucketOwnershipControlsOutput {
            ownership_controls: Some(OwnershipControls {
                rules: vec![OwnershipControlsRule {
                    object_ownership: ObjectOwnership::from(o),
                }],
            }),
        })),
        None => Err(not_found(
            "OwnershipControlsNotFoundError",
            "The bucket ownership controls were not found",
        )),
    }
}

/// `PutBucketOwnershipControls`.
pub async fn put_ownership(
    front: &S3Front,
    req: S3Request<PutBucketOwnershipControlsInput>,
) -> S3Result<S3Response<PutBucketOwnershipControlsOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let [rule] = input.ownership_controls.rules.as_slice() else {
        return Err(s3_error(core::malformed_xml()));
    };
    let ownership = rule.object_ownership.as_str().to_owned();
    if ![
        "BucketOwnerEnforced",
        "BucketOwnerPreferred",
        "ObjectWriter",
    ]
    .contains(&ownership.as_str())
    {
        return Err(s3_error(core::malformed_xml()));
    }
    front.change_bucket(
        &who,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutBucketOwnershipControls",
        |_, bucket| {
            bucket.ownership = Some(ownership.clone());
            Ok(())
        },
    )?;
    Ok(S3Response::new(PutBucketOwnershipControlsOutput {}))
}

/// `DeleteBucketOwnershipControls`.
pub async fn delete_ownership(
    front: &S3Front,
    req: S3Request<DeleteBucketOwnershipControlsInput>,
) -> S3Result<S3Response<DeleteBucketOwnershipControlsOutput>> {
    let who = front.who(&req);
    front.change_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketOwnershipControls",
        |_, bucket| {
            bucket.ownership = None;
            Ok(())
        },
    )?;
    Ok(no_content(DeleteBucketOwnershipControlsOutput {}))
}

/// `GetBucketVersioning`.
pub async fn get_versioning(
    front: &S3Front,
    req: S3Request<GetBucketVersioningInput>,
) -> S3Result<S3Response<GetBucketVersioningOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketVersioning",
    )?;
    Ok(S3Response::new(GetBucketVersioningOutput {
        status: bucket.versioning.map(BucketVersioningStatus::from),
        mfa_delete: None,
    }))
}

/// `PutBucketVersioning`.
pub async fn put_versioning(
    front: &S3Front,
    req: S3Request<PutBucketVersioningInput>,
) -> S3Result<S3Response<PutBucketVersioningOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let status = input
        .versioning_configuration
        .status
        .as_ref()
        .map(|s| s.as_str().to_owned());
    let Some(status) = status.filter(|s| s == "Enabled" || s == "Suspended") else {
        return Err(s3_error(core::malformed_xml()));
    };
    front.change_bucket(&who, &input.bucket, input.expected_bucket_owner.as_deref(), "s3:PutBucketVersioning", |_, bucket| {
        if bucket.object_lock.is_some() && status == "Suspended" {
            return Err(ApiError::new("InvalidBucketState", 409, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed."));
        }
        bucket.versioning = Some(status.clone());
        Ok(())
    })?;
    Ok(S3Response::new(PutBucketVersioningOutput {}))
}

/// `GetObjectLockConfiguration`.
pub async fn get_lock(
    front: &S3Front,
    req: S3Request<GetObjectLockConfigurationInput>,
) -> S3Result<S3Response<GetObjectLockConfigurationOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketObjectLockConfiguration",
    )?;
    let Some(lock) = bucket.object_lock else {
        return Err(not_found(
            "ObjectLockConfigurationNotFoundError",
            "Object Lock configuration does not exist for this bucket",
        ));
    };
    Ok(S3Response::new(GetObjectLockConfigurationOutput {
        object_lock_configuration: Some(ObjectLockConfiguration {
            object_lock_enabled: Some(ObjectLockEnabled::from_static(ObjectLockEnabled::ENABLED)),
            rule: lock.default_retention.map(|d| ObjectLockRule {
                default_retention: Some(s3s::dto::DefaultRetention {
                    days: d.days,
                    years: d.years,
                    mode: Some(ObjectLockRetentionMode::from(d.mode)),
                }),
            }),
        }),
    }))
}

/// `PutObjectLockConfiguration`: enables Object Lock on a versioned bucket and sets its default
/// retention.
pub async fn put_lock(
    front: &S3Front,
    req: S3Request<PutObjectLockConfigurationInput>,
) -> S3Result<S3Response<PutObjectLockConfigurationOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let Some(config) = input.object_lock_configuration else {
        return Err(s3_error(core::malformed_xml()));
    };
    if config
        .object_lock_enabled
        .as_ref()
        .map(ObjectLockEnabled::as_str)
        != Some("Enabled")
    {
        return Err(s3_error(core::malformed_xml()));
    }
    let default = match config.rule.and_then(|r| r.default_retention) {
        None => None,
        Some(d) => {
            let mode = d.mode.as_ref().map(|m| m.as_str().to_owned());
            let valid_period = match (d.days, d.years) {
                (Some(days), None) => days > 0,
                (None, Some(years)) => years > 0,
                _ => false,
            };
            match mode {
                Some(mode) if valid_period && (mode == "GOVERNANCE" || mode == "COMPLIANCE") => {
                    Some(DefaultRetention {
                        mode,
                        days: d.days,
                        years: d.years,
                    })
                }
                _ => return Err(s3_error(core::malformed_xml())),
            }
        }
    };
    front.change_bucket(&who, &input.bucket, input.expected_bucket_owner.as_deref(), "s3:PutBucketObjectLockConfiguration", |_, bucket| {
        if bucket.object_lock.is_none() && !bucket.versioning_enabled() {
            return Err(ApiError::new("InvalidBucketState", 409, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration"));
        }
        bucket.object_lock = Some(LockConfig { default_retention: default.clone() });
        Ok(())
    })?;
    Ok(S3Response::new(PutObjectLockConfigurationOutput::default()))
}

/// Stored-and-reported configurations: encryption, lifecycle, CORS.
macro_rules! stored_config {
    ($get:ident, $put:ident, $delete:ident, $name:literal,
     $get_in:ident, $get_out:ident, $put_in:ident, $put_out:ident, $del_in:ident, $del_out:ident,
     $field:ident, $get_action:literal, $put_action:literal, $missing:expr, $out:expr) => {
        #[doc = concat!("`", stringify!($get_in), "`.")]
        pub async fn $get(
            front: &S3Front,
            req: S3Request<$get_in>,
        ) -> S3Result<S3Response<$get_out>> {
            let who = front.who(&req);
            let bucket = front.read_bucket(
                &who,
                &req.input.bucket,
                req.input.expected_bucket_owner.as_deref(),
                $get_action,
            )?;
            match stored(&bucket, $name) {
                Some(config) => Ok(S3Response::new($out(config))),
                None => $missing,
            }
        }

        #[doc = concat!("`", stringify!($put_in), "`.")]
        pub async fn $put(
            front: &S3Front,
            req: S3Request<$put_in>,
        ) -> S3Result<S3Response<$put_out>> {
            let who = front.who(&req);
            let input = req.input;
            let value = to_json(&input.$field).map_err(s3_error)?;
            front.change_bucket(
                &who,
                &input.bucket,
                input.expected_bucket_owner.as_deref(),
                $put_action,
                |_, bucket| {
                    bucket.configs.insert($name.to_owned(), value.clone());
                    Ok(())
                },
            )?;
            Ok(S3Response::new($put_out::default()))
        }

        #[doc = concat!("`", stringify!($del_in), "`.")]
        pub async fn $delete(
            front: &S3Front,
            req: S3Request<$del_in>,
        ) -> S3Result<S3Response<$del_out>> {
            let who = front.who(&req);
            front.change_bucket(
                &who,
                &req.input.bucket,
                req.input.expected_bucket_owner.as_deref(),
                $put_action,
                |_, bucket| {
                    bucket.configs.remove($name);
                    Ok(())
                },
            )?;
            Ok(no_content($del_out::default()))
        }
    };
}

stored_config!(
    get_encryption,
    put_encryption,
    delete_encryption,
    "encryption",
    GetBucketEncryptionInput,
    GetBucketEncryptionOutput,
    PutBucketEncryptionInput,
    PutBucketEncryptionOutput,
    DeleteBucketEncryptionInput,
    DeleteBucketEncryptionOutput,
    server_side_encryption_configuration,
    "s3:GetEncryptionConfiguration",
    "s3:PutEncryptionConfiguration",
    // Every bucket encrypts with SSE-S3 unless configured otherwise.
    Ok(S3Response::new(GetBucketEncryptionOutput {
        server_side_encryption_configuration: Some(ServerSideEncryptionConfiguration {
            rules: vec![ServerSideEncryptionRule {
                apply_server_side_encryption_by_default: Some(ServerSideEncryptionByDefault {
                    sse_algorithm: ServerSideEncryption::from_static(ServerSideEncryption::AES256),
                    kms_master_key_id: None,
                }),
                bucket_key_enabled: Some(false),
            }],
        }),
    })),
    |c| GetBucketEncryptionOutput {
        server_side_encryption_configuration: Some(c)
    }
);

stored_config!(
    get_lifecycle,
    put_lifecycle,
    delete_lifecycle,
    "lifecycle",
    GetBucketLifecycleConfigurationInput,
    GetBucketLifecycleConfigurationOutput,
    PutBucketLifecycleConfigurationInput,
    PutBucketLifecycleConfigurationOutput,
    DeleteBucketLifecycleInput,
    DeleteBucketLifecycleOutput,
    lifecycle_configuration,
    "s3:GetLifecycleConfiguration",
    "s3:PutLifecycleConfiguration",
    Err(not_found(
        "NoSuchLifecycleConfiguration",
        "The lifecycle configuration does not exist"
    )),
    |c: BucketLifecycleConfiguration| GetBucketLifecycleConfigurationOutput {
        rules: Some(c.rules),
        ..Default::default()
    }
);

stored_config!(
    get_cors,
    put_cors,
    delete_cors,
    "cors",
    GetBucketCorsInput,
    GetBucketCorsOutput,
    PutBucketCorsInput,
    PutBucketCorsOutput,
    DeleteBucketCorsInput,
    DeleteBucketCorsOutput,
    cors_configuration,
    "s3:GetBucketCORS",
    "s3:PutBucketCORS",
    Err(not_found(
        "NoSuchCORSConfiguration",
        "The CORS configuration does not exist"
    )),
    |c: CORSConfiguration| GetBucketCorsOutput {
        cors_rules: Some(c.cors_rules)
    }
);

/// `GetBucketTagging`.
pub async fn get_tagging(
    front: &S3Front,
    req: S3Request<GetBucketTaggingInput>,
) -> S3Result<S3Response<GetBucketTaggingOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketTagging",
    )?;
    match bucket.tags {
        Some(tags) => Ok(S3Response::new(GetBucketTaggingOutput {
            tag_set: crate::objects::tag_set(&tags),
        })),
        None => Err(not_found("NoSuchTagSet", "The TagSet does not exist")),
    }
}

/// `PutBucketTagging`: up to 50 tags.
pub async fn put_tagging(
    front: &S3Front,
    req: S3Request<PutBucketTaggingInput>,
) -> S3Result<S3Response<PutBucketTaggingOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let tags = crate::objects::tags_of(&input.tagging.tag_set);
    if tags.len() > 50 {
        return Err(s3_error(ApiError::new(
            "InvalidTag",
            400,
            "Bucket tag count cannot be greater than 50",
        )));
    }
    let mut keys: Vec<&String> = tags.iter().map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    if keys.len() != tags.len() {
        return Err(s3_error(ApiError::new(
            "InvalidTag",
            400,
            "Cannot provide multiple Tags with the same key",
        )));
    }
    front.change_bucket(
        &who,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutBucketTagging",
        |_, bucket| {
            bucket.tags = Some(tags.clone());
            Ok(())
        },
    )?;
    Ok(no_content(PutBucketTaggingOutput {}))
}

/// `DeleteBucketTagging`.
pub async fn delete_tagging(
    front: &S3Front,
    req: S3Request<DeleteBucketTaggingInput>,
) -> S3Result<S3Response<DeleteBucketTaggingOutput>> {
    let who = front.who(&req);
    front.change_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketTagging",
        |_, bucket| {
            bucket.tags = None;
            Ok(())
        },
    )?;
    Ok(no_content(DeleteBucketTaggingOutput {}))
}

/// The ACL of a bucket or object with ACLs disabled: the owner has full control.
fn owner_acl(owner: &str) -> (Option<Vec<Grant>>, Option<Owner>) {
    let grantee = Grantee {
        id: Some(core::canonical_id(owner)),
        type_: Type::from_static(Type::CANONICAL_USER),
        display_name: None,
        email_address: None,
        uri: None,
    };
    (
        Some(vec![Grant {
            grantee: Some(grantee),
            permission: Some(Permission::from_static(Permission::FULL_CONTROL)),
        }]),
        Some(core::owner(owner)),
    )
}

/// `GetBucketAcl`.
pub async fn get_acl(
    front: &S3Front,
    req: S3Request<GetBucketAclInput>,
) -> S3Result<S3Response<GetBucketAclOutput>> {
    let who = front.who(&req);
    let bucket = front.read_bucket(
        &who,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketAcl",
    )?;
    let (grants, owner) = owner_acl(&bucket.owner);
    Ok(S3Response::new(GetBucketAclOutput { grants, owner }))
}

/// `PutBucketAcl`: only the private ACL, while ACLs are disabled.
pub async fn put_acl(
    front: &S3Front,
    req: S3Request<PutBucketAclInput>,
) -> S3Result<S3Response<PutBucketAclOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let private = input.acl.as_ref().is_some_and(|a| a.as_str() == "private");
    front.change_bucket(
        &who,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutBucketAcl",
        |_, bucket| {
            let enforced = bucket
                .ownership
                .as_deref()
                .is_none_or(|o| o == "BucketOwnerEnforced");
            if enforced && !private {
                return Err(crate::buckets::acl_not_supported());
            }
            Ok(())
        },
    )?;
    Ok(S3Response::new(PutBucketAclOutput {}))
}

/// `GetObjectAcl`.
pub async fn get_object_acl(
    front: &S3Front,
    req: S3Request<GetObjectAclInput>,
) -> S3Result<S3Response<GetObjectAclOutput>> {
    let who = front.who(&req);
    let input = req.input;
    let owner = front.read(&who, |ctx| {
        let bucket = front.bucket_for(
            ctx,
            &input.bucket,
            input.expected_bucket_owner.as_deref(),
            "s3:GetObjectAcl",
            Some(&input.key),
            &Vec::new(),
        )?;
        crate::versions::find(
            ctx.tx.read(),
            &input.bucket,
            &input.key,
            input.version_id.as_deref(),
        )?
        .filter(|o| !o.delete_marker)
        .map(|_| bucket.owner)
        .ok_or_else(|| core::no_such_key(&input.key))
    })?;
    let (grants, owner) = owner_acl(&owner);
    Ok(S3Response::new(GetObjectAclOutput {
        grants,
        owner,
        ..Default::default()
    }))
}

/// Sub-resources localorg does not configure, answered as for an unconfigured bucket.
macro_rules! unconfigured {
    ($name:ident, $input:ident, $output:ident, $action:literal, $answer:expr) => {
        #[doc = concat!("`", stringify!($input), "` of an unconfigured bucket.")]
        pub async fn $name(
            front: &S3Front,
            req: S3Request<$input>,
        ) -> S3Result<S3Response<$output>> {
            let who = front.who(&req);
            front.read_bucket(
                &who,
                &req.input.bucket,
                req.input.expected_bucket_owner.as_deref(),
                $action,
            )?;
            $answer
        }
    };
}

unconfigured!(
    get_website,
    GetBucketWebsiteInput,
    GetBucketWebsiteOutput,
    "s3:GetBucketWebsite",
    Err(not_found(
        "NoSuchWebsiteConfiguration",
        "The specified bucket does not have a website configuration"
    ))
);
unconfigured!(
    get_logging,
    GetBucketLoggingInput,
    GetBucketLoggingOutput,
    "s3:GetBucketLogging",
    Ok(S3Response::new(GetBucketLoggingOutput::default()))
);
unconfigured!(
    get_replication,
    GetBucketReplicationInput,
    GetBucketReplicationOutput,
    "s3:GetReplicationConfiguration",
    Err(not_found(
        "ReplicationConfigurationNotFoundError",
        "The replication configuration was not found"
    ))
);
unconfigured!(
    get_accelerate,
    GetBucketAccelerateConfigurationInput,
    GetBucketAccelerateConfigurationOutput,
    "s3:GetAccelerateConfiguration",
    Ok(S3Response::new(
        GetBucketAccelerateConfigurationOutput::default()
    ))
);
unconfigured!(
    get_request_payment,
    GetBucketRequestPaymentInput,
    GetBucketRequestPaymentOutput,
    "s3:GetBucketRequestPayment",
    Ok(S3Response::new(GetBucketRequestPaymentOutput {
        payer: Some(Payer::from_static(Payer::BUCKET_OWNER))
    }))
);
unconfigured!(
    get_notification,
    GetBucketNotificationConfigurationInput,
    GetBucketNotificationConfigurationOutput,
    "s3:GetBucketNotification",
    Ok(S3Response::new(
        GetBucketNotificationConfigurationOutput::default()
    ))
);

/// Deleting configurations localorg never stores (website, replication): nothing to remove.
macro_rules! nothing_to_delete {
    ($name:ident, $input:ident, $output:ident, $action:literal) => {
        #[doc = concat!("`", stringify!($input), "`: the bucket has none.")]
        pub async fn $name(
            front: &S3Front,
            req: S3Request<$input>,
        ) -> S3Result<S3Response<$output>> {
            let who = front.who(&req);
            front.read_bucket(
                &who,
                &req.input.bucket,
                req.input.expected_bucket_owner.as_deref(),
                $action,
            )?;
            Ok(no_content($output::default()))
        }
    };
}

nothing_to_delete!(
    delete_website,
    DeleteBucketWebsiteInput,
    DeleteBucketWebsiteOutput,
    "s3:DeleteBucketWebsite"
);
nothing_to_delete!(
    delete_replication,
    DeleteBucketReplicationInput,
    DeleteBucketReplicationOutput,
    "s3:PutReplicationConfiguration"
);

/// Listing configurations localorg never stores (analytics, inventory, metrics, Intelligent-Tiering):
/// empty lists.
macro_rules! empty_list {
    ($name:ident, $input:ident, $output:ident, $action:literal) => {
        #[doc = concat!("`", stringify!($input), "`: an empty list.")]
        pub async fn $name(
            front: &S3Front,
            req: S3Request<$input>,
        ) -> S3Result<S3Response<$output>> {
            let who = front.who(&req);
            front.read_bucket(
                &who,
                &req.input.bucket,
                req.input.expected_bucket_owner.as_deref(),
                $action,
            )?;
            Ok(S3Response::new($output {
                is_truncated: Some(false),
                ..Default::default()
            }))
        }
    };
}

empty_list!(
    list_analytics,
    ListBucketAnalyticsConfigurationsInput,
    ListBucketAnalyticsConfigurationsOutput,
    "s3:GetAnalyticsConfiguration"
);
empty_list!(
    list_inventory,
    ListBucketInventoryConfigurationsInput,
    ListBucketInventoryConfigurationsOutput,
    "s3:GetInventoryConfiguration"
);
empty_list!(
    list_metrics,
    ListBucketMetricsConfigurationsInput,
    ListBucketMetricsConfigurationsOutput,
    "s3:GetMetricsConfiguration"
);
