//! How Identity Center plugs into the partition: routing for sso-admin and identitystore, and the
//! resource ARNs authorization evaluates.

use localorg_kernel::organization::Placement;
use localorg_kernel::{Ctx, ServiceFamily};
use localorg_model::{ApiError, Service};
use localorg_store::{Key, ReadTx};

use crate::core::{plain_id, INSTANCES};
use crate::records::identity_store_arn;
use crate::IdentityCenter;

/// IAM Identity Center, as the partition calls it.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdentityCenterFamily;

impl ServiceFamily for IdentityCenterFamily {
    fn services(&self) -> &'static [Service] {
        &[
            Service::SsoAdmin,
            Service::IdentityStore,
            Service::SsoOidc,
            Service::SsoPortal,
        ]
    }

    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        service: Service,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let api = IdentityCenter::new();
        match service {
            Service::IdentityStore => {
                localorg_kernel::dispatch_generated!(identitystore, api, ctx, operation, input)
            }
            Service::SsoOidc => {
                localorg_kernel::dispatch_generated!(sso_oidc, api, ctx, operation, input)
            }
            Service::SsoPortal => {
                localorg_kernel::dispatch_generated!(sso, api, ctx, operation, input)
            }
            _ => localorg_kernel::dispatch_generated!(sso_admin, api, ctx, operation, input),
        }
    }

    /// sso-admin: the instance the input names. identitystore: the identity store
    /// (`arn:aws:identitystore::OWNER:identitystore/d-…`).
    fn resource_arn(
        &self,
        ctx: &Ctx<'_>,
        tx: &dyn ReadTx,
        _: Option<&Placement>,
        service: Service,
        _: &str,
        input: &serde_json::Value,
    ) -> Result<String, ApiError> {
        let field = |name: &str| input.get(name).and_then(serde_json::Value::as_str);
        Ok(match service {
            Service::IdentityStore => match field("IdentityStoreId") {
                Some(id) => {
                    let id = plain_id(id);
                    let owner = INSTANCES
                        .get_by(tx, "store", &Key::new().str(id))?
                        .map_or_else(
                            || ctx.caller.account_id.clone(),
                            |(_, i)| i.owner_account_id,
                        );
                    identity_store_arn(&owner, id)
                }
                None => "*".to_owned(),
            },
            _ => field("InstanceArn").unwrap_or("*").to_owned(),
        })
    }
}
