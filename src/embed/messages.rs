//! The messages the embedded page and its host page (`conduit-embed.js`)
//! send each other over their `MessageChannel`: JSON objects with a `type`.
//! No message carries a secret except the host's `session`, and none ever
//! carries a credential value.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What the host page says.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromHost {
    /// A one-time session secret, first and at every renewal.
    Session { secret: String },
    /// The host's backend gave no session.
    SessionUnavailable,
    /// `requestSave()`: as if `save instance settings` was pressed.
    Save,
    /// `discard()`: the draft goes back to the saved settings, unasked.
    Discard,
    /// `update({ appearance })`.
    Appearance {
        #[serde(default)]
        appearance: Map<String, Value>,
    },
}

impl FromHost {
    /// Reads a message; anything else (unknown types, wrong shapes) is
    /// `None` and ignored.
    pub fn parse(json: &str) -> Option<FromHost> {
        serde_json::from_str(json).ok()
    }
}

/// How a test went, for the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TestState {
    Started,
    Passed,
    Failed,
}

/// What the embedded page tells its host.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToHost {
    /// The connection is set up (the answer to `conduit:connect`).
    Hello,
    /// The settings are shown.
    Ready,
    /// The content's height changed, in CSS pixels.
    Resize { height: u32 },
    /// Unsaved edits appeared or went.
    Dirty { dirty: bool },
    /// A connection test started or ended, with its outcome sentence.
    Test {
        state: TestState,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// The settings were saved as `version`.
    Saved { version: i64 },
    /// The session ends soon: the host is asked for a fresh secret.
    SessionNeeded,
    /// The session ended and could not be renewed.
    SessionExpired,
    /// Something went wrong, in a sentence.
    Error { message: String },
}

impl ToHost {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Whether a window message is the host's `conduit:connect`.
pub fn is_connect(json: &str) -> bool {
    serde_json::from_str::<Value>(json)
        .ok()
        .is_some_and(|v| v.get("type").and_then(Value::as_str) == Some("conduit:connect"))
}

#[cfg(test)]
mod tests;
