//! IAM: account-wide settings and reports — the account alias, the password policy, the account
//! summary, the credential report, `GetAccountAuthorizationDetails`, and centralized root access
//! for organizations.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use localorg_model::generated::iam::{
    errors, AttachedPolicy, CreateAccountAliasRequest, DeleteAccountAliasRequest,
    DisableOrganizationsRootCredentialsManagementRequest,
    DisableOrganizationsRootCredentialsManagementResponse, DisableOrganizationsRootSessionsRequest,
    DisableOrganizationsRootSessionsResponse, EnableOrganizationsRootCredentialsManagementRequest,
    EnableOrganizationsRootCredentialsManagementResponse, EnableOrganizationsRootSessionsRequest,
    EnableOrganizationsRootSessionsResponse, EntityType, FeatureType,
    GenerateCredentialReportResponse, GetAccountAuthorizationDetailsRequest,
    GetAccountAuthorizationDetailsResponse, GetAccountPasswordPolicyResponse,
    GetAccountSummaryResponse, GetCredentialReportResponse, GroupDetail, InstanceProfile,
    ListAccountAliasesRequest, ListAccountAliasesResponse, ListOrganizationsFeaturesRequest,
    ListOrganizationsFeaturesResponse, ManagedPolicyDetail, PasswordPolicy, PolicyDetail,
    PolicyVersion, ReportFormatType, ReportStateType, RoleDetail, SummaryKeyType,
    UpdateAccountPasswordPolicyRequest, UserDetail,
};
use localorg_model::{ApiError, Blob};
use localorg_store::{Key, ReadTx, Table};

use super::core::{
    boundary_shape, iam_account, iam_arn, name_key, role_shape, tags_shape, ts, url_encode,
    ATTACHED, ATTACHED_TO, GROUPS, IAM_ACCOUNTS, INLINE_POLICIES, INSTANCE_PROFILES,
    LOGIN_PROFILES, MFA_DEVICES, POLICIES, ROLES, USERS, USER_GROUPS,
};
use super::core::{last_str, page_of};
use super::records::{IamAccountRecord, MfaDeviceRecord};
use localorg_kernel::accounts;
use localorg_kernel::context::PrincipalKind;
use localorg_kernel::credentials::{self, AccessKeyRecord};
use localorg_kernel::organization::Organization;
use localorg_kernel::Ctx;

/// Account aliases, globally unique across the partition: key (alias), value the account id.
static ACCOUNT_ALIASES: LazyLock<Table<String>> = LazyLock::new(|| Table::new("iam.account_alias"));

/// IAM's centralized root access features enabled per organization (`RootCredentialsManagement`,
/// `RootSessions`): key (organization id). IAM's own state: the organization only names them.
static ORG_FEATURES: LazyLock<Table<Vec<String>>> =
    LazyLock::new(|| Table::new("iam.org_features"));

/// The centralized root access features enabled for the organization `org_id`.
pub(crate) fn org_features(tx: &dyn ReadTx, org_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(ORG_FEATURES
        .get(tx, &Key::new().str(org_id))?
        .unwrap_or_default())
}

/// The last generated credential report (CSV text): key (account).
static CREDENTIAL_REPORTS: LazyLock<Table<String>> =
    LazyLock::new(|| Table::new("iam.credential_report"));

/// A credential report is served for four hours, then a new one must be generated.
const REPORT_LIFETIME_MS: i64 = 4 * 60 * 60 * 1000;

/// The service principal of IAM, whose trusted access centralized root access needs.
const IAM_SERVICE_PRINCIPAL: &str = "iam.amazonaws.com";

fn account_key(account: &str) -> Key {
    Key::new().str(account)
}

fn write_account(
    ctx: &mut Ctx<'_>,
    account: &str,
    record: &IamAccountRecord,
) -> Result<(), ApiError> {
    IAM_ACCOUNTS.put(ctx.tx.write()?, &account_key(account), record)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Account alias
// ---------------------------------------------------------------------------------------------

/// `CreateAccountAlias`: an account has at most one alias (a new one replaces the old, as the
/// IAM User Guide says), and an alias is unique across the partition.
pub(super) fn create_account_alias(
    ctx: &mut Ctx<'_>,
    input: CreateAccountAliasRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let alias = input.account_alias;
    // The model's pattern has a look-ahead the wire validator's regex engine skips: check it here.
    let valid = alias
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !alias.starts_with('-')
        && !alias.ends_with('-')
        && !alias.contains("--");
    if !valid {
        return Err(ApiError::new(
            "ValidationError",
            400,
            format!(
                "1 validation error detected: Value '{alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){{1,61}}[a-z0-9]$"
            ),
        ));
    }
    let mut settings = iam_account(ctx.tx.read(), &account)?;
    match ACCOUNT_ALIASES.get(ctx.tx.read(), &Key::new().str(&alias))? {
        Some(owner) if owner == account => return Ok(()),
        Some(_) => {
            return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION
                .error(format!("The account alias {alias} already exists.")));
        }
        None => {}
    }
    let tx = ctx.tx.write()?;
    if let Some(old) = settings.alias.take() {
        ACCOUNT_ALIASES.delete(tx, &Key::new().str(&old))?;
    }
    ACCOUNT_ALIASES.put(tx, &Key::new().str(&alias), &account)?;
    settings.alias = Some(alias);
    write_account(ctx, &account, &settings)
}

/// `DeleteAccountAlias`.
pub(super) fn delete_account_alias(
    ctx: &mut Ctx<'_>,
    input: DeleteAccountAliasRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut settings = iam_account(ctx.tx.read(), &account)?;
    if settings.alias.as_deref() != Some(input.account_alias.as_str()) {
        return Err(errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
            "The account alias {} cannot be found.",
            input.account_alias
        )));
    }
    settings.alias = None;
    ACCOUNT_ALIASES.delete(ctx.tx.write()?, &Key::new().str(&input.account_alias))?;
    write_account(ctx, &account, &settings)
}

/// `ListAccountAliases`: the alias, if there is one.
pub(super) fn list_account_aliases(
    ctx: &mut Ctx<'_>,
    input: ListAccountAliasesRequest,
) -> Result<ListAccountAliasesResponse, ApiError> {
    let settings = iam_account(ctx.tx.read(), &ctx.caller.account_id)?;
    let items = settings.alias.into_iter().map(|a| (a.clone(), a)).collect();
    let (account_aliases, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListAccountAliasesResponse {
        account_aliases,
        is_truncated: Some(truncated),
        marker,
    })
}

// ---------------------------------------------------------------------------------------------
// Password policy
// ---------------------------------------------------------------------------------------------

fn no_password_policy(account: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
        "The Password Policy with domain name {account} cannot be found."
    ))
}

/// `GetAccountPasswordPolicy`.
pub(super) fn get_account_password_policy(
    ctx: &mut Ctx<'_>,
) -> Result<GetAccountPasswordPolicyResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let policy = iam_account(ctx.tx.read(), &account)?
        .password_policy
        .and_then(|v| serde_json::from_value::<PasswordPolicy>(v).ok())
        .ok_or_else(|| no_password_policy(&account))?;
    Ok(GetAccountPasswordPolicyResponse {
        password_policy: policy,
    })
}

/// `UpdateAccountPasswordPolicy`: no partial updates — every parameter not given reverts to its
/// default (minimum length 6, nothing required, no expiry, no reuse prevention).
pub(super) fn update_account_password_policy(
    ctx: &mut Ctx<'_>,
    input: UpdateAccountPasswordPolicyRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let policy = PasswordPolicy {
        minimum_password_length: Some(input.minimum_password_length.unwrap_or(6)),
        require_symbols: Some(input.require_symbols.unwrap_or(false)),
        require_numbers: Some(input.require_numbers.unwrap_or(false)),
        require_uppercase_characters: Some(input.require_uppercase_characters.unwrap_or(false)),
        require_lowercase_characters: Some(input.require_lowercase_characters.unwrap_or(false)),
        allow_users_to_change_password: Some(input.allow_users_to_change_password.unwrap_or(false)),
        expire_passwords: Some(input.max_password_age.is_some_and(|d| d > 0)),
        max_password_age: input.max_password_age,
        password_reuse_prevention: input.password_reuse_prevention,
        hard_expiry: Some(input.hard_expiry.unwrap_or(false)),
    };
    let value = serde_json::to_value(&policy)
        .map_err(|e| ApiError::internal(format!("password policy: {e}")))?;
    let mut settings = iam_account(ctx.tx.read(), &account)?;
    settings.password_policy = Some(value);
    write_account(ctx, &account, &settings)
}

/// `DeleteAccountPasswordPolicy`.
pub(super) fn delete_account_password_policy(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut settings = iam_account(ctx.tx.read(), &account)?;
    if settings.password_policy.take().is_none() {
        return Err(no_password_policy(&account));
    }
    write_account(ctx, &account, &settings)
}

// ---------------------------------------------------------------------------------------------
// Account summary
// ---------------------------------------------------------------------------------------------

/// An MFA device that belongs to the account's root user (as the credentials module stores it).
fn is_root_device(device: &MfaDeviceRecord, account: &str) -> bool {
    match device.user_name.as_deref() {
        None => true,
        Some(owner) => owner == account || owner == "root",
    }
}

fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `GetAccountSummary`: usage counted from the account's entities, and IAM's default quotas.
pub(super) fn get_account_summary(
    ctx: &mut Ctx<'_>,
) -> Result<GetAccountSummaryResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let prefix = account_key(&account);
    let devices: Vec<MfaDeviceRecord> = MFA_DEVICES
        .scan_all(tx, &prefix)?
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let in_use = devices.iter().filter(|d| d.enabled_ms.is_some()).count();
    let root_mfa = devices
        .iter()
        .any(|d| d.enabled_ms.is_some() && is_root_device(d, &account));
    let root_keys = credentials::long_term_keys(tx, &account)?
        .iter()
        .any(|k| k.principal == PrincipalKind::Root);
    let root_password = accounts::get(tx, &account)?.is_some_and(|a| a.signup_complete);
    let policies: Vec<_> = POLICIES
        .scan_all(tx, &prefix)?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let versions_in_use: usize = policies.iter().map(|p| p.versions.len()).sum();

    use SummaryKeyType as K;
    let mut map = BTreeMap::new();
    let usage = [
        (K::Users, count(USERS.count(tx, &prefix)?)),
        (K::Groups, count(GROUPS.count(tx, &prefix)?)),
        (K::Roles, count(ROLES.count(tx, &prefix)?)),
        (K::Policies, count(policies.len() as u64)),
        (
            K::InstanceProfiles,
            count(INSTANCE_PROFILES.count(tx, &prefix)?),
        ),
        (K::MfaDevices, count(devices.len() as u64)),
        (K::MfaDevicesInUse, count(in_use as u64)),
        (K::AccountMfaEnabled, i32::from(root_mfa)),
        (K::AccountAccessKeysPresent, i32::from(root_keys)),
        (K::AccountPasswordPresent, i32::from(root_password)),
        (K::AccountSigningCertificatesPresent, 0),
        (K::PolicyVersionsInUse, count(versions_in_use as u64)),
        (K::ServerCertificates, 0),
        (K::Providers, 0),
        (K::GlobalEndpointTokenVersion, 1),
    ];
    // IAM's default quotas (IAM and AWS STS quotas, IAM User Guide).
    let quotas = [
        (K::UsersQuota, 5000),
        (K::GroupsQuota, 300),
        (K::RolesQuota, 1000),
        (K::PoliciesQuota, 1500),
        (K::InstanceProfilesQuota, 1000),
        (K::ServerCertificatesQuota, 20),
        (K::UserPolicySizeQuota, 2048),
        (K::GroupPolicySizeQuota, 5120),
        (K::RolePolicySizeQuota, 10240),
        (K::PolicySizeQuota, 6144),
        (K::AssumeRolePolicySizeQuota, 2048),
        (K::VersionsPerPolicyQuota, 5),
        (K::PolicyVersionsInUseQuota, 10000),
        (K::GroupsPerUserQuota, 10),
        (K::SigningCertificatesPerUserQuota, 2),
        (K::AccessKeysPerUserQuota, 2),
        (K::AttachedPoliciesPerGroupQuota, 10),
        (K::AttachedPoliciesPerRoleQuota, 10),
        (K::AttachedPoliciesPerUserQuota, 10),
    ];
    map.extend(usage);
    map.extend(quotas);
    Ok(GetAccountSummaryResponse {
        summary_map: Some(map),
    })
}

// ---------------------------------------------------------------------------------------------
// Credential report
// ---------------------------------------------------------------------------------------------

/// The credential report's columns, in AWS's order.
const REPORT_COLUMNS: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// ISO 8601 as the credential report writes times (`2024-05-01T12:00:00+00:00`).
fn report_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string())
        .unwrap_or_else(|_| "N/A".to_owned())
}

/// The eight access-key columns for up to two keys (oldest first).
fn key_columns(keys: &[&AccessKeyRecord]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..2 {
        match keys.get(i) {
            Some(k) => {
                out.push((k.status == "Active").to_string());
                out.push(report_time(k.created_ms));
            }
            None => {
                out.push("false".to_owned());
                out.push("N/A".to_owned());
            }
        }
        // Last use is not tracked per key yet.
        out.extend(["N/A", "N/A", "N/A"].map(str::to_owned));
    }
    out
}

/// Builds the CSV: the root user first, then every IAM user by name.
fn build_report(tx: &dyn ReadTx, account: &str) -> Result<String, ApiError> {
    let prefix = account_key(account);
    let keys = credentials::long_term_keys(tx, account)?;
    let devices: Vec<MfaDeviceRecord> = MFA_DEVICES
        .scan_all(tx, &prefix)?
        .into_iter()
        .map(|(_, d)| d)
        .filter(|d| d.enabled_ms.is_some())
        .collect();
    let max_age_days = iam_account(tx, account)?
        .password_policy
        .and_then(|v| serde_json::from_value::<PasswordPolicy>(v).ok())
        .and_then(|p| p.max_password_age);
    let mut lines = vec![REPORT_COLUMNS.to_owned()];

    let created = accounts::get(tx, account)?.map_or(0, |a| a.created_ms);
    let mut root_keys: Vec<&AccessKeyRecord> = keys
        .iter()
        .filter(|k| k.principal == PrincipalKind::Root)
        .collect();
    root_keys.sort_by_key(|k| k.created_ms);
    let mut row = vec![
        "<root_account>".to_owned(),
        format!("arn:aws:iam::{account}:root"),
        report_time(created),
        "not_supported".to_owned(),
        "no_information".to_owned(),
        "not_supported".to_owned(),
        "not_supported".to_owned(),
        devices
            .iter()
            .any(|d| is_root_device(d, account))
            .to_string(),
    ];
    row.extend(key_columns(&root_keys));
    row.extend(["false", "N/A", "false", "N/A"].map(str::to_owned));
    lines.push(row.join(","));

    for (_, user) in USERS.scan_all(tx, &prefix)? {
        let login = LOGIN_PROFILES.get(tx, &name_key(account, &user.name))?;
        let mut user_keys: Vec<&AccessKeyRecord> = keys
            .iter()
            .filter(|k| {
                matches!(&k.principal, PrincipalKind::User { name } if name.eq_ignore_ascii_case(&user.name))
            })
            .collect();
        user_keys.sort_by_key(|k| k.created_ms);
        let (enabled, last_used, changed, next) = match &login {
            Some(profile) => (
                "true".to_owned(),
                user.password_last_used_ms
                    .map_or_else(|| "no_information".to_owned(), report_time),
                report_time(profile.created_ms),
                max_age_days.map_or_else(
                    || "N/A".to_owned(),
                    |days| report_time(profile.created_ms + i64::from(days) * 86_400_000),
                ),
            ),
            None => (
                "false".to_owned(),
                user.password_last_used_ms
                    .map_or_else(|| "N/A".to_owned(), report_time),
                "N/A".to_owned(),
                "N/A".to_owned(),
            ),
        };
        let mfa = devices.iter().any(|d| {
            d.user_name
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(&user.name))
        });
        let mut row = vec![
            user.name.clone(),
            iam_arn(account, "user", &user.path, &user.name),
            report_time(user.created_ms),
            enabled,
            last_used,
            changed,
            next,
            mfa.to_string(),
        ];
        row.extend(key_columns(&user_keys));
        row.extend(["false", "N/A", "false", "N/A"].map(str::to_owned));
        lines.push(row.join(","));
    }
    Ok(lines.join("\n"))
}

/// `GenerateCredentialReport`: localorg generates the report at once. As in AWS, the answer is
/// `STARTED` when a new report is generated (none yet, or the last one is over four hours old)
/// and `COMPLETE` while the last one is fresh.
pub(super) fn generate_credential_report(
    ctx: &mut Ctx<'_>,
) -> Result<GenerateCredentialReportResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let now = ctx.now_ms();
    let mut settings = iam_account(ctx.tx.read(), &account)?;
    let fresh = settings
        .credential_report_ms
        .is_some_and(|at| now - at < REPORT_LIFETIME_MS);
    if fresh {
        return Ok(GenerateCredentialReportResponse {
            state: Some(ReportStateType::Complete),
            description: None,
        });
    }
    let csv = build_report(ctx.tx.read(), &account)?;
    CREDENTIAL_REPORTS.put(ctx.tx.write()?, &account_key(&account), &csv)?;
    let description = if settings.credential_report_ms.is_some() {
        "Existing report is stale. Starting a new report generation task"
    } else {
        "No report exists. Starting a new report generation task"
    };
    settings.credential_report_ms = Some(now);
    write_account(ctx, &account, &settings)?;
    Ok(GenerateCredentialReportResponse {
        state: Some(ReportStateType::Started),
        description: Some(description.to_owned()),
    })
}

/// `GetCredentialReport`: the last generated report (CSV, Base64 on the wire).
pub(super) fn get_credential_report(
    ctx: &mut Ctx<'_>,
) -> Result<GetCredentialReportResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let settings = iam_account(tx, &account)?;
    let report = CREDENTIAL_REPORTS.get(tx, &account_key(&account))?;
    // AWS sends these two errors without a message (botocore shows "Unknown"); localorg words
    // them as the API reference describes them.
    let (Some(at), Some(csv)) = (settings.credential_report_ms, report) else {
        return Err(errors::CREDENTIAL_REPORT_NOT_PRESENT_EXCEPTION.error(
            "The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.",
        ));
    };
    if ctx.now_ms() - at >= REPORT_LIFETIME_MS {
        return Err(errors::CREDENTIAL_REPORT_EXPIRED_EXCEPTION.error(
            "The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.",
        ));
    }
    Ok(GetCredentialReportResponse {
        content: Some(Blob(csv.into_bytes())),
        generated_time: Some(ts(at)),
        report_format: Some(ReportFormatType::TextCsv),
    })
}

// ---------------------------------------------------------------------------------------------
// GetAccountAuthorizationDetails
// ---------------------------------------------------------------------------------------------

fn entity_prefix(account: &str, kind: &str, name: &str) -> Key {
    Key::new().str(account).str(kind).str(&name.to_lowercase())
}

/// The managed policies attached to an identity.
fn attached_policies(
    tx: &dyn ReadTx,
    account: &str,
    kind: &str,
    name: &str,
) -> Result<Vec<AttachedPolicy>, ApiError> {
    let mut out = Vec::new();
    for (key, policy_name) in ATTACHED.scan_all(tx, &entity_prefix(account, kind, name))? {
        out.push(AttachedPolicy {
            policy_arn: last_str(&key)?,
            policy_name: Some(policy_name),
        });
    }
    Ok(out)
}

/// The inline policies of an identity (documents URL-encoded, as IAM returns them).
fn inline_policies(
    tx: &dyn ReadTx,
    account: &str,
    kind: &str,
    name: &str,
) -> Result<Vec<PolicyDetail>, ApiError> {
    let mut out = Vec::new();
    for (key, document) in INLINE_POLICIES.scan_all(tx, &entity_prefix(account, kind, name))? {
        out.push(PolicyDetail {
            policy_name: last_str(&key)?,
            policy_document: Some(url_encode(&document)),
        });
    }
    Ok(out)
}

/// One entry of the details listing, in the order AWS lists them: users, groups, roles, policies.
enum Detail {
    User(Box<UserDetail>),
    Group(Box<GroupDetail>),
    Role(Box<RoleDetail>),
    Policy(Box<ManagedPolicyDetail>),
}

/// A managed policy's detail: every version, the attachment and boundary-usage counts.
struct PolicyFacts {
    arn: String,
    name: String,
    id: String,
    path: String,
    description: Option<String>,
    default_version_id: String,
    created_ms: i64,
    updated_ms: i64,
    versions: Vec<(String, String, i64)>,
}

fn policy_detail(tx: &dyn ReadTx, account: &str, p: PolicyFacts) -> Result<Detail, ApiError> {
    let attachments = ATTACHED_TO.count(tx, &Key::new().str(account).str(&p.arn))?;
    let prefix = account_key(account);
    let boundary_users = USERS
        .scan_all(tx, &prefix)?
        .into_iter()
        .filter(|(_, u)| u.permissions_boundary.as_deref() == Some(p.arn.as_str()))
        .count();
    let boundary_roles = ROLES
        .scan_all(tx, &prefix)?
        .into_iter()
        .filter(|(_, r)| r.permissions_boundary.as_deref() == Some(p.arn.as_str()))
        .count();
    let versions = p
        .versions
        .into_iter()
        .map(|(id, document, created)| PolicyVersion {
            is_default_version: Some(id == p.default_version_id),
            version_id: Some(id),
            document: Some(url_encode(&document)),
            create_date: Some(ts(created)),
        })
        .collect();
    Ok(Detail::Policy(Box::new(ManagedPolicyDetail {
        arn: Some(p.arn),
        attachment_count: Some(count(attachments)),
        create_date: Some(ts(p.created_ms)),
        default_version_id: Some(p.default_version_id),
        description: p.description,
        is_attachable: Some(true),
        path: Some(p.path),
        permissions_boundary_usage_count: Some(count((boundary_users + boundary_roles) as u64)),
        policy_id: Some(p.id),
        policy_name: Some(p.name),
        policy_version_list: Some(versions),
        update_date: Some(ts(p.updated_ms)),
    })))
}

/// Every detail entry the filter asks for, with its sort key (entity kind first, then name).
fn authorization_details(
    tx: &dyn ReadTx,
    account: &str,
    wanted: &[EntityType],
) -> Result<Vec<(String, Detail)>, ApiError> {
    let prefix = account_key(account);
    let mut out = Vec::new();
    if wanted.contains(&EntityType::User) {
        for (_, u) in USERS.scan_all(tx, &prefix)? {
            let groups: Vec<String> = USER_GROUPS
                .scan_all(tx, &name_key(account, &u.name))?
                .into_iter()
                .map(|(_, g)| g)
                .collect();
            let detail = UserDetail {
                arn: Some(iam_arn(account, "user", &u.path, &u.name)),
                attached_managed_policies: Some(attached_policies(tx, account, "user", &u.name)?),
                create_date: Some(ts(u.created_ms)),
                group_list: Some(groups),
                path: Some(u.path.clone()),
                permissions_boundary: u.permissions_boundary.as_deref().map(boundary_shape),
                tags: tags_shape(&u.tags),
                user_id: Some(u.id.clone()),
                user_name: Some(u.name.clone()),
                user_policy_list: Some(inline_policies(tx, account, "user", &u.name)?),
            };
            out.push((
                format!("1/{}", u.name.to_lowercase()),
                Detail::User(Box::new(detail)),
            ));
        }
    }
    if wanted.contains(&EntityType::Group) {
        for (_, g) in GROUPS.scan_all(tx, &prefix)? {
            let detail = GroupDetail {
                arn: Some(iam_arn(account, "group", &g.path, &g.name)),
                attached_managed_policies: Some(attached_policies(tx, account, "group", &g.name)?),
                create_date: Some(ts(g.created_ms)),
                group_id: Some(g.id.clone()),
                group_name: Some(g.name.clone()),
                group_policy_list: Some(inline_policies(tx, account, "group", &g.name)?),
                path: Some(g.path.clone()),
            };
            out.push((
                format!("2/{}", g.name.to_lowercase()),
                Detail::Group(Box::new(detail)),
            ));
        }
    }
    if wanted.contains(&EntityType::Role) {
        let profiles: Vec<_> = INSTANCE_PROFILES
            .scan_all(tx, &prefix)?
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        for (_, r) in ROLES.scan_all(tx, &prefix)? {
            let view = role_shape(&r);
            let instance_profiles = profiles
                .iter()
                .filter(|p| {
                    p.role_name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&r.name))
                })
                .map(|p| InstanceProfile {
                    arn: iam_arn(account, "instance-profile", &p.path, &p.name),
                    create_date: ts(p.created_ms),
                    instance_profile_id: p.id.clone(),
                    instance_profile_name: p.name.clone(),
                    path: p.path.clone(),
                    roles: vec![localorg_model::generated::iam::Role {
                        tags: None,
                        role_last_used: None,
                        permissions_boundary: None,
                        ..view.clone()
                    }],
                    tags: None,
                })
                .collect();
            let detail = RoleDetail {
                arn: Some(view.arn.clone()),
                assume_role_policy_document: view.assume_role_policy_document.clone(),
                attached_managed_policies: Some(attached_policies(tx, account, "role", &r.name)?),
                create_date: Some(view.create_date),
                instance_profile_list: Some(instance_profiles),
                path: Some(view.path.clone()),
                permissions_boundary: view.permissions_boundary.clone(),
                role_id: Some(view.role_id.clone()),
                role_last_used: view.role_last_used.clone(),
                role_name: Some(view.role_name.clone()),
                role_policy_list: Some(inline_policies(tx, account, "role", &r.name)?),
                tags: view.tags.clone(),
            };
            out.push((
                format!("3/{}", r.name.to_lowercase()),
                Detail::Role(Box::new(detail)),
            ));
        }
    }
    if wanted.contains(&EntityType::LocalManagedPolicy) {
        for (_, p) in POLICIES.scan_all(tx, &prefix)? {
            let arn = iam_arn(account, "policy", &p.path, &p.name);
            let facts = PolicyFacts {
                arn: arn.clone(),
                name: p.name,
                id: p.id,
                path: p.path,
                description: p.description,
                default_version_id: p.default_version_id,
                created_ms: p.created_ms,
                updated_ms: p.updated_ms,
                versions: p
                    .versions
                    .into_iter()
                    .map(|v| (v.version_id, v.document, v.created_ms))
                    .collect(),
            };
            out.push((format!("4/{arn}"), policy_detail(tx, account, facts)?));
        }
    }
    if wanted.contains(&EntityType::AwsManagedPolicy) {
        // AWS lists the AWS managed policies that are in use in the account (attached to at
        // least one identity), not the whole catalogue.
        for p in super::aws_managed::AWS_MANAGED_POLICIES {
            if ATTACHED_TO.count(tx, &Key::new().str(account).str(p.arn))? == 0 {
                continue;
            }
            let facts = PolicyFacts {
                arn: p.arn.to_owned(),
                name: p.name.to_owned(),
                id: p.id.to_owned(),
                path: p.path.to_owned(),
                description: Some(p.description.to_owned()),
                default_version_id: p.default_version_id.to_owned(),
                created_ms: p.created_ms,
                updated_ms: p.updated_ms,
                versions: vec![(
                    p.default_version_id.to_owned(),
                    p.document.to_owned(),
                    p.updated_ms,
                )],
            };
            out.push((format!("5/{}", p.arn), policy_detail(tx, account, facts)?));
        }
    }
    Ok(out)
}

/// `GetAccountAuthorizationDetails`: users (with groups, attached and inline policies), groups,
/// roles (with instance profiles), and managed policies with all their versions; `Filter` picks
/// entity types; `MaxItems`/`Marker` page over all of them together.
pub(super) fn get_account_authorization_details(
    ctx: &mut Ctx<'_>,
    input: GetAccountAuthorizationDetailsRequest,
) -> Result<GetAccountAuthorizationDetailsResponse, ApiError> {
    let wanted: Vec<EntityType> = match input.filter.as_deref() {
        Some(f) if !f.is_empty() => f.to_vec(),
        _ => EntityType::ALL.to_vec(),
    };
    let items = authorization_details(ctx.tx.read(), &ctx.caller.account_id, &wanted)?;
    let (page, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    let mut users = Vec::new();
    let mut groups = Vec::new();
    let mut roles = Vec::new();
    let mut policies = Vec::new();
    for detail in page {
        match detail {
            Detail::User(u) => users.push(*u),
            Detail::Group(g) => groups.push(*g),
            Detail::Role(r) => roles.push(*r),
            Detail::Policy(p) => policies.push(*p),
        }
    }
    Ok(GetAccountAuthorizationDetailsResponse {
        user_detail_list: Some(users),
        group_detail_list: Some(groups),
        role_detail_list: Some(roles),
        policies: Some(policies),
        is_truncated: Some(truncated),
        marker,
    })
}

// ---------------------------------------------------------------------------------------------
// Centralized root access
// ---------------------------------------------------------------------------------------------

/// Who may call a centralized-root-access operation.
#[derive(PartialEq, Eq)]
enum Who {
    /// Only the management account (`Enable*`).
    Management,
    /// The management account or IAM's delegated administrator (`Disable*`, `List*`).
    ManagementOrDelegatedAdmin,
}

/// The caller's organization, once every precondition of centralized root access holds.
fn root_access_org(ctx: &Ctx<'_>, who: Who) -> Result<Organization, ApiError> {
    let tx = ctx.tx.read();
    let account = ctx.caller.account_id.as_str();
    let placement = ctx.organizations().placement(tx, account)?.ok_or_else(|| {
        errors::ORGANIZATION_NOT_FOUND_EXCEPTION.error(
            "The request was rejected because no organization is associated with your account.",
        )
    })?;
    let org = placement.org;
    if org.management_account_id != account {
        let delegated = ctx.organizations().is_delegated_administrator(
            tx,
            &org.id,
            account,
            IAM_SERVICE_PRINCIPAL,
        )?;
        if who == Who::Management {
            return Err(errors::CALLER_IS_NOT_MANAGEMENT_ACCOUNT_EXCEPTION.error(
                "The request was rejected because the account making the request is not the management account for the organization.",
            ));
        }
        if !delegated {
            return Err(errors::ACCOUNT_NOT_MANAGEMENT_OR_DELEGATED_ADMINISTRATOR_EXCEPTION.error(
                "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.",
            ));
        }
    }
    if org.feature_set != "ALL" {
        return Err(errors::ORGANIZATION_NOT_IN_ALL_FEATURES_MODE_EXCEPTION.error(
            "The request was rejected because your organization does not have All features enabled.",
        ));
    }
    if !org.trusts(IAM_SERVICE_PRINCIPAL) {
        return Err(errors::SERVICE_ACCESS_NOT_ENABLED_EXCEPTION.error(
            "The request was rejected because trusted access is not enabled for IAM in AWS Organizations.",
        ));
    }
    Ok(org)
}

/// The enabled features, in the model's order.
fn features_of(enabled: &[String]) -> Vec<FeatureType> {
    FeatureType::ALL
        .iter()
        .copied()
        .filter(|f| enabled.iter().any(|e| e == f.as_str()))
        .collect()
}

/// Turns a feature on or off; returns the organization id and the enabled features.
fn set_feature(
    ctx: &mut Ctx<'_>,
    feature: FeatureType,
    on: bool,
) -> Result<(String, Vec<FeatureType>), ApiError> {
    let who = if on {
        Who::Management
    } else {
        Who::ManagementOrDelegatedAdmin
    };
    let org = root_access_org(ctx, who)?;
    let mut enabled = org_features(ctx.tx.read(), &org.id)?;
    let name = feature.as_str();
    let present = enabled.iter().any(|f| f == name);
    if on != present {
        if on {
            enabled.push(name.to_owned());
        } else {
            enabled.retain(|f| f != name);
        }
        ORG_FEATURES.put(ctx.tx.write()?, &Key::new().str(&org.id), &enabled)?;
    }
    Ok((org.id, features_of(&enabled)))
}

/// `EnableOrganizationsRootCredentialsManagement`.
pub(super) fn enable_organizations_root_credentials_management(
    ctx: &mut Ctx<'_>,
    input: EnableOrganizationsRootCredentialsManagementRequest,
) -> Result<EnableOrganizationsRootCredentialsManagementResponse, ApiError> {
    let _ = input;
    let (id, features) = set_feature(ctx, FeatureType::RootCredentialsManagement, true)?;
    Ok(EnableOrganizationsRootCredentialsManagementResponse {
        organization_id: Some(id),
        enabled_features: Some(features),
    })
}

/// `DisableOrganizationsRootCredentialsManagement`.
pub(super) fn disable_organizations_root_credentials_management(
    ctx: &mut Ctx<'_>,
    input: DisableOrganizationsRootCredentialsManagementRequest,
) -> Result<DisableOrganizationsRootCredentialsManagementResponse, ApiError> {
    let _ = input;
    let (id, features) = set_feature(ctx, FeatureType::RootCredentialsManagement, false)?;
    Ok(DisableOrganizationsRootCredentialsManagementResponse {
        organization_id: Some(id),
        enabled_features: Some(features),
    })
}

/// `EnableOrganizationsRootSessions`.
pub(super) fn enable_organizations_root_sessions(
    ctx: &mut Ctx<'_>,
    input: EnableOrganizationsRootSessionsRequest,
) -> Result<EnableOrganizationsRootSessionsResponse, ApiError> {
    let _ = input;
    let (id, features) = set_feature(ctx, FeatureType::RootSessions, true)?;
    Ok(EnableOrganizationsRootSessionsResponse {
        organization_id: Some(id),
        enabled_features: Some(features),
    })
}

/// `DisableOrganizationsRootSessions`.
pub(super) fn disable_organizations_root_sessions(
    ctx: &mut Ctx<'_>,
    input: DisableOrganizationsRootSessionsRequest,
) -> Result<DisableOrganizationsRootSessionsResponse, ApiError> {
    let _ = input;
    let (id, features) = set_feature(ctx, FeatureType::RootSessions, false)?;
    Ok(DisableOrganizationsRootSessionsResponse {
        organization_id: Some(id),
        enabled_features: Some(features),
    })
}

/// `ListOrganizationsFeatures`.
pub(super) fn list_organizations_features(
    ctx: &mut Ctx<'_>,
    input: ListOrganizationsFeaturesRequest,
) -> Result<ListOrganizationsFeaturesResponse, ApiError> {
    let _ = input;
    let org = root_access_org(ctx, Who::ManagementOrDelegatedAdmin)?;
    let enabled = org_features(ctx.tx.read(), &org.id)?;
    Ok(ListOrganizationsFeaturesResponse {
        enabled_features: Some(features_of(&enabled)),
        organization_id: Some(org.id),
    })
}
