#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../bodies.rs"]
mod hark_fuzz;

fuzz_target!(|data: &[u8]| {
    hark_fuzz::read_article(data);
});
