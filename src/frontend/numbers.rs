//! Number words: cardinals, ordinals, digit strings, decimals and year-style
//! readings. Inputs are ASCII digit strings (any length), so no number ever
//! loses digits to an integer overflow; the group names go up to decillion
//! and anything longer is read digit by digit.

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const GROUPS: [&str; 12] = [
    "",
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
    "sextillion",
    "septillion",
    "octillion",
    "nonillion",
    "decillion",
];

/// Whether "and" is said inside a number ("one hundred and twenty three").
/// Following the British/NeMo convention hark says it only in the last
/// three digits: after "hundred", or after "thousand" when no hundreds follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum And {
    Yes,
    No,
}

fn digit(c: u8) -> &'static str {
    ONES[(c - b'0') as usize]
}

/// Words for 0..=99.
pub fn below_hundred(n: usize) -> String {
    if n < 20 {
        ONES[n].to_string()
    } else if n % 10 == 0 {
        TENS[n / 10].to_string()
    } else {
        format!("{} {}", TENS[n / 10], ONES[n % 10])
    }
}

fn below_thousand(n: usize, and: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    match (h, r) {
        (0, r) => below_hundred(r),
        (h, 0) => format!("{} hundred", ONES[h]),
        (h, r) if and => format!("{} hundred and {}", ONES[h], below_hundred(r)),
        (h, r) => format!("{} hundred {}", ONES[h], below_hundred(r)),
    }
}

/// Every character is an ASCII digit (and there is at least one).
pub fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A four-digit number from 1000 to 2099, read as a year when alone.
pub fn is_year_like(s: &str) -> bool {
    s.len() == 4 && ("1000".."2100").contains(&s)
}

/// A round number inside a code, read as a number: "2000", "60", not "0600".
pub fn is_round(s: &str) -> bool {
    (2..=4).contains(&s.len()) && !s.starts_with('0') && s[1..].bytes().all(|b| b == b'0')
}

/// Digit by digit: "004" → "zero zero four".
pub fn digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 5);
    for b in s.bytes().filter(u8::is_ascii_digit) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(digit(b));
    }
    out
}

/// A cardinal for a digit string (leading zeros ignored): "123000" → "one
/// hundred twenty three thousand". Longer than the named groups: digits.
pub fn cardinal(s: &str, and: And) -> String {
    let s = s.trim_start_matches('0');
    if s.is_empty() {
        return "zero".into();
    }
    if s.len() > GROUPS.len() * 3 {
        return digits(s);
    }
    let bytes = s.as_bytes();
    let mut groups: Vec<usize> = Vec::new();
    let mut end = bytes.len();
    while end > 0 {
        let start = end.saturating_sub(3);
        groups.push(s[start..end].parse().unwrap_or(0));
        end = start;
    }
    let mut words: Vec<String> = Vec::new();
    for (i, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            continue;
        }
        let last = i == 0;
        if last && and == And::Yes && g < 100 && groups.get(1).is_some_and(|&t| t > 0) {
            words.push("and".into());
        }
        words.push(below_thousand(g, last && and == And::Yes));
        if !GROUPS[i].is_empty() {
            words.push(GROUPS[i].into());
        }
    }
    words.join(" ")
}

/// The ordinal of a cardinal's last word: "twenty three" → "twenty third".
pub fn ordinalize(words: &str) -> String {
    let (head, last) = match words.rfind(' ') {
        Some(i) => (&words[..=i], &words[i + 1..]),
        None => ("", words),
    };
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

/// "121" → "one hundred twenty first".
pub fn ordinal(s: &str) -> String {
    ordinalize(&cardinal(s, And::No))
}

/// The plural of a number's last word, for decades and fractions:
/// "nineteen eighty" → "nineteen eighties", "six" → "sixes".
pub fn pluralize(words: &str) -> String {
    if let Some(stem) = words.strip_suffix('y') {
        format!("{stem}ies")
    } else if words.ends_with('x') || words.ends_with("ch") {
        format!("{words}es")
    } else {
        format!("{words}s")
    }
}

/// A year or year-like number, said in pairs: "1991" → "nineteen ninety
/// one", "2023" → "twenty twenty three", "1506" → "fifteen oh six", "2006" →
/// "two thousand six", "1900" → "nineteen hundred", "340" → "three forty".
pub fn year(s: &str) -> String {
    let s = s.trim_start_matches('0');
    let Ok(n) = s.parse::<u32>() else {
        return cardinal(s, And::No);
    };
    match n {
        0..=999 if n < 100 || n % 100 == 0 => cardinal(s, And::No),
        100..=999 => {
            let r = n % 100;
            let tail = if r < 10 {
                format!("oh {}", ONES[r as usize])
            } else {
                below_hundred(r as usize)
            };
            format!("{} {tail}", ONES[(n / 100) as usize])
        }
        1000..=9999 => {
            let (hi, lo) = ((n / 100) as usize, (n % 100) as usize);
            if n % 1000 < 10 && (n / 1000 == 1 || n / 1000 == 2) || n % 1000 == 0 {
                // 1000–1009, 2000–2009, 3000, …: "two thousand six".
                cardinal(s, And::No)
            } else if lo == 0 {
                format!("{} hundred", below_hundred(hi))
            } else if lo < 10 {
                format!("{} oh {}", below_hundred(hi), ONES[lo])
            } else {
                format!("{} {}", below_hundred(hi), below_hundred(lo))
            }
        }
        _ => cardinal(s, And::No),
    }
}

/// A decimal: integer part as a cardinal (empty for ".5"), then "point" and
/// the fractional digits one by one.
pub fn decimal(int: &str, frac: &str, and: And) -> String {
    let mut out = String::new();
    if !int.is_empty() {
        out.push_str(&cardinal(int, and));
        out.push(' ');
    }
    out.push_str("point");
    if !frac.is_empty() {
        out.push(' ');
        out.push_str(&digits(frac));
    }
    out
}

/// The reading of a fraction's denominator, singular or plural: 2 → half,
/// 4 → quarter, else the ordinal ("thirds", "fortieths").
pub fn denominator(s: &str, plural: bool) -> String {
    let base = match s.trim_start_matches('0') {
        "2" => "half".to_string(),
        "4" => "quarter".to_string(),
        d => ordinal(d),
    };
    if !plural {
        base
    } else if base == "half" {
        "halves".into()
    } else {
        format!("{base}s")
    }
}

/// Words for a roman numeral, or None when it is not one (canonical forms
/// only: "IIII" and "IC" are not numerals).
pub fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    let val = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let chars: Vec<u32> = s.chars().map(val).collect::<Option<_>>()?;
    // Sum with subtractive pairs, then accept only the canonical spelling.
    let mut sum: i64 = 0;
    for i in 0..chars.len() {
        let v = chars[i] as i64;
        if chars.get(i + 1).is_some_and(|&n| n > chars[i]) {
            sum -= v;
        } else {
            sum += v;
        }
    }
    if sum <= 0 || sum > 3999 {
        return None;
    }
    (to_roman(sum as u32) == s).then_some(sum as u32)
}

fn to_roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, r) in T {
        while n >= v {
            out.push_str(r);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals() {
        assert_eq!(cardinal("123", And::Yes), "one hundred and twenty three");
        assert_eq!(cardinal("123000", And::Yes), "one hundred twenty three thousand");
        assert_eq!(
            cardinal("123000012", And::Yes),
            "one hundred twenty three million twelve"
        );
        assert_eq!(cardinal("18081", And::Yes), "eighteen thousand and eighty one");
        assert_eq!(cardinal("0", And::Yes), "zero");
        assert_eq!(cardinal("460", And::No), "four hundred sixty");
        assert_eq!(
            cardinal("124444234854823834553", And::Yes),
            "one hundred twenty four quintillion four hundred forty four quadrillion two hundred thirty four trillion eight hundred fifty four billion eight hundred twenty three million eight hundred thirty four thousand five hundred and fifty three"
        );
        // Longer than the group names: every digit is still said.
        let long = "1".repeat(40);
        assert_eq!(cardinal(&long, And::No).split(' ').count(), 40);
    }

    #[test]
    fn ordinals_years_fractions() {
        assert_eq!(ordinal("121"), "one hundred twenty first");
        assert_eq!(ordinal("12"), "twelfth");
        assert_eq!(ordinal("20"), "twentieth");
        assert_eq!(ordinal("0"), "zeroth");
        assert_eq!(ordinal("1000000"), "one millionth");
        assert_eq!(year("1991"), "nineteen ninety one");
        assert_eq!(year("2023"), "twenty twenty three");
        assert_eq!(year("2006"), "two thousand six");
        assert_eq!(year("1506"), "fifteen oh six");
        assert_eq!(year("1900"), "nineteen hundred");
        assert_eq!(year("2000"), "two thousand");
        assert_eq!(year("340"), "three forty");
        assert_eq!(pluralize("nineteen eighty"), "nineteen eighties");
        assert_eq!(denominator("2", true), "halves");
        assert_eq!(denominator("32", true), "thirty seconds");
        assert_eq!(decimal("", "1665", And::Yes), "point one six six five");
    }

    #[test]
    fn romans() {
        assert_eq!(roman("III"), Some(3));
        assert_eq!(roman("XL"), Some(40));
        assert_eq!(roman("MCMXCI"), Some(1991));
        assert_eq!(roman("IIII"), None);
        assert_eq!(roman("IC"), None);
        assert_eq!(roman("I"), Some(1));
    }
}
