//! Atomic writing of the assembly directory.
//!
//! Everything is written into a fresh temporary directory next to the output directory, which
//! then replaces it with renames; on any failure the previous assembly is left untouched.
//!
//! Copied entries (staged assets) are content-addressed: when the previous assembly already
//! holds a file of the same size at the same path, it is hard-linked into the new assembly
//! instead of copied (aws-cdk-lib likewise skips staging an `asset.<hash>` that exists). The
//! previous assembly itself is never modified, so a failed write still leaves it intact.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One entry of the assembly to write, relative to the assembly root.
#[derive(Debug, Clone)]
pub enum AssemblyFile {
    /// A file with these bytes.
    Bytes {
        /// Relative path.
        path: String,
        /// Content.
        bytes: Vec<u8>,
    },
    /// A copy of a file on disk (staged asset).
    CopyFile {
        /// Relative path.
        path: String,
        /// Source file.
        source: PathBuf,
    },
    /// A recursive copy of a directory (staged asset), following the given lists.
    CopyDir {
        /// Relative path.
        path: String,
        /// Directories to create (relative paths inside the directory), parents first.
        dirs: Vec<PathBuf>,
        /// Files to copy: (relative path inside the directory, source file).
        files: Vec<(PathBuf, PathBuf)>,
        /// Symbolic links to create: (relative path inside the directory, link target).
        links: Vec<(PathBuf, PathBuf)>,
    },
}

impl AssemblyFile {
    /// A file with these bytes.
    pub fn bytes(path: &str, bytes: Vec<u8>) -> Self {
        AssemblyFile::Bytes {
            path: path.to_string(),
            bytes,
        }
    }

    /// The entry's path relative to the assembly root.
    pub fn path(&self) -> &str {
        match self {
            AssemblyFile::Bytes { path, .. }
            | AssemblyFile::CopyFile { path, .. }
            | AssemblyFile::CopyDir { path, .. } => path,
        }
    }
}

/// Copies `source` to `dest`, or hard-links `previous` when it is a file of the same size.
fn copy_or_reuse(source: &Path, dest: &Path, previous: Option<&Path>) -> Result<()> {
    if let Some(previous) = previous {
        let same = match (fs::symlink_metadata(previous), fs::metadata(source)) {
            (Ok(old), Ok(new)) => old.is_file() && old.len() == new.len(),
            _ => false,
        };
        if same && fs::hard_link(previous, dest).is_ok() {
            return Ok(());
        }
    }
    fs::copy(source, dest).map_err(|e| Error::io(source, e))?;
    Ok(())
}

#[cfg(unix)]
fn make_link(target: &Path, dest: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, dest).map_err(|e| Error::io(dest, e))
}

#[cfg(not(unix))]
fn make_link(_target: &Path, dest: &Path) -> Result<()> {
    Err(Error::io(
        dest,
        std::io::Error::other(
            "symbolic links inside assets can only be staged on Unix; follow them instead",
        ),
    ))
}

fn write_entry(root: &Path, entry: &AssemblyFile, previous: Option<&Path>) -> Result<()> {
    let target = root.join(entry.path());
    let previous = previous.map(|p| p.join(entry.path()));
    // Entries of nested assemblies (`assembly-<Stage>/...`) need their directory.
    if let Some(parent) = target.parent().filter(|p| *p != root) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    match entry {
        AssemblyFile::Bytes { bytes, .. } => {
            fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        }
        AssemblyFile::CopyFile { source, .. } => {
            copy_or_reuse(source, &target, previous.as_deref())?;
        }
        AssemblyFile::CopyDir {
            dirs, files, links, ..
        } => {
            fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
            for relative in dirs {
                let dir = target.join(relative);
                fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            }
            for (relative, source) in files {
                let dest = target.join(relative);
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                let old = previous.as_ref().map(|p| p.join(relative));
                copy_or_reuse(source, &dest, old.as_deref())?;
            }
            for (relative, link_target) in links {
                let dest = target.join(relative);
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                make_link(link_target, &dest)?;
            }
        }
    }
    Ok(())
}

/// Writes `files` as the complete content of `outdir`, replacing what was there atomically.
pub fn write_atomically(outdir: &Path, files: &[AssemblyFile]) -> Result<()> {
    let parent = match outdir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = outdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cdk.out".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let previous = outdir.is_dir().then_some(outdir);
    for entry in files {
        write_entry(staging.path(), entry, previous)?;
    }
    if outdir.exists() {
        let backup = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        let backup_path = backup.path().join("previous");
        fs::rename(outdir, &backup_path).map_err(|e| Error::io(outdir, e))?;
        if let Err(e) = fs::rename(staging.path(), outdir) {
            // Put the previous assembly back before reporting.
            let _ = fs::rename(&backup_path, outdir);
            return Err(Error::io(outdir, e));
        }
        drop(backup); // removes the previous assembly
    } else {
        fs::rename(staging.path(), outdir).map_err(|e| Error::io(outdir, e))?;
    }
    // The staging directory was renamed away; forget it without deleting.
    let _ = staging.keep();
    Ok(())
}
