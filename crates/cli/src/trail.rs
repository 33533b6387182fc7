//! `localorg trail tail`: the recorded events of the credentials' account, one line each — when,
//! which account, who, what, and whether it was allowed or denied (with the deciding policy and
//! statement, which localorg puts in the denial's message).

use std::collections::HashSet;
use std::process::ExitCode;

use serde_json::Value;

/// Which events to print.
pub struct Filter {
    /// Only this recipient account.
    pub account: Option<String>,
    /// Only denied calls.
    pub denied: bool,
    /// How many of the latest events to print first.
    pub max: usize,
}

const TARGET: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

/// Prints the latest events, oldest first; with `follow`, keeps printing new ones.
pub fn tail(filter: &Filter, follow: bool, endpoint: &str, json: bool) -> Result<ExitCode, String> {
    let mut seen = HashSet::new();
    let mut latest = lookup(endpoint, None, filter.max)?;
    latest.reverse();
    let mut since = 0.0_f64;
    for event in &latest {
        since = since.max(event_time(event));
        seen.insert(event_id(event));
        print_event(event, filter, json);
    }
    if !follow {
        return Ok(ExitCode::SUCCESS);
    }
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        let mut fresh: Vec<Value> = lookup(endpoint, Some(since), 50)?
            .into_iter()
            .filter(|e| !seen.contains(&event_id(e)))
            .collect();
        fresh.reverse();
        for event in &fresh {
            since = since.max(event_time(event));
            seen.insert(event_id(event));
            print_event(event, filter, json);
        }
    }
}

/// The newest events (at most `max`), newest first, recorded at or after `since` (epoch seconds).
fn lookup(endpoint: &str, since: Option<f64>, max: usize) -> Result<Vec<Value>, String> {
    let mut events = Vec::new();
    let mut token: Option<String> = None;
    while events.len() < max {
        let mut input = serde_json::Map::new();
        input.insert("MaxResults".into(), (max - events.len()).min(50).into());
        if let Some(since) = since {
            input.insert("StartTime".into(), since.into());
        }
        if let Some(t) = &token {
            input.insert("NextToken".into(), t.clone().into());
        }
        let input = serde_json::Value::Object(input);
        let (url, response) = crate::signed_post(
            endpoint,
            "/",
            "cloudtrail",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", TARGET),
            ],
            &input.to_string(),
        )?;
        let ok = response.status().is_success();
        let answer: Value = response
            .into_body()
            .read_json()
            .map_err(|e| format!("unexpected answer from {url}: {e}"))?;
        if !ok {
            let message = answer
                .get("message")
                .or_else(|| answer.get("Message"))
                .and_then(Value::as_str)
                .unwrap_or("LookupEvents failed");
            return Err(message.to_owned());
        }
        if let Some(page) = answer.get("Events").and_then(Value::as_array) {
            events.extend(page.iter().cloned());
        }
        token = answer
            .get("NextToken")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    Ok(events)
}

fn event_id(event: &Value) -> String {
    event
        .get("EventId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn event_time(event: &Value) -> f64 {
    event
        .get("EventTime")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
}

fn print_event(event: &Value, filter: &Filter, json: bool) {
    let record: Value = event
        .get("CloudTrailEvent")
        .and_then(Value::as_str)
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(Value::Null);
    if let Some(line) = line_of(&record, filter) {
        if json {
            println!("{record}");
        } else {
            println!("{line}");
        }
    }
}

/// The one-line form of a record, if the filter keeps it.
fn line_of(record: &Value, filter: &Filter) -> Option<String> {
    let text = |path: &[&str]| {
        let mut v = record;
        for p in path {
            v = v.get(p)?;
        }
        v.as_str().map(str::to_owned)
    };
    let account = text(&["recipientAccountId"]).unwrap_or_default();
    if filter.account.as_ref().is_some_and(|a| *a != account) {
        return None;
    }
    let error = text(&["errorCode"]);
    let denied = error
        .as_deref()
        .is_some_and(|c| c.starts_with("AccessDenied") || c.contains("Unauthorized"));
    if filter.denied && !denied {
        return None;
    }
    let service = text(&["eventSource"])
        .unwrap_or_default()
        .trim_end_matches(".amazonaws.com")
        .to_owned();
    let who = text(&["userIdentity", "arn"])
        .or_else(|| text(&["userIdentity", "type"]))
        .unwrap_or_default();
    let outcome = match error {
        None => "allowed".to_owned(),
        Some(code) if denied => format!("denied: {}", text(&["errorMessage"]).unwrap_or(code)),
        Some(code) => format!("failed: {code}"),
    };
    Some(format!(
        "{}  {account}  {who}  {service}:{}  {outcome}",
        text(&["eventTime"]).unwrap_or_default(),
        text(&["eventName"]).unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denied_event_line_names_the_decision() {
        let record = serde_json::json!({
            "eventTime": "2026-12-06T04:09:08Z", "recipientAccountId": "111122223333",
            "userIdentity": {"arn": "arn:aws:iam::111122223333:user/ann"},
            "eventSource": "iam.amazonaws.com", "eventName": "ListUsers",
            "errorCode": "AccessDenied", "errorMessage": "… because no identity-based policy allows …"
        });
        let all = Filter {
            account: None,
            denied: false,
            max: 50,
        };
        assert_eq!(
            line_of(&record, &all).as_deref(),
            Some("2026-12-06T04:09:08Z  111122223333  arn:aws:iam::111122223333:user/ann  iam:ListUsers  denied: … because no identity-based policy allows …")
        );
        let other = Filter {
            account: Some("444455556666".into()),
            denied: false,
            max: 50,
        };
        assert!(line_of(&record, &other).is_none());
        let allowed = serde_json::json!({"recipientAccountId": "1", "eventName": "X"});
        let denied_only = Filter {
            account: None,
            denied: true,
            max: 50,
        };
        assert!(line_of(&allowed, &denied_only).is_none());
    }
}
