//! The connector catalogue (definitions are data, stored as the catalogue
//! writes them), what each company installed, and the connector list with
//! each connector's instances.

use anyhow::Context;
use conduit_types::{ConnectorChoice, ConnectorDefinition, ConnectorList, ConnectorSummary, Id, InstanceSummary, StoredCertificates};
use sqlx::Row;

use super::certificate_info::CertificatesRow;
use super::handle::Store;
use super::rows;

impl Store {
    /// Adds a connector to the catalogue, or updates its name and definition.
    pub async fn upsert_connector(
        &self,
        slug: &str,
        name: &str,
        definition: &ConnectorDefinition,
    ) -> anyhow::Result<Id> {
        let definition = rows::encode_definition(definition)?;
        let row = sqlx::query(
            "INSERT INTO connectors (slug, name, definition) VALUES ($1, $2, $3)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, definition = excluded.definition
             RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(definition)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn install_connector(&self, company_id: Id, connector_id: Id) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO installed_connectors (company_id, connector_id, installed_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(company_id)
        .bind(connector_id)
        .bind(self.now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The company's installed connectors' rows (`id`, `slug`, `name`,
    /// `definition`), by name then id: the order every list shows them in.
    pub(super) async fn installed_connector_rows(&self, company_id: Id) -> anyhow::Result<Vec<sqlx::any::AnyRow>> {
        Ok(sqlx::query(
            "SELECT c.id, c.slug, c.name, c.definition
             FROM installed_connectors ic JOIN connectors c ON c.id = ic.connector_id
             WHERE ic.company_id = $1
             ORDER BY c.name, c.id",
        )
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The company's installed connectors, by name, each with all of its
    /// instances (for the server's own use; the API pages them, see
    /// `connector_pages`).
    pub async fn connector_list(&self, company_id: Id) -> anyhow::Result<ConnectorList> {
        let connector_rows = self.installed_connector_rows(company_id).await?;
        let instance_rows = sqlx::query(
            "SELECT i.id, i.connector_id, i.name, i.auth_method, i.status, i.last_tested_at, i.last_checked_at, i.certificate_info,
                    (SELECT COUNT(*) FROM process_flow_instances pfi WHERE pfi.instance_id = i.id) AS flow_count
             FROM instances i
             WHERE i.company_id = $1
             ORDER BY i.name, i.id",
        )
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?;

        let mut connectors = Vec::with_capacity(connector_rows.len());
        for row in connector_rows {
            let id: Id = row.try_get("id")?;
            let definition = rows::parse_definition(&row)?;
            let mut instances = Vec::new();
            for i in instance_rows.iter() {
                if i.try_get::<Id, _>("connector_id")? != id {
                    continue;
                }
                let method_key: String = i.try_get("auth_method")?;
                let method = definition
                    .auth_method(&method_key)
                    .with_context(|| format!("instance uses unknown auth method {method_key}"))?;
                instances.push(InstanceSummary {
                    id: i.try_get("id")?,
                    name: i.try_get("name")?,
                    auth_kind: method.kind,
                    auth_method_label: method.label.clone(),
                    status: rows::parse_status(&i.try_get::<String, _>("status")?)?,
                    last_tested_at: i.try_get("last_tested_at")?,
                    last_checked_at: i.try_get("last_checked_at")?,
                    process_flow_count: u32::try_from(i.try_get::<i64, _>("flow_count")?)?,
                    certificate_not_after: CertificatesRow::read(i)?.map(|c| StoredCertificates::from(c).not_after()),
                });
            }
            let count = u32::try_from(instances.len())?;
            connectors.push(ConnectorSummary {
                id,
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                instances,
                instance_count: count,
                matching_count: count,
                next: None,
            });
        }
        let choices = connectors.iter().map(|c| ConnectorChoice { slug: c.slug.clone(), name: c.name.clone() }).collect();
        Ok(ConnectorList { connectors, choices })
    }
}
