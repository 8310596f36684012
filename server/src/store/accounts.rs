//! Companies and their users: creating them, and finding a user by email
//! to check a password.

use conduit_types::Id;
use sqlx::Row;

use super::handle::Store;

/// A user found by email, with what is needed to check the password.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user_id: Id,
    pub password_hash: String,
}

impl Store {
    pub async fn company_count(&self) -> anyhow::Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM companies")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// The first company with this name.
    pub async fn company_named(&self, name: &str) -> anyhow::Result<Option<Id>> {
        let row = sqlx::query("SELECT id FROM companies WHERE name = $1 ORDER BY id LIMIT 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    pub async fn create_company(&self, name: &str) -> anyhow::Result<Id> {
        let row = sqlx::query("INSERT INTO companies (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(self.now())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn create_user(
        &self,
        company_id: Id,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> anyhow::Result<Id> {
        let row = sqlx::query(
            "INSERT INTO users (company_id, email, name, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(company_id)
        .bind(normalise_email(email))
        .bind(name)
        .bind(password_hash)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn credentials(&self, email: &str) -> anyhow::Result<Option<Credentials>> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(normalise_email(email))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Credentials {
                user_id: r.try_get("id")?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }
}

/// Emails are compared without case and surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_compare_without_case_or_spaces() {
        assert_eq!(normalise_email("  Ada@Example.COM "), "ada@example.com");
    }
}
