//! The messages the embedded page and its host page (`conduit-embed.js`)
//! send each other over their `MessageChannel`: plain objects with a
//! `type`. No message carries a secret except the host's `session`, and
//! none ever carries a credential value. The browser glue
//! ([`super::host_link`]) reads and writes the objects; what they mean is
//! decided here.

/// One value of a host's appearance setting.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    Text(String),
    Number(f64),
}

/// What the host page says.
#[derive(Clone, Debug, PartialEq)]
pub enum FromHost {
    /// A one-time session secret, first and at every renewal.
    Session { secret: String },
    /// The host's backend gave no session.
    SessionUnavailable,
    /// `requestSave()`: as if `save instance settings` was pressed.
    Save,
    /// `discard()`: the draft goes back to the saved settings, unasked.
    Discard,
    /// `update({ appearance })`: its variables, by name.
    Appearance(Vec<(String, Setting)>),
}

impl FromHost {
    /// Reads a message of type `kind` with its `secret` and `appearance`
    /// fields (as far as they are there); anything else is `None` and
    /// ignored.
    pub fn read(kind: &str, secret: Option<String>, appearance: Vec<(String, Setting)>) -> Option<FromHost> {
        Some(match kind {
            "session" => FromHost::Session { secret: secret.filter(|s| !s.is_empty())? },
            "session-unavailable" => FromHost::SessionUnavailable,
            "save" => FromHost::Save,
            "discard" => FromHost::Discard,
            "appearance" => FromHost::Appearance(appearance),
            _ => return None,
        })
    }
}

/// The type of the host's first message, which carries the port.
pub const CONNECT: &str = "conduit:connect";

/// How a test went, for the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestState {
    Started,
    Passed,
    Failed,
}

impl TestState {
    fn name(self) -> &'static str {
        match self {
            TestState::Started => "started",
            TestState::Passed => "passed",
            TestState::Failed => "failed",
        }
    }
}

/// What the embedded page tells its host.
#[derive(Clone, Debug, PartialEq)]
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
    Test { state: TestState, message: Option<String> },
    /// The settings were saved as `version`.
    Saved { version: i64 },
    /// The session ends soon: the host is asked for a fresh secret.
    SessionNeeded,
    /// The session ended and could not be renewed.
    SessionExpired,
    /// Something went wrong, in a sentence.
    Error { message: String },
}

/// One field of a message to the host.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Text(String),
    Number(f64),
    Flag(bool),
}

impl ToHost {
    /// The message's `type` and its other fields.
    pub fn parts(&self) -> (&'static str, Vec<(&'static str, Field)>) {
        match self {
            ToHost::Hello => ("hello", vec![]),
            ToHost::Ready => ("ready", vec![]),
            ToHost::Resize { height } => ("resize", vec![("height", Field::Number(f64::from(*height)))]),
            ToHost::Dirty { dirty } => ("dirty", vec![("dirty", Field::Flag(*dirty))]),
            ToHost::Test { state, message } => {
                let mut fields = vec![("state", Field::Text(state.name().to_owned()))];
                fields.extend(message.clone().map(|m| ("message", Field::Text(m))));
                ("test", fields)
            }
            ToHost::Saved { version } => ("saved", vec![("version", Field::Number(*version as f64))]),
            ToHost::SessionNeeded => ("session-needed", vec![]),
            ToHost::SessionExpired => ("session-expired", vec![]),
            ToHost::Error { message } => ("error", vec![("message", Field::Text(message.clone()))]),
        }
    }
}

#[cfg(test)]
mod tests;
