//! TLS for connection tests: the system's roots plus an optional CA the
//! instance trusts (for systems behind a private CA), and an optional client
//! certificate for mutual TLS. Verification is never switched off.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};

use crate::credentials::TlsMaterial;

/// The system's trusted roots, loaded once.
pub fn system_roots() -> Arc<RootCertStore> {
    let mut roots = RootCertStore::empty();
    let loaded = rustls_native_certs::load_native_certs();
    let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
    if added == 0 {
        tracing::warn!(ignored, "no system root certificates were found; only instance CAs will be trusted");
    }
    Arc::new(roots)
}

/// A client configuration for one test. Errors are sentences about the
/// instance's certificates, never their contents.
pub fn client_config(system: &RootCertStore, material: &TlsMaterial) -> Result<Arc<ClientConfig>, String> {
    let mut roots = system.clone();
    if let Some(ca) = &material.ca_pem {
        let certs = certificates(ca).map_err(|_| "The instance's CA certificate is not a PEM certificate.".to_owned())?;
        if certs.is_empty() {
            return Err("The instance's CA certificate is not a PEM certificate.".to_owned());
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|_| "The instance's CA certificate could not be used as a trust anchor.".to_owned())?;
        }
    }
    let builder = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|_| "TLS could not be set up.".to_owned())?
        .with_root_certificates(roots);
    let config = match &material.client {
        None => builder.with_no_client_auth(),
        Some(identity) => {
            let chain = certificates(&identity.cert_pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| "The instance's client certificate is not a PEM certificate.".to_owned())?;
            let key = private_key(&identity.key_pem)
                .ok_or_else(|| "The instance's private key is not a PEM private key.".to_owned())?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|_| "The instance's private key does not match its client certificate.".to_owned())?
        }
    };
    Ok(Arc::new(config))
}

fn certificates(pem: &str) -> std::io::Result<Vec<CertificateDer<'static>>> {
    rustls_pemfile::certs(&mut pem.as_bytes()).collect()
}

fn private_key(pem: &str) -> Option<PrivateKeyDer<'static>> {
    rustls_pemfile::private_key(&mut pem.as_bytes()).ok().flatten()
}
