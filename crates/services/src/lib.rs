//! The AWS services localorg plays, as domain logic over the durable store.
//!
//! The gateway hands every authenticated call to [`Partition::call`], which opens one store
//! transaction and routes the call to the service's implementation of its generated API trait
//! (`localorg_model::generated::<service>`); operations a service does not implement yet answer the
//! generated 4xx `NotImplementedException`.

pub mod authz;
pub mod context;
pub mod iam;
pub mod organizations;
pub mod partition;
pub mod sts;
pub mod tx;
mod validation;

use std::marker::PhantomData;

use localorg_model::generated as api;
use localorg_model::{ApiError, Service};

pub use context::{Caller, Clock, IdGen, ManualClock, PrincipalKind, Secret, SystemClock};
pub use partition::{Call, Credential, Partition, SignupOutput};
pub use tx::{Ctx, KeyUsage, KeyUse, Settings, TxRef};
pub use validation::validation_error;

/// Stands in for the services that are not written yet: every operation answers the generated
/// `NotImplementedException` naming it.
struct NotYet<'a>(PhantomData<&'a ()>);

macro_rules! not_yet {
    ($($module:ident :: $api:ident),* $(,)?) => {
        $(impl<'a> api::$module::$api for NotYet<'a> {
            type Ctx = Ctx<'a>;
        })*
    };
}

not_yet!(
    sso_admin::SsoAdminApi,
    identitystore::IdentitystoreApi,
    sso::SsoApi,
    sso_oidc::SsoOidcApi,
    account::AccountApi,
    budgets::BudgetsApi,
    ce::CostExplorerApi,
    cloudtrail::CloudTrailApi,
);

/// Routes one call to its service.
pub fn dispatch<'a>(
    service: Service,
    operation: &str,
    ctx: &mut Ctx<'a>,
    input: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    macro_rules! route {
        ($module:ident, $implementation:expr) => {{
            let op = api::$module::Operation::from_name(operation).ok_or_else(|| {
                ApiError::new(
                    "UnknownOperationException",
                    400,
                    format!("unknown operation {operation}"),
                )
            })?;
            api::$module::dispatch(&$implementation, ctx, op, input)
        }};
    }
    let not_yet = NotYet::<'a>(PhantomData);
    match service {
        Service::Organizations => route!(organizations, organizations::Organizations::<'a>::new()),
        Service::Iam => route!(iam, iam::Iam::<'a>::new()),
        Service::Sts => route!(sts, sts::Sts::<'a>::new()),
        Service::SsoAdmin => route!(sso_admin, not_yet),
        Service::IdentityStore => route!(identitystore, not_yet),
        Service::SsoPortal => route!(sso, not_yet),
        Service::SsoOidc => route!(sso_oidc, not_yet),
        Service::Account => route!(account, not_yet),
        Service::Budgets => route!(budgets, not_yet),
        Service::CostExplorer => route!(ce, not_yet),
        Service::CloudTrail => route!(cloudtrail, not_yet),
    }
}
