//! `AssumeRole`: the role's trust policy and the caller's own permissions, decided by the policy
//! engine as AWS decides them, then a role session.

use localorg_model::generated::sts::{
    errors, AssumeRoleRequest, AssumeRoleResponse, AssumedRoleUser,
};
use localorg_model::ApiError;
use localorg_policy::{ContextValue, Outcome, PolicySet, PolicyType, Request};

use super::session::{self, NewSession};
use localorg_kernel::context::{PrincipalKind, SessionContext};
use localorg_kernel::directory::RoleFacts;
use localorg_kernel::Ctx;

/// Role chaining caps sessions at one hour.
const CHAINED_MAX_SECONDS: i32 = 3600;

/// Sessions last one hour unless `DurationSeconds` says otherwise.
const DEFAULT_SECONDS: i32 = 3600;

/// `AssumeRole`.
pub fn assume_role(
    ctx: &mut Ctx<'_>,
    input: AssumeRoleRequest,
) -> Result<AssumeRoleResponse, ApiError> {
    let caller = ctx.caller;
    let not_authorized = |action: &str| {
        ApiError::new(
            "AccessDenied",
            403,
            format!(
                "User: {} is not authorized to perform: {action} on resource: {}",
                caller.arn, input.role_arn
            ),
        )
    };
    match &caller.kind {
        PrincipalKind::Root => {
            return Err(ApiError::new(
                "AccessDenied",
                403,
                "Roles may not be assumed by root accounts.",
            ))
        }
        // Federated users' credentials may call no STS operation but GetCallerIdentity.
        PrincipalKind::FederatedUser { .. } | PrincipalKind::Anonymous => {
            return Err(not_authorized("sts:AssumeRole"))
        }
        PrincipalKind::User { .. } | PrincipalKind::AssumedRole { .. } => {}
    }
    let chained = matches!(caller.kind, PrincipalKind::AssumedRole { .. });
    let inherited = caller.session.clone().unwrap_or_default();

    // The role: a role ARN naming an existing role (AWS answers a missing role like a denial).
    let (role_account, role_path, role_name) =
        parse_role_arn(&input.role_arn).ok_or_else(|| invalid_role_arn(&input.role_arn))?;
    let role = find_role(ctx, &role_account, &role_path, &role_name)?
        .ok_or_else(|| not_authorized("sts:AssumeRole"))?;
    let role_arn = role.arn();

    // Session tags: the request's, plus the transitive ones of a chained session (which the
    // request may not override).
    let request_tags = session::request_tags(input.tags.as_deref())?;
    let request_transitive: Vec<String> = input.transitive_tag_keys.clone().unwrap_or_default();
    for key in &request_transitive {
        if !request_tags
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return Err(ApiError::new(
                "ValidationError",
                400,
                format!("The transitive tag key {key} must also be a session tag of the request."),
            ));
        }
    }
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut transitive: Vec<String> = Vec::new();
    for (k, v) in &inherited.tags {
        if inherited
            .transitive_tag_keys
            .iter()
            .any(|t| t.eq_ignore_ascii_case(k))
        {
            tags.push((k.clone(), v.clone()));
            transitive.push(k.clone());
        }
    }
    for (k, v) in &request_tags {
        if tags.iter().any(|(t, _)| t.eq_ignore_ascii_case(k)) {
            return Err(session::duplicate_tag_keys());
        }
        tags.push((k.clone(), v.clone()));
    }
    for key in request_transitive {
        if !transitive.iter().any(|t| t.eq_ignore_ascii_case(&key)) {
            transitive.push(key);
        }
    }

    // Source identity: set once, never changed down a chain.
    let source_identity = match (&inherited.source_identity, &input.source_identity) {
        (Some(old), Some(new)) if old != new => {
            return Err(ApiError::new(
                "AccessDenied",
                403,
                format!(
                    "User: {} is not authorized to perform: sts:SetSourceIdentity on resource: \
                     {role_arn} (the source identity of a role session cannot be changed)",
                    caller.arn
                ),
            ))
        }
        (Some(old), _) => Some(old.clone()),
        (None, new) => new.clone(),
    };

    // Session policies (validated, counted with the tags against the packed limit).
    let packed = session::pack(
        input.policy.as_deref(),
        input.policy_arns.as_deref(),
        &request_tags,
    )?;
    check_policy_arns(ctx, &role.account_id, &packed.policy_arns)?;

    // MFA given now, or carried by the caller's session.
    let mfa_now = session::check_mfa(
        ctx,
        input.serial_number.as_deref(),
        input.token_code.as_deref(),
    )?;
    let mfa_ms = if mfa_now {
        Some(ctx.now_ms())
    } else {
        inherited.mfa_authenticated_ms
    };

    // The decision: trust policy (resource side, bounded by the role account's RCPs) + the caller's
    // identity side, SCPs included.
    let tx = ctx.tx.read();
    let placement = localorg_kernel::authz::placement(ctx, tx, &ctx.caller.account_id)?;
    let placement = placement.as_ref();
    let mut policies: PolicySet = localorg_kernel::authz::policies_for(ctx, tx, placement)?;
    policies.resource = Some(localorg_kernel::authz::compiled(
        &role_arn,
        &role.trust_policy,
        PolicyType::Trust,
    )?);
    // STS is one of the services resource control policies cover: the role's account's RCPs.
    policies.rcps = localorg_kernel::authz::rcp_chain(ctx, tx, &role.account_id)?;
    let request = |action: &str| -> Result<Request, ApiError> {
        let mut req = localorg_kernel::authz::request_for(ctx, tx, placement, action, &role_arn)?
            .with_resource_account(role.account_id.clone())
            .with_context("sts:RoleSessionName", input.role_session_name.clone());
        if let Some(external_id) = &input.external_id {
            req = req.with_context("sts:ExternalId", external_id.clone());
        }
        if let Some(source) = &input.source_identity {
            req = req.with_context("sts:SourceIdentity", source.clone());
        }
        if mfa_now {
            req = req
                .with_context("aws:MultiFactorAuthPresent", true)
                .with_context("aws:MultiFactorAuthAge", "0");
        }
        if !request_tags.is_empty() {
            for (k, v) in &request_tags {
                req = req.with_context(&format!("aws:RequestTag/{k}"), v.clone());
            }
            req = req.with_context(
                "aws:TagKeys",
                ContextValue::Multi(request_tags.iter().map(|(k, _)| k.clone()).collect()),
            );
        }
        if !transitive.is_empty() {
            req = req.with_context(
                "sts:TransitiveTagKeys",
                ContextValue::Multi(transitive.clone()),
            );
        }
        Ok(req)
    };
    // Passing session tags needs sts:TagSession, setting (or carrying) a source identity
    // sts:SetSourceIdentity, in the trust policy as well as for the caller.
    let mut actions = vec!["sts:AssumeRole"];
    if !request_tags.is_empty() {
        actions.push("sts:TagSession");
    }
    if source_identity.is_some() {
        actions.push("sts:SetSourceIdentity");
    }
    for action in actions {
        let req = request(action)?;
        let decision = policies.evaluate(&req);
        if decision.effect != Outcome::Allow {
            return Err(ApiError::new("AccessDenied", 403, decision.message(&req)));
        }
    }

    // Duration: the role's maximum; one hour when chaining.
    let seconds = input.duration_seconds.unwrap_or(DEFAULT_SECONDS);
    if chained && seconds > CHAINED_MAX_SECONDS {
        return Err(session::duration_error(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by \
             role chaining.",
        ));
    }
    if seconds > role.max_session_duration {
        return Err(session::duration_error(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }

    let (issued_ms, expires_ms) = session::lifetime(ctx, i64::from(seconds));
    let session_name = input.role_session_name.clone();
    let assumed_role_id = format!("{}:{session_name}", role.id);
    let arn = format!(
        "arn:aws:sts::{}:assumed-role/{}/{session_name}",
        role.account_id, role.name
    );
    let issued = session::issue(
        ctx,
        NewSession {
            account_id: role.account_id.clone(),
            principal: PrincipalKind::AssumedRole {
                role_name: role.name.clone(),
                role_path: role.path.clone(),
                session_name,
            },
            principal_id: assumed_role_id.clone(),
            principal_arn: arn.clone(),
            context: SessionContext {
                issued_ms,
                expires_ms,
                mfa_authenticated_ms: mfa_ms,
                policies: packed.policy.clone().into_iter().collect(),
                policy_arns: packed.policy_arns.clone(),
                tags,
                transitive_tag_keys: transitive,
                source_identity: source_identity.clone(),
                chained,
            },
            min_token_size: input.minimum_session_token_size,
            packed_bytes: packed.bytes,
        },
    )?;

    // RoleLastUsed.
    let (now, region, directory) = (ctx.now_ms(), ctx.region, ctx.directory());
    directory.record_role_use(ctx.tx.write()?, &role.account_id, &role.name, now, region)?;

    Ok(AssumeRoleResponse {
        assumed_role_user: Some(AssumedRoleUser {
            arn,
            assumed_role_id,
        }),
        credentials: Some(issued.credentials),
        packed_policy_size: (input.policy.is_some()
            || input.policy_arns.as_ref().is_some_and(|a| !a.is_empty())
            || !request_tags.is_empty())
        .then_some(packed.percent),
        session_token_size: Some(issued.token_size),
        session_token_utilization: Some(issued.token_utilization),
        source_identity,
    })
}

/// `arn:aws:iam::ACCOUNT:role{path}NAME` -> (account, path, name).
fn parse_role_arn(arn: &str) -> Option<(String, String, String)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let path_and_name = resource.strip_prefix("role")?;
    if !path_and_name.starts_with('/') {
        return None;
    }
    let (path, name) = path_and_name.rsplit_once('/')?;
    if name.is_empty() {
        return None;
    }
    Some((account.to_owned(), format!("{path}/"), name.to_owned()))
}

/// The role an ARN names: same account, name (without regard to case) and path.
fn find_role(
    ctx: &Ctx<'_>,
    account_id: &str,
    path: &str,
    name: &str,
) -> Result<Option<RoleFacts>, ApiError> {
    Ok(ctx
        .directory()
        .role(ctx.tx.read(), account_id, name)?
        .filter(|r| r.path == path))
}

/// A `RoleArn` that is not a role ARN at all.
fn invalid_role_arn(arn: &str) -> ApiError {
    errors_validation(&format!("{arn} is not a valid role ARN."))
}

fn errors_validation(message: &str) -> ApiError {
    ApiError::new("ValidationError", 400, message.to_owned())
}

/// Managed session policies must exist: AWS managed ones anywhere, customer managed ones in the
/// role's account.
fn check_policy_arns(ctx: &Ctx<'_>, role_account: &str, arns: &[String]) -> Result<(), ApiError> {
    for arn in arns {
        if !ctx
            .directory()
            .session_policy_exists(ctx.tx.read(), role_account, arn)?
        {
            return Err(errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION
                .error(format!("Policy {arn} does not exist or is not attachable.")));
        }
    }
    Ok(())
}
