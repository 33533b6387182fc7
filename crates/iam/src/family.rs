//! How IAM plugs into the partition: the service family (routing, the resource ARNs and tags
//! authorization evaluates) and the kernel's directory port, which is how every other service
//! reads IAM principals, policies and devices, and provisions roles.

use localorg_kernel::directory::{Directory, PrincipalRef, RoleBoundary, RoleFacts, RoleProvision};
use localorg_kernel::organization::Placement;
use localorg_kernel::{Ctx, IdGen, PrincipalKind, ServiceFamily};
use localorg_model::{ApiError, Service};
use localorg_store::{ReadTx, WriteTx};

use crate::core::{
    already_exists, iam_arn, name_key, GROUPS, INLINE_POLICIES, INSTANCE_PROFILES, POLICIES, ROLES,
    SAML_PROVIDERS, USERS,
};
use crate::records::SamlProviderRecord;
use crate::Iam;

/// AWS IAM, as the partition calls it.
#[derive(Debug, Default, Clone, Copy)]
pub struct IamFamily;

impl ServiceFamily for IamFamily {
    fn services(&self) -> &'static [Service] {
        &[Service::Iam]
    }

    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        _: Service,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        refuse_managed_role_changes(ctx, operation, &input)?;
        localorg_kernel::dispatch_generated!(iam, Iam::new(), ctx, operation, input)
    }

    /// The user, group, role, instance profile, policy or MFA device the input names (with the
    /// entity's path when it exists; `AddUserToGroup`/`RemoveUserFromGroup` act on the group; user
    /// operations without `UserName` act on the calling user).
    fn resource_arn(
        &self,
        ctx: &Ctx<'_>,
        tx: &dyn ReadTx,
        _: Option<&Placement>,
        _: Service,
        operation: &str,
        input: &serde_json::Value,
    ) -> Result<String, ApiError> {
        let field = |name: &str| input.get(name).and_then(serde_json::Value::as_str);
        let account = ctx.caller.account_id.as_str();
        let iam_entity = |kind: &str, name: &str| -> Result<String, ApiError> {
            let key = name_key(account, name);
            let path = match kind {
                "user" => USERS.get(tx, &key)?.map(|u| u.path),
                "group" => GROUPS.get(tx, &key)?.map(|g| g.path),
                "role" => ROLES.get(tx, &key)?.map(|r| r.path),
                _ => INSTANCE_PROFILES.get(tx, &key)?.map(|p| p.path),
            };
            let path = path
                .or_else(|| field("Path").map(str::to_owned))
                .unwrap_or_else(|| "/".to_owned());
            Ok(iam_arn(account, kind, &path, name))
        };
        let group_first = matches!(operation, "AddUserToGroup" | "RemoveUserFromGroup");
        Ok(
            if let (true, Some(group)) = (group_first, field("GroupName")) {
                iam_entity("group", group)?
            } else if let Some(user) = field("UserName") {
                iam_entity("user", user)?
            } else if let Some(group) = field("GroupName") {
                iam_entity("group", group)?
            } else if let Some(role) = field("RoleName") {
                iam_entity("role", role)?
            } else if let Some(profile) = field("InstanceProfileName") {
                iam_entity("instance-profile", profile)?
            } else if let Some(arn) = field("PolicyArn").or_else(|| field("SerialNumber")) {
                arn.to_owned()
            } else if let Some(name) = field("PolicyName").filter(|_| operation == "CreatePolicy") {
                iam_arn(account, "policy", field("Path").unwrap_or("/"), name)
            } else if let Some(name) = field("VirtualMFADeviceName") {
                iam_arn(account, "mfa", field("Path").unwrap_or("/"), name)
            } else if operation.contains("User")
                || operation.contains("AccessKey")
                || operation.contains("LoginProfile")
                || operation == "ChangePassword"
            {
                // Operations that default to the calling user act on it.
                match &ctx.caller.kind {
                    PrincipalKind::User { .. } => ctx.caller.arn.clone(),
                    _ => "*".to_owned(),
                }
            } else {
                "*".to_owned()
            },
        )
    }

    /// Tags of IAM users, roles, instance profiles and customer managed policies.
    fn resource_tags(&self, tx: &dyn ReadTx, arn: &str) -> Result<Vec<(String, String)>, ApiError> {
        let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
            return Ok(Vec::new());
        };
        let Some((account, path)) = rest.split_once(':') else {
            return Ok(Vec::new());
        };
        let Some((kind, path_name)) = path.split_once('/') else {
            return Ok(Vec::new());
        };
        let name = path_name.rsplit('/').next().unwrap_or_default();
        let key = name_key(account, name);
        Ok(match kind {
            "user" => USERS.get(tx, &key)?.map(|u| u.tags),
            "role" => ROLES.get(tx, &key)?.map(|r| r.tags),
            "instance-profile" => INSTANCE_PROFILES.get(tx, &key)?.map(|p| p.tags),
            "policy" => POLICIES.get(tx, &key)?.map(|p| p.tags),
            _ => None,
        }
        .unwrap_or_default())
    }
}

/// IAM operations that change or delete the role their `RoleName` names.
const ROLE_WRITES: &[&str] = &[
    "UpdateRole",
    "UpdateRoleDescription",
    "DeleteRole",
    "UpdateAssumeRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "TagRole",
    "UntagRole",
];

/// `UnmodifiableEntity` for an IAM call that would change a role another service manages
/// (Identity Center's `AWSReservedSSO_…` roles), as AWS protects them.
fn refuse_managed_role_changes(
    ctx: &Ctx<'_>,
    operation: &str,
    input: &serde_json::Value,
) -> Result<(), ApiError> {
    if !ROLE_WRITES.contains(&operation) {
        return Ok(());
    }
    let Some(name) = input.get("RoleName").and_then(serde_json::Value::as_str) else {
        return Ok(());
    };
    let role = ROLES.get(ctx.tx.read(), &name_key(&ctx.caller.account_id, name))?;
    match role {
        Some(r) if r.managed_by.is_some() => Err(crate::roles::protected_role(&r.name)),
        _ => Ok(()),
    }
}

/// The ARN of the customer managed policy `name` under `path` in `account`; `NoSuchEntity` when
/// the account has no such policy.
fn customer_policy_arn(
    tx: &dyn ReadTx,
    account: &str,
    name: &str,
    path: &str,
) -> Result<String, ApiError> {
    let arn = iam_arn(account, "policy", path, name);
    POLICIES
        .get(tx, &name_key(account, name))?
        .filter(|p| p.path == path && p.name == name)
        .map(|_| arn.clone())
        .ok_or_else(|| {
            localorg_model::generated::iam::errors::NO_SUCH_ENTITY_EXCEPTION
                .error(format!("Policy {arn} does not exist or is not attachable."))
        })
}

impl Directory for IamFamily {
    fn identity_policies(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        principal: PrincipalRef<'_>,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let (kind, name) = match principal {
            PrincipalRef::User(name) => ("user", name),
            PrincipalRef::Role(name) => ("role", name),
        };
        crate::policies::identity_policy_documents(tx, account_id, kind, name)
    }

    fn permissions_boundary(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        principal: PrincipalRef<'_>,
    ) -> Result<Option<String>, ApiError> {
        Ok(match principal {
            PrincipalRef::User(name) => USERS
                .get(tx, &name_key(account_id, name))?
                .and_then(|u| u.permissions_boundary),
            PrincipalRef::Role(name) => ROLES
                .get(tx, &name_key(account_id, name))?
                .and_then(|r| r.permissions_boundary),
        })
    }

    fn principal_tags(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        principal: PrincipalRef<'_>,
    ) -> Result<Vec<(String, String)>, ApiError> {
        Ok(match principal {
            PrincipalRef::User(name) => USERS.get(tx, &name_key(account_id, name))?.map(|u| u.tags),
            PrincipalRef::Role(name) => ROLES.get(tx, &name_key(account_id, name))?.map(|r| r.tags),
        }
        .unwrap_or_default())
    }

    fn managed_policy_document(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        arn: &str,
    ) -> Result<Option<String>, ApiError> {
        crate::policies::policy_document(tx, account_id, arn)
    }

    /// AWS managed policies anywhere; customer managed ones in the same account only (AWS:
    /// "customer managed policies must be in the same account as the role").
    fn session_policy_exists(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        arn: &str,
    ) -> Result<bool, ApiError> {
        if arn.starts_with("arn:aws:iam::aws:policy/") {
            return Ok(crate::aws_managed::aws_managed_policy(arn).is_some());
        }
        let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
            return Ok(false);
        };
        let Some((account, resource)) = rest.split_once(':') else {
            return Ok(false);
        };
        if account != account_id {
            return Ok(false);
        }
        let Some(path_and_name) = resource.strip_prefix("policy") else {
            return Ok(false);
        };
        let Some((path, name)) = path_and_name.rsplit_once('/') else {
            return Ok(false);
        };
        Ok(POLICIES
            .get(tx, &name_key(account, name))?
            .is_some_and(|p| p.path == format!("{path}/") && p.name == name))
    }

    fn role(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        name: &str,
    ) -> Result<Option<RoleFacts>, ApiError> {
        Ok(ROLES
            .get(tx, &name_key(account_id, name))?
            .map(|r| RoleFacts {
                account_id: r.account_id,
                name: r.name,
                path: r.path,
                id: r.id,
                trust_policy: r.trust_policy,
                max_session_duration: r.max_session_duration,
            }))
    }

    fn record_role_use(
        &self,
        tx: &mut dyn WriteTx,
        account_id: &str,
        name: &str,
        at_ms: i64,
        region: &str,
    ) -> Result<(), ApiError> {
        let key = name_key(account_id, name);
        if let Some(mut role) = ROLES.get(tx.as_read(), &key)? {
            role.last_used = Some((at_ms, region.to_owned()));
            ROLES.put(tx, &key, &role)?;
        }
        Ok(())
    }

    fn provision_role(
        &self,
        tx: &mut dyn WriteTx,
        ids: &IdGen,
        now_ms: i64,
        role: &RoleProvision<'_>,
    ) -> Result<(), ApiError> {
        let account = role.account_id;
        // Resolve everything first, so that nothing is written when something is missing.
        let mut attach: Vec<(String, String)> = role
            .managed_policies
            .iter()
            .map(|(arn, name)| ((*arn).to_owned(), (*name).to_owned()))
            .collect();
        for (name, path) in role.customer_policies {
            let arn = customer_policy_arn(tx.as_read(), account, name, path)?;
            attach.push((arn, (*name).to_owned()));
        }
        let boundary = match role.boundary {
            None => None,
            Some(RoleBoundary::Managed(arn)) => Some(arn.to_owned()),
            Some(RoleBoundary::Customer(name, path)) => {
                Some(customer_policy_arn(tx.as_read(), account, name, path)?)
            }
        };
        let existing = ROLES.get(tx.as_read(), &name_key(account, role.name))?;
        let mut record = match existing {
            Some(r) if role.managed_by.is_some() && r.managed_by.as_deref() == role.managed_by => {
                crate::roles::validate_trust_policy(role.trust_policy)?;
                crate::roles::clear_role_policies(tx, &r)?;
                let mut r = r;
                r.trust_policy = role.trust_policy.to_owned();
                r.description = role.description.map(str::to_owned);
                r.max_session_duration = role.max_session_duration;
                r
            }
            Some(_) => return Err(already_exists("Role", role.name)),
            None => crate::roles::create_role_record(
                tx,
                ids,
                now_ms,
                account,
                role.name,
                role.path,
                role.trust_policy,
                role.description,
                role.max_session_duration,
            )?,
        };
        record.permissions_boundary = boundary;
        record.managed_by = role.managed_by.map(str::to_owned);
        if let Some((name, metadata)) = role.saml_provider {
            let key = name_key(account, name);
            if !SAML_PROVIDERS.contains(tx.as_read(), &key)? {
                let provider = SamlProviderRecord {
                    account_id: account.to_owned(),
                    name: name.to_owned(),
                    metadata: metadata.to_owned(),
                    valid_until_ms: None,
                    assertion_encryption_mode: None,
                    uuid: ids.uuid(),
                    tags: Vec::new(),
                    created_ms: now_ms,
                };
                SAML_PROVIDERS.put(tx, &key, &provider)?;
            }
        }
        ROLES.put(tx, &name_key(account, &record.name), &record)?;
        for (arn, policy_name) in &attach {
            crate::policies::attach_rows(tx, account, "role", &record.name, arn, policy_name)?;
        }
        for (policy_name, document) in role.inline_policies {
            INLINE_POLICIES.put(
                tx,
                &crate::roles::role_inline_key(account, &record.name, policy_name),
                &(*document).to_owned(),
            )?;
        }
        Ok(())
    }

    fn remove_role(
        &self,
        tx: &mut dyn WriteTx,
        account_id: &str,
        name: &str,
        managed_by: &str,
    ) -> Result<(), ApiError> {
        match ROLES.get(tx.as_read(), &name_key(account_id, name))? {
            Some(r) if r.managed_by.as_deref() == Some(managed_by) => {
                crate::roles::purge_role(tx, &r)
            }
            _ => Ok(()),
        }
    }

    fn mfa_device_enabled_for(
        &self,
        tx: &dyn ReadTx,
        account_id: &str,
        serial_number: &str,
        user_name: Option<&str>,
    ) -> Result<bool, ApiError> {
        crate::core::mfa_device_enabled_for(tx, account_id, serial_number, user_name)
    }

    fn verify_totp_code(
        &self,
        tx: &mut dyn WriteTx,
        account_id: &str,
        serial_number: &str,
        code: &str,
        now: jiff::Timestamp,
    ) -> Result<bool, ApiError> {
        crate::credentials::verify_totp_code(tx, account_id, serial_number, code, now)
    }

    fn root_sessions_enabled(&self, tx: &dyn ReadTx, org_id: &str) -> Result<bool, ApiError> {
        Ok(crate::account::org_features(tx, org_id)?
            .iter()
            .any(|f| f == "RootSessions"))
    }
}
