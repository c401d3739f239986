//! Where attachment files live: a local folder by default, an S3-compatible bucket when
//! configured (through `object_store`), in memory for tests; keys are server-made UUIDs.

use object_store::ObjectStore;
use object_store::path::Path as StorePath;
use std::sync::Arc;

use crate::error::ApiError;

/// Where files live.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

impl Storage {
    /// A folder on the local disk (created if missing).
    ///
    /// # Errors
    /// The folder cannot be created.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            store: Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// An S3-compatible bucket; endpoint and credentials from the usual `AWS_*` variables.
    ///
    /// # Errors
    /// An incomplete configuration.
    pub fn s3(bucket: &str) -> anyhow::Result<Self> {
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// In memory (tests of a single process).
    #[must_use]
    pub fn memory() -> Self {
        Self {
            store: Arc::new(object_store::memory::InMemory::new()),
        }
    }

    pub(super) async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
        self.store
            .put(&StorePath::from(key), bytes.into())
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))?;
        Ok(())
    }

    /// Removes what is stored under `key` (a file whose row was refused); a failure is logged,
    /// not raised: the upload's answer does not depend on it.
    pub(super) async fn delete(&self, key: &str) {
        if let Err(e) = self.store.delete(&StorePath::from(key)).await {
            tracing::warn!(error = %e, "storage: an unrecorded file could not be removed");
        }
    }

    /// How many files are stored (every one should have its attachment row).
    ///
    /// # Errors
    /// A storage failure.
    pub async fn count(&self) -> Result<usize, ApiError> {
        use futures_util::TryStreamExt;
        let keys: Vec<_> = self
            .store
            .list(None)
            .try_collect()
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))?;
        Ok(keys.len())
    }

    /// The bytes stored under `key`.
    ///
    /// # Errors
    /// A storage failure.
    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, ApiError> {
        self.store
            .get(&StorePath::from(key))
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))?
            .bytes()
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))
    }
}
