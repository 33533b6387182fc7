//! localorg-server (being built).
