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
}
