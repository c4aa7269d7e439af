//! URL text-fragment suites: Firefox's parser cases and the plain-text
//! (`dom_specific: false`) matching cases of web-platform-tests, run against
//! the rendered text of the WPT target page. Prints pass counts; every case
//! must pass.

use hark::eval::{find_fragment as find, parse_fragment as parse, TextDirective};
use serde_json::Value;

fn data(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/eval/text_fragments/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

#[test]
fn firefox_parser_cases() {
    let (mut pass, mut total) = (0, 0);
    for line in data("firefox_parser_cases.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let case: Value = serde_json::from_str(line).unwrap();
        let want: Vec<TextDirective> = case["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| TextDirective {
                prefix: opt(&d["prefix"]),
                start: d["start"].as_str().unwrap().to_string(),
                end: opt(&d["end"]),
                suffix: opt(&d["suffix"]),
            })
            .collect();
        let got = parse(case["fragment"].as_str().unwrap());
        total += 1;
        if got == want {
            pass += 1;
        } else {
            println!("FAIL {}: want {want:?} got {got:?}", case["fragment"]);
        }
    }
    println!("firefox text-fragment parser cases: {pass}/{total} passed");
    assert_eq!(pass, total);
}

#[test]
fn wpt_find_range_plain_text_cases() {
    let target = data("wpt_target.txt");
    let (mut pass, mut total) = (0, 0);
    for line in data("wpt_find_range_cases.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let case: Value = serde_json::from_str(line).unwrap();
        if case["dom_specific"].as_bool() == Some(true) {
            continue;
        }
        let frag = case["fragment"].as_str().unwrap();
        let want = case["expect_match"].as_bool().unwrap();
        // "Won't scroll if matched" text sits at the very top of the page: a
        // match there does not count as a match (the page would not scroll).
        let top = target.find("The quick brown fox").unwrap();
        let got = parse(frag)
            .iter()
            .any(|d| find(&target, d).is_some_and(|r| r.start >= top));
        total += 1;
        if got == want {
            pass += 1;
        } else {
            println!(
                "FAIL #{} {frag}: want {want} got {got} ({})",
                case["id"], case["description"]
            );
        }
    }
    println!("wpt find-range plain-text cases: {pass}/{total} passed");
    assert_eq!(pass, total);
}
