//! The workloads: an unmeasured setup (bring the server into the state the workload needs), then
//! measured operations, each one or more signed requests.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::client::{Answer, Api, Conn, Creds, Protocol, IAM, ORGANIZATIONS, STS};
use crate::s3::{self, S3State};
use crate::stats::Recorder;
use crate::target::Endpoint;

/// IAM Identity Center admin API (signs as `sso`).
const SSO_ADMIN: Api = Api {
    signing_name: "sso",
    protocol: Protocol::Json11 {
        target_prefix: "SWBExternalService",
    },
};
/// Identity Store.
const IDENTITY_STORE: Api = Api {
    signing_name: "identitystore",
    protocol: Protocol::Json11 {
        target_prefix: "AWSIdentityStore",
    },
};

/// Page size used for every `ListAccounts*` call (AWS's maximum), the same for every server.
const PAGE_SIZE: u64 = 20;
/// Upper bound on pages walked in one pagination.
const MAX_PAGES: usize = 5_000;
/// Upper bound on `DescribeCreateAccountStatus` polls per account.
const MAX_POLLS: u32 = 200;

/// A named workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    /// STS `GetCallerIdentity` (throughput).
    GetCallerIdentity,
    /// Organizations `DescribeOrganization` (throughput; creates the organization if needed).
    DescribeOrganization,
    /// Organizations `DescribeAccount` of a random member (throughput).
    DescribeAccount,
    /// One op = a full `ListAccounts` pagination (20 per page).
    ListAccounts,
    /// Sequential `CreateAccount`, each polled with `DescribeCreateAccountStatus` until it is done.
    CreateAccounts,
    /// Grows the organization to `--accounts` accounts with concurrent `CreateAccount` calls.
    SeedAccounts,
    /// One op = `CreateOrganizationalUnit` under the root + `MoveAccount` of a root account into it.
    OuMove,
    /// One op = `AssumeRole` into a member's `OrganizationAccountAccessRole` + `GetCallerIdentity`
    /// with the new credentials.
    AssumeRole,
    /// `DescribeOrganization` from a member account three OUs deep whose SCP chain denies it
    /// (an `AccessDenied` answer is the success).
    ScpDenied,
    /// One op = Identity Store `CreateUser` + `CreateAccountAssignment` of a permission set.
    IcAssignments,
    /// One op = Identity Store `CreateUser` + `GetUserId` by user name.
    IcUsers,
    /// S3 `PutObject` of a 4 KB body under a new key, into a bucket the setup creates.
    #[value(name = "s3-put-4k")]
    S3Put4k,
    /// S3 `GetObject` of 4 KB objects (the setup puts 100, ops read them round-robin).
    #[value(name = "s3-get-4k")]
    S3Get4k,
    /// One multipart upload of `--size-mb` MB in 8 MB parts (`--connections` parts in flight; an
    /// op = one `UploadPart`), then `CompleteMultipartUpload` and a streamed `GetObject` of the
    /// whole object; upload and download MB/s are reported.
    S3Multipart,
}

impl Workload {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::GetCallerIdentity => "get-caller-identity",
            Self::DescribeOrganization => "describe-organization",
            Self::DescribeAccount => "describe-account",
            Self::ListAccounts => "list-accounts",
            Self::CreateAccounts => "create-accounts",
            Self::SeedAccounts => "seed-accounts",
            Self::OuMove => "ou-move",
            Self::AssumeRole => "assume-role",
            Self::ScpDenied => "scp-denied",
            Self::IcAssignments => "ic-assignments",
            Self::IcUsers => "ic-users",
            Self::S3Put4k => "s3-put-4k",
            Self::S3Get4k => "s3-get-4k",
            Self::S3Multipart => "s3-multipart",
        }
    }

    /// Whether ops must run one at a time on one connection.
    pub fn sequential(self) -> bool {
        matches!(self, Self::CreateAccounts)
    }
}

/// How a setup or op failed.
#[derive(Debug)]
pub enum Failure {
    /// The server does not implement `operation`.
    NotImplemented(String),
    /// Anything else.
    Error(String),
}

impl Failure {
    /// The failure of `operation` that answered `a`.
    pub fn from_answer(operation: &str, a: &Answer) -> Self {
        if a.not_implemented() {
            Self::NotImplemented(operation.to_owned())
        } else {
            let code = a.error.clone().unwrap_or_else(|| "Unexpected".to_owned());
            let detail = String::from_utf8_lossy(&a.body);
            let detail: String = detail.chars().take(300).collect();
            Self::Error(format!("{operation}: {code} ({}) {detail}", a.status))
        }
    }
}

/// The state a workload's ops share, prepared by [`setup`].
pub struct Prepared {
    /// The workload.
    pub workload: Workload,
    /// The management account's root credentials.
    pub creds: Creds,
    /// Unique prefix for names and emails created by this run.
    pub nonce: String,
    /// Member account ids to operate on.
    pub accounts: Vec<String>,
    /// The organization root id.
    pub root_id: String,
    /// Credentials of a role session in a member account (scp-denied).
    pub assumed: Option<Creds>,
    /// Identity Center instance ARN, identity store id and permission set ARN.
    pub identity_center: Option<(String, String, String)>,
    /// Upper bound on ops the workload can run (e.g. accounts still to create).
    pub max_ops: Option<u64>,
    /// Facts to report (accounts present, setup notes).
    pub extra: Map<String, Value>,
    /// The last pagination's account count (list-accounts).
    pub seen: AtomicU64,
    /// The bucket, bodies and upload of an S3 workload.
    pub s3: Option<S3State>,
}

type SetupResult<T> = Result<T, Failure>;

async fn must(
    conn: &mut Conn,
    api: Api,
    operation: &str,
    params: Value,
    creds: &Creds,
) -> SetupResult<Answer> {
    let a = conn.call(api, operation, &params, creds).await;
    if a.ok() {
        Ok(a)
    } else {
        Err(Failure::from_answer(operation, &a))
    }
}

fn string_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_owned)
}

/// Creates the organization unless the caller is already in one; returns the management account id.
async fn ensure_org(conn: &mut Conn, creds: &Creds) -> SetupResult<String> {
    let a = conn
        .call(ORGANIZATIONS, "DescribeOrganization", &json!({}), creds)
        .await;
    let a = if a.error.as_deref() == Some("AWSOrganizationsNotInUseException") {
        must(
            conn,
            ORGANIZATIONS,
            "CreateOrganization",
            json!({"FeatureSet": "ALL"}),
            creds,
        )
        .await?
    } else if a.ok() {
        a
    } else {
        return Err(Failure::from_answer("DescribeOrganization", &a));
    };
    string_at(&a.json(), &["Organization", "MasterAccountId"])
        .ok_or_else(|| Failure::Error("DescribeOrganization: no MasterAccountId".to_owned()))
}

async fn root_id(conn: &mut Conn, creds: &Creds) -> SetupResult<String> {
    let a = must(conn, ORGANIZATIONS, "ListRoots", json!({}), creds).await?;
    a.json()
        .get("Roots")
        .and_then(|r| r.get(0))
        .and_then(|r| r.get("Id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Failure::Error("ListRoots: no root".to_owned()))
}

/// Walks `operation` (`ListAccounts` or `ListAccountsForParent`) and returns up to `limit` ids.
async fn list_account_ids(
    conn: &mut Conn,
    creds: &Creds,
    operation: &str,
    base: Value,
    limit: usize,
) -> SetupResult<Vec<String>> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut params = base.clone();
        if let Value::Object(m) = &mut params {
            m.insert("MaxResults".into(), json!(PAGE_SIZE));
            if let Some(t) = &token {
                m.insert("NextToken".into(), json!(t));
            }
        }
        let page = must(conn, ORGANIZATIONS, operation, params, creds)
            .await?
            .json();
        if let Some(list) = page.get("Accounts").and_then(Value::as_array) {
            ids.extend(
                list.iter()
                    .filter_map(|a| a.get("Id").and_then(Value::as_str).map(str::to_owned)),
            );
        }
        token = string_at(&page, &["NextToken"]).filter(|t| !t.is_empty());
        if token.is_none() || ids.len() >= limit {
            break;
        }
    }
    ids.truncate(limit);
    Ok(ids)
}

/// Creates one account and polls until it is no longer `IN_PROGRESS`; the new account id.
async fn create_account(
    conn: &mut Conn,
    creds: &Creds,
    nonce: &str,
    n: u64,
    requests: &mut u64,
) -> SetupResult<String> {
    *requests = requests.saturating_add(1);
    let a = must(
        conn,
        ORGANIZATIONS,
        "CreateAccount",
        json!({"Email": format!("{nonce}-{n}@example.com"), "AccountName": format!("{nonce}-{n}")}),
        creds,
    )
    .await?;
    let id = string_at(&a.json(), &["CreateAccountStatus", "Id"])
        .ok_or_else(|| Failure::Error("CreateAccount: no request id".to_owned()))?;
    for poll in 0..MAX_POLLS {
        if poll > 0 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        *requests = requests.saturating_add(1);
        let s = must(
            conn,
            ORGANIZATIONS,
            "DescribeCreateAccountStatus",
            json!({"CreateAccountRequestId": id}),
            creds,
        )
        .await?
        .json();
        match string_at(&s, &["CreateAccountStatus", "State"]).as_deref() {
            Some("SUCCEEDED") => {
                return string_at(&s, &["CreateAccountStatus", "AccountId"]).ok_or_else(|| {
                    Failure::Error("DescribeCreateAccountStatus: no AccountId".to_owned())
                })
            }
            Some("IN_PROGRESS") => {}
            other => {
                let reason = string_at(&s, &["CreateAccountStatus", "FailureReason"]);
                return Err(Failure::Error(format!(
                    "CreateAccount ended {other:?} ({reason:?})"
                )));
            }
        }
    }
    Err(Failure::Error(
        "CreateAccount: still IN_PROGRESS after polling".to_owned(),
    ))
}

/// One member account id (creating one if the organization has none).
async fn some_member(
    conn: &mut Conn,
    creds: &Creds,
    nonce: &str,
    master: &str,
) -> SetupResult<String> {
    let ids = list_account_ids(conn, creds, "ListAccounts", json!({}), 100).await?;
    if let Some(id) = ids.into_iter().find(|i| i != master) {
        return Ok(id);
    }
    let mut n = 0;
    create_account(conn, creds, &format!("{nonce}-m"), 0, &mut n).await
}

/// An administrator IAM user of the management account, signing with its own access key: root users
/// cannot assume roles (AWS refuses `AssumeRole` with root credentials), an administrator can.
async fn admin_user(conn: &mut Conn, root: &Creds, nonce: &str) -> SetupResult<Creds> {
    let name = format!("{nonce}-admin");
    must(conn, IAM, "CreateUser", json!({"UserName": name}), root).await?;
    // An inline policy rather than the AWS managed AdministratorAccess: moto_server only knows AWS
    // managed policies when started with MOTO_IAM_LOAD_MANAGED_POLICIES.
    let admin = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    });
    must(
        conn,
        IAM,
        "PutUserPolicy",
        json!({"UserName": name, "PolicyName": "admin", "PolicyDocument": admin.to_string()}),
        root,
    )
    .await?;
    let key = must(
        conn,
        IAM,
        "CreateAccessKey",
        json!({"UserName": name}),
        root,
    )
    .await?;
    match (key.xml("AccessKeyId"), key.xml("SecretAccessKey")) {
        (Some(access_key), Some(secret_key)) => Ok(Creds {
            access_key,
            secret_key,
            token: None,
        }),
        _ => Err(Failure::Error(
            "CreateAccessKey: no key in the answer".to_owned(),
        )),
    }
}

async fn assume(
    conn: &mut Conn,
    creds: &Creds,
    account: &str,
    session: &str,
) -> Result<Creds, Failure> {
    let a = conn
        .call(
            STS,
            "AssumeRole",
            &json!({
                "RoleArn": format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole"),
                "RoleSessionName": session,
            }),
            creds,
        )
        .await;
    if !a.ok() {
        return Err(Failure::from_answer("AssumeRole", &a));
    }
    match (
        a.xml("AccessKeyId"),
        a.xml("SecretAccessKey"),
        a.xml("SessionToken"),
    ) {
        (Some(access_key), Some(secret_key), Some(token)) => Ok(Creds {
            access_key,
            secret_key,
            token: Some(token),
        }),
        _ => Err(Failure::Error(
            "AssumeRole: no credentials in the answer".to_owned(),
        )),
    }
}

async fn create_ou(
    conn: &mut Conn,
    creds: &Creds,
    parent: &str,
    name: &str,
) -> SetupResult<String> {
    let a = must(
        conn,
        ORGANIZATIONS,
        "CreateOrganizationalUnit",
        json!({"ParentId": parent, "Name": name}),
        creds,
    )
    .await?;
    string_at(&a.json(), &["OrganizationalUnit", "Id"])
        .ok_or_else(|| Failure::Error("CreateOrganizationalUnit: no Id".to_owned()))
}

/// Prepares the server for `workload`. `count` bounds ops (and sizes setups); `accounts` is the
/// target organization size for `seed-accounts`; `size_mb` the object size of `s3-multipart`.
pub async fn setup(
    workload: Workload,
    endpoint: &Endpoint,
    region: &str,
    creds: Creds,
    count: u64,
    accounts: u64,
    size_mb: u64,
) -> Result<Prepared, Failure> {
    let mut conn = Conn::new(endpoint.clone(), region);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let nonce = format!("lg{}x{}", nanos % 10_000_000_000_000, std::process::id());
    let mut p = Prepared {
        workload,
        creds,
        nonce,
        accounts: Vec::new(),
        root_id: String::new(),
        assumed: None,
        identity_center: None,
        max_ops: None,
        extra: Map::new(),
        seen: AtomicU64::new(0),
        s3: None,
    };
    let creds = p.creds.clone();
    match workload {
        Workload::GetCallerIdentity => {
            must(&mut conn, STS, "GetCallerIdentity", json!({}), &creds).await?;
        }
        Workload::DescribeOrganization | Workload::CreateAccounts => {
            ensure_org(&mut conn, &creds).await?;
        }
        Workload::ListAccounts => {
            ensure_org(&mut conn, &creds).await?;
        }
        Workload::DescribeAccount => {
            let master = ensure_org(&mut conn, &creds).await?;
            p.accounts =
                list_account_ids(&mut conn, &creds, "ListAccounts", json!({}), 1000).await?;
            if p.accounts.is_empty() {
                p.accounts.push(master);
            }
        }
        Workload::SeedAccounts => {
            ensure_org(&mut conn, &creds).await?;
            let have = list_account_ids(&mut conn, &creds, "ListAccounts", json!({}), usize::MAX)
                .await?
                .len();
            let have = u64::try_from(have).unwrap_or(u64::MAX);
            p.extra.insert("accounts_before".into(), json!(have));
            p.max_ops = Some(accounts.saturating_sub(have));
        }
        Workload::OuMove => {
            ensure_org(&mut conn, &creds).await?;
            p.root_id = root_id(&mut conn, &creds).await?;
            let limit = usize::try_from(count).unwrap_or(usize::MAX);
            p.accounts = list_account_ids(
                &mut conn,
                &creds,
                "ListAccountsForParent",
                json!({"ParentId": p.root_id}),
                limit.saturating_add(1),
            )
            .await?;
            // Keep the management account where it is (moving it is allowed, but keep it simple).
            let master = ensure_org(&mut conn, &creds).await?;
            p.accounts.retain(|a| *a != master);
            if p.accounts.is_empty() {
                return Err(Failure::Error(
                    "ou-move: no member accounts under the root (seed some first)".to_owned(),
                ));
            }
            p.max_ops = Some(u64::try_from(p.accounts.len()).unwrap_or(u64::MAX));
        }
        Workload::AssumeRole => {
            let master = ensure_org(&mut conn, &creds).await?;
            let member = some_member(&mut conn, &creds, &p.nonce, &master).await?;
            p.accounts.push(member);
            // Every op assumes the role as the management account's administrator user.
            p.creds = admin_user(&mut conn, &creds, &p.nonce).await?;
        }
        Workload::ScpDenied => {
            let master = ensure_org(&mut conn, &creds).await?;
            p.root_id = root_id(&mut conn, &creds).await?;
            let a = conn
                .call(
                    ORGANIZATIONS,
                    "EnablePolicyType",
                    &json!({"RootId": p.root_id, "PolicyType": "SERVICE_CONTROL_POLICY"}),
                    &creds,
                )
                .await;
            if !a.ok() && a.error.as_deref() != Some("PolicyTypeAlreadyEnabledException") {
                return Err(Failure::from_answer("EnablePolicyType", &a));
            }
            let l1 = create_ou(&mut conn, &creds, &p.root_id, &format!("{}-l1", p.nonce)).await?;
            let l2 = create_ou(&mut conn, &creds, &l1, &format!("{}-l2", p.nonce)).await?;
            let l3 = create_ou(&mut conn, &creds, &l2, &format!("{}-l3", p.nonce)).await?;
            let mut n = 0;
            let member =
                create_account(&mut conn, &creds, &format!("{}-scp", p.nonce), 0, &mut n).await?;
            must(
                &mut conn,
                ORGANIZATIONS,
                "MoveAccount",
                json!({"AccountId": member, "SourceParentId": p.root_id, "DestinationParentId": l3}),
                &creds,
            )
            .await?;
            let content = json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "DenyDescribeOrganization",
                    "Effect": "Deny",
                    "Action": "organizations:DescribeOrganization",
                    "Resource": "*",
                }],
            });
            let policy = must(
                &mut conn,
                ORGANIZATIONS,
                "CreatePolicy",
                json!({
                    "Name": format!("{}-deny", p.nonce),
                    "Description": "loadgen scp-denied",
                    "Type": "SERVICE_CONTROL_POLICY",
                    "Content": content.to_string(),
                }),
                &creds,
            )
            .await?;
            let policy_id = string_at(&policy.json(), &["Policy", "PolicySummary", "Id"])
                .ok_or_else(|| Failure::Error("CreatePolicy: no Id".to_owned()))?;
            must(
                &mut conn,
                ORGANIZATIONS,
                "AttachPolicy",
                json!({"PolicyId": policy_id, "TargetId": l2}),
                &creds,
            )
            .await?;
            let admin = admin_user(&mut conn, &creds, &p.nonce).await?;
            p.assumed = Some(assume(&mut conn, &admin, &member, "loadgen-scp").await?);
            p.extra.insert("member".into(), json!(member));
            p.extra.insert("master".into(), json!(master));
        }
        Workload::IcUsers => {
            let (arn, store) = ensure_instance(&mut conn, &creds).await?;
            p.identity_center = Some((arn, store, String::new()));
        }
        Workload::IcAssignments => {
            let master = ensure_org(&mut conn, &creds).await?;
            let (arn, store) = ensure_instance(&mut conn, &creds).await?;
            let ps = must(
                &mut conn,
                SSO_ADMIN,
                "CreatePermissionSet",
                json!({"InstanceArn": arn, "Name": format!("{}", p.nonce)}),
                &creds,
            )
            .await?;
            let ps_arn = string_at(&ps.json(), &["PermissionSet", "PermissionSetArn"])
                .ok_or_else(|| Failure::Error("CreatePermissionSet: no ARN".to_owned()))?;
            let member = some_member(&mut conn, &creds, &p.nonce, &master).await?;
            p.accounts.push(member);
            p.identity_center = Some((arn, store, ps_arn));
        }
        Workload::S3Put4k | Workload::S3Get4k | Workload::S3Multipart => {
            let (state, max_ops, extra) =
                s3::setup(workload, &mut conn, &creds, &p.nonce, region, size_mb).await?;
            p.s3 = Some(state);
            p.max_ops = max_ops;
            p.extra = extra;
        }
    }
    Ok(p)
}

/// The caller's Identity Center instance (ARN, identity store id): the first `ListInstances`
/// lists, created with `CreateInstance` when there is none (localorg; moto lists one from the start).
async fn ensure_instance(conn: &mut Conn, creds: &Creds) -> Result<(String, String), Failure> {
    for attempt in 0..2 {
        let inst = must(conn, SSO_ADMIN, "ListInstances", json!({}), creds)
            .await?
            .json();
        let first = inst
            .get("Instances")
            .and_then(|i| i.get(0))
            .cloned()
            .unwrap_or(Value::Null);
        if let (Some(arn), Some(store)) = (
            string_at(&first, &["InstanceArn"]),
            string_at(&first, &["IdentityStoreId"]),
        ) {
            return Ok((arn, store));
        }
        if attempt == 0 {
            must(
                conn,
                SSO_ADMIN,
                "CreateInstance",
                json!({"Name": "loadgen"}),
                creds,
            )
            .await?;
        }
    }
    Err(Failure::Error(
        "ListInstances: no Identity Center instance".to_owned(),
    ))
}

/// Result of one op: the HTTP requests it sent and its error code (if it failed).
pub struct Outcome {
    /// Requests sent.
    pub requests: u64,
    /// The failure, if any.
    pub failure: Option<Failure>,
}

/// An op that sent `requests` requests and failed with `failure` (if any).
pub fn done(requests: u64, failure: Option<Failure>) -> Outcome {
    Outcome { requests, failure }
}

/// Runs op number `i` of the prepared workload on `conn`. A multi-page op (a `ListAccounts`
/// pagination) is cut off at `deadline` and then fails with `PaginationCutOff`.
pub async fn op(p: &Prepared, conn: &mut Conn, i: u64, deadline: Instant) -> Outcome {
    let creds = &p.creds;
    let pick = |i: u64| -> &str {
        let len = u64::try_from(p.accounts.len()).unwrap_or(1).max(1);
        let idx = usize::try_from(i % len).unwrap_or(0);
        p.accounts.get(idx).map_or("", String::as_str)
    };
    match p.workload {
        Workload::GetCallerIdentity => {
            let a = conn.call(STS, "GetCallerIdentity", &json!({}), creds).await;
            single(&a, "GetCallerIdentity")
        }
        Workload::DescribeOrganization => {
            let a = conn
                .call(ORGANIZATIONS, "DescribeOrganization", &json!({}), creds)
                .await;
            single(&a, "DescribeOrganization")
        }
        Workload::DescribeAccount => {
            // A cheap spread over the accounts (multiplicative hash of the op number).
            let a = conn
                .call(
                    ORGANIZATIONS,
                    "DescribeAccount",
                    &json!({"AccountId": pick(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11)}),
                    creds,
                )
                .await;
            single(&a, "DescribeAccount")
        }
        Workload::ListAccounts => {
            let mut token: Option<String> = None;
            let mut seen = 0u64;
            let mut pages = 0u64;
            for _ in 0..MAX_PAGES {
                if Instant::now() >= deadline {
                    let cut = format!("PaginationCutOff after {pages} pages");
                    return done(pages, Some(Failure::Error(cut)));
                }
                let mut params = json!({"MaxResults": PAGE_SIZE});
                if let (Some(t), Value::Object(m)) = (&token, &mut params) {
                    m.insert("NextToken".into(), json!(t));
                }
                let a = conn
                    .call(ORGANIZATIONS, "ListAccounts", &params, creds)
                    .await;
                pages = pages.saturating_add(1);
                if !a.ok() {
                    return done(pages, Some(Failure::from_answer("ListAccounts", &a)));
                }
                let page = a.json();
                let n = page
                    .get("Accounts")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                seen = seen.saturating_add(u64::try_from(n).unwrap_or(0));
                token = string_at(&page, &["NextToken"]).filter(|t| !t.is_empty());
                if token.is_none() {
                    break;
                }
            }
            p.seen.store(seen, Ordering::Relaxed);
            done(pages, None)
        }
        Workload::CreateAccounts | Workload::SeedAccounts => {
            let mut requests = 0;
            if p.workload == Workload::CreateAccounts {
                let r = create_account(conn, creds, &p.nonce, i, &mut requests).await;
                done(requests, r.err())
            } else {
                let a = conn
                    .call(
                        ORGANIZATIONS,
                        "CreateAccount",
                        &json!({"Email": format!("{}-{i}@example.com", p.nonce), "AccountName": format!("{}-{i}", p.nonce)}),
                        creds,
                    )
                    .await;
                single(&a, "CreateAccount")
            }
        }
        Workload::OuMove => {
            let ou = match create_ou(conn, creds, &p.root_id, &format!("{}-ou{i}", p.nonce)).await {
                Ok(ou) => ou,
                Err(f) => return done(1, Some(f)),
            };
            let a = conn
                .call(
                    ORGANIZATIONS,
                    "MoveAccount",
                    &json!({"AccountId": pick(i), "SourceParentId": p.root_id, "DestinationParentId": ou}),
                    creds,
                )
                .await;
            let mut o = single(&a, "MoveAccount");
            o.requests = 2;
            o
        }
        Workload::AssumeRole => {
            let session = match assume(conn, creds, pick(i), &format!("loadgen-{i}")).await {
                Ok(c) => c,
                Err(f) => return done(1, Some(f)),
            };
            let a = conn
                .call(STS, "GetCallerIdentity", &json!({}), &session)
                .await;
            let mut o = single(&a, "GetCallerIdentity");
            if o.failure.is_none()
                && !a
                    .xml("Arn")
                    .is_some_and(|arn| arn.contains(":assumed-role/OrganizationAccountAccessRole/"))
            {
                o.failure = Some(Failure::Error("WrongIdentity".to_owned()));
            }
            o.requests = 2;
            o
        }
        Workload::ScpDenied => {
            let Some(session) = &p.assumed else {
                return done(0, Some(Failure::Error("no session".to_owned())));
            };
            let a = conn
                .call(ORGANIZATIONS, "DescribeOrganization", &json!({}), session)
                .await;
            match a.error.as_deref() {
                Some(code) if code.starts_with("AccessDenied") => done(1, None),
                None => done(1, Some(Failure::Error("NotDenied".to_owned()))),
                Some(_) => single(&a, "DescribeOrganization"),
            }
        }
        Workload::IcUsers => {
            let Some((_, store, _)) = &p.identity_center else {
                return done(0, Some(Failure::Error("no instance".to_owned())));
            };
            let name = format!("{}-u{i}", p.nonce);
            let user = create_ic_user(conn, creds, store, &name, i).await;
            if !user.ok() {
                return done(1, Some(Failure::from_answer("CreateUser", &user)));
            }
            let found = conn
                .call(
                    IDENTITY_STORE,
                    "GetUserId",
                    &json!({
                        "IdentityStoreId": store,
                        "AlternateIdentifier": {
                            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": name}
                        },
                    }),
                    creds,
                )
                .await;
            let mut o = single(&found, "GetUserId");
            o.requests = 2;
            o
        }
        Workload::IcAssignments => {
            let Some((arn, store, ps)) = &p.identity_center else {
                return done(0, Some(Failure::Error("no instance".to_owned())));
            };
            let user = create_ic_user(conn, creds, store, &format!("{}-u{i}", p.nonce), i).await;
            if !user.ok() {
                return done(1, Some(Failure::from_answer("CreateUser", &user)));
            }
            let Some(user_id) = string_at(&user.json(), &["UserId"]) else {
                return done(1, Some(Failure::Error("CreateUser: no UserId".to_owned())));
            };
            let a = conn
                .call(
                    SSO_ADMIN,
                    "CreateAccountAssignment",
                    &json!({
                        "InstanceArn": arn,
                        "TargetId": pick(i),
                        "TargetType": "AWS_ACCOUNT",
                        "PermissionSetArn": ps,
                        "PrincipalType": "USER",
                        "PrincipalId": user_id,
                    }),
                    creds,
                )
                .await;
            let mut o = single(&a, "CreateAccountAssignment");
            o.requests = 2;
            o
        }
        Workload::S3Put4k | Workload::S3Get4k | Workload::S3Multipart => match &p.s3 {
            Some(state) => s3::op(p.workload, state, conn, creds, i).await,
            None => done(0, Some(Failure::Error("no bucket".to_owned()))),
        },
    }
}

/// What a workload does after its measured ops (not part of their latencies; its requests and
/// failures are added to `rec`): s3-multipart completes the upload and downloads the object.
/// `measured` is how long the ops took; `deadline` is the end of `--duration`. Facts to report.
pub async fn finish(
    p: &Prepared,
    endpoint: &Endpoint,
    region: &str,
    rec: &mut Recorder,
    measured: Duration,
    deadline: Instant,
) -> Map<String, Value> {
    match (&p.s3, p.workload) {
        (Some(state), Workload::S3Multipart) => {
            let mut conn = Conn::new(endpoint.clone(), region);
            s3::finish(state, &mut conn, &p.creds, rec, measured, deadline).await
        }
        _ => Map::new(),
    }
}

/// Identity Store `CreateUser` of user number `i` named `name`, with the attributes Identity
/// Center requires.
async fn create_ic_user(conn: &mut Conn, creds: &Creds, store: &str, name: &str, i: u64) -> Answer {
    conn.call(
        IDENTITY_STORE,
        "CreateUser",
        &json!({
            "IdentityStoreId": store,
            "UserName": name,
            "DisplayName": format!("User {i}"),
            "Name": {"GivenName": "Load", "FamilyName": format!("Gen{i}")},
        }),
        creds,
    )
    .await
}

/// The outcome of an op that is one request.
pub fn single(a: &Answer, operation: &str) -> Outcome {
    done(1, (!a.ok()).then(|| Failure::from_answer(operation, a)))
}

/// Limits of a measured run.
pub struct Limits {
    /// Concurrent connections (forced to 1 for sequential workloads).
    pub connections: u64,
    /// Wall-clock limit.
    pub duration: Duration,
    /// Maximum ops.
    pub max_ops: u64,
}

/// Runs the measured phase: `connections` workers take op numbers until the op budget or the
/// deadline is reached, or the server reports an operation as not implemented.
pub async fn measure(
    prepared: Arc<Prepared>,
    endpoint: &Endpoint,
    region: &str,
    limits: &Limits,
) -> Result<(Recorder, Duration), String> {
    let max_ops = prepared
        .max_ops
        .map_or(limits.max_ops, |m| m.min(limits.max_ops));
    let connections = if prepared.workload.sequential() {
        1
    } else {
        limits.connections.max(1)
    };
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let deadline = started + limits.duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let prepared = prepared.clone();
        let next = next.clone();
        let stop = stop.clone();
        let mut conn = Conn::new(endpoint.clone(), region);
        let mut rec = Recorder::new()?;
        tasks.push(tokio::spawn(async move {
            loop {
                if stop.load(Ordering::Relaxed) || Instant::now() >= deadline {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= max_ops {
                    break;
                }
                let t0 = Instant::now();
                let o = op(&prepared, &mut conn, i, deadline).await;
                let took = t0.elapsed();
                let code = match o.failure {
                    None => None,
                    Some(Failure::NotImplemented(operation)) => {
                        stop.store(true, Ordering::Relaxed);
                        rec.not_implemented.get_or_insert(operation.clone());
                        Some(format!("NotImplemented:{operation}"))
                    }
                    Some(Failure::Error(e)) if e.starts_with("PaginationCutOff") => {
                        Some("PaginationCutOff".to_owned())
                    }
                    Some(Failure::Error(e)) => {
                        // Keep the code only (the text up to the first space) so counts aggregate.
                        Some(e.split(" (").next().unwrap_or(&e).to_owned())
                    }
                };
                rec.record(took, o.requests, code);
            }
            rec
        }));
    }
    let mut total = Recorder::new()?;
    for t in tasks {
        match t.await {
            Ok(rec) => total.merge(rec),
            Err(e) => return Err(format!("worker failed: {e}")),
        }
    }
    Ok((total, started.elapsed()))
}
