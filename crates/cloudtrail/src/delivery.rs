//! Trail delivery: every `--trail-delivery-interval` (and on shutdown) each logging trail's new
//! events go into its bucket as CloudTrail writes them — one gzip file of `{"Records":[…]}` per
//! account and Region, under `AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/` — through
//! S3's service-principal path (the kernel's delivery port), so the bucket policy and Object Lock
//! apply. A refused delivery is kept as the trail's `LatestDeliveryError` and retried next time;
//! the trail's position advances in the same transaction as the objects it delivered.

use std::collections::BTreeMap;
use std::io::Write as _;

use localorg_kernel::context::ALNUM;
use localorg_kernel::delivery::ServiceObject;
use localorg_kernel::{Caller, Ctx, Partition, Requester};
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx};

use crate::core::{trail_key, EVENTS, TRAILS};
use crate::records::{EventRecord, TrailRecord};
use crate::trails::PRINCIPAL;

/// Most events one trail delivers per round.
const BATCH: usize = 5_000;

/// The sequence number of the newest recorded event (0 when none).
pub fn latest_seq(tx: &dyn ReadTx) -> Result<u64, ApiError> {
    let newest = EVENTS.scan_index_from(tx, "seq", &Key::new(), 1, true)?;
    Ok(newest.first().map_or(0, |(_, e)| e.seq))
}

/// Delivers every logging trail's new events. Called by the server on its schedule.
pub fn deliver(partition: &Partition) {
    let caller = Caller::anonymous();
    let requester = Requester {
        caller: &caller,
        region: "us-east-1",
        source_ip: "cloudtrail.amazonaws.com",
        endpoint: "",
    };
    let trails = partition.read_as(&requester, |ctx| {
        Ok(TRAILS
            .scan_all(ctx.tx.read(), &Key::new())?
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| t.logging)
            .collect::<Vec<_>>())
    });
    for trail in trails.unwrap_or_default() {
        let result = partition.write_as(&requester, |ctx| deliver_trail(ctx, &trail));
        if let Err(e) = result {
            // Keep the error for GetTrailStatus; the events wait for the next round.
            let failed = partition.write_as(&requester, |ctx| {
                let key = trail_key(&trail.account, &trail.name);
                if let Some(mut t) = TRAILS.get(ctx.tx.read(), &key)? {
                    t.latest_delivery_attempt_ms = Some(ctx.now_ms());
                    t.latest_delivery_error = Some(e.code.to_string());
                    TRAILS.put(ctx.tx.write()?, &key, &t)?;
                }
                Ok(())
            });
            if let Err(e) = failed {
                tracing::warn!(error = %e.message, "cloudtrail: delivery status not saved");
            }
        }
    }
}

/// One trail's round: its new events, filtered and grouped, written, its position advanced.
fn deliver_trail(ctx: &mut Ctx<'_>, trail: &TrailRecord) -> Result<(), ApiError> {
    let key = trail_key(&trail.account, &trail.name);
    let Some(mut current) = TRAILS.get(ctx.tx.read(), &key)? else {
        return Ok(());
    };
    if !current.logging {
        return Ok(());
    }
    let page = EVENTS.scan_index_from(
        ctx.tx.read(),
        "seq",
        &Key::new().u64(current.delivered_seq.saturating_add(1)),
        BATCH,
        false,
    )?;
    if page.is_empty() {
        return Ok(());
    }
    let last_seq = page.last().map_or(current.delivered_seq, |(_, e)| e.seq);
    let mut files: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    // Whether each account is covered, looked up once per round.
    let mut accounts: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    for (_, event) in page {
        let account_covered = match accounts.get(&event.account) {
            Some(covered) => *covered,
            None => {
                let covered = covers_account(ctx, &current, &event.account)?;
                accounts.insert(event.account.clone(), covered);
                covered
            }
        };
        if account_covered && covers(&current, &event) {
            files
                .entry((event.account.clone(), event.region.clone()))
                .or_default()
                .push(event.record.get().to_owned());
        }
    }
    let arn = current.arn();
    let now = ctx.now;
    for ((account, region), records) in files {
        let body = gzip(&format!("{{\"Records\":[{}]}}", records.join(",")))?;
        let object_key = object_key(&current, &account, &region, now, &ctx.ids.string(ALNUM, 16));
        let object = ServiceObject {
            service_principal: PRINCIPAL,
            source_account: &current.account,
            source_arn: &arn,
            bucket: &current.s3_bucket,
            key: &object_key,
            body: &body,
            content_type: "application/json",
        };
        ctx.delivery().put_object(ctx, &object)?;
    }
    current.delivered_seq = last_seq;
    current.latest_delivery_ms = Some(ctx.now_ms());
    current.latest_delivery_attempt_ms = Some(ctx.now_ms());
    current.latest_delivery_error = None;
    TRAILS.put(ctx.tx.write()?, &key, &current)?;
    Ok(())
}

/// Whether the trail covers `account`: its owner's, or a current member of its organization.
fn covers_account(ctx: &Ctx<'_>, trail: &TrailRecord, account: &str) -> Result<bool, ApiError> {
    if !trail.organization {
        return Ok(account == trail.account);
    }
    let placement = ctx.organizations().placement(ctx.tx.read(), account)?;
    Ok(placement.is_some_and(|p| Some(&p.org.id) == trail.org_id.as_ref()))
}

/// Whether the trail delivers an event of an account it covers: its Regions, its selectors.
fn covers(trail: &TrailRecord, event: &EventRecord) -> bool {
    let global = matches!(
        event.event_source.as_str(),
        "iam.amazonaws.com"
            | "organizations.amazonaws.com"
            | "account.amazonaws.com"
            | "budgets.amazonaws.com"
            | "ce.amazonaws.com"
    );
    let region_covered = if global {
        trail.include_global_service_events
            && (trail.multi_region || trail.home_region == event.region)
    } else {
        trail.multi_region || trail.home_region == event.region
    };
    region_covered && selected(trail, event)
}

/// The trail's event selectors (default: every management event).
fn selected(trail: &TrailRecord, event: &EventRecord) -> bool {
    if let Some(serde_json::Value::Array(selectors)) = &trail.event_selectors {
        return selectors.iter().any(|s| {
            let management = s
                .get("IncludeManagementEvents")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true);
            let kind = s
                .get("ReadWriteType")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("All");
            management
                && match kind {
                    "ReadOnly" => event.read_only,
                    "WriteOnly" => !event.read_only,
                    _ => true,
                }
        });
    }
    if let Some(serde_json::Value::Array(selectors)) = &trail.advanced_event_selectors {
        return selectors.iter().any(|s| {
            let fields = s
                .get("FieldSelectors")
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default();
            fields.iter().all(|f| {
                let value = match f.get("Field").and_then(serde_json::Value::as_str) {
                    Some("readOnly") => event.read_only.to_string(),
                    Some("eventSource") => event.event_source.clone(),
                    Some("eventName") => event.event_name.clone(),
                    _ => return true,
                };
                let list = |name: &str| -> Vec<String> {
                    f.get(name)
                        .and_then(serde_json::Value::as_array)
                        .map(|l| {
                            l.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let equals = list("Equals");
                let not_equals = list("NotEquals");
                (equals.is_empty() || equals.contains(&value)) && !not_equals.contains(&value)
            })
        });
    }
    true
}

/// `[prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_RANDOM.json.gz`.
pub fn object_key(
    trail: &TrailRecord,
    account: &str,
    region: &str,
    now: jiff::Timestamp,
    random: &str,
) -> String {
    let prefix = trail
        .s3_key_prefix
        .as_deref()
        .map_or_else(String::new, |p| format!("{p}/"));
    let org = match (&trail.org_id, trail.organization) {
        (Some(org), true) => format!("{org}/"),
        _ => String::new(),
    };
    format!(
        "{prefix}AWSLogs/{org}{account}/CloudTrail/{region}/{}/{account}_CloudTrail_{region}_{}_{random}.json.gz",
        now.strftime("%Y/%m/%d"),
        now.strftime("%Y%m%dT%H%MZ"),
    )
}

fn gzip(text: &str) -> Result<Vec<u8>, ApiError> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(text.as_bytes())
        .and_then(|()| encoder.finish())
        .map_err(|e| ApiError::internal(e.to_string()))
}
