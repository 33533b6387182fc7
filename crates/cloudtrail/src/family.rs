//! How CloudTrail plugs into the partition: routing, and the trail ARN authorization evaluates.

use localorg_kernel::organization::Placement;
use localorg_kernel::{Ctx, ServiceFamily};
use localorg_model::{ApiError, Service};
use localorg_store::ReadTx;

use crate::CloudTrail;

/// CloudTrail, as the partition calls it.
#[derive(Debug, Default, Clone, Copy)]
pub struct CloudTrailFamily;

impl ServiceFamily for CloudTrailFamily {
    fn services(&self) -> &'static [Service] {
        &[Service::CloudTrail]
    }

    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        _: Service,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        localorg_kernel::dispatch_generated!(cloudtrail, CloudTrail::new(), ctx, operation, input)
    }

    /// The trail the input names (by name or ARN), else `*`.
    fn resource_arn(
        &self,
        ctx: &Ctx<'_>,
        _: &dyn ReadTx,
        _: Option<&Placement>,
        _: Service,
        _: &str,
        input: &serde_json::Value,
    ) -> Result<String, ApiError> {
        let name = ["Name", "TrailName", "ResourceId"]
            .iter()
            .find_map(|f| input.get(*f).and_then(serde_json::Value::as_str));
        Ok(match name {
            Some(arn) if arn.starts_with("arn:") => arn.to_owned(),
            Some(name) => format!(
                "arn:aws:cloudtrail:{}:{}:trail/{name}",
                ctx.region, ctx.caller.account_id
            ),
            None => "*".to_owned(),
        })
    }
}
