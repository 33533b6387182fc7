//! Code generator (being built).
fn main() {}
