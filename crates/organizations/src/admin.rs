//! Organizations: trusted access for AWS services, delegated administrators, and the
//! organization's resource-based policy.
//!
//! Choices (repeated at the code):
//! - Service principals: the ones AWS lists as integrating with Organizations are known, with
//!   whether they support a delegated administrator and how many. Any other principal under
//!   `amazonaws.com` is accepted for trusted access (AWS adds services faster than this table) and
//!   gets at most one delegated administrator; anything else is
//!   `InvalidInputException` `UNRECOGNIZED_SERVICE_PRINCIPAL`.
//! - Trusted access and delegated administrators need all features
//!   (`ConstraintViolationException` `ORGANIZATION_NOT_IN_ALL_FEATURES_MODE`), and a delegated
//!   administrator needs trusted access for its service first (`SERVICE_ACCESS_NOT_ENABLED`, as
//!   AWS documents the reason). Enabling twice or disabling a disabled service succeeds.
//!   Disabling trusted access also deregisters the service's delegated administrators.
//! - The resource policy must be a JSON object with a `Statement`; anything else is
//!   `MalformedPolicyDocumentException`. Tags apply when the policy is created.

use localorg_model::generated::organizations::{
    errors, DelegatedAdministrator, DelegatedService, DeregisterDelegatedAdministratorRequest,
    DescribeResourcePolicyResponse, DisableAWSServiceAccessRequest, EnableAWSServiceAccessRequest,
    EnabledServicePrincipal, ListAWSServiceAccessForOrganizationRequest,
    ListAWSServiceAccessForOrganizationResponse, ListDelegatedAdministratorsRequest,
    ListDelegatedAdministratorsResponse, ListDelegatedServicesForAccountRequest,
    ListDelegatedServicesForAccountResponse, PutResourcePolicyRequest, PutResourcePolicyResponse,
    RegisterDelegatedAdministratorRequest, ResourcePolicy, ResourcePolicySummary,
};
use localorg_model::ApiError;
use localorg_store::{decode_token, encode_token, Key};

use super::core::{
    invalid_token, managed_org, member_account, page_size, readable_org, ts, DELEGATIONS, ORGS,
    RESOURCE_POLICIES, TAGS,
};
use super::records::{DelegationRecord, OrganizationRecord, ResourcePolicyRecord};
use localorg_kernel::context::LOWER_ALNUM;
use localorg_kernel::Ctx;

// ---------------------------------------------------------------------------------------------
// Service principals
// ---------------------------------------------------------------------------------------------

/// Services that integrate with Organizations: (principal, how many delegated administrators it
/// supports; 0 = none).
const KNOWN_SERVICES: &[(&str, usize)] = &[
    ("access-analyzer.amazonaws.com", 1),
    ("account.amazonaws.com", 1),
    ("auditmanager.amazonaws.com", 1),
    ("aws-artifact-account-sync.amazonaws.com", 0),
    ("backup.amazonaws.com", 1),
    ("cloudtrail.amazonaws.com", 3),
    ("compute-optimizer.amazonaws.com", 1),
    ("config.amazonaws.com", 3),
    ("config-multiaccountsetup.amazonaws.com", 3),
    ("controltower.amazonaws.com", 0),
    ("cost-optimization-hub.bcm.amazonaws.com", 1),
    ("detective.amazonaws.com", 1),
    ("devops-guru.amazonaws.com", 1),
    ("ds.amazonaws.com", 0),
    ("fms.amazonaws.com", 1),
    ("guardduty.amazonaws.com", 1),
    ("malware-protection.guardduty.amazonaws.com", 1),
    ("health.amazonaws.com", 1),
    ("iam.amazonaws.com", 0),
    ("inspector2.amazonaws.com", 1),
    ("ipam.amazonaws.com", 1),
    ("license-manager.amazonaws.com", 1),
    ("license-management.marketplace.amazonaws.com", 1),
    ("macie.amazonaws.com", 1),
    ("member.org.stacksets.cloudformation.amazonaws.com", 5),
    ("mgn.amazonaws.com", 1),
    ("networkmanager.amazonaws.com", 1),
    ("ram.amazonaws.com", 0),
    ("reachabilityanalyzer.networkinsights.amazonaws.com", 1),
    ("reporting.trustedadvisor.amazonaws.com", 1),
    ("resource-explorer-2.amazonaws.com", 0),
    ("securityhub.amazonaws.com", 1),
    ("securitylake.amazonaws.com", 1),
    ("servicecatalog.amazonaws.com", 1),
    ("servicequotas.amazonaws.com", 0),
    ("ssm.amazonaws.com", 1),
    ("sso.amazonaws.com", 1),
    ("storage-lens.s3.amazonaws.com", 1),
    ("tagpolicies.tag.amazonaws.com", 0),
    ("wellarchitected.amazonaws.com", 1),
];

/// Policy types that only work with their service's trusted access.
const SERVICE_POLICY_TYPES: &[(&str, &str)] = &[
    ("securityhub.amazonaws.com", "SECURITYHUB_POLICY"),
    ("inspector2.amazonaws.com", "INSPECTOR_POLICY"),
];

fn unrecognized_principal() -> ApiError {
    errors::INVALID_INPUT_EXCEPTION
        .error("You specified a service principal that isn't recognized.")
        .with_field("Reason", "UNRECOGNIZED_SERVICE_PRINCIPAL")
}

/// How many delegated administrators `principal` supports; `UNRECOGNIZED_SERVICE_PRINCIPAL` for
/// principals that are not AWS services.
fn service_limit(principal: &str) -> Result<usize, ApiError> {
    if let Some((_, max)) = KNOWN_SERVICES.iter().find(|(p, _)| *p == principal) {
        return Ok(*max);
    }
    // Choice: services missing from the table are accepted when they look like AWS services.
    let label = principal.strip_suffix(".amazonaws.com").unwrap_or_default();
    if !label.is_empty() && !label.starts_with('.') && !label.ends_with('.') {
        return Ok(1);
    }
    Err(unrecognized_principal())
}

fn constraint(reason: &str, message: &str) -> ApiError {
    errors::CONSTRAINT_VIOLATION_EXCEPTION
        .error(message)
        .with_field("Reason", reason)
}

fn require_all_features(org: &OrganizationRecord) -> Result<(), ApiError> {
    if org.feature_set != "ALL" {
        return Err(constraint(
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "You attempted to perform an operation that requires the organization to be configured to support all features. An organization that supports only consolidated billing features can't perform this operation.",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Paging over small in-memory lists
// ---------------------------------------------------------------------------------------------

/// One page of `items` (already in listing order, each with a unique cursor string) after
/// `token`. Tokens carry `tag` so one listing's token is refused by another.
fn cursor_page<T>(
    items: Vec<(String, T)>,
    tag: &str,
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let after = match token {
        Some(t) => {
            let raw = decode_token(t).map_err(|_| invalid_token())?;
            let text = String::from_utf8(raw).map_err(|_| invalid_token())?;
            let rest = text
                .strip_prefix(tag)
                .and_then(|r| r.strip_prefix(':'))
                .ok_or_else(invalid_token)?;
            Some(rest.to_owned())
        }
        None => None,
    };
    let start = match &after {
        Some(a) => items
            .iter()
            .position(|(c, _)| c.as_str() > a.as_str())
            .unwrap_or(items.len()),
        None => 0,
    };
    let size = page_size(max_results);
    let total = items.len();
    let mut page = Vec::new();
    let mut last = None;
    for (cursor, item) in items.into_iter().skip(start).take(size) {
        last = Some(cursor);
        page.push(item);
    }
    let next = match last {
        Some(cursor) if start + page.len() < total => {
            Some(encode_token(format!("{tag}:{cursor}").as_bytes()))
        }
        _ => None,
    };
    Ok((page, next))
}

// ---------------------------------------------------------------------------------------------
// Trusted access
// ---------------------------------------------------------------------------------------------

/// `EnableAWSServiceAccess`: lets a service work across the organization (management account).
pub(super) fn enable_aws_service_access(
    ctx: &mut Ctx<'_>,
    input: EnableAWSServiceAccessRequest,
) -> Result<(), ApiError> {
    let mut org = managed_org(ctx)?;
    service_limit(&input.service_principal)?;
    require_all_features(&org)?;
    if org
        .service_access
        .iter()
        .any(|(p, _)| p == &input.service_principal)
    {
        return Ok(());
    }
    org.service_access
        .push((input.service_principal, ctx.now_ms()));
    let tx = ctx.tx.write()?;
    ORGS.put(tx, &Key::new().str(&org.id), &org)?;
    Ok(())
}

/// `DisableAWSServiceAccess`: ends a service's trusted access and its delegated administrators.
pub(super) fn disable_aws_service_access(
    ctx: &mut Ctx<'_>,
    input: DisableAWSServiceAccessRequest,
) -> Result<(), ApiError> {
    let mut org = managed_org(ctx)?;
    let principal = input.service_principal;
    service_limit(&principal)?;
    if let Some((_, policy_type)) = SERVICE_POLICY_TYPES.iter().find(|(p, _)| *p == principal) {
        if org.enabled_policy_types.iter().any(|t| t == policy_type) {
            return Err(constraint(
                "POLICY_TYPE_ENABLED_FOR_THIS_SERVICE",
                &format!("You attempted to disable service access before you disabled the policy type ({policy_type}). To complete this operation, you must first disable the policy type."),
            ));
        }
    }
    let before = org.service_access.len();
    org.service_access.retain(|(p, _)| p != &principal);
    let delegations: Vec<Key> = DELEGATIONS
        .scan_all(ctx.tx.read(), &Key::new().str(&org.id))?
        .into_iter()
        .filter(|(k, _)| delegation_parts(k).is_some_and(|(_, p)| p == principal))
        .map(|(k, _)| k)
        .collect();
    let tx = ctx.tx.write()?;
    // Choice: without trusted access the service has no delegated administrator either.
    for key in &delegations {
        DELEGATIONS.delete(tx, key)?;
    }
    if org.service_access.len() != before {
        ORGS.put(tx, &Key::new().str(&org.id), &org)?;
    }
    Ok(())
}

/// `ListAWSServiceAccessForOrganization`: management account and delegated administrators.
pub(super) fn list_aws_service_access_for_organization(
    ctx: &mut Ctx<'_>,
    input: ListAWSServiceAccessForOrganizationRequest,
) -> Result<ListAWSServiceAccessForOrganizationResponse, ApiError> {
    let org = readable_org(ctx)?;
    let mut items: Vec<(String, EnabledServicePrincipal)> = org
        .service_access
        .iter()
        .map(|(principal, ms)| {
            (
                principal.clone(),
                EnabledServicePrincipal {
                    service_principal: Some(principal.clone()),
                    date_enabled: Some(ts(*ms)),
                },
            )
        })
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (page, next_token) = cursor_page(
        items,
        "service-access",
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListAWSServiceAccessForOrganizationResponse {
        enabled_service_principals: Some(page),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// Delegated administrators
// ---------------------------------------------------------------------------------------------

/// (account, service principal) of a `DELEGATIONS` key (org, account, principal).
fn delegation_parts(key: &Key) -> Option<(String, String)> {
    let mut d = key.decoder();
    d.str().ok()?;
    let account = d.str().ok()?;
    let principal = d.str().ok()?;
    Some((account, principal))
}

fn not_registered() -> ApiError {
    errors::ACCOUNT_NOT_REGISTERED_EXCEPTION
        .error("The specified account is not a delegated administrator for this AWS service.")
}

/// `RegisterDelegatedAdministrator`: makes a member account a delegated administrator for a
/// service (management account only).
pub(super) fn register_delegated_administrator(
    ctx: &mut Ctx<'_>,
    input: RegisterDelegatedAdministratorRequest,
) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let principal = input.service_principal;
    let max = service_limit(&principal)?;
    if max == 0 {
        return Err(unrecognized_principal());
    }
    require_all_features(&org)?;
    let tx = ctx.tx.read();
    let (account, _) = member_account(tx, &org, &input.account_id)?;
    if account.id == org.management_account_id {
        return Err(constraint(
            "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            "You attempted to register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations. You can designate only a member account as a delegated administrator.",
        ));
    }
    if account.status == "SUSPENDED" {
        return Err(constraint(
            "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
            "You cannot register a suspended account as a delegated administrator.",
        ));
    }
    if !org.service_access.iter().any(|(p, _)| p == &principal) {
        return Err(constraint(
            "SERVICE_ACCESS_NOT_ENABLED",
            "You attempted to register a delegated administrator before you enabled service access. Call the EnableAWSServiceAccess API first.",
        ));
    }
    let key = Key::new().str(&org.id).str(&account.id).str(&principal);
    if DELEGATIONS.contains(tx, &key)? {
        return Err(errors::ACCOUNT_ALREADY_REGISTERED_EXCEPTION.error(
            "The provided account is already a delegated administrator for your organization.",
        ));
    }
    let existing = DELEGATIONS
        .scan_all(tx, &Key::new().str(&org.id))?
        .into_iter()
        .filter(|(k, _)| delegation_parts(k).is_some_and(|(_, p)| p == principal))
        .count();
    if existing >= max {
        return Err(if max == 1 {
            constraint(
                "DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE",
                "You attempted to register an AWS account as a delegated administrator for an AWS service that already has a delegated administrator. To complete this operation, you must first deregister any existing delegated administrators for this service.",
            )
        } else {
            constraint(
                "MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED",
                "You attempted to register more delegated administrators than allowed for the service principal.",
            )
        });
    }
    let record = DelegationRecord {
        enabled_ms: ctx.now_ms(),
    };
    let tx = ctx.tx.write()?;
    DELEGATIONS.put(tx, &key, &record)?;
    Ok(())
}

/// `DeregisterDelegatedAdministrator` (management account only).
pub(super) fn deregister_delegated_administrator(
    ctx: &mut Ctx<'_>,
    input: DeregisterDelegatedAdministratorRequest,
) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    service_limit(&input.service_principal)?;
    let (account, _) = member_account(ctx.tx.read(), &org, &input.account_id)?;
    let key = Key::new()
        .str(&org.id)
        .str(&account.id)
        .str(&input.service_principal);
    if !DELEGATIONS.contains(ctx.tx.read(), &key)? {
        return Err(not_registered());
    }
    let tx = ctx.tx.write()?;
    DELEGATIONS.delete(tx, &key)?;
    Ok(())
}

/// `ListDelegatedAdministrators`: every delegated administrator (once, with its earliest
/// registration), or those of one service.
pub(super) fn list_delegated_administrators(
    ctx: &mut Ctx<'_>,
    input: ListDelegatedAdministratorsRequest,
) -> Result<ListDelegatedAdministratorsResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    // (account, earliest registration), in account order (the table's key order).
    let mut accounts: Vec<(String, i64)> = Vec::new();
    for (key, record) in DELEGATIONS.scan_all(tx, &Key::new().str(&org.id))? {
        let Some((account, principal)) = delegation_parts(&key) else {
            continue;
        };
        if input
            .service_principal
            .as_deref()
            .is_some_and(|p| p != principal)
        {
            continue;
        }
        match accounts.iter_mut().find(|(a, _)| *a == account) {
            Some((_, ms)) => *ms = (*ms).min(record.enabled_ms),
            None => accounts.push((account, record.enabled_ms)),
        }
    }
    let mut items = Vec::with_capacity(accounts.len());
    for (account_id, enabled_ms) in accounts {
        let Ok((account, member)) = member_account(tx, &org, &account_id) else {
            continue;
        };
        // The delegated administrator view is the account view plus the delegation date.
        let a = super::core::account_shape(&org, &account, &member);
        items.push((
            account_id.clone(),
            DelegatedAdministrator {
                id: a.id,
                arn: a.arn,
                email: a.email,
                name: a.name,
                status: a.status,
                state: a.state,
                joined_method: a.joined_method,
                joined_timestamp: a.joined_timestamp,
                delegation_enabled_date: Some(ts(enabled_ms)),
            },
        ));
    }
    let (page, next_token) = cursor_page(
        items,
        "delegated-admins",
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListDelegatedAdministratorsResponse {
        delegated_administrators: Some(page),
        next_token,
    })
}

/// `ListDelegatedServicesForAccount`: the services an account administers;
/// `AccountNotRegisteredException` when it administers none.
pub(super) fn list_delegated_services_for_account(
    ctx: &mut Ctx<'_>,
    input: ListDelegatedServicesForAccountRequest,
) -> Result<ListDelegatedServicesForAccountResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    let (account, _) = member_account(tx, &org, &input.account_id)?;
    let items: Vec<(String, DelegatedService)> = DELEGATIONS
        .scan_all(tx, &Key::new().str(&org.id).str(&account.id))?
        .into_iter()
        .filter_map(|(key, record)| {
            let (_, principal) = delegation_parts(&key)?;
            Some((
                principal.clone(),
                DelegatedService {
                    service_principal: Some(principal),
                    delegation_enabled_date: Some(ts(record.enabled_ms)),
                },
            ))
        })
        .collect();
    if items.is_empty() {
        return Err(not_registered());
    }
    let (page, next_token) = cursor_page(
        items,
        "delegated-services",
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListDelegatedServicesForAccountResponse {
        delegated_services: Some(page),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// Resource policy
// ---------------------------------------------------------------------------------------------

/// `arn:aws:organizations::MGMT:resourcepolicy/o-.../rp-...`.
fn resource_policy_arn(org: &OrganizationRecord, id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:resourcepolicy/{}/{id}",
        org.management_account_id, org.id
    )
}

fn resource_policy_shape(
    org: &OrganizationRecord,
    policy: &ResourcePolicyRecord,
) -> ResourcePolicy {
    ResourcePolicy {
        content: Some(policy.content.clone()),
        resource_policy_summary: Some(ResourcePolicySummary {
            id: Some(policy.id.clone()),
            arn: Some(resource_policy_arn(org, &policy.id)),
        }),
    }
}

fn resource_policy_not_found() -> ApiError {
    errors::RESOURCE_POLICY_NOT_FOUND_EXCEPTION
        .error("We can't find a resource policy request with the parameter that you specified.")
}

/// True for a policy document: a JSON object with a `Statement` (object or non-empty array).
fn is_policy_document(content: &str) -> bool {
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(content)
    else {
        return false;
    };
    match doc.get("Statement") {
        Some(serde_json::Value::Object(_)) => true,
        Some(serde_json::Value::Array(statements)) => {
            !statements.is_empty() && statements.iter().all(serde_json::Value::is_object)
        }
        _ => false,
    }
}

/// `PutResourcePolicy`: creates or replaces the organization's resource policy (management
/// account only).
pub(super) fn put_resource_policy(
    ctx: &mut Ctx<'_>,
    input: PutResourcePolicyRequest,
) -> Result<PutResourcePolicyResponse, ApiError> {
    let org = managed_org(ctx)?;
    if !is_policy_document(&input.content) {
        return Err(errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION.error(
            "The provided policy document doesn't meet the requirements of the specified policy type. The text must be correctly formatted JSON with a Statement.",
        ));
    }
    let org_key = Key::new().str(&org.id);
    let existing = RESOURCE_POLICIES.get(ctx.tx.read(), &org_key)?;
    let created = existing.is_none();
    let policy = ResourcePolicyRecord {
        id: existing
            .map(|p| p.id)
            .unwrap_or_else(|| format!("rp-{}", ctx.ids.string(LOWER_ALNUM, 8))),
        content: input.content,
    };
    let tx = ctx.tx.write()?;
    RESOURCE_POLICIES.put(tx, &org_key, &policy)?;
    if created {
        super::tags::put_tags(tx, &policy.id, input.tags.as_deref().unwrap_or_default())?;
    }
    Ok(PutResourcePolicyResponse {
        resource_policy: Some(resource_policy_shape(&org, &policy)),
    })
}

/// `DescribeResourcePolicy`: management account and delegated administrators.
pub(super) fn describe_resource_policy(
    ctx: &mut Ctx<'_>,
) -> Result<DescribeResourcePolicyResponse, ApiError> {
    let org = readable_org(ctx)?;
    let policy = RESOURCE_POLICIES
        .get(ctx.tx.read(), &Key::new().str(&org.id))?
        .ok_or_else(resource_policy_not_found)?;
    Ok(DescribeResourcePolicyResponse {
        resource_policy: Some(resource_policy_shape(&org, &policy)),
    })
}

/// `DeleteResourcePolicy` (management account only).
pub(super) fn delete_resource_policy(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let org_key = Key::new().str(&org.id);
    let policy = RESOURCE_POLICIES
        .get(ctx.tx.read(), &org_key)?
        .ok_or_else(resource_policy_not_found)?;
    let tx = ctx.tx.write()?;
    RESOURCE_POLICIES.delete(tx, &org_key)?;
    TAGS.delete_prefix(tx, &Key::new().str(&policy.id))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals() {
        assert_eq!(service_limit("sso.amazonaws.com").ok(), Some(1));
        assert_eq!(
            service_limit("member.org.stacksets.cloudformation.amazonaws.com").ok(),
            Some(5)
        );
        assert_eq!(service_limit("tagpolicies.tag.amazonaws.com").ok(), Some(0));
        assert_eq!(service_limit("newservice.amazonaws.com").ok(), Some(1));
        assert!(service_limit("example.com").is_err());
        assert!(service_limit(".amazonaws.com").is_err());
    }

    #[test]
    fn policy_documents() {
        assert!(is_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#
        ));
        assert!(is_policy_document(r#"{"Statement":{"Effect":"Allow"}}"#));
        assert!(!is_policy_document("not json"));
        assert!(!is_policy_document("[]"));
        assert!(!is_policy_document(r#"{"Statement":[]}"#));
    }

    #[test]
    fn pages() {
        let items: Vec<(String, u32)> = (0..5).map(|i| (format!("k{i}"), i)).collect();
        let first = cursor_page(items.clone(), "t", None, Some(2));
        let Ok((page, Some(token))) = first else {
            unreachable!("expected a first page with a token");
        };
        assert_eq!(page, vec![0, 1]);
        let Ok((page, _)) = cursor_page(items.clone(), "t", Some(&token), Some(10)) else {
            unreachable!("expected a second page");
        };
        assert_eq!(page, vec![2, 3, 4]);
        assert!(cursor_page(items, "other", Some(&token), None).is_err());
    }
}
