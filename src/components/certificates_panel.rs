use conduit_types::draft::{
    FIELD_CERTIFICATE, FIELD_CERT_CA, FIELD_CERT_PASSPHRASE, FIELD_CERT_PKCS12, FIELD_CERT_PRIVATE_KEY,
};
use conduit_types::{CertificateInfo, StoredCertificates, Timestamp};
use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::components::form_field::{aria, field_error, field_shell, text_input, Form};
use crate::components::read_only_field::ReadOnlyField;
use crate::components::status_badge::Badge;
use crate::editor::field_id;
use crate::instance_actions::InstanceActions;
use crate::text;
use crate::upload::{UploadField, UploadFormat};

/// The `certificates` tab: the certificates the instance presents and
/// trusts, and a form to upload new ones (pasted, chosen or dropped). The
/// server reads an upload before the draft takes it; the draft then needs
/// a passing test before it can be saved, like any connection change.
#[component]
pub fn CertificatesPanel(
    form: Form,
    /// Reading an upload, placing a chosen or dropped file.
    actions: InstanceActions,
    /// The time to judge expiry by.
    now: Timestamp,
) -> impl IntoView {
    let editor = form.editor;
    let stored = editor.with_untracked(|e| e.saved().certificate.stored().cloned());
    let preview = Memo::new(move |_| editor.with(|e| e.certificate_preview().cloned()));
    let removing = Memo::new(move |_| editor.with(|e| e.removes_certificate()));
    let removing_ca = Memo::new(move |_| editor.with(|e| e.removes_ca()));
    let replacing = stored.is_some();

    let current = move || {
        if let Some(new) = preview.get() {
            return view! {
                <section class="certificate" aria-labelledby="certificate-new">
                    <h3 id="certificate-new">"new certificate"</h3>
                    {certificate_fields(new, now)}
                    <p class="notice">
                        "It replaces the stored certificates when you save instance settings, once a connection test with it passes."
                    </p>
                    <button
                        type="button"
                        class="button button--secondary"
                        on:click=move |_| editor.update(|e| e.discard_certificate_upload())
                    >
                        "discard new certificate"
                    </button>
                </section>
            }
            .into_any();
        }
        match stored.clone() {
            None => view! {
                <p class="panel__empty">"no certificate"</p>
                <p class="muted">
                    "This instance does not present a client certificate when it connects, and trusts only the usual certificate authorities."
                </p>
            }
            .into_any(),
            Some(stored) => {
                let has_client = stored.client.is_some();
                let toggle = move |_| {
                    let remove = !removing.get_untracked();
                    editor.update(|e| e.set_certificate_removal(remove));
                };
                // With no client certificate, removing the CA removes everything.
                let toggle_ca = move |_| {
                    let remove = !removing_ca.get_untracked();
                    editor.update(|e| e.set_ca_removal(remove));
                };
                let remove_client = has_client.then(|| {
                    view! {
                        <p class="notice notice--warning" hidden=move || !removing.get()>
                            "The certificate is removed when you save instance settings."
                        </p>
                        <button
                            type="button"
                            class="button button--secondary"
                            id=field_id(FIELD_CERTIFICATE) + "-remove"
                            on:click=toggle
                        >
                            {move || if removing.get() { "keep certificate" } else { "remove certificate" }}
                        </button>
                    }
                });
                let remove_ca = stored.ca.is_some().then(|| {
                    view! {
                        <p class="notice notice--warning" hidden=move || !removing_ca.get() || removing.get()>
                            "The trusted CA is removed when you save instance settings."
                        </p>
                        <button
                            type="button"
                            class="button button--secondary"
                            id=field_id(FIELD_CERT_CA) + "-remove"
                            hidden=move || removing.get()
                            on:click=toggle_ca
                        >
                            {move || if removing_ca.get() { "keep trusted CA" } else { "remove trusted CA" }}
                        </button>
                    }
                });
                view! {
                    <section class="certificate" aria-labelledby="certificate-stored">
                        <h3 id="certificate-stored">
                            {if has_client { "stored certificate" } else { "stored trusted CA" }}
                        </h3>
                        {certificate_fields(stored, now)}
                        {remove_client}
                        {remove_ca}
                    </section>
                }
                .into_any()
            }
        }
    };

    // With a certificate stored, the upload form stays folded until asked
    // for (or while it holds something); with none, it is the tab's content.
    let unfolded = RwSignal::new(editor.with_untracked(|e| !e.certificate_form().is_empty()));
    let folded = move || replacing && !unfolded.get();
    let fold_button = replacing.then(|| {
        view! {
            <button
                type="button"
                class="button button--secondary"
                aria-expanded=move || if folded() { "false" } else { "true" }
                aria-controls="certificate-upload"
                on:click=move |_| unfolded.update(|u| *u = !*u)
            >
                "replace certificate"
            </button>
        }
    });

    view! {
        <h2 class="visually-hidden">"certificates"</h2>
        {current}
        <div class="certificate-fold">
            {fold_button}
            <div id="certificate-upload" hidden=folded>
                // Drawn again when the draft takes or drops an upload, which empties the form.
                {move || {
                    preview.track();
                    view! { <UploadForm form actions replacing /> }
                }}
            </div>
        </div>
    }
}

/// The facts the server read from a client certificate, and the CA's, if
/// there are any. A CA is summed up first: `trusted CA: <subject>, expires …`.
fn certificate_fields(stored: StoredCertificates, now: Timestamp) -> AnyView {
    let ca = stored.ca.map(|ca| {
        let summary = format!("trusted CA: {}, expires {}", ca.subject, text::date(ca.not_after));
        view! {
            <h4>"trusted CA certificate"</h4>
            <p class="certificate__summary">{summary}</p>
            {info_list(ca, now)}
        }
    });
    view! {
        {stored.client.map(|client| info_list(client, now))}
        {ca}
    }
    .into_any()
}

fn info_list(info: CertificateInfo, now: Timestamp) -> AnyView {
    let warning = text::expiry_badge(info.not_after, now).map(|(tone, text)| view! { " " <Badge tone text /> });
    let names = if info.subject_alt_names.is_empty() {
        "none".to_string()
    } else {
        info.subject_alt_names.join(", ")
    };
    view! {
        <dl class="fields">
            {value_row("subject", info.subject, true)}
            {value_row("issuer", info.issuer, true)}
            {value_row("subject alternative names", names, true)}
            {value_row("valid from", text::date_time(info.not_before), false)}
            <ReadOnlyField label="valid to">
                <span class="value">{text::date_time(info.not_after)}</span>
                {warning}
            </ReadOnlyField>
            <ReadOnlyField label="SHA-256 fingerprint">
                <code class="value value--break">{info.sha256_fingerprint}</code>
            </ReadOnlyField>
            {value_row("key type", info.key_type, false)}
        </dl>
    }
    .into_any()
}

/// One line of a certificate's details; a long value (`breaks`) may wrap
/// anywhere.
fn value_row(label: &'static str, value: String, breaks: bool) -> impl IntoView {
    let class = if breaks { "value value--break" } else { "value" };
    view! {
        <ReadOnlyField label>
            <span class=class>{value}</span>
        </ReadOnlyField>
    }
}

/// Pasting, choosing or dropping a client certificate with its key (PEM or
/// PKCS#12) and an optional CA certificate, then `read certificate`.
#[component]
fn UploadForm(form: Form, actions: InstanceActions, replacing: bool) -> impl IntoView {
    let editor = form.editor;
    let format = Memo::new(move |_| editor.with(|e| e.certificate_form().format));
    let pkcs12_name = Memo::new(move |_| editor.with(|e| e.certificate_form().pkcs12_name.clone()));
    let reading = move || editor.with(|e| e.reading_certificate());
    let dragging = RwSignal::new(false);

    let set_format = move |format: UploadFormat| {
        editor.update(|e| e.edit_certificate_form(FIELD_CERTIFICATE, |f| f.format = format));
    };
    let formats = UploadFormat::ALL
        .iter()
        .map(|&choice| {
            let id = format!("certificate-format-{}", choice.slug());
            let label_for = id.clone();
            view! {
                <label class="choice" for=label_for>
                    <input
                        type="radio"
                        id=id
                        name="certificate-format"
                        prop:checked=move || format.get() == choice
                        on:change=move |_| set_format(choice)
                    />
                    {choice.label()}
                </label>
            }
        })
        .collect_view();

    let take_files = move |files: web_sys::FileList| {
        for index in 0..files.length() {
            if let Some(file) = files.item(index) {
                spawn_local(async move {
                    let name = file.name();
                    let Some(bytes) = read_file(&file).await else {
                        return;
                    };
                    actions.take_file(&name, &bytes);
                });
            }
        }
    };
    let on_choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            take_files(files);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            take_files(files);
        }
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };

    let read = move |_| actions.read_certificate();

    let pem_fields = move || {
        (format.get() == UploadFormat::Pem).then(|| {
            view! {
                {pem_area(form, FIELD_CERTIFICATE, UploadField::Certificate, "certificate (PEM)", None)}
                {pem_area(
                    form,
                    FIELD_CERT_PRIVATE_KEY,
                    UploadField::PrivateKey,
                    "private key (PEM)",
                    Some("It is stored encrypted and never shown again."),
                )}
            }
        })
    };
    let pkcs12_field = move || {
        (format.get() == UploadFormat::Pkcs12).then(|| {
            view! {
                <div class="form-field">
                    <p class="form-field__label" id=field_id(FIELD_CERT_PKCS12)>"PKCS#12 file"</p>
                    <p class="value">
                        {move || {
                            let name = pkcs12_name.get();
                            if name.is_empty() { "no file chosen".to_string() } else { name }
                        }}
                    </p>
                    {field_error(form, FIELD_CERT_PKCS12)}
                </div>
            }
        })
    };
    let passphrase = text_input(
        aria(form, FIELD_CERT_PASSPHRASE, true),
        "password",
        editor.with_untracked(|e| e.certificate_form().passphrase.clone()),
        Callback::new(move |value: String| {
            editor.update(|e| e.edit_certificate_form(FIELD_CERT_PASSPHRASE, |f| f.passphrase = value))
        }),
    );

    view! {
        <section class="certificate-upload" aria-labelledby="certificate-upload-heading">
            <h3 id="certificate-upload-heading">
                {if replacing { "replace the certificate" } else { "upload a certificate" }}
            </h3>
            <fieldset class="form-field">
                <legend>"format"</legend>
                {formats}
            </fieldset>
            <div
                class="drop-zone"
                class:drop-zone--active=move || dragging.get()
                on:dragover=on_dragover
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p>"Drop certificate, key, CA or PKCS#12 files here, or"</p>
                <label class="button button--secondary" for="certificate-files">"choose files"</label>
                <input
                    id="certificate-files"
                    class="visually-hidden"
                    type="file"
                    multiple=true
                    accept=".pem,.crt,.cer,.der,.key,.p12,.pfx"
                    on:change=on_choose
                />
            </div>
            <div class="form">
                {pem_fields}
                {pkcs12_field}
                {field_shell(
                    form,
                    FIELD_CERT_PASSPHRASE,
                    "passphrase".into(),
                    Some("Only if the private key or PKCS#12 file is encrypted. It is not stored.".into()),
                    passphrase,
                )}
                {pem_area(
                    form,
                    FIELD_CERT_CA,
                    UploadField::Ca,
                    "CA certificate (PEM)",
                    Some("A certificate authority to trust for this instance's server, besides the usual ones. Add it alone when the server uses a private CA but asks for no client certificate."),
                )}
            </div>
            <button
                type="button"
                class="button button--secondary"
                aria-disabled=move || reading().then_some("true")
                on:click=read
            >
                {move || if reading() { "reading certificate…" } else { "read certificate" }}
            </button>
        </section>
    }
}

/// A labelled text area for PEM text.
fn pem_area(form: Form, field: &'static str, part: UploadField, label: &'static str, help: Option<&str>) -> AnyView {
    let editor = form.editor;
    let aria = aria(form, field, help.is_some());
    // Files chosen or dropped fill the area too.
    let shown = move || editor.with(|e| e.certificate_form().get(part).to_string());
    let control = view! {
        <textarea
            id=aria.id
            rows="4"
            spellcheck="false"
            autocomplete="off"
            class="pem"
            aria-describedby=aria.described_by
            aria-invalid=aria.invalid
            prop:value=shown
            on:input=move |ev| {
                let text = event_target_value(&ev);
                editor.update(|e| e.edit_certificate_form(field, |f| f.set(part, text)));
            }
        ></textarea>
    }
    .into_any();
    field_shell(form, field, label.into(), help.map(str::to_string), control)
}

/// A file's bytes, read by the browser.
async fn read_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}
