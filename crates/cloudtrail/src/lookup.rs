//! `LookupEvents`: the caller's account's events in the Region of the request, newest first, by at
//! most one lookup attribute, within a time range, 50 at a time, with a `NextToken` bound to the
//! parameters it was issued for.

use base64::Engine as _;
use localorg_kernel::Ctx;
use localorg_model::generated::cloudtrail::{
    Event, LookupEventsRequest, LookupEventsResponse, Resource,
};
use localorg_model::{ApiError, Timestamp};
use localorg_store::Key;
use sha2::Digest as _;

use crate::core::{has_attribute, newest_first, EVENTS};
use crate::recorder::RETENTION_MS;
use crate::records::EventRecord;

fn error(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(code, 400, message)
}

/// `LookupEvents`.
pub fn lookup_events(
    ctx: &Ctx<'_>,
    input: LookupEventsRequest,
) -> Result<LookupEventsResponse, ApiError> {
    if let Some(category) = &input.event_category {
        if category.as_str() != "insight" {
            return Err(error(
                "InvalidEventCategoryException",
                "Event category is not valid.",
            ));
        }
        // Insights events are not produced.
        return Ok(LookupEventsResponse::default());
    }
    let attributes = input.lookup_attributes.clone().unwrap_or_default();
    if attributes.len() > 1 {
        return Err(error(
            "InvalidLookupAttributesException",
            "You cannot specify more than one lookup attribute.",
        ));
    }
    let attribute = attributes.first();
    if let Some(a) = attribute {
        if a.attribute_value.is_empty() || a.attribute_value.chars().count() > 2000 {
            return Err(error(
                "InvalidLookupAttributesException",
                "The attribute value must be between 1 and 2000 characters.",
            ));
        }
    }
    let max = input.max_results.unwrap_or(50);
    if !(1..=50).contains(&max) {
        return Err(error(
            "InvalidMaxResultsException",
            "Value for MaxResults must be between 1 and 50.",
        ));
    }
    let now = ctx.now_ms();
    let end = input.end_time.map_or(now, Timestamp::as_millis);
    let start = input
        .start_time
        .map_or(now - RETENTION_MS, Timestamp::as_millis);
    if start > end {
        return Err(error(
            "InvalidTimeRangeException",
            "Start time must be less than or equal to end time.",
        ));
    }
    let binding = parameters_hash(&input);
    let after = match &input.next_token {
        Some(token) => Some(decode_token(token, &binding)?),
        None => None,
    };
    let account = ctx.caller.account_id.as_str();
    let region = ctx.region;
    let tx = ctx.tx.read();
    let mut events: Vec<EventRecord> = Vec::new();
    let mut more = false;
    let mut cursor: Option<Vec<u8>> = None;
    'pages: loop {
        let page = EVENTS.scan(
            tx,
            &Key::new().str(account).str(region),
            cursor.as_deref(),
            500,
        )?;
        for (_, event) in page.items {
            if let Some((time, id)) = &after {
                // Resume strictly after the last event of the previous page (newest first).
                let position = (newest_first(event.time_ms), event.event_id.as_str());
                if position <= (newest_first(*time), id.as_str()) {
                    continue;
                }
            }
            if event.time_ms > end {
                continue;
            }
            if attribute.is_some_and(|a| {
                !has_attribute(&event, a.attribute_key.as_str(), &a.attribute_value)
            }) {
                if event.time_ms < start {
                    break 'pages;
                }
                continue;
            }
            if event.time_ms < start {
                break 'pages;
            }
            if events.len() == max as usize {
                more = true;
                break 'pages;
            }
            events.push(event);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let next_token = if more {
        events
            .last()
            .map(|e| encode_token(e.time_ms, &e.event_id, &binding))
    } else {
        None
    };
    Ok(LookupEventsResponse {
        events: Some(events.iter().map(event_of).collect()),
        next_token,
    })
}

fn event_of(e: &EventRecord) -> Event {
    Event {
        access_key_id: e.access_key_id.clone(),
        cloud_trail_event: Some(e.record.get().to_owned()),
        event_id: Some(e.event_id.clone()),
        event_name: Some(e.event_name.clone()),
        event_source: Some(e.event_source.clone()),
        event_time: Some(Timestamp::from_millis(e.time_ms)),
        read_only: Some(e.read_only.to_string()),
        resources: Some(
            e.resources
                .iter()
                .map(|(kind, name)| Resource {
                    resource_type: Some(kind.clone()),
                    resource_name: Some(name.clone()),
                })
                .collect(),
        ),
        username: e.username.clone(),
    }
}

/// What a token is bound to: every parameter but the token itself.
fn parameters_hash(input: &LookupEventsRequest) -> String {
    let mut bound = input.clone();
    bound.next_token = None;
    let text = format!("{bound:?}");
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
        .get(..16)
        .unwrap_or_default()
        .to_owned()
}

fn encode_token(time_ms: i64, event_id: &str, binding: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{binding}:{time_ms}:{event_id}"))
}

fn decode_token(token: &str, binding: &str) -> Result<(i64, String), ApiError> {
    let invalid = || error("InvalidNextTokenException", "Invalid NextToken.");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, ':');
    let (Some(bound), Some(time), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if bound != binding {
        return Err(invalid());
    }
    Ok((time.parse().map_err(|_| invalid())?, id.to_owned()))
}
