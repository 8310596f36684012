//! A small HTTP/1.1 client for connection tests. It resolves through the
//! egress policy and connects only to the addresses the policy approved, so a
//! second DNS answer can never redirect it. Each stage (resolve, connect, TLS,
//! request) is timed and bounded; redirects are never followed; response
//! bodies are read up to a cap.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue};
use hyper::Method;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use url::Url;

use crate::egress::{EgressError, EgressPolicy};

/// What to send.
#[derive(Clone, Debug)]
pub struct OutboundRequest {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Option<(&'static str, Bytes)>,
}

/// What came back: the status, the headers the engine needs, and at most
/// `max_body` bytes of the body (never shown to users).
#[derive(Clone, Debug)]
pub struct InboundResponse {
    pub status: u16,
    pub body: Bytes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Resolve,
    Connect,
    Tls,
    Request,
}

/// How long one stage took, and whether it succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageTiming {
    pub stage: Stage,
    pub ok: bool,
    pub duration: Duration,
    pub status: Option<u16>,
}

/// Why a request did not produce a response.
#[derive(Debug)]
pub enum Failure {
    Egress(EgressError),
    Connect { host: String },
    Tls { host: String, problem: TlsProblem },
    Timeout { stage: Stage, host: String },
    Protocol { host: String },
}

/// TLS failures a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsProblem {
    UnknownIssuer,
    WrongName,
    Expired,
    ClientCertificateRequired,
    ClientCertificateRejected,
    Other,
}

/// One request's bounds and TLS setup.
#[derive(Clone)]
pub struct Transport {
    pub policy: EgressPolicy,
    pub tls: Arc<rustls::ClientConfig>,
    pub step_timeout: Duration,
    pub deadline: Instant,
    pub max_body: usize,
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

impl Transport {
    /// The time a stage may take: the step timeout, or what is left of the whole test.
    fn budget(&self) -> Duration {
        self.step_timeout
            .min(self.deadline.saturating_duration_since(Instant::now()))
    }

    /// Sends `request`, recording each stage's timing in `timings`.
    pub async fn send(
        &self,
        request: OutboundRequest,
        timings: &mut Vec<StageTiming>,
    ) -> Result<InboundResponse, Failure> {
        let host = request.url.host_str().unwrap_or_default().to_owned();
        let timed_out = |stage| Failure::Timeout { stage, host: host.clone() };

        // Resolve once, through the policy.
        let started = Instant::now();
        let addrs = match tokio::time::timeout(self.budget(), self.policy.resolve(&request.url)).await {
            Ok(Ok(addrs)) => addrs,
            Ok(Err(e)) => {
                record(timings, Stage::Resolve, false, started, None);
                return Err(Failure::Egress(e));
            }
            Err(_) => {
                record(timings, Stage::Resolve, false, started, None);
                return Err(timed_out(Stage::Resolve));
            }
        };
        record(timings, Stage::Resolve, true, started, None);

        // Connect to an approved address, and only to one of those.
        let started = Instant::now();
        let tcp = match tokio::time::timeout(self.budget(), connect_any(&addrs)).await {
            Ok(Some(tcp)) => tcp,
            Ok(None) => {
                record(timings, Stage::Connect, false, started, None);
                return Err(Failure::Connect { host });
            }
            Err(_) => {
                record(timings, Stage::Connect, false, started, None);
                return Err(timed_out(Stage::Connect));
            }
        };
        record(timings, Stage::Connect, true, started, None);

        let stream: Box<dyn Io> = if request.url.scheme() == "https" {
            let started = Instant::now();
            let name = match request.url.host() {
                Some(url::Host::Ipv4(ip)) => ServerName::IpAddress(std::net::IpAddr::V4(ip).into()),
                Some(url::Host::Ipv6(ip)) => ServerName::IpAddress(std::net::IpAddr::V6(ip).into()),
                _ => ServerName::try_from(host.clone()).map_err(|_| Failure::Protocol { host: host.clone() })?,
            };
            let connector = tokio_rustls::TlsConnector::from(self.tls.clone());
            match tokio::time::timeout(self.budget(), connector.connect(name, tcp)).await {
                Ok(Ok(tls)) => {
                    record(timings, Stage::Tls, true, started, None);
                    Box::new(tls)
                }
                Ok(Err(e)) => {
                    record(timings, Stage::Tls, false, started, None);
                    return Err(Failure::Tls { host, problem: tls_problem(&e) });
                }
                Err(_) => {
                    record(timings, Stage::Tls, false, started, None);
                    return Err(timed_out(Stage::Tls));
                }
            }
        } else {
            Box::new(tcp)
        };

        let started = Instant::now();
        let result = tokio::time::timeout(self.budget(), exchange(stream, &request, &host, self.max_body)).await;
        match result {
            Ok(Ok(response)) => {
                record(timings, Stage::Request, true, started, Some(response.status));
                Ok(response)
            }
            Ok(Err(failure)) => {
                record(timings, Stage::Request, false, started, None);
                Err(failure)
            }
            Err(_) => {
                record(timings, Stage::Request, false, started, None);
                Err(timed_out(Stage::Request))
            }
        }
    }
}

fn record(timings: &mut Vec<StageTiming>, stage: Stage, ok: bool, started: Instant, status: Option<u16>) {
    timings.push(StageTiming { stage, ok, duration: started.elapsed(), status });
}

async fn connect_any(addrs: &[SocketAddr]) -> Option<TcpStream> {
    for addr in addrs {
        if let Ok(tcp) = TcpStream::connect(addr).await {
            let _ = tcp.set_nodelay(true);
            return Some(tcp);
        }
    }
    None
}

/// Writes the request and reads the status and a capped body.
async fn exchange(
    stream: Box<dyn Io>,
    request: &OutboundRequest,
    host: &str,
    max_body: usize,
) -> Result<InboundResponse, Failure> {
    let protocol = |_| Failure::Protocol { host: host.to_owned() };
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| io_failure(e, host))?;
    // The connection task ends with this function: dropping the guard aborts it.
    let driver = AbortOnDrop(tokio::spawn(async move {
        let _ = connection.await;
    }));

    let url = &request.url;
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let authority = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => return Err(Failure::Protocol { host: host.to_owned() }),
    };
    let mut builder = hyper::Request::builder()
        .method(request.method.clone())
        .uri(target)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::USER_AGENT, "conduit-connection-test/1")
        .header(hyper::header::ACCEPT, "application/json, */*;q=0.5");
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let body = match &request.body {
        Some((content_type, bytes)) => {
            builder = builder.header(hyper::header::CONTENT_TYPE, *content_type);
            Full::new(bytes.clone())
        }
        None => Full::new(Bytes::new()),
    };
    let outbound = builder.body(body).map_err(protocol)?;
    let response = sender.send_request(outbound).await.map_err(|e| io_failure(e, host))?;
    let status = response.status().as_u16();

    let mut body = response.into_body();
    let mut collected = Vec::new();
    while collected.len() < max_body {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    let room = max_body - collected.len();
                    collected.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Some(Err(e)) => return Err(io_failure(e, host)),
            None => break,
        }
    }
    drop(driver);
    Ok(InboundResponse { status, body: Bytes::from(collected) })
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A failure while talking HTTP may really be TLS (a TLS 1.3 server refuses a
/// client certificate only after the handshake).
fn io_failure(e: hyper::Error, host: &str) -> Failure {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.get_ref().is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()) {
                return Failure::Tls { host: host.to_owned(), problem: tls_problem(io) };
            }
        }
        source = err.source();
    }
    Failure::Protocol { host: host.to_owned() }
}

fn tls_problem(e: &std::io::Error) -> TlsProblem {
    use rustls::{AlertDescription, CertificateError, Error};
    let Some(error) = e.get_ref().and_then(|inner| inner.downcast_ref::<Error>()) else {
        return TlsProblem::Other;
    };
    match error {
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => TlsProblem::UnknownIssuer,
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => TlsProblem::WrongName,
        Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
            TlsProblem::Expired
        }
        Error::AlertReceived(AlertDescription::CertificateRequired) => TlsProblem::ClientCertificateRequired,
        Error::AlertReceived(
            AlertDescription::BadCertificate | AlertDescription::UnknownCA | AlertDescription::CertificateUnknown,
        ) => TlsProblem::ClientCertificateRejected,
        _ => TlsProblem::Other,
    }
}
