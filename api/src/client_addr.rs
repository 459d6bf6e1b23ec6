//! A request's client address, as the throttles count it and the journal records it.
//!
//! Behind a balancer every request's peer is the balancer, so the peer alone would
//! make all clients one. A proxy listed in `PORTAL_TRUSTED_PROXIES` appends the
//! address it got the request from to `X-Forwarded-For`; whatever stands to the left
//! of that came from the client and proves nothing. So the client is the right-most
//! address in the header that is not itself a trusted proxy, and the header is read
//! only when the peer is a trusted proxy: anyone else could write any address there
//! and dodge a budget per address.

use std::net::{IpAddr, SocketAddr};

use actix_web::{web, HttpRequest};

use crate::config::TrustedProxies;

/// The request's client address: the peer's, unless the peer is a trusted proxy (see
/// the module's doc). `None` when the peer is unknown (not a TCP connection).
pub fn of(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip().to_canonical();
    match req.app_data::<web::Data<TrustedProxies>>() {
        Some(trusted) if trusted.contains(&peer) => {
            let forwarded = req
                .headers()
                .get_all("x-forwarded-for")
                .map(|value| value.to_str().ok())
                .collect::<Option<Vec<_>>>();
            Some(
                forwarded
                    .and_then(|values| behind(trusted, &values))
                    .unwrap_or(peer),
            )
        }
        _ => Some(peer),
    }
}

/// The right-most address of the `X-Forwarded-For` values that is not a trusted
/// proxy; if all are trusted, the left-most. `None` when the header is absent, or an
/// item read before the answer is not an address.
fn behind(trusted: &TrustedProxies, values: &[&str]) -> Option<IpAddr> {
    let mut last = None;
    for item in values.iter().rev().flat_map(|v| v.rsplit(',')) {
        let address = address(item.trim())?;
        if !trusted.contains(&address) {
            return Some(address);
        }
        last = Some(address);
    }
    last
}

/// An item of `X-Forwarded-For`: an address, or one with a port as some proxies write.
fn address(item: &str) -> Option<IpAddr> {
    item.parse::<IpAddr>()
        .or_else(|_| item.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let trusted: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        assert_eq!(behind(&trusted, &["203.0.113.7"]), Some(ip("203.0.113.7")));
        assert_eq!(
            behind(&trusted, &["198.51.100.1, 203.0.113.7, 10.0.0.2"]),
            Some(ip("203.0.113.7"))
        );
        // Two header lines read as one list, in order.
        assert_eq!(
            behind(&trusted, &["198.51.100.1", "203.0.113.7,10.0.0.2"]),
            Some(ip("203.0.113.7"))
        );
        // Whatever the client wrote to the left is not read.
        assert_eq!(
            behind(&trusted, &["not an address, 203.0.113.7"]),
            Some(ip("203.0.113.7"))
        );
        assert_eq!(
            behind(&trusted, &["[2001:db8::1]:443"]),
            Some(ip("2001:db8::1"))
        );
        assert_eq!(
            behind(&trusted, &["203.0.113.7:5555"]),
            Some(ip("203.0.113.7"))
        );
        // All trusted: the furthest one known.
        assert_eq!(
            behind(&trusted, &["10.0.0.9, 10.0.0.2"]),
            Some(ip("10.0.0.9"))
        );
    }

    #[test]
    fn a_malformed_header_gives_no_address() {
        let trusted: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        assert_eq!(behind(&trusted, &[]), None);
        assert_eq!(behind(&trusted, &["garbage"]), None);
        assert_eq!(behind(&trusted, &[""]), None);
        assert_eq!(behind(&trusted, &["203.0.113.7, garbage"]), None);
        assert_eq!(behind(&trusted, &["203.0.113.7,,10.0.0.2"]), None);
    }
}
