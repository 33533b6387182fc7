//! What every Organizations operation shares: the tables, ids and ARNs, who the caller is in which
//! organization, the API views of the records, and pagination.

use std::sync::LazyLock;

use localorg_model::generated::organizations::{
    errors, Account, AccountJoinedMethod, AccountState, AccountStatus, Organization,
    OrganizationFeatureSet, OrganizationalUnit, PolicyType, PolicyTypeStatus, PolicyTypeSummary,
    Root,
};
use localorg_model::{ApiError, Timestamp};
use localorg_store::{decode_token, encode_token, Index, Key, Page, ReadTx, Table};

use super::records::{
    CreateAccountRecord, DelegationRecord, HandshakeRecord, MembershipRecord, OrganizationRecord,
    OuRecord, PolicyRecord, ResourcePolicyRecord,
};
use localorg_kernel::accounts::{self, AccountRecord};
use localorg_kernel::context::LOWER_ALNUM;
use localorg_kernel::Ctx;

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/// Organizations by id, unique by management account.
pub static ORGS: LazyLock<Table<OrganizationRecord>> = LazyLock::new(|| {
    Table::new("org.organization").index(Index::unique("management", |o: &OrganizationRecord| {
        vec![Key::new().str(&o.management_account_id)]
    }))
});

/// Memberships by account id; indexed by organization and by parent (root or OU).
pub static MEMBERS: LazyLock<Table<MembershipRecord>> = LazyLock::new(|| {
    Table::new("org.member")
        .index(Index::multi("org", |m: &MembershipRecord| {
            vec![Key::new().str(&m.org_id)]
        }))
        .index(Index::multi("parent", |m: &MembershipRecord| {
            vec![Key::new().str(&m.parent_id)]
        }))
});

/// OUs by id; indexed by parent, and unique by (parent, name).
pub static OUS: LazyLock<Table<OuRecord>> = LazyLock::new(|| {
    Table::new("org.ou")
        .index(Index::multi("parent", |o: &OuRecord| {
            vec![Key::new().str(&o.parent_id)]
        }))
        .index(Index::multi("org", |o: &OuRecord| {
            vec![Key::new().str(&o.org_id)]
        }))
        .index(Index::unique("name", |o: &OuRecord| {
            vec![Key::new().str(&o.parent_id).str(&o.name)]
        }))
});

/// Customer managed policies by id; indexed by (organization, type).
pub static POLICIES: LazyLock<Table<PolicyRecord>> = LazyLock::new(|| {
    Table::new("org.policy").index(Index::multi("org_type", |p: &PolicyRecord| {
        vec![Key::new().str(&p.org_id).str(&p.policy_type)]
    }))
});

/// A policy attached to a target: key (target id, policy id), value the policy type.
pub static ATTACHMENTS: LazyLock<Table<String>> = LazyLock::new(|| Table::new("org.attachment"));

/// The reverse of [`ATTACHMENTS`]: key (policy id, target id), value the target type
/// (`ROOT`, `ORGANIZATIONAL_UNIT`, `ACCOUNT`). Written and deleted together with it.
pub static ATTACHED_TARGETS: LazyLock<Table<String>> =
    LazyLock::new(|| Table::new("org.attached_target"));

/// Handshakes by id; indexed by sending organization and by the account that must answer.
pub static HANDSHAKES: LazyLock<Table<HandshakeRecord>> = LazyLock::new(|| {
    Table::new("org.handshake")
        .index(Index::multi("org", |h: &HandshakeRecord| {
            vec![Key::new().str(&h.org_id)]
        }))
        .index(Index::multi("account", |h: &HandshakeRecord| {
            h.target_account_id
                .iter()
                .map(|a| Key::new().str(a))
                .collect()
        }))
        .index(Index::multi("email", |h: &HandshakeRecord| {
            h.target_email
                .iter()
                .map(|e| Key::new().str(&e.to_lowercase()))
                .collect()
        }))
});

/// `CreateAccount` requests by id; indexed by organization.
pub static CREATE_ACCOUNT_STATUS: LazyLock<Table<CreateAccountRecord>> = LazyLock::new(|| {
    Table::new("org.create_account").index(Index::multi("org", |c: &CreateAccountRecord| {
        vec![Key::new().str(&c.org_id)]
    }))
});

/// Delegated administrators: key (organization, account, service principal).
pub static DELEGATIONS: LazyLock<Table<DelegationRecord>> =
    LazyLock::new(|| Table::new("org.delegation"));

/// Tags: key (resource id, tag key), value the tag value.
pub static TAGS: LazyLock<Table<String>> = LazyLock::new(|| Table::new("org.tag"));

/// The organization's resource policy: key (organization id).
pub static RESOURCE_POLICIES: LazyLock<Table<ResourcePolicyRecord>> =
    LazyLock::new(|| Table::new("org.resource_policy"));

// ---------------------------------------------------------------------------------------------
// Ids and ARNs
// ---------------------------------------------------------------------------------------------

/// `o-` + 10 lower-case letters/digits.
pub fn new_org_id(ctx: &Ctx<'_>) -> String {
    format!("o-{}", ctx.ids.string(LOWER_ALNUM, 10))
}

/// `r-` + 4.
pub fn new_root_id(ctx: &Ctx<'_>) -> String {
    format!("r-{}", ctx.ids.string(LOWER_ALNUM, 4))
}

/// `ou-` + the root's 4 characters + `-` + 8.
pub fn new_ou_id(ctx: &Ctx<'_>, root_id: &str) -> String {
    let root = root_id.strip_prefix("r-").unwrap_or(root_id);
    format!("ou-{root}-{}", ctx.ids.string(LOWER_ALNUM, 8))
}

/// `p-` + 8.
pub fn new_policy_id(ctx: &Ctx<'_>) -> String {
    format!("p-{}", ctx.ids.string(LOWER_ALNUM, 8))
}

/// `h-` + 10.
pub fn new_handshake_id(ctx: &Ctx<'_>) -> String {
    format!("h-{}", ctx.ids.string(LOWER_ALNUM, 10))
}

/// `car-` + 32.
pub fn new_create_account_id(ctx: &Ctx<'_>) -> String {
    format!("car-{}", ctx.ids.string(LOWER_ALNUM, 32))
}

/// The ids an organization's ARNs are made of: the stored record and the kernel's view alike.
pub trait OrgIds {
    /// `o-…`.
    fn org_id(&self) -> &str;
    /// The management account.
    fn management(&self) -> &str;
    /// `r-…`.
    fn root(&self) -> &str;
}

impl OrgIds for OrganizationRecord {
    fn org_id(&self) -> &str {
        &self.id
    }
    fn management(&self) -> &str {
        &self.management_account_id
    }
    fn root(&self) -> &str {
        &self.root_id
    }
}

impl OrgIds for localorg_kernel::organization::Organization {
    fn org_id(&self) -> &str {
        &self.id
    }
    fn management(&self) -> &str {
        &self.management_account_id
    }
    fn root(&self) -> &str {
        &self.root_id
    }
}

/// `arn:aws:organizations::MGMT:organization/o-...`.
pub fn org_arn(org: &impl OrgIds) -> String {
    format!(
        "arn:aws:organizations::{}:organization/{}",
        org.management(),
        org.org_id()
    )
}

/// `arn:aws:organizations::MGMT:account/o-.../ACCOUNT`.
pub fn account_arn(org: &impl OrgIds, account_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:account/{}/{account_id}",
        org.management(),
        org.org_id()
    )
}

/// `arn:aws:organizations::MGMT:root/o-.../r-...`.
pub fn root_arn(org: &impl OrgIds) -> String {
    format!(
        "arn:aws:organizations::{}:root/{}/{}",
        org.management(),
        org.org_id(),
        org.root()
    )
}

/// `arn:aws:organizations::MGMT:ou/o-.../ou-...`.
pub fn ou_arn(org: &impl OrgIds, ou_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:ou/{}/{ou_id}",
        org.management(),
        org.org_id()
    )
}

/// `arn:aws:organizations::MGMT:policy/o-.../service_control_policy/p-...`; AWS managed policies
/// are `arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess`.
pub fn policy_arn(org: &impl OrgIds, policy_type: &str, policy_id: &str) -> String {
    let kind = policy_type.to_lowercase();
    if is_aws_managed_policy_id(policy_id) {
        format!("arn:aws:organizations::aws:policy/{kind}/{policy_id}")
    } else {
        format!(
            "arn:aws:organizations::{}:policy/{}/{kind}/{policy_id}",
            org.management(),
            org.org_id()
        )
    }
}

/// `arn:aws:organizations::MGMT:handshake/o-.../ACTION/h-...` (action lower-cased, e.g. `invite`).
pub fn handshake_arn(org: &impl OrgIds, action: &str, handshake_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:handshake/{}/{}/{handshake_id}",
        org.management(),
        org.org_id(),
        action.to_lowercase()
    )
}

/// The AWS managed SCP attached to every target when SCPs are enabled.
pub const FULL_AWS_ACCESS_ID: &str = "p-FullAWSAccess";
/// The AWS managed RCP attached to every target when RCPs are enabled.
pub const RCP_FULL_AWS_ACCESS_ID: &str = "p-RCPFullAWSAccess";

/// True for the ids of AWS managed policies.
pub fn is_aws_managed_policy_id(policy_id: &str) -> bool {
    policy_id == FULL_AWS_ACCESS_ID || policy_id == RCP_FULL_AWS_ACCESS_ID
}

/// The document of `FullAWSAccess` as AWS ships it.
pub const FULL_AWS_ACCESS_CONTENT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

/// The document of `RCPFullAWSAccess` as AWS ships it.
pub const RCP_FULL_AWS_ACCESS_CONTENT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

/// The AWS managed policies: (id, type, name, description, content).
pub const AWS_MANAGED_POLICIES: [(&str, &str, &str, &str, &str); 2] = [
    (
        FULL_AWS_ACCESS_ID,
        "SERVICE_CONTROL_POLICY",
        "FullAWSAccess",
        "Allows access to every operation",
        FULL_AWS_ACCESS_CONTENT,
    ),
    (
        RCP_FULL_AWS_ACCESS_ID,
        "RESOURCE_CONTROL_POLICY",
        "RCPFullAWSAccess",
        "Allows access to every operation",
        RCP_FULL_AWS_ACCESS_CONTENT,
    ),
];

// ---------------------------------------------------------------------------------------------
// Who is calling
// ---------------------------------------------------------------------------------------------

/// `AWSOrganizationsNotInUseException` as AWS words it.
pub fn not_in_use() -> ApiError {
    errors::AWS_ORGANIZATIONS_NOT_IN_USE_EXCEPTION
        .error("Your account is not a member of an organization.")
}

/// `AccessDeniedException` as AWS words it for management-only operations.
pub fn access_denied() -> ApiError {
    errors::ACCESS_DENIED_EXCEPTION.error("You don't have permissions to access this resource.")
}

/// The organization `account_id` belongs to, with its membership.
pub fn membership_of(
    tx: &dyn ReadTx,
    account_id: &str,
) -> Result<Option<(OrganizationRecord, MembershipRecord)>, ApiError> {
    let Some(member) = MEMBERS.get(tx, &Key::new().str(account_id))? else {
        return Ok(None);
    };
    let org = ORGS
        .get(tx, &Key::new().str(&member.org_id))?
        .ok_or_else(|| {
            ApiError::internal(format!(
                "membership of {account_id} names a missing organization"
            ))
        })?;
    Ok(Some((org, member)))
}

/// The caller's organization; `AWSOrganizationsNotInUseException` when it has none.
pub fn caller_org(ctx: &Ctx<'_>) -> Result<OrganizationRecord, ApiError> {
    membership_of(ctx.tx.read(), &ctx.caller.account_id)?
        .map(|(org, _)| org)
        .ok_or_else(not_in_use)
}

/// The caller's organization, which the caller must manage; `AccessDeniedException` for members.
pub fn managed_org(ctx: &Ctx<'_>) -> Result<OrganizationRecord, ApiError> {
    let org = caller_org(ctx)?;
    if org.management_account_id != ctx.caller.account_id {
        return Err(access_denied());
    }
    Ok(org)
}

/// The caller's organization, which the caller must manage or be a delegated administrator of
/// (delegated administrators may call the read-only Organizations operations).
pub fn readable_org(ctx: &Ctx<'_>) -> Result<OrganizationRecord, ApiError> {
    let org = caller_org(ctx)?;
    if org.management_account_id == ctx.caller.account_id
        || is_delegated_admin(ctx.tx.read(), &org.id, &ctx.caller.account_id)?
    {
        return Ok(org);
    }
    Err(access_denied())
}

/// How many accounts (the management account included) the organization holds: counted on the
/// membership index, without reading the records (CreateAccount checks it on every call).
pub fn member_count(tx: &dyn ReadTx, org_id: &str) -> Result<usize, ApiError> {
    let n = MEMBERS.count_index(tx, "org", &Key::new().str(org_id))?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// True when `account_id` is registered as a delegated administrator for any service.
pub fn is_delegated_admin(
    tx: &dyn ReadTx,
    org_id: &str,
    account_id: &str,
) -> Result<bool, ApiError> {
    Ok(DELEGATIONS.count(tx, &Key::new().str(org_id).str(account_id))? > 0)
}

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

/// A member account of `org`; `AccountNotFoundException` otherwise.
pub fn member_account(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    account_id: &str,
) -> Result<(AccountRecord, MembershipRecord), ApiError> {
    let not_found = || {
        errors::ACCOUNT_NOT_FOUND_EXCEPTION.error("You specified an account that doesn't exist.")
    };
    let member = MEMBERS
        .get(tx, &Key::new().str(account_id))?
        .ok_or_else(not_found)?;
    if member.org_id != org.id {
        return Err(not_found());
    }
    let account = accounts::get(tx, account_id)?.ok_or_else(not_found)?;
    Ok((account, member))
}

/// An OU of `org`; `OrganizationalUnitNotFoundException` otherwise.
pub fn org_ou(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    ou_id: &str,
) -> Result<OuRecord, ApiError> {
    OUS.get(tx, &Key::new().str(ou_id))?
        .filter(|ou| ou.org_id == org.id)
        .ok_or_else(|| {
            errors::ORGANIZATIONAL_UNIT_NOT_FOUND_EXCEPTION
                .error("You specified an organizational unit that doesn't exist.")
        })
}

/// What a parent id names.
#[derive(Debug, Clone)]
pub enum ParentRef {
    /// The organization's root.
    Root,
    /// An OU.
    Ou,
}

/// Resolves a parent id (root or OU) in `org`; `None` when it names neither.
pub fn find_parent(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    parent_id: &str,
) -> Result<Option<ParentRef>, ApiError> {
    if parent_id == org.root_id {
        return Ok(Some(ParentRef::Root));
    }
    if parent_id.starts_with("ou-") {
        return Ok(OUS
            .get(tx, &Key::new().str(parent_id))?
            .filter(|ou| ou.org_id == org.id)
            .map(|_| ParentRef::Ou));
    }
    Ok(None)
}

/// Resolves a parent id; `ParentNotFoundException` when it names no root or OU of `org`.
pub fn parent(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    parent_id: &str,
) -> Result<ParentRef, ApiError> {
    find_parent(tx, org, parent_id)?.ok_or_else(|| {
        errors::PARENT_NOT_FOUND_EXCEPTION.error("You specified a parent that doesn't exist.")
    })
}

/// The chain of parents from the root down to (and including) `parent_id`: `[root, ou1, ou2, ...]`.
pub fn path_to(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    parent_id: &str,
) -> Result<Vec<String>, ApiError> {
    let mut chain = vec![parent_id.to_owned()];
    let mut current = parent_id.to_owned();
    while current != org.root_id {
        let ou = org_ou(tx, org, &current)?;
        current = ou.parent_id;
        chain.push(current.clone());
        if chain.len() > 10 {
            return Err(ApiError::internal("OU hierarchy is deeper than AWS allows"));
        }
    }
    chain.reverse();
    Ok(chain)
}

// ---------------------------------------------------------------------------------------------
// API views
// ---------------------------------------------------------------------------------------------

/// Milliseconds since the epoch as an API timestamp.
pub fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

/// The `Organization` view.
pub fn organization_shape(org: &OrganizationRecord, management_email: &str) -> Organization {
    let all_features = org.feature_set == "ALL";
    Organization {
        id: Some(org.id.clone()),
        arn: Some(org_arn(org)),
        feature_set: OrganizationFeatureSet::from_str_value(&org.feature_set),
        master_account_arn: Some(account_arn(org, &org.management_account_id)),
        master_account_id: Some(org.management_account_id.clone()),
        master_account_email: Some(management_email.to_owned()),
        // Deprecated by AWS: always the SCP type, reported as enabled when the organization has
        // all features (describe-organization shows this; the root lists the real types).
        available_policy_types: Some(if all_features {
            vec![PolicyTypeSummary {
                r#type: Some(PolicyType::ServiceControlPolicy),
                status: Some(PolicyTypeStatus::Enabled),
            }]
        } else {
            Vec::new()
        }),
    }
}

/// The `Root` view.
pub fn root_shape(org: &OrganizationRecord) -> Root {
    Root {
        id: Some(org.root_id.clone()),
        arn: Some(root_arn(org)),
        name: Some("Root".to_owned()),
        policy_types: Some(
            org.enabled_policy_types
                .iter()
                .filter_map(|t| PolicyType::from_str_value(t))
                .map(|t| PolicyTypeSummary {
                    r#type: Some(t),
                    status: Some(PolicyTypeStatus::Enabled),
                })
                .collect(),
        ),
    }
}

/// The `OrganizationalUnit` view.
pub fn ou_shape(org: &OrganizationRecord, ou: &OuRecord) -> OrganizationalUnit {
    OrganizationalUnit {
        id: Some(ou.id.clone()),
        arn: Some(ou_arn(org, &ou.id)),
        name: Some(ou.name.clone()),
        ..Default::default()
    }
}

/// The `Account` view of a member account.
pub fn account_shape(
    org: &OrganizationRecord,
    account: &AccountRecord,
    member: &MembershipRecord,
) -> Account {
    let (status, state) = match account.status.as_str() {
        "SUSPENDED" => (AccountStatus::Suspended, AccountState::Suspended),
        "PENDING_CLOSURE" => (AccountStatus::PendingClosure, AccountState::PendingClosure),
        _ => (AccountStatus::Active, AccountState::Active),
    };
    Account {
        id: Some(account.id.clone()),
        arn: Some(account_arn(org, &account.id)),
        email: Some(account.email.clone()),
        name: Some(account.name.clone()),
        status: Some(status),
        state: Some(state),
        joined_method: AccountJoinedMethod::from_str_value(&member.joined_method),
        joined_timestamp: Some(ts(member.joined_ms)),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/// The page size when the caller gives no `MaxResults` (AWS's default for Organizations lists).
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// `InvalidInputException` for a `NextToken` this listing did not hand out.
pub fn invalid_token() -> ApiError {
    errors::INVALID_INPUT_EXCEPTION
        .error("The provided pagination token is not valid.")
        .with_field("Reason", "INVALID_PAGINATION_TOKEN")
}

/// Decodes a `NextToken` (raw key to continue after).
pub fn decode_next_token(token: Option<&str>) -> Result<Option<Vec<u8>>, ApiError> {
    token
        .map(|t| decode_token(t).map_err(|_| invalid_token()))
        .transpose()
}

/// The `NextToken` of a page.
pub fn next_token<T>(page: &Page<T>) -> Option<String> {
    page.next.as_deref().map(encode_token)
}

/// The page size for a `MaxResults` input.
pub fn page_size(max_results: Option<i32>) -> usize {
    max_results
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_PAGE_SIZE)
}

/// One page of a listing: the items and the `NextToken` for the next page.
pub type Listing<T> = (Vec<T>, Option<String>);

/// One page of an index listing: the primary keys' records after the token, at most `max` of them.
pub fn index_page<V: serde::de::DeserializeOwned + serde::Serialize>(
    tx: &dyn ReadTx,
    table: &Table<V>,
    index: &str,
    ikey: &Key,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> Result<Listing<V>, ApiError> {
    let after = decode_next_token(next_token)?;
    let page = table.scan_index(tx, index, ikey, after.as_deref(), page_size(max_results))?;
    let token = self::next_token(&page);
    Ok((page.items.into_iter().map(|(_, v)| v).collect(), token))
}

/// One page of a primary-key prefix listing.
pub fn prefix_page<V: serde::de::DeserializeOwned + serde::Serialize>(
    tx: &dyn ReadTx,
    table: &Table<V>,
    prefix: &Key,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> Result<Listing<(Key, V)>, ApiError> {
    let after = decode_next_token(next_token)?;
    let page = table.scan(tx, prefix, after.as_deref(), page_size(max_results))?;
    let token = self::next_token(&page);
    Ok((page.items, token))
}
