//! The OpenID Connect client for Госуслуги (ESIA), on the `openidconnect` crate:
//! discovery and the provider's keys (JWKS) are fetched for each operation, so a key
//! rotation at the provider needs no restart; the ID token's signature, `iss`, `aud`,
//! `exp` and `nonce` are checked by the crate's verifier; the code is exchanged with
//! the PKCE verifier (S256) stored with the `state`.

use std::time::Duration;

use domain::esia::RawClaims;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};

use crate::config::EsiaSettings;

/// What ESIA adds to the standard claims.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EsiaClaims {
    /// «123-456-789 64».
    #[serde(default)]
    pub snils: Option<String>,
    /// The organisation the person signed in for.
    #[serde(default)]
    pub organization: Option<OrganizationClaim>,
}

impl AdditionalClaims for EsiaClaims {}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OrganizationClaim {
    pub ogrn: String,
    #[serde(default)]
    pub inn: Option<String>,
    pub name: String,
    #[serde(default)]
    pub role: String,
}

type EsiaTokenResponse = StandardTokenResponse<
    IdTokenFields<
        EsiaClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type EsiaClient = Client<
    EsiaClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    EsiaTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the portal asks ESIA for: the person's name, birth date, contacts, SNILS and,
/// for an employer, the organisation.
const SCOPES: [&str; 5] = ["profile", "email", "phone", "snils", "organization"];

/// How long a started sign-in may take.
pub const STATE_TTL_MINUTES: i64 = 10;

/// Why the provider could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EsiaFailure {
    /// The provider did not answer, or answered nonsense: try later.
    #[error("the provider is unreachable: {0}")]
    Unreachable(String),
    /// The provider refused the code (used, expired, or not ours).
    #[error("the provider refused the code: {0}")]
    CodeRefused(String),
    /// The ID token failed a check (signature, issuer, audience, expiry, nonce).
    #[error("the ID token is not valid: {0}")]
    InvalidToken(String),
}

/// A started sign-in: the URL to send the person to, and what to remember.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The configured provider.
pub struct Esia {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
}

impl Esia {
    /// The provider of the settings; `None` when ESIA is not configured (all four
    /// values are needed); an error for a malformed URL.
    pub fn from_settings(s: &EsiaSettings) -> Result<Option<Esia>, String> {
        let (Some(issuer), Some(id), Some(secret), Some(redirect)) = (
            &s.esia_issuer,
            &s.esia_client_id,
            &s.esia_client_secret,
            &s.esia_redirect_uri,
        ) else {
            return Ok(None);
        };
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would open the client to SSRF.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("ESIA HTTP client: {e}"))?;
        Ok(Some(Esia {
            issuer: IssuerUrl::new(issuer.clone())
                .map_err(|e| format!("PORTAL_ESIA_ISSUER: {e}"))?,
            client_id: ClientId::new(id.clone()),
            client_secret: ClientSecret::new(secret.clone()),
            redirect: RedirectUrl::new(redirect.clone())
                .map_err(|e| format!("PORTAL_ESIA_REDIRECT_URI: {e}"))?,
            http,
        }))
    }

    async fn client(&self) -> Result<EsiaClient, EsiaFailure> {
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| EsiaFailure::Unreachable(chain(&e)))?;
        Ok(EsiaClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone()))
    }

    /// The authorization URL with a fresh `state`, `nonce` and PKCE challenge.
    pub async fn start(&self) -> Result<Started, EsiaFailure> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code and returns the claims of the verified ID token.
    pub async fn finish(
        &self,
        code: String,
        nonce: String,
        pkce_verifier: String,
    ) -> Result<RawClaims, EsiaFailure> {
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| EsiaFailure::Unreachable(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => {
                    EsiaFailure::CodeRefused(r.error().to_string())
                }
                other => EsiaFailure::Unreachable(chain(&other)),
            })?;
        let id_token = response
            .id_token()
            .ok_or_else(|| EsiaFailure::InvalidToken("no ID token in the answer".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce))
            .map_err(|e| EsiaFailure::InvalidToken(chain(&e)))?;
        let extra = claims.additional_claims();
        let text = |v: Option<&str>| v.map(str::to_owned);
        Ok(RawClaims {
            subject: claims.subject().as_str().to_owned(),
            snils: extra.snils.clone(),
            family_name: text(
                claims
                    .family_name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str()),
            ),
            given_name: text(
                claims
                    .given_name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str()),
            ),
            middle_name: text(
                claims
                    .middle_name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str()),
            ),
            birthdate: text(claims.birthdate().map(|b| b.as_str())),
            email: text(claims.email().map(|e| e.as_str())),
            phone: text(claims.phone_number().map(|p| p.as_str())),
            organization: extra
                .organization
                .clone()
                .map(|o| (o.ogrn, o.inn, o.name, o.role)),
        })
    }
}

/// An error with its causes, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
