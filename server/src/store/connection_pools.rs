//! A company's connection pools, which its instances may name.

use conduit_types::Id;

use super::handle::Store;

impl Store {
    /// The company's connection pools, by name.
    pub async fn connection_pools(&self, company_id: Id) -> anyhow::Result<Vec<String>> {
        self.texts(sqlx::query("SELECT name FROM connection_pools WHERE company_id = $1 ORDER BY name").bind(company_id), "name")
            .await
    }

    pub async fn create_connection_pool(&self, company_id: Id, name: &str) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO connection_pools (company_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(company_id)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The cap on concurrent requests of the company's pool `name` (`None`:
    /// no cap, or no such pool).
    pub async fn pool_cap(&self, company_id: Id, name: &str) -> anyhow::Result<Option<u32>> {
        use sqlx::Row;
        let row = sqlx::query("SELECT max_concurrent FROM connection_pools WHERE company_id = $1 AND name = $2")
            .bind(company_id)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => row.try_get::<Option<i64>, _>("max_concurrent")?.and_then(|n| u32::try_from(n).ok()),
            None => None,
        })
    }

    /// Sets (or, with `None`, lifts) the cap of the company's pool `name`.
    pub async fn set_pool_cap(&self, company_id: Id, name: &str, cap: Option<u32>) -> anyhow::Result<bool> {
        let statement = sqlx::query("UPDATE connection_pools SET max_concurrent = $1 WHERE company_id = $2 AND name = $3")
            .bind(cap.map(i64::from))
            .bind(company_id)
            .bind(name);
        self.changed_one(statement).await
    }
}
