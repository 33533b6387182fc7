//! localorg-store (being built).
