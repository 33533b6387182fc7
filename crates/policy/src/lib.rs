//! localorg-policy (being built).
