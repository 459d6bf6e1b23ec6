//! Reference data served as dictionaries (SPEC §5): regions of the Russian Federation,
//! profession categories and professions (a subset of the all-Russian classifier of
//! occupations, ОКПДТР), and the towns the nearest-centre search can place.

/// One entry of a value list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub title: &'static str,
}

const fn e(code: &'static str, title: &'static str) -> Entry {
    Entry { code, title }
}

/// Subjects of the Russian Federation with their two-digit codes.
pub const REGIONS: &[Entry] = &[
    e("01", "Республика Адыгея"),
    e("02", "Республика Башкортостан"),
    e("03", "Республика Бурятия"),
    e("04", "Республика Алтай"),
    e("05", "Республика Дагестан"),
    e("06", "Республика Ингушетия"),
    e("07", "Кабардино-Балкарская Республика"),
    e("08", "Республика Калмыкия"),
    e("09", "Карачаево-Черкесская Республика"),
    e("10", "Республика Карелия"),
    e("11", "Республика Коми"),
    e("12", "Республика Марий Эл"),
    e("13", "Республика Мордовия"),
    e("14", "Республика Саха (Якутия)"),
    e("15", "Республика Северная Осетия — Алания"),
    e("16", "Республика Татарстан"),
    e("17", "Республика Тыва"),
    e("18", "Удмуртская Республика"),
    e("19", "Республика Хакасия"),
    e("20", "Чеченская Республика"),
    e("21", "Чувашская Республика"),
    e("22", "Алтайский край"),
    e("23", "Краснодарский край"),
    e("24", "Красноярский край"),
    e("25", "Приморский край"),
    e("26", "Ставропольский край"),
    e("27", "Хабаровский край"),
    e("28", "Амурская область"),
    e("29", "Архангельская область"),
    e("30", "Астраханская область"),
    e("31", "Белгородская область"),
    e("32", "Брянская область"),
    e("33", "Владимирская область"),
    e("34", "Волгоградская область"),
    e("35", "Вологодская область"),
    e("36", "Воронежская область"),
    e("37", "Ивановская область"),
    e("38", "Иркутская область"),
    e("39", "Калининградская область"),
    e("40", "Калужская область"),
    e("41", "Камчатский край"),
    e("42", "Кемеровская область — Кузбасс"),
    e("43", "Кировская область"),
    e("44", "Костромская область"),
    e("45", "Курганская область"),
    e("46", "Курская область"),
    e("47", "Ленинградская область"),
    e("48", "Липецкая область"),
    e("49", "Магаданская область"),
    e("50", "Московская область"),
    e("51", "Мурманская область"),
    e("52", "Нижегородская область"),
    e("53", "Новгородская область"),
    e("54", "Новосибирская область"),
    e("55", "Омская область"),
    e("56", "Оренбургская область"),
    e("57", "Орловская область"),
    e("58", "Пензенская область"),
    e("59", "Пермский край"),
    e("60", "Псковская область"),
    e("61", "Ростовская область"),
    e("62", "Рязанская область"),
    e("63", "Самарская область"),
    e("64", "Саратовская область"),
    e("65", "Сахалинская область"),
    e("66", "Свердловская область"),
    e("67", "Смоленская область"),
    e("68", "Тамбовская область"),
    e("69", "Тверская область"),
    e("70", "Томская область"),
    e("71", "Тульская область"),
    e("72", "Тюменская область"),
    e("73", "Ульяновская область"),
    e("74", "Челябинская область"),
    e("75", "Забайкальский край"),
    e("76", "Ярославская область"),
    e("77", "Москва"),
    e("78", "Санкт-Петербург"),
    e("79", "Еврейская автономная область"),
    e("83", "Ненецкий автономный округ"),
    e("86", "Ханты-Мансийский автономный округ — Югра"),
    e("87", "Чукотский автономный округ"),
    e("89", "Ямало-Ненецкий автономный округ"),
    e("91", "Республика Крым"),
    e("92", "Севастополь"),
];

/// Broad groups of professions used to filter vacancies and resumes.
pub const PROFESSION_CATEGORIES: &[Entry] = &[
    e("it", "Информационные технологии"),
    e("healthcare", "Здравоохранение"),
    e("education", "Образование"),
    e("construction", "Строительство"),
    e("manufacturing", "Производство"),
    e("transport", "Транспорт и логистика"),
    e("trade", "Торговля"),
    e("services", "Сфера услуг и общепит"),
    e("agriculture", "Сельское хозяйство"),
    e("finance", "Финансы и бухгалтерия"),
    e("office", "Административная работа"),
    e("utilities", "ЖКХ и энергетика"),
];

/// A profession of ОКПДТР with its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profession {
    pub code: &'static str,
    pub title: &'static str,
    pub category: &'static str,
}

const fn p(code: &'static str, title: &'static str, category: &'static str) -> Profession {
    Profession {
        code,
        title,
        category,
    }
}

/// Professions of ОКПДТР (codes of the classifier) that the demo data and forms use.
pub const PROFESSIONS: &[Profession] = &[
    p("11442", "Водитель автомобиля", "transport"),
    p("12759", "Кладовщик", "transport"),
    p("11309", "Грузчик", "transport"),
    p("16675", "Повар", "services"),
    p("16399", "Официант", "services"),
    p("11176", "Бармен", "services"),
    p("12901", "Кондитер", "services"),
    p(
        "19258",
        "Уборщик производственных и служебных помещений",
        "services",
    ),
    p("17353", "Продавец продовольственных товаров", "trade"),
    p("17351", "Продавец непродовольственных товаров", "trade"),
    p("12680", "Каменщик", "construction"),
    p("13450", "Маляр", "construction"),
    p("18874", "Столяр", "construction"),
    p("19756", "Электрогазосварщик", "manufacturing"),
    p("18559", "Слесарь-ремонтник", "manufacturing"),
    p("18511", "Слесарь по ремонту автомобилей", "transport"),
    p("19601", "Швея", "manufacturing"),
    p(
        "19861",
        "Электромонтер по ремонту и обслуживанию электрооборудования",
        "utilities",
    ),
    p(
        "16199",
        "Оператор электронно-вычислительных и вычислительных машин",
        "it",
    ),
    p("22824", "Инженер-программист", "it"),
    p("22446", "Инженер", "manufacturing"),
    p("20336", "Бухгалтер", "finance"),
    p("24075", "Менеджер", "office"),
    p("20436", "Воспитатель", "education"),
    p("24038", "Медицинская сестра", "healthcare"),
    p("15832", "Оператор машинного доения", "agriculture"),
    p("19203", "Тракторист", "agriculture"),
];

/// A town the nearest-centre search recognises in an address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Town {
    pub name: &'static str,
    pub region_code: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

const fn t(name: &'static str, region_code: &'static str, latitude: f64, longitude: f64) -> Town {
    Town {
        name,
        region_code,
        latitude,
        longitude,
    }
}

/// Regional capitals and large towns, for placing an address without a geocoder.
pub const TOWNS: &[Town] = &[
    t("Москва", "77", 55.7558, 37.6173),
    t("Санкт-Петербург", "78", 59.9386, 30.3141),
    t("Зеленоград", "77", 55.9825, 37.1814),
    t("Подольск", "50", 55.4242, 37.5547),
    t("Химки", "50", 55.8970, 37.4297),
    t("Балашиха", "50", 55.7963, 37.9382),
    t("Казань", "16", 55.7963, 49.1088),
    t("Екатеринбург", "66", 56.8389, 60.6057),
    t("Новосибирск", "54", 55.0302, 82.9204),
    t("Нижний Новгород", "52", 56.3269, 44.0059),
    t("Самара", "63", 53.1959, 50.1002),
    t("Ростов-на-Дону", "61", 47.2357, 39.7015),
    t("Краснодар", "23", 45.0355, 38.9753),
    t("Воронеж", "36", 51.6615, 39.2003),
    t("Пермь", "59", 58.0105, 56.2502),
    t("Уфа", "02", 54.7388, 55.9721),
    t("Челябинск", "74", 55.1644, 61.4368),
    t("Омск", "55", 54.9885, 73.3242),
    t("Красноярск", "24", 56.0153, 92.8932),
    t("Владивосток", "25", 43.1155, 131.8855),
    t("Тула", "71", 54.1961, 37.6182),
    t("Ярославль", "76", 57.6261, 39.8845),
];

/// Distance in kilometres between two points on the Earth (haversine).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// Places an address by the town it names; the longest matching name wins, so that
/// «Нижний Новгород» is not read as «Новгород».
pub fn locate(address: &str) -> Option<&'static Town> {
    let lowered = address.to_lowercase();
    TOWNS
        .iter()
        .filter(|town| lowered.contains(&town.name.to_lowercase()))
        .max_by_key(|town| town.name.chars().count())
}

/// The region of that code, if the list has it.
pub fn region(code: &str) -> Option<&'static Entry> {
    REGIONS.iter().find(|r| r.code == code)
}

pub fn region_title(code: &str) -> Option<&'static str> {
    region(code).map(|r| r.title)
}

pub fn profession(code: &str) -> Option<&'static Profession> {
    PROFESSIONS.iter().find(|p| p.code == code)
}

pub fn is_category(code: &str) -> bool {
    PROFESSION_CATEGORIES.iter().any(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique<'a>(codes: impl Iterator<Item = &'a str>) -> bool {
        let mut v: Vec<_> = codes.collect();
        let n = v.len();
        v.sort();
        v.dedup();
        v.len() == n
    }

    #[test]
    fn codes_are_unique_and_references_resolve() {
        assert!(unique(REGIONS.iter().map(|r| r.code)));
        assert!(unique(PROFESSION_CATEGORIES.iter().map(|r| r.code)));
        assert!(unique(PROFESSIONS.iter().map(|r| r.code)));
        assert!(REGIONS.iter().all(|r| r.code.len() == 2));
        assert!(PROFESSIONS
            .iter()
            .all(|p| is_category(p.category) && p.code.len() == 5));
        assert!(TOWNS.iter().all(|t| region_title(t.region_code).is_some()));
        assert_eq!(region_title("77"), Some("Москва"));
        assert_eq!(profession("16675").map(|p| p.title), Some("Повар"));
    }

    #[test]
    fn distances() {
        let moscow = (55.7558, 37.6173);
        let petersburg = (59.9386, 30.3141);
        let d = distance_km(moscow, petersburg);
        assert!((630.0..640.0).contains(&d), "{d}");
        assert!(distance_km(moscow, moscow).abs() < 1e-9);
    }

    #[test]
    fn addresses_are_placed_by_town() {
        assert_eq!(
            locate("г. Москва, ул. Тверская, д. 7").map(|t| t.region_code),
            Some("77")
        );
        assert_eq!(
            locate("603000, г. НИЖНИЙ НОВГОРОД, ул. Минина").map(|t| t.name),
            Some("Нижний Новгород")
        );
        assert_eq!(locate("с. Малые Вязёмы"), None);
    }
}
