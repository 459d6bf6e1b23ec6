//! The PostgreSQL listener: a connection of its own (`tokio-postgres`; Diesel cannot
//! wait for notifications) that `LISTEN`s on the feed's channel, on a thread of its
//! own, for as long as the server runs. It uses TLS as `DATABASE_URL` says (`tls.rs`).
//!
//! Each `NOTIFY` payload is decoded into changes and applied ([`Feed::apply`]). When
//! the connection fails the feed is told it is down (nothing remembered is trusted),
//! and the listener reconnects by itself, waiting longer after each failure (from
//! [`FIRST_WAIT`] up to [`LONGEST_WAIT`]); once `LISTEN` is in force again everything
//! remembered is dropped, as changes may have been missed meanwhile.

use std::sync::Arc;
use std::time::Duration;

use domain::change::decode_batch;
use postgres_native_tls::MakeTlsConnector;
use tokio::sync::oneshot;
use tokio_postgres::AsyncMessage;

use super::Feed;

/// The wait before the first reconnection attempt; doubled after each failure.
const FIRST_WAIT: Duration = Duration::from_millis(100);
/// The longest wait between attempts.
const LONGEST_WAIT: Duration = Duration::from_secs(5);
/// TCP keepalive idle time: a connection to a server that vanished without a word is
/// noticed within about this (plus the kernel's probes).
const KEEPALIVE_IDLE: Duration = Duration::from_secs(10);
/// How often the listener asks its server whether it still answers, and how long it
/// waits for the answer. A connection can stay open while the server behind it has
/// stopped (a frozen backend, a partition the kernel's keepalives take eleven minutes
/// to call): its notifications would stop without a word, and the process would go on
/// trusting what it remembers. A question unanswered in time counts as a lost
/// connection.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(5);
const HEARTBEAT_WAIT: Duration = Duration::from_secs(5);

/// The running listener; it stops when this is dropped (with the server).
pub struct Listener {
    _stop: oneshot::Sender<()>,
}

/// Starts listening on the database of `url` and applying what arrives to `feed`.
pub fn start(url: &str, feed: Arc<Feed>) -> std::io::Result<Listener> {
    let (config, tls) = super::tls::configure(url).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the change feed's listener: {e}"),
        )
    })?;
    let (stop, stopped) = oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("portal-feed".into())
        .spawn(move || {
            runtime.block_on(async move {
                tokio::select! {
                    _ = stopped => {}
                    _ = listen_forever(config, tls, &feed) => {}
                }
            });
        })?;
    Ok(Listener { _stop: stop })
}

async fn listen_forever(mut config: tokio_postgres::Config, tls: MakeTlsConnector, feed: &Feed) {
    config
        .keepalives(true)
        .keepalives_idle(KEEPALIVE_IDLE)
        .application_name("portal-feed");
    let mut wait = FIRST_WAIT;
    loop {
        match listen(&config, tls.clone(), feed).await {
            Listened::Lost(e) => {
                tracing::warn!(error = %e, "the change feed's connection was lost; reconnecting");
                wait = FIRST_WAIT;
            }
            Listened::NotConnected(e) => {
                tracing::warn!(error = %e, wait_ms = wait.as_millis() as u64, "the change feed cannot connect");
            }
        }
        feed.lost();
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(LONGEST_WAIT);
    }
}

/// How one connection ended.
enum Listened {
    /// It never got to listen.
    NotConnected(String),
    /// It listened, then failed.
    Lost(String),
}

/// Connects, listens, and applies notifications until the connection fails.
async fn listen(config: &tokio_postgres::Config, tls: MakeTlsConnector, feed: &Feed) -> Listened {
    // A server that stops answering while it is being connected to holds the attempt
    // as long as it holds a heartbeat's question.
    let (client, mut connection) =
        match tokio::time::timeout(HEARTBEAT_WAIT, config.connect(tls)).await {
            Ok(Ok(connected)) => connected,
            Ok(Err(e)) => return Listened::NotConnected(e.to_string()),
            Err(_) => return Listened::NotConnected(unanswered()),
        };
    // The connection does its IO only while polled: poll it here, and send the
    // notifications it yields to the loop below.
    let (tx, mut notifications) = tokio::sync::mpsc::unbounded_channel();
    let driver = async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    let _ = tx.send(n);
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return e.to_string(),
                None => return "the server closed the connection".to_owned(),
            }
        }
    };
    tokio::pin!(driver);
    let statement = format!("LISTEN {}", persistence::feed::CHANNEL);
    let listening = tokio::time::timeout(HEARTBEAT_WAIT, client.batch_execute(&statement));
    tokio::select! {
        e = &mut driver => return Listened::NotConnected(e),
        done = listening => match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Listened::NotConnected(e.to_string()),
            Err(_) => return Listened::NotConnected(unanswered()),
        },
    }
    feed.connected();
    let apply = |n: tokio_postgres::Notification| {
        if n.channel() == persistence::feed::CHANNEL {
            feed.apply(&decode_batch(n.payload()));
        }
    };
    let mut beat = tokio::time::interval_at(
        tokio::time::Instant::now() + HEARTBEAT_EVERY,
        HEARTBEAT_EVERY,
    );
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            e = &mut driver => return Listened::Lost(e),
            Some(n) = notifications.recv() => apply(n),
            _ = beat.tick() => {
                // The answer comes only while the connection is polled: keep polling it,
                // and applying what it brings, until the answer or the deadline.
                let answer = tokio::time::timeout(HEARTBEAT_WAIT, client.simple_query("SELECT 1"));
                tokio::pin!(answer);
                loop {
                    // In this order: an answer already read (after a pause of this
                    // thread, say) is taken before the deadline is looked at.
                    tokio::select! {
                        biased;
                        e = &mut driver => return Listened::Lost(e),
                        Some(n) = notifications.recv() => apply(n),
                        answered = &mut answer => match answered {
                            Ok(Ok(_)) => break,
                            Ok(Err(e)) => return Listened::Lost(e.to_string()),
                            Err(_) => return Listened::Lost(unanswered()),
                        },
                    }
                }
            }
        }
    }
}

/// Why a connection was given up that did not answer in time.
fn unanswered() -> String {
    format!(
        "the server did not answer within {} s",
        HEARTBEAT_WAIT.as_secs()
    )
}
