//! Which service and operation a request is for.

use std::collections::HashMap;
use std::sync::OnceLock;

use localorg_model::Service;

use crate::error::WireError;
use crate::rest::Template;
use crate::{protocol_of, HttpRequest, Protocol};

/// One restJson1 route.
struct Route {
    service: Service,
    operation: &'static str,
    method: &'static str,
    template: Template,
}

/// Lookup tables, built once from the models.
struct Tables {
    /// SigV4 credential-scope service name (and endpoint prefix) -> service.
    by_signing: HashMap<&'static str, Service>,
    /// `X-Amz-Target` prefix (full and last dotted segment) -> service.
    by_target: HashMap<&'static str, Service>,
    /// restJson1 routes, most specific first.
    routes: Vec<Route>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut by_signing = HashMap::new();
        let mut by_target = HashMap::new();
        let mut routes = Vec::new();
        for s in Service::ALL {
            let meta = &s.model().metadata;
            by_signing.insert(meta.signing_name(), s);
        }
        for s in Service::ALL {
            let model = s.model();
            // Endpoint prefixes as aliases where they do not shadow a signing name.
            by_signing
                .entry(model.metadata.endpoint_prefix.as_str())
                .or_insert(s);
            if let Some(prefix) = model.metadata.target_prefix.as_deref() {
                by_target.insert(prefix, s);
                if let Some((_, short)) = prefix.rsplit_once('.') {
                    by_target.entry(short).or_insert(s);
                }
            }
            if protocol_of(s) == Protocol::RestJson1 {
                for (name, op) in &model.operations {
                    routes.push(Route {
                        service: s,
                        operation: name.as_str(),
                        method: op.http.method.as_str(),
                        template: Template::parse(&op.http.request_uri),
                    });
                }
            }
        }
        routes.sort_by_key(|r| std::cmp::Reverse(r.template.specificity()));
        Tables {
            by_signing,
            by_target,
            routes,
        }
    })
}

/// The service and operation of a request.
///
/// Order: the SigV4 credential-scope service name (`signing_service`, from the verified or
/// merely parsed `Authorization` header or `X-Amz-Credential`; `sso` is sso-admin, `awsssoportal`
/// the portal, `sso-oauth` OIDC), then the `X-Amz-Target` prefix (CloudTrail's short
/// `CloudTrail_20131101.` prefix is accepted too), then the awsQuery `Action` parameter (query string
/// or form body; `Version` tells IAM `2010-05-08` from STS `2011-06-15`), then the method and path
/// against every restJson1 request URI template. A signing name localorg does not know is ignored.
///
/// The returned operation name is the model's (`'static`).
pub fn detect(
    req: &HttpRequest<'_>,
    signing_service: Option<&str>,
) -> Result<(Service, &'static str), WireError> {
    let t = tables();
    if let Some(service) = signing_service.and_then(|n| t.by_signing.get(n)) {
        return detect_in(t, *service, req);
    }
    if let Some(target) = target_header(req) {
        let (prefix, op) = target.rsplit_once('.').unwrap_or(("", target));
        let Some(&service) = t.by_target.get(prefix) else {
            return Err(WireError::UnknownService);
        };
        return json_op(service, op);
    }
    if let Some(action) = param(req, "Action") {
        let version = param(req, "Version");
        let mut known = None;
        for s in Service::ALL {
            if protocol_of(s) != Protocol::AwsQuery {
                continue;
            }
            let model = s.model();
            let Some((name, _)) = model.operations.get_key_value(action.as_ref()) else {
                continue;
            };
            if version
                .as_deref()
                .is_none_or(|v| v == model.metadata.api_version)
            {
                return Ok((s, name.as_str()));
            }
            known = Some(name.as_str());
        }
        return Err(match (known, version) {
            (Some(op), Some(v)) => WireError::InvalidAction {
                operation: op.to_owned(),
                version: v.into_owned(),
            },
            _ => WireError::UnknownOperation {
                protocol: Some(Protocol::AwsQuery),
                operation: action.into_owned(),
            },
        });
    }
    route(t, None, req).ok_or(WireError::UnknownService)
}

fn detect_in(
    t: &Tables,
    service: Service,
    req: &HttpRequest<'_>,
) -> Result<(Service, &'static str), WireError> {
    let protocol = protocol_of(service);
    let unknown = |operation: String| WireError::UnknownOperation {
        protocol: Some(protocol),
        operation,
    };
    match protocol {
        Protocol::AwsJson10 | Protocol::AwsJson11 => {
            let Some(target) = target_header(req) else {
                return Err(unknown(String::new()));
            };
            let (prefix, op) = target.rsplit_once('.').unwrap_or(("", target));
            if t.by_target.get(prefix) != Some(&service) {
                return Err(unknown(target.to_owned()));
            }
            json_op(service, op)
        }
        Protocol::AwsQuery => {
            let Some(action) = param(req, "Action") else {
                return Err(unknown(String::new()));
            };
            let model = service.model();
            match model.operations.get_key_value(action.as_ref()) {
                Some((name, _)) => Ok((service, name.as_str())),
                None => Err(match param(req, "Version") {
                    Some(v) => WireError::InvalidAction {
                        operation: action.into_owned(),
                        version: v.into_owned(),
                    },
                    None => unknown(action.into_owned()),
                }),
            }
        }
        Protocol::RestJson1 => route(t, Some(service), req)
            .ok_or_else(|| unknown(format!("{} {}", req.method, req.path))),
    }
}

fn json_op(service: Service, op: &str) -> Result<(Service, &'static str), WireError> {
    match service.model().operations.get_key_value(op) {
        Some((name, _)) => Ok((service, name.as_str())),
        None => Err(WireError::UnknownOperation {
            protocol: Some(protocol_of(service)),
            operation: op.to_owned(),
        }),
    }
}

fn target_header<'a>(req: &'a HttpRequest<'_>) -> Option<&'a str> {
    req.headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
}

/// A form parameter from the query string or (for form bodies) the body.
fn param<'a>(req: &'a HttpRequest<'_>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    let from_query = form_urlencoded::parse(req.query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v);
    if from_query.is_some() {
        return from_query;
    }
    let form = req
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !form || req.body.first() == Some(&b'{') {
        return None;
    }
    form_urlencoded::parse(req.body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The parsed request URI template of a restJson1 operation (built once with the routing table).
pub(crate) fn template(service: Service, operation: &str) -> Option<&'static Template> {
    tables()
        .routes
        .iter()
        .find(|r| r.service == service && r.operation == operation)
        .map(|r| &r.template)
}

fn route(
    t: &Tables,
    only: Option<Service>,
    req: &HttpRequest<'_>,
) -> Option<(Service, &'static str)> {
    t.routes
        .iter()
        .filter(|r| only.is_none_or(|s| s == r.service))
        .filter(|r| r.method.eq_ignore_ascii_case(req.method))
        .find(|r| r.template.matches(req.path, req.query).is_some())
        .map(|r| (r.service, r.operation))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(
        method: &'a str,
        path: &'a str,
        query: &'a str,
        headers: &'a http::HeaderMap,
        body: &'a [u8],
    ) -> HttpRequest<'a> {
        HttpRequest {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    fn target(t: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert("x-amz-target", t.parse().unwrap());
        h
    }

    #[test]
    fn by_target() {
        let h = target("AWSOrganizationsV20161128.CreateAccount");
        assert_eq!(
            detect(&req("POST", "/", "", &h, b"{}"), None).unwrap(),
            (Service::Organizations, "CreateAccount")
        );
        assert_eq!(
            detect(&req("POST", "/", "", &h, b"{}"), Some("organizations")).unwrap(),
            (Service::Organizations, "CreateAccount")
        );
        let h = target("CloudTrail_20131101.DescribeTrails");
        assert_eq!(
            detect(&req("POST", "/", "", &h, b"{}"), Some("cloudtrail")).unwrap(),
            (Service::CloudTrail, "DescribeTrails")
        );
        let h = target("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails");
        assert_eq!(
            detect(&req("POST", "/", "", &h, b"{}"), None).unwrap(),
            (Service::CloudTrail, "DescribeTrails")
        );
        let h = target("SWBExternalService.ListInstances");
        assert_eq!(
            detect(&req("POST", "/", "", &h, b"{}"), Some("sso")).unwrap(),
            (Service::SsoAdmin, "ListInstances")
        );
        let h = target("AWSOrganizationsV20161128.Nope");
        assert!(matches!(
            detect(&req("POST", "/", "", &h, b"{}"), None),
            Err(WireError::UnknownOperation { .. })
        ));
    }

    #[test]
    fn by_action() {
        let h = http::HeaderMap::new();
        assert_eq!(
            detect(
                &req(
                    "POST",
                    "/",
                    "",
                    &h,
                    b"Action=GetCallerIdentity&Version=2011-06-15"
                ),
                None
            )
            .unwrap(),
            (Service::Sts, "GetCallerIdentity")
        );
        assert_eq!(
            detect(
                &req("GET", "/", "Action=ListUsers&Version=2010-05-08", &h, b""),
                None
            )
            .unwrap(),
            (Service::Iam, "ListUsers")
        );
        assert_eq!(
            detect(
                &req("POST", "/", "", &h, b"Action=ListUsers&Version=2010-05-08"),
                Some("iam")
            )
            .unwrap(),
            (Service::Iam, "ListUsers")
        );
        assert!(matches!(
            detect(
                &req("POST", "/", "", &h, b"Action=ListUsers&Version=2011-06-15"),
                None
            ),
            Err(WireError::InvalidAction { .. })
        ));
    }

    #[test]
    fn by_route() {
        let h = http::HeaderMap::new();
        assert_eq!(
            detect(
                &req(
                    "GET",
                    "/federation/credentials",
                    "role_name=a&account_id=1",
                    &h,
                    b""
                ),
                None
            )
            .unwrap(),
            (Service::SsoPortal, "GetRoleCredentials")
        );
        assert_eq!(
            detect(&req("POST", "/token", "", &h, b"{}"), None).unwrap(),
            (Service::SsoOidc, "CreateToken")
        );
        assert_eq!(
            detect(
                &req("POST", "/token", "aws_iam=t", &h, b"{}"),
                Some("sso-oauth")
            )
            .unwrap(),
            (Service::SsoOidc, "CreateTokenWithIAM")
        );
        assert_eq!(
            detect(
                &req("POST", "/getAlternateContact", "", &h, b"{}"),
                Some("account")
            )
            .unwrap(),
            (Service::Account, "GetAlternateContact")
        );
        assert_eq!(
            detect(&req("POST", "/nothing", "", &h, b""), None),
            Err(WireError::UnknownService)
        );
    }
}
