//! localorg-services (being built).
