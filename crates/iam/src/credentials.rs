//! IAM: credentials: access keys, login profiles (console passwords) and virtual MFA devices with
//! real TOTP (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits).

use localorg_model::generated::iam::{
    errors, AccessKey, AccessKeyLastUsed, AccessKeyMetadata, AssignmentStatusType,
    ChangePasswordRequest, CreateAccessKeyRequest, CreateAccessKeyResponse,
    CreateLoginProfileRequest, CreateLoginProfileResponse, CreateVirtualMFADeviceRequest,
    CreateVirtualMFADeviceResponse, DeactivateMFADeviceRequest, DeleteAccessKeyRequest,
    DeleteLoginProfileRequest, DeleteVirtualMFADeviceRequest, EnableMFADeviceRequest,
    GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse, GetLoginProfileRequest,
    GetLoginProfileResponse, GetMFADeviceRequest, GetMFADeviceResponse, ListAccessKeysRequest,
    ListAccessKeysResponse, ListMFADeviceTagsRequest, ListMFADeviceTagsResponse,
    ListMFADevicesRequest, ListMFADevicesResponse, ListVirtualMFADevicesRequest,
    ListVirtualMFADevicesResponse, LoginProfile, MFADevice, PasswordPolicy, ResyncMFADeviceRequest,
    StatusType, TagMFADeviceRequest, UntagMFADeviceRequest, UpdateAccessKeyRequest,
    UpdateLoginProfileRequest, VirtualMFADevice,
};
use localorg_model::{ApiError, Blob};
use localorg_store::{Key, ReadTx, WriteTx};

use super::core::page_of;
use super::core::{
    iam_account, name_key, path_or_root, ts, user, user_shape, LOGIN_PROFILES, MFA_DEVICES,
};
use super::records::{LoginProfileRecord, MfaDeviceRecord};
use super::users::{
    calling_user_name, merge_tags, new_tags, principal_keys, remove_tags, tags_page,
};
use localorg_kernel::context::{PrincipalKind, Secret, BASE32_UPPER};
use localorg_kernel::credentials::{self, AccessKeyRecord};
use localorg_kernel::totp::{self, base32_decode, code_matches, current_step};
use localorg_kernel::Ctx;

/// Long-term access keys per user (and for the root user).
const MAX_ACCESS_KEYS: usize = 2;
/// MFA devices per user.
const MAX_MFA_DEVICES_PER_USER: usize = 8;
/// Base32 characters of a virtual MFA seed: 64 (40 random bytes), the length AWS hands out.
const SEED_CHARS: usize = 64;

// ---------------------------------------------------------------------------------------------
// Access keys
// ---------------------------------------------------------------------------------------------

/// Whose keys an access-key operation is about: a named user, the calling user, or (root calling
/// without `UserName`) the root user.
enum KeyOwner {
    /// The root user of the caller's account.
    Root,
    /// An IAM user (name as stored).
    User(String),
}

fn key_owner(ctx: &Ctx<'_>, user_name: Option<&str>) -> Result<KeyOwner, ApiError> {
    if user_name.is_none() && ctx.caller.kind == PrincipalKind::Root {
        return Ok(KeyOwner::Root);
    }
    let name = calling_user_name(ctx, user_name)?;
    let record = user(ctx.tx.read(), &ctx.caller.account_id, &name)?;
    Ok(KeyOwner::User(record.name))
}

fn owner_keys(ctx: &Ctx<'_>, owner: &KeyOwner) -> Result<Vec<AccessKeyRecord>, ApiError> {
    let name = match owner {
        KeyOwner::Root => None,
        KeyOwner::User(name) => Some(name.as_str()),
    };
    principal_keys(ctx.tx.read(), &ctx.caller.account_id, name)
}

fn no_such_key(id: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("The Access Key with id {id} cannot be found."))
}

/// The key `id` of `owner`, or AWS's NoSuchEntity.
fn owned_key(ctx: &Ctx<'_>, owner: &KeyOwner, id: &str) -> Result<AccessKeyRecord, ApiError> {
    owner_keys(ctx, owner)?
        .into_iter()
        .find(|k| k.access_key_id == id)
        .ok_or_else(|| no_such_key(id))
}

/// `CreateAccessKey`: an `AKIA` key that signs requests at once.
pub(super) fn create_access_key(
    ctx: &mut Ctx<'_>,
    input: CreateAccessKeyRequest,
) -> Result<CreateAccessKeyResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let owner = key_owner(ctx, input.user_name.as_deref())?;
    if owner_keys(ctx, &owner)?.len() >= MAX_ACCESS_KEYS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for AccessKeysPerUser: {MAX_ACCESS_KEYS}"
        )));
    }
    let (principal, principal_id, principal_arn, user_name) = match &owner {
        KeyOwner::Root => (
            PrincipalKind::Root,
            account.clone(),
            String::new(),
            String::new(),
        ),
        KeyOwner::User(name) => {
            let u = user(ctx.tx.read(), &account, name)?;
            let shape = user_shape(&u);
            (
                PrincipalKind::User {
                    name: u.name.clone(),
                },
                u.id,
                shape.arn,
                u.name,
            )
        }
    };
    let access_key_id = credentials::new_access_key_id(ctx.tx.read(), ctx.ids, "AKIA")?;
    let secret = ctx.ids.secret_access_key();
    let record = AccessKeyRecord {
        access_key_id: access_key_id.clone(),
        account_id: account,
        principal,
        secret: secret.clone(),
        status: "Active".to_owned(),
        created_ms: ctx.now_ms(),
        principal_id,
        principal_arn,
        session: None,
    };
    credentials::put(ctx.tx.write()?, &record)?;
    Ok(CreateAccessKeyResponse {
        access_key: AccessKey {
            access_key_id,
            create_date: Some(ts(record.created_ms)),
            secret_access_key: secret.expose().to_owned(),
            status: StatusType::Active,
            // AWS leaves UserName out for root keys; the model makes it required.
            user_name,
        },
    })
}

/// `DeleteAccessKey`.
pub(super) fn delete_access_key(
    ctx: &mut Ctx<'_>,
    input: DeleteAccessKeyRequest,
) -> Result<(), ApiError> {
    let owner = key_owner(ctx, input.user_name.as_deref())?;
    let key = owned_key(ctx, &owner, &input.access_key_id)?;
    credentials::delete(ctx.tx.write()?, &key.access_key_id)?;
    Ok(())
}

/// `UpdateAccessKey`: `Active` or `Inactive` (an inactive key no longer authenticates).
pub(super) fn update_access_key(
    ctx: &mut Ctx<'_>,
    input: UpdateAccessKeyRequest,
) -> Result<(), ApiError> {
    let owner = key_owner(ctx, input.user_name.as_deref())?;
    let mut key = owned_key(ctx, &owner, &input.access_key_id)?;
    key.status = match input.status {
        StatusType::Active => "Active",
        StatusType::Inactive => "Inactive",
        _ => {
            return Err(errors::INVALID_INPUT_EXCEPTION.error(format!(
                "Invalid status {}: must be Active or Inactive.",
                input.status.as_str()
            )))
        }
    }
    .to_owned();
    credentials::put(ctx.tx.write()?, &key)?;
    Ok(())
}

/// `ListAccessKeys`.
pub(super) fn list_access_keys(
    ctx: &mut Ctx<'_>,
    input: ListAccessKeysRequest,
) -> Result<ListAccessKeysResponse, ApiError> {
    let owner = key_owner(ctx, input.user_name.as_deref())?;
    let user_name = match &owner {
        KeyOwner::Root => None,
        KeyOwner::User(name) => Some(name.clone()),
    };
    let items = owner_keys(ctx, &owner)?
        .into_iter()
        .map(|k| {
            (
                k.access_key_id.clone(),
                AccessKeyMetadata {
                    access_key_id: Some(k.access_key_id),
                    create_date: Some(ts(k.created_ms)),
                    status: Some(if k.status == "Active" {
                        StatusType::Active
                    } else {
                        StatusType::Inactive
                    }),
                    user_name: user_name.clone(),
                },
            )
        })
        .collect();
    let (access_key_metadata, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListAccessKeysResponse {
        access_key_metadata,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `GetAccessKeyLastUsed`. localorg does not record key use yet: every key answers as never
/// used (no `LastUsedDate`, `ServiceName` and `Region` `N/A`), as AWS does for unused keys.
pub(super) fn get_access_key_last_used(
    ctx: &mut Ctx<'_>,
    input: GetAccessKeyLastUsedRequest,
) -> Result<GetAccessKeyLastUsedResponse, ApiError> {
    let key = credentials::get(ctx.tx.read(), &input.access_key_id)?
        .filter(|k| k.account_id == ctx.caller.account_id && k.session.is_none())
        .ok_or_else(|| no_such_key(&input.access_key_id))?;
    let user_name = match key.principal {
        PrincipalKind::User { name } => Some(name),
        _ => None,
    };
    // Never used: AWS answers "N/A" for the service and region and no date.
    let used = ctx.key_usage.last(&input.access_key_id);
    Ok(GetAccessKeyLastUsedResponse {
        user_name,
        access_key_last_used: Some(AccessKeyLastUsed {
            last_used_date: used.as_ref().map(|u| ts(u.at_ms)),
            region: used
                .as_ref()
                .map_or_else(|| "N/A".to_owned(), |u| u.region.clone()),
            service_name: used.map_or_else(|| "N/A".to_owned(), |u| u.service),
        }),
    })
}

// ---------------------------------------------------------------------------------------------
// Login profiles
// ---------------------------------------------------------------------------------------------

fn no_such_login_profile(user_name: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
        "Login Profile for User {user_name} cannot be found."
    ))
}

fn login_profile_shape(user_name: &str, p: &LoginProfileRecord) -> LoginProfile {
    LoginProfile {
        user_name: user_name.to_owned(),
        create_date: ts(p.created_ms),
        password_reset_required: Some(p.password_reset_required),
    }
}

/// Checks a new password against the account's password policy, or AWS's default policy when the
/// account has none (at least 8 characters and three of: upper case, lower case, digits,
/// symbols).
fn check_password(tx: &dyn ReadTx, account: &str, password: &str) -> Result<(), ApiError> {
    let violation = |m: &str| errors::PASSWORD_POLICY_VIOLATION_EXCEPTION.error(m);
    let upper = password.chars().any(|c| c.is_ascii_uppercase());
    let lower = password.chars().any(|c| c.is_ascii_lowercase());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let symbol = password
        .chars()
        .any(|c| !c.is_ascii_alphanumeric() && !c.is_whitespace());
    let length = password.chars().count();
    let policy = iam_account(tx, account)?
        .password_policy
        .and_then(|v| serde_json::from_value::<PasswordPolicy>(v).ok());
    let Some(policy) = policy else {
        if length < 8 {
            return Err(violation("Password should have a minimum length of 8"));
        }
        if [upper, lower, digit, symbol].iter().filter(|b| **b).count() < 3 {
            return Err(violation(
                "Password should have at least three of: upper case letters, lower case letters, numbers and symbols",
            ));
        }
        return Ok(());
    };
    let min = policy.minimum_password_length.unwrap_or(6);
    if i64::try_from(length).unwrap_or(i64::MAX) < i64::from(min) {
        return Err(violation(&format!(
            "Password should have a minimum length of {min}"
        )));
    }
    if policy.require_uppercase_characters == Some(true) && !upper {
        return Err(violation(
            "Password should have at least one uppercase letter",
        ));
    }
    if policy.require_lowercase_characters == Some(true) && !lower {
        return Err(violation(
            "Password should have at least one lowercase letter",
        ));
    }
    if policy.require_numbers == Some(true) && !digit {
        return Err(violation("Password should have at least one number"));
    }
    if policy.require_symbols == Some(true) && !symbol {
        return Err(violation("Password should have at least one symbol"));
    }
    Ok(())
}

/// `CreateLoginProfile`.
pub(super) fn create_login_profile(
    ctx: &mut Ctx<'_>,
    input: CreateLoginProfileRequest,
) -> Result<CreateLoginProfileResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let name = calling_user_name(ctx, input.user_name.as_deref())?;
    let u = user(ctx.tx.read(), &account, &name)?;
    let pk = name_key(&account, &u.name);
    if LOGIN_PROFILES.contains(ctx.tx.read(), &pk)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION
            .error(format!("Login Profile for user {} already exists.", u.name)));
    }
    // The model lets Password be absent (for root-credential sessions); an IAM user needs one.
    let password = input.password.ok_or_else(|| {
        ApiError::new(
            "ValidationError",
            400,
            "Password is required to create a login profile for an IAM user.",
        )
    })?;
    check_password(ctx.tx.read(), &account, &password)?;
    let record = LoginProfileRecord {
        password: Secret::new(password),
        password_reset_required: input.password_reset_required.unwrap_or(false),
        created_ms: ctx.now_ms(),
    };
    LOGIN_PROFILES.put(ctx.tx.write()?, &pk, &record)?;
    Ok(CreateLoginProfileResponse {
        login_profile: login_profile_shape(&u.name, &record),
    })
}

/// `GetLoginProfile`.
pub(super) fn get_login_profile(
    ctx: &mut Ctx<'_>,
    input: GetLoginProfileRequest,
) -> Result<GetLoginProfileResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let name = calling_user_name(ctx, input.user_name.as_deref())?;
    let u = user(ctx.tx.read(), account, &name)?;
    let p = LOGIN_PROFILES
        .get(ctx.tx.read(), &name_key(account, &u.name))?
        .ok_or_else(|| no_such_login_profile(&u.name))?;
    Ok(GetLoginProfileResponse {
        login_profile: login_profile_shape(&u.name, &p),
    })
}

/// `UpdateLoginProfile`.
pub(super) fn update_login_profile(
    ctx: &mut Ctx<'_>,
    input: UpdateLoginProfileRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let u = user(ctx.tx.read(), &account, &input.user_name)?;
    let pk = name_key(&account, &u.name);
    let mut p = LOGIN_PROFILES
        .get(ctx.tx.read(), &pk)?
        .ok_or_else(|| no_such_login_profile(&u.name))?;
    if let Some(password) = input.password {
        check_password(ctx.tx.read(), &account, &password)?;
        p.password = Secret::new(password);
    }
    if let Some(reset) = input.password_reset_required {
        p.password_reset_required = reset;
    }
    LOGIN_PROFILES.put(ctx.tx.write()?, &pk, &p)?;
    Ok(())
}

/// `DeleteLoginProfile`.
pub(super) fn delete_login_profile(
    ctx: &mut Ctx<'_>,
    input: DeleteLoginProfileRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let name = calling_user_name(ctx, input.user_name.as_deref())?;
    let u = user(ctx.tx.read(), &account, &name)?;
    let pk = name_key(&account, &u.name);
    if LOGIN_PROFILES.delete(ctx.tx.write()?, &pk)?.is_none() {
        return Err(no_such_login_profile(&u.name));
    }
    Ok(())
}

/// `ChangePassword`: the calling IAM user changes its own password.
pub(super) fn change_password(
    ctx: &mut Ctx<'_>,
    input: ChangePasswordRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let PrincipalKind::User { name } = &ctx.caller.kind else {
        return Err(errors::INVALID_USER_TYPE_EXCEPTION
            .error("Only IAM users can change their password with ChangePassword."));
    };
    let u = user(ctx.tx.read(), &account, name)?;
    let pk = name_key(&account, &u.name);
    let mut p = LOGIN_PROFILES
        .get(ctx.tx.read(), &pk)?
        .ok_or_else(|| no_such_login_profile(&u.name))?;
    let matches: bool = subtle_eq(p.password.expose(), &input.old_password);
    if !matches {
        // AWS lists no dedicated code for a wrong old password; localorg answers AccessDenied.
        return Err(ApiError::new(
            "AccessDenied",
            403,
            "The old password is incorrect.",
        ));
    }
    check_password(ctx.tx.read(), &account, &input.new_password)?;
    p.password = Secret::new(input.new_password);
    p.password_reset_required = false;
    LOGIN_PROFILES.put(ctx.tx.write()?, &pk, &p)?;
    Ok(())
}

/// Compares two secrets without an early exit on the first difference.
fn subtle_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// ---------------------------------------------------------------------------------------------
// Virtual MFA devices
// ---------------------------------------------------------------------------------------------

fn device_key(account: &str, serial: &str) -> Key {
    Key::new().str(account).str(serial)
}

fn no_such_device(serial: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
        "MFA Device with serial number {serial} does not exist."
    ))
}

fn invalid_code() -> ApiError {
    errors::INVALID_AUTHENTICATION_CODE_EXCEPTION
        .error("Authentication code for device is not valid.")
}

fn device(tx: &dyn ReadTx, account: &str, serial: &str) -> Result<MfaDeviceRecord, ApiError> {
    MFA_DEVICES
        .get(tx, &device_key(account, serial))?
        .ok_or_else(|| no_such_device(serial))
}

/// `CreateVirtualMFADevice`: a fresh random seed, returned as Base32 text and as a QR code PNG
/// of its `otpauth://` URI.
pub(super) fn create_virtual_mfa_device(
    ctx: &mut Ctx<'_>,
    input: CreateVirtualMFADeviceRequest,
) -> Result<CreateVirtualMFADeviceResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let path = path_or_root(input.path.as_deref());
    let name = input.virtual_mfa_device_name;
    let serial = format!("arn:aws:iam::{account}:mfa{path}{name}");
    let pk = device_key(&account, &serial);
    if MFA_DEVICES.contains(ctx.tx.read(), &pk)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION
            .error("MFADevice entity at the same path and name already exists."));
    }
    let tags = new_tags(input.tags.as_deref().unwrap_or_default())?;
    // Each Base32 character is 5 random bits: 64 characters are 40 random bytes.
    let seed = ctx.ids.string(BASE32_UPPER, SEED_CHARS);
    let label = format!("Amazon Web Services:{name}@{account}");
    let uri = format!(
        "otpauth://totp/{}?secret={seed}&issuer=Amazon%20Web%20Services",
        percent_encoding::utf8_percent_encode(&label, percent_encoding::NON_ALPHANUMERIC)
    );
    let png = qr_png(&uri)?;
    let record = MfaDeviceRecord {
        serial_number: serial.clone(),
        seed: Secret::new(seed.clone()),
        user_name: None,
        enabled_ms: None,
        last_step: None,
        tags,
        created_ms: ctx.now_ms(),
    };
    MFA_DEVICES.put(ctx.tx.write()?, &pk, &record)?;
    Ok(CreateVirtualMFADeviceResponse {
        virtual_mfa_device: VirtualMFADevice {
            serial_number: serial,
            // A blob on the wire (base64 of the Base32 text), as botocore expects.
            base32_string_seed: Some(Blob(seed.into_bytes())),
            qr_code_png: Some(Blob(png)),
            enable_date: None,
            tags: super::core::tags_shape(&record.tags),
            user: None,
        },
    })
}

/// `EnableMFADevice`: two consecutive codes of the device at the server's clock.
pub(super) fn enable_mfa_device(
    ctx: &mut Ctx<'_>,
    input: EnableMFADeviceRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let u = user(ctx.tx.read(), &account, &input.user_name)?;
    let mut d = device(ctx.tx.read(), &account, &input.serial_number)?;
    if d.user_name.is_some() {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION.error("MFA Device is already in use."));
    }
    let count = MFA_DEVICES
        .scan_all(ctx.tx.read(), &Key::new().str(&account))?
        .iter()
        .filter(|(_, x)| {
            x.user_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(&u.name))
        })
        .count();
    if count >= MAX_MFA_DEVICES_PER_USER {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for MFADevicesPerUser: {MAX_MFA_DEVICES_PER_USER}"
        )));
    }
    let step = consecutive_codes(
        &d,
        &input.authentication_code1,
        &input.authentication_code2,
        current_step(ctx.now),
        2,
    )
    .ok_or_else(invalid_code)?;
    d.user_name = Some(u.name);
    d.enabled_ms = Some(ctx.now_ms());
    d.last_step = Some(step);
    MFA_DEVICES.put(ctx.tx.write()?, &device_key(&account, &d.serial_number), &d)?;
    Ok(())
}

/// The device `serial` as enabled for the user (named, or the caller); NoSuchEntity otherwise.
fn assigned_device(
    ctx: &Ctx<'_>,
    user_name: Option<&str>,
    serial: &str,
) -> Result<MfaDeviceRecord, ApiError> {
    let account = &ctx.caller.account_id;
    let name = calling_user_name(ctx, user_name)?;
    let u = user(ctx.tx.read(), account, &name)?;
    let d = device(ctx.tx.read(), account, serial)?;
    if !d
        .user_name
        .as_deref()
        .is_some_and(|n| n.eq_ignore_ascii_case(&u.name))
    {
        return Err(no_such_device(serial));
    }
    Ok(d)
}

/// `DeactivateMFADevice`.
pub(super) fn deactivate_mfa_device(
    ctx: &mut Ctx<'_>,
    input: DeactivateMFADeviceRequest,
) -> Result<(), ApiError> {
    let mut d = assigned_device(ctx, input.user_name.as_deref(), &input.serial_number)?;
    d.user_name = None;
    d.enabled_ms = None;
    // last_step stays: a code once accepted is never accepted again, even after re-enabling.
    let pk = device_key(&ctx.caller.account_id, &d.serial_number);
    MFA_DEVICES.put(ctx.tx.write()?, &pk, &d)?;
    Ok(())
}

/// `DeleteVirtualMFADevice`: refused while the device is enabled for a user.
pub(super) fn delete_virtual_mfa_device(
    ctx: &mut Ctx<'_>,
    input: DeleteVirtualMFADeviceRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let d = device(ctx.tx.read(), &account, &input.serial_number)?;
    if d.user_name.is_some() {
        return Err(errors::DELETE_CONFLICT_EXCEPTION
            .error("MFA Device is still in use. Deactivate it first."));
    }
    MFA_DEVICES.delete(ctx.tx.write()?, &device_key(&account, &input.serial_number))?;
    Ok(())
}

/// `ListMFADevices`: the devices enabled for a user (the caller when `UserName` is absent; the
/// root user has none localorg knows of).
pub(super) fn list_mfa_devices(
    ctx: &mut Ctx<'_>,
    input: ListMFADevicesRequest,
) -> Result<ListMFADevicesResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let name = if input.user_name.is_none() && ctx.caller.kind == PrincipalKind::Root {
        None
    } else {
        let name = calling_user_name(ctx, input.user_name.as_deref())?;
        Some(user(ctx.tx.read(), account, &name)?.name)
    };
    let items = match name {
        None => Vec::new(),
        Some(name) => MFA_DEVICES
            .scan_all(ctx.tx.read(), &Key::new().str(account))?
            .into_iter()
            .filter_map(|(_, d)| {
                let owner = d.user_name.clone()?;
                owner.eq_ignore_ascii_case(&name).then(|| {
                    (
                        d.serial_number.clone(),
                        MFADevice {
                            serial_number: d.serial_number,
                            user_name: owner,
                            enable_date: ts(d.enabled_ms.unwrap_or(d.created_ms)),
                        },
                    )
                })
            })
            .collect(),
    };
    let (mfa_devices, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListMFADevicesResponse {
        mfa_devices,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `ListVirtualMFADevices` (`AssignmentStatus` `Any` by default).
pub(super) fn list_virtual_mfa_devices(
    ctx: &mut Ctx<'_>,
    input: ListVirtualMFADevicesRequest,
) -> Result<ListVirtualMFADevicesResponse, ApiError> {
    let account = &ctx.caller.account_id;
    let tx = ctx.tx.read();
    let status = input.assignment_status.unwrap_or(AssignmentStatusType::Any);
    let mut items = Vec::new();
    for (_, d) in MFA_DEVICES.scan_all(tx, &Key::new().str(account))? {
        let assigned = d.user_name.is_some();
        let wanted = match status {
            AssignmentStatusType::Assigned => assigned,
            AssignmentStatusType::Unassigned => !assigned,
            _ => true,
        };
        if !wanted {
            continue;
        }
        let user = match &d.user_name {
            Some(name) => listed_user_named(tx, account, name)?,
            None => None,
        };
        items.push((
            d.serial_number.clone(),
            VirtualMFADevice {
                serial_number: d.serial_number,
                enable_date: d.enabled_ms.map(ts),
                user,
                base32_string_seed: None,
                qr_code_png: None,
                tags: None,
            },
        ));
    }
    let (virtual_mfa_devices, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListVirtualMFADevicesResponse {
        virtual_mfa_devices,
        is_truncated: Some(truncated),
        marker,
    })
}

/// The `User` view of a device's user, as listings show it (no tags, no boundary).
fn listed_user_named(
    tx: &dyn ReadTx,
    account: &str,
    name: &str,
) -> Result<Option<localorg_model::generated::iam::User>, ApiError> {
    Ok(super::core::USERS
        .get(tx, &name_key(account, name))?
        .map(|u| {
            let mut shape = user_shape(&u);
            shape.tags = None;
            shape.permissions_boundary = None;
            shape
        }))
}

/// `ResyncMFADevice`: two consecutive codes within a wider window (the device's clock drifted).
pub(super) fn resync_mfa_device(
    ctx: &mut Ctx<'_>,
    input: ResyncMFADeviceRequest,
) -> Result<(), ApiError> {
    let mut d = assigned_device(ctx, Some(&input.user_name), &input.serial_number)?;
    let step = consecutive_codes(
        &d,
        &input.authentication_code1,
        &input.authentication_code2,
        current_step(ctx.now),
        // Ten minutes either way.
        20,
    )
    .ok_or_else(invalid_code)?;
    d.last_step = Some(step);
    let pk = device_key(&ctx.caller.account_id, &d.serial_number);
    MFA_DEVICES.put(ctx.tx.write()?, &pk, &d)?;
    Ok(())
}

/// `GetMFADevice`.
pub(super) fn get_mfa_device(
    ctx: &mut Ctx<'_>,
    input: GetMFADeviceRequest,
) -> Result<GetMFADeviceResponse, ApiError> {
    let d = match input.user_name.as_deref() {
        Some(name) => assigned_device(ctx, Some(name), &input.serial_number)?,
        None => device(ctx.tx.read(), &ctx.caller.account_id, &input.serial_number)?,
    };
    Ok(GetMFADeviceResponse {
        serial_number: d.serial_number,
        user_name: d.user_name,
        enable_date: d.enabled_ms.map(ts),
        certifications: None,
    })
}

/// `TagMFADevice`.
pub(super) fn tag_mfa_device(
    ctx: &mut Ctx<'_>,
    input: TagMFADeviceRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut d = device(ctx.tx.read(), &account, &input.serial_number)?;
    merge_tags(&mut d.tags, &input.tags)?;
    MFA_DEVICES.put(ctx.tx.write()?, &device_key(&account, &d.serial_number), &d)?;
    Ok(())
}

/// `UntagMFADevice`.
pub(super) fn untag_mfa_device(
    ctx: &mut Ctx<'_>,
    input: UntagMFADeviceRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut d = device(ctx.tx.read(), &account, &input.serial_number)?;
    remove_tags(&mut d.tags, &input.tag_keys);
    MFA_DEVICES.put(ctx.tx.write()?, &device_key(&account, &d.serial_number), &d)?;
    Ok(())
}

/// `ListMFADeviceTags`.
pub(super) fn list_mfa_device_tags(
    ctx: &mut Ctx<'_>,
    input: ListMFADeviceTagsRequest,
) -> Result<ListMFADeviceTagsResponse, ApiError> {
    let d = device(ctx.tx.read(), &ctx.caller.account_id, &input.serial_number)?;
    let (tags, truncated, marker) = tags_page(&d.tags, input.marker.as_deref(), input.max_items)?;
    Ok(ListMFADeviceTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238) and the QR code
// ---------------------------------------------------------------------------------------------

/// Checks one TOTP `code` of the enabled MFA device `serial_number` of `account_id` at `now`
/// (the current 30-second step or one either side) and accepts each code once: on success the
/// device's last accepted step moves forward. `Ok(false)` for a wrong or replayed code, and for a
/// device that does not exist or is not enabled for any user.
pub(crate) fn verify_totp_code(
    tx: &mut dyn WriteTx,
    account_id: &str,
    serial_number: &str,
    code: &str,
    now: jiff::Timestamp,
) -> Result<bool, ApiError> {
    let pk = device_key(account_id, serial_number);
    let Some(mut d) = MFA_DEVICES.get(tx.as_read(), &pk)? else {
        return Ok(false);
    };
    if d.user_name.is_none() {
        return Ok(false);
    }
    let Some(step) = totp::accepted_step(d.seed.expose(), d.last_step, code, now) else {
        return Ok(false);
    };
    d.last_step = Some(step);
    MFA_DEVICES.put(tx, &pk, &d)?;
    Ok(true)
}

/// The step of `code2` when `code1`, `code2` are the codes of two consecutive steps within
/// `window` steps of `current`, both newer than the last accepted step.
fn consecutive_codes(
    d: &MfaDeviceRecord,
    code1: &str,
    code2: &str,
    current: u64,
    window: u64,
) -> Option<u64> {
    let key = base32_decode(d.seed.expose())?;
    (current.saturating_sub(window)..=current.saturating_add(window))
        .filter(|s| d.last_step.is_none_or(|last| s.saturating_sub(1) > last))
        .find(|s| *s > 0 && code_matches(&key, s - 1, code1) && code_matches(&key, *s, code2))
}

/// A QR code of `text` as a grayscale PNG: 4 pixels per module and a 4-module quiet zone.
fn qr_png(text: &str) -> Result<Vec<u8>, ApiError> {
    const SCALE: usize = 4;
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| ApiError::internal(format!("QR code: {e}")))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for dy in 0..SCALE {
            let row = (my * SCALE + dy) * side + mx * SCALE;
            if let Some(run) = pixels.get_mut(row..row + SCALE) {
                run.fill(0);
            }
        }
    }
    let side32 =
        u32::try_from(side).map_err(|_| ApiError::internal("QR code too large".to_owned()))?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side32, side32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| ApiError::internal(format!("PNG: {e}")))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| ApiError::internal(format!("PNG: {e}")))?;
        writer
            .finish()
            .map_err(|e| ApiError::internal(format!("PNG: {e}")))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits, key "12345678901234567890").
    #[test]
    fn qr_png_is_a_png() {
        let png = qr_png("otpauth://totp/x?secret=ABC").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
