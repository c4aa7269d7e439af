//! The full-screen reader of `hark listen` on a real terminal: the binary
//! runs in a tmux pane (a pseudo-terminal with a screen tmux keeps), keys
//! are pressed with `send-keys` and the screen is read back with
//! `capture-pane`. Skipped, with a message, where tmux is not installed
//! (CI installs it, and there its absence fails).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::SEEDS;

fn seed(name: &str) -> String {
    format!("{}/examples/{name}.txt", env!("CARGO_MANIFEST_DIR"))
}

/// A tmux server of its own, killed on drop.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn new() -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI installs tmux: the reader must be tested on a terminal"
            );
            eprintln!("skipping: tmux is not installed (apt-get install tmux)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = format!(
            "hark-test-{}-{}",
            std::process::id(),
            dir.path().file_name().unwrap().to_string_lossy()
        );
        Some(Tmux { socket, dir })
    }

    fn tmux(&self, args: &[&str]) -> String {
        let o = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Run `hark listen ARGS` in a 100×30 pane; when it ends, its exit
    /// status and the terminal's settings are written beside.
    fn start(&self, args: &[&str]) {
        self.launch(args, "export HARK_PLAYER='cat > /dev/null'");
    }

    /// As [`Tmux::start`], with `env` (shell lines) instead of the player.
    fn launch(&self, args: &[&str], env: &str) {
        self.run("listen", args, env, None);
    }

    /// `hark SUB ARGS` in the pane, standard output to `stdout` if given.
    fn run(&self, sub: &str, args: &[&str], env: &str, stdout: Option<&str>) {
        let state = self.dir.path().join("state");
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!(
            "export HARK_STATE_DIR='{}' TERM=xterm-256color\n{env}\n\
             '{}' {sub} {} {}\n\
             echo $? > '{}'\n\
             stty -a > '{}'\n\
             sleep 60\n",
            state.display(),
            env!("CARGO_BIN_EXE_hark"),
            quoted.join(" "),
            match stdout {
                // Standard error stays on the terminal, where pick draws.
                Some(f) => format!(">'{}'", self.path(f).display()),
                None => format!("2>'{}'", self.path("stderr").display()),
            },
            self.path("exit").display(),
            self.path("stty").display(),
        );
        let _ = std::fs::remove_file(self.path("exit"));
        std::fs::write(self.path("run.sh"), script).unwrap();
        let run = format!("sh '{}'", self.path("run.sh").display());
        self.tmux(&["kill-server"]);
        self.tmux(&["new-session", "-d", "-x", "100", "-y", "30", &run]);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// Wait until the screen shows `what`; the screen then.
    fn wait_for(&self, what: &dyn Fn(&str) -> bool, why: &str) -> String {
        let t0 = Instant::now();
        loop {
            let s = self.screen();
            if what(&s) {
                return s;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "waited for {why}; the screen:\n{s}\nhark's stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &str) {
        self.tmux(&["send-keys", "-l", keys]);
    }

    /// Wait for hark to end; its exit status.
    fn exit(&self) -> i32 {
        let t0 = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(self.path("exit")) {
                if !s.trim().is_empty() {
                    return s.trim().parse().unwrap();
                }
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "hark did not end; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The terminal was given back: main screen, cursor shown, cooked mode.
    fn assert_restored(&self) {
        assert_eq!(
            self.tmux(&["display", "-p", "#{alternate_on}"]).trim(),
            "0",
            "still on the alternate screen"
        );
        assert_eq!(
            self.tmux(&["display", "-p", "#{cursor_flag}"]).trim(),
            "1",
            "the cursor is hidden"
        );
        let stty = std::fs::read_to_string(self.path("stty")).unwrap();
        for flag in ["icanon", "echo", "isig"] {
            assert!(
                stty.split_whitespace().any(|w| w == flag),
                "terminal left without {flag}: {stty}"
            );
        }
        assert!(
            !self.screen().contains("sentence 1/"),
            "the reader's screen is left behind"
        );
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.path("stderr")).unwrap_or_default()
    }

    /// The process running in the pane's shell: hark.
    fn hark_pid(&self) -> u32 {
        let shell: u32 = self.tmux(&["display", "-p", "#{pane_pid}"]).trim().parse().unwrap();
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            let Some(after) = stat.rsplit_once(')').map(|(_, a)| a.to_string()) else {
                continue;
            };
            let ppid: u32 = after
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            if ppid == shell && stat.contains("(hark)") {
                return e.file_name().to_string_lossy().parse().unwrap();
            }
        }
        panic!("no hark under the pane's shell {shell}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// The sentence number the status line shows.
fn sentence(screen: &str) -> Option<usize> {
    // The status line is the last on the screen.
    let at = screen.rfind("sentence ")? + "sentence ".len();
    screen[at..].split('/').next()?.trim().parse().ok()
}

fn state_dir(t: &Tmux) -> PathBuf {
    t.path("state")
}

fn resume_hint(state: &Path, file: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(["listen", "--player", "cat > /dev/null", "--sentences", "1", file])
        .env("HARK_STATE_DIR", state)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn keys_pause_skip_rate_and_quit_on_a_real_terminal() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[1]);
    t.start(&["--from-start", "-v", &s]);
    let first = t.wait_for(&|s| s.contains("▶ playing") && s.contains("sentence 1/"), "the reader");
    assert!(first.contains("Vladimir Putin"), "{first}");
    assert!(first.contains("? keys"), "{first}");
    t.keys(" ");
    t.wait_for(&|s| s.contains("⏸ paused"), "pause");
    // Paused, it stays where it is.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(sentence(&t.screen()), Some(1));
    t.keys("n");
    t.wait_for(
        &|s| s.contains("⏸ paused") && sentence(s) == Some(2),
        "next sentence while paused",
    );
    t.keys(" ");
    t.wait_for(&|s| s.contains("▶ playing") && sentence(s) == Some(2), "resume");
    t.keys("++");
    t.wait_for(&|s| s.contains("rate 1.2"), "rate change");
    t.keys("]");
    t.wait_for(&|s| sentence(s).is_some_and(|n| n >= 3), "next paragraph");
    t.keys("?");
    t.wait_for(
        &|s| s.contains("next sentence") && s.contains("pause / resume"),
        "the key help",
    );
    t.keys("x");
    t.keys("G");
    let end = t.wait_for(
        &|s| !s.contains("pause / resume") && sentence(s).is_some_and(|n| n >= 10),
        "the end",
    );
    let at = sentence(&end).unwrap();
    t.keys("q");
    assert_eq!(t.exit(), 0, "{}", t.stderr());
    t.assert_restored();
    let stderr = t.stderr();
    assert!(stderr.contains(&format!("stopped at sentence {at}")), "{stderr}");
    assert!(stderr.contains("commands: new audio after"), "{stderr}");
    // The place is kept for the next listen.
    assert!(resume_hint(&state_dir(&t), &s).contains(&format!("--from {at}")));
}

/// A panic while the reader is up (provoked by a key that only debug
/// builds, with `HARK_DEBUG_PANIC_KEY` set, have) still gives the
/// terminal back, through the panic hook, and the panic is reported.
#[test]
#[cfg(debug_assertions)]
fn a_panic_gives_the_terminal_back() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[2]);
    t.launch(
        &["--from-start", &s],
        "export HARK_PLAYER='cat > /dev/null' HARK_DEBUG_PANIC_KEY=1",
    );
    t.wait_for(&|s| s.contains("▶ playing"), "the reader");
    assert_eq!(
        t.tmux(&["display", "-p", "#{alternate_on}"]).trim(),
        "1",
        "the reader is on the alternate screen"
    );
    t.keys("!");
    assert_eq!(t.exit(), 101, "a panic's exit status: {}", t.stderr());
    t.assert_restored();
    assert!(t.stderr().contains("panic on demand"), "{}", t.stderr());
}

#[test]
fn sigterm_gives_the_terminal_back_and_keeps_the_place() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[2]);
    t.start(&["--from", "3", &s]);
    t.wait_for(
        &|s| sentence(s) == Some(3) && s.contains("▶ playing"),
        "the reader at sentence 3",
    );
    let _ = Command::new("kill").args(["-TERM", &t.hark_pid().to_string()]).status();
    assert_eq!(t.exit(), 130, "{}", t.stderr());
    t.assert_restored();
    assert!(resume_hint(&state_dir(&t), &s).contains("--from 3"));
}

#[test]
fn a_search_jumps_to_the_sentence_that_has_the_words() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[1]);
    t.start(&["--from-start", &s]);
    t.wait_for(&|s| s.contains("▶ playing"), "the reader");
    t.keys("/shoigu");
    t.wait_for(&|s| s.contains("/shoigu"), "the search prompt");
    t.tmux(&["send-keys", "Enter"]);
    let found = t.wait_for(&|s| sentence(s).is_some_and(|n| n > 1), "the jump");
    // The first sentence naming Shoigu, as `hark select --grep` finds it.
    let o = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(["select", "--grep", "(?i)shoigu", "--json", &s])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let want = json["passages"][0]["sentences"][0].as_u64().unwrap() as usize;
    assert_eq!(sentence(&found), Some(want), "{found}");
    t.keys("/zebra-crossing");
    t.tmux(&["send-keys", "Enter"]);
    t.wait_for(
        &|s| s.contains("no sentence has “zebra-crossing”"),
        "the not-found note",
    );
    t.keys("q");
    assert_eq!(t.exit(), 0);
    t.assert_restored();
}

/// With the `playback` feature and no player named, the reader plays on
/// the sound card through cpal: here ALSA's null device.
#[cfg(feature = "playback")]
#[test]
fn the_reader_plays_on_the_sound_card_with_the_playback_feature() {
    let Some(t) = Tmux::new() else { return };
    let home = t.path("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".asoundrc"), "pcm.!default { type null }\n").unwrap();
    // ALSA's null device takes audio as fast as it comes, so playback runs
    // as fast as synthesis: a long article keeps the reader busy.
    let long = t.path("long.txt");
    let text: String = (1..=300)
        .map(|i| format!("This is sentence number {i} of a long article, read to a sound card that hears nothing.\n\n"))
        .collect();
    std::fs::write(&long, text).unwrap();
    let s = long.display().to_string();
    t.launch(
        &["--from-start", "-v", &s],
        &format!("unset HARK_PLAYER; export HOME='{}'", home.display()),
    );
    t.wait_for(&|s| sentence(s).is_some(), "the reader");
    t.keys(" ");
    let paused = t.wait_for(&|s| s.contains("⏸ paused"), "pause");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(sentence(&t.screen()), sentence(&paused), "paused, it stays");
    t.keys(" ");
    t.wait_for(&|s| !s.contains("⏸ paused"), "resume");
    t.keys("G");
    t.wait_for(&|s| sentence(s) == Some(300), "the last sentence");
    t.keys("q");
    assert_eq!(t.exit(), 0, "{}", t.stderr());
    t.assert_restored();
    let stderr = t.stderr();
    assert!(
        stderr.contains("first audio") && !stderr.contains("played through cat"),
        "{stderr}"
    );
}

fn hark_json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_hark")).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The sentence numbers `hark select --json` chose.
fn selected(v: &serde_json::Value) -> Vec<u64> {
    v["passages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["sentences"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()))
        .collect()
}

#[test]
fn pick_marks_print_selectors_that_choose_the_same_passages() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[1]);
    // Standard output down a file: the picker draws on standard error.
    t.run("pick", &[&s], "", Some("picked"));
    t.wait_for(&|s| s.contains("sentence 1/") && s.contains("0 marked"), "the picker");
    // Sentence 2; a range 4-6; the paragraph of sentence 8; 10 marked then unmarked.
    t.keys("j j");
    t.wait_for(&|s| s.contains("1 marked"), "a mark");
    t.keys("jv");
    t.wait_for(&|s| s.contains("a range from sentence 4"), "a range begun");
    t.keys("jjv");
    t.wait_for(&|s| s.contains("4 marked"), "a range marked");
    t.keys("]]P");
    t.wait_for(&|s| s.contains("5 marked"), "a paragraph marked");
    t.keys("jj  ");
    t.wait_for(
        &|s| s.contains("sentence 10/") && s.contains("5 marked"),
        "a mark undone",
    );
    t.keys("y");
    assert_eq!(t.exit(), 0);
    t.assert_restored();
    let printed = std::fs::read_to_string(t.path("picked")).unwrap();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines[0], "--sentences 2,4-6,8", "{printed}");
    assert!(lines[1].starts_with("#:~:text="), "{printed}");
    let by_range = hark_json(&["select", "--json", "--sentences", "2,4-6,8", &s]);
    let by_fragment = hark_json(&["select", "--json", "--fragment", lines[1], &s]);
    assert_eq!(selected(&by_range), vec![2, 4, 5, 6, 8]);
    assert_eq!(selected(&by_fragment), vec![2, 4, 5, 6, 8]);
}

#[test]
fn pick_reads_the_marked_passages_and_comes_back_then_exports_them() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[1]);
    let wav = t.path("picked.wav");
    let wav_s = wav.display().to_string();
    t.run(
        "pick",
        &[&s, "--", "-o", &wav_s],
        "export HARK_PLAYER='cat > /dev/null'",
        Some("out"),
    );
    t.wait_for(&|s| s.contains("0 marked"), "the picker");
    t.keys("jj j ");
    t.wait_for(&|s| s.contains("2 marked"), "two marks");
    t.tmux(&["send-keys", "Enter"]);
    // The reader, over the two marked sentences only.
    let reading = t.wait_for(&|s| s.contains("sentence 1/2") && s.contains("▶ playing"), "the reader");
    assert!(
        reading.contains("Adrienne Watson") && !reading.contains("Washington said Monday"),
        "{reading}"
    );
    t.keys("q");
    t.wait_for(
        &|s| s.contains("2 marked") && s.contains("sentence 4/"),
        "back in the picker",
    );
    t.keys("e");
    assert_eq!(
        t.exit(),
        0,
        "{}",
        std::fs::read_to_string(t.path("out")).unwrap_or_default()
    );
    t.assert_restored();
    let spec = hound::WavReader::open(&wav).expect("the export was written").spec();
    assert_eq!(spec.channels, 1);
    // The same audio as exporting those sentences by hand.
    let by_hand = t.path("by-hand.wav");
    let o = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(["export", &s, "--sentences", "3-4", "-o", &by_hand.display().to_string()])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(std::fs::read(&wav).unwrap(), std::fs::read(&by_hand).unwrap());
}

/// The terminal going away (the window closed: the pty hangs up) ends hark,
/// as SIGHUP does; it does not spin on a dead terminal.
#[test]
fn a_hung_up_terminal_ends_the_reader_and_the_picker() {
    for sub in ["listen", "pick"] {
        let Some(t) = Tmux::new() else { return };
        let s = seed(SEEDS[1]);
        // The reader draws on standard output, the picker (output piped) on standard error.
        let stdout = (sub == "pick").then_some("out");
        t.run(sub, &[&s], "export HARK_PLAYER='cat > /dev/null'", stdout);
        t.wait_for(&|s| s.contains("sentence 1/"), "the screen");
        let pid = t.hark_pid();
        t.tmux(&["kill-server"]);
        let t0 = Instant::now();
        while Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z")
        {
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "hark {sub} still runs after the hang-up"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A player that quits part-way (the device went away) stops the reader
/// cleanly: the terminal back, a message, exit 1, the place kept.
#[test]
fn a_player_that_drops_mid_way_stops_the_reader_cleanly() {
    let Some(t) = Tmux::new() else { return };
    let s = seed(SEEDS[1]);
    // Takes about 2 s of 16 kHz audio, then exits.
    t.launch(
        &["--from-start", &s],
        "export HARK_PLAYER='head -c 64000 > /dev/null; exit 0'",
    );
    assert_eq!(t.exit(), 1, "{}", t.stderr());
    t.assert_restored();
    let stderr = t.stderr();
    assert!(
        stderr.contains("stopped early") || stderr.contains("stopped taking audio"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("stopped at sentence"), "{stderr}");
}

/// `--engine system` in the reader: the highlight follows the speech
/// service's callbacks (speech-dispatcher started headless, playing to
/// ALSA's null device, which takes audio faster than it would sound).
#[cfg(feature = "system-tts")]
#[test]
fn the_reader_follows_the_system_speech_service() {
    let Some(t) = Tmux::new() else { return };
    let home = t.path("home");
    let conf = home.join(".config/speech-dispatcher");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::create_dir_all(home.join("run")).unwrap();
    let _ = Command::new("chmod")
        .args(["700", &home.join("run").display().to_string()])
        .status();
    std::fs::write(home.join(".asoundrc"), "pcm.!default { type null }\n").unwrap();
    std::fs::write(
        conf.join("speechd.conf"),
        "AudioOutputMethod \"alsa\"\nDefaultModule espeak-ng\nAddModule \"espeak-ng\" \"sd_espeak-ng\" \"espeak-ng.conf\"\n",
    )
    .unwrap();
    let h = home.display();
    let s = seed(SEEDS[1]);
    t.launch(
        &["--engine", "system", "-v", &s],
        &format!("export HOME='{h}' XDG_RUNTIME_DIR='{h}/run' XDG_CONFIG_HOME='{h}/.config'"),
    );
    t.wait_for(
        &|s| s.contains("▶ playing") && s.contains("·  system  ·"),
        "the reader with the system voice",
    );
    t.keys(" ");
    let paused = t.wait_for(&|s| s.contains("⏸ paused"), "pause");
    let at = sentence(&paused).unwrap();
    // Paused, the service says nothing and the place stays.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sentence(&t.screen()), Some(at));
    t.keys("G");
    t.wait_for(&|s| s.contains("sentence 15/15"), "the last sentence");
    t.keys(" ");
    // Heard to the end through the callbacks: hark ends by itself.
    assert_eq!(t.exit(), 0, "{}", t.stderr());
    t.assert_restored();
    let stderr = t.stderr();
    assert!(stderr.contains("played through the system service"), "{stderr}");
    let _ = Command::new("pkill").args(["-f", &format!("{h}/run")]).status();
}
