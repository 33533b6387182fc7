//! Signing in to IAM Identity Center: the page a device code's `verificationUriComplete` opens
//! (a plain HTML form, no JavaScript: user name, password and MFA code, then the request is
//! allowed), the admin endpoints `localorg sso …` uses, and SCIM v2 for identity providers.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Form, Json, Router};
use localorg_identitycenter::SignInError;
use serde::Deserialize;

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/start/device", get(page).post(submit))
        .route("/start/{identity_store_id}", get(portal))
        .route("/_localorg/sso/approve", post(approve))
        .route("/_localorg/sso/set-password", post(set_password))
        .route("/_localorg/sso/register-mfa", post(register_mfa))
        .route("/_localorg/sso/scim-token", post(scim_token))
        .route("/scim/v2/{*rest}", any(scim))
}

#[derive(Deserialize)]
struct PageQuery {
    user_code: Option<String>,
}

#[derive(Deserialize)]
struct SignInForm {
    user_code: String,
    username: String,
    password: String,
    #[serde(default)]
    mfa_code: String,
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn layout(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - localorg</title>\
         <style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto}}label{{display:block;margin:.8rem 0 .2rem}}\
         input{{width:100%;padding:.4rem}}button{{margin-top:1rem;padding:.5rem 1rem}}.error{{color:#b00020}}</style></head>\
         <body><h1>{title}</h1>{body}</body></html>",
        title = escape(title)
    ))
}

fn form(user_code: &str, error: Option<&str>) -> Html<String> {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    layout(
        "Sign in to IAM Identity Center",
        &format!(
            "{error}<p>A device asked to sign in with the code below. Sign in to allow it.</p>\
             <form method=\"post\" action=\"/start/device\">\
             <label for=\"user_code\">Code</label><input id=\"user_code\" name=\"user_code\" value=\"{code}\" required>\
             <label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>\
             <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
             <label for=\"mfa_code\">MFA code (if you registered a device)</label><input id=\"mfa_code\" name=\"mfa_code\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\
             <button type=\"submit\">Sign in and allow access</button></form>",
            code = escape(user_code)
        ),
    )
}

/// Runs a sign-in step against the partition off the async threads.
async fn signing_in<T: Send + 'static>(
    state: &AppState,
    step: impl FnOnce(&localorg_kernel::Partition) -> Result<T, SignInError> + Send + 'static,
) -> Result<T, SignInError> {
    let partition = state.partition.clone();
    tokio::task::spawn_blocking(move || step(&partition))
        .await
        .unwrap_or_else(|e| Err(SignInError::Internal(e.to_string())))
}

/// The access portal's start URL: how to sign in to this instance from a command line.
async fn portal(
    axum::extract::Path(identity_store_id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Html<String> {
    let start_url = format!(
        "{}/start/{}",
        crate::gateway::endpoint_of(&headers),
        identity_store_id
    );
    layout(
        "IAM Identity Center access portal",
        &format!(
            "<p>This is the start URL of identity store <code>{id}</code>:</p><pre>{url}</pre>\
             <p>Sign in from a command line with an <code>[sso-session]</code> whose\
             <code>sso_start_url</code> is this URL (<code>aws sso login</code>), then approve the\
             code it shows on the page it points to.</p>",
            id = escape(&identity_store_id),
            url = escape(&start_url)
        ),
    )
}

async fn page(Query(q): Query<PageQuery>) -> Html<String> {
    form(q.user_code.as_deref().unwrap_or_default(), None)
}

async fn submit(State(state): State<AppState>, Form(f): Form<SignInForm>) -> Response {
    let code = f.user_code.clone();
    let outcome = signing_in(&state, move |p| {
        localorg_identitycenter::approve_device(
            p.store(),
            p.now_ms(),
            &f.user_code,
            &f.username,
            &f.password,
            Some(f.mfa_code.as_str()),
        )
    })
    .await;
    match outcome {
        Ok(()) => layout(
            "Request approved",
            "<p>You may close this window and return to your command line.</p>",
        )
        .into_response(),
        Err(e) => (StatusCode::UNAUTHORIZED, form(&code, Some(&e.to_string()))).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ApproveRequest {
    user_code: String,
    user_name: String,
    password: String,
    #[serde(default)]
    totp: Option<String>,
}

async fn approve(State(state): State<AppState>, Json(req): Json<ApproveRequest>) -> Response {
    let outcome = signing_in(&state, move |p| {
        localorg_identitycenter::approve_device(
            p.store(),
            p.now_ms(),
            &req.user_code,
            &req.user_name,
            &req.password,
            req.totp.as_deref(),
        )
    })
    .await;
    answer(outcome, serde_json::json!({"Approved": true}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SetPasswordRequest {
    #[serde(default)]
    identity_store_id: Option<String>,
    #[serde(default)]
    instance_arn: Option<String>,
    user_name: String,
    password: String,
}

/// An administrator's password reset: SigV4-signed with the administrator's AWS credentials, and
/// authorized as `identitystore:UpdateUser` on the identity store (AWS does this in its console).
async fn set_password(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    };
    let checked = tokio::task::spawn_blocking(move || {
        let (caller, region) = crate::gateway::signed_caller(
            &state,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            &parts.headers,
            &body,
        )?;
        let req: SetPasswordRequest = serde_json::from_slice(&body).map_err(|e| {
            localorg_model::ApiError::new("InvalidRequest", 400, format!("invalid request: {e}"))
        })?;
        let store = req.identity_store_id.clone().unwrap_or_default();
        state.partition.authorize(
            &caller,
            localorg_model::Service::IdentityStore,
            "UpdateUser",
            &serde_json::json!({"IdentityStoreId": store}),
            &region,
            &peer.ip().to_string(),
        )?;
        Ok::<_, localorg_model::ApiError>(
            localorg_identitycenter::set_password(
                state.partition.store(),
                state.partition.ids(),
                &caller.account_id,
                req.identity_store_id.as_deref(),
                req.instance_arn.as_deref(),
                &req.user_name,
                &req.password,
            )
            .map(|store| serde_json::json!({"PasswordSet": true, "IdentityStoreId": store})),
        )
    })
    .await;
    match checked {
        Ok(Ok(Ok(body))) => Json(body).into_response(),
        Ok(Ok(Err(e))) => answer(Err(e), serde_json::Value::Null),
        Ok(Err(e)) => {
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
            (
                status,
                Json(serde_json::json!({"code": e.code, "message": e.message})),
            )
                .into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RegisterMfaRequest {
    identity_store_id: String,
    user_name: String,
}

async fn register_mfa(
    State(state): State<AppState>,
    Json(req): Json<RegisterMfaRequest>,
) -> Response {
    let outcome = signing_in(&state, move |p| {
        localorg_identitycenter::register_mfa_device(
            p.store(),
            p.ids(),
            &req.identity_store_id,
            &req.user_name,
        )
        .map(|seed| {
            let uri = format!(
                "otpauth://totp/localorg:{}?secret={seed}&issuer=localorg",
                req.user_name
            );
            serde_json::json!({"Base32StringSeed": seed, "OtpauthUri": uri})
        })
    })
    .await;
    match outcome {
        Ok(body) => Json(body).into_response(),
        Err(e) => answer(Err(e), serde_json::Value::Null),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ScimTokenRequest {
    identity_store_id: String,
}

async fn scim_token(State(state): State<AppState>, Json(req): Json<ScimTokenRequest>) -> Response {
    let outcome = signing_in(&state, move |p| {
        localorg_identitycenter::issue_scim_token(p.store(), p.ids(), &req.identity_store_id)
    })
    .await;
    match outcome {
        Ok(token) => Json(serde_json::json!({"Token": token})).into_response(),
        Err(e) => answer(Err(e), serde_json::Value::Null),
    }
}

/// SCIM v2 (`/scim/v2/…`), served by Identity Center's SCIM module.
async fn scim(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    };
    let partition = state.partition.clone();
    let endpoint = crate::gateway::endpoint_of(&parts.headers);
    let outcome = tokio::task::spawn_blocking(move || {
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let path = parts.uri.path().trim_start_matches("/scim/v2/");
        localorg_identitycenter::scim(
            partition.store(),
            partition.ids(),
            partition.now_ms(),
            &localorg_identitycenter::ScimRequest {
                method: parts.method.as_str(),
                path,
                query: parts.uri.query().unwrap_or(""),
                bearer,
                body: &body,
                endpoint: &endpoint,
            },
        )
    })
    .await;
    match outcome {
        Ok(answer) => {
            let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
            match answer.body {
                Some(body) => (
                    status,
                    [(axum::http::header::CONTENT_TYPE, "application/scim+json")],
                    body.to_string(),
                )
                    .into_response(),
                None => status.into_response(),
            }
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn answer(outcome: Result<(), SignInError>, ok: serde_json::Value) -> Response {
    match outcome {
        Ok(()) => Json(ok).into_response(),
        Err(e) => {
            let (status, code) = match &e {
                SignInError::UnknownCode(_) => (StatusCode::BAD_REQUEST, "InvalidUserCode"),
                SignInError::BadCredentials => (StatusCode::UNAUTHORIZED, "BadCredentials"),
                SignInError::BadMfaCode => (StatusCode::UNAUTHORIZED, "BadMfaCode"),
                SignInError::Invalid(_) => (StatusCode::BAD_REQUEST, "InvalidRequest"),
                SignInError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "InternalFailure"),
            };
            (
                status,
                Json(serde_json::json!({"code": code, "message": e.to_string()})),
            )
                .into_response()
        }
    }
}
