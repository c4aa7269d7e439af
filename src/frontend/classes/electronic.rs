//! URLs, e-mail addresses and bare domains, read piece by piece:
//! "`https://www.nvidia.com/dgx`" → "HTTPS colon slash slash WWW dot nvidia
//! dot com slash dgx"; "a.bc@gmail.com" → "a dot bc at gmail dot com".

use crate::frontend::numbers;
use crate::frontend::types::{Class, Cx, Hit, UrlStyle};

fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Trailing sentence punctuation is not part of an address.
fn trim_end(s: &str) -> &str {
    s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', ']'])
}

/// The length of an address at the start of `s`, if there is one, and
/// whether it is a web address (scheme or "www.", or a path).
fn address_len(cx: &Cx, s: &str) -> Option<(usize, bool)> {
    let lower = s.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let scheme = ["http://", "https://", "ftp://", "file://"]
        .iter()
        .any(|p| lower.starts_with(p));
    if scheme || lower.starts_with("www.") {
        let end = s.find(|c: char| !url_char(c)).unwrap_or(s.len());
        return Some((trim_end(&s[..end]).len(), true));
    }
    // E-mail: local@host.tld
    let local = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._%+&-".contains(c)))
        .unwrap_or(s.len());
    if local > 0 && s[local..].starts_with('@') {
        let host_start = local + 1;
        let rest = &s[host_start..];
        let end = rest
            .find(|c: char| !(host_char(c) || c == '.' || c == '/'))
            .unwrap_or(rest.len());
        let host = trim_end(&rest[..end]);
        if host.contains('.')
            && host
                .split('/')
                .next()
                .is_some_and(|h| h.split('.').all(|p| !p.is_empty()))
        {
            return Some((host_start + host.len(), false));
        }
        return None;
    }
    // Bare domain: name(.name)*.tld(/path)?, lower case, known TLD.
    let end = s.find(|c: char| !(host_char(c) || c == '.')).unwrap_or(s.len());
    let host = trim_end(&s[..end]);
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let tld = labels[labels.len() - 1];
    if !cx.t.tlds.contains(tld)
        || !labels[0]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return None;
    }
    if labels[0].len() < 2 {
        return None;
    }
    let mut len = host.len();
    let path = s[len..].starts_with('/');
    if path {
        let path_end = s[len..].find(|c: char| !url_char(c)).map_or(s.len(), |n| len + n);
        len = trim_end(&s[..path_end]).len();
    }
    Some((len, path))
}

/// Words for an address.
fn verbalize(cx: &Cx, s: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let b = s.as_bytes();
    let mut k = 0;
    // The top-level domain: the last label of the host part.
    let host_end = s.find('/').filter(|&p| !s[..p].ends_with(':')).unwrap_or(s.len());
    let host = s[..host_end].rsplit('@').next().unwrap_or("");
    let tld_start = host.rfind('.').map(|p| host_end - host.len() + p + 1);
    while k < b.len() {
        let c = b[k];
        if c.is_ascii_alphabetic() {
            let run = b[k..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
            let w = &s[k..k + run];
            let lower = w.to_ascii_lowercase();
            words.push(if let Some(say) = cx.t.electronic.get(&lower) {
                say.clone()
            } else if Some(k) == tld_start && run == 2 {
                cx.letters(w)
            } else {
                lower
            });
            k += run;
        } else if c.is_ascii_digit() {
            let run = b[k..].iter().take_while(|c| c.is_ascii_digit()).count();
            let d = &s[k..k + run];
            words.push(if numbers::is_round(d) {
                numbers::cardinal(d, numbers::And::No)
            } else {
                numbers::digits(d)
            });
            k += run;
        } else {
            let ch = s[k..].chars().next().unwrap_or(' ');
            let say = match ch {
                '.' => "dot",
                '@' => "at",
                '/' => "slash",
                ':' => "colon",
                '-' => "dash",
                '_' => "underscore",
                '&' => "ampersand",
                '~' => "tilde",
                '?' => "question mark",
                '=' => "equals",
                '#' => "hash",
                '%' => "percent",
                '+' => "plus",
                _ => "",
            };
            if !say.is_empty() {
                words.push(say.into());
            }
            k += ch.len_utf8();
        }
    }
    words.join(" ")
}

pub(crate) fn electronic(cx: &Cx, i: usize) -> Option<Hit> {
    if !cx.at_boundary(i) || cx.prev_char(i).is_some_and(|c| c == '@' || c == '/') {
        return None;
    }
    let s = &cx.text[i..];
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (len, web) = address_len(cx, s)?;
    let addr = &s[..len];
    let spoken = match (web, cx.opts.urls) {
        (false, _) | (true, UrlStyle::Full) => verbalize(cx, addr),
        (true, UrlStyle::Skip) => String::new(),
        (true, UrlStyle::Host) => verbalize(cx, host_of(addr)),
    };
    Some(Hit::new(len, Class::Electronic, spoken))
}

/// The site of a web address: no scheme, no "www.", no path.
fn host_of(url: &str) -> &str {
    let rest = url.find("://").map_or(url, |p| &url[p + 3..]);
    let rest = rest.trim_start_matches('/');
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    if host.len() > 4 && host[..4].eq_ignore_ascii_case("www.") {
        &host[4..]
    } else {
        host
    }
}
