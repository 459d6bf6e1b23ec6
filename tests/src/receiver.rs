//! A local webhook receiver: a bare HTTP/1.1 server that records each request it gets
//! and answers the statuses it was given, in order (200 once they run out).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Delivered {
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    /// The exact body.
    pub body: String,
    /// The status it was answered.
    pub answered: u16,
}

impl Delivered {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

pub struct Receiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Delivered>>>,
}

impl Receiver {
    /// Listens on a free port of 127.0.0.1; answers `statuses` in order, then 200.
    pub async fn start(statuses: &[u16]) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the webhook receiver");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(
            statuses.iter().copied().collect::<VecDeque<_>>(),
        ));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, answers) = (store.clone(), answers.clone());
                tokio::spawn(async move {
                    let _ = exchange(socket, store, answers).await;
                });
            }
        });
        Receiver { port, received }
    }

    /// The URL deliveries should go to.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/portal", self.port)
    }

    /// Waits up to `seconds` for at least `count` requests.
    pub async fn wait_for(&self, count: usize, seconds: u64) -> Vec<Delivered> {
        for _ in 0..seconds * 20 {
            {
                let got = self.received.lock().unwrap();
                if got.len() >= count {
                    return got.clone();
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.received.lock().unwrap().clone()
    }
}

async fn exchange(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Delivered>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut headers = HashMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    let status = answers.lock().unwrap().pop_front().unwrap_or(200);
    store.lock().unwrap().push(Delivered {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        answered: status,
    });
    let answer =
        format!("HTTP/1.1 {status} Whatever\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    reader.get_mut().write_all(answer.as_bytes()).await?;
    reader.get_mut().shutdown().await
}
