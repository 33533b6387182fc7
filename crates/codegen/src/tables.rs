//! Facts about the services that the botocore models do not carry.

/// What codegen needs to know about one vendored model beyond the model itself.
pub struct ServiceInfo {
    /// botocore model name (the file stem under `models/`).
    pub model: &'static str,
    /// The `localorg_model::Service` variant.
    pub variant: &'static str,
    /// IAM action prefix (the "service prefix" of the Service Authorization Reference), or `None` when
    /// no operation is authorised by IAM (the access portal takes a bearer token).
    pub iam_prefix: Option<&'static str>,
    /// Whether operations the model marks unsigned (`authtype: none` / `smithy.api#noAuth`) still have an IAM action. True for STS:
    /// `AssumeRoleWithSAML`/`AssumeRoleWithWebIdentity` are unsigned, yet the role's trust policy is
    /// evaluated for `sts:AssumeRoleWithSAML`/`sts:AssumeRoleWithWebIdentity`. False for SSO OIDC,
    /// whose unsigned operations (`CreateToken`, `RegisterClient`, `StartDeviceAuthorization`) are
    /// not IAM-authorised; its one signed operation, `CreateTokenWithIAM`, is `sso-oauth:...`.
    pub unsigned_ops_have_action: bool,
}

/// Every service codegen knows. A model under `models/` that is missing here is an error.
///
/// IAM prefixes from the AWS Service Authorization Reference ("Actions, resources, and condition keys
/// for ..."): Identity Center administration (`sso-admin`) authorises as `sso:`, its OIDC service as
/// `sso-oauth:`.
pub const SERVICES: &[ServiceInfo] = &[
    ServiceInfo {
        model: "account",
        variant: "Account",
        iam_prefix: Some("account"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "budgets",
        variant: "Budgets",
        iam_prefix: Some("budgets"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "ce",
        variant: "CostExplorer",
        iam_prefix: Some("ce"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "cloudtrail",
        variant: "CloudTrail",
        iam_prefix: Some("cloudtrail"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "iam",
        variant: "Iam",
        iam_prefix: Some("iam"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "identitystore",
        variant: "IdentityStore",
        iam_prefix: Some("identitystore"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "organizations",
        variant: "Organizations",
        iam_prefix: Some("organizations"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "sso",
        variant: "SsoPortal",
        iam_prefix: None,
        unsigned_ops_have_action: false,
    },
    ServiceInfo {
        model: "sso-admin",
        variant: "SsoAdmin",
        iam_prefix: Some("sso"),
        unsigned_ops_have_action: true,
    },
    ServiceInfo {
        model: "sso-oidc",
        variant: "SsoOidc",
        iam_prefix: Some("sso-oauth"),
        unsigned_ops_have_action: false,
    },
    ServiceInfo {
        model: "sts",
        variant: "Sts",
        iam_prefix: Some("sts"),
        unsigned_ops_have_action: true,
    },
];

/// Operations whose IAM action is not `<prefix>:<OperationName>`: `(model, operation, action)`.
///
/// AWS Budgets, from the Service Authorization Reference page "Actions, resources, and condition keys
/// for AWS Budget Service" (its "API operations" table maps e.g. `CreateBudget`, `CreateNotification`,
/// `CreateSubscriber` and `DeleteBudget` to `budgets:ModifyBudget`): budgets, notifications and
/// subscribers are read with `budgets:ViewBudget` and written with `budgets:ModifyBudget`; budget
/// actions and tagging have actions of their own names (so they are not listed here).
pub const ACTION_OVERRIDES: &[(&str, &str, &str)] = &[
    ("budgets", "CreateBudget", "budgets:ModifyBudget"),
    ("budgets", "UpdateBudget", "budgets:ModifyBudget"),
    ("budgets", "DeleteBudget", "budgets:ModifyBudget"),
    ("budgets", "CreateNotification", "budgets:ModifyBudget"),
    ("budgets", "UpdateNotification", "budgets:ModifyBudget"),
    ("budgets", "DeleteNotification", "budgets:ModifyBudget"),
    ("budgets", "CreateSubscriber", "budgets:ModifyBudget"),
    ("budgets", "UpdateSubscriber", "budgets:ModifyBudget"),
    ("budgets", "DeleteSubscriber", "budgets:ModifyBudget"),
    ("budgets", "DescribeBudget", "budgets:ViewBudget"),
    ("budgets", "DescribeBudgets", "budgets:ViewBudget"),
    (
        "budgets",
        "DescribeBudgetPerformanceHistory",
        "budgets:ViewBudget",
    ),
    (
        "budgets",
        "DescribeBudgetNotificationsForAccount",
        "budgets:ViewBudget",
    ),
    (
        "budgets",
        "DescribeNotificationsForBudget",
        "budgets:ViewBudget",
    ),
    (
        "budgets",
        "DescribeSubscribersForNotification",
        "budgets:ViewBudget",
    ),
];

/// Looks a model up.
pub fn service_info(model: &str) -> Option<&'static ServiceInfo> {
    SERVICES.iter().find(|s| s.model == model)
}
