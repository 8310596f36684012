//! The demo's instances that use its sandbox keep the sandbox's address in
//! their settings; a later run of the demo may listen on another port.

use std::collections::BTreeMap;

use sqlx::Row;

use super::Store;

/// `value` pointed at `new_base` (e.g. `http://127.0.0.1:3000/sandbox`) when
/// it is an address of a sandbox (`http://<host>/sandbox…`) elsewhere.
fn rebased(value: &str, new_base: &str) -> Option<String> {
    let rest = value.strip_prefix("http://")?;
    let (authority, path) = rest.split_once('/')?;
    let tail = path.strip_prefix("sandbox")?;
    if authority.is_empty() || !(tail.is_empty() || tail.starts_with('/')) {
        return None;
    }
    let moved = format!("{new_base}{tail}");
    (moved != value).then_some(moved)
}

fn rebase_map(json: &str, new_base: &str) -> anyhow::Result<Option<String>> {
    let mut map: BTreeMap<String, String> = serde_json::from_str(json)?;
    let mut changed = false;
    for value in map.values_mut() {
        if let Some(moved) = rebased(value, new_base) {
            *value = moved;
            changed = true;
        }
    }
    Ok(if changed { Some(serde_json::to_string(&map)?) } else { None })
}

impl Store {
    /// Points the sandbox addresses in the settings of `company`'s
    /// instances at `new_base`. Not a user's edit: versions and history stay.
    /// Answers how many instances changed.
    pub async fn rebase_sandbox_addresses(&self, company: &str, new_base: &str) -> anyhow::Result<usize> {
        let rows = sqlx::query(
            "SELECT i.id, i.variables, i.auth_fields FROM instances i JOIN companies c ON c.id = i.company_id
             WHERE c.name = $1",
        )
        .bind(company)
        .fetch_all(&self.pool)
        .await?;
        let mut moved = 0;
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let variables: String = row.try_get("variables")?;
            let fields: String = row.try_get("auth_fields")?;
            let (new_variables, new_fields) = (rebase_map(&variables, new_base)?, rebase_map(&fields, new_base)?);
            if new_variables.is_none() && new_fields.is_none() {
                continue;
            }
            sqlx::query("UPDATE instances SET variables = $1, auth_fields = $2 WHERE id = $3")
                .bind(new_variables.unwrap_or(variables))
                .bind(new_fields.unwrap_or(fields))
                .bind(id)
                .execute(&self.pool)
                .await?;
            moved += 1;
        }
        Ok(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sandbox_addresses_move() {
        let base = "http://127.0.0.1:4000/sandbox";
        assert_eq!(rebased("http://127.0.0.1:3000/sandbox/oauth/token", base).as_deref(), Some("http://127.0.0.1:4000/sandbox/oauth/token"));
        assert_eq!(rebased("http://127.0.0.1:3000/sandbox", base).as_deref(), Some(base));
        assert_eq!(rebased("http://127.0.0.1:4000/sandbox/basic", base), None, "already there");
        for other in ["https://api.example.com/sandbox/v1", "http://api.example.com/sandboxes", "/me", "northwind-uk"] {
            assert_eq!(rebased(other, base), None, "{other}");
        }
    }
}
