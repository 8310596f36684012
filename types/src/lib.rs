//! The contract between the conduit server and the dashboard.
//!
//! Every request and response body of the JSON API is defined here, once, and
//! compiled into both sides, so the two cannot drift apart. This crate depends
//! on serde only. One module per resource; everything is re-exported here, so
//! `conduit_types::X` names any wire type.

pub mod address;
pub mod certificates;
pub mod connectors;
pub mod create;
pub mod deletion;
pub mod developer;
pub mod draft;
pub mod embed;
pub mod errors;
pub mod events;
pub mod field_key;
pub mod flows;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod instances;
pub mod list;
pub mod list_query;
pub mod redacted;
pub mod scalars;
pub mod search;
pub mod session;
pub mod testing;
pub mod time_zones;

pub use certificates::{CertificateInfo, CertificateState, Expiry, StoredCertificates};
pub use connectors::{
    AuthKind, AuthMethodDef, AuthSettings, ClientAuthStyle, ConnectorDefinition, FieldChoice, FieldDef, FieldKind,
    Placement, SignatureMethod, TestRequestDef, CLIENT_AUTH_FIELD, SIGNATURE_METHOD_FIELD,
};
pub use deletion::InstanceInUse;
pub use developer::{ApiKeySummary, CreatedApiKey, DeveloperSettings, EmbedOrigins, NewApiKey};
pub use embed::{EmbedExchange, EmbedSessionSecret, EmbedToken, NewEmbedSession, Permission};
pub use errors::{ConflictInfo, ErrorBody, ErrorCode, FieldError};
pub use flows::{FlowInstance, FlowRequest, FlowRun, ProcessFlow, RunOutcome, RunStart, StartedRun};
pub use events::{InstanceEvent, InstanceEventKind, LiveMessage};
pub use instances::{
    AuthFieldValue, ConnectorRef, InstanceAuthentication, InstanceDetails, InstanceSettings, ProcessFlowRef, RateLimit,
    RateLimitUnit,
};
pub use list::{ConnectorChoice, ConnectorList, ConnectorSummary, InstanceStatus, InstanceSummary};
pub use list_query::{ListFilter, ListQuery, ListQueryError};
pub use scalars::{Id, Timestamp};
pub use session::{CompanySummary, LoginRequest, Me, UserSummary};
pub use testing::{FieldToFix, TestOutcome, TestResult, TestStep, TestStepKind};
