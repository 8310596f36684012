//! Deleting an instance: only a signed-in user may (never an embed
//! session); refused while any process flow, enabled or not, uses it,
//! naming the flows; otherwise the store removes it with its secrets, key
//! material and tokens, and any authorisation in progress for it is dropped.

use conduit_types::{Id, ProcessFlowRef};

use crate::error::{ApiResult, AppError};
use crate::store::{Deletion, SessionUser};
use crate::AppState;

/// The sentence for an embed session that asks to delete its instance.
pub const EMBED_MAY_NOT_DELETE: &str = "An embedded page cannot delete its instance. Delete it from conduit itself.";

/// Whether the request may delete at all: not with an embed session's token.
pub fn may_delete(embedded: bool) -> ApiResult<()> {
    if embedded {
        return Err(AppError::Forbidden(EMBED_MAY_NOT_DELETE.to_owned()));
    }
    Ok(())
}

/// The refusal while `flows` use the instance: a sentence naming them.
pub fn in_use(flows: Vec<ProcessFlowRef>) -> AppError {
    AppError::InUse { message: in_use_sentence(&flows), flows }
}

/// "This instance is used by the process flow “Orders” (disabled). …"
pub fn in_use_sentence(flows: &[ProcessFlowRef]) -> String {
    let names: Vec<String> = flows
        .iter()
        .map(|f| format!("“{}”{}", f.name, if f.enabled { "" } else { " (disabled)" }))
        .collect();
    match names.as_slice() {
        [] => "This instance cannot be deleted while a process flow uses it.".to_owned(),
        [one] => format!("This instance cannot be deleted while the process flow {one} uses it. Remove it from that flow first."),
        [rest @ .., last] => format!(
            "This instance cannot be deleted while the process flows {} and {last} use it. Remove it from those flows first.",
            rest.join(", ")
        ),
    }
}

/// Deletes the user's instance: 404 when the company has none by that id,
/// 409 naming the flows that use it.
pub async fn delete_instance(state: &AppState, user: &SessionUser, id: Id) -> ApiResult<()> {
    match state.store.delete_instance(user.company_id, id, user.user_id, user.acting_as.as_deref()).await? {
        Deletion::NotFound => Err(AppError::not_found("instance")),
        Deletion::InUse(flows) => Err(in_use(flows)),
        Deletion::Deleted => {
            state.authorisations.drop_instance(user.company_id, id);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(id: Id, name: &str, enabled: bool) -> ProcessFlowRef {
        ProcessFlowRef { id, name: name.to_owned(), enabled }
    }

    #[test]
    fn one_flow_is_named_with_whether_it_is_disabled() {
        assert_eq!(
            in_use_sentence(&[flow(1, "Orders", false)]),
            "This instance cannot be deleted while the process flow “Orders” (disabled) uses it. Remove it from that flow first."
        );
    }

    #[test]
    fn several_flows_are_all_named() {
        let sentence = in_use_sentence(&[flow(1, "A", true), flow(2, "B", true), flow(3, "C", false)]);
        assert_eq!(
            sentence,
            "This instance cannot be deleted while the process flows “A”, “B” and “C” (disabled) use it. Remove it from those flows first."
        );
    }

    #[test]
    fn the_refusal_carries_the_flows() {
        let flows = vec![flow(7, "Stock", true)];
        match in_use(flows.clone()) {
            AppError::InUse { flows: carried, message } => {
                assert_eq!(carried, flows);
                assert!(message.contains("“Stock”"));
            }
            other => panic!("not an in-use refusal: {other:?}"),
        }
    }

    #[test]
    fn an_embed_session_may_not_delete() {
        assert!(may_delete(false).is_ok());
        assert!(matches!(may_delete(true), Err(AppError::Forbidden(m)) if m == EMBED_MAY_NOT_DELETE));
    }
}
