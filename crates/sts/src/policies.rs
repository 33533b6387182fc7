//! The `AssumeRoot` task policies.

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
