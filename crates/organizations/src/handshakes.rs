//! Organizations: handshakes — invitations to join an organization, and the process that moves a
//! consolidated-billing organization to all features.
//!
//! Choices where AWS's documentation is loose or contradicts itself (each is repeated at the code):
//! - `EnableAllFeatures` creates one `ENABLE_ALL_FEATURES` handshake (parties: the organization; its
//!   recipient is the management account) in state `REQUESTED`, and one `APPROVE_ALL_FEATURES`
//!   handshake (resource `PARENT_HANDSHAKE`) for every member account that joined by invitation.
//!   The parent reads `OPEN` once every invited member that is still in the organization has
//!   accepted its approval; only then can the management account accept it, which switches the
//!   organization to `ALL` (accepting earlier: `InvalidHandshakeTransitionException`).
//! - `EXPIRED` is never stored: `OPEN`/`REQUESTED` handshakes read `EXPIRED` from their expiry on
//!   (15 days after the request). Closed handshakes stay visible for 30 days, then vanish.
//! - A caller that is neither party of a handshake gets `HandshakeNotFoundException` (it can't learn
//!   that the id exists); a party acting on the wrong side (the sender accepting its own
//!   invitation, the recipient canceling it) gets `AccessDeniedException`.
//! - An invitation by account id must name an existing account (`AccountNotFoundException`); an
//!   invitation by email is sent whether or not an account has that email yet, and whoever owns the
//!   email (case-insensitively) when answering is the recipient.
//! - An invitation may go to an account that belongs to another organization; it must leave that
//!   organization before it can accept (`HandshakeConstraintViolationException`
//!   `ALREADY_IN_AN_ORGANIZATION`). Inviting an account already in this organization fails with
//!   that reason at once.

use localorg_model::generated::organizations::{
    errors, AcceptHandshakeRequest, AcceptHandshakeResponse, ActionType, CancelHandshakeRequest,
    CancelHandshakeResponse, DeclineHandshakeRequest, DeclineHandshakeResponse,
    DescribeHandshakeRequest, DescribeHandshakeResponse, EnableAllFeaturesRequest,
    EnableAllFeaturesResponse, Handshake, HandshakeFilter, HandshakeParty, HandshakePartyType,
    HandshakeResource, HandshakeResourceType, HandshakeState, InviteAccountToOrganizationRequest,
    InviteAccountToOrganizationResponse, ListHandshakesForAccountRequest,
    ListHandshakesForAccountResponse, ListHandshakesForOrganizationRequest,
    ListHandshakesForOrganizationResponse, Tag,
};
use localorg_model::ApiError;
use localorg_store::{decode_token, encode_token, Key, ReadTx, WriteTx};

use super::core::{
    access_denied, handshake_arn, invalid_token, is_delegated_admin, managed_org, membership_of,
    new_handshake_id, page_size, readable_org, ts, HANDSHAKES, MEMBERS, ORGS,
};
use super::records::{HandshakeRecord, MembershipRecord, OrganizationRecord};
use localorg_kernel::accounts;
use localorg_kernel::Ctx;

const DAY_MS: i64 = 86_400_000;
/// Handshakes expire 15 days after they were requested.
pub(super) const HANDSHAKE_LIFETIME_MS: i64 = 15 * DAY_MS;
/// Accepted, declined, canceled and expired handshakes stay visible for 30 days.
pub(super) const HANDSHAKE_RETENTION_MS: i64 = 30 * DAY_MS;
/// AWS's limit of tags on one resource.
pub(super) const MAX_TAGS_PER_RESOURCE: usize = 50;

const INVITE: &str = "INVITE";
const ENABLE_ALL_FEATURES: &str = "ENABLE_ALL_FEATURES";
const APPROVE_ALL_FEATURES: &str = "APPROVE_ALL_FEATURES";

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// The state a handshake stored as `stored` is in at `now_ms`: `OPEN` and `REQUESTED` handshakes
/// read `EXPIRED` from `expires_ms` on; every other state is final.
pub(super) fn effective_state(stored: &str, expires_ms: i64, now_ms: i64) -> &str {
    match stored {
        "OPEN" | "REQUESTED" if now_ms >= expires_ms => "EXPIRED",
        other => other,
    }
}

/// True while a handshake in `state` can still be answered.
fn is_active(state: &str) -> bool {
    matches!(state, "OPEN" | "REQUESTED")
}

/// True while the handshake still shows up (closed ones vanish 30 days after closing).
pub(super) fn is_retained(h: &HandshakeRecord, now_ms: i64) -> bool {
    let closed = match h.closed_ms {
        Some(ms) => Some(ms),
        None if now_ms >= h.expires_ms => Some(h.expires_ms),
        None => None,
    };
    closed.is_none_or(|ms| now_ms < ms.saturating_add(HANDSHAKE_RETENTION_MS))
}

/// The `APPROVE_ALL_FEATURES` handshakes answering `parent`.
fn approvals(tx: &dyn ReadTx, parent: &HandshakeRecord) -> Result<Vec<HandshakeRecord>, ApiError> {
    Ok(HANDSHAKES
        .scan_index(tx, "org", &Key::new().str(&parent.org_id), None, usize::MAX)?
        .items
        .into_iter()
        .map(|(_, h)| h)
        .filter(|h| h.parent_handshake_id.as_deref() == Some(parent.id.as_str()))
        .collect())
}

/// True when every invited member still in the organization approved `parent`.
fn all_approved(tx: &dyn ReadTx, parent: &HandshakeRecord) -> Result<bool, ApiError> {
    for child in approvals(tx, parent)? {
        let Some(account) = child.target_account_id.as_deref() else {
            continue;
        };
        // Accounts removed from the organization meanwhile no longer need to approve.
        let still_member = MEMBERS
            .get(tx, &Key::new().str(account))?
            .is_some_and(|m| m.org_id == parent.org_id);
        if still_member && child.state != "ACCEPTED" {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The state the API shows: stored state, expiry, and for `ENABLE_ALL_FEATURES` `OPEN` once every
/// invited member approved ("all recipients have responded").
fn current_state(
    tx: &dyn ReadTx,
    h: &HandshakeRecord,
    now_ms: i64,
) -> Result<&'static str, ApiError> {
    let state = match effective_state(&h.state, h.expires_ms, now_ms) {
        "REQUESTED" => "REQUESTED",
        "OPEN" => "OPEN",
        "ACCEPTED" => "ACCEPTED",
        "DECLINED" => "DECLINED",
        "CANCELED" => "CANCELED",
        _ => "EXPIRED",
    };
    if h.action == ENABLE_ALL_FEATURES && state == "REQUESTED" && all_approved(tx, h)? {
        return Ok("OPEN");
    }
    Ok(state)
}

/// The organization's `ENABLE_ALL_FEATURES` handshake while it can still be answered.
fn all_features_in_progress(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    now_ms: i64,
) -> Result<Option<HandshakeRecord>, ApiError> {
    let Some(id) = org.all_features_handshake.as_deref() else {
        return Ok(None);
    };
    Ok(HANDSHAKES
        .get(tx, &Key::new().str(id))?
        .filter(|h| is_active(effective_state(&h.state, h.expires_ms, now_ms))))
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

fn handshake_not_found() -> ApiError {
    errors::HANDSHAKE_NOT_FOUND_EXCEPTION
        .error("We can't find a handshake with the HandshakeId that you specified.")
}

fn handshake_constraint(reason: &str, message: &str) -> ApiError {
    errors::HANDSHAKE_CONSTRAINT_VIOLATION_EXCEPTION
        .error(message)
        .with_field("Reason", reason)
}

fn already_in_organization() -> ApiError {
    handshake_constraint(
        "ALREADY_IN_AN_ORGANIZATION",
        "The handshake request is invalid because the invited account is already a member of an organization.",
    )
}

fn invalid_input(reason: &str, message: &str) -> ApiError {
    errors::INVALID_INPUT_EXCEPTION
        .error(message)
        .with_field("Reason", reason)
}

/// `HandshakeAlreadyInStateException` / `InvalidHandshakeTransitionException` for moving a
/// handshake in `current` state to `target`.
fn check_transition(current: &str, target: &str) -> Result<(), ApiError> {
    if current == target {
        return Err(errors::HANDSHAKE_ALREADY_IN_STATE_EXCEPTION.error(format!(
            "The specified handshake is already in the requested state ({target})."
        )));
    }
    if !is_active(current) {
        return Err(
            errors::INVALID_HANDSHAKE_TRANSITION_EXCEPTION.error(format!(
            "You can't perform the operation on the handshake in its current state ({current})."
        )),
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Tags (shared with the resource policy)
// ---------------------------------------------------------------------------------------------

/// Checks tags given with an invitation (they are attached when it is accepted, but AWS refuses
/// the invitation itself when they are invalid): the rules of `tags::put_tags`.
fn validate_tags(tags: Option<&[Tag]>) -> Result<Vec<(String, String)>, ApiError> {
    let tags = tags.unwrap_or_default();
    let mut out: Vec<(String, String)> = Vec::with_capacity(tags.len());
    for tag in tags {
        if tag.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid_input(
                "INVALID_SYSTEM_TAGS_PARAMETER",
                "Tag keys with the prefix 'aws:' are reserved for use by AWS.",
            ));
        }
        if out.iter().any(|(k, _)| k == &tag.key) {
            return Err(invalid_input(
                "DUPLICATE_TAG_KEY",
                "Duplicate tag keys are not allowed in a single request.",
            ));
        }
        out.push((tag.key.clone(), tag.value.clone()));
    }
    if out.len() > MAX_TAGS_PER_RESOURCE {
        return Err(errors::CONSTRAINT_VIOLATION_EXCEPTION
            .error("You have exceeded the maximum number of tags allowed on this resource.")
            .with_field("Reason", "MAX_TAG_LIMIT_EXCEEDED"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The API view
// ---------------------------------------------------------------------------------------------

fn resource(kind: HandshakeResourceType, value: &str) -> HandshakeResource {
    HandshakeResource {
        r#type: Some(kind),
        value: Some(value.to_owned()),
        resources: None,
    }
}

/// The `Handshake` view: AWS's resource tree is the sending organization (with the management
/// account's email and name, and for invitations the feature set), then the target and notes for
/// invitations, or the parent handshake for approvals.
fn handshake_shape(
    tx: &dyn ReadTx,
    h: &HandshakeRecord,
    now_ms: i64,
) -> Result<Handshake, ApiError> {
    let org = ORGS
        .get(tx, &Key::new().str(&h.org_id))?
        .ok_or_else(handshake_not_found)?;
    let management = accounts::get(tx, &org.management_account_id)?;
    let (master_email, master_name) = management.map(|a| (a.email, a.name)).unwrap_or_default();
    let mut org_children = vec![
        resource(HandshakeResourceType::MasterEmail, &master_email),
        resource(HandshakeResourceType::MasterName, &master_name),
    ];
    let mut resources = Vec::new();
    match h.action.as_str() {
        INVITE => {
            org_children.push(resource(
                HandshakeResourceType::OrganizationFeatureSet,
                &org.feature_set,
            ));
            resources.push(HandshakeResource {
                r#type: Some(HandshakeResourceType::Organization),
                value: Some(org.id.clone()),
                resources: Some(org_children),
            });
            for (id, kind) in h.parties.iter().filter(|(_, k)| k != "ORGANIZATION") {
                let kind = if kind == "EMAIL" {
                    HandshakeResourceType::Email
                } else {
                    HandshakeResourceType::Account
                };
                resources.push(resource(kind, id));
            }
            if let Some(notes) = &h.notes {
                resources.push(resource(HandshakeResourceType::Notes, notes));
            }
        }
        APPROVE_ALL_FEATURES => {
            resources.push(HandshakeResource {
                r#type: Some(HandshakeResourceType::Organization),
                value: Some(org.id.clone()),
                resources: Some(org_children),
            });
            if let Some(parent) = &h.parent_handshake_id {
                resources.push(resource(HandshakeResourceType::ParentHandshake, parent));
            }
        }
        _ => resources.push(resource(HandshakeResourceType::Organization, &org.id)),
    }
    Ok(Handshake {
        id: Some(h.id.clone()),
        arn: Some(handshake_arn(&org, &h.action, &h.id)),
        parties: Some(
            h.parties
                .iter()
                .filter_map(|(id, kind)| {
                    HandshakePartyType::from_str_value(kind).map(|t| HandshakeParty {
                        id: id.clone(),
                        r#type: t,
                    })
                })
                .collect(),
        ),
        state: HandshakeState::from_str_value(current_state(tx, h, now_ms)?),
        requested_timestamp: Some(ts(h.requested_ms)),
        expiration_timestamp: Some(ts(h.expires_ms)),
        action: ActionType::from_str_value(&h.action),
        resources: Some(resources),
    })
}

// ---------------------------------------------------------------------------------------------
// Who may see and answer a handshake
// ---------------------------------------------------------------------------------------------

/// A handshake as the caller sees it.
struct Loaded {
    handshake: HandshakeRecord,
    org: OrganizationRecord,
    /// The caller is the sending organization's management account.
    sender: bool,
    /// The caller is the account that must answer.
    recipient: bool,
}

/// The caller's root email, lower-cased.
fn caller_email(ctx: &Ctx<'_>) -> Result<Option<String>, ApiError> {
    Ok(accounts::get(ctx.tx.read(), &ctx.caller.account_id)?.map(|a| a.email.to_lowercase()))
}

fn is_recipient(h: &HandshakeRecord, account_id: &str, email: Option<&str>) -> bool {
    h.target_account_id.as_deref() == Some(account_id)
        || matches!((&h.target_email, email), (Some(t), Some(e)) if t.to_lowercase() == e)
}

/// Loads a handshake the caller takes part in; `HandshakeNotFoundException` otherwise.
/// `observers` lets delegated administrators of the sending organization see it too.
fn load(ctx: &Ctx<'_>, id: &str, observers: bool) -> Result<Loaded, ApiError> {
    let tx = ctx.tx.read();
    let handshake = HANDSHAKES
        .get(tx, &Key::new().str(id))?
        .filter(|h| is_retained(h, ctx.now_ms()))
        .ok_or_else(handshake_not_found)?;
    let org = ORGS
        .get(tx, &Key::new().str(&handshake.org_id))?
        .ok_or_else(handshake_not_found)?;
    let caller = ctx.caller.account_id.as_str();
    let sender = org.management_account_id == caller;
    let recipient = is_recipient(&handshake, caller, caller_email(ctx)?.as_deref());
    let observer = observers
        && MEMBERS
            .get(tx, &Key::new().str(caller))?
            .is_some_and(|m| m.org_id == org.id)
        && is_delegated_admin(tx, &org.id, caller)?;
    if !(sender || recipient || observer) {
        return Err(handshake_not_found());
    }
    Ok(Loaded {
        handshake,
        org,
        sender,
        recipient,
    })
}

// ---------------------------------------------------------------------------------------------
// InviteAccountToOrganization
// ---------------------------------------------------------------------------------------------

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
}

/// Open (unexpired) handshakes the organization sent.
fn open_sent(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    now_ms: i64,
) -> Result<Vec<HandshakeRecord>, ApiError> {
    Ok(HANDSHAKES
        .scan_index(tx, "org", &Key::new().str(&org.id), None, usize::MAX)?
        .items
        .into_iter()
        .map(|(_, h)| h)
        .filter(|h| is_active(effective_state(&h.state, h.expires_ms, now_ms)))
        .collect())
}

fn member_count(tx: &dyn ReadTx, org: &OrganizationRecord) -> Result<usize, ApiError> {
    super::core::member_count(tx, &org.id)
}

/// `InviteAccountToOrganization`: the management account invites an account (by id or by root
/// email) to join; the invitation is an `OPEN` `INVITE` handshake that expires in 15 days.
pub(super) fn invite_account_to_organization(
    ctx: &mut Ctx<'_>,
    input: InviteAccountToOrganizationRequest,
) -> Result<InviteAccountToOrganizationResponse, ApiError> {
    let org = managed_org(ctx)?;
    let now = ctx.now_ms();
    let tx = ctx.tx.read();
    let target = input.target;
    let (target_account_id, target_email) = match target.r#type {
        HandshakePartyType::Organization => return Err(invalid_input(
            "INVALID_PARTY_TYPE_TARGET",
            "You specified the wrong type of entity (account, organization, or email) as a party.",
        )),
        HandshakePartyType::Account => {
            if target.id.len() != 12 || !target.id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid_input(
                    "INVALID_PARTY_TYPE_TARGET",
                    "You specified the wrong type of entity (account, organization, or email) as a party.",
                ));
            }
            // Choice: an account id must name an existing account of the partition.
            if !accounts::exists(tx, &target.id)? {
                return Err(errors::ACCOUNT_NOT_FOUND_EXCEPTION
                    .error("You specified an account that doesn't exist."));
            }
            (Some(target.id.clone()), None)
        }
        HandshakePartyType::Email => {
            if !looks_like_email(&target.id) {
                return Err(invalid_input(
                    "INVALID_EMAIL_ADDRESS_TARGET",
                    "You specified an invalid email address for the invited account owner.",
                ));
            }
            let account = accounts::by_email(tx, &target.id)?;
            (account.map(|a| a.id), Some(target.id.clone()))
        }
    };
    if all_features_in_progress(tx, &org, now)?.is_some() {
        return Err(handshake_constraint(
            "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES",
            "You can't issue new invitations to join an organization while it's in the process of enabling all features. You can resume inviting accounts after you finalize the process when all accounts have agreed to the change.",
        ));
    }
    if let Some(account_id) = target_account_id.as_deref() {
        if membership_of(tx, account_id)?.is_some_and(|(o, _)| o.id == org.id) {
            return Err(already_in_organization());
        }
    }
    let sent = open_sent(tx, &org, now)?;
    let invites: Vec<&HandshakeRecord> = sent.iter().filter(|h| h.action == INVITE).collect();
    let duplicate = invites.iter().any(|h| {
        (target_account_id.is_some() && h.target_account_id == target_account_id)
            || matches!((&h.target_email, &target_email), (Some(a), Some(b)) if a.to_lowercase() == b.to_lowercase())
    });
    if duplicate {
        return Err(errors::DUPLICATE_HANDSHAKE_EXCEPTION.error(
            "A handshake with the same action and target already exists. If you intend to resend an invitation to an account, ensure that existing handshakes that might be considered duplicates are canceled or declined.",
        ));
    }
    // Open invitations count toward the account quota as if they were accepted.
    // The quota is the partition's setting (`--max-accounts-per-org`), as for `CreateAccount`.
    if member_count(tx, &org)? + invites.len() >= ctx.settings.max_accounts_per_organization {
        return Err(handshake_constraint(
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the limit on the number of accounts in an organization.",
        ));
    }
    let tags = validate_tags(input.tags.as_deref())?;
    let party_type = if target_email.is_some() {
        "EMAIL"
    } else {
        "ACCOUNT"
    };
    let handshake = HandshakeRecord {
        id: new_handshake_id(ctx),
        org_id: org.id.clone(),
        action: INVITE.to_owned(),
        state: "OPEN".to_owned(),
        parties: vec![
            (org.id.clone(), "ORGANIZATION".to_owned()),
            (target.id.clone(), party_type.to_owned()),
        ],
        target_account_id,
        target_email,
        notes: input.notes,
        parent_handshake_id: None,
        requested_ms: now,
        expires_ms: now.saturating_add(HANDSHAKE_LIFETIME_MS),
        tags,
        closed_ms: None,
    };
    let tx = ctx.tx.write()?;
    HANDSHAKES.put(tx, &Key::new().str(&handshake.id), &handshake)?;
    Ok(InviteAccountToOrganizationResponse {
        handshake: Some(handshake_shape(tx.as_read(), &handshake, now)?),
    })
}

// ---------------------------------------------------------------------------------------------
// Answering
// ---------------------------------------------------------------------------------------------

/// A new `APPROVE_ALL_FEATURES` handshake asking `account_id` to approve `parent`.
fn approval_for(ctx: &Ctx<'_>, parent: &HandshakeRecord, account_id: &str) -> HandshakeRecord {
    HandshakeRecord {
        id: new_handshake_id(ctx),
        org_id: parent.org_id.clone(),
        action: APPROVE_ALL_FEATURES.to_owned(),
        state: "OPEN".to_owned(),
        parties: vec![
            (parent.org_id.clone(), "ORGANIZATION".to_owned()),
            (account_id.to_owned(), "ACCOUNT".to_owned()),
        ],
        target_account_id: Some(account_id.to_owned()),
        target_email: None,
        notes: None,
        parent_handshake_id: Some(parent.id.clone()),
        requested_ms: ctx.now_ms(),
        expires_ms: parent.expires_ms,
        tags: Vec::new(),
        closed_ms: None,
    }
}

/// The caller joins `org` as an invited member.
fn join(
    ctx: &mut Ctx<'_>,
    org: &OrganizationRecord,
    invite: &HandshakeRecord,
) -> Result<(), ApiError> {
    let now = ctx.now_ms();
    let account_id = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    if membership_of(tx, &account_id)?.is_some() {
        return Err(already_in_organization());
    }
    if member_count(tx, org)? >= ctx.settings.max_accounts_per_organization {
        return Err(handshake_constraint(
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the limit on the number of accounts in an organization.",
        ));
    }
    // An account that joins while the organization is moving to all features must approve too.
    let approval = all_features_in_progress(tx, org, now)?
        .map(|parent| approval_for(ctx, &parent, &account_id));
    let member = MembershipRecord {
        org_id: org.id.clone(),
        parent_id: org.root_id.clone(),
        joined_method: "INVITED".to_owned(),
        joined_ms: now,
    };
    let tx = ctx.tx.write()?;
    MEMBERS.put(tx, &Key::new().str(&account_id), &member)?;
    let tags: Vec<Tag> = invite
        .tags
        .iter()
        .map(|(key, value)| Tag {
            key: key.clone(),
            value: value.clone(),
        })
        .collect();
    super::tags::put_tags(tx, &account_id, &tags)?;
    // FullAWSAccess / RCPFullAWSAccess when SCPs / RCPs are enabled.
    super::policies::attach_default_policies(tx, org, &account_id, "ACCOUNT")?;
    if let Some(approval) = approval {
        HANDSHAKES.put(tx, &Key::new().str(&approval.id), &approval)?;
    }
    Ok(())
}

/// Closes `h` in `state` and, for an `ENABLE_ALL_FEATURES` handshake that did not succeed, cancels
/// its open approvals and ends the organization's migration.
fn close(
    tx: &mut dyn WriteTx,
    org: &OrganizationRecord,
    h: &mut HandshakeRecord,
    state: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    h.state = state.to_owned();
    h.closed_ms = Some(now_ms);
    HANDSHAKES.put(tx, &Key::new().str(&h.id), h)?;
    if h.action == ENABLE_ALL_FEATURES {
        if state != "ACCEPTED" {
            for mut child in approvals(tx.as_read(), h)? {
                if is_active(effective_state(&child.state, child.expires_ms, now_ms)) {
                    child.state = "CANCELED".to_owned();
                    child.closed_ms = Some(now_ms);
                    HANDSHAKES.put(tx, &Key::new().str(&child.id), &child)?;
                }
            }
        }
        if org.all_features_handshake.as_deref() == Some(h.id.as_str()) {
            let mut org = org.clone();
            org.all_features_handshake = None;
            if state == "ACCEPTED" {
                org.feature_set = "ALL".to_owned();
            }
            ORGS.put(tx, &Key::new().str(&org.id), &org)?;
        }
    }
    Ok(())
}

/// `AcceptHandshake`: the recipient accepts. An invitation makes the caller a member (joined
/// `INVITED`, under the root); an approval records the member's consent; the management account's
/// acceptance of `ENABLE_ALL_FEATURES` (once every invited member approved) enables all features.
pub(super) fn accept_handshake(
    ctx: &mut Ctx<'_>,
    input: AcceptHandshakeRequest,
) -> Result<AcceptHandshakeResponse, ApiError> {
    let Loaded {
        mut handshake,
        org,
        recipient,
        ..
    } = load(ctx, &input.handshake_id, false)?;
    if !recipient {
        return Err(access_denied());
    }
    let now = ctx.now_ms();
    let state = current_state(ctx.tx.read(), &handshake, now)?;
    check_transition(state, "ACCEPTED")?;
    match handshake.action.as_str() {
        INVITE => join(ctx, &org, &handshake)?,
        APPROVE_ALL_FEATURES => {
            let still_member = MEMBERS
                .get(ctx.tx.read(), &Key::new().str(&ctx.caller.account_id))?
                .is_some_and(|m| m.org_id == org.id);
            if !still_member {
                return Err(access_denied());
            }
        }
        ENABLE_ALL_FEATURES => {
            // AWS: the change "can be finalized ... only after all administrators in the invited
            // accounts approve the change by accepting the handshake".
            if state != "OPEN" {
                return Err(errors::INVALID_HANDSHAKE_TRANSITION_EXCEPTION.error(
                    "You can't finalize enabling all features until every invited member account has approved the request.",
                ));
            }
        }
        _ => return Err(access_denied()),
    }
    let tx = ctx.tx.write()?;
    let org = ORGS
        .get(tx.as_read(), &Key::new().str(&org.id))?
        .ok_or_else(handshake_not_found)?;
    close(tx, &org, &mut handshake, "ACCEPTED", now)?;
    Ok(AcceptHandshakeResponse {
        handshake: Some(handshake_shape(tx.as_read(), &handshake, now)?),
    })
}

/// `DeclineHandshake`: only the recipient can decline.
pub(super) fn decline_handshake(
    ctx: &mut Ctx<'_>,
    input: DeclineHandshakeRequest,
) -> Result<DeclineHandshakeResponse, ApiError> {
    let handshake = close_as(ctx, &input.handshake_id, |l| l.recipient, "DECLINED")?;
    Ok(DeclineHandshakeResponse {
        handshake: Some(handshake),
    })
}

/// `CancelHandshake`: only the sender (the organization's management account) can cancel.
pub(super) fn cancel_handshake(
    ctx: &mut Ctx<'_>,
    input: CancelHandshakeRequest,
) -> Result<CancelHandshakeResponse, ApiError> {
    let handshake = close_as(ctx, &input.handshake_id, |l| l.sender, "CANCELED")?;
    Ok(CancelHandshakeResponse {
        handshake: Some(handshake),
    })
}

/// Closes a handshake in `state` on behalf of the party `may_close` accepts (`AccessDenied` for
/// anyone else), after checking the transition is allowed; returns the handshake's new view.
fn close_as(
    ctx: &mut Ctx<'_>,
    handshake_id: &str,
    may_close: fn(&Loaded) -> bool,
    state: &str,
) -> Result<Handshake, ApiError> {
    let loaded = load(ctx, handshake_id, false)?;
    if !may_close(&loaded) {
        return Err(access_denied());
    }
    let Loaded {
        mut handshake, org, ..
    } = loaded;
    let now = ctx.now_ms();
    check_transition(current_state(ctx.tx.read(), &handshake, now)?, state)?;
    let tx = ctx.tx.write()?;
    close(tx, &org, &mut handshake, state, now)?;
    handshake_shape(tx.as_read(), &handshake, now)
}

/// `DescribeHandshake`: either party (and delegated administrators of the sending organization).
pub(super) fn describe_handshake(
    ctx: &mut Ctx<'_>,
    input: DescribeHandshakeRequest,
) -> Result<DescribeHandshakeResponse, ApiError> {
    let loaded = load(ctx, &input.handshake_id, true)?;
    Ok(DescribeHandshakeResponse {
        handshake: Some(handshake_shape(
            ctx.tx.read(),
            &loaded.handshake,
            ctx.now_ms(),
        )?),
    })
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/// `InvalidInputException` `MAX_FILTER_LIMIT_EXCEEDED` when both filter fields are given.
fn check_filter(filter: Option<&HandshakeFilter>) -> Result<(), ApiError> {
    if filter.is_some_and(|f| f.action_type.is_some() && f.parent_handshake_id.is_some()) {
        return Err(invalid_input(
            "MAX_FILTER_LIMIT_EXCEEDED",
            "You can specify only one filter parameter for the operation.",
        ));
    }
    Ok(())
}

fn matches_filter(h: &HandshakeRecord, filter: Option<&HandshakeFilter>) -> bool {
    let Some(filter) = filter else {
        return true;
    };
    if let Some(action) = filter.action_type {
        if h.action != action.as_str() {
            return false;
        }
    }
    if let Some(parent) = filter.parent_handshake_id.as_deref() {
        if h.parent_handshake_id.as_deref() != Some(parent) {
            return false;
        }
    }
    true
}

/// The position of a handshake in a listing (requested time, then id).
fn cursor(h: &HandshakeRecord) -> String {
    format!("{:020}/{}", h.requested_ms.max(0), h.id)
}

const TOKEN_PREFIX: &str = "hs:";

/// One page of `items` (oldest first) after `token`, with the next token.
fn handshake_page(
    mut items: Vec<HandshakeRecord>,
    token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<HandshakeRecord>, Option<String>), ApiError> {
    let after = match token {
        Some(t) => {
            let raw = decode_token(t).map_err(|_| invalid_token())?;
            let text = String::from_utf8(raw).map_err(|_| invalid_token())?;
            Some(
                text.strip_prefix(TOKEN_PREFIX)
                    .ok_or_else(invalid_token)?
                    .to_owned(),
            )
        }
        None => None,
    };
    items.sort_by_key(cursor);
    let size = page_size(max_results);
    let mut rest = items
        .into_iter()
        .filter(|h| after.as_deref().is_none_or(|a| cursor(h).as_str() > a));
    let page: Vec<HandshakeRecord> = rest.by_ref().take(size).collect();
    let next = match (rest.next(), page.last()) {
        (Some(_), Some(last)) => Some(encode_token(
            format!("{TOKEN_PREFIX}{}", cursor(last)).as_bytes(),
        )),
        _ => None,
    };
    Ok((page, next))
}

/// `ListHandshakesForAccount`: the handshakes the caller's account received — addressed to its id
/// or to its root email. Any account may call it (standalone accounts read their invitations).
pub(super) fn list_handshakes_for_account(
    ctx: &mut Ctx<'_>,
    input: ListHandshakesForAccountRequest,
) -> Result<ListHandshakesForAccountResponse, ApiError> {
    check_filter(input.filter.as_ref())?;
    let now = ctx.now_ms();
    let email = caller_email(ctx)?;
    let tx = ctx.tx.read();
    let mut found: Vec<HandshakeRecord> = HANDSHAKES
        .scan_index(
            tx,
            "account",
            &Key::new().str(&ctx.caller.account_id),
            None,
            usize::MAX,
        )?
        .items
        .into_iter()
        .map(|(_, h)| h)
        .collect();
    if let Some(email) = email.as_deref() {
        for (_, h) in HANDSHAKES
            .scan_index(tx, "email", &Key::new().str(email), None, usize::MAX)?
            .items
        {
            if !found.iter().any(|f| f.id == h.id) {
                found.push(h);
            }
        }
    }
    found.retain(|h| is_retained(h, now) && matches_filter(h, input.filter.as_ref()));
    let (page, next_token) = handshake_page(found, input.next_token.as_deref(), input.max_results)?;
    let handshakes = page
        .iter()
        .map(|h| handshake_shape(tx, h, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListHandshakesForAccountResponse {
        handshakes: Some(handshakes),
        next_token,
    })
}

/// `ListHandshakesForOrganization`: the handshakes the organization sent; the management account
/// and delegated administrators.
pub(super) fn list_handshakes_for_organization(
    ctx: &mut Ctx<'_>,
    input: ListHandshakesForOrganizationRequest,
) -> Result<ListHandshakesForOrganizationResponse, ApiError> {
    let org = readable_org(ctx)?;
    check_filter(input.filter.as_ref())?;
    let now = ctx.now_ms();
    let tx = ctx.tx.read();
    let found: Vec<HandshakeRecord> = HANDSHAKES
        .scan_index(tx, "org", &Key::new().str(&org.id), None, usize::MAX)?
        .items
        .into_iter()
        .map(|(_, h)| h)
        .filter(|h| is_retained(h, now) && matches_filter(h, input.filter.as_ref()))
        .collect();
    let (page, next_token) = handshake_page(found, input.next_token.as_deref(), input.max_results)?;
    let handshakes = page
        .iter()
        .map(|h| handshake_shape(tx, h, now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListHandshakesForOrganizationResponse {
        handshakes: Some(handshakes),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// EnableAllFeatures
// ---------------------------------------------------------------------------------------------

/// `EnableAllFeatures`: starts moving a consolidated-billing organization to all features. Every
/// member account that joined by invitation gets an `APPROVE_ALL_FEATURES` handshake; accounts the
/// organization created approve implicitly.
pub(super) fn enable_all_features(
    ctx: &mut Ctx<'_>,
    input: EnableAllFeaturesRequest,
) -> Result<EnableAllFeaturesResponse, ApiError> {
    let _ = input;
    let org = managed_org(ctx)?;
    let now = ctx.now_ms();
    let tx = ctx.tx.read();
    if org.feature_set == "ALL" {
        return Err(handshake_constraint(
            "ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
            "The handshake request is invalid because the organization has already enabled all features.",
        ));
    }
    if all_features_in_progress(tx, &org, now)?.is_some() {
        return Err(handshake_constraint(
            "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
            "The handshake request is invalid because the organization has already started the process to enable all features.",
        ));
    }
    let invited: Vec<String> = MEMBERS
        .scan_index(tx, "org", &Key::new().str(&org.id), None, usize::MAX)?
        .items
        .into_iter()
        .filter(|(_, m)| m.joined_method == "INVITED")
        .filter_map(|(k, _)| k.decoder().str().ok())
        .filter(|id| id != &org.management_account_id)
        .collect();
    let parent = HandshakeRecord {
        id: new_handshake_id(ctx),
        org_id: org.id.clone(),
        action: ENABLE_ALL_FEATURES.to_owned(),
        state: "REQUESTED".to_owned(),
        parties: vec![(org.id.clone(), "ORGANIZATION".to_owned())],
        // The management account finalizes the change, so it is the one that answers.
        target_account_id: Some(org.management_account_id.clone()),
        target_email: None,
        notes: None,
        parent_handshake_id: None,
        requested_ms: now,
        expires_ms: now.saturating_add(HANDSHAKE_LIFETIME_MS),
        tags: Vec::new(),
        closed_ms: None,
    };
    let children: Vec<HandshakeRecord> = invited
        .iter()
        .map(|account| approval_for(ctx, &parent, account))
        .collect();
    let mut org = org;
    org.all_features_handshake = Some(parent.id.clone());
    let tx = ctx.tx.write()?;
    HANDSHAKES.put(tx, &Key::new().str(&parent.id), &parent)?;
    for child in &children {
        HANDSHAKES.put(tx, &Key::new().str(&child.id), child)?;
    }
    ORGS.put(tx, &Key::new().str(&org.id), &org)?;
    Ok(EnableAllFeaturesResponse {
        handshake: Some(handshake_shape(tx.as_read(), &parent, now)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: &str, expires_ms: i64, closed_ms: Option<i64>) -> HandshakeRecord {
        HandshakeRecord {
            id: "h-0123456789".to_owned(),
            org_id: "o-0123456789".to_owned(),
            action: INVITE.to_owned(),
            state: state.to_owned(),
            parties: Vec::new(),
            target_account_id: None,
            target_email: None,
            notes: None,
            parent_handshake_id: None,
            requested_ms: 0,
            expires_ms,
            tags: Vec::new(),
            closed_ms,
        }
    }

    #[test]
    fn open_handshakes_expire_at_their_expiry() {
        let expires = HANDSHAKE_LIFETIME_MS;
        assert_eq!(effective_state("OPEN", expires, 0), "OPEN");
        assert_eq!(effective_state("OPEN", expires, expires - 1), "OPEN");
        assert_eq!(effective_state("OPEN", expires, expires), "EXPIRED");
        assert_eq!(
            effective_state("REQUESTED", expires, expires + 1),
            "EXPIRED"
        );
    }

    #[test]
    fn final_states_never_expire() {
        for state in ["ACCEPTED", "DECLINED", "CANCELED"] {
            assert_eq!(effective_state(state, 10, 1_000_000), state);
        }
    }

    #[test]
    fn closed_handshakes_vanish_after_thirty_days() {
        let open = record("OPEN", HANDSHAKE_LIFETIME_MS, None);
        assert!(is_retained(&open, 0));
        // Expired handshakes count as closed at their expiry.
        assert!(is_retained(
            &open,
            HANDSHAKE_LIFETIME_MS + HANDSHAKE_RETENTION_MS - 1
        ));
        assert!(!is_retained(
            &open,
            HANDSHAKE_LIFETIME_MS + HANDSHAKE_RETENTION_MS
        ));
        let accepted = record("ACCEPTED", HANDSHAKE_LIFETIME_MS, Some(5));
        assert!(is_retained(&accepted, 5 + HANDSHAKE_RETENTION_MS - 1));
        assert!(!is_retained(&accepted, 5 + HANDSHAKE_RETENTION_MS));
    }

    #[test]
    fn transitions() {
        assert!(check_transition("OPEN", "ACCEPTED").is_ok());
        assert!(check_transition("REQUESTED", "CANCELED").is_ok());
        let again = check_transition("ACCEPTED", "ACCEPTED")
            .err()
            .map(|e| e.code);
        assert_eq!(again.as_deref(), Some("HandshakeAlreadyInStateException"));
        let expired = check_transition("EXPIRED", "ACCEPTED")
            .err()
            .map(|e| e.code);
        assert_eq!(
            expired.as_deref(),
            Some("InvalidHandshakeTransitionException")
        );
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("a@example.com"));
        assert!(!looks_like_email("example.com"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@example.com"));
    }

    #[test]
    fn tags_are_checked() {
        let tag = |k: &str| Tag {
            key: k.to_owned(),
            value: String::new(),
        };
        assert!(validate_tags(None).is_ok_and(|t| t.is_empty()));
        assert!(validate_tags(Some(&[tag("a"), tag("a")])).is_err());
        assert!(validate_tags(Some(&[tag("aws:x")])).is_err());
        let many: Vec<Tag> = (0..51).map(|i| tag(&i.to_string())).collect();
        assert!(validate_tags(Some(&many)).is_err());
    }
}
