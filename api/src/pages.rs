//! Rendered pages of the public vacancy search, kept for a few seconds.
//!
//! The bank is public and the same searches (a region's vacancies by salary, a common
//! profession) come from many visitors at once; the page is the same for each of them.
//! Serving it from memory spares the database walk and the rendering, which `perf` put
//! at four fifths of such a request. A page's key starts with the totals' key
//! ([`crate::totals::SearchTotals::key`]), so a publication through this process
//! retires every page at once; a publication elsewhere shows within the lifetime, as a
//! proxy cache in front of the server would behave.

use std::future::Future;
use std::time::Duration;

use actix_web::web::Bytes;
use moka::future::Cache;

use crate::problem::ApiError;
use crate::totals::unshared;

/// Pages remembered at once; the least used go first. At ~20 KiB a page of 20
/// vacancies, at most ~40 MiB.
const CAPACITY: u64 = 2_000;

pub struct SearchPages {
    /// None when remembering is off (a lifetime of 0).
    cache: Option<Cache<String, Bytes>>,
}

impl SearchPages {
    pub fn new(ttl: Duration) -> Self {
        SearchPages {
            cache: (!ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(ttl)
                    .build()
            }),
        }
    }

    /// The remembered page, or the one `render` makes. Requests that miss together
    /// wait for a single rendering; a failure is not remembered.
    pub async fn get_or_render(
        &self,
        key: String,
        render: impl Future<Output = Result<Bytes, ApiError>>,
    ) -> Result<Bytes, ApiError> {
        match &self.cache {
            None => render.await,
            Some(cache) => cache.try_get_with(key, render).await.map_err(unshared),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[actix_web::test]
    async fn a_page_is_rendered_once_and_failures_are_not_remembered() {
        let pages = SearchPages::new(Duration::from_secs(60));
        let rendered = AtomicU32::new(0);
        let render = || async {
            let n = rendered.fetch_add(1, Ordering::SeqCst);
            Ok(Bytes::from(format!("page {n}")))
        };
        assert_eq!(
            pages.get_or_render("k".into(), render()).await.unwrap(),
            "page 0"
        );
        assert_eq!(
            pages.get_or_render("k".into(), render()).await.unwrap(),
            "page 0"
        );
        assert_eq!(
            pages.get_or_render("j".into(), render()).await.unwrap(),
            "page 1"
        );

        let down = async { Err(ApiError::Unavailable("down".into())) };
        assert!(matches!(
            pages.get_or_render("x".into(), down).await,
            Err(ApiError::Unavailable(_))
        ));
        assert_eq!(
            pages.get_or_render("x".into(), render()).await.unwrap(),
            "page 2"
        );
    }

    #[actix_web::test]
    async fn a_lifetime_of_zero_renders_every_time() {
        let pages = SearchPages::new(Duration::ZERO);
        let rendered = AtomicU32::new(0);
        let render = || async {
            let n = rendered.fetch_add(1, Ordering::SeqCst);
            Ok(Bytes::from(format!("page {n}")))
        };
        assert_eq!(
            pages.get_or_render("k".into(), render()).await.unwrap(),
            "page 0"
        );
        assert_eq!(
            pages.get_or_render("k".into(), render()).await.unwrap(),
            "page 1"
        );
    }
}
