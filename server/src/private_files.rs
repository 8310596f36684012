//! Files and directories only their owner may read: the data directory, the
//! embedded database (password hashes, sealed secrets) and the key file.
//!
//! Modes are set when a file is created (no moment at which others could read
//! it) or tightened at once; the process umask is left alone.

use std::fs::{File, OpenOptions};
use std::path::Path;

use anyhow::Context;

/// The mode of every private file.
pub const FILE_MODE: u32 = 0o600;
/// The mode of a directory conduit creates for its data.
pub const DIR_MODE: u32 = 0o700;

/// Options that create a file readable and writable by its owner only.
pub fn owner_only_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// Creates `dir` (and its parents) when missing, the last one with mode
/// 0700. A directory that already exists is not changed, because the
/// operator may have chosen it for more than conduit; when others may enter
/// it, a warning says how to close it.
pub fn ensure_private_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create the data directory {}", dir.display()))?;
        }
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(DIR_MODE);
        }
        match builder.create(dir) {
            Ok(()) => return Ok(()),
            // Someone else made it in between: treat it like an existing one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| format!("could not create the data directory {}", dir.display()))
            }
        }
    }
    if let Some(mode) = mode_of(dir)? {
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %dir.display(),
                mode = format!("{:o}", mode & 0o777),
                "the data directory can be entered by other users of this machine; \
                 its files are kept owner-only, and `chmod 700` on it closes it entirely"
            );
        }
    }
    Ok(())
}

/// Makes an existing file readable and writable by its owner only; a
/// missing file is fine (nothing to protect yet).
pub fn tighten_file(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o777 != FILE_MODE => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))
                    .with_context(|| format!("could not make {} readable by its owner only", path.display()))?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates `path` empty and owner-only when missing, else tightens it.
pub fn ensure_private_file(path: &Path) -> anyhow::Result<()> {
    let created: std::io::Result<File> = owner_only_options().write(true).create_new(true).open(path);
    match created {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => tighten_file(path),
        Err(e) => Err(e).with_context(|| format!("could not create {}", path.display())),
    }
}

/// The permission bits of `path` (`None` where there are none to read).
pub fn mode_of(path: &Path) -> anyhow::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).with_context(|| format!("could not read {}", path.display()))?;
        Ok(Some(meta.permissions().mode() & 0o777))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(None)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_data_directory_is_owner_only_and_an_existing_one_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a").join("data");
        ensure_private_dir(&dir).unwrap();
        assert_eq!(mode_of(&dir).unwrap(), Some(0o700));

        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&shared).unwrap();
        assert_eq!(mode_of(&shared).unwrap(), Some(0o755), "an operator's directory is not changed");
    }

    #[test]
    fn private_files_are_created_or_tightened_to_0600() {
        let root = tempfile::tempdir().unwrap();
        let new = root.path().join("new.db");
        ensure_private_file(&new).unwrap();
        assert_eq!(mode_of(&new).unwrap(), Some(0o600));

        let old = root.path().join("old.db");
        std::fs::write(&old, b"kept").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        ensure_private_file(&old).unwrap();
        assert_eq!(mode_of(&old).unwrap(), Some(0o600));
        assert_eq!(std::fs::read(&old).unwrap(), b"kept", "the content stays");

        tighten_file(&root.path().join("missing")).unwrap();
    }
}
