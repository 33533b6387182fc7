//! Trails: create (name rules, the 5-per-Region quota, the bucket's policy checked as CloudTrail
//! checks it), read (shadow copies in other Regions, organization trails seen by members), change
//! (home Region only, the owner only), logging on and off, status, event selectors and tags.

use localorg_kernel::delivery::ServiceObject;
use localorg_kernel::Ctx;
use localorg_model::generated::cloudtrail::*;
use localorg_model::{ApiError, Timestamp};
use localorg_store::Key;

use crate::core::{iso, trail_key, TRAILS};
use crate::records::TrailRecord;

/// Trails per Region and account.
const MAX_TRAILS_PER_REGION: usize = 5;

/// CloudTrail's service principal.
pub const PRINCIPAL: &str = "cloudtrail.amazonaws.com";

fn error(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(code, 400, message)
}

/// Whether `name` follows CloudTrail's trail name rules.
pub fn valid_trail_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let special = |b: &u8| matches!(b, b'.' | b'_' | b'-');
    (3..=128).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || special(b))
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && !bytes
            .windows(2)
            .any(|w| matches!(w, [a, b] if special(a) && special(b)))
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

fn invalid_name() -> ApiError {
    error(
        "InvalidTrailNameException",
        "Trail name must starts with a letter or number, end with a letter or number, and contain only letters, numbers, periods, underscores, and hyphens; be between 3 and 128 characters; not have adjacent periods, underscores or dashes; and not be in IP address format.",
    )
}

/// The trails the caller can see from the call's Region: its own trails whose home is here or
/// that cover every Region, and the organization trails of its organization.
pub fn visible(ctx: &Ctx<'_>, shadows: bool) -> Result<Vec<TrailRecord>, ApiError> {
    let tx = ctx.tx.read();
    let account = &ctx.caller.account_id;
    let mut trails: Vec<TrailRecord> = TRAILS
        .scan_all(tx, &Key::new().str(account))?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    if let Some(placement) = ctx.organizations().placement(tx, account)? {
        for (_, t) in TRAILS
            .scan_index(tx, "org", &Key::new().str(&placement.org.id), None, 1000)?
            .items
        {
            if t.account != *account && t.organization {
                trails.push(t);
            }
        }
    }
    // Without shadows: only the account's own trails whose home is this Region (an organization
    // trail is a shadow in its member accounts).
    trails.retain(|t| {
        let own_here = t.home_region == ctx.region && t.account == *account;
        own_here || (shadows && (t.multi_region || t.home_region == ctx.region))
    });
    Ok(trails)
}

/// The trail a `Name` (a name, or an ARN) names, as the caller sees it.
pub fn find(ctx: &Ctx<'_>, name: &str) -> Result<TrailRecord, ApiError> {
    let trails = visible(ctx, true)?;
    let found = if name.starts_with("arn:") {
        trails.into_iter().find(|t| t.arn() == name)
    } else {
        trails
            .into_iter()
            .find(|t| t.name == name && t.account == ctx.caller.account_id)
    };
    found.ok_or_else(|| {
        let arn = if name.starts_with("arn:") {
            name.to_owned()
        } else {
            format!(
                "arn:aws:cloudtrail:{}:{}:trail/{name}",
                ctx.region, ctx.caller.account_id
            )
        };
        error(
            "TrailNotFoundException",
            format!(
                "Unknown trail: {arn} for the user: {}",
                ctx.caller.account_id
            ),
        )
    })
}

/// The trail, once the caller may change it: its owner, in its home Region.
fn owned(ctx: &Ctx<'_>, name: &str) -> Result<TrailRecord, ApiError> {
    let trail = find(ctx, name)?;
    if trail.account != ctx.caller.account_id {
        return Err(error(
            "NotOrganizationMasterAccountException",
            format!(
                "The request was rejected because the trail {} belongs to the management account of the organization and cannot be changed by a member account.",
                trail.arn()
            ),
        ));
    }
    if trail.home_region != ctx.region {
        return Err(error(
            "InvalidHomeRegionException",
            format!(
                "This operation must be called from the trail's home region, {}.",
                trail.home_region
            ),
        ));
    }
    Ok(trail)
}

fn save(ctx: &mut Ctx<'_>, trail: &TrailRecord) -> Result<(), ApiError> {
    TRAILS.put(
        ctx.tx.write()?,
        &trail_key(&trail.account, &trail.name),
        trail,
    )?;
    Ok(())
}

/// Checks that CloudTrail may write the trail's logs into its bucket, as `CreateTrail` and
/// `UpdateTrail` do.
fn check_bucket(ctx: &Ctx<'_>, trail: &TrailRecord) -> Result<(), ApiError> {
    let arn = trail.arn();
    let probe = ServiceObject {
        service_principal: PRINCIPAL,
        source_account: &trail.account,
        source_arn: &arn,
        bucket: &trail.s3_bucket,
        key: "",
        body: b"",
        content_type: "application/json",
    };
    let prefix = trail
        .s3_key_prefix
        .as_deref()
        .map_or_else(String::new, |p| format!("{p}/"));
    let account_path = match &trail.org_id {
        Some(org) if trail.organization => format!("{org}/{}", trail.account),
        _ => trail.account.clone(),
    };
    let key = format!("{prefix}AWSLogs/{account_path}/CloudTrail/");
    let delivery = ctx.delivery();
    delivery
        .check(ctx, &probe, "s3:GetBucketAcl", None)
        .and_then(|()| delivery.check(ctx, &probe, "s3:PutObject", Some(&key)))
        .map_err(|e| match e.code.as_ref() {
            "NoSuchBucket" => error(
                "S3BucketDoesNotExistException",
                format!("S3 bucket {} does not exist.", trail.s3_bucket),
            ),
            _ => error(
                "InsufficientS3BucketPolicyException",
                format!(
                    "Incorrect S3 bucket policy is detected for bucket: {}",
                    trail.s3_bucket
                ),
            ),
        })
}

/// Checks that the caller may make `trail` an organization trail, and sets its organization.
fn check_organization(ctx: &Ctx<'_>, trail: &mut TrailRecord) -> Result<(), ApiError> {
    let tx = ctx.tx.read();
    let account = &ctx.caller.account_id;
    let Some(placement) = ctx.organizations().placement(tx, account)? else {
        return Err(error(
            "OrganizationsNotInUseException",
            "This request can be made only by an account in an organization.",
        ));
    };
    let org = &placement.org;
    let delegated = ctx
        .organizations()
        .is_delegated_administrator(tx, &org.id, account, PRINCIPAL)?;
    if !placement.is_management(account) && !delegated {
        return Err(error(
            "NotOrganizationMasterAccountException",
            "The request was rejected because the account is not the management account or a delegated administrator of the organization.",
        ));
    }
    if org.feature_set != "ALL" {
        return Err(error(
            "OrganizationNotInAllFeaturesModeException",
            "This request can be made only if all features are enabled in the organization.",
        ));
    }
    if !org.trusts(PRINCIPAL) {
        return Err(error(
            "CloudTrailAccessNotEnabledException",
            "This request requires that trusted access for CloudTrail is enabled in Organizations.",
        ));
    }
    let slr = ctx.directory().role(
        tx,
        &org.management_account_id,
        "AWSServiceRoleForCloudTrail",
    )?;
    if slr.is_none() {
        return Err(error(
            "NoManagementAccountSLRExistsException",
            "This request requires that the management account of the organization has the service-linked role AWSServiceRoleForCloudTrail.",
        ));
    }
    // The trail belongs to the management account, whoever creates it.
    trail.account = org.management_account_id.clone();
    trail.org_id = Some(org.id.clone());
    Ok(())
}

/// The API view of a trail.
pub fn trail_view(t: &TrailRecord) -> Trail {
    Trail {
        cloud_watch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn.clone(),
        cloud_watch_logs_role_arn: t.cloud_watch_logs_role_arn.clone(),
        has_custom_event_selectors: Some(
            t.event_selectors.is_some() || t.advanced_event_selectors.is_some(),
        ),
        has_insight_selectors: Some(false),
        home_region: Some(t.home_region.clone()),
        include_global_service_events: Some(t.include_global_service_events),
        is_multi_region_trail: Some(t.multi_region),
        is_organization_trail: Some(t.organization),
        kms_key_id: t.kms_key_id.clone(),
        log_file_validation_enabled: Some(t.log_file_validation),
        name: Some(t.name.clone()),
        recursive_logging: None,
        s3_bucket_name: Some(t.s3_bucket.clone()),
        s3_key_prefix: t.s3_key_prefix.clone(),
        sns_topic_arn: t
            .sns_topic_name
            .as_ref()
            .map(|n| format!("arn:aws:sns:{}:{}:{n}", t.home_region, t.account)),
        sns_topic_name: t.sns_topic_name.clone(),
        trail_arn: Some(t.arn()),
    }
}

macro_rules! trail_output {
    ($ty:ident, $t:expr) => {{
        let v = trail_view($t);
        $ty {
            cloud_watch_logs_log_group_arn: v.cloud_watch_logs_log_group_arn,
            cloud_watch_logs_role_arn: v.cloud_watch_logs_role_arn,
            include_global_service_events: v.include_global_service_events,
            is_multi_region_trail: v.is_multi_region_trail,
            is_organization_trail: v.is_organization_trail,
            kms_key_id: v.kms_key_id,
            log_file_validation_enabled: v.log_file_validation_enabled,
            name: v.name,
            recursive_logging: None,
            s3_bucket_name: v.s3_bucket_name,
            s3_key_prefix: v.s3_key_prefix,
            sns_topic_arn: v.sns_topic_arn,
            sns_topic_name: v.sns_topic_name,
            trail_arn: v.trail_arn,
        }
    }};
}

/// Multi-Region trails must include global service events.
fn check_combination(trail: &TrailRecord) -> Result<(), ApiError> {
    if trail.multi_region && !trail.include_global_service_events {
        return Err(error(
            "InvalidParameterCombinationException",
            "Multi-Region trail must include global service events.",
        ));
    }
    Ok(())
}

/// `CreateTrail`.
pub fn create_trail(
    ctx: &mut Ctx<'_>,
    input: CreateTrailRequest,
) -> Result<CreateTrailResponse, ApiError> {
    if !valid_trail_name(&input.name) {
        return Err(invalid_name());
    }
    let mut trail = TrailRecord {
        name: input.name.clone(),
        account: ctx.caller.account_id.clone(),
        home_region: ctx.region.to_owned(),
        s3_bucket: input.s3_bucket_name.clone(),
        s3_key_prefix: input.s3_key_prefix.clone().filter(|p| !p.is_empty()),
        include_global_service_events: input.include_global_service_events.unwrap_or(true),
        multi_region: input.is_multi_region_trail.unwrap_or(false),
        organization: input.is_organization_trail.unwrap_or(false),
        log_file_validation: input.enable_log_file_validation.unwrap_or(false),
        kms_key_id: input.kms_key_id.clone(),
        sns_topic_name: input.sns_topic_name.clone(),
        cloud_watch_logs_log_group_arn: input.cloud_watch_logs_log_group_arn.clone(),
        cloud_watch_logs_role_arn: input.cloud_watch_logs_role_arn.clone(),
        tags: input
            .tags_list
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect(),
        ..Default::default()
    };
    check_combination(&trail)?;
    if trail.organization {
        check_organization(ctx, &mut trail)?;
    }
    let seen = visible(ctx, true)?;
    let taken = TRAILS
        .get(ctx.tx.read(), &trail_key(&trail.account, &trail.name))?
        .is_some();
    if taken || seen.iter().any(|t| t.name == trail.name) {
        return Err(error(
            "TrailAlreadyExistsException",
            format!(
                "Trail {} already exists for customer: {}",
                trail.name, trail.account
            ),
        ));
    }
    let here = seen
        .iter()
        .filter(|t| t.account == ctx.caller.account_id)
        .count();
    if here >= MAX_TRAILS_PER_REGION {
        return Err(error(
            "MaximumNumberOfTrailsExceededException",
            format!(
                "User: {} already has {MAX_TRAILS_PER_REGION} trails in {}.",
                ctx.caller.account_id, ctx.region
            ),
        ));
    }
    check_bucket(ctx, &trail)?;
    save(ctx, &trail)?;
    Ok(trail_output!(CreateTrailResponse, &trail))
}

/// `UpdateTrail`.
pub fn update_trail(
    ctx: &mut Ctx<'_>,
    input: UpdateTrailRequest,
) -> Result<UpdateTrailResponse, ApiError> {
    let mut trail = owned(ctx, &input.name)?;
    if let Some(bucket) = input.s3_bucket_name {
        trail.s3_bucket = bucket;
    }
    if let Some(prefix) = input.s3_key_prefix {
        trail.s3_key_prefix = Some(prefix).filter(|p| !p.is_empty());
    }
    if let Some(v) = input.include_global_service_events {
        trail.include_global_service_events = v;
    }
    if let Some(v) = input.is_multi_region_trail {
        trail.multi_region = v;
    }
    if let Some(v) = input.enable_log_file_validation {
        trail.log_file_validation = v;
    }
    if input.kms_key_id.is_some() {
        trail.kms_key_id = input.kms_key_id;
    }
    if input.sns_topic_name.is_some() {
        trail.sns_topic_name = input.sns_topic_name.filter(|n| !n.is_empty());
    }
    if input.cloud_watch_logs_log_group_arn.is_some() {
        trail.cloud_watch_logs_log_group_arn = input.cloud_watch_logs_log_group_arn;
    }
    if input.cloud_watch_logs_role_arn.is_some() {
        trail.cloud_watch_logs_role_arn = input.cloud_watch_logs_role_arn;
    }
    match input.is_organization_trail {
        Some(true) if !trail.organization => {
            trail.organization = true;
            check_organization(ctx, &mut trail)?;
        }
        Some(false) => {
            trail.organization = false;
            trail.org_id = None;
        }
        _ => {}
    }
    check_combination(&trail)?;
    check_bucket(ctx, &trail)?;
    save(ctx, &trail)?;
    Ok(trail_output!(UpdateTrailResponse, &trail))
}

/// `GetTrail`.
pub fn get_trail(ctx: &Ctx<'_>, input: GetTrailRequest) -> Result<GetTrailResponse, ApiError> {
    Ok(GetTrailResponse {
        trail: Some(trail_view(&find(ctx, &input.name)?)),
    })
}

/// `DescribeTrails`: every visible trail, or those named; shadows unless excluded.
pub fn describe_trails(
    ctx: &Ctx<'_>,
    input: DescribeTrailsRequest,
) -> Result<DescribeTrailsResponse, ApiError> {
    let mut trails = visible(ctx, input.include_shadow_trails.unwrap_or(true))?;
    if let Some(names) = input.trail_name_list.filter(|n| !n.is_empty()) {
        trails.retain(|t| names.iter().any(|n| *n == t.name || *n == t.arn()));
    }
    Ok(DescribeTrailsResponse {
        trail_list: Some(trails.iter().map(trail_view).collect()),
    })
}

/// `ListTrails`: every trail the account can see, whatever its home Region.
pub fn list_trails(ctx: &Ctx<'_>, _: ListTrailsRequest) -> Result<ListTrailsResponse, ApiError> {
    let tx = ctx.tx.read();
    let mut trails: Vec<TrailRecord> = TRAILS
        .scan_all(tx, &Key::new().str(&ctx.caller.account_id))?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    trails.extend(
        visible(ctx, true)?
            .into_iter()
            .filter(|t| t.account != ctx.caller.account_id),
    );
    Ok(ListTrailsResponse {
        next_token: None,
        trails: Some(
            trails
                .iter()
                .map(|t| TrailInfo {
                    home_region: Some(t.home_region.clone()),
                    name: Some(t.name.clone()),
                    trail_arn: Some(t.arn()),
                })
                .collect(),
        ),
    })
}

/// `DeleteTrail`.
pub fn delete_trail(
    ctx: &mut Ctx<'_>,
    input: DeleteTrailRequest,
) -> Result<DeleteTrailResponse, ApiError> {
    let trail = owned(ctx, &input.name)?;
    TRAILS.delete(ctx.tx.write()?, &trail_key(&trail.account, &trail.name))?;
    Ok(DeleteTrailResponse {})
}

/// `StartLogging`.
pub fn start_logging(
    ctx: &mut Ctx<'_>,
    input: StartLoggingRequest,
) -> Result<StartLoggingResponse, ApiError> {
    let mut trail = owned(ctx, &input.name)?;
    if !trail.logging {
        trail.logging = true;
        trail.start_logging_ms = Some(ctx.now_ms());
        // Delivery starts with the events recorded from now on.
        trail.delivered_seq = crate::delivery::latest_seq(ctx.tx.read())?;
    }
    save(ctx, &trail)?;
    Ok(StartLoggingResponse {})
}

/// `StopLogging`.
pub fn stop_logging(
    ctx: &mut Ctx<'_>,
    input: StopLoggingRequest,
) -> Result<StopLoggingResponse, ApiError> {
    let mut trail = owned(ctx, &input.name)?;
    if trail.logging {
        trail.logging = false;
        trail.stop_logging_ms = Some(ctx.now_ms());
    }
    save(ctx, &trail)?;
    Ok(StopLoggingResponse {})
}

/// `GetTrailStatus`.
pub fn get_trail_status(
    ctx: &Ctx<'_>,
    input: GetTrailStatusRequest,
) -> Result<GetTrailStatusResponse, ApiError> {
    let t = find(ctx, &input.name)?;
    let delivered = t.latest_delivery_error.is_none() && t.latest_delivery_ms.is_some();
    Ok(GetTrailStatusResponse {
        is_logging: Some(t.logging),
        latest_delivery_error: t.latest_delivery_error.clone(),
        latest_delivery_time: t.latest_delivery_ms.map(Timestamp::from_millis),
        latest_delivery_attempt_time: t.latest_delivery_attempt_ms.map(iso),
        latest_delivery_attempt_succeeded: t.latest_delivery_attempt_ms.map(|_| {
            if delivered {
                iso(t.latest_delivery_ms.unwrap_or(0))
            } else {
                String::new()
            }
        }),
        start_logging_time: t.start_logging_ms.map(Timestamp::from_millis),
        stop_logging_time: t.stop_logging_ms.map(Timestamp::from_millis),
        time_logging_started: t.start_logging_ms.map(iso),
        time_logging_stopped: t.stop_logging_ms.map(iso),
        ..Default::default()
    })
}

/// `PutEventSelectors`: basic or advanced (never both); either replaces the other.
pub fn put_event_selectors(
    ctx: &mut Ctx<'_>,
    input: PutEventSelectorsRequest,
) -> Result<PutEventSelectorsResponse, ApiError> {
    let mut trail = owned(ctx, &input.trail_name)?;
    match (&input.event_selectors, &input.advanced_event_selectors) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(error(
                "InvalidEventSelectorsException",
                "Specify either event selectors or advanced event selectors, not both.",
            ))
        }
        (Some(basic), None) => {
            if basic.is_empty() || basic.len() > 5 {
                return Err(error(
                    "InvalidEventSelectorsException",
                    "A trail can have between 1 and 5 event selectors.",
                ));
            }
            trail.event_selectors = Some(to_json(basic)?);
            trail.advanced_event_selectors = None;
        }
        (None, Some(advanced)) => {
            for selector in advanced {
                let category = selector
                    .field_selectors
                    .iter()
                    .find(|f| f.field == "eventCategory");
                let management = category
                    .and_then(|f| f.equals.as_ref())
                    .is_some_and(|e| e.iter().any(|v| v == "Management"));
                if !management {
                    return Err(error(
                        "InvalidEventSelectorsException",
                        "localorg's trails deliver management events: each advanced event selector needs eventCategory Equals Management.",
                    ));
                }
            }
            trail.advanced_event_selectors = Some(to_json(advanced)?);
            trail.event_selectors = None;
        }
    }
    save(ctx, &trail)?;
    Ok(PutEventSelectorsResponse {
        advanced_event_selectors: input.advanced_event_selectors,
        event_selectors: input.event_selectors,
        trail_arn: Some(trail.arn()),
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(e.to_string()))
}

/// `GetEventSelectors`: the default is every management event.
pub fn get_event_selectors(
    ctx: &Ctx<'_>,
    input: GetEventSelectorsRequest,
) -> Result<GetEventSelectorsResponse, ApiError> {
    let t = find(ctx, &input.trail_name)?;
    let basic = match (&t.event_selectors, &t.advanced_event_selectors) {
        (Some(v), _) => serde_json::from_value(v.clone()).ok(),
        (None, Some(_)) => None,
        (None, None) => Some(vec![EventSelector {
            data_resources: Some(Vec::new()),
            include_management_events: Some(true),
            read_write_type: Some(ReadWriteType::All),
            exclude_management_event_sources: Some(Vec::new()),
        }]),
    };
    Ok(GetEventSelectorsResponse {
        advanced_event_selectors: t
            .advanced_event_selectors
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
        event_selectors: basic,
        trail_arn: Some(t.arn()),
    })
}

/// The trail a tag call names by ARN, once the caller owns it.
fn tagged(ctx: &Ctx<'_>, arn: &str) -> Result<TrailRecord, ApiError> {
    let trail = find(ctx, arn).map_err(|_| {
        error(
            "ResourceNotFoundException",
            format!("Resource {arn} not found."),
        )
    })?;
    if trail.account != ctx.caller.account_id {
        return Err(error(
            "NotOrganizationMasterAccountException",
            "Only the management account can tag an organization trail.",
        ));
    }
    Ok(trail)
}

/// `AddTags`: up to 50 tags per trail.
pub fn add_tags(ctx: &mut Ctx<'_>, input: AddTagsRequest) -> Result<AddTagsResponse, ApiError> {
    let mut trail = tagged(ctx, &input.resource_id)?;
    for tag in input.tags_list {
        trail.tags.retain(|(k, _)| *k != tag.key);
        trail.tags.push((tag.key, tag.value));
    }
    if trail.tags.len() > 50 {
        return Err(error(
            "TagsLimitExceededException",
            "The number of tags per trail has exceeded the permitted amount (50).",
        ));
    }
    save(ctx, &trail)?;
    Ok(AddTagsResponse {})
}

/// `RemoveTags`.
pub fn remove_tags(
    ctx: &mut Ctx<'_>,
    input: RemoveTagsRequest,
) -> Result<RemoveTagsResponse, ApiError> {
    let mut trail = tagged(ctx, &input.resource_id)?;
    trail
        .tags
        .retain(|(k, _)| !input.tags_list.iter().any(|t| t.key == *k));
    save(ctx, &trail)?;
    Ok(RemoveTagsResponse {})
}

/// `ListTags`.
pub fn list_tags(ctx: &Ctx<'_>, input: ListTagsRequest) -> Result<ListTagsResponse, ApiError> {
    let mut list = Vec::new();
    for arn in &input.resource_id_list {
        let trail = find(ctx, arn).map_err(|_| {
            error(
                "ResourceNotFoundException",
                format!("Resource {arn} not found."),
            )
        })?;
        list.push(ResourceTag {
            resource_id: Some(trail.arn()),
            tags_list: Some(
                trail
                    .tags
                    .iter()
                    .map(|(k, v)| Tag {
                        key: k.clone(),
                        value: v.clone(),
                    })
                    .collect(),
            ),
        });
    }
    Ok(ListTagsResponse {
        next_token: None,
        resource_tag_list: Some(list),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_names_follow_cloudtrail_rules() {
        for good in ["org-trail", "a.b_c-d", "Trail1", "abc"] {
            assert!(valid_trail_name(good), "{good}");
        }
        for bad in [
            "ab",
            "-abc",
            "abc-",
            "a--b",
            "a._b",
            "my trail",
            "10.0.0.1",
            &"a".repeat(129),
        ] {
            assert!(!valid_trail_name(bad), "{bad}");
        }
    }
}
