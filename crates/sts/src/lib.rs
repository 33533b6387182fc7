//! AWS STS: temporary credentials (`AssumeRole` with trust-policy evaluation, `GetSessionToken`,
//! `GetFederationToken`, `AssumeRoot`), `GetCallerIdentity`, `GetAccessKeyInfo` and
//! `DecodeAuthorizationMessage`.
//!
//! Temporary credentials are `ASIA` keys with a session token, stored by the kernel
//! (`localorg_kernel::credentials`):
//! the gateway authenticates them like any key, checks the token and the expiry. The session's
//! context (MFA, session policies, tags, source identity) travels with the key to every request.

mod assume_role;
mod family;
mod message;
mod policies;
mod session;
mod tokens;

use std::marker::PhantomData;

use localorg_model::generated::sts::*;
use localorg_model::ApiError;

use localorg_kernel::Ctx;

pub use family::StsFamily;
pub use message::{authorization_message, encode_authorization_message};
pub use policies::{root_task_policy, ROOT_TASK_POLICIES};

/// The STS service.
pub struct Sts<'a>(PhantomData<&'a ()>);

impl Sts<'_> {
    /// The service (stateless).
    pub fn new() -> Self {
        Sts(PhantomData)
    }
}

impl Default for Sts<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> StsApi for Sts<'a> {
    type Ctx = Ctx<'a>;

    fn assume_role(
        &self,
        ctx: &mut Self::Ctx,
        input: AssumeRoleRequest,
    ) -> Result<AssumeRoleResponse, ApiError> {
        assume_role::assume_role(ctx, input)
    }

    fn assume_root(
        &self,
        ctx: &mut Self::Ctx,
        input: AssumeRootRequest,
    ) -> Result<AssumeRootResponse, ApiError> {
        tokens::assume_root(ctx, input)
    }

    fn decode_authorization_message(
        &self,
        ctx: &mut Self::Ctx,
        input: DecodeAuthorizationMessageRequest,
    ) -> Result<DecodeAuthorizationMessageResponse, ApiError> {
        let _ = ctx;
        message::decode_authorization_message(input)
    }

    fn get_access_key_info(
        &self,
        ctx: &mut Self::Ctx,
        input: GetAccessKeyInfoRequest,
    ) -> Result<GetAccessKeyInfoResponse, ApiError> {
        message::get_access_key_info(ctx, input)
    }

    /// Who signed the request. AWS answers it for every valid credential, whatever the policies say.
    fn get_caller_identity(
        &self,
        ctx: &mut Self::Ctx,
        input: GetCallerIdentityRequest,
    ) -> Result<GetCallerIdentityResponse, ApiError> {
        let _ = input;
        Ok(GetCallerIdentityResponse {
            account: Some(ctx.caller.account_id.clone()),
            arn: Some(ctx.caller.arn.clone()),
            user_id: Some(ctx.caller.user_id.clone()),
        })
    }

    fn get_federation_token(
        &self,
        ctx: &mut Self::Ctx,
        input: GetFederationTokenRequest,
    ) -> Result<GetFederationTokenResponse, ApiError> {
        tokens::get_federation_token(ctx, input)
    }

    fn get_session_token(
        &self,
        ctx: &mut Self::Ctx,
        input: GetSessionTokenRequest,
    ) -> Result<GetSessionTokenResponse, ApiError> {
        tokens::get_session_token(ctx, input)
    }
}
