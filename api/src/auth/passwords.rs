//! Password hashing with Argon2id (the `argon2` crate's defaults, OWASP's minimum).
//! Hashing is slow on purpose: callers run it on the blocking pool, never on an
//! async worker.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Runs password work on a few threads of its own (one per core). Argon2 takes 19 MiB
/// and tens of milliseconds a call by design: more calls at once than cores only queue
/// on the CPU, and on the general blocking pool every one of its threads would keep its
/// own allocator arena full of those buffers, so the process's memory would grow with
/// the pool.
pub async fn on_hashing_threads<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    type Job = Box<dyn FnOnce() + Send>;
    static QUEUE: OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("portal-hash-{n}"))
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
        std::sync::Mutex::new(tx)
    });
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    queue.lock().ok()?.send(job).ok()?;
    result.await.ok()
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash. With no hash (an unknown login, or an
/// account that only signs in through ESIA) it still spends the time of one check, so
/// that response times do not tell which logins exist.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let candidate = stored.unwrap_or_else(|| dummy_hash());
    let Ok(parsed) = PasswordHash::new(candidate) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && stored.is_some()
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
