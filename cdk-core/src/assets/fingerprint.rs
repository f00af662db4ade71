//! Content fingerprints of files and directory trees.
//!
//! The fingerprint is a SHA-256 over framed fields (`SOH header STX value ETX`, so no two
//! different inputs produce the same byte stream):
//!
//! 1. `rcdk:fingerprint` = `1` (format version), `options.follow` = the symlink policy and,
//!    when not empty, `options.exclude` = the exclude patterns as a JSON list;
//! 2. one field per entry of the tree, walked depth-first with siblings sorted by name
//!    (byte order of their UTF-8 names, the same on every platform):
//!    `dir:<relative path>` (empty value), `file:<relative path>` = `<size>:<sha256 of the
//!    content>`, `link:<relative path>` = the link target, for symbolic links that are kept.
//!
//! Relative paths use `/` on every platform; a single-file asset has the relative path `""`.
//! Modification times, permissions, owners and the absolute location never enter the hash.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use globset::{GlobBuilder, GlobMatcher};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// What fingerprinting and staging do with symbolic links inside an asset directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SymlinkFollow {
    /// Never follow: every link is kept as a link (hashed by its target text). A link that
    /// resolves outside the asset directory, is absolute or is broken is an error, since the
    /// staged copy could not honour it.
    Never,
    /// Follow every link: the asset holds what the links point to. Broken links and links
    /// that lead back into a directory being walked (loops) are errors.
    Always,
    /// Follow links that point outside the asset directory, keep links within it as links
    /// (the default of aws-cdk-lib).
    #[default]
    External,
    /// Follow links that stay within the asset directory; a link that points outside is an
    /// error.
    BlockExternal,
}

impl SymlinkFollow {
    /// The name used in the fingerprint (as aws-cdk-lib's `SymlinkFollowMode` values).
    pub fn as_str(self) -> &'static str {
        match self {
            SymlinkFollow::Never => "never",
            SymlinkFollow::Always => "always",
            SymlinkFollow::External => "external",
            SymlinkFollow::BlockExternal => "internal-only",
        }
    }
}

/// Options of [`fingerprint`].
#[derive(Clone, Debug, Default)]
pub struct FingerprintOptions {
    /// Glob patterns of paths to leave out, matched against the path relative to the asset
    /// directory (`/`-separated). A pattern without `/` matches the name at any depth
    /// (`*.pyc`, `node_modules`); a leading `/` anchors it at the asset root; `**` crosses
    /// directories; a leading `!` re-includes what an earlier pattern excluded. An excluded
    /// directory is skipped with everything below it.
    pub exclude: Vec<String>,
    /// Symbolic link policy.
    pub follow_symlinks: SymlinkFollow,
}

/// What an entry of a scanned tree is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// A directory (possibly empty).
    Dir,
    /// A regular file, read from `source` (the real path, after following links).
    File {
        /// The file to read.
        source: PathBuf,
    },
    /// A symbolic link kept as a link, with this (relative) target.
    Link {
        /// The link target, as written in the link.
        target: PathBuf,
    },
}

/// One entry of a scanned tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Path relative to the asset root, `/`-separated (`""` for a single-file asset).
    pub(crate) rel: String,
    /// What it is.
    pub(crate) kind: EntryKind,
}

/// The result of scanning an asset source.
#[derive(Clone, Debug)]
pub(crate) struct Scan {
    /// True when the source is a directory.
    pub(crate) is_dir: bool,
    /// Entries in hash order (depth-first, siblings sorted).
    pub(crate) entries: Vec<Entry>,
}

const SOH: &[u8] = b"\x01";
const STX: &[u8] = b"\x02";
const ETX: &[u8] = b"\x03";

fn field(hash: &mut Sha256, header: &str, value: &[u8]) {
    hash.update(SOH);
    hash.update(header.as_bytes());
    hash.update(STX);
    hash.update(value);
    hash.update(ETX);
}

/// The fingerprint (lower-case hex SHA-256) of a file or directory.
///
/// The fingerprint is a SHA-256 over framed fields (`SOH header STX value ETX`, so no two
/// different inputs produce the same byte stream):
///
/// 1. `rcdk:fingerprint` = `1` (format version), `options.follow` = the symlink policy and,
///    when not empty, `options.exclude` = the exclude patterns as a JSON list;
/// 2. one field per entry of the tree, walked depth-first with siblings sorted by name
///    (byte order of their UTF-8 names, the same on every platform):
///    `dir:<relative path>` (empty value), `file:<relative path>` = `<size>:<sha256 of the
///    content>`, `link:<relative path>` = the link target, for symbolic links that are kept.
///
/// Relative paths use `/` on every platform; a single-file asset has the relative path `""`.
/// Modification times, permissions, owners and the absolute location never enter the hash.
///
/// A relative `path` is resolved against the current working directory. Errors name the file
/// at fault: a missing or unreadable path, a symbolic link loop, a broken link, or a link
/// that the policy forbids.
///
/// ```
/// use cdk_core::assets::{fingerprint, FingerprintOptions};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("index.py"), "def handler(e, c): pass\n").unwrap();
/// let a = fingerprint(dir.path(), &FingerprintOptions::default()).unwrap();
/// std::fs::write(dir.path().join("index.pyc"), "compiled").unwrap();
/// let b = fingerprint(dir.path(), &FingerprintOptions {
///     exclude: vec!["*.pyc".into()],
///     ..Default::default()
/// }).unwrap();
/// assert_eq!(a.len(), 64);
/// assert_ne!(a, b); // the exclude list itself is part of the hash
/// ```
pub fn fingerprint(path: impl AsRef<Path>, options: &FingerprintOptions) -> Result<String> {
    let scan = scan(path.as_ref(), options)?;
    hash_scan(&scan, options)
}

/// Hashes the entries of a scan (reading every file).
pub(crate) fn hash_scan(scan: &Scan, options: &FingerprintOptions) -> Result<String> {
    let digests = content_digests(&scan.entries)?;
    let mut hash = Sha256::new();
    field(&mut hash, "rcdk:fingerprint", b"1");
    field(
        &mut hash,
        "options.follow",
        options.follow_symlinks.as_str().as_bytes(),
    );
    if !options.exclude.is_empty() {
        let list = serde_json::to_string(&options.exclude).unwrap_or_default();
        field(&mut hash, "options.exclude", list.as_bytes());
    }
    let mut digests = digests.into_iter();
    for entry in &scan.entries {
        match &entry.kind {
            EntryKind::Dir => field(&mut hash, &format!("dir:{}", entry.rel), b""),
            EntryKind::File { .. } => {
                let (size, digest) = digests.next().unwrap_or_default();
                let value = format!("{size}:{}", hex::encode(digest));
                field(&mut hash, &format!("file:{}", entry.rel), value.as_bytes());
            }
            EntryKind::Link { target } => field(
                &mut hash,
                &format!("link:{}", entry.rel),
                slash_path(target).as_bytes(),
            ),
        }
    }
    Ok(hex::encode(hash.finalize()))
}

const READ_BUFFER: usize = 256 * 1024;

/// Size and SHA-256 of one file.
type Digest32 = (u64, [u8; 32]);

/// SHA-256 and size of one file, read in large chunks.
fn file_digest(path: &Path, buffer: &mut [u8]) -> Result<Digest32> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hash = Sha256::new();
    let mut size = 0u64;
    loop {
        match file.read(buffer) {
            Ok(0) => break,
            Ok(n) => {
                hash.update(&buffer[..n]);
                size += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok((size, hash.finalize().into()))
}

/// Size and digest of every file entry, in entry order; files are hashed on several threads.
fn content_digests(entries: &[Entry]) -> Result<Vec<Digest32>> {
    let files: Vec<&Path> = entries
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::File { source } => Some(source.as_path()),
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
        .min(files.len().div_ceil(4))
        .max(1);
    if threads == 1 {
        let mut buffer = vec![0u8; READ_BUFFER];
        return files.iter().map(|f| file_digest(f, &mut buffer)).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Digest32>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut buffer = vec![0u8; READ_BUFFER];
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    let r = file_digest(files[i], &mut buffer);
                    let failed = r.is_err();
                    local.push((i, r));
                    if failed {
                        // Stop everyone early: the first error is reported.
                        next.store(files.len(), Ordering::Relaxed);
                        break;
                    }
                }
                if let Ok(mut all) = results.lock() {
                    for (i, r) in local {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let mut digests = Vec::with_capacity(files.len());
    let mut skipped = None;
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some(Ok(d)) => digests.push(d),
            // The first error in entry order wins, for stable messages.
            Some(Err(e)) => return Err(e),
            None => skipped = skipped.or(Some(i)),
        }
    }
    match skipped {
        // Only possible when a worker stopped early, which happens after an error.
        Some(i) => Err(Error::io(
            files[i],
            io::Error::other("file was not hashed (interrupted)"),
        )),
        None => Ok(digests),
    }
}

/// A relative `path` with `/` separators (lossy for names that are not UTF-8).
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Compiled exclude patterns.
pub(crate) struct Excludes {
    rules: Vec<(GlobMatcher, bool)>,
}

impl Excludes {
    pub(crate) fn new(patterns: &[String]) -> Result<Self> {
        let mut rules = Vec::new();
        for raw in patterns {
            let (negated, pattern) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw.as_str()),
            };
            let pattern = pattern.trim_end_matches('/');
            let pattern = if let Some(anchored) = pattern.strip_prefix('/') {
                anchored.to_string()
            } else if pattern.contains('/') {
                pattern.to_string()
            } else {
                format!("**/{pattern}")
            };
            let glob = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| Error::Construct {
                    path: "<exclude>".into(),
                    message: format!("invalid exclude pattern '{raw}': {e}"),
                })?;
            rules.push((glob.compile_matcher(), negated));
        }
        Ok(Excludes { rules })
    }

    /// True when the relative path is excluded (the last matching pattern decides).
    pub(crate) fn excludes(&self, rel: &str) -> bool {
        let mut excluded = false;
        for (matcher, negated) in &self.rules {
            if matcher.is_match(rel) {
                excluded = !negated;
            }
        }
        excluded
    }
}

/// Resolves a relative path against the current working directory.
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(path, e))?;
    Ok(cwd.join(path))
}

fn problem(path: &Path, message: String) -> Error {
    Error::io(path, io::Error::other(message))
}

/// Walks `path` and lists what the asset consists of, applying excludes and the link policy.
pub(crate) fn scan(path: &Path, options: &FingerprintOptions) -> Result<Scan> {
    if path.as_os_str().is_empty() {
        return Err(problem(path, "asset path is empty".into()));
    }
    let absolute = absolute(path)?;
    let metadata = fs::metadata(&absolute).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => problem(path, "asset path does not exist".into()),
        _ => Error::io(path, e),
    })?;
    let real = fs::canonicalize(&absolute).map_err(|e| Error::io(path, e))?;
    if metadata.is_file() {
        return Ok(Scan {
            is_dir: false,
            entries: vec![Entry {
                rel: String::new(),
                kind: EntryKind::File { source: real },
            }],
        });
    }
    if !metadata.is_dir() {
        return Err(problem(
            path,
            "asset path is neither a file nor a directory".into(),
        ));
    }
    let excludes = Excludes::new(&options.exclude)?;
    let mut walker = Walker {
        root: real.clone(),
        display_root: path.to_path_buf(),
        follow: options.follow_symlinks,
        excludes,
        entries: Vec::new(),
        chain: vec![real.clone()],
    };
    walker.walk(&real, "")?;
    Ok(Scan {
        is_dir: true,
        entries: walker.entries,
    })
}

struct Walker {
    /// The canonical asset directory.
    root: PathBuf,
    /// The asset path as the user wrote it (for messages).
    display_root: PathBuf,
    follow: SymlinkFollow,
    excludes: Excludes,
    entries: Vec<Entry>,
    /// Real directories we are inside of (walk roots and parents of followed links).
    chain: Vec<PathBuf>,
}

impl Walker {
    /// The user-facing path of an entry (`lambda/lib/x.py`).
    fn display(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.display_root.clone()
        } else {
            self.display_root.join(rel)
        }
    }

    fn walk(&mut self, dir: &Path, prefix: &str) -> Result<()> {
        let join = |name: &str| -> String {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            }
        };
        let mut iter = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .follow_links(false)
            .sort_by(|a, b| a.file_name().cmp(b.file_name()))
            .into_iter();
        while let Some(item) = iter.next() {
            let entry = match item {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.into());
                    let at = match at.strip_prefix(dir) {
                        Ok(r) => self.display(&join(&slash_path(r))),
                        Err(_) => at,
                    };
                    let source = e
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("cannot walk directory"));
                    return Err(Error::io(at, source));
                }
            };
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = join(&slash_path(relative));
            if self.excludes.excludes(&rel) {
                if entry.file_type().is_dir() {
                    iter.skip_current_dir();
                }
                continue;
            }
            let file_type = entry.file_type();
            if file_type.is_dir() {
                self.entries.push(Entry {
                    rel,
                    kind: EntryKind::Dir,
                });
            } else if file_type.is_file() {
                self.entries.push(Entry {
                    rel,
                    kind: EntryKind::File {
                        source: entry.path().to_path_buf(),
                    },
                });
            } else if file_type.is_symlink() {
                self.link(entry.path(), rel)?;
            } else {
                return Err(problem(
                    &self.display(&rel),
                    "not a regular file, directory or symbolic link".into(),
                ));
            }
        }
        Ok(())
    }

    fn link(&mut self, link: &Path, rel: String) -> Result<()> {
        let shown = self.display(&rel);
        let target = fs::read_link(link).map_err(|e| Error::io(&shown, e))?;
        let resolved = fs::canonicalize(link).map_err(|e| {
            problem(
                &shown,
                format!(
                    "cannot resolve symbolic link to '{}' (broken link or link loop): {e}",
                    target.display()
                ),
            )
        })?;
        let internal = resolved.starts_with(&self.root);
        let parent = link
            .parent()
            .and_then(|p| fs::canonicalize(p).ok())
            .unwrap_or_else(|| link.to_path_buf());
        // A link to a directory that contains it is a loop, whether it is followed here or
        // later (the zip packaging follows links).
        let is_dir = fs::metadata(&resolved).is_ok_and(|m| m.is_dir());
        if is_dir
            && self
                .chain
                .iter()
                .chain(std::iter::once(&parent))
                .any(|inside| inside.starts_with(&resolved))
        {
            return Err(problem(
                &shown,
                format!(
                    "symbolic link loop: the link to '{}' leads back to a directory that contains it",
                    target.display()
                ),
            ));
        }
        let follow = match self.follow {
            SymlinkFollow::Always => true,
            SymlinkFollow::External => !internal,
            SymlinkFollow::BlockExternal => {
                if !internal {
                    return Err(problem(
                        &shown,
                        format!(
                            "symbolic link to '{}' points outside the asset directory (follow_symlinks is BlockExternal)",
                            target.display()
                        ),
                    ));
                }
                true
            }
            SymlinkFollow::Never => false,
        };
        if !follow {
            if !internal {
                return Err(problem(
                    &shown,
                    format!(
                        "symbolic link to '{}' points outside the asset directory; follow it (SymlinkFollow::Always or External) or remove it",
                        target.display()
                    ),
                ));
            }
            // The link is staged as is: its text must stay valid at the staged location.
            if !stays_inside(&rel, &target) {
                return Err(problem(
                    &shown,
                    format!(
                        "symbolic link to '{}' is kept as a link but is absolute or leaves the asset directory; make it relative or follow it (SymlinkFollow::Always)",
                        target.display()
                    ),
                ));
            }
            self.entries.push(Entry {
                rel,
                kind: EntryKind::Link { target },
            });
            return Ok(());
        }
        let metadata = fs::metadata(&resolved).map_err(|e| Error::io(&shown, e))?;
        if metadata.is_file() {
            self.entries.push(Entry {
                rel,
                kind: EntryKind::File { source: resolved },
            });
            Ok(())
        } else if metadata.is_dir() {
            self.entries.push(Entry {
                rel: rel.clone(),
                kind: EntryKind::Dir,
            });
            self.chain.push(parent);
            let result = self.walk(&resolved, &rel);
            self.chain.pop();
            result
        } else {
            Err(problem(
                &shown,
                "symbolic link target is neither a file nor a directory".into(),
            ))
        }
    }
}

/// True when a link at `rel` with the relative `target` resolves (lexically) inside the root.
fn stays_inside(rel: &str, target: &Path) -> bool {
    use std::path::Component;
    if target.has_root() {
        return false;
    }
    let mut depth: Vec<&str> = rel.split('/').collect();
    depth.pop(); // the link itself
    let mut depth = depth.len();
    for component in target.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            Component::Normal(_) => depth += 1,
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_match_names_at_any_depth_and_anchored_paths() {
        let ex = Excludes::new(&[
            "*.pyc".into(),
            "node_modules".into(),
            "/build".into(),
            "docs/*.md".into(),
            "!keep.pyc".into(),
        ])
        .unwrap();
        assert!(ex.excludes("a.pyc"));
        assert!(ex.excludes("lib/a.pyc"));
        assert!(!ex.excludes("keep.pyc"));
        assert!(ex.excludes("node_modules"));
        assert!(ex.excludes("x/node_modules"));
        assert!(ex.excludes("build"));
        assert!(!ex.excludes("src/build"));
        assert!(ex.excludes("docs/a.md"));
        assert!(!ex.excludes("docs/sub/a.md"));
        assert!(!ex.excludes("index.py"));
    }

    #[test]
    fn invalid_exclude_pattern_is_reported() {
        let err = Excludes::new(&["a[".into()]).err().unwrap();
        assert!(err.to_string().contains("a["), "{err}");
    }

    #[test]
    fn kept_links_must_stay_inside() {
        assert!(stays_inside("a", Path::new("b")));
        assert!(stays_inside("d/a", Path::new("../b")));
        assert!(!stays_inside("a", Path::new("../b")));
        assert!(!stays_inside("a", Path::new("/etc/passwd")));
        assert!(stays_inside("d/e/a", Path::new("../../x/./y")));
    }

    #[test]
    fn slash_paths() {
        assert_eq!(slash_path(Path::new("a/b/c")), "a/b/c");
        assert_eq!(slash_path(Path::new("")), "");
    }
}
