//! Client certificates through the API: inspecting an upload, testing a draft
//! that uploads one against a local server that demands it, saving, reading
//! back (never the key), listing, keeping and removing; on every configured
//! database. Certificates are generated here.

mod common;
#[path = "common/tls_server.rs"]
mod tls;
#[path = "common/world.rs"]
mod world;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::Ordering;

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use conduit_server::store::Secrets;
use conduit_types::draft::{
    CertificateDraft, CertificateUpload, HistoryEvent, IdentityUpload, InstanceDraft, InstanceHistory,
    TestDraftResponse,
};
use conduit_types::{
    CertificateState, ConnectorList, ErrorCode, Id, InstanceSettings, InstanceStatus,
    StoredCertificates, TestOutcome,
};
use pkcs8::der::pem::LineEnding;
use pkcs8::der::Decode;
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, SanType};
use tls::{ca, Ca, TlsServer};

use world::*;

const PASSPHRASE: &str = "correct horse 4711";
const DAY: i64 = 86_400;

// -- certificates ------------------------------------------------------------------

struct Leaf {
    pem: String,
    der: Vec<u8>,
    key: KeyPair,
}

fn at(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

/// A leaf signed by `ca`, valid from `not_before` to `not_after`.
fn leaf_valid(ca: &Ca, cn: &str, purpose: ExtendedKeyUsagePurpose, not_before: i64, not_after: i64) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.subject_alt_names = vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))];
    params.extended_key_usages = vec![purpose];
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = at(not_before);
    params.not_after = at(not_after);
    let cert = params.signed_by(&key, &ca.cert, &ca.key).unwrap();
    Leaf { pem: cert.pem(), der: cert.der().to_vec(), key }
}

fn leaf(ca: &Ca, cn: &str, purpose: ExtendedKeyUsagePurpose) -> Leaf {
    let now = conduit_server::clock::Clock::system().now();
    leaf_valid(ca, cn, purpose, now - DAY, now + 200 * DAY)
}

/// The key as encrypted PKCS#8 PEM (few iterations: tests run unoptimised).
fn encrypted_key(key: &KeyPair, passphrase: &str) -> String {
    let der = key.serialize_der();
    let info = pkcs8::PrivateKeyInfo::from_der(&der).unwrap();
    let params = pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(1000, b"saltsalt", &[7u8; 16]).unwrap();
    let doc = info.encrypt_with_params(params, passphrase).unwrap();
    doc.to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF).unwrap().to_string()
}

fn pkcs12(leaf: &Leaf, passphrase: &str) -> String {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKeyChain};
    let chain =
        PrivateKeyChain::new(leaf.key.serialize_der(), [1u8, 2, 3, 4], [Certificate::from_der(&leaf.der).unwrap()]);
    let mut store = KeyStore::new();
    store.add_entry("client", KeyStoreEntry::PrivateKeyChain(chain));
    let der = store.writer(passphrase).encryption_iterations(1000).mac_iterations(1000).write().unwrap();
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// The first line of the unencrypted key's base64 body: what must never be
/// seen outside the server's memory.
fn key_line(key: &KeyPair) -> String {
    key.serialize_pem().lines().nth(1).unwrap().to_owned()
}

/// An upload of `leaf` with its key encrypted under PASSPHRASE, trusting `trust`.
fn upload(leaf: &Leaf, passphrase: &str, trust: &Ca) -> CertificateUpload {
    CertificateUpload {
        identity: Some(IdentityUpload::Pem {
            certificate_pem: leaf.pem.clone(),
            private_key_pem: encrypted_key(&leaf.key, PASSPHRASE),
            passphrase: passphrase.into(),
        }),
        ca_certificate_pem: Some(trust.cert.pem()),
    }
}

// -- a server that demands a client certificate ------------------------------------

/// An HTTPS server on 127.0.0.1 (certificate from `ca`) that answers 200 to
/// any request from a client with a certificate signed by `ca`; stops when dropped.
async fn mtls_server(ca: &Ca) -> TlsServer {
    let server = leaf(ca, "server", ExtendedKeyUsagePurpose::ServerAuth);
    tls::tls_server(&server.pem, &server.key.serialize_pem(), Some(&ca.cert.pem())).await
}

// -- helpers -------------------------------------------------------------------------

/// An HTTP API instance with a bearer token pointing at the mutual-TLS server.
async fn mtls_instance(w: &World, port: u16) -> Id {
    let secrets = Secrets::from_pairs([("token", NEW_TOKEN)]);
    http_api_instance(&w.store, w.company, "Partner API", format!("https://127.0.0.1:{port}/api"), "bearer", BTreeMap::new(), secrets).await
}

/// A server behind mutual TLS whose clients need a certificate from the
/// "Partner CA", and a new instance pointed at it, as saved.
async fn partner(w: &World) -> (Ca, TlsServer, Id, InstanceSettings) {
    let trust = ca("Partner CA");
    let server = mtls_server(&trust).await;
    let id = mtls_instance(w, server.port).await;
    let saved = w.settings(&w.ada, id).await;
    (trust, server, id, saved)
}

async fn inspect(w: &World, cookie: &str, upload: &serde_json::Value) -> Reply {
    call(&w.app, Method::POST, "/api/certificates/inspect", cookie, Some(upload.to_string())).await
}

async fn outcome(w: &World, id: Id, version: i64, draft: &InstanceDraft) -> (TestOutcome, Option<String>) {
    let reply = w.test(&w.ada, id, version, draft).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let tested: TestDraftResponse = reply.json();
    (tested.result.outcome, tested.receipt.map(|r| r.token))
}

/// Points `draft` at the plain-HTTP third party with `NEW_TOKEN`, tests it
/// and saves it from `version`: the settings saved.
async fn save_on_plain_http(w: &World, id: Id, version: i64, mut draft: InstanceDraft) -> InstanceSettings {
    draft.details.variables.insert("base_url".into(), format!("http://127.0.0.1:{}/api", w.api.port));
    replace(&mut draft, "token", NEW_TOKEN);
    let receipt = w.receipt(id, version, &draft).await;
    let reply = w.save(&w.ada, id, version, &draft, Some(&receipt)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

fn with_certificate(saved: &InstanceSettings, certificate: CertificateDraft) -> InstanceDraft {
    let mut draft = InstanceDraft::from_settings(saved);
    draft.certificate = certificate;
    draft
}

fn assert_no_key(what: &str, text: &str, key: &KeyPair) {
    assert!(!text.contains(&key_line(key)), "the private key appears in {what}: {text}");
    assert!(!text.contains(PASSPHRASE), "the passphrase appears in {what}: {text}");
    assert!(!text.contains("PRIVATE KEY"), "a private key appears in {what}: {text}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// -- the tests -------------------------------------------------------------------------

#[tokio::test]
async fn inspect_answers_what_an_upload_holds_or_the_field_at_fault() {
    let t = common::sqlite().await;
    let w = world(&t.store).await;
    let trust = ca("Partner CA");
    let client = leaf(&trust, "partner client", ExtendedKeyUsagePurpose::ClientAuth);

    let reply = inspect(&w, &w.ada, &serde_json::to_value(upload(&client, PASSPHRASE, &trust)).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_no_key("the inspect answer", &reply.text(), &client.key);
    let info: StoredCertificates = reply.json();
    let client_info = info.client.clone().unwrap();
    assert_eq!(client_info.subject, "CN=partner client");
    assert_eq!(client_info.issuer, "CN=Partner CA");
    assert_eq!(client_info.subject_alt_names, ["127.0.0.1"]);
    assert_eq!(client_info.key_type, "ECDSA P-256");
    assert_eq!(client_info.sha256_fingerprint.len(), 32 * 3 - 1);
    assert_eq!(info.ca.as_ref().unwrap().subject, "CN=Partner CA");

    // A PKCS#12 archive with its passphrase, and no CA.
    let p12 = serde_json::json!({"identity": {"format": "pkcs12", "pkcs12_base64": pkcs12(&client, PASSPHRASE), "passphrase": PASSPHRASE}});
    let reply = inspect(&w, &w.ada, &p12).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let from_p12: StoredCertificates = reply.json();
    assert_eq!(from_p12.client, info.client);
    assert_eq!(from_p12.ca, None);

    let pem = |certificate: &str, key: String, passphrase: &str| {
        serde_json::json!({"identity": {"format": "pem", "certificate_pem": certificate, "private_key_pem": key, "passphrase": passphrase}})
    };
    let other = leaf(&trust, "someone else", ExtendedKeyUsagePurpose::ClientAuth);
    let now = conduit_server::clock::Clock::system().now();
    let expired = leaf_valid(&trust, "old", ExtendedKeyUsagePurpose::ClientAuth, now - 400 * DAY, now - 10 * DAY);
    let mut with_bad_ca = serde_json::to_value(upload(&client, PASSPHRASE, &trust)).unwrap();
    with_bad_ca["ca_certificate_pem"] = "not a certificate".into();
    let cases = [
        ("a key of another certificate", pem(&client.pem, other.key.serialize_pem(), ""), "private_key", "The private key does not belong to the certificate."),
        ("a wrong passphrase", pem(&client.pem, encrypted_key(&client.key, PASSPHRASE), "wrong"), "passphrase", "The passphrase does not decrypt the private key."),
        ("no passphrase for an encrypted key", pem(&client.pem, encrypted_key(&client.key, PASSPHRASE), ""), "passphrase", "The private key is encrypted; enter its passphrase."),
        ("an expired certificate", pem(&expired.pem, expired.key.serialize_pem(), ""), "certificate", "The certificate expired on"),
        ("garbage", pem("hello", client.key.serialize_pem(), ""), "certificate", "The certificate is not a PEM certificate"),
        ("a garbage PKCS#12 archive", serde_json::json!({"identity": {"format": "pkcs12", "pkcs12_base64": "aGVsbG8=", "passphrase": "x"}}), "pkcs12", "The file is not a PKCS#12 (.p12 or .pfx) archive."),
        ("a PKCS#12 archive that is not base64", serde_json::json!({"identity": {"format": "pkcs12", "pkcs12_base64": "%%%", "passphrase": "x"}}), "pkcs12", "is not base64"),
        ("a wrong PKCS#12 passphrase", serde_json::json!({"identity": {"format": "pkcs12", "pkcs12_base64": pkcs12(&client, PASSPHRASE), "passphrase": "wrong"}}), "passphrase", "The passphrase does not open the PKCS#12 archive."),
        ("a CA that is no certificate", with_bad_ca, "ca_certificate", "The CA certificate is not a PEM certificate"),
    ];
    for (what, body, field, sentence) in cases {
        let reply = inspect(&w, &w.ada, &body).await;
        let errors = field_errors(&reply);
        assert_eq!(errors.len(), 1, "{what}: {errors:?}");
        assert_eq!(errors[0].0, field, "{what}");
        assert!(errors[0].1.contains(sentence), "{what}: {}", errors[0].1);
        assert_no_key(what, &reply.text(), &client.key);
    }

    // Signed-in users only.
    let reply = inspect(&w, "", &serde_json::to_value(upload(&client, PASSPHRASE, &trust)).unwrap()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    t.cleanup().await;
}

#[tokio::test]
async fn an_uploaded_certificate_is_tested_saved_shown_kept_and_removed() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let (trust, server, id, saved) = partner(&w).await;
        assert_eq!(saved.certificate, CertificateState::None);

        // Without a client certificate, or with one the server does not
        // know, the handshake fails.
        let (without, _) = outcome(&w, id, saved.version, &InstanceDraft::from_settings(&saved)).await;
        assert_eq!(without, TestOutcome::Tls, "{}", t.name);
        let stranger_ca = ca("Stranger CA");
        let stranger = leaf(&stranger_ca, "stranger", ExtendedKeyUsagePurpose::ClientAuth);
        let (refused, receipt) =
            outcome(&w, id, saved.version, &with_certificate(&saved, CertificateDraft::Upload(upload(&stranger, PASSPHRASE, &trust)))).await;
        assert_eq!(refused, TestOutcome::Tls, "{}", t.name);
        assert!(receipt.is_none());
        assert_eq!(server.answered.load(Ordering::SeqCst), 0, "no request got through");

        // The right one passes.
        let client = leaf(&trust, "partner client", ExtendedKeyUsagePurpose::ClientAuth);
        let draft = with_certificate(&saved, CertificateDraft::Upload(upload(&client, PASSPHRASE, &trust)));
        let (passed, receipt) = outcome(&w, id, saved.version, &draft).await;
        assert_eq!(passed, TestOutcome::Ok, "{}", t.name);
        assert_eq!(server.answered.load(Ordering::SeqCst), 1);
        assert_eq!(w.settings(&w.ada, id).await.certificate, CertificateState::None, "testing stores nothing");

        // Saving needs the receipt of that test.
        let reply = w.save(&w.ada, id, saved.version, &draft, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error().code, ErrorCode::TestRequired);
        assert_eq!(reply.error().message, RECEIPT_MISSING);
        let reply = w.save(&w.ada, id, saved.version, &draft, receipt.as_deref()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_no_key("the save answer", &reply.text(), &client.key);

        // Read back: the details, never the key or passphrase.
        let reply = call(&w.app, Method::GET, &format!("/api/instances/{id}"), &w.ada, None).await;
        assert_no_key("the instance", &reply.text(), &client.key);
        let stored: InstanceSettings = reply.json();
        let CertificateState::Stored(info) = &stored.certificate else { panic!("{:?}", stored.certificate) };
        assert_eq!(info.client.as_ref().unwrap().subject, "CN=partner client");
        assert_eq!(info.ca.as_ref().unwrap().subject, "CN=Partner CA");
        assert_eq!(stored.status, InstanceStatus::Operational);
        let history: InstanceHistory = w.history(&w.ada, id).await.json();
        assert!(matches!(&history.entries[0].event, HistoryEvent::Saved { changed, .. } if changed == &["client certificate"]));

        // The list tells when the earliest of them expires.
        let reply = call(&w.app, Method::GET, "/api/connectors", &w.ada, None).await;
        let list: ConnectorList = reply.json();
        let summary = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.id == id).unwrap();
        assert_eq!(summary.certificate_not_after, Some(info.not_after()));
        assert_eq!(info.not_after(), info.client.as_ref().unwrap().not_after.min(info.ca.as_ref().unwrap().not_after));
        let others: Vec<_> = list.connectors.iter().flat_map(|c| &c.instances).filter(|i| i.id != id).collect();
        assert!(!others.is_empty() && others.iter().all(|i| i.certificate_not_after.is_none()));

        // The stored certificate is what a test of the saved settings uses.
        let (kept, _) = outcome(&w, id, stored.version, &InstanceDraft::from_settings(&stored)).await;
        assert_eq!(kept, TestOutcome::Ok, "{}", t.name);

        // The key is sealed: the column holds no key, and on SQLite no file does.
        let raw = t.raw().await;
        let row = sqlx::query("SELECT certificate_key, secrets FROM instances WHERE id = $1")
            .bind(id)
            .fetch_one(&raw)
            .await
            .unwrap();
        use sqlx::Row;
        let sealed: String = row.try_get("certificate_key").unwrap();
        assert!(sealed.starts_with("v1.") && !sealed.contains(&key_line(&client.key)), "{sealed}");
        raw.close().await;
        if let Some(dir) = t.dir() {
            let der = client.key.serialize_der();
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                assert!(!contains(&bytes, &der), "the key's DER is readable in {}", path.display());
                assert!(!contains(&bytes, key_line(&client.key).as_bytes()), "the key is readable in {}", path.display());
                assert!(!contains(&bytes, PASSPHRASE.as_bytes()), "the passphrase is in {}", path.display());
            }
        }

        // A details-only save needs no test and keeps the certificate.
        let mut renamed = InstanceDraft::from_settings(&stored);
        renamed.details.name = "Partner API (renamed)".into();
        let reply = w.save(&w.ada, id, stored.version, &renamed, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let renamed: InstanceSettings = reply.json();
        assert_eq!(renamed.certificate, stored.certificate);
        let (still, _) = outcome(&w, id, renamed.version, &InstanceDraft::from_settings(&renamed)).await;
        assert_eq!(still, TestOutcome::Ok, "{}", t.name);

        // Removing it: against this server that cannot pass, so it cannot be saved…
        let remove = with_certificate(&renamed, CertificateDraft::Remove);
        let (removed, receipt) = outcome(&w, id, renamed.version, &remove).await;
        assert_eq!(removed, TestOutcome::Tls);
        assert!(receipt.is_none());
        let reply = w.save(&w.ada, id, renamed.version, &remove, None).await;
        assert_eq!(reply.error().code, ErrorCode::TestRequired);
        // …but moving to a server that needs none can.
        let after = save_on_plain_http(&w, id, renamed.version, remove.clone()).await;
        assert_eq!(after.certificate, CertificateState::None);
        let connection = w.store.connection(w.company, id).await.unwrap().unwrap();
        assert!(connection.tls.client.is_none() && connection.tls.ca_pem.is_none());
        let raw = t.raw().await;
        let row = sqlx::query("SELECT certificate_key, certificate_chain, certificate_info FROM instances WHERE id = $1")
            .bind(id)
            .fetch_one(&raw)
            .await
            .unwrap();
        assert!(row.try_get::<Option<String>, _>("certificate_key").unwrap().is_none());
        assert!(row.try_get::<Option<String>, _>("certificate_chain").unwrap().is_none());
        assert!(row.try_get::<Option<String>, _>("certificate_info").unwrap().is_none());
        raw.close().await;
        drop(w);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_draft_with_an_unusable_upload_is_refused_at_its_field() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let trust = ca("Partner CA");
        let id = mtls_instance(&w, 9).await;
        let saved = w.settings(&w.ada, id).await;
        let client = leaf(&trust, "partner client", ExtendedKeyUsagePurpose::ClientAuth);
        let mut draft = with_certificate(&saved, CertificateDraft::Upload(upload(&client, "wrong", &trust)));
        draft.details.name = String::new();

        let reply = w.test(&w.ada, id, saved.version, &draft).await;
        let errors = field_errors(&reply);
        assert_eq!(
            errors,
            [
                ("name".to_owned(), "Enter a name for this instance.".to_owned()),
                ("passphrase".to_owned(), "The passphrase does not decrypt the private key.".to_owned())
            ],
            "{}",
            t.name
        );
        let reply = w.save(&w.ada, id, saved.version, &draft, None).await;
        assert_eq!(field_errors(&reply), errors, "{}", t.name);
        assert_eq!(w.settings(&w.ada, id).await.certificate, CertificateState::None);
        drop(w);
        t.cleanup().await;
    }
}

// -- a server behind a private CA that asks for no client certificate ----------------

/// A CA, and a server certificate for 127.0.0.1 it issued, made by the
/// `openssl` command as a person would: `ca.pem`, `server.pem`, `server.key`.
fn openssl_ca_and_server(dir: &std::path::Path) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command runs");
        assert!(out.status.success(), "openssl {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    };
    run(&["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
        "-subj", "/CN=Private Test CA/O=Partner", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    run(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n").unwrap();
    run(&["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30",
        "-extfile", "server.ext", "-out", "server.pem"]);
}

/// An HTTPS server on 127.0.0.1 with `cert_pem` and `key_pem` that asks for
/// no client certificate and answers 200; stops when dropped.
async fn tls_server(cert_pem: &str, key_pem: &str) -> TlsServer {
    tls::tls_server(cert_pem, key_pem, None).await
}

fn ca_only(ca_pem: &str) -> CertificateDraft {
    CertificateDraft::Upload(CertificateUpload { identity: None, ca_certificate_pem: Some(ca_pem.to_owned()) })
}

#[tokio::test]
async fn a_private_ca_alone_is_inspected_tested_saved_shown_and_trusted() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let files = tempfile::tempdir().unwrap();
        openssl_ca_and_server(files.path());
        let read = |name: &str| std::fs::read_to_string(files.path().join(name)).unwrap();
        let ca_pem = read("ca.pem");
        let server = tls_server(&read("server.pem"), &read("server.key")).await;
        let id = mtls_instance(&w, server.port).await;
        let saved = w.settings(&w.ada, id).await;

        // Without the CA the server is not trusted, and the test says what to do.
        let reply = w.test(&w.ada, id, saved.version, &InstanceDraft::from_settings(&saved)).await;
        let untrusted: TestDraftResponse = reply.json();
        assert_eq!(untrusted.result.outcome, TestOutcome::Tls, "{}", t.name);
        assert!(untrusted.result.message.contains("not signed by an authority conduit trusts"), "{}", untrusted.result.message);
        assert!(untrusted.result.message.contains("add its CA certificate on the certificates tab"), "{}", untrusted.result.message);
        assert_eq!(server.answered.load(Ordering::SeqCst), 0);

        // The CA alone is read: no client certificate, no key.
        let reply = inspect(&w, &w.ada, &serde_json::json!({"ca_certificate_pem": ca_pem})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let info: StoredCertificates = reply.json();
        assert_eq!(info.client, None);
        let ca = info.ca.clone().unwrap();
        assert_eq!(ca.subject, "CN=Private Test CA, O=Partner");
        assert_eq!(ca.key_type, "RSA 2048");
        // An upload with neither is refused at the certificate field.
        let reply = inspect(&w, &w.ada, &serde_json::json!({})).await;
        let errors = field_errors(&reply);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "certificate");

        // A test with the CA-only draft passes; saving needs its receipt.
        let draft = with_certificate(&saved, ca_only(&ca_pem));
        let (passed, receipt) = outcome(&w, id, saved.version, &draft).await;
        assert_eq!(passed, TestOutcome::Ok, "{}", t.name);
        assert_eq!(server.answered.load(Ordering::SeqCst), 1);
        let reply = w.save(&w.ada, id, saved.version, &draft, None).await;
        assert_eq!(reply.error().code, ErrorCode::TestRequired);
        let reply = w.save(&w.ada, id, saved.version, &draft, receipt.as_deref()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let history: InstanceHistory = w.history(&w.ada, id).await.json();
        assert!(
            matches!(&history.entries[0].event, HistoryEvent::Saved { changed, .. } if changed == &["trusted CA certificate"]),
            "{:?}",
            history.entries[0].event
        );

        // Read back and listed: the CA, and no client certificate.
        let stored = w.settings(&w.ada, id).await;
        assert_eq!(stored.certificate, CertificateState::Stored(StoredCertificates { client: None, ca: Some(ca.clone()) }));
        let list: ConnectorList = call(&w.app, Method::GET, "/api/connectors", &w.ada, None).await.json();
        let summary = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.id == id).unwrap();
        assert_eq!(summary.certificate_not_after, Some(ca.not_after));
        let connection = w.store.connection(w.company, id).await.unwrap().unwrap();
        assert!(connection.tls.client.is_none() && connection.tls.ca_pem.is_some());

        // A later test of the saved instance trusts the server.
        let (kept, _) = outcome(&w, id, stored.version, &InstanceDraft::from_settings(&stored)).await;
        assert_eq!(kept, TestOutcome::Ok, "{}", t.name);
        assert_eq!(server.answered.load(Ordering::SeqCst), 2);

        // Removing the CA alone: against this server the test fails again…
        let remove = with_certificate(&stored, CertificateDraft::RemoveCa);
        let (removed, receipt) = outcome(&w, id, stored.version, &remove).await;
        assert_eq!(removed, TestOutcome::Tls, "{}", t.name);
        assert!(receipt.is_none());
        // …and moved to a server that needs no CA it is saved, leaving nothing.
        let after = save_on_plain_http(&w, id, stored.version, remove.clone()).await;
        assert_eq!(after.certificate, CertificateState::None, "{}", t.name);
        drop(w);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn removing_the_ca_alone_keeps_the_client_certificate() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let (trust, _server, id, saved) = partner(&w).await;
        let client = leaf(&trust, "partner client", ExtendedKeyUsagePurpose::ClientAuth);
        let draft = with_certificate(&saved, CertificateDraft::Upload(upload(&client, PASSPHRASE, &trust)));
        let receipt = w.receipt(id, saved.version, &draft).await;
        let stored: InstanceSettings = w.save(&w.ada, id, saved.version, &draft, Some(&receipt)).await.json();

        // Without the CA this server's certificate is not trusted; another
        // server (plain HTTP here) takes the change.
        let remove = with_certificate(&stored, CertificateDraft::RemoveCa);
        let (untrusted, _) = outcome(&w, id, stored.version, &remove).await;
        assert_eq!(untrusted, TestOutcome::Tls, "{}", t.name);
        let after = save_on_plain_http(&w, id, stored.version, remove).await;
        let CertificateState::Stored(info) = &after.certificate else { panic!("{:?}", after.certificate) };
        assert_eq!(info.client.as_ref().unwrap().subject, "CN=partner client", "{}", t.name);
        assert_eq!(info.ca, None);
        let connection = w.store.connection(w.company, id).await.unwrap().unwrap();
        assert!(connection.tls.client.is_some() && connection.tls.ca_pem.is_none(), "{}", t.name);
        let history: InstanceHistory = w.history(&w.ada, id).await.json();
        assert!(matches!(&history.entries[0].event, HistoryEvent::Saved { changed, .. } if changed.contains(&"trusted CA certificate".to_owned())));
        drop(w);
        t.cleanup().await;
    }
}
