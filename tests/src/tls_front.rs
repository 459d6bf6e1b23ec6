//! A PostgreSQL server that requires TLS, as a managed database does: a front on a
//! port of its own that answers PostgreSQL's `SSLRequest`, completes the handshake with
//! a certificate for `127.0.0.1` issued by an authority made for the test, and then
//! relays the decrypted protocol to the test database server. A client that does not
//! ask for TLS is turned away.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// PostgreSQL's request codes sent before a startup message.
const SSL_REQUEST: u32 = 80_877_103;
const GSSENC_REQUEST: u32 = 80_877_104;

/// The relayed connections: the `application_name` each named, and what silences it.
type Relayed = Mutex<Vec<(String, Arc<tokio::sync::Notify>)>>;

/// A running front; it stops with the test.
pub struct TlsFront {
    pub port: u16,
    /// The authority that issued the front's certificate (PEM).
    pub authority: PathBuf,
    /// Another authority, which issued nothing the front shows.
    pub stranger: PathBuf,
    /// What happened so far.
    pub seen: Arc<Seen>,
    /// Connections whose startup message names this `application_name` are closed
    /// after the handshake, as a database that has no room for them would.
    refusing: Arc<Mutex<Option<String>>>,
    relayed: Arc<Relayed>,
    _files: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the front has seen.
#[derive(Default)]
pub struct Seen {
    /// Handshakes completed.
    pub encrypted: AtomicUsize,
    /// Handshakes the client broke off (it did not trust the certificate, say).
    pub failed: AtomicUsize,
    /// Clients that did not ask for TLS.
    pub plain: AtomicUsize,
    /// The local ports of the front's connections to the database server: what
    /// `pg_stat_activity.client_port` shows for the clients it relayed.
    pub relayed_ports: Mutex<Vec<u16>>,
}

impl TlsFront {
    /// Closes, from now on, the connections of clients that call themselves
    /// `application` (`None`: of nobody).
    pub fn refuse(&self, application: Option<&str>) {
        *self.refusing.lock().unwrap() = application.map(str::to_owned);
    }

    /// Silences the connections already relayed for clients that call themselves
    /// `application`: from now on nothing passes either way, and both stay open, as
    /// with a server that stopped answering or a network that drops every packet.
    /// Later connections are relayed as before. Returns how many it silenced.
    pub fn silence(&self, application: &str) -> usize {
        let relayed = self.relayed.lock().unwrap();
        let mut silenced = 0;
        for (named, silence) in relayed.iter() {
            if named == application {
                silence.notify_one();
                silenced += 1;
            }
        }
        silenced
    }

    /// `database_url` (the test database's, plain) as it reads through the front, with
    /// these TLS options.
    pub fn url(&self, database_url: &str, options: &str) -> String {
        let url = url::Url::parse(database_url).expect("a postgres:// URL");
        let name = url.path().trim_start_matches('/');
        format!(
            "postgres://postgres@127.0.0.1:{}/{name}?{options}",
            self.port
        )
    }
}

/// Starts a front for the server `database_url` is on.
pub async fn start(database_url: &str) -> TlsFront {
    let upstream = url::Url::parse(database_url).expect("a postgres:// URL");
    let upstream = format!(
        "{}:{}",
        upstream.host_str().unwrap_or("127.0.0.1"),
        upstream.port().unwrap_or(5432)
    );
    let files = tempfile::tempdir().unwrap();
    let (authority, identity) = issue();
    let stranger = issue().0;
    let (authority_path, stranger_path) = (
        files.path().join("root.pem"),
        files.path().join("other.pem"),
    );
    std::fs::write(&authority_path, authority).unwrap();
    std::fs::write(&stranger_path, stranger).unwrap();
    let acceptor = tokio_native_tls::TlsAcceptor::from(
        native_tls::TlsAcceptor::new(identity).expect("a TLS acceptor"),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let refusing = Arc::new(Mutex::new(None::<String>));
    let relayed = Arc::new(Mutex::new(Vec::new()));
    let task = tokio::spawn({
        let (seen, refusing, relayed) = (seen.clone(), refusing.clone(), relayed.clone());
        async move {
            while let Ok((client, _)) = listener.accept().await {
                let (acceptor, seen, upstream) = (acceptor.clone(), seen.clone(), upstream.clone());
                let refused = refusing.lock().unwrap().clone();
                let relayed = relayed.clone();
                tokio::spawn(async move {
                    let _ = relay(client, &acceptor, &seen, &upstream, refused, &relayed).await;
                });
            }
        }
    });
    TlsFront {
        port,
        authority: authority_path,
        stranger: stranger_path,
        seen,
        refusing,
        relayed,
        _files: files,
        task,
    }
}

/// One client: TLS if asked for, then its bytes to the server and back.
async fn relay(
    mut client: TcpStream,
    acceptor: &tokio_native_tls::TlsAcceptor,
    seen: &Seen,
    upstream: &str,
    refused: Option<String>,
    relayed: &Relayed,
) -> std::io::Result<()> {
    loop {
        let mut request = [0u8; 8];
        client.read_exact(&mut request).await?;
        let code = u32::from_be_bytes([request[4], request[5], request[6], request[7]]);
        match code {
            GSSENC_REQUEST => client.write_all(b"N").await?,
            SSL_REQUEST => {
                client.write_all(b"S").await?;
                break;
            }
            _ => {
                seen.plain.fetch_add(1, Ordering::SeqCst);
                return Ok(());
            }
        }
    }
    let mut client = match acceptor.accept(client).await {
        Ok(stream) => stream,
        Err(_) => {
            seen.failed.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
    };
    seen.encrypted.fetch_add(1, Ordering::SeqCst);
    // The startup message: its length, then the protocol and `name\0value\0` pairs.
    let mut length = [0u8; 4];
    client.read_exact(&mut length).await?;
    let mut startup = vec![0u8; (u32::from_be_bytes(length) as usize).saturating_sub(4)];
    client.read_exact(&mut startup).await?;
    if let Some(application) = refused {
        let named = format!("application_name\0{application}\0");
        if startup.windows(named.len()).any(|w| w == named.as_bytes()) {
            return Ok(());
        }
    }
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&length).await?;
    server.write_all(&startup).await?;
    if let Ok(mut ports) = seen.relayed_ports.lock() {
        ports.push(server.local_addr()?.port());
    }
    let silence = Arc::new(tokio::sync::Notify::new());
    relayed
        .lock()
        .unwrap()
        .push((application_of(&startup), silence.clone()));
    tokio::select! {
        copied = tokio::io::copy_bidirectional(&mut client, &mut server) => {
            copied?;
        }
        _ = silence.notified() => {
            // Both ends stay open and hear nothing, until the test ends.
            std::future::pending::<()>().await;
        }
    }
    Ok(())
}

/// The `application_name` a startup message names (empty when none).
fn application_of(startup: &[u8]) -> String {
    // After the protocol version, `name\0value\0` pairs.
    let mut fields = startup.get(4..).unwrap_or_default().split(|b| *b == 0);
    while let Some(name) = fields.next() {
        let value = fields.next().unwrap_or_default();
        if name == b"application_name" {
            return String::from_utf8_lossy(value).into_owned();
        }
    }
    String::new()
}

/// A new authority (PEM) and a certificate it issued for `127.0.0.1` and `localhost`,
/// with its key.
fn issue() -> (String, native_tls::Identity) {
    let authority_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
        .distinguished_name
        .push(DnType::CommonName, "Portal test authority");
    let authority = params.self_signed(&authority_key).unwrap();

    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let certificate = params.signed_by(&key, &authority, &authority_key).unwrap();
    let identity = native_tls::Identity::from_pkcs8(
        certificate.pem().as_bytes(),
        key.serialize_pem().as_bytes(),
    )
    .expect("the front's identity");
    (authority.pem(), identity)
}
