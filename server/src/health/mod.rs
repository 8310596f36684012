//! The background health checker: re-tests every saved connection on a
//! schedule and soon after a save, through the engine and its egress
//! policy, and records the status it finds. `schedule` and `status` are the
//! rules (plain functions over data); `check` tests one instance; `round`
//! runs the due checks under the caps; `scope` says which instances; `task` is the tokio task.

pub mod check;
pub mod round;
pub mod schedule;
pub mod scope;
pub mod status;
pub mod task;

pub use round::run_round;
pub use schedule::Limits;
pub use scope::Scope;
pub use task::HealthTask;
