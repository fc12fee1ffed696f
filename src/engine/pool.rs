//! The engine's own thread pool: every parallel operation runs on it, so
//! its size is one setting ([`set_threads`]) rather than rayon's global.

use std::sync::{Arc, RwLock};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::{Error, Result};

static POOL: RwLock<Option<Arc<ThreadPool>>> = RwLock::new(None);

fn build(n: usize) -> std::result::Result<ThreadPool, rayon::ThreadPoolBuildError> {
    ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("lagesbild-{i}"))
        .build()
}

/// Set the number of threads the engine uses (at least 1); may be called
/// again at any time. Without it the count follows `RAYON_NUM_THREADS`, or
/// the number of cores.
///
/// # Examples
///
/// ```
/// use lagesbild::engine::{set_threads, threads};
///
/// set_threads(1).unwrap();
/// assert_eq!(threads(), 1);
/// assert!(set_threads(0).is_err());
/// ```
pub fn set_threads(n: usize) -> Result<()> {
    crate::ensure!(
        n >= 1,
        "set_threads: the number of threads must be at least 1, not {n}"
    );
    let pool = build(n).map_err(|e| Error::InvalidArgument(format!("set_threads({n}): {e}")))?;
    *POOL.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(pool));
    Ok(())
}

/// The number of threads the engine uses.
pub fn threads() -> usize {
    pool().current_num_threads()
}

fn pool() -> Arc<ThreadPool> {
    if let Some(p) = POOL.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return p.clone();
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| {
        let n = std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Arc::new(build(n).expect("building a thread pool with a positive thread count"))
    })
    .clone()
}

/// Run `f` on the engine's thread pool.
pub(crate) fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(f)
}
