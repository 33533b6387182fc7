//! Pinned AWS API models and the code generated from them.
//!
//! `models/` holds the botocore models of the services localorg speaks, prose stripped
//! (`scripts/vendor-models.py`, pinned in `models/models.lock`). The wire layer walks them at run time
//! ([`Service::model`]); `cargo run -p codegen` turns them into the committed typed API.

pub mod botocore;
pub mod error;
pub mod generated;
pub mod service;
pub mod types;

pub use error::ApiError;
pub use service::Service;
pub use types::{Blob, Timestamp};
