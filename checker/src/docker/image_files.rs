//! What helpers read in images, kept from one run to the next.
//!
//! An image id names its content: it is the digest of a configuration that lists the
//! digests of the image's layers (with the containerd store, of a manifest that does).
//! What `/app/app.py` holds in `sha256:4e26…` is therefore known for good once read,
//! and a student who runs `checker exercise 3.1` again without rebuilding needs no
//! helper container: no create, archive and remove (about 20 ms of engine work), and
//! two fewer events in the daemon's short history, which the student's own events
//! need. A rebuilt image has another id, so nothing stale is ever read back.
//!
//! Only images: a volume's files change under the same name. An answer is kept only
//! when the helper that gave it was made from that very id (a tag moved while it was
//! being read would otherwise file one image's content under another's id). A file's
//! content is kept only for a check that compares it (`contains`, a user name looked up
//! in `/etc/passwd`): a check that a file is absent, or executable, keeps its kind and
//! mode, not a `.env` that slipped into the image.
//!
//! The files live in the platform's cache folder (`~/.cache/checker/images` on Linux),
//! or in `CHECKER_CACHE`; `CHECKER_NO_CACHE=1` does without. Whatever goes wrong with
//! them (unreadable, corrupt, full disk) only means reading the image again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::helper::{PathInfo, PathKind};

/// Images remembered at most; the least recently written go first.
const MAX_IMAGES: usize = 256;

/// Largest file content kept (files checked are scripts and configuration).
const MAX_KEPT: usize = 64 * 1024;

/// The cache of this process, configured from its environment once.
pub fn cache() -> &'static ImageFiles {
    static CACHE: OnceLock<ImageFiles> = OnceLock::new();
    CACHE.get_or_init(ImageFiles::from_env)
}

/// Paths read in images, by image id, in a folder of their own.
#[derive(Debug, Clone)]
pub struct ImageFiles {
    /// `None`: nothing kept (`CHECKER_NO_CACHE`, or no cache folder on this system).
    dir: Option<PathBuf>,
}

/// One image's file: the paths read in it, `None` for a path that is not there.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    image: String,
    paths: BTreeMap<String, Option<Entry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// `file`, `directory` or `symlink`.
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    size: i64,
    mode: u32,
    /// A file's content, in hexadecimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content: Option<String>,
}

impl ImageFiles {
    fn from_env() -> ImageFiles {
        if std::env::var_os("CHECKER_NO_CACHE").is_some_and(|v| !v.is_empty()) {
            return ImageFiles { dir: None };
        }
        let dir = std::env::var_os("CHECKER_CACHE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::cache_dir().map(|d| d.join("checker")))
            .map(|d| d.join("images"));
        ImageFiles { dir }
    }

    /// A cache in `dir` (tests), or none.
    pub fn at(dir: Option<PathBuf>) -> ImageFiles {
        ImageFiles { dir }
    }

    /// Whether anything is kept at all.
    pub fn keeps(&self) -> bool {
        self.dir.is_some()
    }

    /// What `path` is in image `id`, if it was read before (with a file's content when
    /// `with_content`): `Some(None)` when it is known to be absent, `None` when it must
    /// be read.
    pub fn lookup(&self, id: &str, path: &str, with_content: bool) -> Option<Option<PathInfo>> {
        let stored = self.load(id)?;
        match stored.paths.get(path)? {
            None => Some(None),
            Some(entry) => entry.to_info(with_content).map(Some),
        }
    }

    /// Whether every one of `paths` (each with whether its content is needed) is known
    /// for the image `reference` named when it was last read: then no helper is worth
    /// making before the image is inspected.
    pub fn expects(&self, reference: &str, paths: &[(&str, bool)]) -> bool {
        let Some(dir) = &self.dir else {
            return false;
        };
        let Ok(id) = std::fs::read_to_string(dir.join("tags").join(tag_file(reference))) else {
            return false;
        };
        self.load(id.trim()).is_some_and(|stored| {
            paths
                .iter()
                .all(|(path, with_content)| match stored.paths.get(*path) {
                    Some(Some(entry)) => entry.to_info(*with_content).is_some(),
                    Some(None) => true,
                    None => false,
                })
        })
    }

    /// Remembers what `path` is in image `id`, which `reference` names, with a file's
    /// content when `with_content`.
    pub fn store(
        &self,
        id: &str,
        reference: &str,
        path: &str,
        found: &Option<PathInfo>,
        with_content: bool,
    ) {
        let Some(dir) = &self.dir else {
            return;
        };
        let Some(entry) = Entry::of(found, with_content) else {
            return;
        };
        let mut stored = self.load(id).unwrap_or_else(|| Stored {
            image: id.to_string(),
            ..Stored::default()
        });
        // What another check kept, content included, is not replaced by less.
        if !with_content && stored.paths.contains_key(path) {
            return;
        }
        stored.paths.insert(path.to_string(), entry);
        let Ok(text) = serde_json::to_string(&stored) else {
            return;
        };
        let Some(name) = image_file(id) else {
            return;
        };
        if std::fs::create_dir_all(dir.join("tags")).is_err() {
            return;
        }
        let fresh = !dir.join(&name).exists();
        if write_atomically(&dir.join(name), &text).is_ok() {
            let _ = write_atomically(&dir.join("tags").join(tag_file(reference)), id);
            if fresh {
                evict(dir);
            }
        }
    }

    fn load(&self, id: &str) -> Option<Stored> {
        let path = self.dir.as_ref()?.join(image_file(id)?);
        let text = std::fs::read_to_string(path).ok()?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        // A file renamed or copied by hand answers for no other image.
        (stored.image == id).then_some(stored)
    }
}

impl Entry {
    /// `None` when the answer is not worth keeping (a file too large to keep whole).
    fn of(found: &Option<PathInfo>, with_content: bool) -> Option<Option<Entry>> {
        let Some(info) = found else {
            return Some(None);
        };
        let content = info.content.as_ref().filter(|_| with_content);
        if content.is_some_and(|c| c.len() > MAX_KEPT) {
            return None;
        }
        let (kind, link) = match &info.kind {
            PathKind::File => ("file", None),
            PathKind::Directory => ("directory", None),
            PathKind::Symlink(target) => ("symlink", Some(target.clone())),
        };
        Some(Some(Entry {
            kind: kind.to_string(),
            link,
            size: info.size,
            mode: info.mode,
            content: content.map(hex::encode),
        }))
    }

    /// The path as read, or `None` when a file's content is wanted and was not kept.
    fn to_info(&self, with_content: bool) -> Option<PathInfo> {
        let kind = match self.kind.as_str() {
            "file" => PathKind::File,
            "directory" => PathKind::Directory,
            "symlink" => PathKind::Symlink(self.link.clone().unwrap_or_default()),
            _ => return None,
        };
        let content = match &self.content {
            Some(text) => Some(hex::decode(text).ok()?),
            None if kind == PathKind::File && with_content => return None,
            None => None,
        };
        Some(PathInfo {
            kind,
            size: self.size,
            mode: self.mode,
            content,
        })
    }
}

/// `sha256:4e26…` → `sha256-4e26….json`; `None` for an id that is not a digest (it
/// must not name a path outside the folder).
fn image_file(id: &str) -> Option<String> {
    let (algorithm, digest) = id.split_once(':')?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    (plain(algorithm) && plain(digest)).then(|| format!("{algorithm}-{digest}.json"))
}

/// The file holding the id `reference` last named: its digest, any reference is a name.
fn tag_file(reference: &str) -> String {
    hex::encode(Sha256::digest(reference.as_bytes()))
}

/// Writes whole or not at all: another run reading meanwhile sees the old file or the
/// new one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Keeps at most [`MAX_IMAGES`] images, removing the oldest written.
fn evict(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= MAX_IMAGES {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() - MAX_IMAGES] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "sha256:4e269bd4cdceee7b4ba772f02e6ea5476e7a5288db235cb5353234c7372b73c8";

    fn file(content: &[u8]) -> Option<PathInfo> {
        Some(PathInfo {
            kind: PathKind::File,
            size: content.len() as i64,
            mode: 0o644,
            content: Some(content.to_vec()),
        })
    }

    #[test]
    fn what_was_read_in_an_image_is_read_back_by_its_id_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageFiles::at(Some(dir.path().to_path_buf()));
        assert!(cache.lookup(ID, "/app/app.py", true).is_none());
        assert!(!cache.expects("mon-app:1.0", &[("/app/app.py", true)]));
        cache.store(
            ID,
            "mon-app:1.0",
            "/app/app.py",
            &file(b"print(MESSAGE_PERSO)"),
            true,
        );
        cache.store(ID, "mon-app:1.0", "/usr/bin/gcc", &None, false);
        let found = cache.lookup(ID, "/app/app.py", true).unwrap().unwrap();
        assert_eq!(found.kind, PathKind::File);
        assert_eq!(found.mode, 0o644);
        assert_eq!(found.content.as_deref(), Some(&b"print(MESSAGE_PERSO)"[..]));
        assert!(cache.lookup(ID, "/usr/bin/gcc", false).unwrap().is_none());
        // Another image (a rebuild) knows nothing, nor does a path never read.
        let other = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
        assert!(cache.lookup(other, "/app/app.py", true).is_none());
        assert!(cache.lookup(ID, "/etc/passwd", true).is_none());
        assert!(cache.expects(
            "mon-app:1.0",
            &[("/app/app.py", true), ("/usr/bin/gcc", false)]
        ));
        assert!(!cache.expects("mon-app:1.0", &[("/etc/passwd", true)]));
        assert!(!cache.expects("mon-app:2.0", &[("/app/app.py", true)]));
    }

    #[test]
    fn a_file_copied_under_another_id_or_corrupt_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageFiles::at(Some(dir.path().to_path_buf()));
        cache.store(ID, "mon-app:1.0", "/app/app.py", &file(b"x"), true);
        let other = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
        std::fs::copy(
            dir.path().join(image_file(ID).unwrap()),
            dir.path().join(image_file(other).unwrap()),
        )
        .unwrap();
        assert!(cache.lookup(other, "/app/app.py", true).is_none());
        std::fs::write(dir.path().join(image_file(ID).unwrap()), "{not json").unwrap();
        assert!(cache.lookup(ID, "/app/app.py", true).is_none());
    }

    #[test]
    fn large_files_and_odd_ids_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageFiles::at(Some(dir.path().to_path_buf()));
        cache.store(ID, "big", "/big", &file(&vec![b'a'; MAX_KEPT + 1]), true);
        assert!(cache.lookup(ID, "/big", true).is_none());
        assert_eq!(image_file("../../etc:passwd"), None);
        assert_eq!(image_file("sha256:../x"), None);
        cache.store("../x", "r", "/p", &file(b"x"), true);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_content_no_check_compares_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageFiles::at(Some(dir.path().to_path_buf()));
        // `absent: [/app/.env]` found the file: its presence is kept, not its secrets.
        cache.store(ID, "app", "/app/.env", &file(b"PASSWORD=secret"), false);
        let text = std::fs::read_to_string(dir.path().join(image_file(ID).unwrap())).unwrap();
        assert!(!text.contains(&hex::encode("secret")), "{text}");
        let known = cache.lookup(ID, "/app/.env", false).unwrap().unwrap();
        assert_eq!(known.kind, PathKind::File);
        assert!(known.content.is_none());
        // A check that compares the content reads the file again, then keeps it...
        assert!(cache.lookup(ID, "/app/.env", true).is_none());
        assert!(!cache.expects("app", &[("/app/.env", true)]));
        cache.store(ID, "app", "/app/.env", &file(b"PASSWORD=secret"), true);
        assert!(cache.lookup(ID, "/app/.env", true).is_some());
        // ...and a later read without content does not take it away.
        cache.store(ID, "app", "/app/.env", &file(b"PASSWORD=secret"), false);
        assert!(cache.lookup(ID, "/app/.env", true).is_some());
    }

    #[test]
    fn no_folder_keeps_nothing() {
        let cache = ImageFiles::at(None);
        cache.store(ID, "mon-app:1.0", "/app/app.py", &file(b"x"), true);
        assert!(cache.lookup(ID, "/app/app.py", true).is_none());
        assert!(!cache.expects("mon-app:1.0", &[("/app/app.py", true)]));
    }

    #[test]
    fn the_oldest_images_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageFiles::at(Some(dir.path().to_path_buf()));
        for n in 0..MAX_IMAGES + 3 {
            let id = format!("sha256:{n:064x}");
            cache.store(&id, "r", "/p", &file(b"x"), true);
        }
        let kept = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count();
        assert_eq!(kept, MAX_IMAGES);
        let newest = format!("sha256:{:064x}", MAX_IMAGES + 2);
        assert!(cache.lookup(&newest, "/p", true).is_some());
    }
}
