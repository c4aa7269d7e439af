//! Export at scale through the real `hark` binary: every kind of input
//! (files, directories, @lists, standard input, URLs from a local server),
//! per-input failures, the manifest (skip what is up to date, redo what
//! changed, resume after an interruption, remove stale passages), signals,
//! standard output, formats by name, playlists and podcast feeds parsed back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

mod common;
use common::http::{serve, Reply};
use common::SEEDS;

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn seed(name: &str) -> String {
    format!("{}/examples/{name}.txt", root())
}

fn hark(args: &[&str]) -> Output {
    common::hark(args, None)
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A short article (two sentences) to keep renders fast.
fn short(dir: &Path, name: &str, words: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!("The city council approved the {words} budget on Tuesday after a long debate. Members said the plan would fund schools and roads for the next year.\n"),
    )
    .unwrap();
    p
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

fn records(o: &Output) -> Vec<serde_json::Value> {
    out(o).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn each_input_succeeds_or_fails_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let outdir = dir.path().join("multi");
    let (a, b) = (seed(SEEDS[1]), seed(SEEDS[4]));
    let o = hark(&[
        "export",
        "-q",
        "--json",
        &a,
        s(&empty),
        "no/such.txt",
        &b,
        "-o",
        s(&outdir),
        "--sentences",
        "1-2",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("empty.txt: input is empty"), "{e}");
    assert!(e.contains("no/such.txt"), "{e}");
    assert!(e.contains("2 of 4 inputs failed"), "{e}");
    assert_eq!(
        files_in(&outdir),
        [
            format!("{}.wav", SEEDS[1]),
            format!("{}.wav", SEEDS[4]),
            "hark-export.json".into()
        ]
    );
    let recs = records(&o);
    let kinds: Vec<&str> = recs.iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["export", "error", "error", "export"], "in input order");
    assert_eq!(recs[1]["source"], s(&empty));
    assert_eq!(recs[2]["error"]["kind"], "unreadable");
}

#[test]
fn a_selection_that_matches_nothing_fails_only_that_input() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (seed(SEEDS[1]), seed(SEEDS[4]));
    let o = hark(&["export", "-q", &a, &b, "--grep", "Shoigu", "-o", s(dir.path())]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains(SEEDS[4]), "the input is named: {}", err(&o));
    assert!(dir.path().join(format!("{}.wav", SEEDS[1])).exists());
    assert!(!dir.path().join(format!("{}.wav", SEEDS[4])).exists());
    // Alone, it keeps its own exit status.
    let o = hark(&["export", "-q", &b, "--grep", "Shoigu", "-o", s(dir.path())]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
}

#[test]
fn an_existing_file_or_a_clash_blocks_only_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    std::fs::write(outdir.join("b.wav"), b"precious").unwrap();
    let a = short(dir.path(), "a.txt", "first");
    let b = short(dir.path(), "b.txt", "second");
    std::fs::create_dir(dir.path().join("x")).unwrap();
    let a2 = short(&dir.path().join("x"), "a.txt", "third");
    let o = hark(&["export", "-q", s(&a), s(&b), s(&a2), "-o", s(&outdir)]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("b.wav already exists; pass --force"), "{e}");
    assert!(e.contains("would both write"), "{e}");
    assert_eq!(std::fs::read(outdir.join("b.wav")).unwrap(), b"precious");
    assert!(outdir.join("a.wav").exists());
}

#[test]
fn a_rerun_skips_what_is_up_to_date_and_redoes_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    let a = short(dir.path(), "a.txt", "first");
    let b = short(dir.path(), "b.txt", "second");
    let args = |extra: &[&str]| -> Output {
        let mut v = vec!["export", s(&a), s(&b), "-o", s(&outdir), "--subtitles", "srt"];
        v.extend_from_slice(extra);
        hark(&v)
    };
    let o = args(&[]);
    assert!(o.status.success(), "{}", err(&o));
    let (wa, wb) = (outdir.join("a.wav"), outdir.join("b.wav"));
    let (ta, tb) = (mtime(&wa), mtime(&wb));
    std::thread::sleep(Duration::from_millis(20));
    let o = args(&["--json"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("2 input(s) up to date"), "{}", err(&o));
    assert_eq!((mtime(&wa), mtime(&wb)), (ta, tb), "nothing rewritten");
    assert!(records(&o).iter().all(|r| r["up_to_date"] == true), "{}", out(&o));
    // A changed input is redone (its file is hark's, so no --force needed).
    short(dir.path(), "b.txt", "revised");
    let o = args(&[]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(mtime(&wa), ta);
    assert_ne!(mtime(&wb), tb);
    // A file edited by someone else is not hark's to replace.
    std::fs::write(&wa, b"edited").unwrap();
    let o = args(&["--rate", "1.2"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("a.wav already exists"), "{}", err(&o));
    assert_eq!(std::fs::read(&wa).unwrap(), b"edited");
    // --force redoes everything.
    let o = args(&["--force"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(!err(&o).contains("up to date"));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outdir.join("hark-export.json")).unwrap()).unwrap();
    assert_eq!(m["schema"], 1);
    assert_eq!(m["entries"].as_array().unwrap().len(), 2);
    assert_eq!(m["entries"][0]["audio"][0][0]["file"], "a.wav");
    assert_eq!(m["entries"][0]["subtitles"][0]["file"], "a.srt");
}

#[test]
fn per_passage_removes_passages_a_shorter_run_no_longer_makes() {
    let dir = tempfile::tempdir().unwrap();
    let input = seed(SEEDS[3]);
    let o = hark(&[
        "export",
        "-q",
        &input,
        "--paragraphs",
        "1,3,5",
        "--per-passage",
        "-o",
        s(dir.path()),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(files_in(dir.path()).len(), 4);
    let o = hark(&[
        "export",
        "-q",
        &input,
        "--paragraphs",
        "1",
        "--per-passage",
        "-o",
        s(dir.path()),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        files_in(dir.path()),
        [format!("{}.p01.wav", SEEDS[3]), "hark-export.json".into()]
    );
}

fn kill(child: &std::process::Child, sig: &str) {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
}

/// An article long enough to interrupt (every sentence different, so
/// cleaning keeps them all).
fn long_article(dir: &Path) -> PathBuf {
    let mut long = String::new();
    for i in 0..200 {
        long.push_str(&format!(
            "On day {i} the council of the district met again to discuss plan {i} for its roads, schools and parks, and members said the vote would come soon.\n\n"
        ));
    }
    let p = dir.join("long.txt");
    std::fs::write(&p, long).unwrap();
    p
}

#[test]
fn an_interrupted_batch_leaves_no_partial_file_and_resumes() {
    for sig in ["-TERM", "-HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let outdir = dir.path().join("out");
        let a = short(dir.path(), "a.txt", "first");
        let long = long_article(dir.path());
        let mut c = Command::new(env!("CARGO_BIN_EXE_hark"));
        c.args(["export", "-q", "-j", "1", s(&a), s(&long), "-o", s(&outdir)])
            .env("HARK_CONFIG", "/nonexistent")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = c.spawn().unwrap();
        // Wait until the short input is done and the long one is rendering.
        let t0 = std::time::Instant::now();
        while t0.elapsed() < Duration::from_secs(30) && !files_in(&outdir).iter().any(|f| f.starts_with(".long.wav")) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(outdir.join("a.wav").exists(), "{:?}", files_in(&outdir));
        kill(&child, sig);
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(130), "{sig}: {}", err(&o));
        assert_eq!(
            files_in(&outdir),
            ["a.wav", "hark-export.json"],
            "{sig}: no partial or temporary file"
        );
        let m = std::fs::read_to_string(outdir.join("hark-export.json")).unwrap();
        assert!(m.contains("a.wav") && !m.contains("long.wav"), "{m}");
        if sig == "-HUP" {
            continue;
        }
        // The next run does only what is left.
        let o = hark(&["export", s(&a), s(&long), "-o", s(&outdir)]);
        assert!(o.status.success(), "{}", err(&o));
        assert!(err(&o).contains("1 input(s) up to date"), "{}", err(&o));
        assert!(outdir.join("long.wav").exists());
    }
}

#[test]
fn standard_output_takes_one_file_and_no_directory_named_dash() {
    let dir = tempfile::tempdir().unwrap();
    let a = short(dir.path(), "a.txt", "first");
    let o = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(["export", "-q", s(&a), "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    let r = hound::WavReader::new(std::io::Cursor::new(o.stdout.clone())).unwrap();
    assert!(r.len() > 16000, "a whole WAV on stdout");
    assert_eq!(files_in(dir.path()), ["a.txt"], "no '-' directory, no manifest");
    let o = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(["export", "-q", s(&a), "-o", "-", "--format", "flac"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    let mut f = claxon::FlacReader::new(std::io::Cursor::new(o.stdout)).unwrap();
    assert!(f.samples().count() > 16000);
    let o = hark(&["export", s(&a), s(&a), "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));
    let o = hark(&["export", s(&a), "-o", "-", "--json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_format_follows_the_name_or_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let a = short(dir.path(), "a.txt", "first");
    let flac = dir.path().join("a.flac");
    let o = hark(&["export", "-q", s(&a), "-o", s(&flac)]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::read(&flac).unwrap().starts_with(b"fLaC"));
    let o = hark(&["export", "-q", s(&a), "-o", s(dir.path()), "--format", "opus"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::read(dir.path().join("a.opus")).unwrap().starts_with(b"OggS"));
    let o = hark(&["export", s(&a), "-o", s(&dir.path().join("b.flac")), "--format", "opus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("named .flac"), "{}", err(&o));
    let o = hark(&["export", s(&a), "-o", s(&dir.path().join("b.aac"))]);
    assert_eq!(o.status.code(), Some(2));
    if !cfg!(feature = "mp3") {
        let o = hark(&["export", s(&a), "-o", s(&dir.path().join("b.mp3"))]);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains("--features mp3"), "{}", err(&o));
    }
}

#[cfg(unix)]
#[test]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let a = short(dir.path(), "a.txt", "first");
    for (umask, mode) in [("077", 0o600), ("022", 0o644)] {
        let out = dir.path().join(format!("u{umask}.wav"));
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" export -q \"$1\" -o \"$2\"",))
            .arg(env!("CARGO_BIN_EXE_hark"))
            .arg(&a)
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", err(&o));
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            mode,
            "umask {umask}"
        );
    }
}

#[test]
fn directories_globs_lists_and_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("saved");
    std::fs::create_dir_all(src.join("2024")).unwrap();
    short(&src, "a.txt", "first");
    short(&src.join("2024"), "b.html", "second");
    std::fs::write(src.join("notes.pdf"), b"%PDF-1.4").unwrap();
    let outdir = dir.path().join("out");
    let o = hark(&["export", "-q", s(&src), "-o", s(&outdir)]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(files_in(&outdir), ["a.wav", "b.wav", "hark-export.json"]);
    let out2 = dir.path().join("out2");
    let o = hark(&["export", "-q", s(&src), "--glob", "*.html", "-o", s(&out2)]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(files_in(&out2), ["b.wav", "hark-export.json"]);
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        format!(
            "# my list\n{}\n\n{}\n",
            src.join("a.txt").display(),
            dir.path().join("gone.txt").display()
        ),
    )
    .unwrap();
    let out3 = dir.path().join("out3");
    let o = hark(&["export", "-q", &format!("@{}", list.display()), "-o", s(&out3)]);
    assert_eq!(o.status.code(), Some(1), "one of the list is missing: {}", err(&o));
    assert!(err(&o).contains("gone.txt"));
    assert!(out3.join("a.wav").exists());
    // @- reads the list from standard input; - reads an article from it.
    let o = common::hark(
        &["clean", "@-"],
        Some(format!("{}\n", src.join("a.txt").display()).as_bytes()),
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("city council"));
    let o = common::hark(
        &["select", "-", "--sentences", "2"],
        Some(std::fs::read(src.join("a.txt")).unwrap().as_slice()),
    );
    assert!(out(&o).contains("Members said"), "{}", out(&o));
    let empty = dir.path().join("nothing");
    std::fs::create_dir(&empty).unwrap();
    let o = hark(&["export", s(&empty), "-o", s(&outdir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no article files"), "{}", err(&o));
}

fn article_html() -> Vec<u8> {
    let text = std::fs::read_to_string(seed(SEEDS[1])).unwrap();
    let paras: String = text
        .split("\n\n")
        .flat_map(|b| b.lines())
        .filter(|l| l.split_whitespace().count() > 8)
        .map(|l| format!("<p>{l}</p>\n"))
        .collect();
    format!("<!doctype html><html lang=en><head><title>Kim and Putin</title></head><body><nav><a href=/>Home</a></nav><article><h1>Kim and Putin</h1>{paras}</article></body></html>").into_bytes()
}

#[test]
fn urls_are_fetched_and_each_failure_is_named() {
    let latin1: Vec<u8> = b"<html><head><title>Caf\xe9</title></head><body><article><p>Le caf\xe9 de la gare a rouvert ses portes mardi apr\xe8s deux ans de travaux, \xe0 la grande joie des habitants du quartier.</p><p>Les nouveaux propri\xe9taires ont gard\xe9 le comptoir d'origine et les miroirs de la salle, class\xe9s depuis longtemps.</p></article></body></html>".to_vec();
    let base = serve(vec![
        (
            "/news/kim-putin.html",
            Reply::Ok("text/html; charset=utf-8", article_html()),
        ),
        ("/old-link", Reply::Redirect("/news/kim-putin.html")),
        ("/loop", Reply::Redirect("/loop")),
        ("/cafe.html", Reply::Ok("text/html; charset=utf-8", latin1)),
        ("/huge.txt", Reply::Claims(10 << 20)),
        ("/slow.html", Reply::Silence(Duration::from_secs(10))),
    ]);
    let u = |p: &str| format!("{base}{p}");
    // clean reads a URL like a file; a redirect is followed.
    let o = hark(&["clean", &u("/old-link")]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("Kim Jong Un"), "{}", out(&o));
    // A page that lies about its charset is read as what it is.
    let o = hark(&["clean", "--json", &u("/cafe.html")]);
    assert!(o.status.success(), "{}", err(&o));
    let r = &records(&o)[0];
    let paras = r["paragraphs"].as_array().unwrap();
    assert!(
        paras
            .iter()
            .any(|p| p["text"].as_str().unwrap().starts_with("Le café de la gare")),
        "{r}"
    );
    assert!(r["warnings"][0].as_str().unwrap().contains("declares UTF-8"), "{r}");
    assert_eq!(r["language"], "fr");
    // A batch: the good page is written, each bad one named.
    let dir = tempfile::tempdir().unwrap();
    let o = hark(&[
        "export",
        "-q",
        "--timeout",
        "1",
        "--max-size",
        "1M",
        &u("/news/kim-putin.html"),
        &u("/missing"),
        &u("/loop"),
        &u("/huge.txt"),
        &u("/slow.html"),
        "-o",
        s(dir.path()),
        "--sentences",
        "1-2",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains(&format!("{}: HTTP 404", u("/missing"))), "{e}");
    assert!(e.contains(&format!("{}: more than 10 redirects", u("/loop"))), "{e}");
    assert!(
        e.contains(&format!("{}: 10485760 bytes is more than the limit", u("/huge.txt"))),
        "{e}"
    );
    assert!(e.contains(&format!("{}: no answer within 1 s", u("/slow.html"))), "{e}");
    assert!(dir.path().join("kim-putin.wav").exists(), "{:?}", files_in(dir.path()));
    let m = std::fs::read_to_string(dir.path().join("hark-export.json")).unwrap();
    assert!(m.contains(&u("/news/kim-putin.html")));
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.tag_name().name() == name)
}

#[test]
fn a_podcast_feed_and_a_playlist_of_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("podcast");
    let a = short(dir.path(), "a.txt", "first");
    let b = short(dir.path(), "b b.txt", "second");
    let feed = outdir.join("feed.xml");
    let list = outdir.join("list.m3u");
    let run = |inputs: &[&Path]| {
        let mut v: Vec<&str> = vec!["export", "-q"];
        v.extend(inputs.iter().map(|p| s(p)));
        v.extend([
            "-o",
            s(&outdir),
            "--format",
            "opus",
            "--feed",
            s(&feed),
            "--feed-url",
            "https://example.com/pod/",
        ]);
        v.extend(["--feed-title", "My reading list", "--playlist", s(&list)]);
        let o = hark(&v);
        assert!(o.status.success(), "{}", err(&o));
        std::fs::read_to_string(&feed).unwrap()
    };
    let first = run(&[&a]);
    let second = run(&[&a, &b]);
    let doc = roxmltree::Document::parse(&second).unwrap();
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = child(rss, "channel").unwrap();
    for required in ["title", "link", "description"] {
        assert!(child(channel, required).is_some(), "channel needs <{required}>");
    }
    assert_eq!(child(channel, "title").unwrap().text(), Some("My reading list"));
    let items: Vec<_> = channel.children().filter(|c| c.tag_name().name() == "item").collect();
    assert_eq!(items.len(), 2);
    let mut guids = Vec::new();
    for item in &items {
        assert!(child(*item, "title").is_some());
        let enc = child(*item, "enclosure").unwrap();
        let url = enc.attribute("url").unwrap();
        assert!(url.starts_with("https://example.com/pod/"), "{url}");
        assert!(!url.contains(' '), "percent-encoded: {url}");
        assert_eq!(enc.attribute("type"), Some("audio/ogg"));
        let file = outdir.join(url.rsplit('/').next().unwrap().replace("%20", " "));
        assert_eq!(
            enc.attribute("length").unwrap().parse::<u64>().unwrap(),
            std::fs::metadata(&file).unwrap().len()
        );
        let date = child(*item, "pubDate").unwrap().text().unwrap();
        assert!(httpdate::parse_http_date(date).is_ok(), "RFC 822 date: {date}");
        let dur = items[0]
            .children()
            .find(|c| c.tag_name().name() == "duration")
            .unwrap()
            .text()
            .unwrap();
        assert!(dur.split(':').count() == 3, "{dur}");
        guids.push(child(*item, "guid").unwrap().text().unwrap().to_string());
    }
    guids.sort();
    guids.dedup();
    assert_eq!(guids.len(), 2, "unique GUIDs");
    let first_guid = roxmltree::Document::parse(&first)
        .unwrap()
        .descendants()
        .find(|n| n.tag_name().name() == "guid")
        .unwrap()
        .text()
        .unwrap()
        .to_string();
    assert!(guids.contains(&first_guid), "a GUID stays the same across runs");
    assert_eq!(run(&[&a, &b]), second, "an unchanged folder gives the same feed");
    let m3u = std::fs::read_to_string(&list).unwrap();
    let lines: Vec<&str> = m3u.lines().collect();
    assert_eq!(lines[0], "#EXTM3U");
    assert!(lines[1].starts_with("#EXTINF:"));
    assert_eq!(lines[2], "a.opus");
    assert_eq!(lines[4], "b b.opus");
}
