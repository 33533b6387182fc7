//! IAM: `SimulatePrincipalPolicy` and `SimulateCustomPolicy`, answered by the same policy engine and
//! the same policy assembly that enforce real requests (`localorg_kernel::authz`), so a simulation and the
//! real call agree.

use std::collections::BTreeMap;
use std::sync::Arc;

use localorg_model::generated::iam::{
    errors, ContextEntry, EvaluationResult, OrganizationsDecisionDetail,
    PermissionsBoundaryDecisionDetail, PolicyEvaluationDecisionType, PolicySourceType,
    SimulateCustomPolicyRequest, SimulatePolicyResponse, SimulatePrincipalPolicyRequest, Statement,
};
use localorg_model::ApiError;
use localorg_policy::{
    CompiledPolicy, ContextValue, Decision, Outcome, PolicySet, PolicyType, Principal,
    PrincipalType, Request,
};

use super::core::{group, name_key, page_of, role, user, USERS};
use localorg_kernel::authz;
use localorg_kernel::Ctx;

/// The entity a `PolicySourceArn` names.
enum Source {
    User(String),
    Group(String),
    Role(String),
}

/// `SimulatePrincipalPolicy`: the user's (with its groups'), group's or role's policies, its
/// permissions boundary and the SCPs of its account, plus any `PolicyInputList` policies.
pub(super) fn simulate_principal_policy(
    ctx: &mut Ctx<'_>,
    input: SimulatePrincipalPolicyRequest,
) -> Result<SimulatePolicyResponse, ApiError> {
    let tx = ctx.tx.read();
    let (account, source) = parse_source(&input.policy_source_arn)?;
    if account != ctx.caller.account_id {
        return Err(no_such_source(&input.policy_source_arn));
    }
    let mut set = PolicySet::new();
    let (principal_kind, entity_kind, name) = match &source {
        Source::User(name) => (PrincipalType::User, "user", name.clone()),
        Source::Group(name) => (PrincipalType::User, "group", name.clone()),
        Source::Role(name) => (PrincipalType::AssumedRole, "role", name.clone()),
    };
    let boundary = match &source {
        Source::User(name) => user(tx, &account, name)?.permissions_boundary,
        Source::Group(name) => {
            group(tx, &account, name)?;
            None
        }
        Source::Role(name) => role(tx, &account, name)?.permissions_boundary,
    };
    let documents = super::policies::identity_policy_documents(tx, &account, entity_kind, &name)?;
    for (id, document) in documents {
        set.identity
            .push(authz::compiled(&id, &document, PolicyType::Identity)?);
    }
    push_inputs(
        &mut set.identity,
        input.policy_input_list.as_deref().unwrap_or_default(),
        "PolicyInputList",
        PolicyType::Identity,
    )?;
    set.boundary = boundary_input(input.permissions_boundary_policy_input_list.as_deref())?;
    if let (None, Some(arn)) = (&set.boundary, boundary) {
        if let Some(document) = super::policies::policy_document(tx, &account, &arn)? {
            set.boundary = Some(authz::compiled(&arn, &document, PolicyType::Boundary)?);
        }
    }
    if let Some(text) = &input.resource_policy {
        set.resource = Some(compile_input(text, "ResourcePolicy", PolicyType::Resource)?);
    }
    set.scps = authz::scp_chain(ctx, tx, &account)?;
    let principal_arn = match &source {
        Source::User(name) => USERS
            .get(tx, &name_key(&account, name))?
            .map(|u| super::core::iam_arn(&account, "user", &u.path, &u.name))
            .unwrap_or_else(|| input.policy_source_arn.clone()),
        _ => input.policy_source_arn.clone(),
    };
    let mut principal = Principal::new(principal_kind, principal_arn, account.clone());
    if let Source::Role(_) = source {
        principal.session_issuer_arn = Some(input.policy_source_arn.clone());
    }
    let simulation = Simulation {
        principal,
        account,
        caller_arn: input.caller_arn,
        resource_owner: input.resource_owner,
        context: input.context_entries.unwrap_or_default(),
    };
    simulation.run(
        &set,
        &input.action_names,
        input.resource_arns,
        input.marker.as_deref(),
        input.max_items,
    )
}

/// `SimulateCustomPolicy`: only the policies given (identity, boundary, resource, and the
/// organization policies as levels from the root down), for the caller's account.
pub(super) fn simulate_custom_policy(
    ctx: &mut Ctx<'_>,
    input: SimulateCustomPolicyRequest,
) -> Result<SimulatePolicyResponse, ApiError> {
    let mut set = PolicySet::new();
    push_inputs(
        &mut set.identity,
        &input.policy_input_list,
        "PolicyInputList",
        PolicyType::Identity,
    )?;
    set.boundary = boundary_input(input.permissions_boundary_policy_input_list.as_deref())?;
    if let Some(text) = &input.resource_policy {
        set.resource = Some(compile_input(text, "ResourcePolicy", PolicyType::Resource)?);
    }
    // Each item of the ordered list is one level of the organization (root first); every level
    // must allow, as with SCPs attached at the root, each OU and the account.
    for (i, level) in input
        .ordered_organization_policy_input_list
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let mut compiled = Vec::new();
        for (j, text) in level
            .service_control_policy_input_list
            .as_deref()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let label = format!("OrderedOrganizationPolicyInputList.{}.{}", i + 1, j + 1);
            compiled.push(compile_input(text, &label, PolicyType::Scp)?);
        }
        set.scps.push(compiled);
    }
    let account = ctx.caller.account_id.clone();
    let arn = input
        .caller_arn
        .clone()
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:user/simulated"));
    let simulation = Simulation {
        principal: Principal::new(PrincipalType::User, arn, account.clone()),
        account,
        caller_arn: input.caller_arn,
        resource_owner: input.resource_owner,
        context: input.context_entries.unwrap_or_default(),
    };
    simulation.run(
        &set,
        &input.action_names,
        input.resource_arns,
        input.marker.as_deref(),
        input.max_items,
    )
}

/// One simulation: a principal, its account, and the context the caller supplied.
struct Simulation {
    principal: Principal,
    account: String,
    caller_arn: Option<String>,
    resource_owner: Option<String>,
    context: Vec<ContextEntry>,
}

impl Simulation {
    /// Evaluates every action against every resource; one result per action and resource.
    fn run(
        &self,
        set: &PolicySet,
        actions: &[String],
        resources: Option<Vec<String>>,
        marker: Option<&str>,
        max_items: Option<i32>,
    ) -> Result<SimulatePolicyResponse, ApiError> {
        let resources = resources
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| vec!["*".to_owned()]);
        let mut results = Vec::new();
        for (a, action) in actions.iter().enumerate() {
            for (r, resource) in resources.iter().enumerate() {
                let request = self.request(action, resource)?;
                let decision = set.evaluate(&request);
                results.push((
                    format!("{a:06}{r:06}"),
                    result(action, resource, &decision, set),
                ));
            }
        }
        let (evaluation_results, truncated, next) = page_of(results, marker, max_items)?;
        Ok(SimulatePolicyResponse {
            evaluation_results: Some(evaluation_results),
            is_truncated: Some(truncated),
            marker: next,
        })
    }

    fn request(&self, action: &str, resource: &str) -> Result<Request, ApiError> {
        let mut principal = self.principal.clone();
        if let Some(caller) = &self.caller_arn {
            principal.arn = caller.clone();
        }
        let owner = self
            .resource_owner
            .as_deref()
            .map_or(self.account.as_str(), |o| {
                o.strip_prefix("arn:aws:iam::")
                    .and_then(|r| r.split(':').next())
                    .unwrap_or(o)
            });
        let mut request = Request::new(principal, action, resource).with_resource_account(owner);
        for entry in &self.context {
            let Some(name) = entry.context_key_name.as_deref() else {
                continue;
            };
            let values = entry.context_key_values.clone().unwrap_or_default();
            let is_list = entry
                .context_key_type
                .as_ref()
                .is_some_and(|t| t.as_str().ends_with("List"));
            let value = match (is_list, values.as_slice()) {
                (true, _) => ContextValue::Multi(values),
                (false, [single]) => ContextValue::Single(single.clone()),
                (false, _) => ContextValue::Multi(values),
            };
            request = request.with_context(name, value);
        }
        Ok(request)
    }
}

/// The `EvaluationResult` of one decision.
fn result(action: &str, resource: &str, decision: &Decision, set: &PolicySet) -> EvaluationResult {
    let eval_decision = match decision.effect {
        Outcome::Allow => PolicyEvaluationDecisionType::Allowed,
        Outcome::ExplicitDeny => PolicyEvaluationDecisionType::ExplicitDeny,
        Outcome::ImplicitDeny => PolicyEvaluationDecisionType::ImplicitDeny,
    };
    let decided_against = |kind: PolicyType| {
        decision
            .deciding
            .iter()
            .any(|d| d.kind == kind && decision.effect == Outcome::ExplicitDeny)
            || decision.missing.as_ref().is_some_and(|m| m.kind == kind)
    };
    let matched = decision
        .deciding
        .iter()
        .map(|d| Statement {
            source_policy_id: Some(d.policy.to_string()),
            source_policy_type: Some(source_type(d.kind, &d.policy)),
            ..Default::default()
        })
        .collect();
    let mut details = BTreeMap::new();
    details.insert("IAM Policy".to_owned(), eval_decision);
    EvaluationResult {
        eval_action_name: action.to_owned(),
        eval_decision,
        eval_decision_details: Some(details),
        eval_resource_name: Some(resource.to_owned()),
        matched_statements: Some(matched),
        missing_context_values: Some(Vec::new()),
        organizations_decision_detail: (!set.scps.is_empty()).then(|| {
            OrganizationsDecisionDetail {
                allowed_by_organizations: Some(!decided_against(PolicyType::Scp)),
            }
        }),
        permissions_boundary_decision_detail: set.boundary.as_ref().map(|_| {
            PermissionsBoundaryDecisionDetail {
                allowed_by_permissions_boundary: Some(!decided_against(PolicyType::Boundary)),
            }
        }),
        resource_specific_results: None,
    }
}

/// IAM's `SourcePolicyType` of a deciding statement.
fn source_type(kind: PolicyType, policy_id: &str) -> PolicySourceType {
    match kind {
        PolicyType::Resource | PolicyType::Trust => PolicySourceType::Resource,
        _ if policy_id.starts_with("arn:aws:iam::aws:policy/") => PolicySourceType::AwsManaged,
        _ if policy_id.starts_with("arn:aws:iam::") => PolicySourceType::UserManaged,
        PolicyType::Identity => PolicySourceType::User,
        _ => PolicySourceType::None,
    }
}

fn push_inputs(
    into: &mut Vec<Arc<CompiledPolicy>>,
    documents: &[String],
    list: &str,
    kind: PolicyType,
) -> Result<(), ApiError> {
    for (i, text) in documents.iter().enumerate() {
        into.push(compile_input(text, &format!("{list}.{}", i + 1), kind)?);
    }
    Ok(())
}

/// The permissions boundary given in the request (`PermissionsBoundaryPolicyInputList`: IAM takes
/// one), which replaces the entity's own.
fn boundary_input(list: Option<&[String]>) -> Result<Option<Arc<CompiledPolicy>>, ApiError> {
    list.and_then(<[String]>::first)
        .map(|text| {
            compile_input(
                text,
                "PermissionsBoundaryPolicyInputList.1",
                PolicyType::Boundary,
            )
        })
        .transpose()
}

/// A policy given in the request: validated like a stored one (`InvalidInput` as IAM answers for
/// simulation inputs), named by its place in the request.
fn compile_input(text: &str, id: &str, kind: PolicyType) -> Result<Arc<CompiledPolicy>, ApiError> {
    CompiledPolicy::compile(text, id, kind)
        .map(Arc::new)
        .map_err(|e| {
            errors::INVALID_INPUT_EXCEPTION
                .error(format!("{id} is not a valid policy: {}", e.aws_message))
        })
}

/// Splits `arn:aws:iam::ACCOUNT:user/path/name` into the account and the entity.
fn parse_source(arn: &str) -> Result<(String, Source), ApiError> {
    let invalid = || errors::INVALID_INPUT_EXCEPTION.error(format!("Invalid ARN: {arn}"));
    let rest = arn.strip_prefix("arn:aws:iam::").ok_or_else(invalid)?;
    let (account, resource) = rest.split_once(':').ok_or_else(invalid)?;
    let (kind, path_name) = resource.split_once('/').ok_or_else(invalid)?;
    let name = path_name
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .ok_or_else(invalid)?
        .to_owned();
    let source = match kind {
        "user" => Source::User(name),
        "group" => Source::Group(name),
        "role" => Source::Role(name),
        _ => return Err(invalid()),
    };
    Ok((account.to_owned(), source))
}

fn no_such_source(arn: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("Unable to find the entity {arn}."))
}
