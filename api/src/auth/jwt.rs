//! Short-lived access tokens: HS256 JWTs naming the user, the session and the role.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Issuer and audience claims: a token minted for another service is refused.
const ISSUER: &str = "employment-portal";
const AUDIENCE: &str = "employment-portal-api";

/// The header's `typ` of an access token (RFC 9068): a token of another kind signed
/// with the same key is not taken for one.
const ACCESS_TYP: &str = "at+jwt";

/// Seconds of clock skew tolerated on `exp`.
const LEEWAY: i64 = 5;

/// Verified tokens remembered at once; the least used go first.
const VERIFIED_CAPACITY: u64 = 100_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: String,
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// The signing keys, built once from the configured secret.
#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Tokens whose signature and claims passed a moment ago, by their whole text. A
    /// token serves many requests in its life, and checking it (an HMAC, the claims
    /// parsed twice) is a visible part of a cheap read's work. Only the expiry is
    /// checked again.
    verified: moka::sync::Cache<String, Arc<Claims>>,
    pub access_ttl_seconds: i64,
}

impl Keys {
    pub fn new(secret: &[u8], access_ttl_seconds: i64) -> Keys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = LEEWAY.unsigned_abs();
        let lifetime = u64::try_from(access_ttl_seconds.saturating_add(LEEWAY)).unwrap_or(1);
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            verified: moka::sync::Cache::builder()
                .max_capacity(VERIFIED_CAPACITY)
                .time_to_live(Duration::from_secs(lifetime.max(1)))
                .build(),
            access_ttl_seconds,
        }
    }

    pub fn issue(
        &self,
        user_id: &str,
        session_id: &str,
        role: &str,
        now: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user_id.to_owned(),
            sid: session_id.to_owned(),
            role: role.to_owned(),
            iat: now,
            exp: now + self.access_ttl_seconds,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        let header = Header {
            typ: Some(ACCESS_TYP.to_owned()),
            ..Header::new(Algorithm::HS256)
        };
        encode(&header, &claims, &self.encoding)
    }

    /// The token's claims if it is ours, unaltered and unexpired.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        self.verify_at(token, chrono::Utc::now().timestamp())
    }

    fn verify_at(&self, token: &str, now: i64) -> Result<Claims, Error> {
        let claims = match self.verified.get(token) {
            Some(claims) => claims,
            None => {
                let data = decode::<Claims>(token, &self.decoding, &self.validation)?;
                if data.header.typ.as_deref() != Some(ACCESS_TYP) {
                    return Err(ErrorKind::InvalidToken.into());
                }
                let claims = Arc::new(data.claims);
                self.verified.insert(token.to_owned(), claims.clone());
                claims
            }
        };
        // What `decode` checked of the expiry, for a token checked earlier.
        if claims.exp < now - LEEWAY {
            return Err(ErrorKind::ExpiredSignature.into());
        }
        Ok(Claims::clone(&claims))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef", 60);
        let now = chrono::Utc::now().timestamp();
        let token = keys.issue("u1", "s1", "citizen", now).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("u1", "s1"));
        let other = Keys::new(b"another-secret-another-secret-xx", 60);
        assert!(other.verify(&token).is_err());
        let plain_jwt = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        assert!(
            keys.verify(&plain_jwt).is_err(),
            "signed with our key, but not typed as an access token"
        );
        let expired = keys.issue("u1", "s1", "citizen", now - 3600).unwrap();
        assert!(keys.verify(&expired).is_err());
    }

    #[test]
    fn a_remembered_token_still_expires_and_an_altered_one_is_not_remembered() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef", 60);
        let now = chrono::Utc::now().timestamp();
        // Expires in two seconds.
        let token = keys.issue("u1", "s1", "citizen", now - 58).unwrap();
        assert_eq!(keys.verify_at(&token, now).unwrap().sub, "u1");
        assert_eq!(keys.verify_at(&token, now + 2 + LEEWAY).unwrap().sub, "u1");
        assert!(matches!(
            keys.verify_at(&token, now + 3 + LEEWAY)
                .map_err(|e| e.into_kind()),
            Err(ErrorKind::ExpiredSignature)
        ));

        let (body, signature) = token.rsplit_once('.').unwrap();
        let flipped = if signature.starts_with('A') { 'B' } else { 'A' };
        let altered = format!("{body}.{flipped}{}", &signature[1..]);
        assert!(keys.verify_at(&altered, now).is_err());
    }
}
