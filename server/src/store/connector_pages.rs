//! The `manage connectors` list a page at a time: each installed connector
//! with its instance counts and one page of the instances a query keeps
//! (search, status, connector), in the stable order of [`crate::paging`].
//! Each connector's page and count are one indexed query each (migration
//! 0011), however many instances the company has.

use std::collections::HashMap;

use anyhow::Context;
use conduit_types::search::{filters_instances, needle, search_key};
use conduit_types::{
    ConnectorChoice, ConnectorDefinition, ConnectorList, ConnectorSummary, Id, InstanceSummary, ListQuery, StoredCertificates,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::certificate_info::CertificatesRow;
use super::handle::{AnyQuery, Backend, Store};
use super::rows;
use crate::paging::{contains_pattern, split_page, Cursor};

/// A value bound to a numbered placeholder of a statement built here.
#[derive(Clone)]
enum Value {
    Int(i64),
    Text(String),
}

/// The `WHERE` clause of one connector's instances under a query, with its
/// values in placeholder order.
struct Selection {
    sql: String,
    values: Vec<Value>,
}

impl Selection {
    fn new(company_id: Id, connector_id: Id) -> Selection {
        Selection {
            sql: "i.company_id = $1 AND i.connector_id = $2".to_owned(),
            values: vec![Value::Int(company_id), Value::Int(connector_id)],
        }
    }

    /// Adds `AND <condition>` where `{}` is the placeholder for `value`.
    fn and(&mut self, condition: &str, value: Value) {
        let placeholder = format!("${}", self.values.len() + 1);
        self.sql.push_str(" AND ");
        self.sql.push_str(&condition.replace("{}", &placeholder));
        self.values.push(value);
    }

    fn bind<'q>(&self, mut query: AnyQuery<'q>) -> AnyQuery<'q> {
        for value in &self.values {
            query = match value {
                Value::Int(n) => query.bind(*n),
                Value::Text(t) => query.bind(t.clone()),
            };
        }
        query
    }
}

/// The ordered search key: byte order on both databases, so the order (and
/// a cursor) mean the same on SQLite and PostgreSQL.
fn ordered_key(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "i.search_name",
        Backend::Postgres => "i.search_name COLLATE \"C\"",
    }
}

impl Store {
    /// The company's installed connectors, by name, each with the first
    /// page of the instances `query` keeps (or, with `after`, the page
    /// after that cursor of the one connector named). With a search or a
    /// status filter, connectors keeping no instance are left out.
    pub async fn connector_page(&self, company_id: Id, query: &ListQuery, after: Option<&Cursor>) -> anyhow::Result<ConnectorList> {
        let filter = &query.filter;
        let needle = needle(&filter.search);
        let connector_rows = self.installed_connector_rows(company_id).await?;
        let totals: HashMap<Id, i64> = sqlx::query(
            "SELECT connector_id, COUNT(*) AS n FROM instances WHERE company_id = $1 GROUP BY connector_id",
        )
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("connector_id")?, r.try_get("n")?)))
        .collect::<anyhow::Result<_>>()?;

        let mut connectors = Vec::new();
        let mut choices = Vec::with_capacity(connector_rows.len());
        for row in connector_rows {
            let id: Id = row.try_get("id")?;
            let slug: String = row.try_get("slug")?;
            let name: String = row.try_get("name")?;
            choices.push(ConnectorChoice { slug: slug.clone(), name: name.clone() });
            if filter.connector.as_ref().is_some_and(|wanted| *wanted != slug) {
                continue;
            }
            let total = totals.get(&id).copied().unwrap_or(0);
            let mut selection = Selection::new(company_id, id);
            if let Some(status) = filter.status {
                selection.and("i.status = {}", Value::Text(rows::status_key(status).to_owned()));
            }
            if filters_instances(&name, &needle) {
                selection.and("i.search_name LIKE {} ESCAPE '\\'", Value::Text(contains_pattern(&needle)));
            }
            let matching = if selection.values.len() == 2 { total } else { self.count(&selection).await? };
            let narrowed = !needle.is_empty() || filter.status.is_some();
            if narrowed && matching == 0 && after.is_none() {
                continue;
            }
            let definition = rows::parse_definition(&row)?;
            let (instances, next) = self.instance_page(&selection, &definition, query.limit, after).await?;
            connectors.push(ConnectorSummary {
                id,
                slug,
                name,
                instances,
                instance_count: u32::try_from(total)?,
                matching_count: u32::try_from(matching)?,
                next,
            });
        }
        Ok(ConnectorList { connectors, choices })
    }

    async fn count(&self, selection: &Selection) -> anyhow::Result<i64> {
        let sql = format!("SELECT COUNT(*) AS n FROM instances i WHERE {}", selection.sql);
        Ok(selection.bind(sqlx::query(&sql)).fetch_one(&self.pool).await?.try_get("n")?)
    }

    async fn instance_page(
        &self,
        selection: &Selection,
        definition: &ConnectorDefinition,
        limit: u32,
        after: Option<&Cursor>,
    ) -> anyhow::Result<(Vec<InstanceSummary>, Option<String>)> {
        let key = ordered_key(self.backend);
        let mut selection = Selection { sql: selection.sql.clone(), values: selection.values.clone() };
        if let Some(after) = after {
            let (a, b, c) = (selection.values.len() + 1, selection.values.len() + 2, selection.values.len() + 3);
            selection.sql.push_str(&format!(" AND ({key} > ${a} OR ({key} = ${b} AND i.id > ${c}))"));
            selection.values.extend([Value::Text(after.key.clone()), Value::Text(after.key.clone()), Value::Int(after.id)]);
        }
        let limit_placeholder = selection.values.len() + 1;
        let sql = format!(
            "SELECT i.id, i.name, i.search_name, i.auth_method, i.status, i.last_tested_at, i.last_checked_at, i.certificate_info,
                    (SELECT COUNT(*) FROM process_flow_instances pfi WHERE pfi.instance_id = i.id) AS flow_count
             FROM instances i
             WHERE {}
             ORDER BY {key}, i.id
             LIMIT ${limit_placeholder}",
            selection.sql
        );
        let found = selection.bind(sqlx::query(&sql)).bind(i64::from(limit) + 1).fetch_all(&self.pool).await?;
        let (page, next) = split_page(found, limit, |row: &AnyRow| Cursor {
            key: row.try_get("search_name").unwrap_or_default(),
            id: row.try_get("id").unwrap_or_default(),
        });
        let instances = page.iter().map(|row| summary(row, definition)).collect::<anyhow::Result<_>>()?;
        Ok((instances, next))
    }

    /// Gives every instance whose search key is missing or out of date
    /// (written before migration 0011, or by a path that did not set it)
    /// the key [`search_key`] makes of its name.
    pub(super) async fn refresh_search_keys(&self) -> anyhow::Result<()> {
        let mut stale: Vec<(Id, String)> = Vec::new();
        for row in sqlx::query("SELECT id, name, search_name FROM instances").fetch_all(&self.pool).await? {
            let wanted = search_key(&row.try_get::<String, _>("name")?);
            if row.try_get::<Option<String>, _>("search_name")?.as_deref() != Some(wanted.as_str()) {
                stale.push((row.try_get("id")?, wanted));
            }
        }
        if stale.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for (id, key) in stale {
            sqlx::query("UPDATE instances SET search_name = $1 WHERE id = $2").bind(key).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// One instance row as the list shows it.
pub(super) fn summary(row: &AnyRow, definition: &ConnectorDefinition) -> anyhow::Result<InstanceSummary> {
    let method_key: String = row.try_get("auth_method")?;
    let method = definition
        .auth_method(&method_key)
        .with_context(|| format!("instance uses unknown auth method {method_key}"))?;
    Ok(InstanceSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        auth_kind: method.kind,
        auth_method_label: method.label.clone(),
        status: rows::parse_status(&row.try_get::<String, _>("status")?)?,
        last_tested_at: row.try_get("last_tested_at")?,
        last_checked_at: row.try_get("last_checked_at")?,
        process_flow_count: u32::try_from(row.try_get::<i64, _>("flow_count")?)?,
        certificate_not_after: CertificatesRow::read(row)?.map(|c| StoredCertificates::from(c).not_after()),
    })
}

/// Writes the search key of an instance's (new) name, in the transaction
/// that writes the name.
pub(super) async fn set_search_key(conn: &mut sqlx::AnyConnection, instance_id: Id, name: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE instances SET search_name = $1 WHERE id = $2")
        .bind(search_key(name))
        .bind(instance_id)
        .execute(conn)
        .await?;
    Ok(())
}
