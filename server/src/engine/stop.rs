//! How a test ends before the test request's answer is judged: the outcome
//! and a sentence, the token endpoint's error code and the field that may be
//! to blame; and a transport failure in those words.

use conduit_types::TestOutcome;

use super::fix::Culprit;
use super::transport::{Failure, Stage, TlsProblem};
use crate::egress::EgressError;

/// A test that ended before the test request's answer was judged.
#[derive(Debug)]
pub(super) struct Stop {
    pub outcome: TestOutcome,
    pub message: String,
    /// The standard error code of a token endpoint's refusal.
    pub token_error: Option<&'static str>,
    /// What decided it, where a field may be to blame.
    pub culprit: Option<Culprit>,
}

pub(super) fn stop(outcome: TestOutcome, message: impl Into<String>) -> Stop {
    Stop { outcome, message: message.into(), token_error: None, culprit: None }
}

impl Stop {
    /// Blames `culprit` when the host could not be found or reached.
    pub fn unreachable(self, culprit: Culprit) -> Stop {
        match self.outcome {
            TestOutcome::Dns | TestOutcome::Connect => Stop { culprit: Some(culprit), ..self },
            _ => self,
        }
    }
}

/// A transport failure as an outcome and a sentence about `what`.
pub(super) fn failure_stop(failure: Failure, what: &str) -> Stop {
    match failure {
        Failure::Egress(e) => {
            let outcome = match e {
                EgressError::Dns { .. } => TestOutcome::Dns,
                EgressError::NotHttp => TestOutcome::InvalidSettings,
                EgressError::Refused { .. } => TestOutcome::BlockedByPolicy,
            };
            stop(outcome, e.to_string())
        }
        Failure::Connect { host } => stop(
            TestOutcome::Connect,
            format!("Nothing answered at {host} for {what}. Check the address, or whether the system is up."),
        ),
        Failure::Protocol { host } => stop(
            TestOutcome::Connect,
            format!("{host} did not answer {what} with valid HTTP."),
        ),
        Failure::Timeout { stage, host } => {
            let doing = match stage {
                Stage::Resolve => "looking up its address",
                Stage::Connect => "connecting",
                Stage::Tls => "setting up a secure connection",
                Stage::Request => "waiting for its answer",
            };
            stop(TestOutcome::Timeout, format!("{host} took too long ({doing}) for {what}."))
        }
        Failure::Tls { host, problem } => {
            let message = match problem {
                TlsProblem::UnknownIssuer => format!(
                    "{host}'s certificate is not signed by an authority conduit trusts. If the system uses a private CA, add its CA certificate on the certificates tab."
                ),
                TlsProblem::WrongName => format!("{host}'s certificate is for a different name."),
                TlsProblem::Expired => format!("{host}'s certificate has expired."),
                TlsProblem::ClientCertificateRequired => {
                    format!("{host} asks for a client certificate. Add one on the certificates tab.")
                }
                TlsProblem::ClientCertificateRejected => format!("{host} did not accept the client certificate."),
                TlsProblem::Other => format!("A secure connection to {host} could not be set up."),
            };
            stop(TestOutcome::Tls, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_as_sentences_about_what_was_asked() {
        let nothing = failure_stop(Failure::Connect { host: "api.example.com".into() }, "the token endpoint");
        assert_eq!(nothing.outcome, TestOutcome::Connect);
        assert_eq!(nothing.message, "Nothing answered at api.example.com for the token endpoint. Check the address, or whether the system is up.");
        let slow = failure_stop(Failure::Timeout { stage: Stage::Tls, host: "h".into() }, "the test request");
        assert_eq!((slow.outcome, slow.message.as_str()), (TestOutcome::Timeout, "h took too long (setting up a secure connection) for the test request."));
        let tls = failure_stop(Failure::Tls { host: "h".into(), problem: TlsProblem::ClientCertificateRequired }, "the test request");
        assert_eq!(tls.outcome, TestOutcome::Tls);
        assert!(tls.message.contains("asks for a client certificate"), "{}", tls.message);
    }

    #[test]
    fn only_an_unreachable_host_blames_the_address() {
        let unreachable = stop(TestOutcome::Connect, "x").unreachable(Culprit::AddressUnreachable);
        assert!(matches!(unreachable.culprit, Some(Culprit::AddressUnreachable)));
        let refused = stop(TestOutcome::AuthRejected, "x").unreachable(Culprit::AddressUnreachable);
        assert!(refused.culprit.is_none());
    }
}
