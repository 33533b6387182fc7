//! The partition with stand-in families: routing, the one-transaction rule, the outbox, the empty
//! ports, services no family plays, and resource tags by ARN.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test states what it expects by failing"
)]

use std::sync::{Arc, Mutex};

use localorg_kernel::organization::Placement;
use localorg_kernel::{outbox, Call, Caller, Ctx, Partition, Registry, ServiceFamily};
use localorg_model::{ApiError, Service};
use localorg_store::ReadTx;
use serde_json::{json, Value};

/// Plays the Account service: `PutContactInformation` enqueues a message, then fails when the
/// input asks it to; `GetContactInformation` reports what the ports say of the caller.
struct Stand {
    resources: Mutex<Vec<String>>,
}

impl ServiceFamily for Stand {
    fn services(&self) -> &'static [Service] {
        &[Service::Account]
    }

    fn call(
        &self,
        ctx: &mut Ctx<'_>,
        _: Service,
        operation: &str,
        input: Value,
    ) -> Result<Value, ApiError> {
        match operation {
            "PutContactInformation" => {
                outbox::enqueue(ctx, "test.topic", input.clone())?;
                if input["Fail"] == json!(true) {
                    return Err(ApiError::new("ValidationException", 400, "asked to fail"));
                }
                Ok(json!({}))
            }
            _ => {
                let placement = ctx
                    .organizations()
                    .placement(ctx.tx.read(), &ctx.caller.account_id)?;
                let role = ctx
                    .directory()
                    .role(ctx.tx.read(), "000000000000", "Admin")?;
                Ok(json!({"InOrganization": placement.is_some(), "RoleFound": role.is_some()}))
            }
        }
    }

    fn resource_arn(
        &self,
        _: &Ctx<'_>,
        _: &dyn ReadTx,
        _: Option<&Placement>,
        _: Service,
        operation: &str,
        _: &Value,
    ) -> Result<String, ApiError> {
        let arn = format!("arn:aws:account::000000000000:account/{operation}");
        self.resources
            .lock()
            .map_err(|_| ApiError::internal("poisoned"))?
            .push(arn.clone());
        Ok(arn)
    }
}

fn partition() -> (Partition, Arc<Stand>) {
    let stand = Arc::new(Stand {
        resources: Mutex::new(Vec::new()),
    });
    let registry = Registry::new().with_family(stand.clone());
    let Ok(partition) = Partition::in_memory("000000000000", registry) else {
        panic!("in-memory partition");
    };
    (partition, stand)
}

fn call(
    p: &Partition,
    service: Service,
    operation: &'static str,
    input: Value,
) -> Result<Value, ApiError> {
    p.call(Call {
        service,
        operation,
        caller: Some(Caller::root("000000000000", "test")),
        region: "us-east-1".to_owned(),
        source_ip: "127.0.0.1".to_owned(),
        endpoint: "http://127.0.0.1:4566".to_owned(),
        input,
        authorize: true,
        request_id: String::new(),
        user_agent: String::new(),
    })
}

fn pending(p: &Partition) -> Vec<outbox::OutboxMessage> {
    p.store()
        .read(|tx| outbox::pending(tx, "test.topic", 10))
        .unwrap_or_default()
}

#[test]
fn a_message_exists_exactly_when_its_call_commits() {
    let (p, _) = partition();
    let failed = call(
        &p,
        Service::Account,
        "PutContactInformation",
        json!({"Fail": true}),
    );
    assert_eq!(
        failed.map_err(|e| e.code.to_string()),
        Err("ValidationException".to_owned())
    );
    assert!(pending(&p).is_empty(), "a failed call leaves no message");

    assert!(call(
        &p,
        Service::Account,
        "PutContactInformation",
        json!({"N": 1})
    )
    .is_ok());
    assert!(call(
        &p,
        Service::Account,
        "PutContactInformation",
        json!({"N": 2})
    )
    .is_ok());
    let messages = pending(&p);
    let bodies: Vec<&Value> = messages.iter().map(|m| &m.body).collect();
    assert_eq!(bodies, [&json!({"N": 1}), &json!({"N": 2})]);

    let Some(first) = messages.first() else {
        panic!("two messages");
    };
    assert!(p.store().write(|tx| outbox::acknowledge(tx, first)).is_ok());
    let left: Vec<Value> = pending(&p).into_iter().map(|m| m.body).collect();
    assert_eq!(left, [json!({"N": 2})]);
}

#[test]
fn authorization_asks_the_family_for_the_resource_and_empty_ports_know_nothing() {
    let (p, stand) = partition();
    let out = call(&p, Service::Account, "GetContactInformation", json!({}));
    assert_eq!(
        out.ok(),
        Some(json!({"InOrganization": false, "RoleFound": false}))
    );
    let resources = stand
        .resources
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default();
    assert_eq!(
        resources,
        ["arn:aws:account::000000000000:account/GetContactInformation"]
    );
}

#[test]
fn a_service_no_family_plays_answers_not_implemented() {
    let (p, _) = partition();
    let Err(e) = call(
        &p,
        Service::Budgets,
        "DescribeBudgets",
        json!({"AccountId": "000000000000"}),
    ) else {
        panic!("no family plays Budgets");
    };
    assert_eq!(
        (e.code.as_ref(), e.status),
        ("NotImplementedException", 400)
    );
    assert!(e.message.contains("DescribeBudgets"), "{}", e.message);
}

#[test]
fn resource_tags_come_from_the_family_whose_namespace_the_arn_names() {
    let (_, stand) = partition();
    let registry = Registry::new().with_family(stand);
    assert!(registry
        .family_of_arn("arn:aws:account::000000000000:account")
        .is_some());
    assert!(registry
        .family_of_arn("arn:aws:iam::000000000000:user/a")
        .is_none());
    assert!(registry.family_of_arn("not-an-arn").is_none());
    assert!(registry.family(Service::Account).is_some());
    assert!(registry.family(Service::Iam).is_none());
}
