//! Certificate and key files as the `openssl` command writes them, by
//! default or with common options, read through `POST
//! /api/certificates/inspect`. Every file is made here, at test time, by the
//! real `openssl` CLI (scripts/setup.sh installs it).

mod common;
#[path = "common/world.rs"]
mod world;

use std::path::Path;
use std::process::Command;

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use conduit_types::StoredCertificates;

use world::*;

const PW: &str = "openssl-pass 4711";

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command runs");
    assert!(out.status.success(), "openssl {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn read_base64(dir: &Path, name: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(dir.join(name)).unwrap())
}

/// A self-signed client certificate with an RSA key (`cert.pem`, `key.pem`)
/// and one with an EC P-256 key (`ec-cert.pem`, `ec-key.pem`, SEC1).
fn fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pass = format!("pass:{PW}");
    openssl(d, &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=openssl client"]);
    openssl(d, &["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-key.pem"]);
    openssl(d, &["req", "-x509", "-key", "ec-key.pem", "-out", "ec-cert.pem", "-days", "30", "-subj", "/CN=openssl ec client"]);
    for (cipher, out) in [("-aes128", "trad-aes128.pem"), ("-aes256", "trad-aes256.pem"), ("-des3", "trad-des3.pem"), ("-camellia128", "trad-camellia.pem")] {
        openssl(d, &["rsa", "-in", "key.pem", cipher, "-traditional", "-passout", &pass, "-out", out]);
    }
    openssl(d, &["ec", "-in", "ec-key.pem", "-aes256", "-passout", &pass, "-out", "ec-trad-aes256.pem"]);
    openssl(d, &["pkcs8", "-topk8", "-v2", "des3", "-in", "key.pem", "-passout", &pass, "-out", "p8-des3.pem"]);
    openssl(d, &["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA1", "-in", "key.pem", "-passout", &pass, "-out", "p8-aes-sha1.pem"]);
    openssl(d, &["pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", "key.pem", "-passout", &pass, "-out", "p8-v1-3des.pem"]);
    openssl(d, &["pkcs8", "-topk8", "-v2", "camellia256", "-in", "key.pem", "-passout", &pass, "-out", "p8-camellia.pem"]);
    openssl(d, &["pkcs8", "-topk8", "-v1", "PBE-MD5-DES", "-provider", "legacy", "-provider", "default", "-in", "key.pem", "-passout", &pass, "-out", "p8-md5-des.pem"]);
    openssl(d, &["pkcs12", "-export", "-keypbe", "NONE", "-certpbe", "NONE", "-in", "cert.pem", "-inkey", "key.pem", "-passout", &pass, "-out", "plain.p12"]);
    openssl(d, &["pkcs12", "-export", "-keypbe", "NONE", "-in", "cert.pem", "-inkey", "key.pem", "-passout", &pass, "-out", "plain-key.p12"]);
    openssl(d, &["x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der"]);
    dir
}

fn pem(certificate: &str, key: &str, passphrase: &str) -> serde_json::Value {
    serde_json::json!({"identity": {"format": "pem", "certificate_pem": certificate, "private_key_pem": key, "passphrase": passphrase}})
}

fn p12(base64: &str, passphrase: &str) -> serde_json::Value {
    serde_json::json!({"identity": {"format": "pkcs12", "pkcs12_base64": base64, "passphrase": passphrase}})
}

/// The body lines of the unencrypted key: what must never leave the server.
fn key_lines(dir: &Path, name: &str) -> Vec<String> {
    read(dir, name).lines().filter(|l| !l.starts_with("-----")).map(str::to_owned).collect()
}

fn assert_secret_free(what: &str, text: &str, dir: &Path) {
    assert!(!text.contains(PW) && !text.contains("openssl-pass"), "the passphrase appears in {what}: {text}");
    assert!(!text.contains("PRIVATE KEY"), "a private key appears in {what}: {text}");
    for line in key_lines(dir, "key.pem").into_iter().chain(key_lines(dir, "ec-key.pem")) {
        assert!(!text.contains(&line), "the private key appears in {what}: {text}");
    }
}

#[tokio::test]
async fn every_format_openssl_writes_by_default_or_common_options_is_read_or_named() {
    if Command::new("openssl").arg("version").output().is_err() {
        panic!("the openssl command is missing; scripts/setup.sh installs it");
    }
    let t = common::sqlite().await;
    let w = world(&t.store).await;
    let dir = fixtures();
    let d = dir.path();
    let (cert, ec_cert) = (read(d, "cert.pem"), read(d, "ec-cert.pem"));

    // The unencrypted key gives the details every other form must give too.
    let reply = call(&w.app, Method::POST, "/api/certificates/inspect", &w.ada, Some(pem(&cert, &read(d, "key.pem"), "").to_string())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let plain: StoredCertificates = reply.json();
    let plain = plain.client.unwrap();
    assert_eq!(plain.subject, "CN=openssl client");
    assert_eq!(plain.key_type, "RSA 2048");

    let readable = [
        ("traditional PEM, AES-128-CBC", pem(&cert, &read(d, "trad-aes128.pem"), PW), "passphrase does not decrypt"),
        ("traditional PEM, AES-256-CBC", pem(&cert, &read(d, "trad-aes256.pem"), PW), "passphrase does not decrypt"),
        ("traditional PEM, DES-EDE3-CBC", pem(&cert, &read(d, "trad-des3.pem"), PW), "passphrase does not decrypt"),
        ("traditional SEC1 EC, AES-256-CBC", pem(&ec_cert, &read(d, "ec-trad-aes256.pem"), PW), "passphrase does not decrypt"),
        ("PKCS#8 v2 des3", pem(&cert, &read(d, "p8-des3.pem"), PW), "passphrase does not decrypt"),
        ("PKCS#8 v2 AES-256 with HMAC-SHA1", pem(&cert, &read(d, "p8-aes-sha1.pem"), PW), "passphrase does not decrypt"),
        ("PKCS#8 v1 PBE-SHA1-3DES", pem(&cert, &read(d, "p8-v1-3des.pem"), PW), "passphrase does not decrypt"),
        ("PKCS#12, -keypbe NONE -certpbe NONE", p12(&read_base64(d, "plain.p12"), PW), "passphrase does not open"),
        ("PKCS#12, -keypbe NONE", p12(&read_base64(d, "plain-key.p12"), PW), "passphrase does not open"),
    ];
    for (what, body, wrong_sentence) in readable {
        let reply = call(&w.app, Method::POST, "/api/certificates/inspect", &w.ada, Some(body.to_string())).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.text());
        assert_secret_free(what, &reply.text(), d);
        let info: StoredCertificates = reply.json();
        let client = info.client.unwrap();
        if what.contains("EC") && !what.contains("SHA1") {
            assert_eq!(client.subject, "CN=openssl ec client", "{what}");
            assert_eq!(client.key_type, "ECDSA P-256", "{what}");
        } else {
            assert_eq!(client, plain, "{what}");
        }

        // A wrong passphrase is refused at the passphrase field.
        let mut wrong = body.clone();
        wrong["identity"]["passphrase"] = "not the passphrase".into();
        let reply = call(&w.app, Method::POST, "/api/certificates/inspect", &w.ada, Some(wrong.to_string())).await;
        let errors = field_errors(&reply);
        assert_eq!(errors.len(), 1, "{what}: {errors:?}");
        assert_eq!(errors[0].0, "passphrase", "{what}: {errors:?}");
        assert!(errors[0].1.contains(wrong_sentence), "{what}: {}", errors[0].1);
        assert_secret_free(what, &reply.text(), d);
    }

    // What is still refused names its format and the command that converts it.
    let refused = [
        ("traditional PEM, Camellia-128-CBC", pem(&cert, &read(d, "trad-camellia.pem"), PW), "private_key", "Camellia-128-CBC", "openssl pkcs8 -topk8 -v2 aes-256-cbc"),
        ("PKCS#8 v2 Camellia-256", pem(&cert, &read(d, "p8-camellia.pem"), PW), "private_key", "PBES2 with Camellia-256-CBC", "openssl pkcs8 -topk8 -v2 aes-256-cbc"),
        ("PKCS#8 v1 PBE-MD5-DES", pem(&cert, &read(d, "p8-md5-des.pem"), PW), "private_key", "PBE-MD5-DES", "-provider legacy"),
        ("a DER certificate as PKCS#12", p12(&read_base64(d, "cert.der"), PW), "pkcs12", "This is a DER-encoded certificate", "openssl x509 -inform DER"),
    ];
    for (what, body, field, format, command) in refused {
        let reply = call(&w.app, Method::POST, "/api/certificates/inspect", &w.ada, Some(body.to_string())).await;
        let errors = field_errors(&reply);
        assert_eq!(errors.len(), 1, "{what}: {errors:?}");
        assert_eq!(errors[0].0, field, "{what}");
        assert!(errors[0].1.contains(format) && errors[0].1.contains(command), "{what}: {}", errors[0].1);
        assert_secret_free(what, &reply.text(), d);
    }
    t.cleanup().await;
}
