//! A pool of one thread per core for CPU- and memory-heavy work off the request threads:
//! password hashing (A9), and parsing PDFs and re-encoding images (A3, A4). Work beyond one job
//! per core only adds memory, not speed, so jobs wait their turn in the pool's queue.
//!
//! Dedicated threads rather than tokio's blocking pool (up to 512 threads) also bound what the
//! allocator keeps: glibc gives each thread an arena and keeps freed large blocks in it, so
//! 8 parallel password requests on the blocking pool left the process at 924 MiB; on this pool
//! the peak was 68 MiB (`tests/load/password-memory.sh`). A job runs to its end even when its
//! requester is gone (a request cancelled at its timeout), so cancelling frees no slot early.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of named worker threads taking jobs from one queue.
#[derive(Debug)]
pub struct Pool {
    name: &'static str,
    jobs: Sender<Job>,
}

impl Pool {
    /// Starts one thread per core, named `name-N`.
    #[must_use]
    pub fn start(name: &'static str) -> Self {
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        // Waiting jobs queue here: as many as requests in flight, which the rate limits and the
        // connection limit bound.
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || {
                    loop {
                        let next = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = next else { return };
                        // A panicking job must not take the thread with it; its requester sees
                        // the job as lost.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(pool = name, error = %e, "cannot start a worker thread");
            }
        }
        Self { name, jobs }
    }

    /// Runs `job` on the pool and waits for its result without blocking the runtime.
    ///
    /// # Errors
    /// The pool has no thread left, or the job panicked.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                // The requester may have gone: nothing to tell.
                let _ = done.send(job());
            }))
            .map_err(|_| anyhow::anyhow!("the {} pool stopped", self.name))?;
        result
            .await
            .map_err(|_| anyhow::anyhow!("a job of the {} pool was lost", self.name))
    }
}
