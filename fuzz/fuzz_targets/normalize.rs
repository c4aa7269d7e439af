#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../bodies.rs"]
mod hark_fuzz;

fuzz_target!(|text: &str| {
    hark_fuzz::normalize(text);
});
