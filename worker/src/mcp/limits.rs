//! What an operator lets the agents behind `profiler mcp` do: which sources they may name, how
//! many rows a sample may return, whether runs are recorded in the profile store, how long a query
//! may run and where the server writes. Set by a JSON file (`--config`) and flags; see
//! docs/agents.md.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use glob::{MatchOptions, Pattern};
use serde::Deserialize;

use crate::source::uri::SourceUri;

/// Sample rows an agent may ask for when the operator sets no maximum.
pub const DEFAULT_MAX_SAMPLE_ROWS: usize = 100;
/// Query timeout when the operator sets none.
pub const DEFAULT_QUERY_TIMEOUT_SECS: u64 = 300;

/// The limits as an operator writes them (the `--config` file, camelCase), before they are checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitsConfig {
    /// URI prefixes or globs (`*`, `?`, `[..]`) of the remote sources agents may name, matched
    /// against the source's canonical URI (`athena://AwsDataCatalog/db.table?workgroup=primary`).
    #[serde(default)]
    pub allowed_sources: Vec<String>,
    /// Directories whose files (Parquet, Iceberg tables, profile documents) agents may read.
    #[serde(default)]
    pub allowed_dirs: Vec<PathBuf>,
    /// Most rows `get_sample` returns (default 100).
    #[serde(default)]
    pub max_sample_rows: Option<usize>,
    /// No profile store recording; files are written only under `outputDir` (default true).
    #[serde(default)]
    pub read_only: Option<bool>,
    /// Seconds a tool's queries may run before they are stopped (default 300).
    #[serde(default)]
    pub query_timeout_secs: Option<u64>,
    /// Where `profile` and `diff` write their documents.
    #[serde(default)]
    pub output_dir: Option<PathBuf>,
}

impl LimitsConfig {
    /// Reads a `--config` file (JSON).
    pub fn from_file(path: &Path) -> Result<Self, LimitsError> {
        let bad = |reason: String| LimitsError::Config { path: path.to_owned(), reason };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
    }

    /// Adds the flags' values: lists are appended, single values replace the file's.
    pub fn overlay(mut self, flags: LimitsConfig) -> Self {
        self.allowed_sources.extend(flags.allowed_sources);
        self.allowed_dirs.extend(flags.allowed_dirs);
        self.max_sample_rows = flags.max_sample_rows.or(self.max_sample_rows);
        self.read_only = flags.read_only.or(self.read_only);
        self.query_timeout_secs = flags.query_timeout_secs.or(self.query_timeout_secs);
        self.output_dir = flags.output_dir.or(self.output_dir);
        self
    }

    /// Checks the limits: directories exist (the output directory is created), globs parse, the
    /// sample maximum is within `ceiling`.
    pub fn check(self, ceiling: usize) -> Result<Limits, LimitsError> {
        let allowed_sources =
            self.allowed_sources.into_iter().map(|entry| SourceRule::new(&entry)).collect::<Result<Vec<_>, _>>()?;
        let allowed_dirs = self
            .allowed_dirs
            .iter()
            .map(|dir| {
                std::fs::canonicalize(dir)
                    .map_err(|e| LimitsError::Directory { path: dir.clone(), reason: e.to_string() })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let output_dir = match self.output_dir {
            Some(dir) => {
                let bad = |e: std::io::Error| LimitsError::Directory { path: dir.clone(), reason: e.to_string() };
                std::fs::create_dir_all(&dir).map_err(bad)?;
                Some(std::fs::canonicalize(&dir).map_err(bad)?)
            }
            None => None,
        };
        let max_sample_rows = self.max_sample_rows.unwrap_or(DEFAULT_MAX_SAMPLE_ROWS);
        if max_sample_rows == 0 || max_sample_rows > ceiling {
            return Err(LimitsError::SampleRows { value: max_sample_rows, ceiling });
        }
        let timeout = self.query_timeout_secs.unwrap_or(DEFAULT_QUERY_TIMEOUT_SECS);
        if timeout == 0 {
            return Err(LimitsError::Timeout);
        }
        Ok(Limits {
            allowed_sources,
            allowed_dirs,
            max_sample_rows,
            read_only: self.read_only.unwrap_or(true),
            query_timeout: Duration::from_secs(timeout),
            output_dir,
        })
    }
}

/// Limits that cannot be applied: the server does not start.
#[derive(Debug, thiserror::Error)]
pub enum LimitsError {
    /// The `--config` file cannot be read or is not the documented JSON.
    #[error("limits file {path}: {reason} (format: docs/agents.md)")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// An allowed or output directory that cannot be used.
    #[error("directory {path}: {reason}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// An allowed source pattern that is not a valid glob.
    #[error("allowed source {entry:?}: {reason}")]
    Pattern {
        /// The entry.
        entry: String,
        /// The glob parser's message.
        reason: String,
    },
    /// A sample maximum of 0 or above what the sampler returns.
    #[error("maximum sample rows {value}: must be between 1 and {ceiling}")]
    SampleRows {
        /// The value set.
        value: usize,
        /// The largest sample the profiler returns.
        ceiling: usize,
    },
    /// A query timeout of 0.
    #[error("query timeout must be at least 1 second")]
    Timeout,
}

/// One entry of the source allow-list: a prefix, or a glob when it has `*`, `?` or `[`.
#[derive(Debug, Clone)]
enum SourceRule {
    Prefix(String),
    Glob(Pattern),
}

impl SourceRule {
    fn new(entry: &str) -> Result<Self, LimitsError> {
        if entry.contains(['*', '?', '[']) {
            Pattern::new(entry)
                .map(Self::Glob)
                .map_err(|e| LimitsError::Pattern { entry: entry.to_owned(), reason: e.to_string() })
        } else {
            Ok(Self::Prefix(entry.to_owned()))
        }
    }

    fn allows(&self, uri: &str) -> bool {
        match self {
            Self::Prefix(prefix) => uri.starts_with(prefix.as_str()),
            Self::Glob(pattern) => pattern.matches_with(
                uri,
                MatchOptions {
                    case_sensitive: true,
                    require_literal_separator: false,
                    require_literal_leading_dot: false,
                },
            ),
        }
    }

    fn text(&self) -> &str {
        match self {
            Self::Prefix(prefix) => prefix,
            Self::Glob(pattern) => pattern.as_str(),
        }
    }
}

/// The checked limits the server applies to every tool call.
#[derive(Debug, Clone)]
pub struct Limits {
    allowed_sources: Vec<SourceRule>,
    allowed_dirs: Vec<PathBuf>,
    /// Most rows `get_sample` returns.
    pub max_sample_rows: usize,
    /// No profile store recording, no files outside the output directory.
    pub read_only: bool,
    /// How long a tool's queries may run.
    pub query_timeout: Duration,
    /// Where `profile` and `diff` write (canonical), when set.
    pub output_dir: Option<PathBuf>,
}

/// A tool call the limits refuse: the agent gets this message as a tool error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A remote source no allow-list entry matches.
    #[error("source {uri} is not allowed by this server (allowed: {allowed}); ask its operator to add it")]
    SourceNotAllowed {
        /// The source's canonical URI.
        uri: String,
        /// The allow-list.
        allowed: String,
    },
    /// A local path outside the allowed directories.
    #[error("path {path} is outside the directories this server may read (allowed: {allowed})")]
    PathNotAllowed {
        /// The path as resolved.
        path: String,
        /// The allowed directories.
        allowed: String,
    },
    /// A path with `..` components, which the server does not resolve.
    #[error("path {0} has '..' components; name the file by a path without them")]
    ParentComponents(String),
    /// A sample larger than the operator's maximum.
    #[error("a sample of {requested} rows is above this server's maximum of {max}; ask for at most {max}")]
    SampleTooLarge {
        /// Rows asked for.
        requested: usize,
        /// The maximum.
        max: usize,
    },
    /// A tool that writes, on a server without an output directory.
    #[error(
        "{0} writes its document to the server's output directory, and none is set (profiler mcp --output-dir DIR)"
    )]
    NoOutputDir(&'static str),
}

impl Limits {
    /// Refuses a source no limit allows: remote sources by the allow-list, local paths by the
    /// allowed directories.
    pub fn check_source(&self, uri: &SourceUri) -> Result<(), Refusal> {
        match uri {
            SourceUri::Files(location) if is_local(location) => {
                let path = location.strip_prefix("file://").unwrap_or(location);
                self.check_path(Path::new(path), &self.allowed_dirs)
            }
            other => {
                let canonical = other.to_string();
                if self.allowed_sources.iter().any(|rule| rule.allows(&canonical)) {
                    Ok(())
                } else {
                    Err(Refusal::SourceNotAllowed { uri: canonical, allowed: self.allowed_sources_text() })
                }
            }
        }
    }

    /// Refuses a document (a profile.json to compare, a rule set) outside the allowed directories
    /// and the output directory.
    pub fn check_document(&self, path: &Path) -> Result<(), Refusal> {
        let mut dirs = self.allowed_dirs.clone();
        dirs.extend(self.output_dir.clone());
        self.check_path(path, &dirs)
    }

    /// Refuses a sample above the maximum.
    pub fn check_sample(&self, rows: usize) -> Result<(), Refusal> {
        if rows > self.max_sample_rows {
            return Err(Refusal::SampleTooLarge { requested: rows, max: self.max_sample_rows });
        }
        Ok(())
    }

    /// The output directory, or a refusal naming the tool that needs one.
    pub fn output_dir(&self, tool: &'static str) -> Result<&Path, Refusal> {
        self.output_dir.as_deref().ok_or(Refusal::NoOutputDir(tool))
    }

    /// The allow-list as one line, for messages and the server's instructions.
    pub fn allowed_sources_text(&self) -> String {
        if self.allowed_sources.is_empty() {
            return "none".to_owned();
        }
        self.allowed_sources.iter().map(SourceRule::text).collect::<Vec<_>>().join(", ")
    }

    /// The allowed directories as one line.
    pub fn allowed_dirs_text(&self) -> String {
        if self.allowed_dirs.is_empty() {
            return "none".to_owned();
        }
        self.allowed_dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
    }

    /// A path (a glob's fixed leading part) must resolve under one of `dirs`; `..` is refused
    /// outright, symbolic links are followed.
    fn check_path(&self, path: &Path, dirs: &[PathBuf]) -> Result<(), Refusal> {
        let shown = path.display().to_string();
        if path.components().any(|c| c == Component::ParentDir) {
            return Err(Refusal::ParentComponents(shown));
        }
        let resolved = resolve(&fixed_prefix(path));
        if dirs.iter().any(|dir| resolved.starts_with(dir)) {
            Ok(())
        } else {
            let allowed = dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ");
            let allowed = if allowed.is_empty() { "none".to_owned() } else { allowed };
            Err(Refusal::PathNotAllowed { path: resolved.display().to_string(), allowed })
        }
    }
}

/// Whether a `Files` location is on this machine (not `s3://`).
fn is_local(location: &str) -> bool {
    !location.contains("://") || location.starts_with("file://")
}

/// The leading components of `path` without glob characters.
fn fixed_prefix(path: &Path) -> PathBuf {
    path.components().take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '['])).collect()
}

/// `path` made absolute, through its longest existing ancestor's canonical form (symbolic links
/// resolved), the missing rest appended.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_owned())
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(canonical, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(sources: &[&str], dirs: &[&Path]) -> Limits {
        LimitsConfig {
            allowed_sources: sources.iter().map(|s| (*s).to_owned()).collect(),
            allowed_dirs: dirs.iter().map(|d| d.to_path_buf()).collect(),
            ..LimitsConfig::default()
        }
        .check(10_000)
        .unwrap()
    }

    fn uri(text: &str) -> SourceUri {
        SourceUri::parse(text).unwrap()
    }

    #[test]
    fn remote_sources_match_the_canonical_uri_by_prefix_or_glob() {
        let l = limits(&["athena://AwsDataCatalog/analytics.", "redshift://wg/dev/public.orders*"], &[]);
        assert!(l.check_source(&uri("athena://analytics.orders")).is_ok());
        assert!(l.check_source(&uri("athena://AwsDataCatalog/analytics.orders?workgroup=etl")).is_ok());
        assert!(matches!(
            l.check_source(&uri("athena://finance.ledger")),
            Err(Refusal::SourceNotAllowed { uri, .. }) if uri == "athena://AwsDataCatalog/finance.ledger?workgroup=primary"
        ));
        assert!(l.check_source(&uri("redshift://wg/dev/public.orders?user=admin")).is_ok());
        assert!(l.check_source(&uri("redshift://wg/dev/public.customers?user=admin")).is_err());
        assert!(l.check_source(&uri("s3://bucket/table/")).is_err());
    }

    #[test]
    fn local_paths_must_resolve_under_an_allowed_directory() {
        let dir = std::env::temp_dir().join(format!("mcp-limits-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let data = dir.join("data");
        let l = limits(&[], &[&data]);
        assert!(l.check_source(&uri(&data.join("t.parquet").display().to_string())).is_ok());
        assert!(l.check_source(&uri(&format!("file://{}/*.parquet", data.display()))).is_ok());
        assert!(l.check_source(&uri(&format!("{}/missing/dir/", data.display()))).is_ok());
        assert!(matches!(
            l.check_source(&uri(&format!("{}/../secret.parquet", data.display()))),
            Err(Refusal::ParentComponents(_))
        ));
        assert!(matches!(l.check_source(&uri("/etc/passwd")), Err(Refusal::PathNotAllowed { .. })));
        #[cfg(unix)]
        {
            let link = data.join("escape");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink("/etc", &link).unwrap();
            assert!(l.check_source(&uri(&link.join("passwd").display().to_string())).is_err());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn samples_above_the_maximum_are_refused() {
        let l = limits(&[], &[]);
        assert!(l.check_sample(DEFAULT_MAX_SAMPLE_ROWS).is_ok());
        assert_eq!(
            l.check_sample(DEFAULT_MAX_SAMPLE_ROWS + 1),
            Err(Refusal::SampleTooLarge { requested: DEFAULT_MAX_SAMPLE_ROWS + 1, max: DEFAULT_MAX_SAMPLE_ROWS })
        );
    }

    #[test]
    fn flags_extend_and_override_the_file() {
        let file: LimitsConfig =
            serde_json::from_str(r#"{"allowedSources": ["s3://a/"], "maxSampleRows": 50, "readOnly": false}"#).unwrap();
        let flags =
            LimitsConfig { allowed_sources: vec!["s3://b/".into()], max_sample_rows: Some(20), ..Default::default() };
        let l = file.overlay(flags).check(10_000).unwrap();
        assert_eq!(l.allowed_sources_text(), "s3://a/, s3://b/");
        assert_eq!(l.max_sample_rows, 20);
        assert!(!l.read_only);
        assert!(matches!(
            LimitsConfig { max_sample_rows: Some(20_000), ..Default::default() }.check(10_000),
            Err(LimitsError::SampleRows { .. })
        ));
        assert!(serde_json::from_str::<LimitsConfig>(r#"{"allowedSource": []}"#).is_err());
    }
}
