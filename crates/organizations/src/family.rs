//! How Organizations plugs into the partition: the service family (routing, the resource ARNs
//! authorization evaluates) and the kernel's organization-tree port, which is how every other
//! service learns where an account sits and which SCPs and RCPs bound it.

use localorg_kernel::organization::{Organization, OrganizationTree, Placement};
use localorg_kernel::{Ctx, ServiceFamily};
use localorg_model::{ApiError, Service};
use localorg_store::{Key, ReadTx};

use crate::core::{
    account_arn, handshake_arn, membership_of, ou_arn, path_to, policy_arn, root_arn, DELEGATIONS,
    HANDSHAKES,
};
use crate::records::OrganizationRecord;
use crate::Organizations;

/// AWS Organizations, as the partition calls it.
#[derive(Debug, Default, Clone, Copy)]
pub struct OrganizationsFamily;

impl ServiceFamily for OrganizationsFamily {
    fn services(&self) -> &'static [Service] {
        &[Service::Organizations]
    }

    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        _: Service,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        localorg_kernel::dispatch_generated!(
            organizations,
            Organizations::new(),
            ctx,
            operation,
            input
        )
    }

    /// The policy, account, OU, root or handshake the input names, in that order of precedence
    /// (`AttachPolicy` names two resources; localorg evaluates the policy's — a documented
    /// simplification); `*` outside an organization.
    fn resource_arn(
        &self,
        _: &Ctx<'_>,
        tx: &dyn ReadTx,
        placement: Option<&Placement>,
        _: Service,
        _: &str,
        input: &serde_json::Value,
    ) -> Result<String, ApiError> {
        let field = |name: &str| input.get(name).and_then(serde_json::Value::as_str);
        let Some(Placement { org, .. }) = placement else {
            return Ok("*".to_owned());
        };
        Ok(if let Some(policy) = field("PolicyId") {
            let kind = crate::policy_type_of(tx, policy)?;
            policy_arn(org, &kind, policy)
        } else if let Some(id) = field("AccountId") {
            account_arn(org, id)
        } else if let Some(id) = field("OrganizationalUnitId")
            .or_else(|| field("ParentId"))
            .or_else(|| field("TargetId"))
            .or_else(|| field("RootId"))
            .or_else(|| field("ResourceId"))
        {
            if id.starts_with("ou-") {
                ou_arn(org, id)
            } else if id.starts_with("r-") {
                root_arn(org)
            } else if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
                account_arn(org, id)
            } else {
                "*".to_owned()
            }
        } else if let Some(id) = field("HandshakeId") {
            let action = HANDSHAKES
                .get(tx, &Key::new().str(id))?
                .map_or_else(|| "invite".to_owned(), |h| h.action);
            handshake_arn(org, &action, id)
        } else {
            "*".to_owned()
        })
    }
}

/// The kernel's view of a stored organization.
pub(crate) fn organization_view(org: &OrganizationRecord) -> Organization {
    Organization {
        id: org.id.clone(),
        management_account_id: org.management_account_id.clone(),
        root_id: org.root_id.clone(),
        feature_set: org.feature_set.clone(),
        enabled_policy_types: org.enabled_policy_types.clone(),
        trusted_services: org.service_access.iter().map(|(p, _)| p.clone()).collect(),
    }
}

impl OrganizationTree for OrganizationsFamily {
    fn placement(&self, tx: &dyn ReadTx, account_id: &str) -> Result<Option<Placement>, ApiError> {
        let Some((org, member)) = membership_of(tx, account_id)? else {
            return Ok(None);
        };
        let path = path_to(tx, &org, &member.parent_id)?;
        Ok(Some(Placement {
            org: organization_view(&org),
            path,
        }))
    }

    fn attached_policies(
        &self,
        tx: &dyn ReadTx,
        org_id: &str,
        target_id: &str,
        policy_type: &str,
    ) -> Result<Vec<(String, String)>, ApiError> {
        crate::attached_documents(tx, org_id, target_id, policy_type)
    }

    fn is_delegated_administrator(
        &self,
        tx: &dyn ReadTx,
        org_id: &str,
        account_id: &str,
        service_principal: &str,
    ) -> Result<bool, ApiError> {
        Ok(DELEGATIONS.contains(
            tx,
            &Key::new()
                .str(org_id)
                .str(account_id)
                .str(service_principal),
        )?)
    }
}
