//! AWS STS. `GetCallerIdentity` for now (the rest of STS arrives with IAM).

use std::marker::PhantomData;

use localorg_model::generated::sts::{GetCallerIdentityRequest, GetCallerIdentityResponse, StsApi};
use localorg_model::ApiError;

use crate::tx::Ctx;

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
}
