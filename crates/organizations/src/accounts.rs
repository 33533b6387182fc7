//! Organizations: member accounts — creating them, describing and listing them, moving them
//! between the root and OUs, closing them, and removing them from the organization.

use localorg_model::generated::organizations::{
    errors, Account, CloseAccountRequest, CreateAccountFailureReason, CreateAccountRequest,
    CreateAccountResponse, CreateAccountState, CreateAccountStatus, DescribeAccountRequest,
    DescribeAccountResponse, DescribeCreateAccountStatusRequest,
    DescribeCreateAccountStatusResponse, ListAccountsForParentRequest,
    ListAccountsForParentResponse, ListAccountsRequest, ListAccountsResponse,
    ListCreateAccountStatusRequest, ListCreateAccountStatusResponse, MoveAccountRequest,
    OrganizationFeatureSet, RemoveAccountFromOrganizationRequest,
};
use localorg_model::ApiError;
use localorg_store::{encode_token, Key, ReadTx, WriteTx};

use super::core::{
    account_shape, caller_org, decode_next_token, find_parent, managed_org, member_account,
    new_create_account_id, next_token, page_size, parent, readable_org, ts, CREATE_ACCOUNT_STATUS,
    DELEGATIONS, MEMBERS,
};
use super::records::{CreateAccountRecord, MembershipRecord, OrganizationRecord};
use super::tags::{delete_tags, put_tags};
use localorg_kernel::accounts::{self, AccountRecord};
use localorg_kernel::directory::RoleProvision;
use localorg_kernel::Ctx;

// The quota on accounts per organization is the partition's setting
// (`--max-accounts-per-org`, `Settings::max_accounts_per_organization`, default 10,000; AWS
// starts new organizations at 10 and raises it on request).

/// The role `CreateAccount` sets up in the new account when the request names none.
pub const DEFAULT_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// The rolling window of AWS's account-closure quota.
const CLOSE_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by `ous`)
// ---------------------------------------------------------------------------------------------

/// The first string part of a primary key (the id of the record).
pub(super) fn first_str(key: &Key) -> Result<String, ApiError> {
    key.decoder()
        .str()
        .map_err(|e| ApiError::internal(format!("bad key: {e}")))
}

/// A page of `(primary key, value)` pairs and the token of the next page.
pub(super) type KeyedPage<V> = (Vec<(Key, V)>, Option<String>);

/// One page of a filtered, in-memory listing of `(primary key, value)` pairs in key order. The
/// token is the last returned primary key (so it stays valid while items come and go).
pub(super) fn filtered_page<V>(
    items: Vec<(Key, V)>,
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<KeyedPage<V>, ApiError> {
    let after = decode_next_token(token)?;
    let size = page_size(max_results);
    let mut rest = items
        .into_iter()
        .filter(|(k, _)| after.as_deref().is_none_or(|a| k.as_bytes() > a));
    let page: Vec<(Key, V)> = rest.by_ref().take(size).collect();
    let next = if rest.next().is_some() {
        page.last().map(|(k, _)| encode_token(k.as_bytes()))
    } else {
        None
    };
    Ok((page, next))
}

/// One page of the member accounts found through a `MEMBERS` index (`org` or `parent`).
pub(super) fn accounts_page(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    index: &str,
    ikey: &Key,
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<Account>, Option<String>), ApiError> {
    let after = decode_next_token(token)?;
    let page = MEMBERS.scan_index(tx, index, ikey, after.as_deref(), page_size(max_results))?;
    let token = next_token(&page);
    let mut accounts = Vec::with_capacity(page.items.len());
    for (key, member) in page.items {
        let account_id = first_str(&key)?;
        let account = accounts::get(tx, &account_id)?
            .ok_or_else(|| ApiError::internal(format!("member {account_id} has no account")))?;
        accounts.push(account_shape(org, &account, &member));
    }
    Ok((accounts, token))
}

/// Detaches every policy attached directly to `target_id`.
pub(super) fn drop_attachments(tx: &mut dyn WriteTx, target_id: &str) -> Result<(), ApiError> {
    super::policies::detach_all_policies(tx, target_id)
}

/// The `CreateAccountStatus` view.
fn status_shape(record: &CreateAccountRecord) -> CreateAccountStatus {
    CreateAccountStatus {
        id: Some(record.id.clone()),
        account_name: Some(record.account_name.clone()),
        state: CreateAccountState::from_str_value(&record.state),
        requested_timestamp: Some(ts(record.requested_ms)),
        completed_timestamp: record.completed_ms.map(ts),
        account_id: record.account_id.clone(),
        failure_reason: record
            .failure_reason
            .as_deref()
            .and_then(CreateAccountFailureReason::from_str_value),
        gov_cloud_account_id: None,
    }
}

/// The AWS managed policy `OrganizationAccountAccessRole` gets.
const ADMINISTRATOR_ACCESS_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// The trust policy of the role `CreateAccount` sets up in a new member account: the management
/// account's root, as AWS creates it.
fn access_role_trust_policy(management_account_id: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{management_account_id}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

// ---------------------------------------------------------------------------------------------
// CreateAccount and its status
// ---------------------------------------------------------------------------------------------

/// `CreateAccount`: management account only. The API is asynchronous: the answer always says
/// `IN_PROGRESS`; the outcome (`SUCCEEDED` with the account id, or `FAILED` with a reason such
/// as `EMAIL_ALREADY_EXISTS` or `ACCOUNT_LIMIT_EXCEEDED`) is what `DescribeCreateAccountStatus`
/// reports. localorg completes the request within the call, so the first poll sees the outcome.
pub(super) fn create_account(
    ctx: &mut Ctx<'_>,
    input: CreateAccountRequest,
) -> Result<CreateAccountResponse, ApiError> {
    let org = managed_org(ctx)?;
    let now = ctx.now_ms();
    let request_id = new_create_account_id(ctx);
    let ids = ctx.ids;
    let max_accounts = ctx.settings.max_accounts_per_organization;
    let members = super::core::member_count(ctx.tx.read(), &org.id)?;
    let directory = ctx.directory();
    let tx = ctx.tx.write()?;
    let (state, account_id, failure) = if members >= max_accounts {
        ("FAILED", None, Some("ACCOUNT_LIMIT_EXCEEDED"))
    } else {
        match accounts::create(tx, ids, now, &input.account_name, &input.email, true)? {
            // The root email is unique across the partition, case-insensitively.
            None => ("FAILED", None, Some("EMAIL_ALREADY_EXISTS")),
            Some(account) => {
                let member = MembershipRecord {
                    org_id: org.id.clone(),
                    parent_id: org.root_id.clone(),
                    joined_method: "CREATED".to_owned(),
                    joined_ms: now,
                };
                MEMBERS.put(tx, &Key::new().str(&account.id), &member)?;
                super::policies::attach_default_policies(tx, &org, &account.id, "ACCOUNT")?;
                // Invalid tags fail the whole request (nothing is created), as on AWS.
                put_tags(tx, &account.id, input.tags.as_deref().unwrap_or_default())?;
                // The role the management account reaches the new account through.
                let trust = access_role_trust_policy(&org.management_account_id);
                directory.provision_role(
                    tx,
                    ids,
                    now,
                    &RoleProvision {
                        account_id: &account.id,
                        name: input.role_name.as_deref().unwrap_or(DEFAULT_ACCESS_ROLE),
                        path: "/",
                        trust_policy: &trust,
                        description: None,
                        max_session_duration: 3600,
                        managed_policies: &[(ADMINISTRATOR_ACCESS_ARN, "AdministratorAccess")],
                        customer_policies: &[],
                        inline_policies: &[],
                        boundary: None,
                        saml_provider: None,
                        managed_by: None,
                    },
                )?;
                ("SUCCEEDED", Some(account.id), None)
            }
        }
    };
    let record = CreateAccountRecord {
        id: request_id.clone(),
        org_id: org.id.clone(),
        account_name: input.account_name.clone(),
        state: state.to_owned(),
        account_id,
        failure_reason: failure.map(str::to_owned),
        requested_ms: now,
        completed_ms: Some(now),
        role_name: Some(
            input
                .role_name
                .clone()
                .unwrap_or_else(|| DEFAULT_ACCESS_ROLE.to_owned()),
        ),
        iam_user_access_to_billing: Some(
            input
                .iam_user_access_to_billing
                .map_or("ALLOW", |b| b.as_str())
                .to_owned(),
        ),
    };
    CREATE_ACCOUNT_STATUS.put(tx, &Key::new().str(&request_id), &record)?;
    Ok(CreateAccountResponse {
        create_account_status: Some(CreateAccountStatus {
            id: Some(request_id),
            account_name: Some(input.account_name),
            state: Some(CreateAccountState::InProgress),
            requested_timestamp: Some(ts(now)),
            ..Default::default()
        }),
    })
}

/// `DescribeCreateAccountStatus`: management account or delegated administrator.
pub(super) fn describe_create_account_status(
    ctx: &mut Ctx<'_>,
    input: DescribeCreateAccountStatusRequest,
) -> Result<DescribeCreateAccountStatusResponse, ApiError> {
    let org = readable_org(ctx)?;
    let record = CREATE_ACCOUNT_STATUS
        .get(
            ctx.tx.read(),
            &Key::new().str(&input.create_account_request_id),
        )?
        .filter(|r| r.org_id == org.id)
        .ok_or_else(|| {
            errors::CREATE_ACCOUNT_STATUS_NOT_FOUND_EXCEPTION.error(
                "We can't find an create account request with the CreateAccountRequestId that you specified.",
            )
        })?;
    Ok(DescribeCreateAccountStatusResponse {
        create_account_status: Some(status_shape(&record)),
    })
}

/// `ListCreateAccountStatus`: optionally only the requests in the given `States`.
pub(super) fn list_create_account_status(
    ctx: &mut Ctx<'_>,
    input: ListCreateAccountStatusRequest,
) -> Result<ListCreateAccountStatusResponse, ApiError> {
    let org = readable_org(ctx)?;
    let states: Option<Vec<&str>> = input
        .states
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| s.iter().map(|st| st.as_str()).collect());
    let all = CREATE_ACCOUNT_STATUS
        .scan_index(
            ctx.tx.read(),
            "org",
            &Key::new().str(&org.id),
            None,
            usize::MAX,
        )?
        .items;
    let matching: Vec<_> = all
        .into_iter()
        .filter(|(_, r)| {
            states
                .as_ref()
                .is_none_or(|s| s.contains(&r.state.as_str()))
        })
        .collect();
    let (page, next_token) =
        filtered_page(matching, input.next_token.as_deref(), input.max_results)?;
    Ok(ListCreateAccountStatusResponse {
        create_account_statuses: Some(page.iter().map(|(_, r)| status_shape(r)).collect()),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// Describe and list
// ---------------------------------------------------------------------------------------------

/// `DescribeAccount`: management account or delegated administrator.
pub(super) fn describe_account(
    ctx: &mut Ctx<'_>,
    input: DescribeAccountRequest,
) -> Result<DescribeAccountResponse, ApiError> {
    let org = readable_org(ctx)?;
    let (account, member) = member_account(ctx.tx.read(), &org, &input.account_id)?;
    Ok(DescribeAccountResponse {
        account: Some(account_shape(&org, &account, &member)),
    })
}

/// `ListAccounts`: every account of the organization, the management account included.
pub(super) fn list_accounts(
    ctx: &mut Ctx<'_>,
    input: ListAccountsRequest,
) -> Result<ListAccountsResponse, ApiError> {
    let org = readable_org(ctx)?;
    let (accounts, next_token) = accounts_page(
        ctx.tx.read(),
        &org,
        "org",
        &Key::new().str(&org.id),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListAccountsResponse {
        accounts: Some(accounts),
        next_token,
    })
}

/// `ListAccountsForParent`: the accounts directly under a root or OU.
pub(super) fn list_accounts_for_parent(
    ctx: &mut Ctx<'_>,
    input: ListAccountsForParentRequest,
) -> Result<ListAccountsForParentResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    parent(tx, &org, &input.parent_id)?;
    let (accounts, next_token) = accounts_page(
        tx,
        &org,
        "parent",
        &Key::new().str(&input.parent_id),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListAccountsForParentResponse {
        accounts: Some(accounts),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// Move, close, remove, leave
// ---------------------------------------------------------------------------------------------

/// `MoveAccount`: management account only.
pub(super) fn move_account(ctx: &mut Ctx<'_>, input: MoveAccountRequest) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let (_, mut member) = member_account(tx, &org, &input.account_id)?;
    if find_parent(tx, &org, &input.source_parent_id)?.is_none() {
        return Err(errors::SOURCE_PARENT_NOT_FOUND_EXCEPTION
            .error("We can't find a source root or OU with the ParentId that you specified."));
    }
    if find_parent(tx, &org, &input.destination_parent_id)?.is_none() {
        return Err(errors::DESTINATION_PARENT_NOT_FOUND_EXCEPTION.error(
            "We can't find the destination container (a root or OU) with the ParentId that you specified.",
        ));
    }
    // Choice: an account that is not directly under the named source parent is reported as
    // not found there (AccountNotFoundException), since the source parent itself exists.
    if member.parent_id != input.source_parent_id {
        return Err(errors::ACCOUNT_NOT_FOUND_EXCEPTION
            .error("You specified an account that doesn't exist in the source parent."));
    }
    if member.parent_id == input.destination_parent_id {
        return Err(errors::DUPLICATE_ACCOUNT_EXCEPTION
            .error("That account is already present in the specified destination."));
    }
    member.parent_id = input.destination_parent_id;
    MEMBERS.put(ctx.tx.write()?, &Key::new().str(&input.account_id), &member)?;
    Ok(())
}

/// `ConstraintViolationException` with a `Reason`.
fn constraint(reason: &str, message: &str) -> ApiError {
    errors::CONSTRAINT_VIOLATION_EXCEPTION
        .error(message)
        .with_field("Reason", reason)
}

/// `CloseAccount`: management account only, organizations with all features. AWS moves the
/// account to `PENDING_CLOSURE` and, a few minutes later, `SUSPENDED`; localorg finishes the
/// closure within the call, so `DescribeAccount` reports `SUSPENDED` right away (what clients
/// polling for the end of the closure wait for).
pub(super) fn close_account(ctx: &mut Ctx<'_>, input: CloseAccountRequest) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let now = ctx.now_ms();
    let tx = ctx.tx.read();
    let (mut account, _) = member_account(tx, &org, &input.account_id)?;
    if account.id == org.management_account_id {
        return Err(constraint(
            "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
            "You attempted to close the management account. To close the management account for the organization, you must first either remove or close all member accounts in the organization.",
        ));
    }
    if org.feature_set != OrganizationFeatureSet::All.as_str() {
        return Err(constraint(
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "You attempted to perform an operation that requires the organization to be configured to support all features.",
        ));
    }
    match account.status.as_str() {
        "SUSPENDED" => {
            return Err(errors::ACCOUNT_ALREADY_CLOSED_EXCEPTION
                .error("You attempted to close an account that is already closed."))
        }
        "PENDING_CLOSURE" => {
            return Err(errors::CONFLICT_EXCEPTION
                .error("The request failed because it conflicts with the current state of the specified resource."))
        }
        _ => {}
    }
    // AWS: only 10% of the member accounts (at least 10, at most 1000) may be closed within a
    // rolling 30 days.
    let mut members = 0usize;
    let mut closed_recently = 0usize;
    for (key, _) in MEMBERS
        .scan_index(tx, "org", &Key::new().str(&org.id), None, usize::MAX)?
        .items
    {
        let id = first_str(&key)?;
        if id == org.management_account_id {
            continue;
        }
        members += 1;
        if let Some(a) = accounts::get(tx, &id)? {
            if a.closed_ms
                .is_some_and(|c| c > now.saturating_sub(CLOSE_WINDOW_MS))
            {
                closed_recently += 1;
            }
        }
    }
    let quota = (members / 10).clamp(10, 1000);
    if closed_recently >= quota {
        return Err(constraint(
            "CLOSE_ACCOUNT_QUOTA_EXCEEDED",
            "You have exceeded close account quota for the past 30 days.",
        ));
    }
    account.status = "SUSPENDED".to_owned();
    account.closed_ms = Some(now);
    accounts::update(ctx.tx.write()?, &account)?;
    Ok(())
}

/// What must hold before a member account may leave (or be removed from) the organization.
fn check_can_leave(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    account: &AccountRecord,
) -> Result<(), ApiError> {
    if !account.signup_complete {
        // On AWS an account created by the organization must first get what a standalone
        // account needs (contact details, agreement, phone verification, payment method).
        // localorg's equivalent is completing the sign-up.
        return Err(constraint(
            "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION",
            &format!(
                "The member account is missing one or more of the prerequisites required to operate as a standalone account. \
                 Complete its sign-up first: run `localorg account complete-signup --account-id {}` \
                 (or POST /_localorg/complete-signup {{\"AccountId\": \"{}\"}}).",
                account.id, account.id
            ),
        ));
    }
    if super::core::is_delegated_admin(tx, &org.id, &account.id)? {
        return Err(constraint(
            "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
            "You attempted to remove an account that is registered as a delegated administrator for a service integrated with your organization. To complete this operation, you must first deregister this account as a delegated administrator.",
        ));
    }
    Ok(())
}

/// `MasterCannotLeaveOrganizationException` as AWS words it.
fn master_cannot_leave() -> ApiError {
    errors::MASTER_CANNOT_LEAVE_ORGANIZATION_EXCEPTION.error(
        "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.",
    )
}

/// Takes `account_id` out of `org`: its membership, its tags and direct policy attachments in
/// the organization, and any delegated administrator registrations. The account itself stays in
/// the partition as a standalone account.
fn detach_account(
    tx: &mut dyn WriteTx,
    org: &OrganizationRecord,
    account_id: &str,
) -> Result<(), ApiError> {
    MEMBERS.delete(tx, &Key::new().str(account_id))?;
    delete_tags(tx, account_id)?;
    drop_attachments(tx, account_id)?;
    DELEGATIONS.delete_prefix(tx, &Key::new().str(&org.id).str(account_id))?;
    Ok(())
}

/// `RemoveAccountFromOrganization`: management account only.
pub(super) fn remove_account_from_organization(
    ctx: &mut Ctx<'_>,
    input: RemoveAccountFromOrganizationRequest,
) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    if input.account_id == org.management_account_id {
        return Err(master_cannot_leave());
    }
    let (account, _) = member_account(tx, &org, &input.account_id)?;
    check_can_leave(tx, &org, &account)?;
    detach_account(ctx.tx.write()?, &org, &account.id)
}

/// `LeaveOrganization`: a member account leaves on its own.
pub(super) fn leave_organization(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let org = caller_org(ctx)?;
    let tx = ctx.tx.read();
    if ctx.caller.account_id == org.management_account_id {
        return Err(master_cannot_leave());
    }
    let (account, _) = member_account(tx, &org, &ctx.caller.account_id)?;
    check_can_leave(tx, &org, &account)?;
    detach_account(ctx.tx.write()?, &org, &account.id)
}
