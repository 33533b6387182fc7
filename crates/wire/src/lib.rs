//! localorg-wire (being built).
