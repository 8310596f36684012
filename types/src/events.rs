//! The live event stream (`GET /api/events`, server-sent events): what
//! happened to one of the company's instances, so open pages stay current.
//! An event never carries a value of the instance's settings: only its id
//! and name, what happened, its status and version after it, who did it
//! and when, and for a save the labels of the fields it changed.

use serde::{Deserialize, Serialize};

use crate::{Id, InstanceStatus, Timestamp};

/// What happened to an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceEventKind {
    /// Someone added it (a new instance, or a duplicate, once tested).
    Created,
    /// Someone saved its settings.
    Saved,
    /// Someone tested a draft of it (the history has a new entry).
    Tested,
    /// Its status was recorded anew: by a test of the saved connection, or
    /// by the background checker (`automatic`).
    Status,
    /// Someone deleted it.
    Deleted,
}

/// One thing that happened to one of the company's instances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceEvent {
    pub instance: Id,
    /// The instance's name after the event.
    pub name: String,
    pub kind: InstanceEventKind,
    /// Its status after the event (`None` once deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InstanceStatus>,
    /// Its settings' version after the event (`None` once deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Who did it, as the history names them ("Ada Lovelace", "Jane Doe via
    /// portal.example", "automatic check").
    pub actor: String,
    /// The signed-in user who did it, when it was one acting as themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Id>,
    /// The server's background checker did it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub automatic: bool,
    pub at: Timestamp,
    /// A save: the labels of the fields it changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// One message of the stream (the `data:` of one server-sent event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveMessage {
    /// The stream is open; nothing was missed.
    Ready,
    /// Something happened to an instance.
    Instance(InstanceEvent),
    /// Events may have been missed (a reconnect from too long ago, or a
    /// reader too slow): load what is shown afresh.
    Refetch,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back_as_they_were_written() {
        let event = InstanceEvent {
            instance: 7,
            name: "Orders API".into(),
            kind: InstanceEventKind::Saved,
            status: Some(InstanceStatus::Operational),
            version: Some(3),
            actor: "Ada Lovelace".into(),
            by: Some(1),
            automatic: false,
            at: 1_800_000_000,
            changed: vec!["name".into()],
        };
        for message in [LiveMessage::Ready, LiveMessage::Refetch, LiveMessage::Instance(event)] {
            let text = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<LiveMessage>(&text).unwrap(), message, "{text}");
        }
        assert_eq!(serde_json::to_string(&LiveMessage::Refetch).unwrap(), "\"refetch\"");
    }
}
