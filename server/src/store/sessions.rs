//! Sign-in sessions, stored by the hash of their token, and the signed-in
//! user (with their company) a session stands for.

use conduit_types::{CompanySummary, Id, Me, Timestamp, UserSummary};
use sqlx::Row;

use super::handle::Store;

/// The signed-in user behind a session.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user_id: Id,
    pub company_id: Id,
    pub me: Me,
    /// The name the history records for what this principal does, when it
    /// is not the user's own: an embed session's "Jane Doe via portal.example".
    pub acting_as: Option<String>,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Id,
        expires_at: Timestamp,
    ) -> anyhow::Result<()> {
        let now = self.now();
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session_user(&self, token_hash: &str) -> anyhow::Result<Option<SessionUser>> {
        let row = sqlx::query(
            "SELECT u.id AS user_id, u.name AS user_name, u.email, c.id AS company_id, c.name AS company_name
             FROM sessions s
             JOIN users u ON u.id = s.user_id
             JOIN companies c ON c.id = u.company_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let user_id: Id = r.try_get("user_id")?;
            let company_id: Id = r.try_get("company_id")?;
            Ok(SessionUser {
                user_id,
                company_id,
                me: Me {
                    user: UserSummary {
                        id: user_id,
                        name: r.try_get("user_name")?,
                        email: r.try_get("email")?,
                    },
                    company: CompanySummary {
                        id: company_id,
                        name: r.try_get("company_name")?,
                    },
                },
                acting_as: None,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
