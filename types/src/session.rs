//! Signing in and who is signed in: `POST /api/session`, `GET /api/me`.

use serde::{Deserialize, Serialize};

use crate::scalars::Id;
/// `POST /api/session`. Its Debug output leaves the password out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

crate::redacted::debug_redacting!(LoginRequest, secret: password, shown: [email]);

/// `GET /api/me`, and the answer to a successful `POST /api/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: UserSummary,
    pub company: CompanySummary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: Id,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySummary {
    pub id: Id,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_requests_debug_output_leaves_the_password_out() {
        let request = LoginRequest { email: "ada@example.com".into(), password: "hunter2-private".into() };
        let shown = format!("{request:?}");
        assert!(!shown.contains("hunter2") && shown.contains(crate::redacted::REDACTED), "{shown}");
        assert!(shown.contains("ada@example.com"), "{shown}");
    }
}
