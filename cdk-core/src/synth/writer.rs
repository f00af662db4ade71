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
        /// Files to write from memory: (relative path inside the directory, content).
        contents: Vec<(PathBuf, std::sync::Arc<[u8]>)>,
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
            dirs,
            files,
            links,
            contents,
            ..
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
            for (relative, content) in contents {
                let dest = target.join(relative);
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                fs::write(&dest, content).map_err(|e| Error::io(&dest, e))?;
            }
        }
    }
    Ok(())
}

/// Why `outdir` may not be replaced by a cloud assembly, or `None` when it may: it does not
/// exist, is an empty directory, or is a cloud assembly (it holds `manifest.json` or the
/// `cdk.out` marker file). Anything else is somebody's folder (or a file) and must stay as it is.
pub fn outdir_problem(outdir: &Path) -> Option<String> {
    let meta = match fs::symlink_metadata(outdir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(format!("it cannot be inspected ({e})")),
    };
    if meta.file_type().is_symlink() {
        return Some("it is a symbolic link; give the directory it points to instead".to_string());
    }
    if !meta.is_dir() {
        return Some("it exists and is not a directory".to_string());
    }
    if is_cloud_assembly(outdir) {
        return None;
    }
    match fs::read_dir(outdir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => None,
        Ok(false) => Some(
            "it is not empty and not a cloud assembly (no manifest.json or cdk.out marker)"
                .to_string(),
        ),
        Err(e) => Some(format!("it cannot be read ({e})")),
    }
}

/// Whether `dir` is a cloud assembly directory: it holds a `manifest.json` file or the
/// `cdk.out` marker file that every assembly writer (rcdk, aws-cdk-lib) leaves in it.
pub fn is_cloud_assembly(dir: &Path) -> bool {
    ["manifest.json", "cdk.out"]
        .iter()
        .any(|f| fs::symlink_metadata(dir.join(f)).is_ok_and(|m| m.is_file()))
}

/// Fails with [`Error::UnsafeOutdir`] unless `outdir` may be replaced (see [`outdir_problem`]).
pub fn check_outdir(outdir: &Path) -> Result<()> {
    match outdir_problem(outdir) {
        None => Ok(()),
        Some(reason) => Err(Error::UnsafeOutdir {
            path: outdir.to_path_buf(),
            reason,
        }),
    }
}

/// The parent directory of `outdir` (`.` for a bare name) and its file name.
fn parent_and_name(outdir: &Path) -> (PathBuf, String) {
    let parent = match outdir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = outdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cdk.out".into());
    (parent, name)
}

/// An entry path must stay inside the assembly: relative, without `..`, `.` or root parts.
fn check_entry_path(path: &str) -> Result<()> {
    let p = Path::new(path);
    let inside = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if inside {
        Ok(())
    } else {
        Err(Error::io(
            path,
            std::io::Error::other("an assembly entry must be a relative path inside the assembly"),
        ))
    }
}

/// Writes `files` as the complete content of `outdir`, replacing what was there atomically.
///
/// `outdir` must be absent, empty or a cloud assembly ([`check_outdir`]); anything else is an
/// [`Error::UnsafeOutdir`] and not one byte of it is touched. The files are written to a fresh
/// directory beside `outdir` (removed again on any error), which then takes its place.
/// `previous` names an older assembly to hard-link unchanged staged files from (default:
/// `outdir` itself); it is only read, and only when it is a cloud assembly.
pub fn write_atomically(outdir: &Path, files: &[AssemblyFile]) -> Result<()> {
    write_atomically_reusing(outdir, files, None)
}

/// [`write_atomically`], hard-linking unchanged staged files from `previous` when it is a cloud
/// assembly (else from `outdir` when that is one).
pub fn write_atomically_reusing(
    outdir: &Path,
    files: &[AssemblyFile],
    previous: Option<&Path>,
) -> Result<()> {
    check_outdir(outdir)?;
    for entry in files {
        check_entry_path(entry.path())?;
    }
    let (parent, name) = parent_and_name(outdir);
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let previous = previous
        .filter(|p| is_cloud_assembly(p))
        .or_else(|| is_cloud_assembly(outdir).then_some(outdir));
    for entry in files {
        write_entry(staging.path(), entry, previous)?;
    }
    replace_outdir(staging.path(), outdir)?;
    // The staging directory was renamed away; forget it without deleting.
    let _ = staging.keep();
    Ok(())
}

/// Moves the directory `staged` (a complete assembly, on the same file system) to `outdir`,
/// replacing the assembly there in two renames. `outdir` is checked first ([`check_outdir`]);
/// when the second rename fails, the previous assembly is put back (or, if even that fails,
/// kept beside it and named in the error), so nothing is ever lost.
pub fn replace_outdir(staged: &Path, outdir: &Path) -> Result<()> {
    check_outdir(outdir)?;
    let (parent, name) = parent_and_name(outdir);
    if fs::symlink_metadata(outdir).is_err() {
        return fs::rename(staged, outdir).map_err(|e| Error::io(outdir, e));
    }
    let backup = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let backup_path = backup.path().join("previous");
    fs::rename(outdir, &backup_path).map_err(|e| Error::io(outdir, e))?;
    if let Err(e) = fs::rename(staged, outdir) {
        // Put the previous assembly back before reporting.
        if let Err(restore) = fs::rename(&backup_path, outdir) {
            let kept = backup.keep();
            return Err(Error::io(
                outdir,
                std::io::Error::other(format!(
                    "{e}; the previous assembly could not be put back ({restore}) and is kept in {}",
                    kept.join("previous").display()
                )),
            ));
        }
        return Err(Error::io(outdir, e));
    }
    drop(backup); // removes the previous assembly
    Ok(())
}
