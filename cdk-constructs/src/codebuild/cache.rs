//! Build caches ([`Cache`]): none, local (source, Docker layers, custom paths) or an S3 bucket.

use std::rc::Rc;

use cdk_core::{fns, Aws, Str, StrList};

use super::cfn_project;
use crate::iam::IRole;
use crate::s3::IBucket;

/// What a local cache keeps (aws-cdk-lib's `LocalCacheMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalCacheMode {
    /// `LOCAL_SOURCE_CACHE`: the Git metadata of the source.
    Source,
    /// `LOCAL_DOCKER_LAYER_CACHE`: Docker layers (needs privileged mode).
    DockerLayer,
    /// `LOCAL_CUSTOM_CACHE`: the build spec's `cache.paths`.
    Custom,
}

impl LocalCacheMode {
    fn as_str(self) -> &'static str {
        match self {
            LocalCacheMode::Source => "LOCAL_SOURCE_CACHE",
            LocalCacheMode::DockerLayer => "LOCAL_DOCKER_LAYER_CACHE",
            LocalCacheMode::Custom => "LOCAL_CUSTOM_CACHE",
        }
    }
}

/// Options of an S3 cache ([`Cache::bucket`]).
#[derive(Clone, Debug, Default)]
pub struct BucketCacheOptions {
    /// A key prefix in the bucket.
    pub prefix: Option<String>,
    /// A namespace shared by projects that share the cache.
    pub cache_namespace: Option<String>,
}

#[derive(Clone)]
enum CacheKind {
    None,
    Local(Vec<LocalCacheMode>),
    Bucket(Rc<dyn IBucket>, BucketCacheOptions),
}

/// A project's build cache (aws-cdk-lib's `Cache`).
///
/// ```
/// use cdk_constructs::codebuild::{Cache, LocalCacheMode};
/// let cache = Cache::local([LocalCacheMode::DockerLayer, LocalCacheMode::Custom]);
/// # let _ = cache;
/// ```
#[derive(Clone)]
pub struct Cache {
    kind: CacheKind,
}

impl Cache {
    /// No cache (`NO_CACHE`, the default).
    pub fn none() -> Self {
        Cache {
            kind: CacheKind::None,
        }
    }

    /// A cache on the build host.
    pub fn local(modes: impl IntoIterator<Item = LocalCacheMode>) -> Self {
        Cache {
            kind: CacheKind::Local(modes.into_iter().collect()),
        }
    }

    /// A cache in an S3 bucket (the project's role may read and write it).
    pub fn bucket(bucket: Rc<dyn IBucket>, options: BucketCacheOptions) -> Self {
        Cache {
            kind: CacheKind::Bucket(bucket, options),
        }
    }

    pub(crate) fn bind(&self, role: &dyn IRole) {
        if let CacheKind::Bucket(bucket, _) = &self.kind {
            bucket.grant_read_write(role);
        }
    }

    pub(crate) fn to_cfn(&self) -> cfn_project::ProjectCacheProperty {
        match &self.kind {
            CacheKind::None => cfn_project::ProjectCacheProperty::new("NO_CACHE"),
            CacheKind::Local(modes) => {
                let mut p = cfn_project::ProjectCacheProperty::new("LOCAL");
                p.modes = Some(StrList::from(
                    modes
                        .iter()
                        .map(|m| Str::from(m.as_str()))
                        .collect::<Vec<_>>(),
                ));
                p
            }
            CacheKind::Bucket(bucket, options) => {
                let mut p = cfn_project::ProjectCacheProperty::new("S3");
                let prefix = options
                    .prefix
                    .clone()
                    .map(Str::from)
                    .unwrap_or_else(|| Str::from_value(Aws::NO_VALUE));
                p.location = Some(fns::join(
                    "/",
                    StrList::from(vec![bucket.bucket_name(), prefix]),
                ));
                p.cache_namespace = options.cache_namespace.clone().map(Str::from);
                p
            }
        }
    }
}

impl Default for Cache {
    fn default() -> Self {
        Cache::none()
    }
}
