//! The localorg binary (being built).
fn main() {}
