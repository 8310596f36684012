//! Embedded in a host portal: the page inside the host's iframe
//! ([`page`]), its line to the host ([`host_link`]) and the messages they
//! exchange ([`messages`]), and the plain rules behind them: theming
//! ([`appearance`]), the events the host hears ([`report`]), when to renew
//! the session ([`renewal`]), and the height the host is told ([`resize`]).

pub mod appearance;
pub mod host_link;
pub mod messages;
pub mod page;
pub mod renewal;
pub mod report;
pub mod resize;
