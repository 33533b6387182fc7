//! The identity store (identitystore): users with every attribute AWS models, groups,
//! memberships, look-ups by unique attribute or external id, and the store itself.
//!
//! Users and groups are kept as their API attributes (a JSON object with the API's member names),
//! so `CreateUser`, `UpdateUser` (attribute paths such as `name.givenName`) and `DescribeUser`
//! work on one document. `UserName` (users) and `DisplayName` (groups) are unique in a store
//! without regard to case. Deleting a user or a group deletes its memberships.

use localorg_kernel::Ctx;
use localorg_kernel::IdGen;
use localorg_model::generated::identitystore::*;
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx, Table, WriteTx};
use serde_json::{Map, Value};

use crate::core::{
    decode_next_token, entry_key, entry_key_value, json, new_entry_id, next_token, page_size,
    plain_id, prefix_page, shape, timestamp, GROUPS, INSTANCES, MEMBERSHIPS, USERS,
};
use crate::instances::instance_by_store;
use crate::records::{EntryRecord, InstanceRecord, MembershipRecord};

/// User attributes an `AttributePath` may name (API member names).
const USER_ATTRIBUTES: &[&str] = &[
    "UserName",
    "Name",
    "DisplayName",
    "NickName",
    "ProfileUrl",
    "Emails",
    "Addresses",
    "PhoneNumbers",
    "UserType",
    "Title",
    "PreferredLanguage",
    "Locale",
    "Timezone",
    "Photos",
    "Website",
    "Birthdate",
    "Roles",
    "Extensions",
];

/// Group attributes an `AttributePath` may name.
const GROUP_ATTRIBUTES: &[&str] = &["DisplayName", "Description"];

/// Names no user or group may have (AWS reserves them).
const RESERVED_NAMES: &[&str] = &["Administrator", "AWSAdministrators"];

/// What kind of entry an operation is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A user.
    User,
    /// A group.
    Group,
}

impl Kind {
    fn table(self) -> &'static Table<EntryRecord> {
        match self {
            Kind::User => &USERS,
            Kind::Group => &GROUPS,
        }
    }

    /// The unique attribute and its index.
    fn unique(self) -> (&'static str, &'static str) {
        match self {
            Kind::User => ("UserName", "user_name"),
            Kind::Group => ("DisplayName", "display_name"),
        }
    }

    fn resource_type(self) -> &'static str {
        match self {
            Kind::User => "USER",
            Kind::Group => "GROUP",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
        }
    }

    fn attributes(self) -> &'static [&'static str] {
        match self {
            Kind::User => USER_ATTRIBUTES,
            Kind::Group => GROUP_ATTRIBUTES,
        }
    }

    /// `arn:aws:identitystore:::user/ID` (or `group/`).
    fn arn(self, id: &str) -> String {
        match self {
            Kind::User => format!("arn:aws:identitystore:::user/{id}"),
            Kind::Group => format!("arn:aws:identitystore:::group/{id}"),
        }
    }
}

/// `arn:aws:identitystore:::membership/ID`.
fn membership_arn(id: &str) -> String {
    format!("arn:aws:identitystore:::membership/{id}")
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

fn not_found(resource_type: &str, id: &str) -> ApiError {
    let what = match resource_type {
        "USER" => "User",
        "GROUP" => "Group",
        "GROUP_MEMBERSHIP" => "GroupMembership",
        _ => "IdentityStore",
    };
    errors::RESOURCE_NOT_FOUND_EXCEPTION
        .error(format!("{what} not found."))
        .with_field("ResourceType", resource_type)
        .with_field("ResourceId", id)
}

fn duplicate(message: &str) -> ApiError {
    errors::CONFLICT_EXCEPTION
        .error(message.to_owned())
        .with_field("Reason", "UNIQUENESS_CONSTRAINT_VIOLATION")
}

fn stale_revision() -> ApiError {
    errors::CONFLICT_EXCEPTION
        .error("The revision does not match the current revision of the resource.")
        .with_field("Reason", "CONCURRENT_MODIFICATION")
}

fn invalid(message: impl Into<String>) -> ApiError {
    errors::VALIDATION_EXCEPTION.error(message.into())
}

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/// The instance of identity store `id`, which the caller must be allowed to use.
fn store(ctx: &Ctx<'_>, id: &str) -> Result<InstanceRecord, ApiError> {
    instance_by_store(ctx, id)?.ok_or_else(|| not_found("IDENTITY_STORE", id))
}

fn entry(tx: &dyn ReadTx, kind: Kind, store_id: &str, id: &str) -> Result<EntryRecord, ApiError> {
    kind.table()
        .get(tx, &entry_key(store_id, plain_id(id)))?
        .ok_or_else(|| not_found(kind.resource_type(), id))
}

/// The entry whose unique attribute (`UserName`, `DisplayName`) is `value`, any case.
fn by_unique(
    tx: &dyn ReadTx,
    kind: Kind,
    store_id: &str,
    value: &str,
) -> Result<Option<EntryRecord>, ApiError> {
    let (_, index) = kind.unique();
    Ok(kind
        .table()
        .get_by(tx, index, &entry_key_value(store_id, value))?
        .map(|(_, e)| e))
}

/// Upper-cases the first letter of every object key, recursively: attribute values may come with
/// SCIM's camelCase member names (`value`, `primary`) or the API's (`Value`, `Primary`).
pub(crate) fn api_case(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (capitalize(&k), api_case(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(api_case).collect()),
        other => other,
    }
}

/// `Foo` for `foo`.
pub(crate) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An `AttributePath` (`userName`, `name.givenName`, `aws:identitystore:enterprise.costCenter`)
/// as the member names of the stored document.
fn attribute_path(kind: Kind, path: &str) -> Result<Vec<String>, ApiError> {
    let unknown = || {
        invalid(format!(
            "Updates for AttributePath: {path} is not supported"
        ))
    };
    let segments: Vec<String> = if path.starts_with("aws:identitystore:") && kind == Kind::User {
        let mut parts = path.splitn(2, '.');
        let extension = parts.next().unwrap_or_default().to_owned();
        let mut out = vec!["Extensions".to_owned(), extension];
        out.extend(
            parts
                .next()
                .into_iter()
                .flat_map(|rest| rest.split('.').map(str::to_owned)),
        );
        out
    } else {
        // Paths name attributes in camelCase (`userName`); the API's member names are refused.
        if path
            .split('.')
            .any(|segment| segment.chars().next().is_some_and(char::is_uppercase))
        {
            return Err(unknown());
        }
        path.split('.').map(capitalize).collect()
    };
    let top = segments.first().ok_or_else(unknown)?;
    if !kind.attributes().contains(&top.as_str()) || segments.iter().any(String::is_empty) {
        return Err(unknown());
    }
    Ok(segments)
}

/// Sets (or, with `None`, removes) the attribute at `path` in `doc`.
fn set_path(doc: &mut Map<String, Value>, path: &[String], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = doc;
    for segment in parents {
        let child = node
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        let Value::Object(map) = child else {
            return;
        };
        node = map;
    }
    match value {
        Some(v) => {
            node.insert(last.clone(), v);
        }
        None => {
            node.remove(last);
        }
    }
}

/// Removes empty objects left behind by removals (`Name` without any part).
fn prune_empty(doc: &mut Map<String, Value>) {
    for value in doc.values_mut() {
        if let Value::Object(map) = value {
            prune_empty(map);
        }
    }
    doc.retain(|_, v| !matches!(v, Value::Object(m) if m.is_empty()) && !v.is_null());
}

fn text<'a>(doc: &'a Map<String, Value>, path: &[&str]) -> Option<&'a str> {
    let (last, parents) = path.split_last()?;
    let mut node = doc;
    for p in parents {
        node = node.get(*p)?.as_object()?;
    }
    node.get(*last)?.as_str().filter(|s| !s.trim().is_empty())
}

/// The rules a user's or group's attributes must meet after a create or an update.
fn check_attributes(kind: Kind, doc: &Map<String, Value>) -> Result<(), ApiError> {
    let required: &[&[&str]] = match kind {
        // IAM Identity Center requires these of its users (the bare identitystore model does not).
        Kind::User => &[
            &["UserName"],
            &["DisplayName"],
            &["Name", "GivenName"],
            &["Name", "FamilyName"],
        ],
        Kind::Group => &[&["DisplayName"]],
    };
    for path in required {
        if text(doc, path).is_none() {
            let camel: Vec<String> = path
                .iter()
                .map(|p| {
                    let mut c = p.chars();
                    c.next()
                        .map(|f| f.to_lowercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect();
            return Err(invalid(format!(
                "Missing required attribute: {}",
                camel.join(".")
            )));
        }
    }
    let (unique, _) = kind.unique();
    if let Some(name) = text(doc, &[unique]) {
        if RESERVED_NAMES.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            return Err(invalid(format!("{name} is a reserved name.")));
        }
    }
    Ok(())
}

/// The API view of a user or group: its attributes plus the store's fields.
fn view(kind: Kind, e: &EntryRecord, extensions: Option<&[String]>) -> Value {
    let mut out = e.attributes.clone();
    match extensions {
        Some(wanted) if kind == Kind::User => {
            if let Some(Value::Object(all)) = out.get_mut("Extensions") {
                all.retain(|k, _| wanted.iter().any(|w| w == k));
            }
        }
        _ => {
            out.remove("Extensions");
        }
    }
    if matches!(out.get("Extensions"), Some(Value::Object(m)) if m.is_empty()) {
        out.remove("Extensions");
    }
    let (id_field, arn_field) = match kind {
        Kind::User => ("UserId", "UserArn"),
        Kind::Group => ("GroupId", "GroupArn"),
    };
    out.insert(
        "IdentityStoreId".to_owned(),
        e.identity_store_id.clone().into(),
    );
    out.insert(id_field.to_owned(), e.id.clone().into());
    out.insert(arn_field.to_owned(), kind.arn(&e.id).into());
    out.insert("Revision".to_owned(), e.revision.to_string().into());
    out.insert("CreatedAt".to_owned(), timestamp(e.created_ms));
    out.insert("CreatedBy".to_owned(), e.created_by.clone().into());
    out.insert("UpdatedAt".to_owned(), timestamp(e.updated_ms));
    out.insert("UpdatedBy".to_owned(), e.updated_by.clone().into());
    if kind == Kind::User {
        out.entry("UserStatus").or_insert_with(|| "ENABLED".into());
    }
    Value::Object(out)
}

fn membership_view(m: &MembershipRecord) -> Value {
    serde_json::json!({
        "IdentityStoreId": m.identity_store_id,
        "MembershipId": m.id,
        "MembershipArn": membership_arn(&m.id),
        "GroupId": m.group_id,
        "MemberId": {"UserId": m.user_id},
        "CreatedAt": timestamp(m.created_ms),
        "CreatedBy": m.created_by,
        "UpdatedAt": timestamp(m.created_ms),
        "UpdatedBy": m.created_by,
    })
}

/// Who made a change and when: the call's caller, or SCIM's provisioning client.
pub(crate) struct Change<'a> {
    /// The principal's ARN (`CreatedBy`, `UpdatedBy`).
    pub actor: &'a str,
    /// When, ms since epoch.
    pub now_ms: i64,
}

/// Fails when another entry of the store has the unique attribute's value of `attributes`.
fn check_unique(
    tx: &dyn ReadTx,
    kind: Kind,
    store_id: &str,
    attributes: &Map<String, Value>,
    own_id: Option<&str>,
) -> Result<(), ApiError> {
    let (unique, _) = kind.unique();
    if let Some(name) = text(attributes, &[unique]) {
        if let Some(other) = by_unique(tx, kind, store_id, name)? {
            if Some(other.id.as_str()) != own_id {
                return Err(duplicate(&format!(
                    "Duplicate {unique}: a {} with {unique} {name} already exists.",
                    kind.word().to_lowercase()
                )));
            }
        }
    }
    Ok(())
}

/// Creates a user or group with `attributes` (API member names) in the store.
pub(crate) fn insert_entry(
    tx: &mut dyn WriteTx,
    ids: &IdGen,
    change: &Change<'_>,
    kind: Kind,
    store_id: &str,
    mut attributes: Map<String, Value>,
) -> Result<EntryRecord, ApiError> {
    prune_empty(&mut attributes);
    check_attributes(kind, &attributes)?;
    check_unique(tx.as_read(), kind, store_id, &attributes, None)?;
    let record = EntryRecord {
        identity_store_id: store_id.to_owned(),
        id: new_entry_id(ids, store_id),
        attributes,
        created_ms: change.now_ms,
        created_by: change.actor.to_owned(),
        updated_ms: change.now_ms,
        updated_by: change.actor.to_owned(),
        revision: 1,
    };
    kind.table()
        .put(tx, &entry_key(store_id, &record.id), &record)?;
    Ok(record)
}

/// Stores a user or group whose attributes changed (checked as on create; revision bumped).
pub(crate) fn store_entry(
    tx: &mut dyn WriteTx,
    change: &Change<'_>,
    kind: Kind,
    mut record: EntryRecord,
) -> Result<EntryRecord, ApiError> {
    prune_empty(&mut record.attributes);
    check_attributes(kind, &record.attributes)?;
    check_unique(
        tx.as_read(),
        kind,
        &record.identity_store_id,
        &record.attributes,
        Some(&record.id),
    )?;
    record.revision += 1;
    record.updated_ms = change.now_ms;
    record.updated_by = change.actor.to_owned();
    kind.table().put(
        tx,
        &entry_key(&record.identity_store_id, &record.id),
        &record,
    )?;
    Ok(record)
}

/// Deletes a user or group and its memberships.
pub(crate) fn remove_entry(
    tx: &mut dyn WriteTx,
    kind: Kind,
    record: &EntryRecord,
) -> Result<(), ApiError> {
    let store_id = record.identity_store_id.as_str();
    let index = match kind {
        Kind::User => "member",
        Kind::Group => "group",
    };
    let memberships = MEMBERSHIPS
        .scan_index(
            tx.as_read(),
            index,
            &Key::new().str(store_id).str(&record.id),
            None,
            usize::MAX,
        )?
        .items;
    for (_, m) in memberships {
        MEMBERSHIPS.delete(tx, &entry_key(store_id, &m.id))?;
    }
    kind.table().delete(tx, &entry_key(store_id, &record.id))?;
    Ok(())
}

fn create_entry(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    store_id: &str,
    request: Value,
) -> Result<EntryRecord, ApiError> {
    let instance = store(ctx, store_id)?;
    let Value::Object(mut attributes) = request else {
        return Err(invalid("The request is not an object."));
    };
    attributes.remove("IdentityStoreId");
    let change = Change {
        actor: &ctx.caller.arn,
        now_ms: ctx.now_ms(),
    };
    let ids = ctx.ids;
    insert_entry(
        ctx.tx.write()?,
        ids,
        &change,
        kind,
        &instance.identity_store_id,
        attributes,
    )
}

/// Applies `UpdateUser`/`UpdateGroup` operations.
fn update_entry(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    store_id: &str,
    id: &str,
    operations: Vec<AttributeOperation>,
    revision: Option<&str>,
) -> Result<EntryRecord, ApiError> {
    let instance = store(ctx, store_id)?;
    let mut record = entry(ctx.tx.read(), kind, &instance.identity_store_id, id)?;
    if revision.is_some_and(|r| r != record.revision.to_string()) {
        return Err(stale_revision());
    }
    for op in operations {
        let path = attribute_path(kind, &op.attribute_path)?;
        let value = op.attribute_value.filter(|v| !v.is_null()).map(api_case);
        set_path(&mut record.attributes, &path, value);
    }
    let change = Change {
        actor: &ctx.caller.arn,
        now_ms: ctx.now_ms(),
    };
    store_entry(ctx.tx.write()?, &change, kind, record)
}

/// Deletes a user or group and its memberships.
fn delete_entry(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    store_id: &str,
    id: &str,
    revision: Option<&str>,
) -> Result<(), ApiError> {
    let instance = store(ctx, store_id)?;
    let record = entry(ctx.tx.read(), kind, &instance.identity_store_id, id)?;
    if revision.is_some_and(|r| r != record.revision.to_string()) {
        return Err(stale_revision());
    }
    remove_entry(ctx.tx.write()?, kind, &record)
}

/// `ListUsers`/`ListGroups`: one page, optionally filtered by the unique attribute.
fn list_entries(
    ctx: &Ctx<'_>,
    kind: Kind,
    store_id: &str,
    filters: Option<Vec<Filter>>,
    token: Option<&str>,
    max_results: Option<i32>,
    extensions: Option<&[String]>,
) -> Result<(Vec<Value>, Option<String>), ApiError> {
    let instance = store(ctx, store_id)?;
    let store_id = instance.identity_store_id.as_str();
    let tx = ctx.tx.read();
    let (unique, _) = kind.unique();
    if let Some(filters) = filters.filter(|f| !f.is_empty()) {
        let mut matched: Option<Vec<EntryRecord>> = None;
        for filter in filters {
            if !filter.attribute_path.eq_ignore_ascii_case(unique) {
                return Err(invalid(format!(
                    "Filtering on {} is not supported: only {unique}.",
                    filter.attribute_path
                )));
            }
            let hit: Vec<EntryRecord> = by_unique(tx, kind, store_id, &filter.attribute_value)?
                .into_iter()
                .collect();
            matched = Some(match matched {
                None => hit,
                Some(prev) => prev
                    .into_iter()
                    .filter(|e| hit.iter().any(|h| h.id == e.id))
                    .collect(),
            });
        }
        let items = matched.unwrap_or_default();
        return Ok((
            items.iter().map(|e| view(kind, e, extensions)).collect(),
            None,
        ));
    }
    let (items, next) = prefix_page(
        tx,
        kind.table(),
        &Key::new().str(store_id),
        token,
        max_results,
    )?;
    Ok((
        items.iter().map(|e| view(kind, e, extensions)).collect(),
        next,
    ))
}

/// The entry an `AlternateIdentifier` names.
fn find_by_identifier(
    ctx: &Ctx<'_>,
    kind: Kind,
    store_id: &str,
    identifier: &AlternateIdentifier,
) -> Result<EntryRecord, ApiError> {
    let instance = store(ctx, store_id)?;
    let store_id = instance.identity_store_id.as_str();
    let tx = ctx.tx.read();
    let missing = || not_found(kind.resource_type(), "");
    if let Some(unique) = &identifier.unique_attribute {
        let value = unique
            .attribute_value
            .as_str()
            .ok_or_else(|| invalid("The attribute value must be a string."))?;
        let path = unique.attribute_path.as_str();
        let (unique_name, _) = kind.unique();
        if path.eq_ignore_ascii_case(unique_name) {
            return by_unique(tx, kind, store_id, value)?.ok_or_else(missing);
        }
        if kind == Kind::User && path.eq_ignore_ascii_case("emails.value") {
            return USERS
                .scan_all(tx, &Key::new().str(store_id))?
                .into_iter()
                .map(|(_, u)| u)
                .find(|u| {
                    u.attributes
                        .get("Emails")
                        .and_then(Value::as_array)
                        .is_some_and(|emails| {
                            emails.iter().any(|e| {
                                e.get("Value")
                                    .and_then(Value::as_str)
                                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
                            })
                        })
                })
                .ok_or_else(missing);
        }
        return Err(invalid(format!("{path} is not a unique attribute.")));
    }
    if let Some(external) = &identifier.external_id {
        return kind
            .table()
            .scan_all(tx, &Key::new().str(store_id))?
            .into_iter()
            .map(|(_, e)| e)
            .find(|e| {
                e.attributes
                    .get("ExternalIds")
                    .and_then(Value::as_array)
                    .is_some_and(|ids| {
                        ids.iter().any(|x| {
                            x.get("Issuer").and_then(Value::as_str)
                                == Some(external.issuer.as_str())
                                && x.get("Id").and_then(Value::as_str) == Some(external.id.as_str())
                        })
                    })
            })
            .ok_or_else(missing);
    }
    Err(invalid("An alternate identifier is required."))
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/// `CreateUser`.
pub fn create_user(
    ctx: &mut Ctx<'_>,
    input: CreateUserRequest,
) -> Result<CreateUserResponse, ApiError> {
    let store_id = input.identity_store_id.clone();
    let user = create_entry(ctx, Kind::User, &store_id, json(&input)?)?;
    Ok(CreateUserResponse {
        identity_store_id: user.identity_store_id,
        user_arn: Kind::User.arn(&user.id),
        revision: user.revision.to_string(),
        user_id: user.id,
    })
}

/// `DescribeUser`.
pub fn describe_user(
    ctx: &mut Ctx<'_>,
    input: DescribeUserRequest,
) -> Result<DescribeUserResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let user = entry(
        ctx.tx.read(),
        Kind::User,
        &instance.identity_store_id,
        &input.user_id,
    )?;
    shape(view(Kind::User, &user, input.extensions.as_deref()))
}

/// `UpdateUser`.
pub fn update_user(
    ctx: &mut Ctx<'_>,
    input: UpdateUserRequest,
) -> Result<UpdateUserResponse, ApiError> {
    let user = update_entry(
        ctx,
        Kind::User,
        &input.identity_store_id,
        &input.user_id,
        input.operations,
        input.revision.as_deref(),
    )?;
    Ok(UpdateUserResponse {
        identity_store_id: user.identity_store_id,
        user_arn: Kind::User.arn(&user.id),
        revision: user.revision.to_string(),
        user_id: user.id,
    })
}

/// `DeleteUser`: its memberships go with it.
pub fn delete_user(
    ctx: &mut Ctx<'_>,
    input: DeleteUserRequest,
) -> Result<DeleteUserResponse, ApiError> {
    delete_entry(
        ctx,
        Kind::User,
        &input.identity_store_id,
        &input.user_id,
        input.revision.as_deref(),
    )?;
    Ok(DeleteUserResponse {})
}

/// `ListUsers`.
pub fn list_users(
    ctx: &mut Ctx<'_>,
    input: ListUsersRequest,
) -> Result<ListUsersResponse, ApiError> {
    let (users, next_token) = list_entries(
        ctx,
        Kind::User,
        &input.identity_store_id,
        input.filters,
        input.next_token.as_deref(),
        input.max_results,
        input.extensions.as_deref(),
    )?;
    shape(serde_json::json!({"Users": users, "NextToken": next_token}))
}

/// `GetUserId`: by `userName`, `emails.value` or an external id.
pub fn get_user_id(
    ctx: &mut Ctx<'_>,
    input: GetUserIdRequest,
) -> Result<GetUserIdResponse, ApiError> {
    let user = find_by_identifier(
        ctx,
        Kind::User,
        &input.identity_store_id,
        &input.alternate_identifier,
    )?;
    Ok(GetUserIdResponse {
        identity_store_id: user.identity_store_id,
        user_arn: Kind::User.arn(&user.id),
        user_id: user.id,
    })
}

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

/// `CreateGroup`.
pub fn create_group(
    ctx: &mut Ctx<'_>,
    input: CreateGroupRequest,
) -> Result<CreateGroupResponse, ApiError> {
    let store_id = input.identity_store_id.clone();
    let group = create_entry(ctx, Kind::Group, &store_id, json(&input)?)?;
    Ok(CreateGroupResponse {
        identity_store_id: group.identity_store_id,
        group_arn: Kind::Group.arn(&group.id),
        revision: group.revision.to_string(),
        group_id: group.id,
    })
}

/// `DescribeGroup`.
pub fn describe_group(
    ctx: &mut Ctx<'_>,
    input: DescribeGroupRequest,
) -> Result<DescribeGroupResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let group = entry(
        ctx.tx.read(),
        Kind::Group,
        &instance.identity_store_id,
        &input.group_id,
    )?;
    shape(view(Kind::Group, &group, None))
}

/// `UpdateGroup`.
pub fn update_group(
    ctx: &mut Ctx<'_>,
    input: UpdateGroupRequest,
) -> Result<UpdateGroupResponse, ApiError> {
    let group = update_entry(
        ctx,
        Kind::Group,
        &input.identity_store_id,
        &input.group_id,
        input.operations,
        input.revision.as_deref(),
    )?;
    Ok(UpdateGroupResponse {
        identity_store_id: group.identity_store_id,
        group_arn: Kind::Group.arn(&group.id),
        revision: group.revision.to_string(),
        group_id: group.id,
    })
}

/// `DeleteGroup`: its memberships go with it.
pub fn delete_group(
    ctx: &mut Ctx<'_>,
    input: DeleteGroupRequest,
) -> Result<DeleteGroupResponse, ApiError> {
    delete_entry(
        ctx,
        Kind::Group,
        &input.identity_store_id,
        &input.group_id,
        input.revision.as_deref(),
    )?;
    Ok(DeleteGroupResponse {})
}

/// `ListGroups`.
pub fn list_groups(
    ctx: &mut Ctx<'_>,
    input: ListGroupsRequest,
) -> Result<ListGroupsResponse, ApiError> {
    let (groups, next_token) = list_entries(
        ctx,
        Kind::Group,
        &input.identity_store_id,
        input.filters,
        input.next_token.as_deref(),
        input.max_results,
        None,
    )?;
    shape(serde_json::json!({"Groups": groups, "NextToken": next_token}))
}

/// `GetGroupId`: by `displayName` or an external id.
pub fn get_group_id(
    ctx: &mut Ctx<'_>,
    input: GetGroupIdRequest,
) -> Result<GetGroupIdResponse, ApiError> {
    let group = find_by_identifier(
        ctx,
        Kind::Group,
        &input.identity_store_id,
        &input.alternate_identifier,
    )?;
    Ok(GetGroupIdResponse {
        identity_store_id: group.identity_store_id,
        group_arn: Kind::Group.arn(&group.id),
        group_id: group.id,
    })
}

// ---------------------------------------------------------------------------------------------
// Memberships
// ---------------------------------------------------------------------------------------------

fn member_user(member: &MemberId) -> Result<&str, ApiError> {
    member
        .user_id
        .as_deref()
        .map(plain_id)
        .ok_or_else(|| invalid("MemberId must name a UserId."))
}

fn membership_of(
    tx: &dyn ReadTx,
    store_id: &str,
    group_id: &str,
    user_id: &str,
) -> Result<Option<MembershipRecord>, ApiError> {
    Ok(MEMBERSHIPS
        .get_by(
            tx,
            "pair",
            &Key::new().str(store_id).str(group_id).str(user_id),
        )?
        .map(|(_, m)| m))
}

/// `CreateGroupMembership`.
pub fn create_group_membership(
    ctx: &mut Ctx<'_>,
    input: CreateGroupMembershipRequest,
) -> Result<CreateGroupMembershipResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let store_id = instance.identity_store_id.as_str();
    let user_id = member_user(&input.member_id)?;
    let tx = ctx.tx.read();
    let group = entry(tx, Kind::Group, store_id, &input.group_id)?;
    entry(tx, Kind::User, store_id, user_id)?;
    if membership_of(tx, store_id, &group.id, user_id)?.is_some() {
        return Err(duplicate("Member is already in the group."));
    }
    let record = MembershipRecord {
        identity_store_id: store_id.to_owned(),
        id: new_entry_id(ctx.ids, store_id),
        group_id: group.id,
        user_id: user_id.to_owned(),
        created_ms: ctx.now_ms(),
        created_by: ctx.caller.arn.clone(),
    };
    MEMBERSHIPS.put(ctx.tx.write()?, &entry_key(store_id, &record.id), &record)?;
    Ok(CreateGroupMembershipResponse {
        identity_store_id: record.identity_store_id,
        membership_arn: membership_arn(&record.id),
        membership_id: record.id,
    })
}

fn membership(ctx: &Ctx<'_>, store_id: &str, id: &str) -> Result<MembershipRecord, ApiError> {
    let instance = store(ctx, store_id)?;
    MEMBERSHIPS
        .get(
            ctx.tx.read(),
            &entry_key(&instance.identity_store_id, plain_id(id)),
        )?
        .ok_or_else(|| not_found("GROUP_MEMBERSHIP", id))
}

/// `DescribeGroupMembership`.
pub fn describe_group_membership(
    ctx: &mut Ctx<'_>,
    input: DescribeGroupMembershipRequest,
) -> Result<DescribeGroupMembershipResponse, ApiError> {
    let m = membership(ctx, &input.identity_store_id, &input.membership_id)?;
    shape(membership_view(&m))
}

/// `DeleteGroupMembership`.
pub fn delete_group_membership(
    ctx: &mut Ctx<'_>,
    input: DeleteGroupMembershipRequest,
) -> Result<DeleteGroupMembershipResponse, ApiError> {
    let m = membership(ctx, &input.identity_store_id, &input.membership_id)?;
    MEMBERSHIPS.delete(ctx.tx.write()?, &entry_key(&m.identity_store_id, &m.id))?;
    Ok(DeleteGroupMembershipResponse {})
}

/// `GetGroupMembershipId`.
pub fn get_group_membership_id(
    ctx: &mut Ctx<'_>,
    input: GetGroupMembershipIdRequest,
) -> Result<GetGroupMembershipIdResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let user_id = member_user(&input.member_id)?;
    let m = membership_of(
        ctx.tx.read(),
        &instance.identity_store_id,
        plain_id(&input.group_id),
        user_id,
    )?
    .ok_or_else(|| not_found("GROUP_MEMBERSHIP", ""))?;
    Ok(GetGroupMembershipIdResponse {
        identity_store_id: m.identity_store_id,
        membership_arn: membership_arn(&m.id),
        membership_id: m.id,
    })
}

/// One page of memberships by an index (`group` or `member`).
fn memberships_page(
    ctx: &Ctx<'_>,
    index: &str,
    store_id: &str,
    id: &str,
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<Value, ApiError> {
    let after = decode_next_token(token)?;
    let page = MEMBERSHIPS.scan_index(
        ctx.tx.read(),
        index,
        &Key::new().str(store_id).str(id),
        after.as_deref(),
        page_size(max_results),
    )?;
    let next = next_token(&page);
    let items: Vec<Value> = page.items.iter().map(|(_, m)| membership_view(m)).collect();
    Ok(serde_json::json!({"GroupMemberships": items, "NextToken": next}))
}

/// `ListGroupMemberships`.
pub fn list_group_memberships(
    ctx: &mut Ctx<'_>,
    input: ListGroupMembershipsRequest,
) -> Result<ListGroupMembershipsResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let group = entry(
        ctx.tx.read(),
        Kind::Group,
        &instance.identity_store_id,
        &input.group_id,
    )?;
    shape(memberships_page(
        ctx,
        "group",
        &instance.identity_store_id,
        &group.id,
        input.next_token.as_deref(),
        input.max_results,
    )?)
}

/// `ListGroupMembershipsForMember`.
pub fn list_group_memberships_for_member(
    ctx: &mut Ctx<'_>,
    input: ListGroupMembershipsForMemberRequest,
) -> Result<ListGroupMembershipsForMemberResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let user_id = member_user(&input.member_id)?;
    entry(
        ctx.tx.read(),
        Kind::User,
        &instance.identity_store_id,
        user_id,
    )?;
    shape(memberships_page(
        ctx,
        "member",
        &instance.identity_store_id,
        user_id,
        input.next_token.as_deref(),
        input.max_results,
    )?)
}

/// `IsMemberInGroups`.
pub fn is_member_in_groups(
    ctx: &mut Ctx<'_>,
    input: IsMemberInGroupsRequest,
) -> Result<IsMemberInGroupsResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    let store_id = instance.identity_store_id.as_str();
    let user_id = member_user(&input.member_id)?;
    let tx = ctx.tx.read();
    entry(tx, Kind::User, store_id, user_id)?;
    let mut results = Vec::new();
    for group_id in &input.group_ids {
        let exists = membership_of(tx, store_id, plain_id(group_id), user_id)?.is_some();
        results.push(serde_json::json!({
            "GroupId": group_id,
            "MemberId": {"UserId": user_id},
            "MembershipExists": exists,
        }));
    }
    shape(serde_json::json!({"Results": results}))
}

// ---------------------------------------------------------------------------------------------
// Identity stores
// ---------------------------------------------------------------------------------------------

fn store_view(instance: &InstanceRecord) -> Value {
    serde_json::json!({
        "IdentityStoreId": instance.identity_store_id,
        "IdentityStoreArn": instance.identity_store_arn(),
        "NetworkConfiguration": instance.network_configuration,
    })
}

/// `DescribeIdentityStore`.
pub fn describe_identity_store(
    ctx: &mut Ctx<'_>,
    input: DescribeIdentityStoreRequest,
) -> Result<DescribeIdentityStoreResponse, ApiError> {
    let instance = store(ctx, &input.identity_store_id)?;
    shape(store_view(&instance))
}

/// `ListIdentityStores`: the stores of the instances the caller may use.
pub fn list_identity_stores(
    ctx: &mut Ctx<'_>,
    input: ListIdentityStoresRequest,
) -> Result<ListIdentityStoresResponse, ApiError> {
    // At most two stores (the account's and its organization's): one page.
    let _ = (input.max_results, input.next_token);
    let stores: Vec<Value> = crate::instances::visible_instances(ctx)?
        .iter()
        .map(|i| {
            serde_json::json!({
                "IdentityStoreId": i.identity_store_id,
                "IdentityStoreArn": i.identity_store_arn(),
            })
        })
        .collect();
    shape(serde_json::json!({"IdentityStores": stores}))
}

/// `UpdateIdentityStore`: the network configuration, kept and described.
pub fn update_identity_store(
    ctx: &mut Ctx<'_>,
    input: UpdateIdentityStoreRequest,
) -> Result<UpdateIdentityStoreResponse, ApiError> {
    let mut instance = store(ctx, &input.identity_store_id)?;
    if let Some(network) = &input.network_configuration {
        instance.network_configuration = Some(json(network)?);
    }
    INSTANCES.put(ctx.tx.write()?, &Key::new().str(&instance.id), &instance)?;
    Ok(UpdateIdentityStoreResponse {
        identity_store_arn: instance.identity_store_arn(),
        identity_store_id: instance.identity_store_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_paths_name_api_members() {
        let path = |p: &str| attribute_path(Kind::User, p).map_err(|e| e.message);
        assert_eq!(path("userName"), Ok(vec!["UserName".to_owned()]));
        assert_eq!(
            path("name.givenName"),
            Ok(vec!["Name".to_owned(), "GivenName".to_owned()])
        );
        assert_eq!(
            path("aws:identitystore:enterprise.costCenter"),
            Ok(vec![
                "Extensions".to_owned(),
                "aws:identitystore:enterprise".to_owned(),
                "costCenter".to_owned()
            ])
        );
        assert!(path("password").is_err());
        assert!(path("name..givenName").is_err());
        assert!(attribute_path(Kind::Group, "userName").is_err());
        assert!(attribute_path(Kind::Group, "description").is_ok());
    }

    #[test]
    fn set_path_creates_parents_and_removal_prunes_them() {
        let mut doc = Map::new();
        let name = vec!["Name".to_owned(), "GivenName".to_owned()];
        set_path(&mut doc, &name, Some("Ann".into()));
        assert_eq!(
            Value::Object(doc.clone()),
            serde_json::json!({"Name": {"GivenName": "Ann"}})
        );
        set_path(&mut doc, &name, None);
        prune_empty(&mut doc);
        assert!(doc.is_empty());
    }

    #[test]
    fn values_take_the_api_member_names() {
        let given = serde_json::json!([{"value": "a@example.com", "primary": true}]);
        assert_eq!(
            api_case(given),
            serde_json::json!([{"Value": "a@example.com", "Primary": true}])
        );
    }

    #[test]
    fn users_need_identity_center_attributes_and_no_reserved_name() {
        let doc = |v: Value| v.as_object().cloned().unwrap_or_default();
        let full = serde_json::json!({
            "UserName": "ann", "DisplayName": "Ann", "Name": {"GivenName": "Ann", "FamilyName": "Lee"}
        });
        assert!(check_attributes(Kind::User, &doc(full)).is_ok());
        let err = check_attributes(Kind::User, &doc(serde_json::json!({"UserName": "ann"})))
            .map_err(|e| e.message);
        assert_eq!(
            err,
            Err("Missing required attribute: displayName".to_owned())
        );
        let reserved = serde_json::json!({"DisplayName": "administrator"});
        assert!(check_attributes(Kind::Group, &doc(reserved)).is_err());
    }
}
