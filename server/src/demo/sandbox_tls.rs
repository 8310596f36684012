//! The demo's sandbox behind mutual TLS: the same labelled stand-in API as
//! [`super::sandbox`], on a second loopback listener that speaks HTTPS only
//! to clients presenting a certificate signed by the demo CA. Without one the
//! TLS handshake fails.
//!
//! The demo CA, the server's certificate and the demo client certificate are
//! made at every start, so no private key is committed and none expires
//! unnoticed. They are demo values, not anyone's secrets.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use conduit_types::draft::{CertificateUpload, IdentityUpload};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;

use crate::certificates::check_upload;
use crate::store::NewCertificates;

/// The passphrase of the demo client's PKCS#12 file (a published demo value).
pub const PKCS12_PASSPHRASE: &str = "conduit-demo";

const VALID_DAYS: i64 = 365;

/// The demo's certificates. Debug output names none of the keys.
pub struct DemoPki {
    pub ca_pem: String,
    pub client_certificate_pem: String,
    client_key: KeyPair,
    client_der: Vec<u8>,
    server: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for DemoPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DemoPki(…)")
    }
}

impl DemoPki {
    /// A new demo CA, a server certificate for `server_ip` and a client
    /// certificate, both signed by the CA.
    pub fn generate(server_ip: IpAddr) -> anyhow::Result<DemoPki> {
        let now = time::OffsetDateTime::now_utc();
        let validity = |params: &mut CertificateParams| {
            params.not_before = now - time::Duration::hours(1);
            params.not_after = now + time::Duration::days(VALID_DAYS);
        };

        let ca_key = KeyPair::generate()?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.distinguished_name.push(DnType::CommonName, "conduit demo CA (not a real CA)");
        params.distinguished_name.push(DnType::OrganizationName, "conduit demo sandbox");
        validity(&mut params);
        let ca = params.self_signed(&ca_key)?;

        let server_key = KeyPair::generate()?;
        let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
        params.subject_alt_names.push(SanType::IpAddress(server_ip));
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.distinguished_name.push(DnType::CommonName, "conduit demo sandbox");
        validity(&mut params);
        let server = params.signed_by(&server_key, &ca, &ca_key)?;

        let client_key = KeyPair::generate()?;
        let mut params = CertificateParams::new(vec!["client.northwind.example".to_owned()])?;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.distinguished_name.push(DnType::CommonName, "Northwind demo client");
        params.distinguished_name.push(DnType::OrganizationName, "Northwind Trading");
        validity(&mut params);
        let client = params.signed_by(&client_key, &ca, &ca_key)?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der().clone())?;
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .context("could not set up the demo's client certificate check")?;
        let server_config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![CertificateDer::from(server.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .context("could not set up the demo sandbox's TLS")?;

        Ok(DemoPki {
            ca_pem: ca.pem(),
            client_certificate_pem: client.pem(),
            client_der: client.der().to_vec(),
            client_key,
            server: Arc::new(server_config),
        })
    }

    /// The demo client's private key, as unencrypted PKCS#8 PEM.
    pub fn client_key_pem(&self) -> String {
        self.client_key.serialize_pem()
    }

    /// The demo client's certificate and key as a PKCS#12 archive, locked
    /// with [`PKCS12_PASSPHRASE`].
    pub fn client_pkcs12(&self) -> anyhow::Result<Vec<u8>> {
        use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKeyChain};
        let certificate = Certificate::from_der(&self.client_der).context("the demo client certificate")?;
        let chain = PrivateKeyChain::new(self.client_key.serialize_der(), [1u8, 2, 3, 4], [certificate]);
        let mut store = KeyStore::new();
        store.add_entry("conduit demo client", KeyStoreEntry::PrivateKeyChain(chain));
        store
            .writer(PKCS12_PASSPHRASE)
            .write()
            .map_err(|e| anyhow::anyhow!("could not write the demo PKCS#12 file: {e:?}"))
    }

    /// What the demo's mutual-TLS instance stores: the client certificate
    /// with its key, and the demo CA to trust the sandbox's certificate.
    pub fn instance_certificates(&self, now: conduit_types::Timestamp) -> anyhow::Result<NewCertificates> {
        let upload = CertificateUpload {
            identity: Some(IdentityUpload::Pem {
                certificate_pem: self.client_certificate_pem.clone(),
                private_key_pem: self.client_key_pem(),
                passphrase: String::new(),
            }),
            ca_certificate_pem: Some(self.ca_pem.clone()),
        };
        let checked = check_upload(&upload, now).map_err(|errors| {
            let sentences: Vec<_> = errors.into_iter().map(|e| e.message).collect();
            anyhow::anyhow!("the demo certificates are not usable: {}", sentences.join(" "))
        })?;
        Ok(checked.into())
    }

    /// Writes the demo client's certificate, key and PKCS#12 file, and the
    /// demo CA, into `dir` for a person to try uploading. Answers the paths.
    pub fn write_files(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
        let files: [(&str, Vec<u8>); 4] = [
            ("demo-client-certificate.pem", self.client_certificate_pem.clone().into_bytes()),
            ("demo-client-key.pem", self.client_key_pem().into_bytes()),
            ("demo-client.p12", self.client_pkcs12()?),
            ("demo-ca.pem", self.ca_pem.clone().into_bytes()),
        ];
        let mut paths = Vec::new();
        for (name, bytes) in files {
            let path = dir.join(name);
            write_private(&path, &bytes).with_context(|| format!("could not write {}", path.display()))?;
            paths.push(path);
        }
        Ok(paths)
    }
}

/// Writes a file only its owner can read (the demo key is a demo value, but
/// keys are kept like keys).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

/// The running listener; stops when dropped.
pub struct TlsSandbox {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl TlsSandbox {
    /// Where the sandbox is reached, e.g. `https://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        format!("https://{}", self.addr)
    }
}

impl Drop for TlsSandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves the sandbox over mutual TLS on `ip`, on a free port.
pub async fn start(pki: &DemoPki, ip: IpAddr) -> anyhow::Result<TlsSandbox> {
    let listener = TcpListener::bind((ip, 0))
        .await
        .with_context(|| format!("could not listen on {ip} for the mutual TLS sandbox"))?;
    let addr = listener.local_addr()?;
    let acceptor = tokio_rustls::TlsAcceptor::from(pki.server.clone());
    let app = super::sandbox::router::<()>();
    let task = tokio::spawn(async move {
        loop {
            let tcp = match listener.accept().await {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    tracing::warn!(error = %e, "the mutual TLS sandbox could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let acceptor = acceptor.clone();
            let app = app.clone();
            tokio::spawn(async move {
                // A client without the demo's certificate ends here.
                let Ok(Ok(tls)) = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await else {
                    return;
                };
                let service = hyper_util::service::TowerToHyperService::new(app);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    Ok(TlsSandbox { addr, task })
}
