//! Shared by the integration tests: the seed articles (examples/NAME.txt,
//! golden clean text in tests/golden/NAME.clean.txt).

pub const SEEDS: [&str; 5] = [
    "000_624dd58d807fbd70",
    "001_4b6f62f767aa35ac",
    "002_2f63a6bd757cd7b7",
    "003_b469bd4e41b0bdd9",
    "004_e907f36626033505",
];
