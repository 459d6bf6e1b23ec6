//! Password hashing with Argon2id (the `argon2` crate's defaults, OWASP's minimum).
//! Hashing is slow on purpose: callers run it on the blocking pool, never on an
//! async worker.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Argon2 takes 19 MiB and tens of milliseconds per call. More calls at once than
/// cores only queue on the CPU while holding that memory, so callers on request paths
/// take a permit first (`hashing_permit`).
pub async fn hashing_permit() -> Option<tokio::sync::SemaphorePermit<'static>> {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    PERMITS
        .get_or_init(|| tokio::sync::Semaphore::new(cores))
        .acquire()
        .await
        .ok()
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
