//! Deterministic zip packaging of a directory (what `deploy` uploads for an asset with
//! `packaging: zip`). It lives in the CLI, the only place that publishes assets: user apps stage
//! directories into the assembly and never build archives.
//!
//! The archive depends only on the names, contents and executable bits of what is in the
//! directory, never on modification times, owners or the machine:
//! - entries in depth-first order with siblings sorted by name (the fingerprint's order),
//!   directories as their own entries (`dir/`), so empty directories survive;
//! - every timestamp is 1980-01-01 00:00:00 (the earliest the zip format can express), and no
//!   extended-timestamp fields are written;
//! - permissions are normalised: directories `0755`; files `0755` when any executable bit is
//!   set on the source (Unix only), else `0644`; the archive says it was made on Unix so that
//!   the permissions are honoured when extracted (Lambda keeps them);
//! - contents are deflated at level 6; files of 4 GiB or more use zip64 records;
//! - symbolic links are followed (the archive holds what they point to, as the CDK CLI does);
//!   a link loop is an error.

use std::fs::{self, File};
use std::io::{self, Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

/// A file or directory that could not be packaged, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct PackageError {
    /// The file or directory at fault.
    pub path: PathBuf,
    /// What went wrong.
    pub source: io::Error,
}

impl PackageError {
    fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        PackageError {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

type Result<T> = std::result::Result<T, PackageError>;

/// `/`-separated relative path (zip entry names are the same on every platform).
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

const COPY_BUFFER: usize = 256 * 1024;

fn zip_error(path: &Path, e: zip::result::ZipError) -> PackageError {
    match e {
        zip::result::ZipError::Io(io) => PackageError::io(path, io),
        other => PackageError::io(path, io::Error::other(other.to_string())),
    }
}

fn is_executable(metadata: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// Writes the deterministic zip archive of `dir` into `writer` and returns the writer.
pub fn write_directory_zip_to<W: Write + Seek>(dir: impl AsRef<Path>, writer: W) -> Result<W> {
    let dir = dir.as_ref();
    let metadata = fs::metadata(dir).map_err(|e| PackageError::io(dir, e))?;
    if !metadata.is_dir() {
        return Err(PackageError::io(dir, io::Error::other("not a directory")));
    }
    let base = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .system(System::Unix);
    let mut zip = ZipWriter::new(writer);
    let mut buffer = vec![0u8; COPY_BUFFER];
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by(|a, b| a.file_name().cmp(b.file_name()));
    for item in walker {
        let entry = item.map_err(|e| {
            let at = e.path().unwrap_or(dir).to_path_buf();
            let source = e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("symbolic link loop"));
            PackageError::io(at, source)
        })?;
        let path = entry.path();
        let name = slash_path(path.strip_prefix(dir).unwrap_or(path));
        let metadata = entry.metadata().map_err(|e| {
            PackageError::io(
                path,
                e.into_io_error()
                    .unwrap_or_else(|| io::Error::other("cannot read metadata")),
            )
        })?;
        if metadata.is_dir() {
            zip.add_directory(format!("{name}/"), base.unix_permissions(0o755))
                .map_err(|e| zip_error(path, e))?;
        } else if metadata.is_file() {
            let mode = if is_executable(&metadata) {
                0o755
            } else {
                0o644
            };
            let options = base
                .unix_permissions(mode)
                .large_file(metadata.len() >= u64::from(u32::MAX));
            zip.start_file(name, options)
                .map_err(|e| zip_error(path, e))?;
            let mut file = File::open(path).map_err(|e| PackageError::io(path, e))?;
            loop {
                let n = match file.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(PackageError::io(path, e)),
                };
                zip.write_all(&buffer[..n])
                    .map_err(|e| PackageError::io(path, e))?;
            }
        } else {
            return Err(PackageError::io(
                path,
                io::Error::other("not a regular file or directory"),
            ));
        }
    }
    zip.finish().map_err(|e| zip_error(dir, e))
}

/// The deterministic zip archive of `dir`, in memory.
///
/// ```
/// use cdk_cli::deploy::zip::package_directory_zip;
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("index.js"), "exports.handler = async () => 42;\n").unwrap();
/// let first = package_directory_zip(dir.path()).unwrap();
/// let second = package_directory_zip(dir.path()).unwrap();
/// assert_eq!(first, second);
/// ```
pub fn package_directory_zip(dir: impl AsRef<Path>) -> Result<Vec<u8>> {
    Ok(write_directory_zip_to(dir, Cursor::new(Vec::new()))?.into_inner())
}

/// Writes the deterministic zip archive of `dir` to the file `output`, atomically (a
/// temporary file next to it is renamed into place).
pub fn write_directory_zip(dir: impl AsRef<Path>, output: impl AsRef<Path>) -> Result<()> {
    let output = output.as_ref();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".zip-tmp-")
        .tempfile_in(&parent)
        .map_err(|e| PackageError::io(&parent, e))?;
    let file = temp
        .reopen()
        .map_err(|e| PackageError::io(temp.path(), e))?;
    let file = write_directory_zip_to(dir, io::BufWriter::with_capacity(COPY_BUFFER, file))?;
    file.into_inner()
        .map_err(|e| PackageError::io(output, e.into_error()))?
        .sync_all()
        .map_err(|e| PackageError::io(output, e))?;
    temp.persist(output)
        .map_err(|e| PackageError::io(output, e.error))?;
    Ok(())
}
