//! An instance's Regions (sso-admin `AddRegion`, `DescribeRegion`, `ListRegions`,
//! `RemoveRegion`): the primary Region it was created in, and the Regions added to replicate it.
//! localorg completes AWS's asynchronous additions and removals within the call (`Status` is
//! `ACTIVE` at once).

use localorg_kernel::Ctx;
use localorg_model::generated::sso_admin::*;
use localorg_model::ApiError;
use localorg_store::Key;
use serde_json::{json, Value};

use crate::core::{list_page, shape, timestamp, INSTANCES};
use crate::instances::instance_by_arn;
use crate::records::InstanceRecord;

/// Regions one instance may be replicated to, besides its primary.
const MAX_ADDED_REGIONS: usize = 16;

/// (Region, when added ms, primary) of the instance, primary first.
fn regions(instance: &InstanceRecord) -> Vec<(String, i64, bool)> {
    std::iter::once((instance.region.clone(), instance.created_ms, true))
        .chain(
            instance
                .added_regions
                .iter()
                .map(|(r, at)| (r.clone(), *at, false)),
        )
        .collect()
}

fn view((name, added_ms, primary): &(String, i64, bool)) -> Value {
    json!({"RegionName": name, "AddedDate": timestamp(*added_ms), "IsPrimaryRegion": primary, "Status": "ACTIVE"})
}

/// The instance's Regions as `RegionMetadata` (what `DescribeInstance` and `ListInstances` show).
pub fn region_views(instance: &InstanceRecord) -> Vec<Value> {
    regions(instance).iter().map(view).collect()
}

fn save(ctx: &mut Ctx<'_>, instance: &InstanceRecord) -> Result<(), ApiError> {
    INSTANCES.put(ctx.tx.write()?, &Key::new().str(&instance.id), instance)?;
    Ok(())
}

/// `AddRegion`.
pub fn add_region(
    ctx: &mut Ctx<'_>,
    input: AddRegionRequest,
) -> Result<AddRegionResponse, ApiError> {
    let mut instance = instance_by_arn(ctx, &input.instance_arn)?;
    if regions(&instance)
        .iter()
        .any(|(r, _, _)| *r == input.region_name)
    {
        return Err(errors::CONFLICT_EXCEPTION.error(format!(
            "Region {} is already a Region of the instance.",
            input.region_name
        )));
    }
    if instance.added_regions.len() >= MAX_ADDED_REGIONS {
        return Err(errors::SERVICE_QUOTA_EXCEEDED_EXCEPTION.error(format!(
            "An instance can be replicated to at most {MAX_ADDED_REGIONS} Regions."
        )));
    }
    instance
        .added_regions
        .push((input.region_name, ctx.now_ms()));
    save(ctx, &instance)?;
    shape(json!({"Status": "ACTIVE"}))
}

/// `DescribeRegion`.
pub fn describe_region(
    ctx: &mut Ctx<'_>,
    input: DescribeRegionRequest,
) -> Result<DescribeRegionResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let region = regions(&instance)
        .into_iter()
        .find(|(r, _, _)| *r == input.region_name)
        .ok_or_else(|| {
            errors::RESOURCE_NOT_FOUND_EXCEPTION.error(format!(
                "Region {} is not a Region of the instance.",
                input.region_name
            ))
        })?;
    shape(view(&region))
}

/// `ListRegions`.
pub fn list_regions(
    ctx: &mut Ctx<'_>,
    input: ListRegionsRequest,
) -> Result<ListRegionsResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let (page, next) = list_page(
        &regions(&instance),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    let items: Vec<Value> = page.iter().map(view).collect();
    shape(json!({"Regions": items, "NextToken": next}))
}

/// `RemoveRegion`: any added Region; never the primary one.
pub fn remove_region(
    ctx: &mut Ctx<'_>,
    input: RemoveRegionRequest,
) -> Result<RemoveRegionResponse, ApiError> {
    let mut instance = instance_by_arn(ctx, &input.instance_arn)?;
    if input.region_name == instance.region {
        return Err(errors::CONFLICT_EXCEPTION
            .error("The primary Region of an instance cannot be removed."));
    }
    let before = instance.added_regions.len();
    instance
        .added_regions
        .retain(|(r, _)| *r != input.region_name);
    if instance.added_regions.len() == before {
        return Err(errors::RESOURCE_NOT_FOUND_EXCEPTION.error(format!(
            "Region {} is not a Region of the instance.",
            input.region_name
        )));
    }
    save(ctx, &instance)?;
    shape(json!({"Status": "ACTIVE"}))
}
