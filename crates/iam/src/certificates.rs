//! IAM user credentials for other services: SSH public keys (CodeCommit) and service-specific
//! credentials (CodeCommit Git credentials, Amazon Keyspaces).

use localorg_model::generated::iam::{
    errors, CreateServiceSpecificCredentialRequest, CreateServiceSpecificCredentialResponse,
    DeleteSSHPublicKeyRequest, DeleteServiceSpecificCredentialRequest, EncodingType,
    GetSSHPublicKeyRequest, GetSSHPublicKeyResponse, ListSSHPublicKeysRequest,
    ListSSHPublicKeysResponse, ListServiceSpecificCredentialsRequest,
    ListServiceSpecificCredentialsResponse, ResetServiceSpecificCredentialRequest,
    ResetServiceSpecificCredentialResponse, SSHPublicKey, SSHPublicKeyMetadata,
    ServiceSpecificCredential, ServiceSpecificCredentialMetadata, StatusType,
    UpdateSSHPublicKeyRequest, UpdateServiceSpecificCredentialRequest, UploadSSHPublicKeyRequest,
    UploadSSHPublicKeyResponse,
};
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx};

use super::core::{
    name_key, SERVER_CERTIFICATES, SERVICE_CREDENTIALS, SIGNING_CERTIFICATES, SSH_PUBLIC_KEYS,
};
use super::core::{page_of, ts, user, USERS};
use super::records::{ServiceCredentialRecord, SshPublicKeyRecord, UserRecord};
use super::users::calling_user_name;
use localorg_kernel::context::{Secret, BASE32_UPPER};
use localorg_kernel::Ctx;

/// SSH public keys per user (AWS quota).
const MAX_SSH_KEYS: usize = 5;
/// Service-specific credentials per user per service (AWS quota).
const MAX_SERVICE_CREDENTIALS: usize = 2;
/// Smallest RSA key AWS accepts, in bits.
const MIN_RSA_BITS: usize = 2048;
/// Services that have service-specific credentials.
const SUPPORTED_SERVICES: &[&str] = &["codecommit.amazonaws.com", "cassandra.amazonaws.com"];

/// `Active`/`Inactive` as stored.
fn status_str(status: &StatusType) -> &'static str {
    match status {
        StatusType::Inactive => "Inactive",
        StatusType::Expired => "Expired",
        StatusType::Active => "Active",
    }
}

/// A stored status as the API's enum.
fn status_of(s: &str) -> StatusType {
    StatusType::from_str_value(s).unwrap_or(StatusType::Active)
}

/// The key prefix of `u`'s rows in a per-user table.
fn user_prefix(u: &UserRecord) -> Key {
    Key::new().str(&u.account_id).str(&u.id)
}

/// True when `user` (any account user record) still has SSH public keys or service-specific
/// credentials; `Some(what)` names what must go first (for `DeleteUser`).
pub(super) fn user_has_extra_credentials(
    tx: &dyn ReadTx,
    u: &UserRecord,
) -> Result<Option<&'static str>, ApiError> {
    if SIGNING_CERTIFICATES.count(tx, &user_prefix(u))? > 0 {
        return Ok(Some("delete signing certificates"));
    }
    if SSH_PUBLIC_KEYS.count(tx, &user_prefix(u))? > 0 {
        return Ok(Some("delete SSH public keys"));
    }
    if SERVICE_CREDENTIALS.count(tx, &user_prefix(u))? > 0 {
        return Ok(Some("delete service specific credentials"));
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// Encodings: Base64, MD5, DER
// ---------------------------------------------------------------------------------------------

/// Standard Base64 (padding optional); `None` when not Base64.
fn b64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text).ok()
}

/// Standard Base64 with padding.
fn b64_encode(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// MD5: the digest of `data`. Only for fingerprints, as AWS shows them.
fn md5(data: &[u8]) -> [u8; 16] {
    use md5::Digest as _;
    md5::Md5::digest(data).into()
}

/// A DER element: tag, length, content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | u8::try_from(bytes.len()).unwrap_or(0));
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The length-prefixed strings of an SSH wire-format key blob.
fn ssh_fields(blob: &[u8]) -> Option<Vec<&[u8]>> {
    let mut fields = Vec::new();
    let mut rest = blob;
    while !rest.is_empty() {
        let len_bytes: [u8; 4] = rest.get(..4)?.try_into().ok()?;
        let len = usize::try_from(u32::from_be_bytes(len_bytes)).ok()?;
        fields.push(rest.get(4..4 + len)?);
        rest = rest.get(4 + len..)?;
    }
    Some(fields)
}

/// A parsed OpenSSH public key.
struct ParsedKey {
    /// The key blob (what the fingerprint is computed over).
    blob: Vec<u8>,
    /// The SubjectPublicKeyInfo DER (for `Encoding=PEM`).
    spki: Vec<u8>,
}

/// Parses `ssh-rsa AAAA... [comment]` or `ssh-ed25519 AAAA... [comment]`.
fn parse_ssh_key(body: &str) -> Result<ParsedKey, ApiError> {
    let unrecognized = || {
        errors::UNRECOGNIZED_PUBLIC_KEY_ENCODING_EXCEPTION
            .error("The public key encoding format is unsupported or unrecognized.")
    };
    let invalid = || errors::INVALID_PUBLIC_KEY_EXCEPTION.error("The public key is not valid.");
    let mut parts = body.split_whitespace();
    let kind = parts.next().ok_or_else(unrecognized)?;
    let data = parts.next().ok_or_else(unrecognized)?;
    if kind != "ssh-rsa" && kind != "ssh-ed25519" {
        return Err(unrecognized());
    }
    let blob = b64_decode(data).ok_or_else(unrecognized)?;
    let fields = ssh_fields(&blob).ok_or_else(invalid)?;
    let (name, rest) = fields.split_first().ok_or_else(invalid)?;
    if *name != kind.as_bytes() {
        return Err(invalid());
    }
    let spki = match (kind, rest) {
        ("ssh-rsa", [e, n]) => {
            let bits = n.iter().skip_while(|b| **b == 0).count() * 8;
            if bits < MIN_RSA_BITS {
                return Err(errors::INVALID_PUBLIC_KEY_EXCEPTION.error(format!(
                    "The public key is not valid: the minimum key size is {MIN_RSA_BITS} bits."
                )));
            }
            // SSH mpints are two's complement big-endian, as DER INTEGERs.
            let rsa = der(0x30, &[der(0x02, n), der(0x02, e)].concat());
            let mut bit_string = vec![0u8];
            bit_string.extend(rsa);
            let alg = der(
                0x30,
                &[
                    der(
                        0x06,
                        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
                    ),
                    der(0x05, &[]),
                ]
                .concat(),
            );
            der(0x30, &[alg, der(0x03, &bit_string)].concat())
        }
        ("ssh-ed25519", [point]) if point.len() == 32 => {
            let alg = der(0x30, &der(0x06, &[0x2b, 0x65, 0x70]));
            let mut bit_string = vec![0u8];
            bit_string.extend_from_slice(point);
            der(0x30, &[alg, der(0x03, &bit_string)].concat())
        }
        _ => return Err(invalid()),
    };
    Ok(ParsedKey { blob, spki })
}

/// `aa:bb:...` MD5 fingerprint of a key blob.
fn fingerprint(blob: &[u8]) -> String {
    md5(blob)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// PEM text of a DER SubjectPublicKeyInfo (64-character lines).
fn pem(spki: &[u8]) -> String {
    let b64 = b64_encode(spki);
    let mut out = String::from("-----BEGIN PUBLIC KEY-----\n");
    let mut rest = b64.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str("-----END PUBLIC KEY-----\n");
    out
}

// ---------------------------------------------------------------------------------------------
// SSH public keys
// ---------------------------------------------------------------------------------------------

/// The user's SSH key `id`, with AWS's `NoSuchEntity` wording.
fn ssh_key(tx: &dyn ReadTx, u: &UserRecord, id: &str) -> Result<SshPublicKeyRecord, ApiError> {
    SSH_PUBLIC_KEYS
        .get(tx, &user_prefix(u).str(id))?
        .ok_or_else(|| {
            errors::NO_SUCH_ENTITY_EXCEPTION
                .error(format!("The Public Key with id {id} cannot be found."))
        })
}

/// The `SSHPublicKey` view.
fn ssh_key_shape(u: &UserRecord, k: &SshPublicKeyRecord, body: String) -> SSHPublicKey {
    SSHPublicKey {
        user_name: u.name.clone(),
        ssh_public_key_id: k.id.clone(),
        fingerprint: k.fingerprint.clone(),
        ssh_public_key_body: body,
        status: status_of(&k.status),
        upload_date: Some(ts(k.uploaded_ms)),
    }
}

/// `UploadSSHPublicKey`: at most 5 per user; the same key twice is `DuplicateSSHPublicKey`.
pub(super) fn upload_ssh_public_key(
    ctx: &mut Ctx<'_>,
    input: UploadSSHPublicKeyRequest,
) -> Result<UploadSSHPublicKeyResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let u = user(ctx.tx.read(), &account, &input.user_name)?;
    let body = input.ssh_public_key_body.trim().to_owned();
    let parsed = parse_ssh_key(&body)?;
    let fp = fingerprint(&parsed.blob);
    let existing = SSH_PUBLIC_KEYS.scan_all(ctx.tx.read(), &user_prefix(&u))?;
    if existing.iter().any(|(_, k)| k.fingerprint == fp) {
        return Err(errors::DUPLICATE_SSH_PUBLIC_KEY_EXCEPTION
            .error("The public key is already associated with the user."));
    }
    if existing.len() >= MAX_SSH_KEYS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for PublicKeysPerUser: {MAX_SSH_KEYS}"
        )));
    }
    // `APKA` + 16 Base32, 20 characters as AWS's SSH key ids.
    let record = SshPublicKeyRecord {
        id: format!("APKA{}", ctx.ids.string(BASE32_UPPER, 16)),
        body,
        fingerprint: fp,
        status: "Active".to_owned(),
        uploaded_ms: ctx.now_ms(),
    };
    SSH_PUBLIC_KEYS.put(ctx.tx.write()?, &user_prefix(&u).str(&record.id), &record)?;
    Ok(UploadSSHPublicKeyResponse {
        ssh_public_key: Some(ssh_key_shape(&u, &record, record.body.clone())),
    })
}

/// `GetSSHPublicKey`: the key as uploaded (`SSH`) or as a PEM SubjectPublicKeyInfo (`PEM`).
pub(super) fn get_ssh_public_key(
    ctx: &mut Ctx<'_>,
    input: GetSSHPublicKeyRequest,
) -> Result<GetSSHPublicKeyResponse, ApiError> {
    let tx = ctx.tx.read();
    let u = user(tx, &ctx.caller.account_id, &input.user_name)?;
    let k = ssh_key(tx, &u, &input.ssh_public_key_id)?;
    let body = match input.encoding {
        EncodingType::Ssh => k.body.clone(),
        EncodingType::Pem => pem(&parse_ssh_key(&k.body)?.spki),
    };
    Ok(GetSSHPublicKeyResponse {
        ssh_public_key: Some(ssh_key_shape(&u, &k, body)),
    })
}

/// `ListSSHPublicKeys` (without `UserName`: the calling user's; a caller that is no IAM user gets an
/// empty list, as AWS answers the root user).
pub(super) fn list_ssh_public_keys(
    ctx: &mut Ctx<'_>,
    input: ListSSHPublicKeysRequest,
) -> Result<ListSSHPublicKeysResponse, ApiError> {
    let Some(name) = super::core::target_user_name(ctx, input.user_name.as_deref())? else {
        return Ok(ListSSHPublicKeysResponse {
            ssh_public_keys: Some(Vec::new()),
            is_truncated: Some(false),
            marker: None,
        });
    };
    let tx = ctx.tx.read();
    let u = user(tx, &ctx.caller.account_id, &name)?;
    let items = SSH_PUBLIC_KEYS
        .scan_all(tx, &user_prefix(&u))?
        .into_iter()
        .map(|(_, k)| {
            (
                k.id.clone(),
                SSHPublicKeyMetadata {
                    user_name: u.name.clone(),
                    ssh_public_key_id: k.id.clone(),
                    status: status_of(&k.status),
                    upload_date: ts(k.uploaded_ms),
                },
            )
        })
        .collect();
    let (keys, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListSSHPublicKeysResponse {
        ssh_public_keys: Some(keys),
        is_truncated: Some(truncated),
        marker,
    })
}

/// `UpdateSSHPublicKey`: `Active` or `Inactive`.
pub(super) fn update_ssh_public_key(
    ctx: &mut Ctx<'_>,
    input: UpdateSSHPublicKeyRequest,
) -> Result<(), ApiError> {
    let u = user(ctx.tx.read(), &ctx.caller.account_id, &input.user_name)?;
    let mut k = ssh_key(ctx.tx.read(), &u, &input.ssh_public_key_id)?;
    if matches!(input.status, StatusType::Expired) {
        return Err(errors::INVALID_INPUT_EXCEPTION.error("Status must be Active or Inactive."));
    }
    k.status = status_str(&input.status).to_owned();
    SSH_PUBLIC_KEYS.put(ctx.tx.write()?, &user_prefix(&u).str(&k.id), &k)?;
    Ok(())
}

/// `DeleteSSHPublicKey`.
pub(super) fn delete_ssh_public_key(
    ctx: &mut Ctx<'_>,
    input: DeleteSSHPublicKeyRequest,
) -> Result<(), ApiError> {
    let u = user(ctx.tx.read(), &ctx.caller.account_id, &input.user_name)?;
    let k = ssh_key(ctx.tx.read(), &u, &input.ssh_public_key_id)?;
    SSH_PUBLIC_KEYS.delete(ctx.tx.write()?, &user_prefix(&u).str(&k.id))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Service-specific credentials
// ---------------------------------------------------------------------------------------------

/// The user a service-specific credential operation is about (named, or the calling user).
fn credential_user(ctx: &Ctx<'_>, user_name: Option<&str>) -> Result<UserRecord, ApiError> {
    let name = calling_user_name(ctx, user_name)?;
    user(ctx.tx.read(), &ctx.caller.account_id, &name)
}

/// The user's credential `id`, with AWS's `NoSuchEntity` wording.
fn credential(
    tx: &dyn ReadTx,
    u: &UserRecord,
    id: &str,
) -> Result<ServiceCredentialRecord, ApiError> {
    SERVICE_CREDENTIALS
        .get(tx, &user_prefix(u).str(id))?
        .ok_or_else(|| {
            errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
                "No such credential {id} exists for user {}.",
                u.name
            ))
        })
}

/// A new service password: 44 Base64 characters ending in `=`, like AWS's.
fn new_password(ctx: &Ctx<'_>) -> Secret {
    Secret::new(format!(
        "{}=",
        ctx.ids.string(localorg_kernel::context::SECRET_CHARS, 43)
    ))
}

/// The `ServiceSpecificCredential` view (with the password: create and reset only).
fn credential_shape(u: &UserRecord, c: &ServiceCredentialRecord) -> ServiceSpecificCredential {
    ServiceSpecificCredential {
        create_date: ts(c.created_ms),
        expiration_date: c.expiration_ms.map(ts),
        service_credential_alias: None,
        service_credential_secret: None,
        service_name: c.service_name.clone(),
        service_password: Some(c.password.expose().to_owned()),
        service_specific_credential_id: c.id.clone(),
        service_user_name: Some(c.service_user_name.clone()),
        status: status_of(&c.status),
        user_name: u.name.clone(),
    }
}

/// `CreateServiceSpecificCredential`: CodeCommit and Keyspaces, 2 per user per service.
pub(super) fn create_service_specific_credential(
    ctx: &mut Ctx<'_>,
    input: CreateServiceSpecificCredentialRequest,
) -> Result<CreateServiceSpecificCredentialResponse, ApiError> {
    let u = user(ctx.tx.read(), &ctx.caller.account_id, &input.user_name)?;
    if !SUPPORTED_SERVICES.contains(&input.service_name.as_str()) {
        return Err(errors::SERVICE_NOT_SUPPORTED_EXCEPTION.error(format!(
            "The service {} is not supported for service-specific credentials.",
            input.service_name
        )));
    }
    let existing: Vec<ServiceCredentialRecord> = SERVICE_CREDENTIALS
        .scan_all(ctx.tx.read(), &user_prefix(&u))?
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| c.service_name == input.service_name)
        .collect();
    if existing.len() >= MAX_SERVICE_CREDENTIALS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: \
             {MAX_SERVICE_CREDENTIALS}"
        )));
    }
    // AWS names the credential `<user>-at-<account>`; a second credential for the same service
    // gets a numeric suffix (`-1`) so the two user names differ.
    let base = format!("{}-at-{}", u.name, u.account_id);
    let service_user_name = if existing.iter().any(|c| c.service_user_name == base) {
        format!("{base}-1")
    } else {
        base
    };
    let now = ctx.now_ms();
    let record = ServiceCredentialRecord {
        id: format!("ACCA{}", ctx.ids.string(BASE32_UPPER, 17)),
        service_name: input.service_name,
        service_user_name,
        password: new_password(ctx),
        status: "Active".to_owned(),
        created_ms: now,
        expiration_ms: input
            .credential_age_days
            .map(|days| now + i64::from(days) * 86_400_000),
    };
    SERVICE_CREDENTIALS.put(ctx.tx.write()?, &user_prefix(&u).str(&record.id), &record)?;
    Ok(CreateServiceSpecificCredentialResponse {
        service_specific_credential: Some(credential_shape(&u, &record)),
    })
}

/// `ListServiceSpecificCredentials` (the user's, optionally of one service; passwords left out).
pub(super) fn list_service_specific_credentials(
    ctx: &mut Ctx<'_>,
    input: ListServiceSpecificCredentialsRequest,
) -> Result<ListServiceSpecificCredentialsResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let users: Vec<UserRecord> = if input.all_users == Some(true) && input.user_name.is_none() {
        USERS
            .scan_all(ctx.tx.read(), &Key::new().str(&account))?
            .into_iter()
            .map(|(_, u)| u)
            .collect()
    } else {
        match super::core::target_user_name(ctx, input.user_name.as_deref())? {
            Some(name) => vec![user(ctx.tx.read(), &account, &name)?],
            None => Vec::new(),
        }
    };
    let mut items = Vec::new();
    for u in &users {
        for (_, c) in SERVICE_CREDENTIALS.scan_all(ctx.tx.read(), &user_prefix(u))? {
            if input
                .service_name
                .as_deref()
                .is_some_and(|s| s != c.service_name)
            {
                continue;
            }
            let sort = format!("{}\u{0}{}", u.name.to_lowercase(), c.id);
            items.push((
                sort,
                ServiceSpecificCredentialMetadata {
                    user_name: u.name.clone(),
                    status: status_of(&c.status),
                    service_user_name: Some(c.service_user_name.clone()),
                    service_credential_alias: None,
                    create_date: ts(c.created_ms),
                    expiration_date: c.expiration_ms.map(ts),
                    service_specific_credential_id: c.id.clone(),
                    service_name: c.service_name.clone(),
                },
            ));
        }
    }
    let (creds, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListServiceSpecificCredentialsResponse {
        service_specific_credentials: Some(creds),
        is_truncated: Some(truncated),
        marker,
    })
}

/// `UpdateServiceSpecificCredential`: `Active` or `Inactive`.
pub(super) fn update_service_specific_credential(
    ctx: &mut Ctx<'_>,
    input: UpdateServiceSpecificCredentialRequest,
) -> Result<(), ApiError> {
    let u = credential_user(ctx, input.user_name.as_deref())?;
    let mut c = credential(ctx.tx.read(), &u, &input.service_specific_credential_id)?;
    if matches!(input.status, StatusType::Expired) {
        return Err(errors::INVALID_INPUT_EXCEPTION.error("Status must be Active or Inactive."));
    }
    c.status = status_str(&input.status).to_owned();
    SERVICE_CREDENTIALS.put(ctx.tx.write()?, &user_prefix(&u).str(&c.id), &c)?;
    Ok(())
}

/// `ResetServiceSpecificCredential`: a new password, everything else kept.
pub(super) fn reset_service_specific_credential(
    ctx: &mut Ctx<'_>,
    input: ResetServiceSpecificCredentialRequest,
) -> Result<ResetServiceSpecificCredentialResponse, ApiError> {
    let u = credential_user(ctx, input.user_name.as_deref())?;
    let mut c = credential(ctx.tx.read(), &u, &input.service_specific_credential_id)?;
    c.password = new_password(ctx);
    SERVICE_CREDENTIALS.put(ctx.tx.write()?, &user_prefix(&u).str(&c.id), &c)?;
    Ok(ResetServiceSpecificCredentialResponse {
        service_specific_credential: Some(credential_shape(&u, &c)),
    })
}

/// `DeleteServiceSpecificCredential`.
pub(super) fn delete_service_specific_credential(
    ctx: &mut Ctx<'_>,
    input: DeleteServiceSpecificCredentialRequest,
) -> Result<(), ApiError> {
    let u = credential_user(ctx, input.user_name.as_deref())?;
    let c = credential(ctx.tx.read(), &u, &input.service_specific_credential_id)?;
    SERVICE_CREDENTIALS.delete(ctx.tx.write()?, &user_prefix(&u).str(&c.id))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// X.509: enough DER to check a certificate and read its validity
// ---------------------------------------------------------------------------------------------

/// One DER element of `data`: `(tag, content, rest)`.
fn der_next(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = data.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = rest.get(..n)?;
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest.get(n..)?)
    };
    Some((tag, rest.get(..len)?, rest.get(len..)?))
}

/// The DER of every `-----BEGIN CERTIFICATE-----` block of a PEM text.
fn pem_certificates(text: &str) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let after = rest.get(start + "-----BEGIN CERTIFICATE-----".len()..)?;
        let end = after.find("-----END CERTIFICATE-----")?;
        let body: String = after
            .get(..end)?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        out.push(b64_decode(&body)?);
        rest = after.get(end + "-----END CERTIFICATE-----".len()..)?;
    }
    (!out.is_empty()).then_some(out)
}

/// An ASN.1 `UTCTime` (tag 0x17) or `GeneralizedTime` (0x18) as ms since epoch.
fn asn1_time(tag: u8, content: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(content).ok()?.strip_suffix('Z')?;
    let full = match tag {
        0x17 => {
            let yy: i32 = text.get(..2)?.parse().ok()?;
            // RFC 5280: two-digit years 50..99 are 19xx, 00..49 are 20xx.
            let century = if yy >= 50 { "19" } else { "20" };
            format!("{century}{text}")
        }
        0x18 => text.to_owned(),
        _ => return None,
    };
    let field = |a: usize, b: usize| full.get(a..b);
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        field(0, 4)?,
        field(4, 6)?,
        field(6, 8)?,
        field(8, 10)?,
        field(10, 12)?,
        field(12, 14).unwrap_or("00")
    );
    iso.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// `(notBefore, notAfter)` of a DER X.509 certificate; `None` when it is not one.
fn certificate_validity(der_bytes: &[u8]) -> Option<(i64, i64)> {
    let (tag, cert, rest) = der_next(der_bytes)?;
    if tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let (tag, tbs, after_tbs) = der_next(cert)?;
    // The signature algorithm and the signature follow the TBS part.
    let (alg_tag, _, after_alg) = der_next(after_tbs)?;
    let (sig_tag, _, _) = der_next(after_alg)?;
    if tag != 0x30 || alg_tag != 0x30 || sig_tag != 0x03 {
        return None;
    }
    let mut rest = tbs;
    let (mut tag, _, mut next) = der_next(rest)?;
    if tag == 0xa0 {
        // Explicit version.
        rest = next;
        (tag, _, next) = der_next(rest)?;
    }
    // serialNumber, then signature, issuer, validity.
    if tag != 0x02 {
        return None;
    }
    let (_, _, next) = der_next(next)?; // signature
    let (_, _, next) = der_next(next)?; // issuer
    let (tag, validity, _) = der_next(next)?;
    if tag != 0x30 {
        return None;
    }
    let (t1, not_before, rest) = der_next(validity)?;
    let (t2, not_after, _) = der_next(rest)?;
    Some((asn1_time(t1, not_before)?, asn1_time(t2, not_after)?))
}

/// Checks a PEM certificate body: `(notBefore, notAfter)` of its (first) certificate, or
/// `MalformedCertificate`.
fn check_certificate(body: &str) -> Result<(i64, i64), ApiError> {
    let malformed = || errors::MALFORMED_CERTIFICATE_EXCEPTION.error("Certificate body is invalid");
    let certs = pem_certificates(body).ok_or_else(malformed)?;
    let first = certs.first().ok_or_else(malformed)?;
    certificate_validity(first).ok_or_else(malformed)
}

// ---------------------------------------------------------------------------------------------
// Signing certificates
// ---------------------------------------------------------------------------------------------

/// Signing certificates per user (AWS quota).
const MAX_SIGNING_CERTIFICATES: usize = 2;

/// Whose signing certificates an operation is about: `(key prefix, user name shown)`. Without
/// `UserName` the calling user's, or the root user's (shown with the account id as user name).
fn signing_owner(ctx: &Ctx<'_>, user_name: Option<&str>) -> Result<(Key, String), ApiError> {
    let account = &ctx.caller.account_id;
    match super::core::target_user_name(ctx, user_name)? {
        Some(name) => {
            let u = user(ctx.tx.read(), account, &name)?;
            Ok((user_prefix(&u), u.name))
        }
        None => Ok((Key::new().str(account).str("root"), account.clone())),
    }
}

/// The `SigningCertificate` view.
fn signing_shape(
    user_name: &str,
    c: &super::records::SigningCertificateRecord,
) -> localorg_model::generated::iam::SigningCertificate {
    localorg_model::generated::iam::SigningCertificate {
        user_name: user_name.to_owned(),
        certificate_id: c.id.clone(),
        certificate_body: c.body.clone(),
        status: status_of(&c.status),
        upload_date: Some(ts(c.uploaded_ms)),
    }
}

/// The owner's signing certificate `id`, with AWS's `NoSuchEntity` wording.
fn signing_certificate(
    tx: &dyn ReadTx,
    prefix: &Key,
    id: &str,
) -> Result<super::records::SigningCertificateRecord, ApiError> {
    SIGNING_CERTIFICATES
        .get(tx, &prefix.clone().str(id))?
        .ok_or_else(|| {
            errors::NO_SUCH_ENTITY_EXCEPTION
                .error(format!("The Certificate with id {id} cannot be found."))
        })
}

/// `UploadSigningCertificate`: at most 2 per user; the same certificate twice is
/// `DuplicateCertificate`; an expired one is `InvalidCertificate`.
pub(super) fn upload_signing_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::UploadSigningCertificateRequest,
) -> Result<localorg_model::generated::iam::UploadSigningCertificateResponse, ApiError> {
    let (prefix, user_name) = signing_owner(ctx, input.user_name.as_deref())?;
    let body = input.certificate_body.trim().to_owned();
    let (_, not_after) = check_certificate(&body)?;
    if not_after < ctx.now_ms() {
        return Err(errors::INVALID_CERTIFICATE_EXCEPTION.error("The certificate has expired."));
    }
    let existing = SIGNING_CERTIFICATES.scan_all(ctx.tx.read(), &prefix)?;
    let der_of = |b: &str| pem_certificates(b).and_then(|c| c.into_iter().next());
    let new_der = der_of(&body);
    if existing.iter().any(|(_, c)| der_of(&c.body) == new_der) {
        return Err(errors::DUPLICATE_CERTIFICATE_EXCEPTION
            .error("The same certificate is already associated with the user."));
    }
    if existing.len() >= MAX_SIGNING_CERTIFICATES {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for CertificatesPerUser: {MAX_SIGNING_CERTIFICATES}"
        )));
    }
    let record = super::records::SigningCertificateRecord {
        id: ctx.ids.string(BASE32_UPPER, 28),
        body,
        status: "Active".to_owned(),
        uploaded_ms: ctx.now_ms(),
    };
    SIGNING_CERTIFICATES.put(ctx.tx.write()?, &prefix.clone().str(&record.id), &record)?;
    Ok(
        localorg_model::generated::iam::UploadSigningCertificateResponse {
            certificate: signing_shape(&user_name, &record),
        },
    )
}

/// `ListSigningCertificates`.
pub(super) fn list_signing_certificates(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::ListSigningCertificatesRequest,
) -> Result<localorg_model::generated::iam::ListSigningCertificatesResponse, ApiError> {
    let (prefix, user_name) = signing_owner(ctx, input.user_name.as_deref())?;
    let items = SIGNING_CERTIFICATES
        .scan_all(ctx.tx.read(), &prefix)?
        .into_iter()
        .map(|(_, c)| (c.id.clone(), signing_shape(&user_name, &c)))
        .collect();
    let (certificates, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(
        localorg_model::generated::iam::ListSigningCertificatesResponse {
            certificates,
            is_truncated: Some(truncated),
            marker,
        },
    )
}

/// `UpdateSigningCertificate`: `Active` or `Inactive`.
pub(super) fn update_signing_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::UpdateSigningCertificateRequest,
) -> Result<(), ApiError> {
    let (prefix, _) = signing_owner(ctx, input.user_name.as_deref())?;
    let mut c = signing_certificate(ctx.tx.read(), &prefix, &input.certificate_id)?;
    if matches!(input.status, StatusType::Expired) {
        return Err(errors::INVALID_INPUT_EXCEPTION.error("Status must be Active or Inactive."));
    }
    c.status = status_str(&input.status).to_owned();
    SIGNING_CERTIFICATES.put(ctx.tx.write()?, &prefix.str(&c.id), &c)?;
    Ok(())
}

/// `DeleteSigningCertificate`.
pub(super) fn delete_signing_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::DeleteSigningCertificateRequest,
) -> Result<(), ApiError> {
    let (prefix, _) = signing_owner(ctx, input.user_name.as_deref())?;
    let c = signing_certificate(ctx.tx.read(), &prefix, &input.certificate_id)?;
    SIGNING_CERTIFICATES.delete(ctx.tx.write()?, &prefix.str(&c.id))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Server certificates
// ---------------------------------------------------------------------------------------------

/// Server certificates per account (AWS quota).
const MAX_SERVER_CERTIFICATES: u64 = 20;

/// The caller's server certificate `name`, with AWS's `NoSuchEntity` wording.
fn server_certificate(
    tx: &dyn ReadTx,
    account: &str,
    name: &str,
) -> Result<super::records::ServerCertificateRecord, ApiError> {
    SERVER_CERTIFICATES
        .get(tx, &name_key(account, name))?
        .ok_or_else(|| {
            errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
                "The Server Certificate with name {name} cannot be found."
            ))
        })
}

/// The `ServerCertificateMetadata` view.
fn server_metadata(
    c: &super::records::ServerCertificateRecord,
) -> localorg_model::generated::iam::ServerCertificateMetadata {
    localorg_model::generated::iam::ServerCertificateMetadata {
        path: c.path.clone(),
        server_certificate_name: c.name.clone(),
        server_certificate_id: c.id.clone(),
        arn: super::core::iam_arn(&c.account_id, "server-certificate", &c.path, &c.name),
        upload_date: Some(ts(c.uploaded_ms)),
        expiration: Some(ts(c.expiration_ms)),
    }
}

/// `UploadServerCertificate`. The private key must be a PEM private key; localorg does not check
/// that it matches the certificate (no `KeyPairMismatch`) and never returns it.
pub(super) fn upload_server_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::UploadServerCertificateRequest,
) -> Result<localorg_model::generated::iam::UploadServerCertificateResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let body = input.certificate_body.trim().to_owned();
    let (_, not_after) = check_certificate(&body)?;
    if !input.private_key.contains("-----BEGIN") || !input.private_key.contains("PRIVATE KEY-----")
    {
        return Err(errors::MALFORMED_CERTIFICATE_EXCEPTION.error("Private key is invalid"));
    }
    let chain = input.certificate_chain.map(|c| c.trim().to_owned());
    if let Some(chain) = &chain {
        let certs = pem_certificates(chain).ok_or_else(|| {
            errors::MALFORMED_CERTIFICATE_EXCEPTION.error("Certificate chain is invalid")
        })?;
        if certs.iter().any(|c| certificate_validity(c).is_none()) {
            return Err(
                errors::MALFORMED_CERTIFICATE_EXCEPTION.error("Certificate chain is invalid")
            );
        }
    }
    let tags = super::users::new_tags(input.tags.as_deref().unwrap_or_default())?;
    let key = name_key(&account, &input.server_certificate_name);
    if SERVER_CERTIFICATES.contains(ctx.tx.read(), &key)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION.error(format!(
            "The Server Certificate with name {} already exists.",
            input.server_certificate_name
        )));
    }
    if SERVER_CERTIFICATES.count(ctx.tx.read(), &Key::new().str(&account))?
        >= MAX_SERVER_CERTIFICATES
    {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for ServerCertificatesPerAccount: {MAX_SERVER_CERTIFICATES}"
        )));
    }
    let record = super::records::ServerCertificateRecord {
        account_id: account,
        name: input.server_certificate_name,
        id: super::core::new_unique_id(ctx, "ASCA"),
        path: super::core::path_or_root(input.path.as_deref()),
        body,
        chain,
        expiration_ms: not_after,
        tags,
        uploaded_ms: ctx.now_ms(),
    };
    SERVER_CERTIFICATES.put(ctx.tx.write()?, &key, &record)?;
    Ok(
        localorg_model::generated::iam::UploadServerCertificateResponse {
            server_certificate_metadata: Some(server_metadata(&record)),
            tags: super::core::tags_shape(&record.tags),
        },
    )
}

/// `GetServerCertificate`.
pub(super) fn get_server_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::GetServerCertificateRequest,
) -> Result<localorg_model::generated::iam::GetServerCertificateResponse, ApiError> {
    let c = server_certificate(
        ctx.tx.read(),
        &ctx.caller.account_id,
        &input.server_certificate_name,
    )?;
    Ok(
        localorg_model::generated::iam::GetServerCertificateResponse {
            server_certificate: localorg_model::generated::iam::ServerCertificate {
                server_certificate_metadata: server_metadata(&c),
                certificate_body: c.body.clone(),
                certificate_chain: c.chain.clone(),
                tags: super::core::tags_shape(&c.tags),
            },
        },
    )
}

/// `ListServerCertificates` (sorted by name, `PathPrefix` filter).
pub(super) fn list_server_certificates(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::ListServerCertificatesRequest,
) -> Result<localorg_model::generated::iam::ListServerCertificatesResponse, ApiError> {
    let items = SERVER_CERTIFICATES
        .scan_all(ctx.tx.read(), &Key::new().str(&ctx.caller.account_id))?
        .into_iter()
        .filter(|(_, c)| super::core::path_matches(&c.path, input.path_prefix.as_deref()))
        .map(|(_, c)| (c.name.to_lowercase(), server_metadata(&c)))
        .collect();
    let (list, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(
        localorg_model::generated::iam::ListServerCertificatesResponse {
            server_certificate_metadata_list: list,
            is_truncated: Some(truncated),
            marker,
        },
    )
}

/// `UpdateServerCertificate`: a new name and/or path.
pub(super) fn update_server_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::UpdateServerCertificateRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut c = server_certificate(ctx.tx.read(), &account, &input.server_certificate_name)?;
    let old_key = name_key(&account, &c.name);
    if let Some(new_name) = input.new_server_certificate_name {
        let new_key = name_key(&account, &new_name);
        if new_key != old_key && SERVER_CERTIFICATES.contains(ctx.tx.read(), &new_key)? {
            return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION.error(format!(
                "The Server Certificate with name {new_name} already exists."
            )));
        }
        c.name = new_name;
    }
    if let Some(path) = input.new_path {
        c.path = path;
    }
    let tx = ctx.tx.write()?;
    SERVER_CERTIFICATES.delete(tx, &old_key)?;
    SERVER_CERTIFICATES.put(tx, &name_key(&account, &c.name), &c)?;
    Ok(())
}

/// `DeleteServerCertificate`.
pub(super) fn delete_server_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::DeleteServerCertificateRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let c = server_certificate(ctx.tx.read(), &account, &input.server_certificate_name)?;
    SERVER_CERTIFICATES.delete(ctx.tx.write()?, &name_key(&account, &c.name))?;
    Ok(())
}

/// `TagServerCertificate`.
pub(super) fn tag_server_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::TagServerCertificateRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut c = server_certificate(ctx.tx.read(), &account, &input.server_certificate_name)?;
    super::users::merge_tags(&mut c.tags, &input.tags)?;
    SERVER_CERTIFICATES.put(ctx.tx.write()?, &name_key(&account, &c.name), &c)?;
    Ok(())
}

/// `UntagServerCertificate`.
pub(super) fn untag_server_certificate(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::UntagServerCertificateRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut c = server_certificate(ctx.tx.read(), &account, &input.server_certificate_name)?;
    super::users::remove_tags(&mut c.tags, &input.tag_keys);
    SERVER_CERTIFICATES.put(ctx.tx.write()?, &name_key(&account, &c.name), &c)?;
    Ok(())
}

/// `ListServerCertificateTags`.
pub(super) fn list_server_certificate_tags(
    ctx: &mut Ctx<'_>,
    input: localorg_model::generated::iam::ListServerCertificateTagsRequest,
) -> Result<localorg_model::generated::iam::ListServerCertificateTagsResponse, ApiError> {
    let c = server_certificate(
        ctx.tx.read(),
        &ctx.caller.account_id,
        &input.server_certificate_name,
    )?;
    let (tags, truncated, marker) =
        super::users::tags_page(&c.tags, input.marker.as_deref(), input.max_items)?;
    Ok(
        localorg_model::generated::iam::ListServerCertificateTagsResponse {
            tags,
            is_truncated: Some(truncated),
            marker,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_known_vectors() {
        let hex = |d: [u8; 16]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            hex(md5(b"The quick brown fox jumps over the lazy dog")),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[test]
    fn base64_round_trip() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            assert_eq!(b64_decode(&b64_encode(data)).as_deref(), Some(data));
        }
        assert_eq!(b64_encode(b"foobar"), "Zm9vYmFy");
    }
}
