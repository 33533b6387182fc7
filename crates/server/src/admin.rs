//! Admin endpoints under `/_localorg/` (plus moto's reset path, for suites written for moto_server).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use localorg_model::ApiError;
use serde::Deserialize;

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_localorg/health", get(health))
        .route("/_localorg/reset", post(reset))
        .route("/_localorg/cloudtrail/deliver", post(deliver_trails))
        .route("/moto-api/reset", post(reset))
        .route("/_localorg/signup", post(signup))
        .route("/_localorg/complete-signup", post(complete_signup))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn reset(State(state): State<AppState>) -> Response {
    let partition = state.partition.clone();
    let blobs = state.blobs.clone();
    let trail = state.trail.clone();
    blocking(move || {
        trail.clear();
        partition.reset()?;
        // Object bodies go with the state that referred to them.
        blobs.clear();
        Ok(serde_json::json!({"reset": true}))
    })
    .await
}

/// Stores CloudTrail's waiting events and delivers every logging trail now (instead of waiting
/// for `--trail-delivery-interval`).
async fn deliver_trails(State(state): State<AppState>) -> Response {
    blocking(move || {
        state.deliver_trails();
        Ok(serde_json::json!({"delivered": true}))
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SignupRequest {
    email: String,
    account_name: String,
}

async fn signup(State(state): State<AppState>, Json(req): Json<SignupRequest>) -> Response {
    let partition = state.partition.clone();
    blocking(move || partition.signup(&req.email, &req.account_name)).await
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CompleteSignupRequest {
    account_id: String,
}

async fn complete_signup(
    State(state): State<AppState>,
    Json(req): Json<CompleteSignupRequest>,
) -> Response {
    let partition = state.partition.clone();
    blocking(move || partition.complete_signup(&req.account_id)).await
}

/// Runs a partition call off the async threads and renders its JSON answer or error.
async fn blocking<T: serde::Serialize + Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(value)) => Json(value).into_response(),
        Ok(Err(e)) => {
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
            (
                status,
                Json(serde_json::json!({"code": e.code, "message": e.message})),
            )
                .into_response()
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({"code": "InternalFailure", "message": e.to_string()})),
        )
            .into_response(),
    }
}
