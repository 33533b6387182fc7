//! The AWS services localorg speaks, and their vendored models.

use std::sync::OnceLock;

use crate::botocore::ServiceModel;

/// One AWS service localorg knows the API of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// AWS Organizations (awsJson1.1).
    Organizations,
    /// AWS Identity and Access Management (awsQuery).
    Iam,
    /// AWS Security Token Service (awsQuery).
    Sts,
    /// IAM Identity Center administration, `sso-admin` (awsJson1.1, signs as `sso`).
    SsoAdmin,
    /// Identity Store (awsJson1.1).
    IdentityStore,
    /// The IAM Identity Center access portal, `sso` (restJson1, signs as `awsssoportal`).
    SsoPortal,
    /// IAM Identity Center OIDC, `sso-oidc` (restJson1, signs as `sso-oauth`).
    SsoOidc,
    /// AWS Account Management (restJson1).
    Account,
    /// AWS Budgets (awsJson1.1).
    Budgets,
    /// Cost Explorer (awsJson1.1).
    CostExplorer,
    /// AWS CloudTrail (awsJson1.1).
    CloudTrail,
}

impl Service {
    /// Every service, in a fixed order.
    pub const ALL: [Service; 11] = [
        Service::Organizations,
        Service::Iam,
        Service::Sts,
        Service::SsoAdmin,
        Service::IdentityStore,
        Service::SsoPortal,
        Service::SsoOidc,
        Service::Account,
        Service::Budgets,
        Service::CostExplorer,
        Service::CloudTrail,
    ];

    /// botocore's name for the service (the model file name, the CLI command).
    pub const fn model_name(self) -> &'static str {
        match self {
            Service::Organizations => "organizations",
            Service::Iam => "iam",
            Service::Sts => "sts",
            Service::SsoAdmin => "sso-admin",
            Service::IdentityStore => "identitystore",
            Service::SsoPortal => "sso",
            Service::SsoOidc => "sso-oidc",
            Service::Account => "account",
            Service::Budgets => "budgets",
            Service::CostExplorer => "ce",
            Service::CloudTrail => "cloudtrail",
        }
    }

    /// The vendored model text.
    const fn model_json(self) -> &'static str {
        match self {
            Service::Organizations => include_str!("../models/organizations.json"),
            Service::Iam => include_str!("../models/iam.json"),
            Service::Sts => include_str!("../models/sts.json"),
            Service::SsoAdmin => include_str!("../models/sso-admin.json"),
            Service::IdentityStore => include_str!("../models/identitystore.json"),
            Service::SsoPortal => include_str!("../models/sso.json"),
            Service::SsoOidc => include_str!("../models/sso-oidc.json"),
            Service::Account => include_str!("../models/account.json"),
            Service::Budgets => include_str!("../models/budgets.json"),
            Service::CostExplorer => include_str!("../models/ce.json"),
            Service::CloudTrail => include_str!("../models/cloudtrail.json"),
        }
    }

    /// The parsed model, parsed once on first use (a few milliseconds per service).
    pub fn model(self) -> &'static ServiceModel {
        static MODELS: [OnceLock<ServiceModel>; 11] = [const { OnceLock::new() }; 11];
        let slot = MODELS
            .get(self as usize)
            .unwrap_or_else(|| unreachable_slot());
        slot.get_or_init(|| parse_vendored(self.model_json()))
    }

    /// Looks a service up by botocore name.
    pub fn from_model_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.model_name() == name)
    }
}

#[expect(
    clippy::panic,
    reason = "Service::ALL and MODELS have the same length by construction"
)]
fn unreachable_slot() -> &'static OnceLock<ServiceModel> {
    panic!("service index out of range")
}

#[expect(
    clippy::panic,
    reason = "vendored models are checked by the crate's tests; a broken one is a build defect"
)]
fn parse_vendored(text: &str) -> ServiceModel {
    match serde_json::from_str(text) {
        Ok(model) => model,
        Err(e) => panic!("vendored model does not parse: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendored_model_parses_and_names_itself() {
        for service in Service::ALL {
            let model = service.model();
            assert!(!model.operations.is_empty(), "{service:?}");
            for (name, op) in &model.operations {
                assert_eq!(name, &op.name);
                if let Some(input) = &op.input {
                    assert!(model.shapes.contains_key(&input.shape), "{name}");
                }
            }
        }
        assert_eq!(Service::Organizations.model().metadata.protocol, "json");
        assert_eq!(Service::SsoAdmin.model().metadata.signing_name(), "sso");
        assert_eq!(Service::Iam.model().metadata.protocol, "query");
    }
}
