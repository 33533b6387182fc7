//! localorg-sigv4 (being built).
