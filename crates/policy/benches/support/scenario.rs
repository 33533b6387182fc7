//! The benchmark scenario, shared by `benches/decide.rs` and `examples/throughput.rs`:
//! a 10-statement identity policy, a 3-level SCP chain and a permissions boundary.

use localorg_policy::{CompiledPolicy, PolicySet, PolicyType, Principal, PrincipalType, Request};
use std::sync::Arc;

const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"Ec2Read","Effect":"Allow","Action":["ec2:Describe*","ec2:Get*"],"Resource":"*"},
 {"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:111122223333:log-group:/app/*"},
 {"Sid":"Dynamo","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders"},
 {"Sid":"Sqs","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:*:111122223333:jobs-*"},
 {"Sid":"KmsViaS3","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}},
 {"Sid":"HomeList","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::corp-data","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},
 {"Sid":"HomeRW","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::corp-data/home/${aws:username}/*"},
 {"Sid":"TeamRead","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-*/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},
 {"Sid":"NoIamWrite","Effect":"Deny","Action":["iam:Create*","iam:Delete*","iam:Put*","iam:Attach*"],"Resource":"*"},
 {"Sid":"OfficeOnly","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}
]}"#;

const SCP_ROOT: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const SCP_OU: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"Regions","Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*","support:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}},
 {"Sid":"Allow","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const SCP_ACCT: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"NoLeave","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"},
 {"Sid":"ProtectRoles","Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::*:role/OrgAdmin","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/OrgAdmin"}}},
 {"Sid":"Allow","Effect":"Allow","Action":["s3:*","ec2:*","logs:*","dynamodb:*","sqs:*","kms:*"],"Resource":"*"}]}"#;
const BOUNDARY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"Services","Effect":"Allow","Action":["s3:*","ec2:*","logs:*","dynamodb:*","sqs:*","kms:*"],"Resource":"*"},
 {"Sid":"NoBoundaryEdit","Effect":"Deny","Action":"iam:DeleteUserPermissionsBoundary","Resource":"*"}]}"#;

fn compile(text: &str, id: &str, kind: PolicyType) -> Arc<CompiledPolicy> {
    Arc::new(CompiledPolicy::compile(text, id, kind).expect("benchmark policy compiles"))
}

pub fn setup() -> (PolicySet, Request) {
    let set = PolicySet {
        identity: vec![compile(
            IDENTITY,
            "arn:aws:iam::111122223333:policy/App",
            PolicyType::Identity,
        )],
        boundary: Some(compile(
            BOUNDARY,
            "arn:aws:iam::111122223333:policy/Boundary",
            PolicyType::Boundary,
        )),
        scps: vec![
            vec![compile(SCP_ROOT, "p-FullAWSAccess", PolicyType::Scp)],
            vec![compile(SCP_OU, "p-regions", PolicyType::Scp)],
            vec![compile(SCP_ACCT, "p-account", PolicyType::Scp)],
        ],
        ..PolicySet::default()
    };
    let mut alice = Principal::new(
        PrincipalType::User,
        "arn:aws:iam::111122223333:user/alice",
        "111122223333",
    );
    alice.tags.push(("team".into(), "red".into()));
    let req = Request::new(
        alice,
        "s3:GetObject",
        "arn:aws:s3:::corp-data/home/alice/notes.txt",
    )
    .with_resource_account("111122223333")
    .with_context("aws:SourceIp", "10.1.2.3")
    .with_context("aws:RequestedRegion", "us-east-1")
    .with_context("aws:ViaAWSService", "false")
    .with_context("aws:SecureTransport", "true");
    (set, req)
}
