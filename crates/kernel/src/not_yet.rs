//! Services no family plays yet: every operation answers the generated 4xx
//! `NotImplementedException` naming it, so clients get a clear answer and never a 5xx.

use std::marker::PhantomData;

use localorg_model::generated as api;
use localorg_model::{ApiError, Service};

use crate::tx::Ctx;

struct NotYet<'a>(PhantomData<&'a ()>);

macro_rules! not_yet {
    ($($module:ident :: $api:ident),* $(,)?) => {
        $(impl<'a> api::$module::$api for NotYet<'a> {
            type Ctx = Ctx<'a>;
        })*
    };
}

not_yet!(
    organizations::OrganizationsApi,
    iam::IamApi,
    sts::StsApi,
    sso_admin::SsoAdminApi,
    identitystore::IdentitystoreApi,
    sso::SsoApi,
    sso_oidc::SsoOidcApi,
    account::AccountApi,
    budgets::BudgetsApi,
    ce::CostExplorerApi,
    cloudtrail::CloudTrailApi,
);

/// Answers a call to a service no family of the partition plays.
pub fn dispatch<'a>(
    service: Service,
    operation: &str,
    ctx: &mut Ctx<'a>,
    input: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    let not_yet = NotYet::<'a>(PhantomData);
    match service {
        Service::Organizations => {
            crate::dispatch_generated!(organizations, not_yet, ctx, operation, input)
        }
        Service::Iam => crate::dispatch_generated!(iam, not_yet, ctx, operation, input),
        Service::Sts => crate::dispatch_generated!(sts, not_yet, ctx, operation, input),
        Service::SsoAdmin => crate::dispatch_generated!(sso_admin, not_yet, ctx, operation, input),
        Service::IdentityStore => {
            crate::dispatch_generated!(identitystore, not_yet, ctx, operation, input)
        }
        Service::SsoPortal => crate::dispatch_generated!(sso, not_yet, ctx, operation, input),
        Service::SsoOidc => crate::dispatch_generated!(sso_oidc, not_yet, ctx, operation, input),
        Service::Account => crate::dispatch_generated!(account, not_yet, ctx, operation, input),
        Service::Budgets => crate::dispatch_generated!(budgets, not_yet, ctx, operation, input),
        Service::CostExplorer => crate::dispatch_generated!(ce, not_yet, ctx, operation, input),
        Service::CloudTrail => {
            crate::dispatch_generated!(cloudtrail, not_yet, ctx, operation, input)
        }
    }
}

/// `UnknownOperationException`: the model has no operation of that name.
pub fn unknown_operation(operation: &str) -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        400,
        format!("unknown operation {operation}"),
    )
}
