//! The plain values every wire type is built from: ids and timestamps.

/// Identifiers are opaque to the client; they are only ever compared and put in URLs.
pub type Id = i64;

/// Seconds since the Unix epoch (UTC).
pub type Timestamp = i64;

/// For `skip_serializing_if`: a flag that is off is left out.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}
