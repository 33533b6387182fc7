//! Managed session policies (`PolicyArns`) and the `AssumeRoot` task policies.

use localorg_model::ApiError;
use localorg_store::ReadTx;

use crate::iam::core::{name_key, POLICIES};

/// True when `arn` names a managed policy a session in `account_id` may use: an AWS managed policy,
/// or a customer managed policy of that same account (AWS: "customer managed policies must be in
/// the same account as the role").
pub fn managed_policy_exists(
    tx: &dyn ReadTx,
    account_id: &str,
    arn: &str,
) -> Result<bool, ApiError> {
    if let Some(path_and_name) = arn.strip_prefix("arn:aws:iam::aws:policy/") {
        return Ok(crate::iam::core::aws_managed_policy_known(&format!(
            "arn:aws:iam::aws:policy/{path_and_name}"
        )));
    }
    let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
        return Ok(false);
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return Ok(false);
    };
    if account != account_id {
        return Ok(false);
    }
    let Some(path_and_name) = resource.strip_prefix("policy") else {
        return Ok(false);
    };
    let Some((path, name)) = path_and_name.rsplit_once('/') else {
        return Ok(false);
    };
    Ok(POLICIES
        .get(tx, &name_key(account, name))?
        .is_some_and(|p| p.path == format!("{path}/") && p.name == name))
}

/// The AWS managed task policies `AssumeRoot` accepts, with their documents (the permissions AWS
/// documents for each privileged task).
pub const ROOT_TASK_POLICIES: &[(&str, &str)] = &[
    (
        "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"AuditRootUserCredentials","Effect":"Allow","Action":["iam:GetAccountSummary","iam:GetLoginProfile","iam:GetUser","iam:ListAccessKeys","iam:ListMFADevices","iam:ListSigningCertificates"],"Resource":"*"}]}"#,
    ),
    (
        "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"CreateRootUserPassword","Effect":"Allow","Action":["iam:CreateLoginProfile","iam:GetLoginProfile","iam:GetUser"],"Resource":"*"}]}"#,
    ),
    (
        "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"DeleteRootUserCredentials","Effect":"Allow","Action":["iam:DeactivateMFADevice","iam:DeleteAccessKey","iam:DeleteLoginProfile","iam:DeleteSigningCertificate","iam:DeleteVirtualMFADevice","iam:GetAccessKeyLastUsed","iam:GetLoginProfile","iam:GetUser","iam:ListAccessKeys","iam:ListMFADevices","iam:ListSigningCertificates"],"Resource":"*"}]}"#,
    ),
    (
        "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"UnlockBucketPolicy","Effect":"Allow","Action":["s3:DeleteBucketPolicy","s3:GetBucketPolicy","s3:PutBucketPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"UnlockQueuePolicy","Effect":"Allow","Action":["sqs:GetQueueAttributes","sqs:SetQueueAttributes"],"Resource":"*"}]}"#,
    ),
];

/// The document of an `AssumeRoot` task policy.
pub fn root_task_policy(arn: &str) -> Option<&'static str> {
    ROOT_TASK_POLICIES
        .iter()
        .find(|(a, _)| *a == arn)
        .map(|(_, doc)| *doc)
}
