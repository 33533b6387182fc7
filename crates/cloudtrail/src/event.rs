//! A CloudTrail record of one call, as AWS writes it: `userIdentity` per principal type, the
//! event source and Region of the service (global services record in us-east-1), request
//! parameters and response elements in lowerCamelCase with secrets left out, the error of a failed
//! or denied call, and a second copy for the role's account on a cross-account `AssumeRole`.

use localorg_kernel::audit::AuditEvent;
use localorg_kernel::{Caller, PrincipalKind};
use serde_json::{json, Map, Value};

use crate::core::iso;
use crate::records::EventRecord;

/// The record version localorg writes.
pub const EVENT_VERSION: &str = "1.11";

/// Members never recorded: secrets, as CloudTrail leaves them out.
const SECRET_MEMBERS: [&str; 12] = [
    "secretaccesskey",
    "sessiontoken",
    "password",
    "newpassword",
    "oldpassword",
    "privatekey",
    "samlassertion",
    "webidentitytoken",
    "clientsecret",
    "accesstoken",
    "refreshtoken",
    "idtoken",
];

/// A call waiting to be recorded: what the audit event said, owned.
#[derive(Debug, Clone)]
pub struct Pending {
    request_id: String,
    at_ms: i64,
    service: String,
    operation: String,
    caller: Caller,
    region: String,
    source_ip: String,
    user_agent: String,
    read_only: bool,
    request: Option<Value>,
    response: Option<Value>,
    error: Option<(String, String)>,
}

impl Pending {
    /// The call of `event`, if CloudTrail records it: only calls by an authenticated principal
    /// (calls that reached authorization).
    pub fn of(event: &AuditEvent<'_>) -> Option<Pending> {
        let caller = event.caller?;
        if matches!(caller.kind, PrincipalKind::Anonymous) {
            return None;
        }
        Some(Pending {
            request_id: event.request_id.to_owned(),
            at_ms: event.at.as_millisecond(),
            service: event.service.to_owned(),
            operation: event.operation.to_owned(),
            caller: caller.clone(),
            region: event.region.to_owned(),
            source_ip: event.source_ip.to_owned(),
            user_agent: event.user_agent.to_owned(),
            read_only: event.read_only,
            request: event.request.cloned(),
            // Read-only and failed calls record no response elements: nothing to keep.
            response: event
                .response
                .filter(|_| !event.read_only && event.error.is_none())
                .cloned(),
            error: event.error.map(|e| (e.code.to_string(), e.message.clone())),
        })
    }

    /// The records of the call: one for the caller's account, and one for the role's account
    /// when the call assumed a role in another account. Sequence numbers are filled in on store.
    pub fn records(&self, mut new_id: impl FnMut() -> String) -> Vec<EventRecord> {
        let event_id = new_id();
        let event_id = event_id.as_str();
        let (source, region) = source_and_region(&self.service, &self.region);
        let identity = user_identity(&self.caller);
        let request = self.request.as_ref().map(camel).filter(|v| !is_empty(v));
        // Read-only calls, failed calls and calls without output have no response elements.
        let response = match (&self.error, self.read_only) {
            (None, false) => self.response.as_ref().map(camel).filter(|v| !is_empty(v)),
            _ => None,
        };
        let cross_account_role = (self.operation == "AssumeRole" && self.error.is_none())
            .then(|| role_arn(self.request.as_ref()))
            .flatten()
            .filter(|(_, account)| *account != self.caller.account_id);
        let resources: Vec<(String, String, String)> = match role_arn(self.request.as_ref()) {
            Some((arn, account)) if self.operation.starts_with("AssumeRole") => {
                vec![(arn, account, "AWS::IAM::Role".to_owned())]
            }
            _ => Vec::new(),
        };
        let mut record = Map::new();
        record.insert("eventVersion".into(), EVENT_VERSION.into());
        record.insert("userIdentity".into(), identity);
        record.insert("eventTime".into(), iso(self.at_ms).into());
        record.insert("eventSource".into(), source.clone().into());
        record.insert("eventName".into(), self.operation.clone().into());
        record.insert("awsRegion".into(), region.clone().into());
        record.insert("sourceIPAddress".into(), self.source_ip.clone().into());
        record.insert("userAgent".into(), truncate(&self.user_agent, 1024).into());
        if let Some((code, message)) = &self.error {
            record.insert("errorCode".into(), code.clone().into());
            record.insert("errorMessage".into(), message.clone().into());
        }
        record.insert("requestParameters".into(), request.unwrap_or(Value::Null));
        record.insert("responseElements".into(), response.unwrap_or(Value::Null));
        record.insert("requestID".into(), self.request_id.clone().into());
        record.insert("eventID".into(), event_id.into());
        record.insert("readOnly".into(), self.read_only.into());
        if !resources.is_empty() {
            record.insert(
                "resources".into(),
                resources
                    .iter()
                    .map(|(arn, account, kind)| json!({"ARN": arn, "accountId": account, "type": kind}))
                    .collect(),
            );
        }
        record.insert("eventType".into(), "AwsApiCall".into());
        record.insert("managementEvent".into(), true.into());
        record.insert(
            "recipientAccountId".into(),
            self.caller.account_id.clone().into(),
        );
        let shared_event_id = cross_account_role.as_ref().map(|_| new_id());
        if let Some(shared) = &shared_event_id {
            record.insert("sharedEventID".into(), shared.clone().into());
        }
        record.insert("eventCategory".into(), "Management".into());
        let lookup_resources: Vec<(String, String)> = resources
            .iter()
            .map(|(arn, _, kind)| (kind.clone(), arn.clone()))
            .collect();
        let mine = EventRecord {
            seq: 0,
            account: self.caller.account_id.clone(),
            region: region.clone(),
            time_ms: self.at_ms,
            event_id: event_id.to_owned(),
            event_name: self.operation.clone(),
            event_source: source,
            read_only: self.read_only,
            username: username(&self.caller),
            access_key_id: Some(self.caller.access_key_id.clone()).filter(|k| !k.is_empty()),
            resources: lookup_resources,
            record: Box::default(),
        };
        let mut record = Value::Object(record);
        let mut out = vec![EventRecord {
            record: raw(&record),
            ..mine.clone()
        }];
        if let Some((_, role_account)) = cross_account_role {
            // The role owner's copy: the caller is an AWS account, with its own event id.
            let mut theirs = mine;
            theirs.account = role_account.clone();
            theirs.event_id = new_id();
            theirs.username = None;
            theirs.access_key_id = None;
            if let Value::Object(r) = &mut record {
                r.insert(
                    "userIdentity".into(),
                    json!({
                        "type": "AWSAccount",
                        "principalId": self.caller.user_id,
                        "accountId": self.caller.account_id,
                    }),
                );
                r.insert("recipientAccountId".into(), role_account.into());
                r.insert("eventID".into(), theirs.event_id.clone().into());
            }
            theirs.record = raw(&record);
            out.push(theirs);
        }
        out
    }
}

/// A record as JSON text, kept as it is (written once, never parsed again).
fn raw(record: &Value) -> Box<serde_json::value::RawValue> {
    serde_json::value::to_raw_value(record).unwrap_or_default()
}

/// `eventSource`, and the Region the event is recorded in: global services record in us-east-1.
fn source_and_region(service: &str, region: &str) -> (String, String) {
    let (source, global) = match service {
        "organizations" => ("organizations.amazonaws.com", true),
        "iam" => ("iam.amazonaws.com", true),
        "sso-admin" | "sso" => ("sso.amazonaws.com", false),
        "sso-oidc" => ("sso-oauth.amazonaws.com", false),
        "account" | "budgets" | "ce" => ("", true),
        _ => ("", false),
    };
    let source = if source.is_empty() {
        format!("{service}.amazonaws.com")
    } else {
        source.to_owned()
    };
    let region = if global { "us-east-1" } else { region };
    (source, region.to_owned())
}

/// `userIdentity` of a caller.
pub fn user_identity(caller: &Caller) -> Value {
    let account = &caller.account_id;
    let mut identity = match &caller.kind {
        PrincipalKind::Root => json!({"type": "Root", "principalId": account}),
        PrincipalKind::User { name } => {
            json!({"type": "IAMUser", "principalId": caller.user_id, "userName": name})
        }
        PrincipalKind::AssumedRole {
            role_name,
            role_path,
            ..
        } => {
            let role_id = caller.user_id.split(':').next().unwrap_or_default();
            json!({
                "type": "AssumedRole",
                "principalId": caller.user_id,
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "principalId": role_id,
                        "arn": format!("arn:aws:iam::{account}:role{role_path}{role_name}"),
                        "accountId": account,
                        "userName": role_name,
                    },
                    "webIdFederationData": {},
                },
            })
        }
        PrincipalKind::FederatedUser { issuer_user, .. } => json!({
            "type": "FederatedUser",
            "principalId": caller.user_id,
            "sessionContext": {
                "sessionIssuer": {
                    "type": "IAMUser",
                    "arn": format!("arn:aws:iam::{account}:user/{issuer_user}"),
                    "accountId": account,
                    "userName": issuer_user,
                },
                "webIdFederationData": {},
            },
        }),
        PrincipalKind::Anonymous => json!({"type": "Unknown"}),
    };
    if let Value::Object(map) = &mut identity {
        map.insert("arn".into(), caller.arn.clone().into());
        map.insert("accountId".into(), account.clone().into());
        map.insert("accessKeyId".into(), caller.access_key_id.clone().into());
        if let Some(session) = &caller.session {
            let attributes = json!({
                "creationDate": iso(session.issued_ms),
                "mfaAuthenticated": session.mfa_authenticated_ms.is_some().to_string(),
            });
            let context = map.entry("sessionContext").or_insert_with(|| json!({}));
            if let Value::Object(context) = context {
                context.insert("attributes".into(), attributes);
                if let Some(source) = &session.source_identity {
                    context.insert("sourceIdentity".into(), source.clone().into());
                }
            }
        }
    }
    identity
}

/// LookupEvents' `Username`: the IAM user's name, the role session's name, `root`.
pub fn username(caller: &Caller) -> Option<String> {
    match &caller.kind {
        PrincipalKind::Root => Some("root".to_owned()),
        PrincipalKind::User { name } | PrincipalKind::FederatedUser { name, .. } => {
            Some(name.clone())
        }
        PrincipalKind::AssumedRole { session_name, .. } => Some(session_name.clone()),
        PrincipalKind::Anonymous => None,
    }
}

/// The role an `AssumeRole*` input names, with its account.
fn role_arn(request: Option<&Value>) -> Option<(String, String)> {
    let arn = request?.get("RoleArn")?.as_str()?;
    let account = arn.split(':').nth(4)?.to_owned();
    Some((arn.to_owned(), account))
}

/// An API payload as CloudTrail records it: member names in lowerCamelCase, secrets left out.
pub fn camel(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !SECRET_MEMBERS.contains(&k.to_ascii_lowercase().as_str()))
                .map(|(k, v)| (lower_first(k), member(k, v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

/// A member's value as CloudTrail shows it: timestamps (`CreateDate`, `…Time`, `Expiration`) in
/// the `Dec 6, 2026 4:09:08 AM` form AWS services record them in.
fn member(name: &str, value: &Value) -> Value {
    let lower = name.to_ascii_lowercase();
    let timestamp = lower.ends_with("date") || lower.ends_with("time") || lower == "expiration";
    match value.as_f64() {
        Some(seconds) if timestamp => jiff::Timestamp::from_millisecond((seconds * 1000.0) as i64)
            .map(|t| Value::from(t.strftime("%b %-d, %Y %-I:%M:%S %p").to_string()))
            .unwrap_or_else(|_| value.clone()),
        _ => camel(value),
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn is_empty(value: &Value) -> bool {
    matches!(value, Value::Object(m) if m.is_empty()) || value.is_null()
}

fn truncate(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_camel_cased_and_secrets_left_out() {
        let input = json!({"UserName": "ann", "Password": "p", "Tags": [{"Key": "k", "Value": "v"}],
                           "AccessKey": {"AccessKeyId": "AKIA", "SecretAccessKey": "s"}});
        assert_eq!(
            camel(&input),
            json!({"userName": "ann", "tags": [{"key": "k", "value": "v"}],
                   "accessKey": {"accessKeyId": "AKIA"}})
        );
    }

    #[test]
    fn global_services_record_in_us_east_1() {
        assert_eq!(source_and_region("iam", "eu-west-1").1, "us-east-1");
        assert_eq!(source_and_region("sts", "eu-west-1").1, "eu-west-1");
        assert_eq!(
            source_and_region("budgets", "eu-west-1"),
            ("budgets.amazonaws.com".to_owned(), "us-east-1".to_owned())
        );
        assert_eq!(
            source_and_region("cloudtrail", "eu-west-1").0,
            "cloudtrail.amazonaws.com"
        );
        assert_eq!(source_and_region("s3", "eu-west-1").0, "s3.amazonaws.com");
    }

    #[test]
    fn usernames_follow_lookup_events_rules() {
        let mut caller = Caller::root("111122223333", "AKIA");
        assert_eq!(username(&caller).as_deref(), Some("root"));
        caller.kind = PrincipalKind::AssumedRole {
            role_name: "Admin".into(),
            role_path: "/".into(),
            session_name: "alice".into(),
        };
        assert_eq!(username(&caller).as_deref(), Some("alice"));
    }
}
