//! The one place that talks HTTP: a typed client for the conduit JSON API.
//!
//! Pages take an [`ApiClient`] from context and get `Result<T, ApiError>`
//! back; they never build URLs or read response bodies themselves.

use std::fmt;

use conduit_types::create::{CreateInstanceRequest, NewInstanceDraft};
use conduit_types::draft::{
    AuthorisationStatus, AuthoriseRequest, AuthoriseStart, CertificateUpload, InstanceHistory, SaveRequest,
    TestDraftRequest, TestDraftResponse,
};
use conduit_types::{
    ConnectorList, CreatedApiKey, EmbedExchange, EmbedToken, DeveloperSettings, EmbedOrigins, NewApiKey, ErrorBody, ErrorCode, FieldError, Id, InstanceSettings, ListQuery, LoginRequest, Me,
    ProcessFlow, StoredCertificates,
};
use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::base_path;

/// Everything that can go wrong with an API call, as one type whose
/// `Display` is a sentence a person can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The server answered with its error body.
    Server { status: u16, body: ErrorBody },
    /// No answer arrived (offline, server down, request refused by the browser).
    Unreachable,
    /// An answer arrived that is not what the API promises (e.g. an HTML
    /// error page from a proxy).
    Unreadable { status: u16 },
    /// The user cancelled the request before an answer arrived.
    Cancelled,
}

impl ApiError {
    /// The server's error code, when the server gave one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Server { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// The user is not signed in (or no longer is).
    pub fn is_unauthenticated(&self) -> bool {
        match self {
            ApiError::Server { status, body } => {
                *status == 401 || body.code == ErrorCode::Unauthenticated
            }
            ApiError::Unreadable { status } => *status == 401,
            ApiError::Unreachable | ApiError::Cancelled => false,
        }
    }

    /// The thing asked for does not exist (for this user).
    pub fn is_not_found(&self) -> bool {
        match self {
            ApiError::Server { status, body } => *status == 404 || body.code == ErrorCode::NotFound,
            ApiError::Unreadable { status } => *status == 404,
            ApiError::Unreachable | ApiError::Cancelled => false,
        }
    }

    /// The server's complaint about one request field, if it made one.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => body
                .fields
                .iter()
                .find(|f: &&FieldError| f.field == field)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Server { body, .. } => f.write_str(&body.message),
            ApiError::Unreachable => {
                f.write_str("The server could not be reached. Check your connection and try again.")
            }
            ApiError::Unreadable { status } => write!(
                f,
                "The server gave an answer the dashboard could not read (HTTP {status}). \
                 Try again in a moment."
            ),
            ApiError::Cancelled => f.write_str("The request was cancelled."),
        }
    }
}

impl std::error::Error for ApiError {}

/// Reads a response body: the promised `T` for a success status, otherwise
/// the server's [`ErrorBody`].
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(body).map_err(|_| ApiError::Unreadable { status })
    } else {
        Err(decode_error(status, body))
    }
}

/// Reads a failing response's [`ErrorBody`].
pub fn decode_error(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(body) => ApiError::Server { status, body },
        Err(_) => ApiError::Unreadable { status },
    }
}

/// The typed client of the conduit API, served from the same origin as the
/// dashboard: the session cookie goes along with every request, or in an
/// embedded page (which has no cookie) the embed session's bearer token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ApiClient {
    bearer: Option<Bearer>,
}

/// An embed session's token, kept in memory only, and a count of the
/// requests the server refused it for (so the page can renew it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bearer {
    pub token: StoredValue<String>,
    pub refused: RwSignal<u32>,
}

impl ApiClient {
    pub fn new() -> Self {
        ApiClient { bearer: None }
    }

    /// The client of an embedded page, sending `bearer`'s token.
    pub fn embedded(bearer: Bearer) -> Self {
        ApiClient { bearer: Some(bearer) }
    }

    /// `POST /api/embed/exchange`: trades an embed session's one-time
    /// secret for its bearer token.
    pub async fn embed_exchange(&self, request: &EmbedExchange) -> Result<EmbedToken, ApiError> {
        answer(self.send(accept_json(post("/api/embed/exchange")).json(request)).await)
    }

    /// Sends a request with the embed session's token, if there is one,
    /// and notes when the server refuses it.
    async fn send(&self, request: Result<Request, gloo_net::Error>) -> Result<(u16, String), ApiError> {
        let request = request.map_err(|_| ApiError::Unreachable)?;
        if let Some(bearer) = self.bearer {
            request.headers().set("Authorization", &format!("Bearer {}", bearer.token.get_value()));
        }
        let exchanged = exchange(request).await;
        if let (Some(bearer), Ok((401, _))) = (self.bearer, &exchanged) {
            bearer.refused.update(|count| *count += 1);
        }
        exchanged
    }

    /// `POST /api/session`: signs in and sets the session cookie.
    pub async fn sign_in(&self, request: &LoginRequest) -> Result<Me, ApiError> {
        let request = post("/api/session").json(request);
        answer(self.send(request).await)
    }

    /// `DELETE /api/session`: signs out.
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        done(self.send(delete("/api/session").build()).await)
    }

    /// `GET /api/me`: who is signed in; a 401 when nobody is.
    pub async fn me(&self) -> Result<Me, ApiError> {
        answer(self.send(get("/api/me")).await)
    }

    /// `GET /api/connectors?…`: the company's installed connectors, each
    /// with the page of its instances `query` asks for. Aborting `abort`
    /// answers [`ApiError::Cancelled`].
    pub async fn connectors(
        &self,
        query: &ListQuery,
        abort: Option<&web_sys::AbortSignal>,
    ) -> Result<ConnectorList, ApiError> {
        let pairs = query.to_pairs();
        let request = get_builder("/api/connectors")
            .query(pairs.iter().map(|(name, value)| (*name, value.as_str())))
            .abort_signal(abort)
            .build();
        match self.send(request).await {
            Err(_) if abort.is_some_and(|signal| signal.aborted()) => Err(ApiError::Cancelled),
            exchanged => answer(exchanged),
        }
    }

    /// `GET /api/instances/{id}`: one instance's current settings.
    pub async fn instance(&self, id: Id) -> Result<InstanceSettings, ApiError> {
        answer(self.send(get(&format!("/api/instances/{id}"))).await)
    }

    /// `POST /api/instances/{id}/test`: tests a draft; nothing is saved.
    /// Aborting `abort` cancels the request (and with it the test on the
    /// server), answering [`ApiError::Cancelled`].
    pub async fn test_draft(
        &self,
        id: Id,
        request: &TestDraftRequest,
        abort: Option<&web_sys::AbortSignal>,
    ) -> Result<TestDraftResponse, ApiError> {
        self.test_at(&format!("/api/instances/{id}/test"), request, abort).await
    }

    /// `POST /api/connectors/{id}/instances/test`: tests a new instance's
    /// draft; nothing is saved. Cancelled as [`ApiClient::test_draft`].
    pub async fn test_new_draft(
        &self,
        connector: Id,
        request: &TestDraftRequest,
        abort: Option<&web_sys::AbortSignal>,
    ) -> Result<TestDraftResponse, ApiError> {
        self.test_at(&format!("/api/connectors/{connector}/instances/test"), request, abort).await
    }

    async fn test_at(
        &self,
        url: &str,
        request: &TestDraftRequest,
        abort: Option<&web_sys::AbortSignal>,
    ) -> Result<TestDraftResponse, ApiError> {
        let request = accept_json(post(url)).abort_signal(abort).json(request);
        match self.send(request).await {
            Err(_) if abort.is_some_and(|signal| signal.aborted()) => Err(ApiError::Cancelled),
            exchanged => answer(exchanged),
        }
    }

    /// `GET /api/connectors/{id}/instances/new`: a blank draft of the
    /// connector, and the blank settings it is edited against.
    pub async fn new_instance(&self, connector: Id) -> Result<NewInstanceDraft, ApiError> {
        answer(self.send(get(&format!("/api/connectors/{connector}/instances/new"))).await)
    }

    /// `GET /api/instances/{id}/duplicate`: a new draft copying the
    /// instance, without its secrets. Nothing is created.
    pub async fn duplicate_instance(&self, id: Id) -> Result<NewInstanceDraft, ApiError> {
        answer(self.send(get(&format!("/api/instances/{id}/duplicate"))).await)
    }

    /// `POST /api/connectors/{id}/instances`: creates an instance from a
    /// tested (or authorised) draft, answering its settings.
    pub async fn create_instance(
        &self,
        connector: Id,
        request: &CreateInstanceRequest,
    ) -> Result<InstanceSettings, ApiError> {
        let request = accept_json(post(&format!("/api/connectors/{connector}/instances"))).json(request);
        answer(self.send(request).await)
    }

    /// `POST /api/connectors/{id}/instances/authorise`: starts authorising
    /// a new instance's draft with the provider, in a popup.
    pub async fn authorise_new(&self, connector: Id, request: &AuthoriseRequest) -> Result<AuthoriseStart, ApiError> {
        let request = accept_json(post(&format!("/api/connectors/{connector}/instances/authorise"))).json(request);
        answer(self.send(request).await)
    }

    /// `PUT /api/instances/{id}`: saves a draft, answering the saved settings.
    pub async fn save_instance(
        &self,
        id: Id,
        request: &SaveRequest,
    ) -> Result<InstanceSettings, ApiError> {
        let request = accept_json(put(&format!("/api/instances/{id}"))).json(request);
        answer(self.send(request).await)
    }

    /// `POST /api/certificates/inspect`: what the server reads from an
    /// upload, or its problems by field. Nothing is stored.
    pub async fn inspect_certificate(&self, upload: &CertificateUpload) -> Result<StoredCertificates, ApiError> {
        let request = accept_json(post("/api/certificates/inspect")).json(upload);
        answer(self.send(request).await)
    }

    /// `POST /api/instances/{id}/authorise`: starts authorising a draft
    /// with the provider, answering the consent page's address.
    pub async fn authorise(&self, id: Id, request: &AuthoriseRequest) -> Result<AuthoriseStart, ApiError> {
        let request = accept_json(post(&format!("/api/instances/{id}/authorise"))).json(request);
        answer(self.send(request).await)
    }

    /// `GET /api/authorisations/{id}`: where an authorisation has got to.
    pub async fn authorisation(&self, authorisation: &str) -> Result<AuthorisationStatus, ApiError> {
        answer(self.send(get(&format!("/api/authorisations/{authorisation}"))).await)
    }

    /// `DELETE /api/authorisations/{id}`: drops an unfinished authorisation.
    pub async fn cancel_authorisation(&self, authorisation: &str) {
        _ = self.send(delete(&format!("/api/authorisations/{authorisation}")).build()).await;
    }

    /// `GET /api/instances/{id}/history`: saves and tests, newest first.
    pub async fn history(&self, id: Id) -> Result<InstanceHistory, ApiError> {
        answer(self.send(get(&format!("/api/instances/{id}/history"))).await)
    }

    /// `GET /api/developer`: the company's API keys and embedding origins.
    pub async fn developer(&self) -> Result<DeveloperSettings, ApiError> {
        answer(self.send(get("/api/developer")).await)
    }

    /// `POST /api/developer/keys`: creates an API key, answering its secret
    /// this once.
    pub async fn create_api_key(&self, request: &NewApiKey) -> Result<CreatedApiKey, ApiError> {
        let request = accept_json(post("/api/developer/keys")).json(request);
        answer(self.send(request).await)
    }

    /// `DELETE /api/developer/keys/{id}`: revokes an API key.
    pub async fn revoke_api_key(&self, id: Id) -> Result<(), ApiError> {
        self.remove(&format!("/api/developer/keys/{id}")).await
    }

    /// `DELETE /api/instances/{id}`: deletes an instance no process flow
    /// uses (else 409 `in_use`, its sentence naming the flows).
    pub async fn delete_instance(&self, id: Id) -> Result<(), ApiError> {
        self.remove(&format!("/api/instances/{id}")).await
    }

    /// `GET /api/process-flows/{id}`: a process flow and its recent runs.
    pub async fn process_flow(&self, id: Id) -> Result<ProcessFlow, ApiError> {
        answer(self.send(get(&format!("/api/process-flows/{id}"))).await)
    }

    /// `POST /api/process-flows/{id}/run`: starts a run now (it goes on in
    /// the background and shows on the flow's page; 409 while one is running).
    pub async fn run_flow(&self, id: Id) -> Result<(), ApiError> {
        let request = accept_json(post(&format!("/api/process-flows/{id}/run"))).build();
        done(self.send(request).await)
    }

    /// A `DELETE` of `url` that answers no body.
    async fn remove(&self, url: &str) -> Result<(), ApiError> {
        done(self.send(accept_json(delete(url)).build()).await)
    }

    /// `PUT /api/developer/origins`: replaces the origins allowed to embed.
    pub async fn save_origins(&self, request: &EmbedOrigins) -> Result<DeveloperSettings, ApiError> {
        let request = accept_json(put("/api/developer/origins")).json(request);
        answer(self.send(request).await)
    }
}

fn get(path: &str) -> Result<Request, gloo_net::Error> {
    get_builder(path).build()
}

/// A JSON `GET` of `path` still to be given its query or abort signal.
fn get_builder(path: &str) -> RequestBuilder {
    accept_json(Request::get(&base_path::url(path)))
}

/// Requests to `path` (an API path, `/api/…`) under the base path.
fn post(path: &str) -> RequestBuilder {
    Request::post(&base_path::url(path))
}

fn put(path: &str) -> RequestBuilder {
    Request::put(&base_path::url(path))
}

fn delete(path: &str) -> RequestBuilder {
    Request::delete(&base_path::url(path))
}

fn accept_json(request: RequestBuilder) -> RequestBuilder {
    request.header("Accept", "application/json")
}

/// Sends a request and reads its whole answer: the status and the body's
/// text. Not generic, so each endpoint adds only its decoding to the bundle.
async fn exchange(request: Request) -> Result<(u16, String), ApiError> {
    let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|_| ApiError::Unreadable { status })?;
    Ok((status, body))
}

/// An exchanged answer that carries no body on success (e.g. 204).
fn done(exchanged: Result<(u16, String), ApiError>) -> Result<(), ApiError> {
    let (status, body) = exchanged?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(decode_error(status, &body))
    }
}

/// Decodes an exchanged answer into the promised type, or the error it is.
fn answer<T: DeserializeOwned>(exchanged: Result<(u16, String), ApiError>) -> Result<T, ApiError> {
    let (status, body) = exchanged?;
    decode(status, &body)
}

#[cfg(test)]
mod tests;
