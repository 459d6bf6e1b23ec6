//! Password hashing with Argon2id (the `argon2` crate's defaults, OWASP's minimum).
//! Hashing is slow on purpose: callers run it on the blocking pool, never on an
//! async worker.

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Which queue a password job waits in. Sign-ins have threads of their own; new
/// passwords (registrations, resets, changes) share one more thread, so a flood of
/// registrations slows other registrations and never the people signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    SignIn,
    NewPassword,
}

/// Why password work did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashingError {
    /// The lane's queue is full: the caller answers 503 with `Retry-After`.
    Busy,
    /// The threads are gone (the process is stopping).
    Gone,
}

impl From<HashingError> for crate::problem::ApiError {
    fn from(e: HashingError) -> Self {
        match e {
            HashingError::Busy => crate::problem::ApiError::Busy { retry_after: 2 },
            HashingError::Gone => {
                crate::problem::ApiError::Internal("the hashing threads are gone".into())
            }
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads behind a bounded queue.
struct Pool {
    queue: std::sync::mpsc::SyncSender<Job>,
}

impl Pool {
    fn start(name: &str, threads: usize, capacity: usize) -> Pool {
        let (queue, rx) = std::sync::mpsc::sync_channel::<Job>(capacity);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for n in 0..threads {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("portal-{name}-{n}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
        }
        Pool { queue }
    }
}

/// The password threads of one server: its sign-in lane and its new-password lane.
pub struct Hashing {
    sign_in: Pool,
    new_password: Pool,
}

impl Hashing {
    /// One sign-in thread per core, with room for every connection of a busy balancer
    /// to wait a second or two; one new-password thread with a short queue.
    pub fn start() -> Hashing {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hashing {
            sign_in: Pool::start("sign-in", cores, 64 * cores),
            new_password: Pool::start("new-password", 1, 16),
        }
    }

    /// Runs password work on the lane's own threads. Argon2 takes 19 MiB and tens of
    /// milliseconds a call by design: more calls at once than cores only queue on the
    /// CPU, and on the general blocking pool every one of its threads would keep its
    /// own allocator arena full of those buffers, so the process's memory would grow
    /// with the pool. A full queue refuses at once rather than letting requests wait
    /// without end.
    pub async fn run<T: Send + 'static>(
        &self,
        lane: Lane,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let pool = match lane {
            Lane::SignIn => &self.sign_in,
            Lane::NewPassword => &self.new_password,
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        pool.queue.try_send(job).map_err(|e| match e {
            std::sync::mpsc::TrySendError::Full(_) => HashingError::Busy,
            std::sync::mpsc::TrySendError::Disconnected(_) => HashingError::Gone,
        })?;
        result.await.map_err(|_| HashingError::Gone)
    }
}

thread_local! {
    /// Argon2's working memory (19 MiB with the default parameters), kept by each
    /// thread that hashes and reused by its next hash. Allocated afresh per hash, the
    /// buffers stayed in the allocator's per-thread arenas anyway: 2 000 sign-ins grew
    /// the process by 180 MiB (bench/RESULTS.md). Kept, they cost one buffer per
    /// hashing thread and no page faults.
    static WORKING_MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// What `password` hashes to with these settings and salt, in this thread's working
/// memory: the crate's own hashing, which allocates its memory each time.
fn derive(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &str,
    salt: Salt<'_>,
) -> argon2::password_hash::Result<Output> {
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let length = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    WORKING_MEMORY.with_borrow_mut(|memory| {
        memory.resize(blocks, Block::default());
        Output::init_with(length, |out| {
            Ok(argon.hash_password_into_with_memory(
                password.as_bytes(),
                salt_bytes,
                out,
                &mut memory[..],
            )?)
        })
    })
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let output = derive(
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        password,
        salt.as_salt(),
    )?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Checks a password against a stored hash. With no hash (an unknown login, or an
/// account that only signs in through ESIA) it still spends the time of one check, so
/// that response times do not tell which logins exist.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let candidate = stored.unwrap_or_else(|| dummy_hash());
    matches(password, candidate).unwrap_or(false) && stored.is_some()
}

/// Whether `password` hashes to the PHC string `stored`, with the settings it names;
/// the outputs are compared in constant time.
fn matches(password: &str, stored: &str) -> argon2::password_hash::Result<bool> {
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(&parsed)?;
    Ok(derive(algorithm, version, params, password, salt)? == expected)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("dummy-password-never-matches").unwrap_or_default())
}

/// A readable random password for accounts staff create on a citizen's behalf; it
/// satisfies the policy (upper, lower, digit, length 12).
pub fn generate() -> String {
    use rand::seq::SliceRandom;
    use rand::Rng;
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    let mut rng = rand::thread_rng();
    let mut chars: Vec<u8> = (0..9)
        .map(|i| {
            let set = [UPPER, LOWER, DIGIT][i % 3];
            set[rng.gen_range(0..set.len())]
        })
        .collect();
    chars.extend([
        b'-',
        b'A' + rng.gen_range(0..26),
        b'2' + rng.gen_range(0..8),
    ]);
    chars.shuffle(&mut rng);
    String::from_utf8(chars).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_agree_with_the_crates_own_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"Correct-horse-1", &salt)
            .unwrap()
            .to_string();
        assert!(verify("Correct-horse-1", Some(&theirs)), "stored before");
        assert!(!verify("Correct-horse-2", Some(&theirs)));
        let ours = hash("Correct-horse-1").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"Correct-horse-1", &parsed)
            .is_ok());
        // Another thread's first hash, then a second on this one: memory reused.
        let other = std::thread::spawn(|| hash("Other-horse-3").unwrap())
            .join()
            .unwrap();
        assert!(verify("Other-horse-3", Some(&other)));
        assert!(!verify("Other-horse-3", Some(&ours)));
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("Correct-horse-1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Correct-horse-1", Some(&h)));
        assert!(!verify("correct-horse-1", Some(&h)));
        assert!(!verify("Correct-horse-1", None));
        assert!(!verify("x", Some("not a hash")));
    }

    #[test]
    fn generated_passwords_meet_the_policy() {
        for _ in 0..50 {
            let p = generate();
            assert!(domain::password::Password::parse(&p).is_ok(), "{p}");
        }
    }
}
