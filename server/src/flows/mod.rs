//! The process-flow runner: each flow's step calls the API of every
//! instance it uses, on the flow's schedule or by `run now`, through the
//! engine and its egress policy, under the instance's rate limit and its
//! connection pool's cap, with the instance as saved at the moment of each
//! request. `rate`, `pool`, `schedule` and `outcome` are the rules (plain
//! functions and small shared counters); `wait` waits on the clock;
//! `snapshot` reads an instance as saved; `request` makes one request;
//! `run` one run; `runner` is what runs share; `task` is the tokio task.

pub mod outcome;
pub mod pool;
pub mod rate;
pub mod request;
pub mod run;
pub mod runner;
pub mod schedule;
pub mod snapshot;
pub mod task;
pub mod view;
pub mod wait;

pub use run::{start_run, Start};
pub use runner::Runner;
pub use task::{tick, FlowTask};
