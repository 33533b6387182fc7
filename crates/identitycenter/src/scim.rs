//! SCIM v2 (RFC 7643/7644) for external identity providers (Okta, Entra ID, Google Workspace),
//! which push users and groups into an instance's identity store: `/scim/v2/Users` and
//! `/scim/v2/Groups` (create, get, list with `filter=<attribute> eq "<value>"`, PUT, PATCH, DELETE),
//! and `/scim/v2/ServiceProviderConfig`. A bearer token issued per identity store
//! (`localorg sso scim-token`) says which store a request is for. Users created over SCIM are
//! identitystore users like any other.

use std::sync::LazyLock;

use localorg_kernel::IdGen;
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx, Store, Table, WriteTx};
use serde_json::{json, Map, Value};

use crate::core::{entry_key, new_entry_id, GROUPS, INSTANCES, MEMBERSHIPS, USERS};
use crate::directory::{
    api_case, capitalize, insert_entry, remove_entry, store_entry, Change, Kind,
};
use crate::portal::SignInError;
use crate::records::{EntryRecord, MembershipRecord};

/// SCIM bearer tokens: token -> identity store id.
static TOKENS: LazyLock<Table<String>> = LazyLock::new(|| Table::new("sso.scim_token"));

const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ENTERPRISE_EXTENSION: &str = "aws:identitystore:enterprise";
/// The issuer of the external ids SCIM clients give (`externalId`).
const SCIM_ISSUER: &str = "scim";
/// Who SCIM changes are made by (`CreatedBy`, `UpdatedBy`).
const SCIM_ACTOR: &str = "SCIM";

/// One SCIM request, as the server received it.
#[derive(Debug)]
pub struct ScimRequest<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path after `/scim/v2/` (`Users`, `Users/<id>`, `Groups`, ...).
    pub path: &'a str,
    /// The query string.
    pub query: &'a str,
    /// The `Authorization: Bearer …` token.
    pub bearer: Option<&'a str>,
    /// The JSON body (empty for GET and DELETE).
    pub body: &'a [u8],
    /// The endpoint the client called (`meta.location`).
    pub endpoint: &'a str,
}

/// A SCIM answer: HTTP status and JSON body (`None`: 204 No Content).
#[derive(Debug)]
pub struct ScimResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Option<Value>,
}

/// An RFC 7644 error.
struct ScimError {
    status: u16,
    scim_type: Option<&'static str>,
    detail: String,
}

impl ScimError {
    fn new(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    fn into_response(self) -> ScimResponse {
        let mut body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let (Some(t), Some(map)) = (self.scim_type, body.as_object_mut()) {
            map.insert("scimType".to_owned(), t.into());
        }
        ScimResponse {
            status: self.status,
            body: Some(body),
        }
    }
}

impl From<ApiError> for ScimError {
    fn from(e: ApiError) -> Self {
        match e.code.as_ref() {
            "ConflictException" => ScimError::new(409, Some("uniqueness"), e.message),
            "ResourceNotFoundException" => ScimError::new(404, None, e.message),
            "ValidationException" => ScimError::new(400, Some("invalidValue"), e.message),
            _ => ScimError::new(500, None, e.message),
        }
    }
}

impl From<localorg_store::StoreError> for ScimError {
    fn from(e: localorg_store::StoreError) -> Self {
        ScimError::new(500, None, e.to_string())
    }
}

/// Issues a SCIM bearer token for the identity store `identity_store_id`.
pub fn issue_scim_token(
    store: &Store,
    ids: &IdGen,
    identity_store_id: &str,
) -> Result<String, SignInError> {
    store.write(|tx: &mut dyn WriteTx| {
        if INSTANCES
            .get_by(tx.as_read(), "store", &Key::new().str(identity_store_id))?
            .is_none()
        {
            return Err(SignInError::Invalid(format!(
                "no identity store {identity_store_id}"
            )));
        }
        let token = ids.string(localorg_kernel::context::ALNUM, 64);
        TOKENS.put(tx, &Key::new().str(&token), &identity_store_id.to_owned())?;
        Ok(token)
    })
}

/// Serves one SCIM request.
pub fn handle(store: &Store, ids: &IdGen, now_ms: i64, request: &ScimRequest<'_>) -> ScimResponse {
    match serve(store, ids, now_ms, request) {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn serve(
    store: &Store,
    ids: &IdGen,
    now_ms: i64,
    request: &ScimRequest<'_>,
) -> Result<ScimResponse, ScimError> {
    let token = request
        .bearer
        .ok_or_else(|| ScimError::new(401, None, "A bearer token is required."))?;
    let store_id = store
        .read(|tx| Ok::<_, ScimError>(TOKENS.get(tx, &Key::new().str(token))?))?
        .ok_or_else(|| ScimError::new(401, None, "The bearer token is not valid."))?;
    let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
    let body = || -> Result<Value, ScimError> {
        serde_json::from_slice(request.body)
            .map_err(|e| ScimError::new(400, Some("invalidSyntax"), format!("invalid JSON: {e}")))
    };
    let change = Change {
        actor: SCIM_ACTOR,
        now_ms,
    };
    let ok = |status: u16, body: Value| ScimResponse {
        status,
        body: Some(body),
    };
    let location = |kind: Kind, id: &str| {
        let what = match kind {
            Kind::User => "Users",
            Kind::Group => "Groups",
        };
        format!("{}/scim/v2/{what}/{id}", request.endpoint)
    };
    match (request.method, segments.as_slice()) {
        ("GET", ["ServiceProviderConfig"]) => Ok(ok(200, service_provider_config())),
        (method, [collection, rest @ ..]) => {
            let kind = match *collection {
                "Users" => Kind::User,
                "Groups" => Kind::Group,
                other => return Err(ScimError::new(404, None, format!("no resource {other}"))),
            };
            match (method, rest) {
                ("POST", []) => {
                    let given = body()?;
                    let record = store.write(|tx| {
                        let attributes = to_attributes(kind, &given)?;
                        let record = insert_entry(tx, ids, &change, kind, &store_id, attributes)?;
                        if kind == Kind::Group {
                            add_members(tx, ids, now_ms, &record, &given)?;
                        }
                        Ok::<_, ScimError>(record)
                    })?;
                    Ok(ok(201, view(kind, &record, &location(kind, &record.id))))
                }
                ("GET", []) => {
                    let records = store.read(|tx| list(tx, kind, &store_id, request.query))?;
                    let (start, count) = paging(request.query);
                    let total = records.len();
                    let page: Vec<Value> = records
                        .iter()
                        .skip(start.saturating_sub(1))
                        .take(count)
                        .map(|r| view(kind, r, &location(kind, &r.id)))
                        .collect();
                    Ok(ok(
                        200,
                        json!({
                            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                            "totalResults": total,
                            "itemsPerPage": page.len(),
                            "startIndex": start,
                            "Resources": page,
                        }),
                    ))
                }
                ("GET", [id]) => {
                    let record = store.read(|tx| find(tx, kind, &store_id, id))?;
                    Ok(ok(200, view(kind, &record, &location(kind, &record.id))))
                }
                ("PUT", [id]) => {
                    let given = body()?;
                    let record = store.write(|tx| {
                        let mut record = find(tx.as_read(), kind, &store_id, id)?;
                        record.attributes = to_attributes(kind, &given)?;
                        Ok::<_, ScimError>(store_entry(tx, &change, kind, record)?)
                    })?;
                    Ok(ok(200, view(kind, &record, &location(kind, &record.id))))
                }
                ("PATCH", [id]) => {
                    let given = body()?;
                    let record = store.write(|tx| {
                        let record = find(tx.as_read(), kind, &store_id, id)?;
                        patch(tx, ids, now_ms, &change, kind, record, &given)
                    })?;
                    Ok(ok(200, view(kind, &record, &location(kind, &record.id))))
                }
                ("DELETE", [id]) => {
                    store.write(|tx| {
                        let record = find(tx.as_read(), kind, &store_id, id)?;
                        Ok::<_, ScimError>(remove_entry(tx, kind, &record)?)
                    })?;
                    Ok(ScimResponse {
                        status: 204,
                        body: None,
                    })
                }
                _ => Err(ScimError::new(405, None, "method not allowed")),
            }
        }
        _ => Err(ScimError::new(404, None, "no such resource")),
    }
}

fn service_provider_config() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": 50},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication with a bearer token issued by `localorg sso scim-token`",
            "primary": true
        }]
    })
}

fn status_of(active: bool) -> Value {
    if active { "ENABLED" } else { "DISABLED" }.into()
}

/// `Foo` for `foo` (SCIM's member names to the API's), recursively.
fn pascal(value: &Value) -> Value {
    api_case(value.clone())
}

/// `foo` for `Foo` (the API's member names to SCIM's), recursively.
fn camel(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (decapitalize(k), camel(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

fn decapitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

const USER_FIELDS: &[&str] = &[
    "userName",
    "name",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "emails",
    "addresses",
    "phoneNumbers",
];

/// A SCIM resource as the identity store's attributes.
fn to_attributes(kind: Kind, given: &Value) -> Result<Map<String, Value>, ScimError> {
    let mut out = Map::new();
    let fields: &[&str] = match kind {
        Kind::User => USER_FIELDS,
        Kind::Group => &["displayName"],
    };
    for field in fields {
        if let Some(v) = given.get(*field).filter(|v| !v.is_null()) {
            out.insert(capitalize(field), pascal(v));
        }
    }
    if let Some(id) = given.get("externalId").and_then(Value::as_str) {
        out.insert(
            "ExternalIds".to_owned(),
            json!([{"Issuer": SCIM_ISSUER, "Id": id}]),
        );
    }
    if kind == Kind::User {
        if let Some(enterprise) = given.get(ENTERPRISE_SCHEMA).and_then(Value::as_object) {
            out.insert(
                "Extensions".to_owned(),
                json!({ENTERPRISE_EXTENSION: enterprise}),
            );
        }
        let active = given.get("active").and_then(Value::as_bool).unwrap_or(true);
        out.insert("UserStatus".to_owned(), status_of(active));
    }
    Ok(out)
}

/// The SCIM view of a user or group.
fn view(kind: Kind, record: &EntryRecord, location: &str) -> Value {
    let attrs = &record.attributes;
    let mut out = Map::new();
    let (schema, resource_type) = match kind {
        Kind::User => (USER_SCHEMA, "User"),
        Kind::Group => (GROUP_SCHEMA, "Group"),
    };
    let mut schemas = vec![schema];
    out.insert("id".to_owned(), record.id.clone().into());
    if let Some(external) = attrs
        .get("ExternalIds")
        .and_then(Value::as_array)
        .and_then(|ids| ids.first())
        .and_then(|x| x.get("Id"))
    {
        out.insert("externalId".to_owned(), external.clone());
    }
    for (key, value) in attrs {
        if matches!(key.as_str(), "ExternalIds" | "Extensions" | "UserStatus") {
            continue;
        }
        out.insert(decapitalize(key), camel(value));
    }
    if kind == Kind::User {
        let active = attrs.get("UserStatus").and_then(Value::as_str) != Some("DISABLED");
        out.insert("active".to_owned(), active.into());
        if let Some(enterprise) = attrs
            .get("Extensions")
            .and_then(|e| e.get(ENTERPRISE_EXTENSION))
        {
            out.insert(ENTERPRISE_SCHEMA.to_owned(), enterprise.clone());
            schemas.push(ENTERPRISE_SCHEMA);
        }
    }
    let ts = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    out.insert("schemas".to_owned(), json!(schemas));
    out.insert(
        "meta".to_owned(),
        json!({
            "resourceType": resource_type,
            "created": ts(record.created_ms),
            "lastModified": ts(record.updated_ms),
            "location": location,
        }),
    );
    Value::Object(out)
}

fn find(tx: &dyn ReadTx, kind: Kind, store_id: &str, id: &str) -> Result<EntryRecord, ScimError> {
    let table = match kind {
        Kind::User => &USERS,
        Kind::Group => &GROUPS,
    };
    table
        .get(tx, &entry_key(store_id, id))?
        .ok_or_else(|| ScimError::new(404, None, format!("Resource {id} not found.")))
}

/// The value of a query parameter.
fn param(query: &str, name: &str) -> Option<String> {
    form_pairs(query).find(|(k, _)| k == name).map(|(_, v)| v)
}

fn form_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k), decode(v))
    })
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `startIndex` (1-based) and `count`.
fn paging(query: &str) -> (usize, usize) {
    let start = param(query, "startIndex")
        .and_then(|v| v.parse().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1);
    let count = param(query, "count")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        .min(50);
    (start, count)
}

/// The entries of the store, filtered by `filter=<attribute> eq "<value>"`.
fn list(
    tx: &dyn ReadTx,
    kind: Kind,
    store_id: &str,
    query: &str,
) -> Result<Vec<EntryRecord>, ScimError> {
    let table = match kind {
        Kind::User => &USERS,
        Kind::Group => &GROUPS,
    };
    let all: Vec<EntryRecord> = table
        .scan_all(tx, &Key::new().str(store_id))?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let Some(filter) = param(query, "filter") else {
        return Ok(all);
    };
    let (attribute, value) = parse_filter(&filter).ok_or_else(|| {
        ScimError::new(
            400,
            Some("invalidFilter"),
            format!("unsupported filter: {filter}"),
        )
    })?;
    let matches = |e: &EntryRecord| -> bool {
        let field = match attribute.to_lowercase().as_str() {
            "username" => e.attributes.get("UserName").cloned(),
            "displayname" => e.attributes.get("DisplayName").cloned(),
            "externalid" => e
                .attributes
                .get("ExternalIds")
                .and_then(|ids| ids.get(0))
                .and_then(|x| x.get("Id"))
                .cloned(),
            "id" => Some(Value::String(e.id.clone())),
            _ => None,
        };
        field
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|v| v.eq_ignore_ascii_case(&value))
    };
    Ok(all.into_iter().filter(|e| matches(e)).collect())
}

/// `attribute eq "value"`.
fn parse_filter(filter: &str) -> Option<(String, String)> {
    let (attribute, rest) = filter.trim().split_once(' ')?;
    let (op, value) = rest.trim().split_once(' ')?;
    if !op.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    Some((attribute.to_owned(), value.to_owned()))
}

/// Adds the `members` of a SCIM group body to the group.
fn add_members(
    tx: &mut dyn WriteTx,
    ids: &IdGen,
    now_ms: i64,
    group: &EntryRecord,
    given: &Value,
) -> Result<(), ScimError> {
    let members = given
        .get("members")
        .or_else(|| given.get("value").filter(|v| v.is_array()))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for member in members {
        let Some(user_id) = member.get("value").and_then(Value::as_str) else {
            continue;
        };
        let store_id = group.identity_store_id.as_str();
        find(tx.as_read(), Kind::User, store_id, user_id)?;
        let pair = Key::new().str(store_id).str(&group.id).str(user_id);
        if MEMBERSHIPS.get_by(tx.as_read(), "pair", &pair)?.is_some() {
            continue;
        }
        let record = MembershipRecord {
            identity_store_id: store_id.to_owned(),
            id: new_entry_id(ids, store_id),
            group_id: group.id.clone(),
            user_id: user_id.to_owned(),
            created_ms: now_ms,
            created_by: SCIM_ACTOR.to_owned(),
        };
        MEMBERSHIPS.put(tx, &entry_key(store_id, &record.id), &record)?;
    }
    Ok(())
}

/// Removes members: all of them, or those `members[value eq "…"]` names.
fn remove_members(
    tx: &mut dyn WriteTx,
    group: &EntryRecord,
    path: &str,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let store_id = group.identity_store_id.as_str();
    let mut named: Vec<String> = value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(inner) = path
        .strip_prefix("members[")
        .and_then(|p| p.strip_suffix(']'))
    {
        if let Some((_, v)) = parse_filter(inner) {
            named.push(v);
        }
    }
    let memberships = MEMBERSHIPS
        .scan_index(
            tx.as_read(),
            "group",
            &Key::new().str(store_id).str(&group.id),
            None,
            usize::MAX,
        )?
        .items;
    for (_, m) in memberships {
        if named.is_empty() || named.contains(&m.user_id) {
            MEMBERSHIPS.delete(tx, &entry_key(store_id, &m.id))?;
        }
    }
    Ok(())
}

/// RFC 7644 PATCH: `add`, `replace` and `remove` of top-level and `a.b` paths, and of group
/// members.
fn patch(
    tx: &mut dyn WriteTx,
    ids: &IdGen,
    now_ms: i64,
    change: &Change<'_>,
    kind: Kind,
    mut record: EntryRecord,
    given: &Value,
) -> Result<EntryRecord, ScimError> {
    let operations = given
        .get("Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::new(400, Some("invalidSyntax"), "Operations are required."))?;
    let mut attributes_changed = false;
    for op in operations {
        let verb = op
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_lowercase();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let value = op.get("value");
        if kind == Kind::Group && path.starts_with("members") {
            match verb.as_str() {
                "add" => add_members(tx, ids, now_ms, &record, &json!({"members": value}))?,
                "remove" => remove_members(tx, &record, path, value)?,
                "replace" => {
                    remove_members(tx, &record, "members", None)?;
                    add_members(tx, ids, now_ms, &record, &json!({"members": value}))?;
                }
                _ => {
                    return Err(ScimError::new(
                        400,
                        Some("invalidSyntax"),
                        format!("unknown op {verb}"),
                    ))
                }
            }
            continue;
        }
        attributes_changed = true;
        let updates: Vec<(String, Option<Value>)> = match (verb.as_str(), path, value) {
            ("remove", p, _) if !p.is_empty() => vec![(p.to_owned(), None)],
            ("add" | "replace", "", Some(Value::Object(map))) => map
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
            ("add" | "replace", p, Some(v)) if !p.is_empty() => {
                vec![(p.to_owned(), Some(v.clone()))]
            }
            _ => {
                return Err(ScimError::new(
                    400,
                    Some("invalidSyntax"),
                    format!("unsupported operation {op}"),
                ))
            }
        };
        for (path, value) in updates {
            apply(&mut record.attributes, kind, &path, value)?;
        }
    }
    if attributes_changed {
        return Ok(store_entry(tx, change, kind, record)?);
    }
    Ok(record)
}

/// Sets (or removes) one SCIM attribute path on the stored attributes.
fn apply(
    attrs: &mut Map<String, Value>,
    kind: Kind,
    path: &str,
    value: Option<Value>,
) -> Result<(), ScimError> {
    match path {
        "active" if kind == Kind::User => {
            let active = value.as_ref().and_then(Value::as_bool).unwrap_or(true);
            attrs.insert("UserStatus".to_owned(), status_of(active));
            return Ok(());
        }
        "externalId" => {
            match value.as_ref().and_then(Value::as_str) {
                Some(id) => attrs.insert(
                    "ExternalIds".to_owned(),
                    json!([{"Issuer": SCIM_ISSUER, "Id": id}]),
                ),
                None => attrs.remove("ExternalIds"),
            };
            return Ok(());
        }
        _ => {}
    }
    if let Some(field) = path.strip_prefix(&format!("{ENTERPRISE_SCHEMA}:")) {
        let extensions = attrs
            .entry("Extensions".to_owned())
            .or_insert_with(|| json!({}));
        let enterprise = extensions.as_object_mut().map(|m| {
            m.entry(ENTERPRISE_EXTENSION.to_owned())
                .or_insert_with(|| json!({}))
        });
        if let Some(Value::Object(map)) = enterprise {
            match value {
                Some(v) => map.insert(field.to_owned(), v),
                None => map.remove(field),
            };
        }
        return Ok(());
    }
    let segments: Vec<&str> = path.split('.').collect();
    let top = segments.first().copied().unwrap_or_default();
    let allowed = match kind {
        Kind::User => USER_FIELDS.contains(&top),
        Kind::Group => top == "displayName",
    };
    if !allowed || segments.len() > 2 {
        return Err(ScimError::new(
            400,
            Some("invalidPath"),
            format!("unsupported path {path}"),
        ));
    }
    let top = capitalize(top);
    match (segments.get(1), value) {
        (None, Some(v)) => {
            attrs.insert(top, pascal(&v));
        }
        (None, None) => {
            attrs.remove(&top);
        }
        (Some(sub), v) => {
            let parent = attrs.entry(top).or_insert_with(|| json!({}));
            if let Some(map) = parent.as_object_mut() {
                match v {
                    Some(v) => map.insert(capitalize(sub), pascal(&v)),
                    None => map.remove(&capitalize(sub)),
                };
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_query_decoding() {
        assert_eq!(
            parse_filter(r#"userName eq "ann@example.com""#),
            Some(("userName".to_owned(), "ann@example.com".to_owned()))
        );
        assert_eq!(parse_filter(r#"userName co "ann""#), None);
        assert_eq!(
            param("filter=userName%20eq%20%22a%2Bb%22&count=2", "filter").as_deref(),
            Some(r#"userName eq "a+b""#)
        );
        assert_eq!(paging("startIndex=3&count=500"), (3, 50));
    }

    #[test]
    fn scim_users_map_to_identity_store_attributes_and_back() {
        let given = json!({
            "userName": "ann", "displayName": "Ann", "externalId": "okta-1", "active": false,
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ann@example.com", "primary": true}],
            ENTERPRISE_SCHEMA: {"costCenter": "42"}
        });
        let attrs = to_attributes(Kind::User, &given)
            .map_err(|e| e.detail)
            .unwrap_or_default();
        assert_eq!(
            attrs.get("Name"),
            Some(&json!({"GivenName": "Ann", "FamilyName": "Lee"}))
        );
        assert_eq!(attrs.get("UserStatus"), Some(&json!("DISABLED")));
        let record = EntryRecord {
            identity_store_id: "d-1".to_owned(),
            id: "u1".to_owned(),
            attributes: attrs,
            created_ms: 0,
            created_by: String::new(),
            updated_ms: 0,
            updated_by: String::new(),
            revision: 1,
        };
        let back = view(Kind::User, &record, "loc");
        assert_eq!(
            back["name"],
            json!({"givenName": "Ann", "familyName": "Lee"})
        );
        assert_eq!(back["externalId"], json!("okta-1"));
        assert_eq!(back["active"], json!(false));
        assert_eq!(back[ENTERPRISE_SCHEMA], json!({"costCenter": "42"}));
    }
}
