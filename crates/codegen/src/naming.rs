//! Turning model names (shape, member, operation and enum value names) into Rust identifiers.

/// Rust keywords (strict and reserved, 2021 edition) that need `r#` as snake-case identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Splits a name into words: at every non-alphanumeric character, at a lower-case letter or digit
/// followed by an upper-case letter, and before the last capital of an acronym followed by a
/// lower-case letter (`IAMUser` -> `IAM`, `User`). Digits stay with the word before them (`S3Bucket`
/// -> `S3`, `Bucket`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = if i == 0 {
            None
        } else {
            chars.get(i - 1).copied()
        };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_ascii_alphanumeric() && c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `IAMUserAccessToBilling` -> `iam_user_access_to_billing`; keywords become raw identifiers.
pub fn snake_case(name: &str) -> String {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    escape_ident(s)
}

/// `CreateAccount` -> `CREATE_ACCOUNT`.
pub fn screaming_snake_case(name: &str) -> String {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// `CONSOLIDATED_BILLING` -> `ConsolidatedBilling`, `aws-managed` -> `AwsManaged`,
/// `text/csv` -> `TextCsv`. A leading digit gets a `V` prefix; an empty value becomes `Empty`.
pub fn upper_camel_case(name: &str) -> String {
    let mut s = String::new();
    for w in words(name) {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            s.push(first.to_ascii_uppercase());
            s.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if s.is_empty() {
        return "Empty".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    escape_ident(s)
}

/// A shape name as a Rust type name: the model's spelling with the first letter capitalised
/// (`statusType` -> `StatusType`), other characters than `[A-Za-z0-9_]` replaced by `_`.
pub fn type_name(shape: &str) -> String {
    let mut s: String = shape
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Some(first) = s.get(0..1) {
        let upper = first.to_ascii_uppercase();
        s.replace_range(0..1, &upper);
    }
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'T');
    }
    escape_ident(s)
}

/// Service trait name from `metadata.serviceId`: words split at spaces; an all-capitals word
/// becomes `Xxx` (`IAM` -> `Iam`, `SSO OIDC` -> `SsoOidc`), any other word keeps its spelling with a
/// capital first letter (`CloudTrail`, `identitystore` -> `Identitystore`); then `Api`.
pub fn trait_name(service_id: &str) -> String {
    let mut s = String::new();
    for word in service_id.split(|c: char| !c.is_ascii_alphanumeric()) {
        let all_caps = word.chars().all(|c| !c.is_ascii_lowercase());
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            s.push(first.to_ascii_uppercase());
            if all_caps {
                s.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                s.extend(chars);
            }
        }
    }
    s.push_str("Api");
    s
}

fn escape_ident(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        assert_eq!(snake_case("AccountName"), "account_name");
        assert_eq!(
            snake_case("IAMUserAccessToBilling"),
            "iam_user_access_to_billing"
        );
        assert_eq!(
            snake_case("IamUserAccessToBilling"),
            "iam_user_access_to_billing"
        );
        assert_eq!(snake_case("NextToken"), "next_token");
        assert_eq!(snake_case("S3BucketName"), "s3_bucket_name");
        assert_eq!(snake_case("GetSAMLProvider"), "get_saml_provider");
        assert_eq!(snake_case("clientId"), "client_id");
        assert_eq!(snake_case("Type"), "r#type");
        assert_eq!(snake_case("Self"), "self_");
        assert_eq!(snake_case("SHA256Digest"), "sha256_digest");
        assert_eq!(snake_case("MFADevices"), "mfa_devices");
    }

    #[test]
    fn camel_and_screaming() {
        assert_eq!(
            upper_camel_case("CONSOLIDATED_BILLING"),
            "ConsolidatedBilling"
        );
        assert_eq!(upper_camel_case("InProgress"), "InProgress");
        assert_eq!(upper_camel_case("aws-managed"), "AwsManaged");
        assert_eq!(
            upper_camel_case("CostCategoryExpression.v1"),
            "CostCategoryExpressionV1"
        );
        assert_eq!(
            upper_camel_case("urn:ietf:params:oauth:grant-type:jwt-bearer"),
            "UrnIetfParamsOauthGrantTypeJwtBearer"
        );
        assert_eq!(upper_camel_case("30"), "V30");
        assert_eq!(upper_camel_case(""), "Empty");
        assert_eq!(
            screaming_snake_case("AWSOrganizationsNotInUseException"),
            "AWS_ORGANIZATIONS_NOT_IN_USE_EXCEPTION"
        );
        assert_eq!(type_name("statusType"), "StatusType");
    }

    #[test]
    fn traits() {
        assert_eq!(trait_name("Organizations"), "OrganizationsApi");
        assert_eq!(trait_name("IAM"), "IamApi");
        assert_eq!(trait_name("SSO Admin"), "SsoAdminApi");
        assert_eq!(trait_name("SSO OIDC"), "SsoOidcApi");
        assert_eq!(trait_name("identitystore"), "IdentitystoreApi");
        assert_eq!(trait_name("Cost Explorer"), "CostExplorerApi");
        assert_eq!(trait_name("CloudTrail"), "CloudTrailApi");
    }
}
