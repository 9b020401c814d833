//! Thread pools that survive `fork`: a child process (multiprocessing, `datasets` with
//! `num_proc`, Dask's forked workers) inherits the parent's pool without its threads, and work
//! sent to it would wait forever. A pool is built for the process that uses it.

use std::sync::{Arc, Mutex};

pub struct ForkSafePool {
    threads: usize,
    slot: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>>,
}

impl ForkSafePool {
    /// A pool of `threads` threads (0: one per core; never more than the cores), built when
    /// first used.
    pub const fn new(threads: usize) -> Self {
        ForkSafePool {
            threads,
            slot: Mutex::new(None),
        }
    }

    /// The pool of the current process.
    pub fn get(&self) -> Arc<rayon::ThreadPool> {
        let pid = std::process::id();
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((owner, pool)) = slot.as_ref() {
            if *owner == pid {
                return pool.clone();
            }
        }
        let pool = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(bounded(self.threads))
                .thread_name(|k| format!("arclean-{k}"))
                .build()
                .expect("cannot start threads"),
        );
        if let Some(inherited) = slot.replace((pid, pool.clone())) {
            // its threads belong to the parent: dropping it here would wait for none of them
            std::mem::forget(inherited);
        }
        pool
    }

    pub fn threads(&self) -> usize {
        self.get().current_num_threads()
    }
}

/// Threads asked for, at most one per core (0: one per core): more only take memory and
/// switch contexts, and a mistyped `--jobs 100000` would start that many threads.
pub fn bounded(threads: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 0 {
        cores
    } else {
        threads.min(cores)
    }
}

/// The pool of the batch functions (`clean_batch`, `normalize_batch`, columns).
pub static SHARED: ForkSafePool = ForkSafePool::new(0);

/// `f` over `items` in order: on the shared pool when `parallel`, else on the calling thread.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    parallel: bool,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    if parallel {
        use rayon::prelude::*;
        SHARED.get().install(|| items.par_iter().map(f).collect())
    } else {
        items.iter().map(f).collect()
    }
}
