//! The catalogue of AWS managed policies (`arn:aws:iam::aws:policy/...`): present in every account,
//! read-only, with their real ids, paths, default versions, dates and documents.
//!
//! The documents under `aws_managed/` are the policies' default versions as AWS publishes them
//! (facts, vendored as data); ids and creation dates are the ones IAM reports in every account.

/// One AWS managed policy.
#[derive(Debug)]
pub(crate) struct AwsManagedPolicy {
    /// `AdministratorAccess`.
    pub name: &'static str,
    /// `ANPA...`, the same in every account.
    pub id: &'static str,
    /// `/`, `/job-function/` or `/aws-service-role/`.
    pub path: &'static str,
    /// `arn:aws:iam::aws:policy{path}{name}`.
    pub arn: &'static str,
    /// The policy's description.
    pub description: &'static str,
    /// The default version (the only one localorg keeps).
    pub default_version_id: &'static str,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Last updated (the default version's creation), ms since epoch.
    pub updated_ms: i64,
    /// The default version's document (JSON text).
    pub document: &'static str,
}

impl AwsManagedPolicy {
    /// Service-role policies can only be attached by AWS to service-linked roles.
    pub(crate) fn is_service_role_policy(&self) -> bool {
        self.path.starts_with("/aws-service-role/")
    }
}

/// Every AWS managed policy localorg knows, sorted by lower-cased name (the `ListPolicies` order).
pub(crate) static AWS_MANAGED_POLICIES: &[AwsManagedPolicy] = &[
    AwsManagedPolicy {
        name: "AdministratorAccess",
        id: "ANPAIWMBCKSKIEE64ZLYK",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AdministratorAccess",
        description: "Provides full access to AWS services and resources.",
        default_version_id: "v1",
        created_ms: 1423247986000, // 2015-02-06T18:39:46.000Z
        updated_ms: 1423247986000, // 2015-02-06T18:39:46.000Z
        document: include_str!("aws_managed/AdministratorAccess.json"),
    },
    AwsManagedPolicy {
        name: "AWSAccountManagementFullAccess",
        id: "ANPAZKAPJZG4NJRKI5OH5",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSAccountManagementFullAccess",
        description: "Provides full access to AWS Account Management",
        default_version_id: "v1",
        created_ms: 1633044037000, // 2021-09-30T23:20:37.000Z
        updated_ms: 1633044037000, // 2021-09-30T23:20:37.000Z
        document: include_str!("aws_managed/AWSAccountManagementFullAccess.json"),
    },
    AwsManagedPolicy {
        name: "AWSAccountManagementReadOnlyAccess",
        id: "ANPAZKAPJZG4FJMX42HLT",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSAccountManagementReadOnlyAccess",
        description: "Provides read-only access to AWS Account Management",
        default_version_id: "v1",
        created_ms: 1633044593000, // 2021-09-30T23:29:53.000Z
        updated_ms: 1633044593000, // 2021-09-30T23:29:53.000Z
        document: include_str!("aws_managed/AWSAccountManagementReadOnlyAccess.json"),
    },
    AwsManagedPolicy {
        name: "AWSBillingReadOnlyAccess",
        id: "ANPAZKAPJZG4LJ3OSZ5SX",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess",
        description: "Allows users to view bills on the Billing Console.",
        default_version_id: "v28",
        created_ms: 1598558931000, // 2020-08-27T20:08:51.000Z
        updated_ms: 1785449549000, // 2026-07-30T22:12:29.000Z
        document: include_str!("aws_managed/AWSBillingReadOnlyAccess.json"),
    },
    AwsManagedPolicy {
        name: "AWSOrganizationsFullAccess",
        id: "ANPAJZXBNRCJKNLQHSB5M",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess",
        description: "Provides full access to AWS Organizations.",
        default_version_id: "v9",
        created_ms: 1541536317000, // 2018-11-06T20:31:57.000Z
        updated_ms: 1770919147000, // 2026-02-12T17:59:07.000Z
        document: include_str!("aws_managed/AWSOrganizationsFullAccess.json"),
    },
    AwsManagedPolicy {
        name: "AWSOrganizationsReadOnlyAccess",
        id: "ANPAJY5RQATUV77PEPVOM",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSOrganizationsReadOnlyAccess",
        description: "Provides read-only access to AWS Organizations.",
        default_version_id: "v6",
        created_ms: 1541536358000, // 2018-11-06T20:32:38.000Z
        updated_ms: 1717795936000, // 2024-06-07T21:32:16.000Z
        document: include_str!("aws_managed/AWSOrganizationsReadOnlyAccess.json"),
    },
    AwsManagedPolicy {
        name: "AWSOrganizationsServiceTrustPolicy",
        id: "ANPAIQH6ROMVVECFVRJPK",
        path: "/aws-service-role/",
        arn: "arn:aws:iam::aws:policy/aws-service-role/AWSOrganizationsServiceTrustPolicy",
        description: "Policy to allow AWS Organizations to share trust with other AWS services in accounts within your organization.",
        default_version_id: "v3",
        created_ms: 1507676647000, // 2017-10-10T23:04:07.000Z
        updated_ms: 1772737929000, // 2026-03-05T19:12:09.000Z
        document: include_str!("aws_managed/AWSOrganizationsServiceTrustPolicy.json"),
    },
    AwsManagedPolicy {
        name: "AWSSSODirectoryAdministrator",
        id: "ANPAI2TCZRD7WRD5D2E2Q",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSSSODirectoryAdministrator",
        description: "Administrator access for SSO Directory",
        default_version_id: "v7",
        created_ms: 1541030040000, // 2018-10-31T23:54:00.000Z
        updated_ms: 1770919103000, // 2026-02-12T17:58:23.000Z
        document: include_str!("aws_managed/AWSSSODirectoryAdministrator.json"),
    },
    AwsManagedPolicy {
        name: "AWSSSOMasterAccountAdministrator",
        id: "ANPAIHXAQZIS3GOYIETUC",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSSSOMasterAccountAdministrator",
        description: "Provides access within AWS SSO to manage AWS Organizations master and member accounts and cloud applications",
        default_version_id: "v13",
        created_ms: 1530131811000, // 2018-06-27T20:36:51.000Z
        updated_ms: 1770919283000, // 2026-02-12T18:01:23.000Z
        document: include_str!("aws_managed/AWSSSOMasterAccountAdministrator.json"),
    },
    AwsManagedPolicy {
        name: "AWSSSOMemberAccountAdministrator",
        id: "ANPAIQYHEY7KJWXZFNDPY",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSSSOMemberAccountAdministrator",
        description: "Provides access within AWS SSO to manage AWS Organizations member accounts and cloud applications",
        default_version_id: "v11",
        created_ms: 1530132342000, // 2018-06-27T20:45:42.000Z
        updated_ms: 1770919222000, // 2026-02-12T18:00:22.000Z
        document: include_str!("aws_managed/AWSSSOMemberAccountAdministrator.json"),
    },
    AwsManagedPolicy {
        name: "AWSSSOReadOnly",
        id: "ANPAJBSMEEZXFDMKMY43I",
        path: "/",
        arn: "arn:aws:iam::aws:policy/AWSSSOReadOnly",
        description: "Provides read-only access to AWS SSO configurations.",
        default_version_id: "v12",
        created_ms: 1530131074000, // 2018-06-27T20:24:34.000Z
        updated_ms: 1770919143000, // 2026-02-12T17:59:03.000Z
        document: include_str!("aws_managed/AWSSSOReadOnly.json"),
    },
    AwsManagedPolicy {
        name: "AWSSSOServiceRolePolicy",
        id: "ANPAIJ52KSWOD4GI54XP2",
        path: "/aws-service-role/",
        arn: "arn:aws:iam::aws:policy/aws-service-role/AWSSSOServiceRolePolicy",
        description: "Grants AWS SSO permissions to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf.",
        default_version_id: "v18",
        created_ms: 1512498975000, // 2017-12-05T18:36:15.000Z
        updated_ms: 1739299026000, // 2025-02-11T18:37:06.000Z
        document: include_str!("aws_managed/AWSSSOServiceRolePolicy.json"),
    },
    AwsManagedPolicy {
        name: "Billing",
        id: "ANPAIFTHXT6FFMIRT7ZEA",
        path: "/job-function/",
        arn: "arn:aws:iam::aws:policy/job-function/Billing",
        description: "Grants permissions for billing and cost management. This includes viewing account usage and viewing and modifying budgets and payment methods.",
        default_version_id: "v30",
        created_ms: 1478799198000, // 2016-11-10T17:33:18.000Z
        updated_ms: 1785449536000, // 2026-07-30T22:12:16.000Z
        document: include_str!("aws_managed/Billing.json"),
    },
    AwsManagedPolicy {
        name: "IAMFullAccess",
        id: "ANPAI7XKCFMBPM3QQRRVQ",
        path: "/",
        arn: "arn:aws:iam::aws:policy/IAMFullAccess",
        description: "Provides full access to IAM via the AWS Management Console.",
        default_version_id: "v2",
        created_ms: 1423248038000, // 2015-02-06T18:40:38.000Z
        updated_ms: 1561146000000, // 2019-06-21T19:40:00.000Z
        document: include_str!("aws_managed/IAMFullAccess.json"),
    },
    AwsManagedPolicy {
        name: "IAMReadOnlyAccess",
        id: "ANPAJKSO7NDY4T57MWDSQ",
        path: "/",
        arn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        description: "Provides read only access to IAM via the AWS Management Console.",
        default_version_id: "v4",
        created_ms: 1423248039000, // 2015-02-06T18:40:39.000Z
        updated_ms: 1516907487000, // 2018-01-25T19:11:27.000Z
        document: include_str!("aws_managed/IAMReadOnlyAccess.json"),
    },
    AwsManagedPolicy {
        name: "IAMUserChangePassword",
        id: "ANPAJ4L4MM2A7QIEB56MS",
        path: "/",
        arn: "arn:aws:iam::aws:policy/IAMUserChangePassword",
        description: "Provides the ability for an IAM user to change their own password.",
        default_version_id: "v5",
        created_ms: 1479169516000, // 2016-11-15T00:25:16.000Z
        updated_ms: 1770919137000, // 2026-02-12T17:58:57.000Z
        document: include_str!("aws_managed/IAMUserChangePassword.json"),
    },
    AwsManagedPolicy {
        name: "PowerUserAccess",
        id: "ANPAJYRXTHIB4FOVS3ZXS",
        path: "/",
        arn: "arn:aws:iam::aws:policy/PowerUserAccess",
        description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
        default_version_id: "v12",
        created_ms: 1423247987000, // 2015-02-06T18:39:47.000Z
        updated_ms: 1770919154000, // 2026-02-12T17:59:14.000Z
        document: include_str!("aws_managed/PowerUserAccess.json"),
    },
    AwsManagedPolicy {
        name: "ReadOnlyAccess",
        id: "ANPAILL3HVNFSB6DCOWYQ",
        path: "/",
        arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        description: "Provides read-only access to AWS services and resources.",
        default_version_id: "v188",
        created_ms: 1423247988000, // 2015-02-06T18:39:48.000Z
        updated_ms: 1784659350000, // 2026-07-21T18:42:30.000Z
        document: include_str!("aws_managed/ReadOnlyAccess.json"),
    },
    AwsManagedPolicy {
        name: "SecurityAudit",
        id: "ANPAIX2T3QCXHR2OGGCTO",
        path: "/",
        arn: "arn:aws:iam::aws:policy/SecurityAudit",
        description: "The security audit template grants access to read security configuration metadata. It is useful for software that audits the configuration of an AWS account.",
        default_version_id: "v92",
        created_ms: 1423248061000, // 2015-02-06T18:41:01.000Z
        updated_ms: 1786980446000, // 2026-08-17T15:27:26.000Z
        document: include_str!("aws_managed/SecurityAudit.json"),
    },
    AwsManagedPolicy {
        name: "ViewOnlyAccess",
        id: "ANPAID22R6XPJATWOFDK6",
        path: "/job-function/",
        arn: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        description: "This policy grants permissions to view resources and basic metadata across all AWS services",
        default_version_id: "v45",
        created_ms: 1478798415000, // 2016-11-10T17:20:15.000Z
        updated_ms: 1776881541000, // 2026-04-22T18:12:21.000Z
        document: include_str!("aws_managed/ViewOnlyAccess.json"),
    },
];

/// The AWS managed policy with this ARN.
pub(crate) fn aws_managed_policy(arn: &str) -> Option<&'static AwsManagedPolicy> {
    AWS_MANAGED_POLICIES.iter().find(|p| p.arn == arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent_and_documents_parse() {
        for p in AWS_MANAGED_POLICIES {
            assert_eq!(
                p.arn,
                format!("arn:aws:iam::aws:policy{}{}", p.path, p.name)
            );
            assert!(p.id.starts_with("ANPA") && p.id.len() == 21, "{}", p.name);
            assert!(p.created_ms <= p.updated_ms, "{}", p.name);
            let doc: serde_json::Value = serde_json::from_str(p.document).unwrap();
            assert_eq!(doc["Version"], "2012-10-17", "{}", p.name);
            assert!(
                localorg_policy::PolicyDocument::parse(p.document).is_ok(),
                "{}",
                p.name
            );
        }
        let names: Vec<String> = AWS_MANAGED_POLICIES
            .iter()
            .map(|p| p.name.to_lowercase())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn lookup_by_arn() {
        let admin = aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert_eq!(admin.id, "ANPAIWMBCKSKIEE64ZLYK");
        assert!(
            aws_managed_policy("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess").is_some()
        );
        assert!(aws_managed_policy("arn:aws:iam::aws:policy/ViewOnlyAccess").is_none());
        assert!(aws_managed_policy(
            "arn:aws:iam::aws:policy/aws-service-role/AWSSSOServiceRolePolicy"
        )
        .unwrap()
        .is_service_role_policy());
    }
}
