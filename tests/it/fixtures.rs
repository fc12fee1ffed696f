//! Named fixtures: the real Stockholm boundaries and small hand-made files.

use std::path::PathBuf;

/// `../shared/data/stockholm` beside the repository, or `None` (skip) when it
/// is absent locally. With `CI=true` a missing folder fails the test.
#[allow(clippy::print_stderr)] // a skipped test says why
pub fn stockholm() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/stockholm");
    if dir.join("stadsdelar.shp").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "the real Stockholm boundaries are missing at {}",
            dir.display()
        );
    }
    eprintln!(
        "skipped: the real Stockholm boundaries are not at {}",
        dir.display()
    );
    None
}

/// A fresh temporary folder for one test.
pub fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lagesbild-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
