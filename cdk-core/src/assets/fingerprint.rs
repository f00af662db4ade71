//! Content fingerprints of files and directory trees, equal to aws-cdk-lib's
//! (`FileSystem.fingerprint` of aws-cdk-lib 2.276, `core/lib/fs/fingerprint.js`).
//!
//! The fingerprint is a SHA-256 over framed fields (`SOH header STX value ETX`):
//!
//! 1. `options.extra` = the extra hash text (empty when none), `options.follow` = the symlink
//!    policy (`external`, `always`, `never`, `internal-only`);
//! 2. one field per file of the tree, walked depth-first with siblings sorted by name (the
//!    UTF-16 order of JavaScript string comparison): `file:<relative path>` =
//!    `<size>:<sha256 of the content>`, and `link:<relative path>` = the link target for
//!    symbolic links that are kept as links (an absolute target inside the asset as its path
//!    relative to the asset). Directories themselves (and so empty directories) are not
//!    hashed.
//!
//! The content hash normalises line endings as aws-cdk-lib does: a file whose first 8 KiB
//! hold a NUL byte is hashed as is; any other file is read in 8 KiB chunks, each decoded as
//! UTF-8 (invalid bytes become U+FFFD) with `\r\n` replaced by `\n`, so a checkout with CRLF
//! line endings has the same hash as one with LF. `<size>` is the byte length after that
//! normalisation (bytes of a final chunk ending in `\r` are hashed but not counted, as in
//! aws-cdk-lib).
//!
//! Relative paths use `/` on every platform; a single-file asset has the relative path `""`.
//! Modification times, permissions, owners and the absolute location never enter the hash.

use std::cmp::Ordering as CmpOrdering;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::glob::Glob;
use super::ignore::{DockerStrategy, GitIgnore};
use crate::error::{Error, Result};

/// What fingerprinting and staging do with symbolic links inside an asset directory
/// (aws-cdk-lib's `SymlinkFollowMode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SymlinkFollow {
    /// Never follow: every link is kept as a link (hashed by its target text). A link that
    /// points outside the asset directory is an error, since the staged copy could not
    /// honour it.
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

/// How exclude patterns are read (aws-cdk-lib's `IgnoreMode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IgnoreMode {
    /// Glob patterns with minimatch's semantics (the default; see
    /// [`FingerprintOptions::exclude`]).
    #[default]
    Glob,
    /// `.gitignore` rules (as the npm `ignore` package reads them, case-insensitive): a
    /// pattern without a `/` (other than a trailing one) matches at any depth, a leading or
    /// inner `/` anchors it at the asset root, a trailing `/` matches only directories, `*`
    /// matches dot files, and nothing below an ignored directory can be re-included.
    Git,
    /// `.dockerignore` rules (as `@balena/dockerignore` reads them, case-insensitive):
    /// patterns are paths from the asset root (`lib`, `lib/*.js`, `**/*.md`), cleaned like
    /// Go's `filepath.Clean`, and a pattern matching a directory matches what is inside it.
    Docker,
}

impl IgnoreMode {
    /// aws-cdk-lib's value (`glob`, `git`, `docker`), which non-default modes add to the hash.
    pub fn as_str(self) -> &'static str {
        match self {
            IgnoreMode::Glob => "glob",
            IgnoreMode::Git => "git",
            IgnoreMode::Docker => "docker",
        }
    }
}

/// Options of [`fingerprint`] (aws-cdk-lib's `FingerprintOptions`).
#[derive(Clone, Debug, Default)]
pub struct FingerprintOptions {
    /// Glob patterns of paths to leave out, with aws-cdk-lib's (minimatch's) semantics,
    /// matched against the path relative to the asset directory (`/`-separated): a pattern
    /// without `/` matches the name at any depth (`*.pyc`, `node_modules`); a pattern with a
    /// `/` matches the whole relative path (`docs/*.md`; so `/build` and `build/` match
    /// nothing, as in aws-cdk-lib); `**` crosses directories; wildcards do not match names
    /// starting with `.`; `{a,b}` alternatives; a leading `!` re-includes what an earlier
    /// pattern excluded (the last matching pattern decides). An excluded directory is skipped
    /// with everything below it. The patterns themselves are not part of the hash: only what
    /// they leave in is.
    pub exclude: Vec<String>,
    /// Symbolic link policy.
    pub follow_symlinks: SymlinkFollow,
    /// Extra text mixed into the hash (aws-cdk-lib's `extraHash`); `None` and `""` are the
    /// same.
    pub extra_hash: Option<String>,
    /// How [`exclude`](Self::exclude) is read (default: glob patterns).
    pub ignore_mode: IgnoreMode,
}

/// What an entry of a scanned tree is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// A directory (possibly empty): staged, not hashed.
    Dir,
    /// A regular file, read from `source` (the real path, after following links).
    File {
        /// The file to read.
        source: PathBuf,
    },
    /// A file held in memory ([`InMemoryDirectory`](super::InMemoryDirectory)).
    Memory {
        /// The content.
        content: Arc<[u8]>,
    },
    /// A symbolic link kept as a link.
    Link {
        /// The text the fingerprint hashes (aws-cdk-lib: the link text, or for an absolute
        /// target inside the asset its path relative to the asset).
        hashed: String,
        /// The target written into the staged copy (relative, inside the staged directory).
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

/// The fingerprint (lower-case hex SHA-256) of a file or directory, equal to aws-cdk-lib's
/// `FileSystem.fingerprint` for the same options (the [module documentation](self) gives
/// the format).
///
/// A relative `path` is resolved against the current working directory. Errors name the file
/// at fault: a missing or unreadable path, a symbolic link loop, a broken link, a link
/// that the policy forbids, or an exclude pattern that cannot be compiled.
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
/// assert_eq!(a, b); // what is excluded does not count
/// ```
pub fn fingerprint(path: impl AsRef<Path>, options: &FingerprintOptions) -> Result<String> {
    let scan = scan(path.as_ref(), options)?;
    hash_scan(&scan, options)
}

/// Hashes the entries of a scan (reading every file).
pub(crate) fn hash_scan(scan: &Scan, options: &FingerprintOptions) -> Result<String> {
    let digests = content_digests(&scan.entries)?;
    let mut hash = Sha256::new();
    field(
        &mut hash,
        "options.extra",
        options.extra_hash.as_deref().unwrap_or("").as_bytes(),
    );
    field(
        &mut hash,
        "options.follow",
        options.follow_symlinks.as_str().as_bytes(),
    );
    if options.ignore_mode != IgnoreMode::Glob {
        field(
            &mut hash,
            "options.ignoreMode",
            options.ignore_mode.as_str().as_bytes(),
        );
    }
    let mut digests = digests.into_iter();
    for entry in &scan.entries {
        match &entry.kind {
            EntryKind::Dir => {}
            EntryKind::File { .. } | EntryKind::Memory { .. } => {
                let digest = digests.next().unwrap_or_default();
                field(&mut hash, &format!("file:{}", entry.rel), digest.as_bytes());
            }
            EntryKind::Link { hashed, .. } => {
                field(&mut hash, &format!("link:{}", entry.rel), hashed.as_bytes())
            }
        }
    }
    Ok(hex::encode(hash.finalize()))
}

/// aws-cdk-lib reads files in chunks of this size; the line-ending normalisation and the
/// binary detection depend on it, so it is part of the format.
const CHUNK: usize = 8 * 1024;

/// Files are read in blocks of this many chunks (fewer system calls), then processed chunk by
/// chunk.
const CHUNKS_PER_READ: usize = 32;

/// Reads until `buffer` is full or the file ends.
fn read_full(file: &mut File, buffer: &mut [u8], path: &Path) -> Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(filled)
}

/// aws-cdk-lib's `contentFingerprint` state over successive 8 KiB chunks.
#[derive(Default)]
struct ContentHash {
    hash: Sha256,
    size: u64,
    binary: bool,
    /// Decoded text of chunks ending in `\r`, waiting for the next chunk.
    pending: String,
}

impl ContentHash {
    fn chunk(&mut self, chunk: &[u8]) {
        if self.size == 0 {
            self.binary = chunk.contains(&0);
        }
        if self.binary {
            self.size += chunk.len() as u64;
            self.hash.update(chunk);
            return;
        }
        let text = String::from_utf8_lossy(chunk);
        if text.ends_with('\r') {
            // A `\r\n` may straddle the chunk boundary: keep it for the next chunk.
            self.pending.push_str(&text);
            return;
        }
        if self.pending.is_empty() && !text.contains('\r') {
            self.size += text.len() as u64;
            self.hash.update(text.as_bytes());
            return;
        }
        let data = std::mem::take(&mut self.pending) + &text;
        let normalized = data.replace("\r\n", "\n");
        self.size += normalized.len() as u64;
        self.hash.update(normalized.as_bytes());
    }

    fn finish(mut self) -> String {
        if !self.pending.is_empty() {
            // aws-cdk-lib hashes what is left as it is, without counting it in the size.
            self.hash.update(self.pending.as_bytes());
        }
        format!("{}:{}", self.size, hex::encode(self.hash.finalize()))
    }
}

/// `<size>:<sha256>` of one file's content, as aws-cdk-lib's `contentFingerprint`: binary
/// files (a NUL byte in the first chunk) as they are; text with `\r\n` → `\n`, decoded chunk
/// by chunk as UTF-8 with replacement characters.
fn content_fingerprint(path: &Path, buffer: &mut [u8]) -> Result<String> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut state = ContentHash::default();
    loop {
        let read = read_full(&mut file, buffer, path)?;
        for chunk in buffer[..read].chunks(CHUNK) {
            state.chunk(chunk);
        }
        if read < buffer.len() {
            break;
        }
    }
    Ok(state.finish())
}

/// `<size>:<sha256>` of content held in memory (the same chunking as a file on disk).
fn memory_fingerprint(content: &[u8]) -> String {
    let mut state = ContentHash::default();
    for chunk in content.chunks(CHUNK) {
        state.chunk(chunk);
    }
    state.finish()
}

/// Where the content of a file entry is.
#[derive(Clone, Copy)]
enum Content<'a> {
    Disk(&'a Path),
    Memory(&'a [u8]),
}

fn digest_of(content: Content<'_>, buffer: &mut [u8]) -> Result<String> {
    match content {
        Content::Disk(path) => content_fingerprint(path, buffer),
        Content::Memory(bytes) => Ok(memory_fingerprint(bytes)),
    }
}

/// The content fingerprint of every file entry, in entry order; files are hashed on several
/// threads.
fn content_digests(entries: &[Entry]) -> Result<Vec<String>> {
    let files: Vec<Content<'_>> = entries
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::File { source } => Some(Content::Disk(source.as_path())),
            EntryKind::Memory { content } => Some(Content::Memory(content)),
            _ => None,
        })
        .collect();
    let on_disk = files
        .iter()
        .filter(|f| matches!(f, Content::Disk(_)))
        .count();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
        .min(on_disk.div_ceil(4))
        .max(1);
    if threads == 1 {
        let mut buffer = vec![0u8; CHUNK * CHUNKS_PER_READ];
        return files.iter().map(|f| digest_of(*f, &mut buffer)).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<String>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut buffer = vec![0u8; CHUNK * CHUNKS_PER_READ];
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    let r = digest_of(files[i], &mut buffer);
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
            match files[i] {
                Content::Disk(path) => path.to_path_buf(),
                Content::Memory(_) => PathBuf::from("<in memory>"),
            },
            io::Error::other("file was not hashed (interrupted)"),
        )),
        None => Ok(digests),
    }
}

/// Lists in-memory files as a directory scan: the same entries, order and excludes as
/// [`scan`] of a directory holding those files (parent directories included).
pub(crate) fn scan_in_memory(
    files: &super::InMemoryDirectory,
    options: &FingerprintOptions,
) -> Result<Scan> {
    let excludes = Excludes::new(&options.exclude, options.ignore_mode)?;
    let mut seen = std::collections::BTreeSet::new();
    let mut sorted: Vec<(Vec<&str>, &Arc<[u8]>)> = Vec::new();
    for (path, content) in files.entries() {
        let parts: Vec<&str> = path.split('/').collect();
        if path.is_empty()
            || path.contains('\\')
            || parts
                .iter()
                .any(|p| p.is_empty() || *p == "." || *p == "..")
        {
            return Err(problem(
                Path::new(path),
                "in-memory asset file paths must be relative, '/'-separated, without '.', '..' or empty parts".into(),
            ));
        }
        if !seen.insert(path.to_string()) {
            return Err(problem(
                Path::new(path),
                "in-memory asset file is given twice".into(),
            ));
        }
        sorted.push((parts, content));
    }
    // Depth-first with siblings in JavaScript string order = component-wise order.
    sorted.sort_by(|(a, _), (b, _)| {
        a.iter()
            .map(|p| OsStr::new(*p))
            .zip(b.iter().map(|p| OsStr::new(*p)))
            .map(|(x, y)| js_name_order(x, y))
            .find(|o| *o != CmpOrdering::Equal)
            .unwrap_or_else(|| a.len().cmp(&b.len()))
    });
    let mut entries = Vec::new();
    let mut dirs_listed = std::collections::BTreeSet::new();
    'files: for (parts, content) in sorted {
        let rel = parts.join("/");
        let mut dirs = Vec::new();
        for depth in 1..parts.len() {
            let dir = parts[..depth].join("/");
            if excludes.completely_excludes_dir(&dir) {
                continue 'files;
            }
            if !excludes.excludes(&dir) {
                dirs.push(dir);
            }
        }
        for dir in dirs {
            if dirs_listed.insert(dir.clone()) {
                entries.push(Entry {
                    rel: dir,
                    kind: EntryKind::Dir,
                });
            }
        }
        if excludes.excludes(&rel) {
            continue;
        }
        entries.push(Entry {
            rel,
            kind: EntryKind::Memory {
                content: content.clone(),
            },
        });
    }
    Ok(Scan {
        is_dir: true,
        entries,
    })
}

/// A relative `path` with `/` separators (lossy for names that are not UTF-8).
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// JavaScript's `a < b` on the names as Node decodes them (UTF-16 code units).
fn js_name_order(a: &OsStr, b: &OsStr) -> CmpOrdering {
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Compiled exclude patterns (aws-cdk-lib's `IgnoreStrategy` of the mode).
pub(crate) enum Excludes {
    /// `GlobIgnoreStrategy`: minimatch patterns, the last matching one decides.
    Glob(Vec<(Glob, bool)>),
    /// `GitIgnoreStrategy`.
    Git(GitIgnore),
    /// `DockerIgnoreStrategy`.
    Docker(DockerStrategy),
}

impl Excludes {
    pub(crate) fn new(patterns: &[String], mode: IgnoreMode) -> Result<Self> {
        let invalid = |message: String| Error::Construct {
            path: "<exclude>".into(),
            message: format!("invalid exclude pattern {message}"),
        };
        Ok(match mode {
            IgnoreMode::Glob => {
                let mut rules = Vec::new();
                for raw in patterns {
                    rules.push((Glob::new(raw).map_err(invalid)?, raw.starts_with('!')));
                }
                Excludes::Glob(rules)
            }
            IgnoreMode::Git => Excludes::Git(GitIgnore::new(patterns).map_err(invalid)?),
            IgnoreMode::Docker => Excludes::Docker(DockerStrategy::new(patterns).map_err(invalid)?),
        })
    }

    /// True when the relative path is excluded (`ignores`).
    pub(crate) fn excludes(&self, rel: &str) -> bool {
        match self {
            Excludes::Glob(rules) => {
                let mut excluded = false;
                for (glob, negated) in rules {
                    if glob.matches(rel) {
                        excluded = !negated;
                    }
                }
                excluded
            }
            Excludes::Git(git) => git.ignores(rel),
            Excludes::Docker(docker) => docker.ignores(rel),
        }
    }

    /// True when the directory at `rel` is skipped with everything below it
    /// (`completelyIgnores`); a directory that is excluded but not completely is walked
    /// for what the patterns re-include, and not staged itself.
    pub(crate) fn completely_excludes_dir(&self, rel: &str) -> bool {
        match self {
            Excludes::Glob(_) => self.excludes(rel),
            Excludes::Git(git) => git.ignores(&format!("{rel}/")),
            Excludes::Docker(docker) => docker.completely_ignores(rel),
        }
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
    let excludes = Excludes::new(&options.exclude, options.ignore_mode)?;
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

/// `path.join(realpath(dirname(target)), basename(target))`: aws-cdk-lib's canonical form
/// of a link target (the last component is not resolved).
fn canonical_link_target(target: &Path) -> PathBuf {
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .unwrap_or_else(|_| parent.to_path_buf())
            .join(name),
        _ => target.to_path_buf(),
    }
}

/// Lexical normalisation (`.` and `..`) of an absolute path, as Node's `path.resolve`.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The relative path from directory `from` to `to` (both `/`-separated, relative to the
/// asset root), as Node's `path.relative`; `.` when they are the same.
fn relative_between(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
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
            .sort_by(|a, b| js_name_order(a.file_name(), b.file_name()))
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
            let file_type = entry.file_type();
            if file_type.is_dir() {
                if self.excludes.completely_excludes_dir(&rel) {
                    iter.skip_current_dir();
                } else if !self.excludes.excludes(&rel) {
                    self.entries.push(Entry {
                        rel,
                        kind: EntryKind::Dir,
                    });
                }
                continue;
            }
            if !file_type.is_symlink() && self.excludes.excludes(&rel) {
                continue;
            }
            if file_type.is_file() {
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
        // Excluded whether it is kept, followed to a file or followed to a directory.
        let excluded = self.excludes.excludes(&rel);
        let completely = self.excludes.completely_excludes_dir(&rel);
        if excluded && completely {
            return Ok(());
        }
        let shown = self.display(&rel);
        let text = fs::read_link(link).map_err(|e| Error::io(&shown, e))?;
        let parent = link
            .parent()
            .and_then(|p| fs::canonicalize(p).ok())
            .unwrap_or_else(|| link.to_path_buf());
        // aws-cdk-lib: resolve the text against the link's directory, canonicalise all but
        // the last component; "internal" = inside the canonical asset root.
        let lexical = canonical_link_target(&normalize(&parent.join(&text)));
        let internal = lexical.starts_with(&self.root);
        let resolved = fs::canonicalize(link).map_err(|e| {
            problem(
                &shown,
                format!(
                    "cannot resolve symbolic link to '{}' (broken link or link loop): {e}",
                    text.display()
                ),
            )
        })?;
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
                    text.display()
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
                            text.display()
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
                        text.display()
                    ),
                ));
            }
            if excluded {
                return Ok(());
            }
            let inside = slash_path(lexical.strip_prefix(&self.root).unwrap_or(&lexical));
            let hashed = if text.is_absolute() {
                inside.clone()
            } else {
                slash_path(&text)
            };
            // The staged link points at the staged copy of its target (aws-cdk-lib's
            // `linkTextFor`).
            let dir_of_link = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let target = PathBuf::from(relative_between(dir_of_link, &inside));
            self.entries.push(Entry {
                rel,
                kind: EntryKind::Link { hashed, target },
            });
            return Ok(());
        }
        let metadata = fs::metadata(&resolved).map_err(|e| Error::io(&shown, e))?;
        if metadata.is_file() {
            if excluded {
                return Ok(());
            }
            self.entries.push(Entry {
                rel,
                kind: EntryKind::File { source: resolved },
            });
            Ok(())
        } else if metadata.is_dir() {
            if completely {
                return Ok(());
            }
            if !excluded {
                self.entries.push(Entry {
                    rel: rel.clone(),
                    kind: EntryKind::Dir,
                });
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_use_minimatch_semantics_and_the_last_match_decides() {
        let ex = Excludes::new(
            &[
                "*.pyc".into(),
                "node_modules".into(),
                "/build".into(),
                "docs/*.md".into(),
                "!keep.pyc".into(),
            ],
            IgnoreMode::Glob,
        )
        .unwrap();
        assert!(ex.excludes("a.pyc"));
        assert!(ex.excludes("lib/a.pyc"));
        assert!(!ex.excludes("keep.pyc"));
        assert!(ex.excludes("node_modules"));
        assert!(ex.excludes("x/node_modules"));
        assert!(!ex.excludes("build")); // a leading '/' matches nothing in aws-cdk-lib
        assert!(ex.excludes("docs/a.md"));
        assert!(!ex.excludes("docs/sub/a.md"));
        assert!(!ex.excludes("index.py"));
    }

    #[test]
    fn invalid_exclude_pattern_is_reported() {
        let err = Excludes::new(&["+(a|b)".into()], IgnoreMode::Glob)
            .err()
            .unwrap();
        assert!(err.to_string().contains("+(a|b)"), "{err}");
    }

    #[test]
    fn relative_link_targets() {
        assert_eq!(relative_between("", "b"), "b");
        assert_eq!(relative_between("d", "b"), "../b");
        assert_eq!(relative_between("d/e", "d/x/y"), "../x/y");
        assert_eq!(relative_between("d", "d"), ".");
    }

    #[test]
    fn names_sort_as_javascript_strings() {
        // U+FF5E (BMP, high) sorts after U+1F600 (a surrogate pair starting with 0xD83D) in
        // UTF-16, before it in UTF-8 / code point order.
        assert_eq!(
            js_name_order(OsStr::new("\u{1F600}"), OsStr::new("\u{FF5E}")),
            CmpOrdering::Less
        );
        assert_eq!(
            js_name_order(OsStr::new("B"), OsStr::new("a")),
            CmpOrdering::Less
        );
    }

    #[test]
    fn slash_paths() {
        assert_eq!(slash_path(Path::new("a/b/c")), "a/b/c");
        assert_eq!(slash_path(Path::new("")), "");
    }
}
