//! Stored shapes: recorded events and trails.

use serde::{Deserialize, Serialize};

/// One recorded event: the CloudTrail record and what LookupEvents filters on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventRecord {
    /// Order of recording across the partition (what trail delivery follows).
    pub seq: u64,
    /// The account that receives this copy (`recipientAccountId`).
    pub account: String,
    /// The Region it is recorded in.
    pub region: String,
    /// `eventTime`, ms since the epoch.
    pub time_ms: i64,
    /// `eventID`.
    pub event_id: String,
    /// `eventName`.
    pub event_name: String,
    /// `eventSource`.
    pub event_source: String,
    /// `readOnly`.
    pub read_only: bool,
    /// LookupEvents' `Username`.
    #[serde(default)]
    pub username: Option<String>,
    /// `userIdentity.accessKeyId`.
    #[serde(default)]
    pub access_key_id: Option<String>,
    /// `resources`: (type, name).
    #[serde(default)]
    pub resources: Vec<(String, String)>,
    /// The CloudTrail record (JSON text, as LookupEvents and log files carry it).
    pub record: Box<serde_json::value::RawValue>,
}

/// A trail.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrailRecord {
    /// The trail name.
    pub name: String,
    /// The account that owns it.
    pub account: String,
    /// Its home Region.
    pub home_region: String,
    /// The bucket it delivers to.
    pub s3_bucket: String,
    /// The key prefix in the bucket.
    #[serde(default)]
    pub s3_key_prefix: Option<String>,
    /// Global services' events (recorded in us-east-1) are delivered.
    pub include_global_service_events: bool,
    /// Events of every Region are delivered.
    pub multi_region: bool,
    /// An organization trail: events of every member account.
    pub organization: bool,
    /// The organization of an organization trail.
    #[serde(default)]
    pub org_id: Option<String>,
    /// Log file validation is on (digest files).
    #[serde(default)]
    pub log_file_validation: bool,
    /// The KMS key id given.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// The SNS topic name given.
    #[serde(default)]
    pub sns_topic_name: Option<String>,
    /// CloudWatch Logs log group ARN given.
    #[serde(default)]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// CloudWatch Logs role ARN given.
    #[serde(default)]
    pub cloud_watch_logs_role_arn: Option<String>,
    /// Logging is on.
    #[serde(default)]
    pub logging: bool,
    /// When logging last started, ms.
    #[serde(default)]
    pub start_logging_ms: Option<i64>,
    /// When logging last stopped, ms.
    #[serde(default)]
    pub stop_logging_ms: Option<i64>,
    /// When the last delivery succeeded, ms.
    #[serde(default)]
    pub latest_delivery_ms: Option<i64>,
    /// When a delivery was last attempted, ms.
    #[serde(default)]
    pub latest_delivery_attempt_ms: Option<i64>,
    /// The last delivery's error, if it failed.
    #[serde(default)]
    pub latest_delivery_error: Option<String>,
    /// Events up to this sequence number have been considered for delivery.
    #[serde(default)]
    pub delivered_seq: u64,
    /// Basic event selectors (API shape), when set.
    #[serde(default)]
    pub event_selectors: Option<serde_json::Value>,
    /// Advanced event selectors (API shape), when set.
    #[serde(default)]
    pub advanced_event_selectors: Option<serde_json::Value>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<(String, Option<String>)>,
}

impl TrailRecord {
    /// The trail's ARN (its owner's account, its home Region).
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{}",
            self.home_region, self.account, self.name
        )
    }
}
