//! Deleting an instance: the refusal while process flows use it.

use serde::{Deserialize, Serialize};

use crate::errors::ErrorCode;
use crate::instances::ProcessFlowRef;

/// The body of `409 in_use` for `DELETE /api/instances/{id}`: the error
/// body's `code` and `message`, and the process flows (enabled or not)
/// that use the instance. Read as an `ErrorBody` it is the sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceInUse {
    pub code: ErrorCode,
    pub message: String,
    pub flows: Vec<ProcessFlowRef>,
}
