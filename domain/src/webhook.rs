//! Webhooks for an organisation's integrators: the events a subscription may ask for,
//! what each event carries, the state of a delivery, which URLs a delivery may go to
//! (never into the portal's own network: SSRF) and what a delivery's signature covers
//! (the Standard Webhooks convention, <https://www.standardwebhooks.com>).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::backoff::Backoff;

/// Something that happened to an organisation that its integrators may be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// A citizen responded to one of the organisation's vacancies.
    #[serde(rename = "response.created")]
    ResponseCreated,
    /// A report the organisation sent was accepted.
    #[serde(rename = "report.accepted")]
    ReportAccepted,
    /// An appeal filed by one of the organisation's accounts changed its status.
    #[serde(rename = "appeal.status_changed")]
    AppealStatusChanged,
}

crate::coded_enum!(EventType {
    ResponseCreated => ("response.created", "Новый отклик на вакансию"),
    ReportAccepted => ("report.accepted", "Отчёт принят"),
    AppealStatusChanged => ("appeal.status_changed", "Изменился статус обращения"),
});

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet: the first attempt is due, or a retry after a failure.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed; no more are made.
    Dead,
}

crate::coded_enum!(DeliveryStatus {
    Pending => ("pending", "Ожидает доставки"),
    Delivered => ("delivered", "Доставлено"),
    Dead => ("dead", "Не доставлено"),
});

impl DeliveryStatus {
    /// The status of a delivery with these marks.
    pub fn of(delivered: bool, dead: bool) -> DeliveryStatus {
        match (delivered, dead) {
            (true, _) => DeliveryStatus::Delivered,
            (false, true) => DeliveryStatus::Dead,
            (false, false) => DeliveryStatus::Pending,
        }
    }
}

/// What each event tells (`data` of a delivery's body). Ids only where the receiver
/// can read the rest through the API with its own credentials: no personal data leaves
/// in a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EventData {
    ResponseCreated {
        response_id: String,
        vacancy_id: String,
        vacancy_title: String,
    },
    ReportAccepted {
        report_id: String,
        /// A `ReportKind` code.
        kind: String,
        appeal_id: String,
        appeal_number: String,
    },
    AppealStatusChanged {
        appeal_id: String,
        appeal_number: String,
        /// An `AppealType` code.
        appeal_type: String,
        /// `AppealStatus` codes.
        from: String,
        to: String,
    },
}

impl EventData {
    pub fn event_type(&self) -> EventType {
        match self {
            EventData::ResponseCreated { .. } => EventType::ResponseCreated,
            EventData::ReportAccepted { .. } => EventType::ReportAccepted,
            EventData::AppealStatusChanged { .. } => EventType::AppealStatusChanged,
        }
    }
}

/// How many webhook subscriptions one organisation keeps at most is
/// `quota::Holding::Webhooks`; how many attempts a delivery gets and how far apart:
/// the first retry after `first`, doubling, at most six hours apart, given up after the
/// tenth attempt (about eight and a half hours after the event with a one-minute start).
pub fn backoff(first: TimeDelta) -> Backoff {
    Backoff {
        first,
        cap: TimeDelta::hours(6),
        max_attempts: 10,
    }
}

/// What a delivery's signature covers: `{webhook-id}.{webhook-timestamp}.{body}`, the
/// id being the event's id, the timestamp the attempt's time in whole seconds since
/// the Unix epoch, and the body the exact bytes sent. The `webhook-signature` header is
/// `v1,` and the base64 of HMAC-SHA256 over this content, keyed with the subscription
/// secret's bytes (the base64 after `whsec_`).
pub fn signed_content(event_id: &str, timestamp: i64, body: &str) -> String {
    format!("{event_id}.{timestamp}.{body}")
}

/// The prefix of a subscription's secret (Standard Webhooks).
pub const SECRET_PREFIX: &str = "whsec_";

/// The longest URL a subscription takes.
pub const MAX_URL_LEN: usize = 2000;

/// A URL, as far as the rules below need it (the transport parses the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    pub scheme: &'a str,
    pub host: Host<'a>,
    /// Whether the URL carries a user name or a password.
    pub has_credentials: bool,
    pub length: usize,
}

/// The host part of a target URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host<'a> {
    Name(&'a str),
    Address(IpAddr),
    /// No host at all.
    Missing,
}

/// The kind of network an address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// Reachable on the Internet: a delivery may go there.
    Public,
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7.
    Private,
    /// 127/8, ::1.
    Loopback,
    /// 169.254/16 (cloud metadata services live there), fe80::/10.
    LinkLocal,
    /// 224/4, ff00::/8, and 255.255.255.255.
    Multicast,
    /// 0.0.0.0/8, ::.
    Unspecified,
    /// Documentation, benchmarking, reserved and other special-purpose ranges.
    Reserved,
}

/// Which network `address` is in. An IPv6 address that embeds an IPv4 one (mapped,
/// compatible, NAT64, 6to4) is judged by the embedded address.
pub fn classify(address: IpAddr) -> AddressClass {
    match address {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(a: Ipv4Addr) -> AddressClass {
    let [o0, o1, o2, _] = a.octets();
    if a.is_unspecified() || o0 == 0 {
        AddressClass::Unspecified
    } else if a.is_loopback() {
        AddressClass::Loopback
    } else if a.is_private() || (o0 == 100 && (64..128).contains(&o1)) {
        AddressClass::Private
    } else if a.is_link_local() {
        AddressClass::LinkLocal
    } else if a.is_multicast() || a.is_broadcast() {
        AddressClass::Multicast
    } else if o0 >= 240
        || (o0 == 192 && o1 == 0 && o2 == 0)
        || a.is_documentation()
        || (o0 == 198 && (18..20).contains(&o1))
    {
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

fn classify_v6(a: Ipv6Addr) -> AddressClass {
    let s = a.segments();
    if a.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if a.is_loopback() {
        return AddressClass::Loopback;
    }
    if let Some(v4) = a.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    // ::a.b.c.d (deprecated IPv4-compatible), 64:ff9b::/96 (NAT64), 2002::/16 (6to4).
    if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return classify_v4(embedded(s[1], s[2]));
    }
    match s[0] {
        x if x & 0xfe00 == 0xfc00 => AddressClass::Private,
        x if x & 0xffc0 == 0xfe80 => AddressClass::LinkLocal,
        x if x & 0xff00 == 0xff00 => AddressClass::Multicast,
        // Discard-only 100::/64, documentation 2001:db8::/32, and the rest of 2001::/23
        // (Teredo, benchmarking, ORCHID); site-local fec0::/10.
        0x0100 if s[1..4] == [0, 0, 0] => AddressClass::Reserved,
        0x2001 if s[1] == 0x0db8 || s[1] < 0x0200 => AddressClass::Reserved,
        x if x & 0xffc0 == 0xfec0 => AddressClass::Reserved,
        // Only 2000::/3 is given out as global unicast.
        x if x & 0xe000 != 0x2000 => AddressClass::Reserved,
        _ => AddressClass::Public,
    }
}

/// Why a URL may not receive deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    #[error("the URL is too long")]
    TooLong,
    #[error("only https URLs receive deliveries")]
    NotHttps,
    #[error("the URL has no host")]
    NoHost,
    #[error("the URL carries credentials")]
    Credentials,
    #[error("the host is not on the public Internet ({0:?})")]
    Address(AddressClass),
    #[error("the host name does not resolve")]
    Unresolved,
}

impl UrlRefusal {
    /// A stable code for the field error.
    pub fn code(self) -> &'static str {
        match self {
            UrlRefusal::TooLong => "too_long",
            UrlRefusal::NotHttps => "webhook_url_not_https",
            UrlRefusal::NoHost | UrlRefusal::Credentials => "webhook_url_invalid",
            UrlRefusal::Address(_) => "webhook_url_not_public",
            UrlRefusal::Unresolved => "webhook_url_unresolved",
        }
    }

    /// What a person reads, in Russian.
    pub fn message(self) -> &'static str {
        match self {
            UrlRefusal::TooLong => "Адрес длиннее 2000 символов",
            UrlRefusal::NotHttps => "Адрес должен начинаться с https://",
            UrlRefusal::NoHost => "В адресе нет имени сервера",
            UrlRefusal::Credentials => "Адрес не должен содержать имя пользователя или пароль",
            UrlRefusal::Address(_) => {
                "Адрес ведёт во внутреннюю сеть; укажите сервер, доступный из интернета"
            }
            UrlRefusal::Unresolved => "Имя сервера в адресе не найдено в DNS",
        }
    }
}

/// Whether deliveries may go to `target` (before its name is resolved). With
/// `allow_private` (a test setting only) http and any address are allowed.
pub fn check_target(target: &Target<'_>, allow_private: bool) -> Result<(), UrlRefusal> {
    if target.length > MAX_URL_LEN {
        return Err(UrlRefusal::TooLong);
    }
    let https = target.scheme.eq_ignore_ascii_case("https");
    let http = target.scheme.eq_ignore_ascii_case("http");
    if !(https || (allow_private && http)) {
        return Err(UrlRefusal::NotHttps);
    }
    if target.has_credentials {
        return Err(UrlRefusal::Credentials);
    }
    match target.host {
        Host::Missing => Err(UrlRefusal::NoHost),
        Host::Name(name) if name.trim_end_matches('.').is_empty() => Err(UrlRefusal::NoHost),
        Host::Name(_) => Ok(()),
        Host::Address(address) => check_address(address, allow_private),
    }
}

/// Whether a delivery may connect to `address` (every address a name resolves to is
/// checked, at subscription and again before each connection).
pub fn check_address(address: IpAddr, allow_private: bool) -> Result<(), UrlRefusal> {
    match classify(address) {
        AddressClass::Public => Ok(()),
        _ if allow_private => Ok(()),
        class => Err(UrlRefusal::Address(class)),
    }
}

/// Every address a name resolved to must be public: one private answer among public
/// ones is how a rebinding attack starts. No address at all is a refusal too.
pub fn check_resolved(addresses: &[IpAddr], allow_private: bool) -> Result<(), UrlRefusal> {
    if addresses.is_empty() {
        return Err(UrlRefusal::Unresolved);
    }
    addresses
        .iter()
        .try_for_each(|a| check_address(*a, allow_private))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    fn class(text: &str) -> AddressClass {
        classify(text.parse().unwrap())
    }

    #[test]
    fn addresses_fall_into_their_networks() {
        let cases = [
            ("93.184.216.34", AddressClass::Public),
            ("8.8.8.8", AddressClass::Public),
            ("2a00:1450:4010:c0e::64", AddressClass::Public),
            ("10.0.0.1", AddressClass::Private),
            ("172.16.5.4", AddressClass::Private),
            ("172.31.255.255", AddressClass::Private),
            ("192.168.1.1", AddressClass::Private),
            ("100.64.0.1", AddressClass::Private),
            ("fd12:3456::1", AddressClass::Private),
            ("127.0.0.1", AddressClass::Loopback),
            ("127.255.0.9", AddressClass::Loopback),
            ("::1", AddressClass::Loopback),
            ("169.254.169.254", AddressClass::LinkLocal),
            ("fe80::1", AddressClass::LinkLocal),
            ("224.0.0.1", AddressClass::Multicast),
            ("255.255.255.255", AddressClass::Multicast),
            ("ff02::1", AddressClass::Multicast),
            ("0.0.0.0", AddressClass::Unspecified),
            ("0.1.2.3", AddressClass::Unspecified),
            ("::", AddressClass::Unspecified),
            ("192.0.2.1", AddressClass::Reserved),
            ("198.18.0.1", AddressClass::Reserved),
            ("240.0.0.1", AddressClass::Reserved),
            ("2001:db8::1", AddressClass::Reserved),
            ("100::1", AddressClass::Reserved),
            ("fec0::1", AddressClass::Reserved),
            ("4000::1", AddressClass::Reserved),
        ];
        for (text, expected) in cases {
            assert_eq!(class(text), expected, "{text}");
        }
    }

    #[test]
    fn ipv6_forms_of_an_ipv4_address_are_judged_by_it() {
        assert_eq!(class("::ffff:127.0.0.1"), AddressClass::Loopback);
        assert_eq!(class("::ffff:10.1.2.3"), AddressClass::Private);
        assert_eq!(class("::ffff:93.184.216.34"), AddressClass::Public);
        assert_eq!(class("::169.254.169.254"), AddressClass::LinkLocal);
        assert_eq!(class("64:ff9b::a00:1"), AddressClass::Private);
        assert_eq!(class("2002:7f00:1::"), AddressClass::Loopback);
        assert_eq!(class("2002:5db8:d822::1"), AddressClass::Public);
    }

    fn target(scheme: &'static str, host: Host<'static>) -> Target<'static> {
        Target {
            scheme,
            host,
            has_credentials: false,
            length: 40,
        }
    }

    #[test]
    fn only_https_to_public_hosts_is_a_target() {
        let name = Host::Name("hooks.example.ru");
        assert_eq!(check_target(&target("https", name.clone()), false), Ok(()));
        assert_eq!(check_target(&target("HTTPS", name.clone()), false), Ok(()));
        let public = Host::Address("93.184.216.34".parse().unwrap());
        assert_eq!(check_target(&target("https", public), false), Ok(()));
        assert_eq!(
            check_target(&target("http", name.clone()), false),
            Err(UrlRefusal::NotHttps)
        );
        assert_eq!(
            check_target(&target("ftp", name.clone()), true),
            Err(UrlRefusal::NotHttps)
        );
        for (address, class) in [
            ("127.0.0.1", AddressClass::Loopback),
            ("10.0.0.1", AddressClass::Private),
            ("169.254.169.254", AddressClass::LinkLocal),
            ("::1", AddressClass::Loopback),
        ] {
            let host = Host::Address(address.parse().unwrap());
            assert_eq!(
                check_target(&target("https", host.clone()), false),
                Err(UrlRefusal::Address(class)),
                "{address}"
            );
            assert_eq!(check_target(&target("http", host), true), Ok(()));
        }
        assert_eq!(
            check_target(&target("https", Host::Missing), false),
            Err(UrlRefusal::NoHost)
        );
        assert_eq!(
            check_target(&target("https", Host::Name(".")), false),
            Err(UrlRefusal::NoHost)
        );
        let mut with_user = target("https", name.clone());
        with_user.has_credentials = true;
        assert_eq!(
            check_target(&with_user, false),
            Err(UrlRefusal::Credentials)
        );
        let mut long = target("https", name);
        long.length = MAX_URL_LEN + 1;
        assert_eq!(check_target(&long, false), Err(UrlRefusal::TooLong));
    }

    #[test]
    fn every_resolved_address_must_be_public() {
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(check_resolved(&[public], false), Ok(()));
        assert_eq!(
            check_resolved(&[public, loopback], false),
            Err(UrlRefusal::Address(AddressClass::Loopback))
        );
        assert_eq!(check_resolved(&[public, loopback], true), Ok(()));
        assert_eq!(check_resolved(&[], false), Err(UrlRefusal::Unresolved));
        assert_eq!(check_resolved(&[], true), Err(UrlRefusal::Unresolved));
    }

    #[test]
    fn every_refusal_has_a_code_and_a_russian_message() {
        for refusal in [
            UrlRefusal::TooLong,
            UrlRefusal::NotHttps,
            UrlRefusal::NoHost,
            UrlRefusal::Credentials,
            UrlRefusal::Address(AddressClass::Private),
            UrlRefusal::Unresolved,
        ] {
            assert!(!refusal.code().is_empty());
            assert!(refusal.message().chars().any(|c| ('а'..='я').contains(&c)));
        }
    }

    #[test]
    fn the_signature_covers_id_timestamp_and_body() {
        assert_eq!(
            signed_content(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            ),
            r#"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}"#
        );
    }

    #[test]
    fn deliveries_back_off_from_the_first_wait_up_to_six_hours() {
        let b = backoff(TimeDelta::minutes(1));
        assert_eq!(b.wait(1), TimeDelta::minutes(1));
        assert_eq!(b.wait(2), TimeDelta::minutes(2));
        assert_eq!(b.wait(9), TimeDelta::minutes(256));
        assert_eq!(b.wait(20), TimeDelta::hours(6));
        assert_eq!(b.max_attempts, 10);
    }

    #[test]
    fn a_delivery_is_pending_until_delivered_or_dead() {
        assert_eq!(DeliveryStatus::of(false, false), DeliveryStatus::Pending);
        assert_eq!(DeliveryStatus::of(true, false), DeliveryStatus::Delivered);
        assert_eq!(DeliveryStatus::of(false, true), DeliveryStatus::Dead);
        assert_eq!(
            EventType::from_code("report.accepted"),
            Some(EventType::ReportAccepted)
        );
    }

    #[test]
    fn event_data_names_its_type() {
        let data = EventData::ReportAccepted {
            report_id: "r".into(),
            kind: "vacancies".into(),
            appeal_id: "a".into(),
            appeal_number: "1".into(),
        };
        assert_eq!(data.event_type(), EventType::ReportAccepted);
    }
}
