//! Tests of the generated typed API (`src/generated`, from `cargo run -p codegen`).

use localorg_model::generated::{
    account, budgets, ce, cloudtrail, iam, identitystore, organizations, sso, sso_admin, sso_oidc,
    sts,
};
use localorg_model::{ApiError, Service, Timestamp};
use serde_json::json;

use organizations::{
    CreateAccountRequest, DescribeOrganizationResponse, IAMUserAccessToBilling, Organization,
    OrganizationFeatureSet, Tag,
};

#[test]
fn create_account_request_reads_canonical_json() {
    let input: CreateAccountRequest = serde_json::from_value(json!({
        "AccountName": "dev",
        "Email": "dev@example.com",
        "IamUserAccessToBilling": "ALLOW",
        "Tags": [{"Key": "team", "Value": "core"}],
        "SomethingNew": 1
    }))
    .unwrap();
    assert_eq!(
        input,
        CreateAccountRequest {
            account_name: "dev".into(),
            email: "dev@example.com".into(),
            iam_user_access_to_billing: Some(IAMUserAccessToBilling::Allow),
            role_name: None,
            tags: Some(vec![Tag {
                key: "team".into(),
                value: "core".into()
            }]),
        }
    );
    // Optional members absent or null are None; they are not written back.
    let input: CreateAccountRequest =
        serde_json::from_value(json!({"AccountName": "a", "Email": "e", "RoleName": null}))
            .unwrap();
    assert_eq!(input.role_name, None);
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"AccountName": "a", "Email": "e"})
    );
    // A required member missing, or an enum value unknown, is an error.
    let err =
        serde_json::from_value::<CreateAccountRequest>(json!({"AccountName": "a"})).unwrap_err();
    assert!(err.to_string().contains("missing field `Email`"), "{err}");
    let err = serde_json::from_value::<CreateAccountRequest>(
        json!({"AccountName": "a", "Email": "e", "IamUserAccessToBilling": "MAYBE"}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("MAYBE"), "{err}");
    // From text too (borrowed keys).
    let input: CreateAccountRequest =
        serde_json::from_str(r#"{"Email":"e","AccountName":"a"}"#).unwrap();
    assert_eq!(input.email, "e");
}

#[test]
fn describe_organization_response_writes_canonical_json() {
    let out = DescribeOrganizationResponse {
        organization: Some(Organization {
            id: Some("o-abcdefghij".into()),
            feature_set: Some(OrganizationFeatureSet::ConsolidatedBilling),
            ..Default::default()
        }),
    };
    let value = serde_json::to_value(&out).unwrap();
    assert_eq!(
        value,
        json!({"Organization": {"Id": "o-abcdefghij", "FeatureSet": "CONSOLIDATED_BILLING"}})
    );
    let back: DescribeOrganizationResponse = serde_json::from_value(value).unwrap();
    assert_eq!(back, out);
}

#[test]
fn enums_round_trip_through_every_form() {
    assert_eq!(
        OrganizationFeatureSet::ALL,
        &[
            OrganizationFeatureSet::All,
            OrganizationFeatureSet::ConsolidatedBilling
        ]
    );
    for v in OrganizationFeatureSet::ALL {
        assert_eq!(OrganizationFeatureSet::from_str_value(v.as_str()), Some(*v));
        assert_eq!(v.to_string().parse::<OrganizationFeatureSet>(), Ok(*v));
    }
    let err = "NOPE".parse::<OrganizationFeatureSet>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "`NOPE` is not a valid OrganizationFeatureSet value"
    );
    // Values that are not identifiers.
    assert_eq!(
        sso_admin::GrantType::from_str_value("urn:ietf:params:oauth:grant-type:jwt-bearer"),
        Some(sso_admin::GrantType::UrnIetfParamsOauthGrantTypeJwtBearer)
    );
}

#[test]
fn timestamps_blobs_and_recursion() {
    let creds: sts::Credentials = serde_json::from_value(json!({
        "AccessKeyId": "ASIA", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": 1700000000.5
    }))
    .unwrap();
    assert_eq!(creds.expiration, Timestamp(1_700_000_000.5));
    let out: iam::GetCredentialReportResponse =
        serde_json::from_value(json!({"Content": "aGVsbG8=", "ReportFormat": "text/csv"})).unwrap();
    assert_eq!(
        out.content.as_ref().map(|b| b.0.as_slice()),
        Some(&b"hello"[..])
    );
    assert_eq!(out.report_format, Some(iam::ReportFormatType::TextCsv));
    let expr: ce::Expression = serde_json::from_value(json!({
        "Not": {"Or": [{"Dimensions": {"Key": "SERVICE", "Values": ["x"]}}, {"Not": {}}]}
    }))
    .unwrap();
    let inner = expr
        .not
        .as_deref()
        .and_then(|e| e.or.as_ref())
        .map(Vec::len);
    assert_eq!(inner, Some(2));
}

#[test]
fn error_specs() {
    let e = organizations::errors::DUPLICATE_ACCOUNT_EXCEPTION.error("exists");
    assert_eq!(
        (
            e.code.as_ref(),
            e.status,
            e.sender_fault,
            e.message.as_str()
        ),
        ("DuplicateAccountException", 400, true, "exists")
    );
    let e = iam::errors::NO_SUCH_ENTITY_EXCEPTION.error("no user");
    assert_eq!((e.code.as_ref(), e.status), ("NoSuchEntity", 404));
    assert_eq!(
        iam::error_spec("NoSuchEntityException"),
        Some(iam::errors::NO_SUCH_ENTITY_EXCEPTION)
    );
    assert_eq!(
        iam::error_spec_by_code("NoSuchEntity"),
        Some(iam::errors::NO_SUCH_ENTITY_EXCEPTION)
    );
    let fault = iam::errors::SERVICE_FAILURE_EXCEPTION;
    assert_eq!((fault.status, fault.sender_fault), (500, false));
    // `fault: true` without a status: a 500.
    let fault = organizations::errors::SERVICE_EXCEPTION;
    assert_eq!((fault.status, fault.sender_fault), (500, false));
    assert!(organizations::ERRORS
        .iter()
        .any(|e| e.shape == "AccessDeniedException"));
    assert_eq!(
        sts::errors::EXPIRED_TOKEN_EXCEPTION.code,
        "ExpiredTokenException"
    );
}

/// Checks one service module against its model.
macro_rules! check_operations {
    ($module:ident, $service:expr, signed: $signed:expr) => {{
        let model = $service.model();
        assert_eq!($module::SERVICE, $service);
        assert_eq!($module::SERVICE_ID, model.metadata.service_id);
        assert_eq!(
            $module::Operation::ALL.len(),
            model.operations.len(),
            "{}",
            stringify!($module)
        );
        for op in $module::Operation::ALL {
            let m = &model.operations[op.name()];
            assert_eq!($module::Operation::from_name(op.name()), Some(*op));
            assert_eq!(op.input_shape(), m.input.as_ref().map(|r| r.shape.as_str()));
            assert_eq!(
                op.output_shape(),
                m.output.as_ref().map(|r| r.shape.as_str())
            );
            let signed: fn(&localorg_model::botocore::Operation) -> bool = $signed;
            if signed(m) {
                let action = op
                    .iam_action()
                    .unwrap_or_else(|| panic!("{op} has no IAM action"));
                assert!(action.contains(':'), "{action}");
            } else {
                assert_eq!(op.iam_action(), None, "{op}");
            }
        }
        assert_eq!($module::Operation::from_name("NoSuchOperation"), None);
        assert_eq!(
            $module::ERRORS.len(),
            model.shapes.values().filter(|s| s.exception).count()
        );
    }};
}

#[test]
fn operations_match_the_models() {
    let all = |_: &localorg_model::botocore::Operation| true;
    check_operations!(organizations, Service::Organizations, signed: all);
    check_operations!(iam, Service::Iam, signed: all);
    check_operations!(sts, Service::Sts, signed: all);
    check_operations!(sso_admin, Service::SsoAdmin, signed: all);
    check_operations!(identitystore, Service::IdentityStore, signed: all);
    check_operations!(account, Service::Account, signed: all);
    check_operations!(budgets, Service::Budgets, signed: all);
    check_operations!(ce, Service::CostExplorer, signed: all);
    check_operations!(cloudtrail, Service::CloudTrail, signed: all);
    check_operations!(sso, Service::SsoPortal, signed: |_| false);
    check_operations!(sso_oidc, Service::SsoOidc, signed: |op| !op.is_unsigned());

    use organizations::Operation as O;
    assert_eq!(
        O::CreateAccount.iam_action(),
        Some("organizations:CreateAccount")
    );
    assert_eq!(
        sso_admin::Operation::CreatePermissionSet.iam_action(),
        Some("sso:CreatePermissionSet")
    );
    assert_eq!(
        budgets::Operation::DescribeBudgets.iam_action(),
        Some("budgets:ViewBudget")
    );
    assert_eq!(
        budgets::Operation::CreateBudget.iam_action(),
        Some("budgets:ModifyBudget")
    );
    assert_eq!(
        budgets::Operation::CreateBudgetAction.iam_action(),
        Some("budgets:CreateBudgetAction")
    );
    assert_eq!(
        sts::Operation::AssumeRoleWithWebIdentity.iam_action(),
        Some("sts:AssumeRoleWithWebIdentity")
    );
    assert_eq!(sso_oidc::Operation::CreateToken.iam_action(), None);
    assert_eq!(
        sso_oidc::Operation::CreateTokenWithIAM.iam_action(),
        Some("sso-oauth:CreateTokenWithIAM")
    );
}

struct Unimplemented;

impl organizations::OrganizationsApi for Unimplemented {
    type Ctx = ();
}

struct Partial;

impl organizations::OrganizationsApi for Partial {
    type Ctx = Vec<String>;

    fn create_account(
        &self,
        ctx: &mut Vec<String>,
        input: CreateAccountRequest,
    ) -> Result<organizations::CreateAccountResponse, ApiError> {
        ctx.push(input.account_name);
        Ok(organizations::CreateAccountResponse {
            create_account_status: Some(organizations::CreateAccountStatus {
                id: Some("car-1".into()),
                state: Some(organizations::CreateAccountState::InProgress),
                ..Default::default()
            }),
        })
    }

    fn delete_organization(&self, ctx: &mut Vec<String>) -> Result<(), ApiError> {
        ctx.push("deleted".into());
        Ok(())
    }
}

#[test]
fn dispatch_runs_the_trait() {
    use organizations::{dispatch, Operation};
    let err = dispatch(
        &Unimplemented,
        &mut (),
        Operation::CreateAccount,
        json!({"AccountName": "a", "Email": "e"}),
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.status),
        ("NotImplementedException", 400)
    );
    assert!(err.message.contains("CreateAccount"), "{}", err.message);
    let err = dispatch(
        &Unimplemented,
        &mut (),
        Operation::DescribeOrganization,
        json!({}),
    )
    .unwrap_err();
    assert!(
        err.message.contains("DescribeOrganization"),
        "{}",
        err.message
    );

    let mut log = Vec::new();
    let out = dispatch(
        &Partial,
        &mut log,
        Operation::CreateAccount,
        json!({"AccountName": "a", "Email": "e"}),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"CreateAccountStatus": {"Id": "car-1", "State": "IN_PROGRESS"}})
    );
    let out = dispatch(
        &Partial,
        &mut log,
        Operation::DeleteOrganization,
        serde_json::Value::Null,
    )
    .unwrap();
    assert_eq!(out, json!({}));
    assert_eq!(log, ["a", "deleted"]);

    let err = dispatch(
        &Partial,
        &mut log,
        Operation::CreateAccount,
        json!({"AccountName": 5, "Email": "e"}),
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_ref(), err.status),
        ("SerializationException", 400)
    );
    assert!(err.message.contains("CreateAccount"), "{}", err.message);

    // The trait is object safe for a fixed context type.
    let api: &dyn organizations::OrganizationsApi<Ctx = ()> = &Unimplemented;
    assert!(dispatch(api, &mut (), Operation::ListRoots, json!({})).is_err());
}
