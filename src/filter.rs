//! The `manage connectors` search: which connectors and instances a query keeps.

use conduit_types::ConnectorSummary;

use crate::text::fold_case;

/// Narrows the installed connectors to those matching `query`, ignoring case
/// and surrounding spaces:
///
/// - a connector whose name matches is kept with all of its instances;
/// - otherwise it is kept with only the instances whose names match;
/// - a connector with neither is left out.
///
/// An empty query keeps everything. The order is kept as given.
pub fn filter_connectors(connectors: &[ConnectorSummary], query: &str) -> Vec<ConnectorSummary> {
    let needle = fold_case(query.trim());
    if needle.is_empty() {
        return connectors.to_vec();
    }
    let matches = |name: &str| fold_case(name).contains(&needle);
    connectors
        .iter()
        .filter_map(|connector| {
            if matches(&connector.name) {
                return Some(connector.clone());
            }
            let instances: Vec<_> = connector
                .instances
                .iter()
                .filter(|instance| matches(&instance.name))
                .cloned()
                .collect();
            (!instances.is_empty()).then(|| ConnectorSummary {
                instances,
                ..connector.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
