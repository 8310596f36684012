//! An instance's certificates: the client certificate chain and the CA it
//! trusts (plain PEM), what the dashboard shows of them (`certificate_info`)
//! and the client certificate's private key, sealed for this purpose only.

use conduit_types::{CertificateState, Id, StoredCertificates};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::certificate_info::CertificatesRow;
use super::handle::Store;
use crate::certificates::{CheckedUpload, PrivateKey};
use crate::engine::{ClientIdentity, TlsMaterial};

/// Certificates to store for an instance: the public parts as PEM with what
/// the dashboard shows of them, and the decrypted private key, which the
/// store seals. Its Debug output never shows the key.
#[derive(Clone, Debug)]
pub struct NewCertificates {
    /// The client certificate chain (leaf first) and its key; none when
    /// the instance only trusts a CA.
    pub client: Option<(String, PrivateKey)>,
    pub ca_pem: Option<String>,
    pub info: StoredCertificates,
}

impl From<CheckedUpload> for NewCertificates {
    fn from(upload: CheckedUpload) -> NewCertificates {
        let chain_pem = upload.chain_pem();
        NewCertificates {
            client: chain_pem.zip(upload.identity.map(|identity| identity.private_key)),
            ca_pem: upload.ca_pem,
            info: upload.info,
        }
    }
}

/// What a save does with the instance's certificates.
#[derive(Clone, Copy, Debug)]
pub enum CertificateChange<'a> {
    Keep,
    Remove,
    /// Remove the trusted CA only; a client certificate stays.
    RemoveCa,
    Store(&'a NewCertificates),
}

impl Store {
    /// The stored certificates of instance `id` as the dashboard sees them,
    /// and as the TLS client uses them.
    pub(super) fn open_certificates(&self, id: Id, row: &AnyRow) -> anyhow::Result<(CertificateState, TlsMaterial)> {
        let Some(info) = CertificatesRow::read(row)?.map(StoredCertificates::from) else {
            return Ok((CertificateState::None, TlsMaterial::default()));
        };
        let chain: Option<String> = row.try_get("certificate_chain")?;
        let sealed: Option<String> = row.try_get("certificate_key")?;
        let client = match (chain, sealed) {
            (Some(cert_pem), Some(sealed)) => {
                let key = PrivateKey::from_pkcs8_der(
                    self.keys
                        .vault
                        .open_certificate_key(id, &sealed)
                        .map_err(|e| anyhow::anyhow!("could not read the client certificate key of instance {id}: {e}"))?,
                );
                Some(ClientIdentity { cert_pem, key_pem: key.pkcs8_pem() })
            }
            (None, None) if info.client.is_none() => None,
            _ => anyhow::bail!("the client certificate of instance {id} is stored without its chain or key"),
        };
        let tls = TlsMaterial { ca_pem: row.try_get("certificate_ca")?, client };
        if tls.ca_pem.is_none() != info.ca.is_none() {
            anyhow::bail!("the trusted CA of instance {id} does not match its stored details");
        }
        Ok((CertificateState::Stored(info), tls))
    }

    /// Does what a save asks of instance `id`'s certificates, inside the
    /// caller's transaction.
    pub(super) async fn change_certificates(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: Id,
        change: CertificateChange<'_>,
    ) -> anyhow::Result<()> {
        match change {
            CertificateChange::Keep => Ok(()),
            CertificateChange::Remove => self.write_certificates(conn, id, None).await,
            CertificateChange::RemoveCa => self.remove_certificate_ca(conn, id).await,
            CertificateChange::Store(new) => self.write_certificates(conn, id, Some(new)).await,
        }
    }

    /// Stores (or with `None` removes) instance `id`'s certificates, inside
    /// the caller's transaction. The key is sealed for this purpose only.
    async fn write_certificates(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: Id,
        new: Option<&NewCertificates>,
    ) -> anyhow::Result<()> {
        let (chain, ca, info, key) = match new {
            None => (None, None, None, None),
            Some(new) => (
                new.client.as_ref().map(|(chain, _)| chain.clone()),
                new.ca_pem.clone(),
                Some(CertificatesRow::from(&new.info).encode()?),
                new.client
                    .as_ref()
                    .map(|(_, key)| self.keys.vault.seal_certificate_key(id, key.pkcs8_der()))
                    .transpose()?,
            ),
        };
        sqlx::query(
            "UPDATE instances SET certificate_chain = $1, certificate_ca = $2, certificate_info = $3,
                 certificate_key = $4
             WHERE id = $5",
        )
        .bind(chain)
        .bind(ca)
        .bind(info)
        .bind(key)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Removes instance `id`'s trusted CA and keeps its client certificate,
    /// inside the caller's transaction; with no client certificate nothing
    /// is left.
    async fn remove_certificate_ca(&self, conn: &mut sqlx::AnyConnection, id: Id) -> anyhow::Result<()> {
        let row = sqlx::query("SELECT certificate_info FROM instances WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
        let Some(mut info) = CertificatesRow::read(&row)? else { return Ok(()) };
        info.ca = None;
        let info = info.client.is_some().then(|| info.encode()).transpose()?;
        sqlx::query("UPDATE instances SET certificate_ca = NULL, certificate_info = $1 WHERE id = $2")
            .bind(info)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Replaces an instance's certificates outside an edit (the demo keeps
    /// its sandbox instance's certificates current this way); a new version.
    pub async fn set_certificates(
        &self,
        company_id: Id,
        instance_id: Id,
        new: Option<&NewCertificates>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE instances SET version = version + 1, updated_at = $1 WHERE id = $2 AND company_id = $3")
            .bind(self.now())
            .bind(instance_id)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        self.write_certificates(&mut tx, instance_id, new).await?;
        tx.commit().await?;
        Ok(true)
    }
}
