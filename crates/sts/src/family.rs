//! How STS plugs into the partition: routing and the resource ARNs authorization evaluates.

use localorg_kernel::organization::Placement;
use localorg_kernel::{Ctx, ServiceFamily};
use localorg_model::{ApiError, Service};
use localorg_store::ReadTx;

use crate::Sts;

/// AWS STS, as the partition calls it.
#[derive(Debug, Default, Clone, Copy)]
pub struct StsFamily;

impl ServiceFamily for StsFamily {
    fn services(&self) -> &'static [Service] {
        &[Service::Sts]
    }

    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        _: Service,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        localorg_kernel::dispatch_generated!(sts, Sts::new(), ctx, operation, input)
    }

    /// The role of `AssumeRole*`, the federated user of `GetFederationToken`.
    fn resource_arn(
        &self,
        ctx: &Ctx<'_>,
        _: &dyn ReadTx,
        _: Option<&Placement>,
        _: Service,
        operation: &str,
        input: &serde_json::Value,
    ) -> Result<String, ApiError> {
        let field = |name: &str| input.get(name).and_then(serde_json::Value::as_str);
        let account = ctx.caller.account_id.as_str();
        Ok(match (field("RoleArn"), field("Name")) {
            (Some(role), _) => role.to_owned(),
            (None, Some(name)) if operation == "GetFederationToken" => {
                format!("arn:aws:sts::{account}:federated-user/{name}")
            }
            _ => "*".to_owned(),
        })
    }
}
