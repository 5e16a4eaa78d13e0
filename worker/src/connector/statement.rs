//! One statement on a SQL engine's asynchronous API, run the same way for every engine: polled
//! with backoff up to a deadline (and stopped past it, or when cancelled), then its result read
//! page by page.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::error::WorkerError;

/// One result row as text, NULL as `None`.
pub(crate) type Row = Vec<Option<String>>;

/// Polling of submitted statements: the first poll after `initial`, each wait doubling up to
/// `max`; a statement still running after `timeout`, or when `cancel` fires, is stopped.
#[derive(Debug, Clone)]
pub struct PollPolicy {
    /// First wait.
    pub initial: Duration,
    /// Longest wait between polls.
    pub max: Duration,
    /// Give up (and stop the statement) after this long.
    pub timeout: Duration,
    /// Stops the statement being polled when cancelled (Ctrl-C in the CLI).
    pub cancel: Cancel,
}

impl PollPolicy {
    /// The waits of one statement's polling, starting now.
    pub fn start(&self) -> Backoff {
        Backoff { next: self.initial, max: self.max, deadline: Instant::now() + self.timeout }
    }
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(200),
            max: Duration::from_secs(5),
            timeout: Duration::from_secs(30 * 60),
            cancel: Cancel::default(),
        }
    }
}

/// A request to stop, shared by clones: statements polled under it are stopped once it fires.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<CancelState>);

#[derive(Debug, Default)]
struct CancelState {
    fired: AtomicBool,
    notify: Notify,
}

impl Cancel {
    /// Fires: every statement polled under this (or a clone) is stopped.
    pub fn cancel(&self) {
        self.0.fired.store(true, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }

    /// Whether it has fired.
    pub fn is_cancelled(&self) -> bool {
        self.0.fired.load(Ordering::SeqCst)
    }

    /// Completes once it has fired.
    pub async fn cancelled(&self) {
        loop {
            // Registered before the check, so a `cancel` in between is not missed.
            let notified = self.0.notify.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }

    /// A cancel that fires on Ctrl-C (SIGINT), listening from now on the current tokio runtime.
    /// Only for processes that want Ctrl-C to stop queries rather than kill them outright.
    pub fn on_ctrl_c() -> Self {
        let cancel = Self::default();
        let fire = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                tracing::warn!("interrupted: stopping the running query");
                fire.cancel();
            }
        });
        cancel
    }
}

/// Exponential backoff between polls, up to a deadline.
pub struct Backoff {
    next: Duration,
    max: Duration,
    deadline: Instant,
}

impl Backoff {
    /// Sleeps before the next poll (`initial`, doubling up to `max`); `false`, without sleeping,
    /// once the deadline has passed.
    pub async fn wait(&mut self) -> bool {
        if Instant::now() >= self.deadline {
            return false;
        }
        tokio::time::sleep(self.next).await;
        self.next = (self.next * 2).min(self.max);
        true
    }
}

/// Where a submitted statement stands.
pub(crate) enum StatementState {
    /// Queued or running.
    Running,
    /// Done; its result can be read.
    Finished {
        /// Bytes the engine says it scanned (0 when it does not say).
        bytes_scanned: u64,
    },
    /// Failed or cancelled by the engine.
    Failed {
        /// The engine's reason.
        reason: String,
        /// Whether running it again later may succeed.
        transient: bool,
    },
}

/// One page of a finished statement's result.
pub(crate) struct ResultPage {
    /// The page's data rows.
    pub rows: Vec<Row>,
    /// The token of the next page; `None` or empty on the last.
    pub next_token: Option<String>,
}

/// An engine's API for following the statements submitted to it.
pub(crate) trait StatementApi {
    /// What the engine calls a statement in messages ("query", "statement").
    const NOUN: &'static str;
    /// What stopping one is called in messages ("stopped", "cancelled").
    const STOPPED: &'static str;
    /// Asks the engine where statement `id` stands; `step` names the work in errors.
    async fn state(&self, step: &'static str, id: &str) -> Result<StatementState, WorkerError>;
    /// Asks the engine to stop statement `id` (best effort).
    async fn stop(&self, id: &str);
    /// Reads the page of statement `id`'s result that `token` names (the first when `None`).
    async fn page(&self, step: &'static str, id: &str, token: Option<String>) -> Result<ResultPage, WorkerError>;
}

/// Waits for statement `id` to finish, stopping it when `poll` runs out or is cancelled, and reads
/// its whole result. Adds the bytes the engine scanned to `scanned`; errors name `source_name` and
/// `step`.
pub(crate) async fn run_to_completion<A: StatementApi>(
    api: &A,
    id: &str,
    poll: &PollPolicy,
    source_name: &str,
    step: &'static str,
    scanned: &mut u64,
) -> Result<Vec<Row>, WorkerError> {
    let failed = |message: String, transient: bool| WorkerError::Connector {
        source_name: source_name.to_owned(),
        step,
        message,
        transient,
    };
    let interrupted = || WorkerError::Interrupted {
        source_name: source_name.to_owned(),
        step,
        what: format!("{} {id} was {}", A::NOUN, A::STOPPED),
    };
    let mut backoff = poll.start();
    loop {
        if poll.cancel.is_cancelled() {
            api.stop(id).await;
            return Err(interrupted());
        }
        match api.state(step, id).await? {
            StatementState::Finished { bytes_scanned } => {
                *scanned += bytes_scanned;
                break;
            }
            StatementState::Failed { reason, transient } => {
                return Err(failed(format!("{} {id} failed: {reason}", A::NOUN), transient));
            }
            StatementState::Running => {}
        }
        let more = tokio::select! {
            more = backoff.wait() => more,
            () = poll.cancel.cancelled() => {
                api.stop(id).await;
                return Err(interrupted());
            }
        };
        if !more {
            api.stop(id).await;
            let message = format!(
                "{} {id} did not finish within {:?}; it was {} (allow more time with --timeout)",
                A::NOUN,
                poll.timeout,
                A::STOPPED
            );
            return Err(failed(message, true));
        }
    }
    let mut rows = Vec::new();
    let mut token = None;
    loop {
        let page = api.page(step, id, token.take()).await?;
        rows.extend(page.rows);
        match page.next_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => break,
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    /// An engine with one statement, which runs for `polls` polls, then ends as `end`, with a result of `pages`.
    struct Scripted {
        polls: Cell<u32>,
        end: fn() -> StatementState,
        pages: Vec<Vec<Row>>,
        stopped: Cell<bool>,
    }

    impl Scripted {
        fn new(polls: u32, end: fn() -> StatementState, pages: Vec<Vec<Row>>) -> Self {
            Self { polls: Cell::new(polls), end, pages, stopped: Cell::new(false) }
        }
    }

    impl StatementApi for Scripted {
        const NOUN: &'static str = "query";
        const STOPPED: &'static str = "stopped";

        async fn state(&self, _step: &'static str, _id: &str) -> Result<StatementState, WorkerError> {
            match self.polls.get() {
                0 => Ok((self.end)()),
                left => {
                    self.polls.set(left - 1);
                    Ok(StatementState::Running)
                }
            }
        }

        async fn stop(&self, _id: &str) {
            self.stopped.set(true);
        }

        async fn page(&self, _step: &'static str, _id: &str, token: Option<String>) -> Result<ResultPage, WorkerError> {
            let index: usize = token.map_or(0, |t| t.parse().expect("a page number"));
            let next_token = (index + 1 < self.pages.len()).then(|| (index + 1).to_string());
            Ok(ResultPage { rows: self.pages[index].clone(), next_token })
        }
    }

    fn poll(timeout_ms: u64) -> PollPolicy {
        PollPolicy {
            initial: Duration::from_millis(1),
            max: Duration::from_millis(2),
            timeout: Duration::from_millis(timeout_ms),
            cancel: Cancel::default(),
        }
    }

    fn row(text: &str) -> Row {
        vec![Some(text.to_owned()), None]
    }

    #[tokio::test]
    async fn a_finished_statement_returns_every_page_and_counts_its_bytes() {
        let finished = || StatementState::Finished { bytes_scanned: 42 };
        let statement = Scripted::new(3, finished, vec![vec![row("a"), row("b")], vec![], vec![row("c")]]);
        let mut scanned = 8;
        let rows =
            run_to_completion(&statement, "q-1", &poll(60_000), "athena://t", "read", &mut scanned).await.unwrap();
        assert_eq!(rows, vec![row("a"), row("b"), row("c")]);
        assert_eq!(scanned, 50);
        assert!(!statement.stopped.get());
    }

    #[tokio::test]
    async fn a_failed_statement_names_its_id_and_keeps_whether_to_retry() {
        let failed = || StatementState::Failed { reason: "no such table".into(), transient: false };
        let statement = Scripted::new(1, failed, vec![]);
        let error =
            run_to_completion(&statement, "q-1", &poll(60_000), "athena://t", "read", &mut 0).await.unwrap_err();
        assert_eq!(error.to_string(), "athena://t: could not read: query q-1 failed: no such table");
        assert!(matches!(error, WorkerError::Connector { transient: false, .. }));
    }

    #[tokio::test]
    async fn a_statement_past_the_deadline_is_stopped_and_may_be_retried() {
        let statement = Scripted::new(u32::MAX, || StatementState::Running, vec![]);
        let error = run_to_completion(&statement, "q-1", &poll(20), "athena://t", "read", &mut 0).await.unwrap_err();
        assert!(statement.stopped.get());
        assert!(error.to_string().contains("query q-1 did not finish within 20ms; it was stopped"), "{error}");
        assert!(matches!(error, WorkerError::Connector { transient: true, .. }));
    }

    #[tokio::test]
    async fn a_cancelled_statement_is_stopped_and_reported_as_interrupted() {
        let statement = Scripted::new(u32::MAX, || StatementState::Running, vec![]);
        let policy = poll(60_000);
        let cancel = policy.cancel.clone();
        let canceller = async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            cancel.cancel();
        };
        let mut scanned = 0;
        let (result, ()) =
            tokio::join!(run_to_completion(&statement, "q-9", &policy, "athena://t", "read", &mut scanned), canceller);
        let error = result.unwrap_err();
        assert!(statement.stopped.get());
        assert_eq!(error.to_string(), "athena://t: interrupted while trying to read; query q-9 was stopped");
        assert_eq!(error.exit_code(), crate::exit_code::INTERRUPTED);
    }
}
