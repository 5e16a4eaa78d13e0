//! Parquet objects on S3 as a location names them, listed with ListObjectsV2:
//! `s3://BUCKET/PREFIX/` (every `.parquet` object below, recursively), `s3://BUCKET/KEY` (that
//! object), or a glob in the last path segments (`s3://BUCKET/PREFIX/*.parquet`,
//! `s3://BUCKET/PREFIX/dt=*/`): the literal segments before the first wildcard are listed, the
//! keys filtered by the glob (`*` stays within a segment; a segment the glob matches as a
//! directory is taken recursively). Hidden keys (a segment starting with `.` or `_`) are skipped.

use aws_sdk_s3::Client;
use glob::{MatchOptions, Pattern};

use super::is_hidden;
use crate::error::WorkerError;
use crate::source::s3_storage::strip_scheme;

/// What a scan lists: the step named in errors.
pub(crate) const LIST_STEP: &str = "list the objects (ListObjectsV2)";

/// An S3 location of Parquet files, parsed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct S3Prefix {
    location: String,
    bucket: String,
    /// The key part as written (no bucket).
    key: String,
    /// The literal prefix listed.
    list_prefix: String,
    /// The glob over keys and how many `/`-separated segments it spans.
    glob: Option<(Pattern, usize)>,
}

/// One object the location selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    /// The object's key.
    pub key: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The objects a listing selected, sorted by key, and how many it saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listing {
    /// Selected objects.
    pub objects: Vec<Listed>,
    /// Objects ListObjectsV2 returned under the listed prefix.
    pub listed: u64,
}

fn is_parquet(key: &str) -> bool {
    key.len() > ".parquet".len() && key[key.len() - ".parquet".len()..].eq_ignore_ascii_case(".parquet")
}

impl S3Prefix {
    /// Parses `s3://BUCKET[/PREFIX | /KEY | /GLOB]`.
    pub(crate) fn parse(location: &str) -> Result<Self, WorkerError> {
        let rest = strip_scheme(location)
            .ok_or_else(|| WorkerError::InvalidRequest(format!("{location} is not an s3://BUCKET/PREFIX/ location")))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(WorkerError::InvalidRequest(format!(
                "{location}: the bucket is missing; expected s3://BUCKET/PREFIX/ or s3://BUCKET/PREFIX/*.parquet"
            )));
        }
        let segments: Vec<&str> = key.split('/').collect();
        let (list_prefix, glob) = match segments.iter().position(|s| s.contains(['*', '?', '['])) {
            None => (key.to_owned(), None),
            Some(first) => {
                let literal: String = segments[..first].iter().map(|s| format!("{s}/")).collect();
                let text = key.trim_end_matches('/');
                let pattern = Pattern::new(text)
                    .map_err(|e| WorkerError::BadGlob { pattern: location.to_owned(), reason: e.to_string() })?;
                (literal, Some((pattern, text.split('/').count())))
            }
        };
        Ok(Self { location: location.to_owned(), bucket: bucket.to_owned(), key: key.to_owned(), list_prefix, glob })
    }

    /// The bucket.
    pub(crate) fn bucket(&self) -> &str {
        &self.bucket
    }

    /// `s3://BUCKET/PREFIX` of the listing, for messages.
    fn listed_under(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.list_prefix)
    }

    /// Whether the location names `key`: the object named exactly (whatever its name), else a
    /// `.parquet` object, not hidden, below the prefix or matched by the glob.
    fn selects(&self, key: &str) -> bool {
        if key == self.key {
            return true;
        }
        let Some(rest) = key.strip_prefix(&self.list_prefix) else { return false };
        if !is_parquet(key) || rest.split('/').any(is_hidden) {
            return false;
        }
        match &self.glob {
            None => self.key.is_empty() || self.key.ends_with('/') || rest.starts_with('/'),
            Some((pattern, segments)) => {
                let head: Vec<&str> = key.split('/').take(*segments).collect();
                let options = MatchOptions { require_literal_separator: true, ..MatchOptions::new() };
                head.len() == *segments && pattern.matches_with(&head.join("/"), options)
            }
        }
    }

    /// An Iceberg table's metadata file under a plain prefix: its data files are not a table by
    /// themselves (deletes, old snapshots), so the listing refuses them.
    fn iceberg_metadata(&self, key: &str) -> bool {
        self.glob.is_none() && key.ends_with(".metadata.json") && key.contains("metadata/")
    }

    /// Lists the objects under the prefix (every page) and keeps those the location selects.
    /// A bucket that does not exist or may not be listed is an error in S3's words; so is a
    /// listing that selects no Parquet object.
    pub(crate) async fn list(&self, client: &Client) -> Result<Listing, WorkerError> {
        let mut pages = client.list_objects_v2().bucket(&self.bucket).prefix(&self.list_prefix).into_paginator().send();
        let (mut objects, mut listed) = (Vec::new(), 0u64);
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| crate::aws::call_failed(self.location.clone(), LIST_STEP, "S3", &e))?;
            for object in page.contents() {
                listed += 1;
                let Some(key) = object.key() else { continue };
                if self.iceberg_metadata(key) {
                    return Err(WorkerError::InvalidRequest(format!(
                        "{}: holds an Iceberg table (s3://{}/{key}); name its current metadata file \
                         (s3://BUCKET/TABLE/metadata/vN.metadata.json) or the table in its catalog \
                         (iceberg+glue://NAMESPACE.TABLE) so that deletes and snapshots apply",
                        self.location, self.bucket
                    )));
                }
                if self.selects(key) {
                    objects.push(Listed { key: key.to_owned(), size: object.size().unwrap_or(0).max(0) as u64 });
                }
            }
        }
        if objects.is_empty() {
            return Err(WorkerError::NoParquetObjects {
                location: self.location.clone(),
                listed,
                listed_under: self.listed_under(),
            });
        }
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Listing { objects, listed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(location: &str, keys: &[&str]) -> Vec<String> {
        let prefix = S3Prefix::parse(location).unwrap();
        keys.iter().filter(|k| prefix.selects(k)).map(|k| (*k).to_owned()).collect()
    }

    const KEYS: [&str; 9] = [
        "t/a.parquet",
        "t/b.PARQUET",
        "t/notes.csv",
        "t/_SUCCESS",
        "t/_tmp/c.parquet",
        "t/dt=1/d.parquet",
        "t/dt=2/e.parquet",
        "t/dt=2/x/f.parquet",
        "t2/g.parquet",
    ];

    #[test]
    fn a_prefix_selects_parquet_objects_below_it() {
        let all = ["t/a.parquet", "t/b.PARQUET", "t/dt=1/d.parquet", "t/dt=2/e.parquet", "t/dt=2/x/f.parquet"];
        assert_eq!(selected("s3://b/t/", &KEYS), all);
        assert_eq!(selected("s3://b/t", &KEYS), all, "a prefix without its slash is a directory, not t2/");
        assert_eq!(selected("s3://b", &KEYS).len(), all.len() + 1);
        assert_eq!(selected("s3://b/t/notes.csv", &KEYS), ["t/notes.csv"], "an object named exactly");
        assert_eq!(selected("s3://b/t/a.parquet", &KEYS), ["t/a.parquet"]);
    }

    #[test]
    fn globs_filter_keys_segment_by_segment() {
        assert_eq!(selected("s3://b/t/*.parquet", &KEYS), ["t/a.parquet"]);
        assert_eq!(selected("s3://b/t/dt=*/", &KEYS), ["t/dt=1/d.parquet", "t/dt=2/e.parquet", "t/dt=2/x/f.parquet"]);
        assert_eq!(selected("s3://b/t/dt=2/*.parquet", &KEYS), ["t/dt=2/e.parquet"]);
        assert_eq!(selected("s3://b/t*/g.parquet", &KEYS), ["t2/g.parquet"]);
        let p = S3Prefix::parse("s3://b/t/dt=*/x/*.parquet").unwrap();
        assert_eq!(p.list_prefix, "t/");
        assert!(matches!(S3Prefix::parse("s3://b/t/[").unwrap_err(), WorkerError::BadGlob { .. }));
        assert!(S3Prefix::parse("s3:///t/").unwrap_err().to_string().contains("the bucket is missing"));
    }
}
