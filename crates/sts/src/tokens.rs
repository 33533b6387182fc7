//! `GetSessionToken`, `GetFederationToken` and `AssumeRoot`.

use localorg_model::generated::sts::{
    AssumeRootRequest, AssumeRootResponse, FederatedUser, GetFederationTokenRequest,
    GetFederationTokenResponse, GetSessionTokenRequest, GetSessionTokenResponse,
};
use localorg_model::ApiError;
use localorg_policy::{ContextValue, Outcome};

use super::session::{self, NewSession};
use localorg_kernel::context::{PrincipalKind, SessionContext};
use localorg_kernel::Ctx;

/// `GetSessionToken` and `GetFederationToken` default to 12 hours.
const DEFAULT_LONG_SECONDS: i32 = 43_200;
/// Root sessions last at most one hour (longer requests are cut to one hour, as AWS does).
const ROOT_MAX_SECONDS: i32 = 3600;
/// `AssumeRoot` sessions: 15 minutes at most, and by default.
const ROOT_TASK_SECONDS: i32 = 900;
/// The service principal delegated administrators of centralized root access are registered for.
const IAM_SERVICE_PRINCIPAL: &str = "iam.amazonaws.com";

fn access_denied(message: String) -> ApiError {
    ApiError::new("AccessDenied", 403, message)
}

/// `GetSessionToken`: the caller's own permissions, for a while, with MFA context when a code is
/// given. IAM users and root users with long-term keys only.
pub fn get_session_token(
    ctx: &mut Ctx<'_>,
    input: GetSessionTokenRequest,
) -> Result<GetSessionTokenResponse, ApiError> {
    let caller = ctx.caller;
    if caller.session.is_some() {
        return Err(access_denied(
            "Cannot call GetSessionToken with session credentials".to_owned(),
        ));
    }
    let is_root = match &caller.kind {
        PrincipalKind::Root => true,
        PrincipalKind::User { .. } => false,
        _ => {
            return Err(access_denied(
                "Cannot call GetSessionToken with session credentials".to_owned(),
            ))
        }
    };
    let mut seconds = input.duration_seconds.unwrap_or(DEFAULT_LONG_SECONDS);
    if is_root {
        seconds = seconds.min(ROOT_MAX_SECONDS);
    }
    let mfa = session::check_mfa(
        ctx,
        input.serial_number.as_deref(),
        input.token_code.as_deref(),
    )?;
    let (issued_ms, expires_ms) = session::lifetime(ctx, i64::from(seconds));
    let caller = ctx.caller;
    let issued = session::issue(
        ctx,
        NewSession {
            account_id: caller.account_id.clone(),
            principal: caller.kind.clone(),
            principal_id: caller.user_id.clone(),
            principal_arn: if is_root {
                String::new()
            } else {
                caller.arn.clone()
            },
            context: SessionContext {
                issued_ms,
                expires_ms,
                mfa_authenticated_ms: mfa.then_some(issued_ms),
                ..SessionContext::default()
            },
            min_token_size: input.minimum_session_token_size,
            packed_bytes: 0,
        },
    )?;
    Ok(GetSessionTokenResponse {
        credentials: Some(issued.credentials),
        session_token_size: Some(issued.token_size),
        session_token_utilization: Some(issued.token_utilization),
    })
}

/// `GetFederationToken`: a federated user whose permissions are the intersection of the calling
/// user's and the session policies given (none given: no permissions).
pub fn get_federation_token(
    ctx: &mut Ctx<'_>,
    input: GetFederationTokenRequest,
) -> Result<GetFederationTokenResponse, ApiError> {
    let caller = ctx.caller;
    if caller.session.is_some() {
        return Err(access_denied(
            "Cannot call GetFederationToken with session credentials".to_owned(),
        ));
    }
    let issuer = match &caller.kind {
        PrincipalKind::User { name } => name.clone(),
        // AWS allows it (and advises against it).
        PrincipalKind::Root => "root".to_owned(),
        _ => {
            return Err(access_denied(
                "Cannot call GetFederationToken with session credentials".to_owned(),
            ))
        }
    };
    let is_root = matches!(caller.kind, PrincipalKind::Root);
    let account = caller.account_id.clone();
    let tags = session::request_tags(input.tags.as_deref())?;
    let packed = session::pack(input.policy.as_deref(), input.policy_arns.as_deref(), &tags)?;
    for arn in &packed.policy_arns {
        if !ctx
            .directory()
            .session_policy_exists(ctx.tx.read(), &account, arn)?
        {
            return Err(
                localorg_model::generated::sts::errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION
                    .error(format!("Policy {arn} does not exist or is not attachable.")),
            );
        }
    }
    let arn = format!("arn:aws:sts::{account}:federated-user/{}", input.name);
    // Passing session tags needs sts:TagSession in the caller's identity policies.
    if !tags.is_empty() && !is_root {
        let tx = ctx.tx.read();
        let policies = localorg_kernel::authz::caller_policies(ctx, tx)?;
        let mut req = localorg_kernel::authz::base_request(ctx, tx, "sts:TagSession", &arn)?;
        for (k, v) in &tags {
            req = req.with_context(&format!("aws:RequestTag/{k}"), v.clone());
        }
        req = req.with_context(
            "aws:TagKeys",
            ContextValue::Multi(tags.iter().map(|(k, _)| k.clone()).collect()),
        );
        let decision = policies.evaluate(&req);
        if decision.effect != Outcome::Allow {
            return Err(access_denied(decision.message(&req)));
        }
    }
    let mut seconds = input.duration_seconds.unwrap_or(DEFAULT_LONG_SECONDS);
    if is_root {
        seconds = seconds.min(ROOT_MAX_SECONDS);
    }
    let given_policies = packed.policy.is_some() || !packed.policy_arns.is_empty();
    let policies = match &packed.policy {
        Some(p) => vec![p.clone()],
        None if packed.policy_arns.is_empty() => vec![session::NO_PERMISSIONS_POLICY.to_owned()],
        None => Vec::new(),
    };
    let federated_user_id = format!("{account}:{}", input.name);
    let (issued_ms, expires_ms) = session::lifetime(ctx, i64::from(seconds));
    let issued = session::issue(
        ctx,
        NewSession {
            account_id: account,
            principal: PrincipalKind::FederatedUser {
                name: input.name.clone(),
                issuer_user: issuer,
            },
            principal_id: federated_user_id.clone(),
            principal_arn: arn.clone(),
            context: SessionContext {
                issued_ms,
                expires_ms,
                policies,
                policy_arns: packed.policy_arns.clone(),
                tags: tags.clone(),
                ..SessionContext::default()
            },
            min_token_size: input.minimum_session_token_size,
            packed_bytes: packed.bytes,
        },
    )?;
    Ok(GetFederationTokenResponse {
        credentials: Some(issued.credentials),
        federated_user: Some(FederatedUser {
            arn,
            federated_user_id,
        }),
        packed_policy_size: (given_policies || !tags.is_empty()).then_some(packed.percent),
        session_token_size: Some(issued.token_size),
        session_token_utilization: Some(issued.token_utilization),
    })
}

/// `AssumeRoot`: a short root session in a member account, scoped by an AWS task policy, for the
/// management account or the delegated administrator of centralized root access.
pub fn assume_root(
    ctx: &mut Ctx<'_>,
    input: AssumeRootRequest,
) -> Result<AssumeRootResponse, ApiError> {
    let caller = ctx.caller;
    let target = target_account(&input.target_principal).ok_or_else(|| {
        ApiError::new(
            "ValidationError",
            400,
            format!(
                "TargetPrincipal {} is not an account id or an account root user ARN.",
                input.target_principal
            ),
        )
    })?;
    let target_arn = format!("arn:aws:iam::{target}:root");
    let denied = || {
        access_denied(format!(
            "User: {} is not authorized to perform: sts:AssumeRoot on resource: {target_arn}",
            caller.arn
        ))
    };
    // Root users cannot call it; neither can federated users.
    if matches!(
        caller.kind,
        PrincipalKind::Root | PrincipalKind::FederatedUser { .. } | PrincipalKind::Anonymous
    ) {
        return Err(denied());
    }
    let task_arn = input.task_policy_arn.arn.clone().unwrap_or_default();
    let task_policy = super::policies::root_task_policy(&task_arn).ok_or_else(|| {
        ApiError::new(
            "ValidationError",
            400,
            format!(
                "TaskPolicyArn {task_arn} is not a root task policy (arn:aws:iam::aws:policy/root-task/...)."
            ),
        )
    })?;
    let tx = ctx.tx.read();
    let tree = ctx.organizations();
    let Some(org) = tree.placement(tx, &caller.account_id)?.map(|p| p.org) else {
        return Err(denied());
    };
    let is_manager = org.management_account_id == caller.account_id;
    let is_delegate =
        tree.is_delegated_administrator(tx, &org.id, &caller.account_id, IAM_SERVICE_PRINCIPAL)?;
    if !(is_manager || is_delegate) || !ctx.directory().root_sessions_enabled(tx, &org.id)? {
        return Err(denied());
    }
    // The target: a member of the same organization other than the management account.
    let member = tree.placement(tx, &target)?;
    if target == org.management_account_id || member.is_none_or(|p| p.org.id != org.id) {
        return Err(denied());
    }
    let seconds = input.duration_seconds.unwrap_or(ROOT_TASK_SECONDS);
    let (issued_ms, expires_ms) = session::lifetime(ctx, i64::from(seconds));
    let issued = session::issue(
        ctx,
        NewSession {
            account_id: target.clone(),
            principal: PrincipalKind::Root,
            principal_id: target,
            principal_arn: String::new(),
            context: SessionContext {
                issued_ms,
                expires_ms,
                // The task policy travels as the session's (only) session policy document, so
                // enforcement needs no catalogue lookup.
                policies: vec![task_policy.to_owned()],
                ..SessionContext::default()
            },
            min_token_size: input.minimum_session_token_size,
            packed_bytes: 0,
        },
    )?;
    Ok(AssumeRootResponse {
        credentials: Some(issued.credentials),
        session_token_size: Some(issued.token_size),
        session_token_utilization: Some(issued.token_utilization),
        source_identity: None,
    })
}

/// `123456789012` or `arn:aws:iam::123456789012:root` -> the account id.
fn target_account(principal: &str) -> Option<String> {
    let id = principal
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.strip_suffix(":root"))
        .unwrap_or(principal);
    (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}
