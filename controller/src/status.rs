//! Writing an object's status subresource, the one way both reconcilers do it.

use std::fmt::Debug;

use kube::Api;
use kube::api::{Patch, PatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::Error;

/// Writes `status` as a merge patch of `name`'s status; returns the object as stored.
pub async fn patch_status<K, S>(api: &Api<K>, name: &str, status: &S) -> Result<K, Error>
where
    K: Clone + DeserializeOwned + Debug,
    S: Serialize,
{
    Ok(api.patch_status(name, &PatchParams::default(), &Patch::Merge(json!({ "status": status }))).await?)
}
