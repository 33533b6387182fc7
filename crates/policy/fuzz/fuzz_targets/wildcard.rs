#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| localorg_policy_fuzz::wildcard(data));
