//! The developer settings as the API reads and changes them, for the
//! signed-in user's company only: another company's key is answered exactly
//! like a missing one.

use conduit_types::developer::{embed_origins, key_name, CreatedApiKey, DeveloperSettings, EmbedOrigins, NewApiKey};
use conduit_types::Id;

use super::keys::new_key;
use crate::error::{ApiResult, AppError};
use crate::store::{ApiKeyRecord, SessionUser, Store};

/// The company's live keys (newest first) and its allowed origins.
pub async fn read(store: &Store, user: &SessionUser) -> ApiResult<DeveloperSettings> {
    Ok(DeveloperSettings {
        keys: store.api_keys(user.company_id).await?,
        origins: store.embed_origins(user.company_id).await?,
    })
}

/// Makes a key named `new.name` for the company; the answer holds its
/// secret, which is never answered again.
pub async fn create_key(store: &Store, user: &SessionUser, new: &NewApiKey) -> ApiResult<CreatedApiKey> {
    let name = key_name(&new.name).map_err(|error| AppError::Validation(vec![error]))?;
    let made = new_key();
    let record = ApiKeyRecord {
        company_id: user.company_id,
        created_by: user.user_id,
        name: &name,
        prefix: &made.prefix,
        secret_hash: &made.secret_hash,
    };
    let key = store.create_api_key(&record).await?;
    tracing::info!(company_id = user.company_id, user_id = user.user_id, key_id = key.id, "created an API key");
    Ok(CreatedApiKey { key, secret: made.secret })
}

/// Revokes one of the company's keys; 404 when it has no live key `id`.
pub async fn revoke_key(store: &Store, user: &SessionUser, id: Id) -> ApiResult<()> {
    if !store.revoke_api_key(user.company_id, id).await? {
        return Err(AppError::not_found("API key"));
    }
    tracing::info!(company_id = user.company_id, user_id = user.user_id, key_id = id, "revoked an API key");
    Ok(())
}

/// Replaces the company's whole list of allowed origins, once every entry
/// is valid; answers the settings as they are now.
pub async fn replace_origins(store: &Store, user: &SessionUser, new: &EmbedOrigins) -> ApiResult<DeveloperSettings> {
    let origins = embed_origins(&new.origins).map_err(AppError::Validation)?;
    store.replace_embed_origins(user.company_id, &origins).await?;
    tracing::info!(company_id = user.company_id, user_id = user.user_id, count = origins.len(), "replaced the embed origins");
    read(store, user).await
}
