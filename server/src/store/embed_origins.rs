//! The origins a company allows to embed (`embed_origins`), in its order.
//! The list is checked and normalised before it reaches the store.

use conduit_types::Id;

use super::handle::Store;

impl Store {
    /// The company's allowed origins, in the order given.
    pub async fn embed_origins(&self, company_id: Id) -> anyhow::Result<Vec<String>> {
        let query = sqlx::query("SELECT origin FROM embed_origins WHERE company_id = $1 ORDER BY position");
        self.texts(query.bind(company_id), "origin").await
    }

    /// Replaces the company's whole list with `origins` (normalised, each
    /// once), in one transaction.
    pub async fn replace_embed_origins(&self, company_id: Id, origins: &[String]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM embed_origins WHERE company_id = $1")
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        for (position, origin) in origins.iter().enumerate() {
            sqlx::query("INSERT INTO embed_origins (company_id, origin, position) VALUES ($1, $2, $3)")
                .bind(company_id)
                .bind(origin)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
