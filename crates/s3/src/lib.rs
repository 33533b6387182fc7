//! Amazon S3 for localorg: buckets and objects, with bucket policies, Block Public Access,
//! ownership controls, versioning and Object Lock, every request decided by the policy engine
//! (identity policies, the bucket policy, SCPs and RCPs).
//!
//! S3 does not fit the JSON call path of the other families: bodies stream (a 5 GB upload never
//! sits in memory) and the protocol is its own (REST-XML, aws-chunked bodies, presigned URLs).
//! The s3s crate plays the protocol; [`S3Front`] plays the service on a [`Partition`]'s store
//! through [`Partition::read_as`] and [`Partition::write_as`], and keeps bodies in [`Blobs`]
//! (files under the data directory, or memory). Other families reach buckets only through the
//! kernel's object-delivery port, which [`S3Delivery`] fills.
//!
//! [`Partition`]: localorg_kernel::Partition
//! [`Partition::read_as`]: localorg_kernel::Partition::read_as
//! [`Partition::write_as`]: localorg_kernel::Partition::write_as

mod access;
mod actions;
mod blobs;
mod buckets;
mod checksums;
mod config;
mod control;
mod core;
mod delivery;
mod front;
mod listing;
mod lock;
mod multipart;
mod objects;
mod ops;
mod records;
mod versions;

pub use blobs::Blobs;
pub use core::ERROR_FIELD_HEADER;
pub use delivery::S3Delivery;
pub use front::{bucket_of_host, Origin, S3Front};
pub use ops::IMPLEMENTED;
