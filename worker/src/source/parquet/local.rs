//! Local Parquet files: a file, a directory (searched recursively, hidden entries skipped) or a
//! glob, expanded into the files it names.

use std::path::{Path, PathBuf};

use crate::error::WorkerError;

/// Expands a file, directory or glob into the Parquet files it names, sorted.
pub fn resolve_files(location: &str) -> Result<Vec<PathBuf>, WorkerError> {
    let path = Path::new(location);
    let mut files = Vec::new();
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if path.is_dir() {
        collect_dir(path, &mut files)
            .map_err(|e| WorkerError::UnreadableParquet { path: path.into(), reason: e.to_string() })?;
        if files.is_empty() {
            return Err(WorkerError::NoFiles(location.to_owned()));
        }
    } else if location.contains(['*', '?', '[']) {
        let entries = glob::glob(location)
            .map_err(|e| WorkerError::BadGlob { pattern: location.to_owned(), reason: e.to_string() })?;
        for entry in entries {
            let p = entry
                .map_err(|e| WorkerError::UnreadableParquet { path: e.path().into(), reason: e.error().to_string() })?;
            if p.is_file() {
                files.push(p);
            }
        }
        if files.is_empty() {
            return Err(WorkerError::NoFiles(location.to_owned()));
        }
    } else {
        return Err(WorkerError::NotFound(path.to_path_buf()));
    }
    files.sort();
    Ok(files)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(super::is_hidden) {
            continue;
        }
        if path.is_dir() {
            collect_dir(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
            out.push(path);
        }
    }
    Ok(())
}
