//! Lookups into the vendored models, built once.

use std::collections::HashMap;
use std::sync::OnceLock;

use localorg_model::botocore::{Operation, Shape, ShapeRef};
use localorg_model::Service;

/// The operation of a service by model name.
pub(crate) fn operation(service: Service, name: &str) -> Option<&'static Operation> {
    service.model().operations.get(name)
}

/// A shape of a service by name.
pub(crate) fn shape(service: Service, name: &str) -> Option<&'static Shape> {
    service.model().shapes.get(name)
}

/// The shape a reference points at.
pub(crate) fn target(service: Service, r: &ShapeRef) -> Option<&'static Shape> {
    shape(service, &r.shape)
}

/// The input shape of an operation, if it has one.
pub(crate) fn input_shape(service: Service, op: &Operation) -> Option<&'static Shape> {
    op.input.as_ref().and_then(|r| target(service, r))
}

/// The output shape of an operation, if it has one.
pub(crate) fn output_shape(service: Service, op: &Operation) -> Option<&'static Shape> {
    op.output.as_ref().and_then(|r| target(service, r))
}

/// The wire name of a structure member: its `locationName`, else the member name.
pub(crate) fn wire_name<'a>(member: &'a str, r: &'a ShapeRef) -> &'a str {
    r.location_name.as_deref().unwrap_or(member)
}

/// Whether a list/map reference is flattened (on the reference or on the shape).
pub(crate) fn is_flattened(r: &ShapeRef, s: &Shape) -> bool {
    r.flattened || s.flattened
}

/// The exception shape for a wire error code (shape name or `error.code`), if the model has one.
pub(crate) fn error_shape(service: Service, code: &str) -> Option<&'static Shape> {
    type Table = HashMap<&'static str, &'static Shape>;
    static TABLES: OnceLock<Vec<(Service, Table)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        Service::ALL
            .iter()
            .map(|&s| {
                let mut t = Table::new();
                for (name, shape) in &s.model().shapes {
                    if !shape.exception {
                        continue;
                    }
                    t.insert(name.as_str(), shape);
                    if let Some(c) = shape.error.as_ref().and_then(|e| e.code.as_deref()) {
                        t.insert(c, shape);
                    }
                }
                (s, t)
            })
            .collect()
    });
    tables
        .iter()
        .find(|(s, _)| *s == service)
        .and_then(|(_, t)| t.get(code).copied())
}
