//! IAM identity providers: OpenID Connect providers and SAML providers.

use localorg_model::generated::iam::{
    errors, AddClientIDToOpenIDConnectProviderRequest, AssertionEncryptionModeType,
    CreateOpenIDConnectProviderRequest, CreateOpenIDConnectProviderResponse,
    CreateSAMLProviderRequest, CreateSAMLProviderResponse, DeleteOpenIDConnectProviderRequest,
    DeleteSAMLProviderRequest, GetOpenIDConnectProviderRequest, GetOpenIDConnectProviderResponse,
    GetSAMLProviderRequest, GetSAMLProviderResponse, ListOpenIDConnectProviderTagsRequest,
    ListOpenIDConnectProviderTagsResponse, ListOpenIDConnectProvidersRequest,
    ListOpenIDConnectProvidersResponse, ListSAMLProviderTagsRequest, ListSAMLProviderTagsResponse,
    ListSAMLProvidersRequest, ListSAMLProvidersResponse, OpenIDConnectProviderListEntry,
    RemoveClientIDFromOpenIDConnectProviderRequest, SAMLProviderListEntry,
    TagOpenIDConnectProviderRequest, TagSAMLProviderRequest, UntagOpenIDConnectProviderRequest,
    UntagSAMLProviderRequest, UpdateOpenIDConnectProviderThumbprintRequest,
    UpdateSAMLProviderRequest, UpdateSAMLProviderResponse,
};
use localorg_model::ApiError;
use localorg_store::Key;

use super::core::{name_key, tags_shape, ts, OIDC_PROVIDERS, SAML_PROVIDERS};
use super::records::{OidcProviderRecord, SamlProviderRecord};
use super::users::{merge_tags, new_tags, remove_tags, tags_page};
use localorg_kernel::Ctx;

/// OIDC providers per account (AWS quota).
const MAX_OIDC_PROVIDERS: u64 = 100;
/// Client ids per OIDC provider (AWS quota).
const MAX_CLIENT_IDS: usize = 100;
/// Thumbprints per OIDC provider.
const MAX_THUMBPRINTS: usize = 5;
/// SAML providers per account (AWS quota).
const MAX_SAML_PROVIDERS: u64 = 100;
/// Bounds of a SAML metadata document's length.
const SAML_METADATA_MIN: usize = 1000;
const SAML_METADATA_MAX: usize = 10_000_000;

// ---------------------------------------------------------------------------------------------
// OpenID Connect providers
// ---------------------------------------------------------------------------------------------

/// The provider's ARN resource part (`host/path`) of an `https://` URL, or `InvalidInput`.
fn oidc_resource(url: &str) -> Result<String, ApiError> {
    let invalid = || errors::INVALID_INPUT_EXCEPTION.error("Invalid Open ID Connect Provider URL");
    let rest = url
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .and_then(|_| url.get(8..))
        .ok_or_else(invalid)?;
    // AWS drops a trailing slash; a URL may not carry a query or fragment.
    let rest = rest.trim_end_matches('/');
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty()
        || rest.contains(['?', '#', ' '])
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'))
    {
        return Err(invalid());
    }
    // Hosts are case-insensitive: the ARN uses the lower-cased host and the path as given.
    let path = rest.get(host.len()..).unwrap_or_default();
    Ok(format!("{}{path}", host.to_lowercase()))
}

/// `arn:aws:iam::ACCOUNT:oidc-provider/RESOURCE`.
fn oidc_arn(account: &str, resource: &str) -> String {
    format!("arn:aws:iam::{account}:oidc-provider/{resource}")
}

/// The resource part of an OIDC provider ARN of `account`; `None` when it is not one.
fn oidc_arn_resource<'s>(account: &str, arn: &'s str) -> Option<&'s str> {
    arn.strip_prefix("arn:aws:iam::")?
        .strip_prefix(account)?
        .strip_prefix(":oidc-provider/")
        .filter(|r| !r.is_empty())
}

/// The caller's OIDC provider `arn`, with AWS's `NoSuchEntity` wording.
fn oidc_provider(ctx: &Ctx<'_>, arn: &str) -> Result<(Key, OidcProviderRecord), ApiError> {
    let account = &ctx.caller.account_id;
    let not_found = || {
        errors::NO_SUCH_ENTITY_EXCEPTION
            .error(format!("OpenIDConnect Provider not found for arn {arn}"))
    };
    let resource = oidc_arn_resource(account, arn).ok_or_else(not_found)?;
    let key = Key::new().str(account).str(resource);
    let record = OIDC_PROVIDERS
        .get(ctx.tx.read(), &key)?
        .ok_or_else(not_found)?;
    Ok((key, record))
}

/// Checks thumbprints: 40 hex characters each, at most 5.
fn check_thumbprints(thumbprints: &[String]) -> Result<(), ApiError> {
    if thumbprints.len() > MAX_THUMBPRINTS {
        return Err(errors::INVALID_INPUT_EXCEPTION.error(format!(
            "Thumbprint list must contain fewer than {MAX_THUMBPRINTS} entries."
        )));
    }
    for t in thumbprints {
        if t.len() != 40 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(errors::INVALID_INPUT_EXCEPTION
                .error(format!("Thumbprint {t} is not a valid thumbprint.")));
        }
    }
    Ok(())
}

/// Client ids without duplicates (AWS keeps each audience once), order kept.
fn dedup(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

/// `CreateOpenIDConnectProvider`. `ThumbprintList` is optional (current AWS fetches thumbprints
/// itself for well-known providers; localorg stores what it is given).
pub(super) fn create_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: CreateOpenIDConnectProviderRequest,
) -> Result<CreateOpenIDConnectProviderResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let resource = oidc_resource(&input.url)?;
    let thumbprints = dedup(input.thumbprint_list.as_deref().unwrap_or_default());
    check_thumbprints(&thumbprints)?;
    let client_ids = dedup(input.client_id_list.as_deref().unwrap_or_default());
    if client_ids.len() > MAX_CLIENT_IDS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}"
        )));
    }
    let tags = new_tags(input.tags.as_deref().unwrap_or_default())?;
    let key = Key::new().str(&account).str(&resource);
    if OIDC_PROVIDERS.contains(ctx.tx.read(), &key)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION
            .error(format!("Provider with url {} already exists.", input.url)));
    }
    if OIDC_PROVIDERS.count(ctx.tx.read(), &Key::new().str(&account))? >= MAX_OIDC_PROVIDERS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for OpenIdConnectProvidersPerAccount: {MAX_OIDC_PROVIDERS}"
        )));
    }
    let record = OidcProviderRecord {
        account_id: account.clone(),
        url: format!("https://{resource}"),
        client_ids,
        thumbprints,
        tags,
        created_ms: ctx.now_ms(),
    };
    OIDC_PROVIDERS.put(ctx.tx.write()?, &key, &record)?;
    Ok(CreateOpenIDConnectProviderResponse {
        open_id_connect_provider_arn: Some(oidc_arn(&account, &resource)),
        tags: tags_shape(&record.tags),
    })
}

/// `GetOpenIDConnectProvider` (the URL without its scheme, as AWS returns it).
pub(super) fn get_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: GetOpenIDConnectProviderRequest,
) -> Result<GetOpenIDConnectProviderResponse, ApiError> {
    let (_, p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    Ok(GetOpenIDConnectProviderResponse {
        url: Some(p.url.trim_start_matches("https://").to_owned()),
        client_id_list: Some(p.client_ids.clone()),
        thumbprint_list: Some(p.thumbprints.clone()),
        create_date: Some(ts(p.created_ms)),
        tags: tags_shape(&p.tags),
    })
}

/// `ListOpenIDConnectProviders` (ARNs only, sorted; not paginated in AWS).
pub(super) fn list_open_id_connect_providers(
    ctx: &mut Ctx<'_>,
    _input: ListOpenIDConnectProvidersRequest,
) -> Result<ListOpenIDConnectProvidersResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut arns: Vec<String> = OIDC_PROVIDERS
        .scan_all(ctx.tx.read(), &Key::new().str(&account))?
        .into_iter()
        .map(|(_, p)| oidc_arn(&account, p.url.trim_start_matches("https://")))
        .collect();
    arns.sort();
    Ok(ListOpenIDConnectProvidersResponse {
        open_id_connect_provider_list: Some(
            arns.into_iter()
                .map(|arn| OpenIDConnectProviderListEntry { arn: Some(arn) })
                .collect(),
        ),
    })
}

/// `DeleteOpenIDConnectProvider`. Idempotent, as AWS documents it: deleting a provider that does
/// not exist succeeds.
pub(super) fn delete_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: DeleteOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    if let Some(resource) = oidc_arn_resource(&account, &input.open_id_connect_provider_arn) {
        let key = Key::new().str(&account).str(resource);
        if OIDC_PROVIDERS.contains(ctx.tx.read(), &key)? {
            OIDC_PROVIDERS.delete(ctx.tx.write()?, &key)?;
        }
    }
    Ok(())
}

/// `AddClientIDToOpenIDConnectProvider` (adding a client id already there is a no-op, as AWS).
pub(super) fn add_client_id_to_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: AddClientIDToOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    if p.client_ids.contains(&input.client_id) {
        return Ok(());
    }
    if p.client_ids.len() >= MAX_CLIENT_IDS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}"
        )));
    }
    p.client_ids.push(input.client_id);
    OIDC_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `RemoveClientIDFromOpenIDConnectProvider` (removing an absent client id is a no-op, as AWS).
pub(super) fn remove_client_id_from_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: RemoveClientIDFromOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    p.client_ids.retain(|c| c != &input.client_id);
    OIDC_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `UpdateOpenIDConnectProviderThumbprint`: replaces the whole list.
pub(super) fn update_open_id_connect_provider_thumbprint(
    ctx: &mut Ctx<'_>,
    input: UpdateOpenIDConnectProviderThumbprintRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    let thumbprints = dedup(&input.thumbprint_list);
    check_thumbprints(&thumbprints)?;
    p.thumbprints = thumbprints;
    OIDC_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `TagOpenIDConnectProvider`.
pub(super) fn tag_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: TagOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    merge_tags(&mut p.tags, &input.tags)?;
    OIDC_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `UntagOpenIDConnectProvider`.
pub(super) fn untag_open_id_connect_provider(
    ctx: &mut Ctx<'_>,
    input: UntagOpenIDConnectProviderRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    remove_tags(&mut p.tags, &input.tag_keys);
    OIDC_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `ListOpenIDConnectProviderTags`.
pub(super) fn list_open_id_connect_provider_tags(
    ctx: &mut Ctx<'_>,
    input: ListOpenIDConnectProviderTagsRequest,
) -> Result<ListOpenIDConnectProviderTagsResponse, ApiError> {
    let (_, p) = oidc_provider(ctx, &input.open_id_connect_provider_arn)?;
    let (tags, truncated, marker) = tags_page(&p.tags, input.marker.as_deref(), input.max_items)?;
    Ok(ListOpenIDConnectProviderTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}

// ---------------------------------------------------------------------------------------------
// SAML providers
// ---------------------------------------------------------------------------------------------

/// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
fn saml_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:saml-provider/{name}")
}

/// The caller's SAML provider `arn`, with AWS's `NoSuchEntity` wording.
fn saml_provider(ctx: &Ctx<'_>, arn: &str) -> Result<(Key, SamlProviderRecord), ApiError> {
    let account = &ctx.caller.account_id;
    let not_found =
        || errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("SAMLProvider {arn} does not exist."));
    let name = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_prefix(account.as_str()))
        .and_then(|r| r.strip_prefix(":saml-provider/"))
        .filter(|n| !n.is_empty())
        .ok_or_else(not_found)?;
    let key = name_key(account, name);
    let record = SAML_PROVIDERS
        .get(ctx.tx.read(), &key)?
        .ok_or_else(not_found)?;
    Ok((key, record))
}

/// Checks a SAML metadata document (length, and that it looks like SAML metadata) and returns its
/// `validUntil` (ms since epoch) when it carries one.
fn check_metadata(doc: &str) -> Result<Option<i64>, ApiError> {
    let len = doc.chars().count();
    if !(SAML_METADATA_MIN..=SAML_METADATA_MAX).contains(&len) {
        return Err(errors::INVALID_INPUT_EXCEPTION.error(format!(
            "SAMLMetadataDocument must be between {SAML_METADATA_MIN} and {SAML_METADATA_MAX} \
             characters long."
        )));
    }
    if !doc.contains("EntityDescriptor") {
        return Err(errors::INVALID_INPUT_EXCEPTION
            .error("Could not parse metadata: the document is not SAML metadata."));
    }
    // `validUntil="2030-01-01T00:00:00Z"` on the descriptor, when present.
    let valid_until = doc.split_once("validUntil=").and_then(|(_, rest)| {
        let quote = rest.chars().next()?;
        let value = rest.get(1..)?.split(quote).next()?;
        value.parse::<jiff::Timestamp>().ok()
    });
    Ok(valid_until.map(|t| t.as_millisecond()))
}

/// `CreateSAMLProvider`. Private keys for assertion encryption are not kept (`AddPrivateKey` is
/// accepted and ignored).
pub(super) fn create_saml_provider(
    ctx: &mut Ctx<'_>,
    input: CreateSAMLProviderRequest,
) -> Result<CreateSAMLProviderResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let valid_until_ms = check_metadata(&input.saml_metadata_document)?;
    let tags = new_tags(input.tags.as_deref().unwrap_or_default())?;
    let key = name_key(&account, &input.name);
    if SAML_PROVIDERS.contains(ctx.tx.read(), &key)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION
            .error(format!("SAMLProvider {} already exists.", input.name)));
    }
    if SAML_PROVIDERS.count(ctx.tx.read(), &Key::new().str(&account))? >= MAX_SAML_PROVIDERS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for SamlProvidersPerAccount: {MAX_SAML_PROVIDERS}"
        )));
    }
    let uuid = ctx.ids.uuid();
    let record = SamlProviderRecord {
        account_id: account.clone(),
        name: input.name,
        metadata: input.saml_metadata_document,
        valid_until_ms,
        assertion_encryption_mode: input
            .assertion_encryption_mode
            .map(|m| m.as_str().to_owned()),
        uuid,
        tags,
        created_ms: ctx.now_ms(),
    };
    SAML_PROVIDERS.put(ctx.tx.write()?, &key, &record)?;
    Ok(CreateSAMLProviderResponse {
        saml_provider_arn: Some(saml_arn(&account, &record.name)),
        tags: tags_shape(&record.tags),
    })
}

/// `GetSAMLProvider`.
pub(super) fn get_saml_provider(
    ctx: &mut Ctx<'_>,
    input: GetSAMLProviderRequest,
) -> Result<GetSAMLProviderResponse, ApiError> {
    let (_, p) = saml_provider(ctx, &input.saml_provider_arn)?;
    Ok(GetSAMLProviderResponse {
        saml_metadata_document: Some(p.metadata.clone()),
        create_date: Some(ts(p.created_ms)),
        valid_until: p.valid_until_ms.map(ts),
        saml_provider_uuid: Some(p.uuid.clone()),
        assertion_encryption_mode: p
            .assertion_encryption_mode
            .as_deref()
            .and_then(AssertionEncryptionModeType::from_str_value),
        private_key_list: None,
        tags: tags_shape(&p.tags),
    })
}

/// `ListSAMLProviders` (sorted by name; not paginated in AWS).
pub(super) fn list_saml_providers(
    ctx: &mut Ctx<'_>,
    _input: ListSAMLProvidersRequest,
) -> Result<ListSAMLProvidersResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut providers = SAML_PROVIDERS.scan_all(ctx.tx.read(), &Key::new().str(&account))?;
    providers.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ListSAMLProvidersResponse {
        saml_provider_list: Some(
            providers
                .into_iter()
                .map(|(_, p)| SAMLProviderListEntry {
                    arn: Some(saml_arn(&account, &p.name)),
                    create_date: Some(ts(p.created_ms)),
                    valid_until: p.valid_until_ms.map(ts),
                })
                .collect(),
        ),
    })
}

/// `UpdateSAMLProvider`: a new metadata document and/or assertion encryption mode.
pub(super) fn update_saml_provider(
    ctx: &mut Ctx<'_>,
    input: UpdateSAMLProviderRequest,
) -> Result<UpdateSAMLProviderResponse, ApiError> {
    let (key, mut p) = saml_provider(ctx, &input.saml_provider_arn)?;
    if input.saml_metadata_document.is_none()
        && input.assertion_encryption_mode.is_none()
        && input.add_private_key.is_none()
        && input.remove_private_key.is_none()
    {
        return Err(errors::INVALID_INPUT_EXCEPTION
            .error("Request must contain at least one of the updatable fields."));
    }
    if let Some(doc) = input.saml_metadata_document {
        p.valid_until_ms = check_metadata(&doc)?;
        p.metadata = doc;
    }
    if let Some(mode) = input.assertion_encryption_mode {
        p.assertion_encryption_mode = Some(mode.as_str().to_owned());
    }
    SAML_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(UpdateSAMLProviderResponse {
        saml_provider_arn: Some(saml_arn(&p.account_id, &p.name)),
    })
}

/// `DeleteSAMLProvider`.
pub(super) fn delete_saml_provider(
    ctx: &mut Ctx<'_>,
    input: DeleteSAMLProviderRequest,
) -> Result<(), ApiError> {
    let (key, _) = saml_provider(ctx, &input.saml_provider_arn)?;
    SAML_PROVIDERS.delete(ctx.tx.write()?, &key)?;
    Ok(())
}

/// `TagSAMLProvider`.
pub(super) fn tag_saml_provider(
    ctx: &mut Ctx<'_>,
    input: TagSAMLProviderRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = saml_provider(ctx, &input.saml_provider_arn)?;
    merge_tags(&mut p.tags, &input.tags)?;
    SAML_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `UntagSAMLProvider`.
pub(super) fn untag_saml_provider(
    ctx: &mut Ctx<'_>,
    input: UntagSAMLProviderRequest,
) -> Result<(), ApiError> {
    let (key, mut p) = saml_provider(ctx, &input.saml_provider_arn)?;
    remove_tags(&mut p.tags, &input.tag_keys);
    SAML_PROVIDERS.put(ctx.tx.write()?, &key, &p)?;
    Ok(())
}

/// `ListSAMLProviderTags`.
pub(super) fn list_saml_provider_tags(
    ctx: &mut Ctx<'_>,
    input: ListSAMLProviderTagsRequest,
) -> Result<ListSAMLProviderTagsResponse, ApiError> {
    let (_, p) = saml_provider(ctx, &input.saml_provider_arn)?;
    let (tags, truncated, marker) = tags_page(&p.tags, input.marker.as_deref(), input.max_items)?;
    Ok(ListSAMLProviderTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}
