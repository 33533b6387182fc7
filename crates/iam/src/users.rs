//! IAM: users, groups and group membership (and the tag and listing helpers `credentials` shares).

use localorg_model::generated::iam::{
    errors, AddUserToGroupRequest, CreateGroupRequest, CreateGroupResponse, CreateUserRequest,
    CreateUserResponse, DeleteGroupRequest, DeleteUserPermissionsBoundaryRequest,
    DeleteUserRequest, GetGroupRequest, GetGroupResponse, GetUserRequest, GetUserResponse,
    ListGroupsForUserRequest, ListGroupsForUserResponse, ListGroupsRequest, ListGroupsResponse,
    ListUserTagsRequest, ListUserTagsResponse, ListUsersRequest, ListUsersResponse,
    PutUserPermissionsBoundaryRequest, RemoveUserFromGroupRequest, Tag, TagUserRequest,
    UntagUserRequest, UpdateGroupRequest, UpdateUserRequest, User,
};
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx, WriteTx};

use super::core::{
    already_exists, group, group_shape, iam_arn, list_page, name_key, new_unique_id, path_matches,
    path_or_root, ts, user, user_shape, ATTACHED, ATTACHED_TO, GROUPS, GROUP_MEMBERS,
    INLINE_POLICIES, LOGIN_PROFILES, MFA_DEVICES, USERS, USER_GROUPS,
};
use super::core::{check_boundary, last_str, page_of};
use super::records::{GroupRecord, UserRecord};
use localorg_kernel::accounts;
use localorg_kernel::context::PrincipalKind;
use localorg_kernel::credentials::{self, AccessKeyRecord};
use localorg_kernel::Ctx;

/// Groups one user may belong to.
const MAX_GROUPS_PER_USER: usize = 10;
/// Tags one IAM resource may carry.
const MAX_TAGS: usize = 50;

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/// `CreateUser`.
pub(super) fn create_user(
    ctx: &mut Ctx<'_>,
    input: CreateUserRequest,
) -> Result<CreateUserResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let pk = name_key(&account, &input.user_name);
    if USERS.contains(ctx.tx.read(), &pk)? {
        return Err(already_exists("User", &input.user_name));
    }
    let permissions_boundary = input
        .permissions_boundary
        .as_deref()
        .map(|arn| check_boundary(ctx.tx.read(), &account, arn))
        .transpose()?;
    let tags = new_tags(input.tags.as_deref().unwrap_or_default())?;
    let record = UserRecord {
        account_id: account,
        name: input.user_name,
        id: new_unique_id(ctx, "AIDA"),
        path: path_or_root(input.path.as_deref()),
        created_ms: ctx.now_ms(),
        permissions_boundary,
        tags,
        password_last_used_ms: None,
    };
    USERS.put(ctx.tx.write()?, &pk, &record)?;
    Ok(CreateUserResponse {
        user: Some(user_shape(&record)),
    })
}

/// `GetUser`. Without `UserName`: the calling user; the root user gets the account's root view
/// (user id = account id, ARN `arn:aws:iam::ACCOUNT:root`) as AWS answers it.
pub(super) fn get_user(
    ctx: &mut Ctx<'_>,
    input: GetUserRequest,
) -> Result<GetUserResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    if input.user_name.is_none() && ctx.caller.kind == PrincipalKind::Root {
        let created = accounts::get(ctx.tx.read(), &account)?.map_or(0, |a| a.created_ms);
        // AWS leaves Path and UserName out for root; the model makes them required, so they are
        // sent empty.
        return Ok(GetUserResponse {
            user: User {
                path: String::new(),
                user_name: String::new(),
                user_id: account.clone(),
                arn: format!("arn:aws:iam::{account}:root"),
                create_date: ts(created),
                password_last_used: None,
                permissions_boundary: None,
                tags: None,
            },
        });
    }
    let name = calling_user_name(ctx, input.user_name.as_deref())?;
    let record = user(ctx.tx.read(), &account, &name)?;
    Ok(GetUserResponse {
        user: user_shape(&record),
    })
}

/// `UpdateUser`: a new name and/or path; everything keyed by the user's name follows it.
pub(super) fn update_user(ctx: &mut Ctx<'_>, input: UpdateUserRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let old = user(ctx.tx.read(), &account, &input.user_name)?;
    let new_name = input.new_user_name.unwrap_or_else(|| old.name.clone());
    let renamed = new_name != old.name;
    let rekeyed = !new_name.eq_ignore_ascii_case(&old.name);
    if rekeyed && USERS.contains(ctx.tx.read(), &name_key(&account, &new_name))? {
        return Err(already_exists("User", &new_name));
    }
    let mut record = old.clone();
    record.name = new_name.clone();
    if let Some(path) = input.new_path {
        record.path = path;
    }
    let new_arn = iam_arn(&account, "user", &record.path, &record.name);
    let tx = ctx.tx.write()?;
    if rekeyed {
        USERS.delete(tx, &name_key(&account, &old.name))?;
    }
    USERS.put(tx, &name_key(&account, &new_name), &record)?;

    // Access keys sign as the user: name and ARN.
    for mut key in principal_keys(tx.as_read(), &account, Some(&old.name))? {
        key.principal = PrincipalKind::User {
            name: new_name.clone(),
        };
        key.principal_arn = new_arn.clone();
        credentials::put(tx, &key)?;
    }
    if !renamed {
        return Ok(());
    }
    let (old_lower, new_lower) = (old.name.to_lowercase(), new_name.to_lowercase());
    // Group membership, both directions.
    let memberships = USER_GROUPS.scan_all(tx.as_read(), &name_key(&account, &old.name))?;
    for (key, group_name) in memberships {
        USER_GROUPS.delete(tx, &key)?;
        let g = group_name.to_lowercase();
        USER_GROUPS.put(
            tx,
            &Key::new().str(&account).str(&new_lower).str(&g),
            &group_name,
        )?;
        GROUP_MEMBERS.delete(tx, &Key::new().str(&account).str(&g).str(&old_lower))?;
        GROUP_MEMBERS.put(
            tx,
            &Key::new().str(&account).str(&g).str(&new_lower),
            &new_name,
        )?;
    }
    move_entity_policies(tx, &account, "user", &old_lower, &new_lower, &new_name)?;
    // The login profile and MFA devices.
    if let Some(profile) = LOGIN_PROFILES.delete(tx, &name_key(&account, &old.name))? {
        LOGIN_PROFILES.put(tx, &name_key(&account, &new_name), &profile)?;
    }
    for (key, mut device) in MFA_DEVICES.scan_all(tx.as_read(), &Key::new().str(&account))? {
        if device
            .user_name
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(&old.name))
        {
            device.user_name = Some(new_name.clone());
            MFA_DEVICES.put(tx, &key, &device)?;
        }
    }
    Ok(())
}

/// `DeleteUser`: refused while anything still hangs off the user, with AWS's messages.
pub(super) fn delete_user(ctx: &mut Ctx<'_>, input: DeleteUserRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let record = user(ctx.tx.read(), &account, &input.user_name)?;
    let tx = ctx.tx.read();
    let lower = record.name.to_lowercase();
    let conflict = |what: &str| {
        errors::DELETE_CONFLICT_EXCEPTION.error(format!("Cannot delete entity, must {what} first."))
    };
    // The order AWS documents for deleting a user: password, access keys, MFA devices, inline
    // policies, managed policies, groups.
    if LOGIN_PROFILES.contains(tx, &name_key(&account, &record.name))? {
        return Err(conflict("delete login profile"));
    }
    if !principal_keys(tx, &account, Some(&record.name))?.is_empty() {
        return Err(conflict("delete access keys"));
    }
    // SSH public keys and service-specific (Git) credentials come next in AWS's order.
    if let Some(what) = super::certificates::user_has_extra_credentials(tx, &record)? {
        return Err(conflict(what));
    }
    let has_mfa = MFA_DEVICES
        .scan_all(tx, &Key::new().str(&account))?
        .iter()
        .any(|(_, d)| {
            d.user_name
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case(&record.name))
        });
    if has_mfa {
        return Err(conflict("delete MFA device"));
    }
    let entity = Key::new().str(&account).str("user").str(&lower);
    if INLINE_POLICIES.count(tx, &entity)? > 0 {
        return Err(conflict("delete policies"));
    }
    if ATTACHED.count(tx, &entity)? > 0 {
        return Err(conflict("detach all policies"));
    }
    if USER_GROUPS.count(tx, &name_key(&account, &record.name))? > 0 {
        return Err(conflict("remove user from all groups"));
    }
    USERS.delete(ctx.tx.write()?, &name_key(&account, &record.name))?;
    Ok(())
}

/// `ListUsers` (sorted by name; without tags and boundary, as IAM's listings leave them out).
pub(super) fn list_users(
    ctx: &mut Ctx<'_>,
    input: ListUsersRequest,
) -> Result<ListUsersResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let users = USERS
        .scan_all(ctx.tx.read(), &Key::new().str(account))?
        .into_iter()
        .filter(|(_, u)| path_matches(&u.path, input.path_prefix.as_deref()))
        .map(|(_, u)| (u.name.to_lowercase(), listed_user(&u)))
        .collect();
    let (users, truncated, marker) = page_of(users, input.marker.as_deref(), input.max_items)?;
    Ok(ListUsersResponse {
        users,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `TagUser`.
pub(super) fn tag_user(ctx: &mut Ctx<'_>, input: TagUserRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut record = user(ctx.tx.read(), &account, &input.user_name)?;
    merge_tags(&mut record.tags, &input.tags)?;
    USERS.put(ctx.tx.write()?, &name_key(&account, &record.name), &record)?;
    Ok(())
}

/// `UntagUser`.
pub(super) fn untag_user(ctx: &mut Ctx<'_>, input: UntagUserRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut record = user(ctx.tx.read(), &account, &input.user_name)?;
    remove_tags(&mut record.tags, &input.tag_keys);
    USERS.put(ctx.tx.write()?, &name_key(&account, &record.name), &record)?;
    Ok(())
}

/// `ListUserTags`.
pub(super) fn list_user_tags(
    ctx: &mut Ctx<'_>,
    input: ListUserTagsRequest,
) -> Result<ListUserTagsResponse, ApiError> {
    let record = user(ctx.tx.read(), &ctx.caller.account_id, &input.user_name)?;
    let (tags, truncated, marker) =
        tags_page(&record.tags, input.marker.as_deref(), input.max_items)?;
    Ok(ListUserTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `PutUserPermissionsBoundary`.
pub(super) fn put_user_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: PutUserPermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut record = user(ctx.tx.read(), &account, &input.user_name)?;
    record.permissions_boundary = Some(check_boundary(
        ctx.tx.read(),
        &account,
        &input.permissions_boundary,
    )?);
    USERS.put(ctx.tx.write()?, &name_key(&account, &record.name), &record)?;
    Ok(())
}

/// `DeleteUserPermissionsBoundary` (no error when the user has none, as AWS).
pub(super) fn delete_user_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: DeleteUserPermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut record = user(ctx.tx.read(), &account, &input.user_name)?;
    record.permissions_boundary = None;
    USERS.put(ctx.tx.write()?, &name_key(&account, &record.name), &record)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

/// `CreateGroup`.
pub(super) fn create_group(
    ctx: &mut Ctx<'_>,
    input: CreateGroupRequest,
) -> Result<CreateGroupResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let pk = name_key(&account, &input.group_name);
    if GROUPS.contains(ctx.tx.read(), &pk)? {
        return Err(already_exists("Group", &input.group_name));
    }
    let record = GroupRecord {
        account_id: account,
        name: input.group_name,
        id: new_unique_id(ctx, "AGPA"),
        path: path_or_root(input.path.as_deref()),
        created_ms: ctx.now_ms(),
    };
    GROUPS.put(ctx.tx.write()?, &pk, &record)?;
    Ok(CreateGroupResponse {
        group: group_shape(&record),
    })
}

/// `GetGroup`: the group and a page of its users.
pub(super) fn get_group(
    ctx: &mut Ctx<'_>,
    input: GetGroupRequest,
) -> Result<GetGroupResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let tx = ctx.tx.read();
    let record = group(tx, account, &input.group_name)?;
    let (names, truncated, marker) = list_page(
        tx,
        &GROUP_MEMBERS,
        &name_key(account, &record.name),
        input.marker.as_deref(),
        input.max_items,
    )?;
    let mut users = Vec::with_capacity(names.len());
    for name in names {
        if let Some(u) = USERS.get(tx, &name_key(account, &name))? {
            users.push(listed_user(&u));
        }
    }
    Ok(GetGroupResponse {
        group: group_shape(&record),
        users,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `UpdateGroup`: a new name and/or path; memberships, attachments and inline policies follow.
pub(super) fn update_group(ctx: &mut Ctx<'_>, input: UpdateGroupRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let old = group(ctx.tx.read(), &account, &input.group_name)?;
    let new_name = input.new_group_name.unwrap_or_else(|| old.name.clone());
    let renamed = new_name != old.name;
    let rekeyed = !new_name.eq_ignore_ascii_case(&old.name);
    if rekeyed && GROUPS.contains(ctx.tx.read(), &name_key(&account, &new_name))? {
        return Err(already_exists("Group", &new_name));
    }
    let mut record = old.clone();
    record.name = new_name.clone();
    if let Some(path) = input.new_path {
        record.path = path;
    }
    let tx = ctx.tx.write()?;
    if rekeyed {
        GROUPS.delete(tx, &name_key(&account, &old.name))?;
    }
    GROUPS.put(tx, &name_key(&account, &new_name), &record)?;
    if !renamed {
        return Ok(());
    }
    let (old_lower, new_lower) = (old.name.to_lowercase(), new_name.to_lowercase());
    let members = GROUP_MEMBERS.scan_all(tx.as_read(), &name_key(&account, &old.name))?;
    for (key, user_name) in members {
        GROUP_MEMBERS.delete(tx, &key)?;
        let u = user_name.to_lowercase();
        GROUP_MEMBERS.put(
            tx,
            &Key::new().str(&account).str(&new_lower).str(&u),
            &user_name,
        )?;
        USER_GROUPS.delete(tx, &Key::new().str(&account).str(&u).str(&old_lower))?;
        USER_GROUPS.put(
            tx,
            &Key::new().str(&account).str(&u).str(&new_lower),
            &new_name,
        )?;
    }
    move_entity_policies(tx, &account, "group", &old_lower, &new_lower, &new_name)
}

/// `DeleteGroup`: refused while it has members or policies.
pub(super) fn delete_group(ctx: &mut Ctx<'_>, input: DeleteGroupRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let record = group(tx, &account, &input.group_name)?;
    let conflict = |what: &str| {
        errors::DELETE_CONFLICT_EXCEPTION.error(format!("Cannot delete entity, must {what} first."))
    };
    if GROUP_MEMBERS.count(tx, &name_key(&account, &record.name))? > 0 {
        return Err(conflict("remove users from group"));
    }
    let entity = Key::new()
        .str(&account)
        .str("group")
        .str(&record.name.to_lowercase());
    if INLINE_POLICIES.count(tx, &entity)? > 0 {
        return Err(conflict("delete policies"));
    }
    if ATTACHED.count(tx, &entity)? > 0 {
        return Err(conflict("detach all policies"));
    }
    GROUPS.delete(ctx.tx.write()?, &name_key(&account, &record.name))?;
    Ok(())
}

/// `ListGroups`.
pub(super) fn list_groups(
    ctx: &mut Ctx<'_>,
    input: ListGroupsRequest,
) -> Result<ListGroupsResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let groups = GROUPS
        .scan_all(ctx.tx.read(), &Key::new().str(account))?
        .into_iter()
        .filter(|(_, g)| path_matches(&g.path, input.path_prefix.as_deref()))
        .map(|(_, g)| (g.name.to_lowercase(), group_shape(&g)))
        .collect();
    let (groups, truncated, marker) = page_of(groups, input.marker.as_deref(), input.max_items)?;
    Ok(ListGroupsResponse {
        groups,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `AddUserToGroup` (adding a member again is not an error, as in AWS).
pub(super) fn add_user_to_group(
    ctx: &mut Ctx<'_>,
    input: AddUserToGroupRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let g = group(tx, &account, &input.group_name)?;
    let u = user(tx, &account, &input.user_name)?;
    let (g_lower, u_lower) = (g.name.to_lowercase(), u.name.to_lowercase());
    let member_key = Key::new().str(&account).str(&g_lower).str(&u_lower);
    if GROUP_MEMBERS.contains(tx, &member_key)? {
        return Ok(());
    }
    let count = USER_GROUPS.count(tx, &name_key(&account, &u.name))?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_GROUPS_PER_USER {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for GroupsPerUser: {MAX_GROUPS_PER_USER}"
        )));
    }
    let tx = ctx.tx.write()?;
    GROUP_MEMBERS.put(tx, &member_key, &u.name)?;
    USER_GROUPS.put(
        tx,
        &Key::new().str(&account).str(&u_lower).str(&g_lower),
        &g.name,
    )?;
    Ok(())
}

/// `RemoveUserFromGroup`.
pub(super) fn remove_user_from_group(
    ctx: &mut Ctx<'_>,
    input: RemoveUserFromGroupRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let g = group(tx, &account, &input.group_name)?;
    let u = user(tx, &account, &input.user_name)?;
    let (g_lower, u_lower) = (g.name.to_lowercase(), u.name.to_lowercase());
    let member_key = Key::new().str(&account).str(&g_lower).str(&u_lower);
    if !GROUP_MEMBERS.contains(tx, &member_key)? {
        // AWS answers NoSuchEntity naming the user; the wording is localorg's.
        return Err(errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
            "The user with name {} is not a member of the group {}.",
            u.name, g.name
        )));
    }
    let tx = ctx.tx.write()?;
    GROUP_MEMBERS.delete(tx, &member_key)?;
    USER_GROUPS.delete(tx, &Key::new().str(&account).str(&u_lower).str(&g_lower))?;
    Ok(())
}

/// `ListGroupsForUser`.
pub(super) fn list_groups_for_user(
    ctx: &mut Ctx<'_>,
    input: ListGroupsForUserRequest,
) -> Result<ListGroupsForUserResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let tx = ctx.tx.read();
    let u = user(tx, account, &input.user_name)?;
    let (names, truncated, marker) = list_page(
        tx,
        &USER_GROUPS,
        &name_key(account, &u.name),
        input.marker.as_deref(),
        input.max_items,
    )?;
    let mut groups = Vec::with_capacity(names.len());
    for name in names {
        if let Some(g) = GROUPS.get(tx, &name_key(account, &name))? {
            groups.push(group_shape(&g));
        }
    }
    Ok(ListGroupsForUserResponse {
        groups,
        is_truncated: Some(truncated),
        marker,
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers (shared with `credentials`)
// ---------------------------------------------------------------------------------------------

/// The user an operation without `UserName` is about: the calling IAM user. Other principals
/// must name the user (AWS's `ValidationError`).
pub(super) fn calling_user_name(
    ctx: &Ctx<'_>,
    user_name: Option<&str>,
) -> Result<String, ApiError> {
    super::core::target_user_name(ctx, user_name)?.ok_or_else(|| {
        ApiError::new(
            "ValidationError",
            400,
            "Must specify userName when calling with non-User credentials",
        )
    })
}

/// The `User` view of listings (IAM's list operations leave tags and the boundary out).
fn listed_user(u: &UserRecord) -> User {
    let mut shape = user_shape(u);
    shape.tags = None;
    shape.permissions_boundary = None;
    shape
}

/// The long-term access keys of a user (`Some(name)`) or of the root user (`None`) of `account`.
pub(super) fn principal_keys(
    tx: &dyn ReadTx,
    account: &str,
    user_name: Option<&str>,
) -> Result<Vec<AccessKeyRecord>, ApiError> {
    Ok(credentials::long_term_keys(tx, account)?
        .into_iter()
        .filter(|key| match (&key.principal, user_name) {
            (PrincipalKind::User { name }, Some(wanted)) => name.eq_ignore_ascii_case(wanted),
            (PrincipalKind::Root, None) => true,
            _ => false,
        })
        .collect())
}

/// Moves an identity's managed-policy attachments and inline policies to its new name.
fn move_entity_policies(
    tx: &mut dyn WriteTx,
    account: &str,
    kind: &str,
    old_lower: &str,
    new_lower: &str,
    new_name: &str,
) -> Result<(), ApiError> {
    let old_entity = Key::new().str(account).str(kind).str(old_lower);
    let new_entity = Key::new().str(account).str(kind).str(new_lower);
    for (key, policy_name) in ATTACHED.scan_all(tx.as_read(), &old_entity)? {
        let Some(arn) = last_str(&key)? else { continue };
        ATTACHED.delete(tx, &key)?;
        ATTACHED.put(tx, &new_entity.clone().str(&arn), &policy_name)?;
        let reverse = Key::new().str(account).str(&arn).str(kind);
        ATTACHED_TO.delete(tx, &reverse.clone().str(old_lower))?;
        ATTACHED_TO.put(tx, &reverse.str(new_lower), &new_name.to_owned())?;
    }
    for (key, document) in INLINE_POLICIES.scan_all(tx.as_read(), &old_entity)? {
        let Some(policy_name) = last_str(&key)? else {
            continue;
        };
        INLINE_POLICIES.delete(tx, &key)?;
        INLINE_POLICIES.put(tx, &new_entity.clone().str(&policy_name), &document)?;
    }
    Ok(())
}

/// One page of a resource's tags (`ListUserTags`, `ListMFADeviceTags`).
pub(super) fn tags_page(
    tags: &[(String, String)],
    marker: Option<&str>,
    max: Option<i32>,
) -> Result<(Vec<Tag>, bool, Option<String>), ApiError> {
    let items = tags
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            (
                format!("{i:06}"),
                Tag {
                    key: k.clone(),
                    value: v.clone(),
                },
            )
        })
        .collect();
    page_of(items, marker, max)
}

/// Tags given at creation: no key twice (keys are case-insensitive), no `aws:` keys.
pub(super) fn new_tags(tags: &[Tag]) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    merge_tags(&mut out, tags)?;
    Ok(out)
}

/// Adds or overwrites tags (keys match case-insensitively), at most 50 in all.
pub(super) fn merge_tags(
    existing: &mut Vec<(String, String)>,
    tags: &[Tag],
) -> Result<(), ApiError> {
    let mut seen: Vec<String> = Vec::new();
    for tag in tags {
        let lower = tag.key.to_lowercase();
        if seen.contains(&lower) {
            return Err(errors::INVALID_INPUT_EXCEPTION.error(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ));
        }
        if lower.starts_with("aws:") {
            return Err(errors::INVALID_INPUT_EXCEPTION
                .error("User-defined tag keys cannot start with the prefix 'aws:'."));
        }
        seen.push(lower);
    }
    for tag in tags {
        match existing
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&tag.key))
        {
            Some(slot) => *slot = (tag.key.clone(), tag.value.clone()),
            None => existing.push((tag.key.clone(), tag.value.clone())),
        }
    }
    if existing.len() > MAX_TAGS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "The number of tags has reached the maximum limit of {MAX_TAGS}."
        )));
    }
    Ok(())
}

/// Removes tags by key (case-insensitively); unknown keys are ignored, as in AWS.
pub(super) fn remove_tags(existing: &mut Vec<(String, String)>, keys: &[String]) {
    existing.retain(|(k, _)| !keys.iter().any(|r| r.eq_ignore_ascii_case(k)));
}
