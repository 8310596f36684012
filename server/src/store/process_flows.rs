//! Process flows and the instances they use; a flow can only use its own
//! company's instances.

use conduit_types::{Id, ProcessFlowRef};
use sqlx::Row;

use super::handle::Store;

impl Store {
    pub async fn create_process_flow(
        &self,
        company_id: Id,
        name: &str,
        enabled: bool,
        instance_ids: &[Id],
    ) -> anyhow::Result<Id> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO process_flows (company_id, name, enabled) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(company_id)
        .bind(name)
        .bind(i64::from(enabled))
        .fetch_one(&mut *tx)
        .await?;
        let flow_id: Id = row.try_get("id")?;
        for instance_id in instance_ids {
            // Only the company's own instances can be used by its flows.
            let linked = sqlx::query(
                "INSERT INTO process_flow_instances (process_flow_id, instance_id)
                 SELECT $1, id FROM instances WHERE id = $2 AND company_id = $3",
            )
            .bind(flow_id)
            .bind(*instance_id)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
            anyhow::ensure!(
                linked.rows_affected() == 1,
                "instance {instance_id} does not belong to company {company_id}"
            );
        }
        tx.commit().await?;
        Ok(flow_id)
    }

    /// The company's flows that use the instance, by name.
    pub(super) async fn instance_flows(&self, company_id: Id, instance_id: Id) -> anyhow::Result<Vec<ProcessFlowRef>> {
        let mut conn = self.pool.acquire().await?;
        flows_using(&mut conn, company_id, instance_id).await
    }
}

/// [`Store::instance_flows`] on the caller's connection (in its transaction).
pub(super) async fn flows_using(
    conn: &mut sqlx::AnyConnection,
    company_id: Id,
    instance_id: Id,
) -> anyhow::Result<Vec<ProcessFlowRef>> {
    sqlx::query(
        "SELECT pf.id, pf.name, pf.enabled
         FROM process_flow_instances pfi JOIN process_flows pf ON pf.id = pfi.process_flow_id
         WHERE pfi.instance_id = $1 AND pf.company_id = $2
         ORDER BY pf.name, pf.id",
    )
    .bind(instance_id)
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|f| {
        Ok(ProcessFlowRef {
            id: f.try_get("id")?,
            name: f.try_get("name")?,
            enabled: f.try_get::<i64, _>("enabled")? != 0,
        })
    })
    .collect()
}
