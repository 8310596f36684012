//! A person gives an instance a client certificate for mutual TLS: the
//! demo's partner API only talks to clients with a certificate from the demo
//! CA. Without the stored certificate the test fails; a wrong key and a
//! wrong passphrase are said at their fields; the demo's PKCS#12 file,
//! chosen with the file picker, with the CA pasted, passes the test and is
//! saved.

mod support;

use conduit_server::demo::MUTUAL_TLS_INSTANCE;
use support::{Browser, Server};


async fn open_certificates(browser: &Browser, base: &str) {
    browser.open_instance_settings(base, MUTUAL_TLS_INSTANCE).await;
    browser.tab("certificates").await.click().await.unwrap();
    browser.heading(3, "stored certificate").await;
}

/// The error shown under the control labelled `label`.
async fn error_at(browser: &Browser, label: &str, sentence: &str) {
    let control = browser.control(label).await;
    browser.wait_attr(&control, "aria-invalid", "true").await;
    let described = control.attr("aria-describedby").await.unwrap().unwrap_or_default();
    let error_id = described.split(' ').find(|id| id.ends_with("-error")).expect("the error describes its field");
    let error = browser.find(&format!("//*[@id='{error_id}']")).await;
    assert_eq!(error.text().await.unwrap(), sentence);
}

#[tokio::test]
async fn a_person_uploads_a_client_certificate_and_passes_a_mutual_tls_test() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    open_certificates(&browser, &server.base).await;
    let ca_pem = std::fs::read_to_string(server.data_dir().join("demo-ca.pem")).unwrap();
    let key_pem = std::fs::read_to_string(server.data_dir().join("demo-client-key.pem")).unwrap();

    // The stored certificate is what lets the connection through.
    browser.text("subject alternative names").await;
    browser.click_button("remove certificate").await;
    browser.tab("certificates (unsaved changes)").await;
    browser.click_button("test instance connection").await;
    browser.heading(3, "connection test failed").await;
    browser.click_button("keep certificate").await;
    browser.tab("certificates").await;
    // With a certificate stored, the upload form opens on request.
    browser.click_button("replace certificate").await;

    // A key that is not the certificate's is refused at the key.
    browser.fill("certificate (PEM)", &ca_pem).await;
    browser.fill("private key (PEM)", &key_pem).await;
    browser.click_button("read certificate").await;
    error_at(&browser, "private key (PEM)", "The private key does not belong to the certificate.").await;

    // The PKCS#12 file, chosen with the file picker, needs its passphrase.
    let picker = browser.control("choose files").await;
    let p12 = server.data_dir().join("demo-client.p12");
    picker.send_keys(p12.to_str().unwrap()).await.unwrap();
    browser.text("demo-client.p12").await;
    browser.fill("passphrase", "not-the-passphrase").await;
    browser.click_button("read certificate").await;
    error_at(&browser, "passphrase", "The passphrase does not open the PKCS#12 archive.").await;
    browser.snapshot("certificate-wrong-passphrase").await;

    browser.fill("passphrase", "conduit-demo").await;
    browser.fill("CA certificate (PEM)", &ca_pem).await;
    browser.click_button("read certificate").await;
    browser.heading(3, "new certificate").await;
    browser.heading(4, "trusted CA certificate").await;
    browser.text("SHA-256 fingerprint").await;
    browser.tab("certificates (unsaved changes)").await;
    browser.wait_enabled("save instance settings", false).await;

    // The new certificate passes a mutual-TLS test, and then saves.
    browser.click_button("test instance connection").await;
    browser.heading(3, "connection test passed").await;
    browser.snapshot("certificate-test-passed").await;
    browser.wait_enabled("save instance settings", true).await;
    browser.save_settings_changing("client certificate").await;

    // After a reload it is the stored certificate, with its CA.
    browser.client.refresh().await.unwrap();
    browser.heading(1, MUTUAL_TLS_INSTANCE).await;
    browser.heading(3, "stored certificate").await;
    browser.heading(4, "trusted CA certificate").await;

    browser.close().await;
}
