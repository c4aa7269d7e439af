//! The full-screen reader of `hark listen` and the passage picker of
//! `hark pick`: drawing (ratatui) and keys (crossterm) only. What a key
//! does to playback is the library's `speech::reader`.

use hark::frontend::Utterance;
use hark::speech::reader::{self, Command, Output, ReaderOptions, State};
use hark::{Error, Result};
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::{Frame, Terminal};
use std::time::Duration;

/// What the reader screen shows besides the state.
pub(crate) struct Screen<'a> {
    pub title: String,
    pub warning: Option<String>,
    pub utterances: &'a [Utterance],
}

impl<'a> Screen<'a> {
    /// The article's title (else its name) and spin warning, over `utterances`.
    pub(crate) fn new(article: &hark::Article, utterances: &'a [Utterance]) -> Screen<'a> {
        Screen {
            title: article
                .document()
                .meta
                .title
                .clone()
                .unwrap_or_else(|| article.source().to_string()),
            warning: article
                .warnings()
                .iter()
                .find(|w| matches!(w, hark::Warning::Spun { .. }))
                .map(|w| w.to_string()),
            utterances,
        }
    }
}

/// What the keys are doing: reading, the help box, or typing a search.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Reading,
    Help,
    Search(String),
}

/// The screen's own state: mode, a note, and the text wrapped for a width.
pub(crate) struct View {
    mode: Mode,
    note: Option<String>,
    wrapped: Option<(u16, Wrapped)>,
}

impl View {
    pub(crate) fn new() -> View {
        View {
            mode: Mode::Reading,
            note: None,
            wrapped: None,
        }
    }
}

/// The text laid out in lines of (text, sentence) pieces.
#[derive(Debug)]
struct Wrapped {
    lines: Vec<Vec<(String, Option<usize>)>>,
    /// First line of each sentence.
    first_line: Vec<usize>,
}

/// Word-wrap the sentences to `width` columns: a blank line between
/// paragraphs (or passages), each piece tagged with its sentence so the
/// highlight can follow without wrapping again.
fn wrap(utterances: &[Utterance], width: u16) -> Wrapped {
    let width = width.max(8) as usize;
    let mut lines: Vec<Vec<(String, Option<usize>)>> = Vec::new();
    let mut first_line = vec![0; utterances.len()];
    let mut line: Vec<(String, Option<usize>)> = Vec::new();
    let mut used = 0usize;
    let mut last_sentence: Option<usize> = None;
    let mut block: Option<(usize, usize)> = None;
    for (i, u) in utterances.iter().enumerate() {
        let here = (u.passage, u.paragraph);
        if block.is_some_and(|b| b != here) {
            lines.push(std::mem::take(&mut line));
            lines.push(Vec::new());
            used = 0;
            last_sentence = None;
        }
        block = Some(here);
        let mut first = true;
        for word in u.text.split_whitespace() {
            let mut word = word.to_string();
            loop {
                let w = Span::raw(word.as_str()).width();
                let gap = usize::from(used > 0);
                if used > 0 && used + gap + w > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                    last_sentence = None;
                    continue;
                }
                if used == 0 && w > width {
                    // A word longer than the line: cut it.
                    let cut: String = word
                        .chars()
                        .scan(0, |n, c| {
                            *n += Span::raw(c.to_string()).width();
                            (*n <= width).then_some(c)
                        })
                        .collect();
                    let rest = word[cut.len()..].to_string();
                    if first {
                        first_line[i] = lines.len();
                        first = false;
                    }
                    line.push((cut, Some(i)));
                    lines.push(std::mem::take(&mut line));
                    word = rest;
                    if word.is_empty() {
                        break;
                    }
                    continue;
                }
                if gap == 1 {
                    let tag = (last_sentence == Some(i)).then_some(i);
                    line.push((" ".into(), tag));
                }
                if first {
                    first_line[i] = lines.len();
                    first = false;
                }
                used += gap + w;
                line.push((word, Some(i)));
                last_sentence = Some(i);
                break;
            }
        }
        if first {
            first_line[i] = lines.len();
        }
    }
    lines.push(line);
    Wrapped { lines, first_line }
}

/// Draw the sentences into `body`, wrapped (and the wrapping kept for the
/// width), scrolled so that sentence `focus` sits a third of the way down,
/// each piece in the style `style_of(its sentence)` gives.
fn draw_text(
    frame: &mut Frame,
    body: Rect,
    cache: &mut Option<(u16, Wrapped)>,
    utterances: &[Utterance],
    focus: usize,
    style_of: &dyn Fn(Option<usize>) -> Style,
) {
    let text_width = body.width.saturating_sub(2).max(8);
    if cache.as_ref().is_none_or(|(w, _)| *w != text_width) {
        *cache = Some((text_width, wrap(utterances, text_width)));
    }
    let Some((_, wrapped)) = cache.as_ref() else { return };
    let at = wrapped.first_line.get(focus).copied().unwrap_or(0);
    let height = body.height as usize;
    let scroll = at
        .saturating_sub(height / 3)
        .min(wrapped.lines.len().saturating_sub(height));
    let lines: Vec<Line> = wrapped.lines[scroll..(scroll + height).min(wrapped.lines.len())]
        .iter()
        .map(|pieces| {
            Line::from(
                pieces
                    .iter()
                    .map(|(t, s)| Span::styled(t.clone(), style_of(*s)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            x: body.x + 1,
            width: text_width.min(body.width),
            ..body
        },
    );
}

fn clock(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Draw the reader: title, the text with the sentence being spoken
/// highlighted and kept a third of the way down, warnings, the status line.
pub(crate) fn draw_reader(frame: &mut Frame, screen: &Screen, state: &State, view: &mut View) {
    let area = frame.area();
    let note = view.note.clone().or_else(|| state.message.clone());
    let [top, body, warn, said, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(screen.warning.is_some())),
        Constraint::Length(u16::from(note.is_some())),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            screen.title.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ))),
        top,
    );
    let spoken = Style::new().bg(Color::Yellow).fg(Color::Black);
    let done = Style::new().fg(Color::DarkGray);
    draw_text(
        frame,
        body,
        &mut view.wrapped,
        screen.utterances,
        state.current,
        &|i| match i {
            Some(i) if i == state.current => spoken,
            Some(i) if i < state.current => done,
            _ => Style::new(),
        },
    );
    if let Some(w) = &screen.warning {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("⚠ {w}"), Style::new().fg(Color::Red))),
            warn,
        );
    }
    if let Some(n) = note {
        frame.render_widget(Paragraph::new(Span::styled(n, Style::new().fg(Color::Yellow))), said);
    }
    let line = match &view.mode {
        Mode::Search(q) => Line::from(format!("/{q}▏  (enter: go, esc: cancel)")),
        _ => {
            let icon = if state.paused {
                "⏸ paused"
            } else if state.waiting {
                "… making audio"
            } else {
                "▶ playing"
            };
            let mut parts = vec![
                icon.to_string(),
                format!("sentence {}/{}", state.current + 1, state.total),
                format!("{} / ~{}", clock(state.elapsed_secs), clock(state.total_secs)),
                state.voice.clone(),
                format!("rate {:.1}", state.rate),
            ];
            parts.push("? keys".into());
            Line::from(Span::styled(
                parts.join("  ·  "),
                Style::new().add_modifier(Modifier::REVERSED),
            ))
        }
    };
    frame.render_widget(Paragraph::new(line), status);
    if view.mode == Mode::Help {
        help_box(frame, area, READER_KEYS);
    }
}

const READER_KEYS: &[(&str, &str)] = &[
    ("space", "pause / resume"),
    ("n  →", "next sentence"),
    ("p  ←", "previous sentence"),
    ("]  ↓", "next paragraph"),
    ("[  ↑", "this / previous paragraph"),
    ("+  -", "faster / slower (from the next sentence)"),
    ("v", "next voice of the language"),
    ("g  G", "start / end"),
    ("/", "search and jump"),
    ("?", "this help"),
    ("q  esc", "quit (the place is kept)"),
];

fn help_box(frame: &mut Frame, area: Rect, keys: &[(&str, &str)]) {
    let w = 52.min(area.width);
    let h = (keys.len() as u16 + 2).min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<8}"), Style::new().add_modifier(Modifier::BOLD)),
                Span::raw(*what),
            ])
        })
        .collect();
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" keys ")),
        r,
    );
}

/// What a key means while reading: a command, or something for the screen.
fn reader_key(key: KeyEvent, view: &mut View, screen: &Screen, state: &State) -> Option<Command> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Command::Quit);
    }
    view.note = None;
    match &mut view.mode {
        Mode::Help => {
            view.mode = Mode::Reading;
            return match key.code {
                KeyCode::Char('q') => Some(Command::Quit),
                _ => None,
            };
        }
        Mode::Search(q) => {
            match key.code {
                KeyCode::Esc => view.mode = Mode::Reading,
                KeyCode::Backspace => {
                    q.pop();
                }
                KeyCode::Enter => {
                    let query = q.to_lowercase();
                    view.mode = Mode::Reading;
                    if query.is_empty() {
                        return None;
                    }
                    let n = screen.utterances.len();
                    let found = (1..=n)
                        .map(|k| (state.current + k) % n)
                        .find(|&i| screen.utterances[i].text.to_lowercase().contains(&query));
                    match found {
                        Some(i) => return Some(Command::Jump(i)),
                        None => view.note = Some(format!("no sentence has “{query}”")),
                    }
                }
                KeyCode::Char(c) => q.push(c),
                _ => {}
            }
            return None;
        }
        Mode::Reading => {}
    }
    Some(match key.code {
        KeyCode::Char(' ') => Command::TogglePause,
        KeyCode::Char('n') | KeyCode::Right => Command::Next,
        KeyCode::Char('p') | KeyCode::Left => Command::Previous,
        KeyCode::Char(']') | KeyCode::Down => Command::NextParagraph,
        KeyCode::Char('[') | KeyCode::Up => Command::PreviousParagraph,
        KeyCode::Char('+') | KeyCode::Char('=') => Command::Faster,
        KeyCode::Char('-') | KeyCode::Char('_') => Command::Slower,
        KeyCode::Char('v') => Command::NextVoice,
        KeyCode::Char('g') | KeyCode::Home => Command::First,
        KeyCode::Char('G') | KeyCode::End => Command::Last,
        KeyCode::Char('q') | KeyCode::Esc => Command::Quit,
        KeyCode::Char('/') => {
            view.mode = Mode::Search(String::new());
            return None;
        }
        KeyCode::Char('?') => {
            view.mode = Mode::Help;
            return None;
        }
        _ => return None,
    })
}

/// Who reads: a loop that calls its argument on every turn with the state
/// to show, and gets the command given (the library's [`reader::read`], or
/// the system speaker's `read`).
pub(crate) type Driver<'a> = dyn FnMut(&mut Next<'_>) -> Result<reader::Outcome> + 'a;

/// What a driver calls on every turn: the state to show and how long it may
/// wait, giving back the command given.
pub(crate) type Next<'a> = dyn FnMut(&State, Duration) -> Result<Option<Command>> + 'a;

/// The library's [`reader::read`] into `output`, as a [`Driver`].
pub(crate) fn engine_driver<'a>(
    utterances: &'a [Utterance],
    options: &'a ReaderOptions,
    output: &'a mut dyn Output,
) -> impl FnMut(&mut Next<'_>) -> Result<reader::Outcome> + 'a {
    move |next| reader::read(utterances, options, output, next)
}

/// The reader's event loop: `drive` reading, with the screen drawn on
/// every turn and keys read from `events` (the terminal, or a script in
/// tests). `stopped()` (SIGTERM, SIGHUP) quits as `q` does.
pub(crate) fn run_reader<B: Backend>(
    terminal: &mut Terminal<B>,
    events: &mut dyn FnMut(Duration, &State) -> Result<Option<Event>>,
    screen: &Screen,
    drive: &mut Driver<'_>,
    stopped: &dyn Fn() -> bool,
) -> Result<reader::Outcome> {
    let mut view = View::new();
    let mut last: Option<(State, Mode, Option<String>)> = None;
    drive(&mut |state, wait| {
        if stopped() {
            return Ok(Some(Command::Quit));
        }
        let now = (state.clone(), view.mode.clone(), view.note.clone());
        if last.as_ref() != Some(&now) {
            terminal
                .draw(|f| draw_reader(f, screen, state, &mut view))
                .map_err(|e| Error::Invalid(format!("cannot draw on the terminal: {e}")))?;
            last = Some(now);
        }
        // A terminal that cannot be read (hung up) ends the reading as q does.
        let Ok(event) = events(wait, state) else {
            return Ok(Some(Command::Quit));
        };
        match event {
            // Debug builds only: a panic on demand, so that a test can see
            // the panic hook give the terminal back.
            #[cfg(debug_assertions)]
            Some(Event::Key(key))
                if key.code == KeyCode::Char('!') && std::env::var_os("HARK_DEBUG_PANIC_KEY").is_some() =>
            {
                panic!("panic on demand (HARK_DEBUG_PANIC_KEY)")
            }
            Some(Event::Key(key)) => Ok(reader_key(key, &mut view, screen, state)),
            Some(Event::Resize(..)) => {
                last = None;
                Ok(None)
            }
            _ => Ok(None),
        }
    })
}

/// Keys from the terminal for the reader.
pub(crate) fn terminal_events(wait: Duration, _: &State) -> Result<Option<Event>> {
    picker_events(wait)
}

/// What the picker ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Picked {
    /// Read these utterances aloud (indices, in order), then come back.
    Play(Vec<usize>),
    /// Export them.
    Export(Vec<usize>),
    /// Print them as selectors.
    Print(Vec<usize>),
    /// Leave without doing anything.
    Quit,
}

/// The picker's state: where the cursor is and what is marked.
#[derive(Debug, Default)]
pub(crate) struct Picker {
    pub cursor: usize,
    pub marked: std::collections::BTreeSet<usize>,
    /// Where a `v` range began.
    anchor: Option<usize>,
    help: bool,
    note: Option<String>,
    wrapped: Option<(u16, Wrapped)>,
}

const PICKER_KEYS: &[(&str, &str)] = &[
    ("↓ j  ↑ k", "next / previous sentence"),
    ("] [", "next / previous paragraph"),
    ("g  G", "first / last sentence"),
    ("space", "mark or unmark the sentence"),
    ("v", "start a range; v again marks it"),
    ("P", "mark or unmark the paragraph"),
    ("c", "clear the marks"),
    ("enter", "read the marked passages aloud"),
    ("e", "export them (options after --)"),
    ("y", "print them as selectors and quit"),
    ("q  esc", "quit"),
];

/// Draw the picker: the text with the cursor's sentence reversed, marked
/// sentences in green, a range being made underlined, and a status line.
pub(crate) fn draw_picker(frame: &mut Frame, screen: &Screen, picker: &mut Picker) {
    let area = frame.area();
    let [top, body, said, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(picker.note.is_some())),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!("pick: {}", screen.title),
            Style::new().add_modifier(Modifier::BOLD),
        ))),
        top,
    );
    let (lo, hi) = match picker.anchor {
        Some(a) => (a.min(picker.cursor), a.max(picker.cursor)),
        None => (usize::MAX, 0),
    };
    let (cursor, marked) = (picker.cursor, &picker.marked);
    draw_text(frame, body, &mut picker.wrapped, screen.utterances, cursor, &|i| {
        let mut style = Style::new();
        if let Some(i) = i {
            if marked.contains(&i) {
                style = style.bg(Color::Green).fg(Color::Black);
            }
            if (lo..=hi).contains(&i) {
                style = style.add_modifier(Modifier::UNDERLINED);
            }
            if i == cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
        }
        style
    });
    if let Some(n) = &picker.note {
        frame.render_widget(
            Paragraph::new(Span::styled(n.clone(), Style::new().fg(Color::Yellow))),
            said,
        );
    }
    let line = format!(
        "sentence {}/{}  ·  {} marked  ·  space v P: mark  ·  enter: read  ·  e: export  ·  y: print  ·  ? keys",
        picker.cursor + 1,
        screen.utterances.len(),
        picker.marked.len()
    );
    frame.render_widget(
        Paragraph::new(Span::styled(line, Style::new().add_modifier(Modifier::REVERSED))),
        status,
    );
    if picker.help {
        help_box(frame, area, PICKER_KEYS);
    }
}

fn toggle(set: &mut std::collections::BTreeSet<usize>, i: usize) {
    if !set.remove(&i) {
        set.insert(i);
    }
}

/// What a key does in the picker; `Some` ends it.
fn picker_key(key: KeyEvent, p: &mut Picker, utterances: &[Utterance]) -> Option<Picked> {
    if key.kind == KeyEventKind::Release || utterances.is_empty() {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Picked::Quit);
    }
    p.note = None;
    if p.help {
        p.help = false;
        return None;
    }
    let n = utterances.len();
    let block = |i: usize| (utterances[i].passage, utterances[i].paragraph);
    let marked = |p: &Picker| p.marked.iter().copied().collect::<Vec<_>>();
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => p.cursor = (p.cursor + 1).min(n - 1),
        KeyCode::Up | KeyCode::Char('k') => p.cursor = p.cursor.saturating_sub(1),
        KeyCode::PageDown => p.cursor = (p.cursor + 10).min(n - 1),
        KeyCode::PageUp => p.cursor = p.cursor.saturating_sub(10),
        KeyCode::Char(']') => p.cursor = reader::next_paragraph(utterances, p.cursor),
        KeyCode::Char('[') => p.cursor = reader::previous_paragraph(utterances, p.cursor),
        KeyCode::Char('g') | KeyCode::Home => p.cursor = 0,
        KeyCode::Char('G') | KeyCode::End => p.cursor = n - 1,
        KeyCode::Char(' ') => toggle(&mut p.marked, p.cursor),
        KeyCode::Char('v') => match p.anchor.take() {
            None => {
                p.anchor = Some(p.cursor);
                p.note = Some(format!(
                    "a range from sentence {}: move, then v to mark it",
                    p.cursor + 1
                ));
            }
            Some(a) => p.marked.extend(a.min(p.cursor)..=a.max(p.cursor)),
        },
        KeyCode::Char('P') => {
            let here = block(p.cursor);
            let para: Vec<usize> = (0..n).filter(|&i| block(i) == here).collect();
            if para.iter().all(|i| p.marked.contains(i)) {
                for i in para {
                    p.marked.remove(&i);
                }
            } else {
                p.marked.extend(para);
            }
        }
        KeyCode::Char('c') => {
            p.marked.clear();
            p.anchor = None;
        }
        KeyCode::Enter => {
            return Some(Picked::Play(if p.marked.is_empty() {
                vec![p.cursor]
            } else {
                marked(p)
            }))
        }
        KeyCode::Char('e') | KeyCode::Char('y') if p.marked.is_empty() => {
            p.note = Some("nothing is marked yet: space marks a sentence".into());
        }
        KeyCode::Char('e') => return Some(Picked::Export(marked(p))),
        KeyCode::Char('y') => return Some(Picked::Print(marked(p))),
        KeyCode::Char('?') => p.help = true,
        // Esc first drops a range being made.
        KeyCode::Char('q') | KeyCode::Esc => return p.anchor.take().map_or(Some(Picked::Quit), |_| None),
        _ => {}
    }
    None
}

/// The picker's event loop, drawing after every key.
pub(crate) fn run_picker<B: Backend>(
    terminal: &mut Terminal<B>,
    events: &mut dyn FnMut(Duration) -> Result<Option<Event>>,
    screen: &Screen,
    picker: &mut Picker,
    stopped: &dyn Fn() -> bool,
) -> Result<Picked> {
    loop {
        if stopped() {
            return Ok(Picked::Quit);
        }
        terminal
            .draw(|f| draw_picker(f, screen, picker))
            .map_err(|e| Error::Invalid(format!("cannot draw on the terminal: {e}")))?;
        let Ok(event) = events(Duration::from_millis(100)) else {
            return Ok(Picked::Quit); // the terminal hung up
        };
        if let Some(Event::Key(key)) = event {
            if let Some(done) = picker_key(key, picker, screen.utterances) {
                return Ok(done);
            }
        }
    }
}

/// Keys from the terminal: waits up to `wait` for one.
pub(crate) fn picker_events(wait: Duration) -> Result<Option<Event>> {
    let err = |e: std::io::Error| Error::Invalid(format!("cannot read the keyboard: {e}"));
    if event::poll(wait).map_err(err)? {
        Ok(Some(event::read().map_err(err)?))
    } else {
        Ok(None)
    }
}

/// Where the screen is drawn: standard output, or standard error (so that
/// `hark pick … | …` can draw while its result goes down the pipe).
type Screenful = Box<dyn std::io::Write>;

fn stream(on_stderr: bool) -> Screenful {
    if on_stderr {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    }
}

/// The terminal in full-screen raw mode for as long as this lives; put
/// back on drop, and by the panic hook on a panic.
pub(crate) struct FullScreen {
    pub terminal: Terminal<ratatui::backend::CrosstermBackend<Screenful>>,
    on_stderr: bool,
}

static ON_STDERR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn restore(on_stderr: bool) {
    use ratatui::crossterm::{cursor, execute, terminal};
    let _ = terminal::disable_raw_mode();
    let _ = execute!(stream(on_stderr), terminal::LeaveAlternateScreen, cursor::Show);
}

impl FullScreen {
    /// Take over the terminal, drawing on standard output (or error).
    pub(crate) fn enter(on_stderr: bool) -> Result<FullScreen> {
        use ratatui::crossterm::{cursor, execute, terminal};
        use std::sync::atomic::Ordering;
        let err = |e: std::io::Error| Error::Invalid(format!("cannot take over the terminal: {e}"));
        ON_STDERR.store(on_stderr, Ordering::Relaxed);
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore(ON_STDERR.load(Ordering::Relaxed));
                previous(info);
            }));
        });
        terminal::enable_raw_mode().map_err(err)?;
        if let Err(e) = execute!(stream(on_stderr), terminal::EnterAlternateScreen, cursor::Hide) {
            restore(on_stderr);
            return Err(err(e));
        }
        match Terminal::new(ratatui::backend::CrosstermBackend::new(stream(on_stderr))) {
            Ok(terminal) => Ok(FullScreen { terminal, on_stderr }),
            Err(e) => {
                restore(on_stderr);
                Err(err(e))
            }
        }
    }
}

impl Drop for FullScreen {
    fn drop(&mut self) {
        restore(self.on_stderr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hark::speech::reader::NullOutput;
    use hark::{Article, ReadOptions};
    use ratatui::backend::TestBackend;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    fn utterances() -> Vec<Utterance> {
        let text = "Ministers met on Monday to talk about the budget for next year. They did not agree.\n\n\
                    A second paragraph begins with this sentence. Then it ends here.";
        let a = Article::from_bytes("t", text.as_bytes(), &ReadOptions::default()).unwrap();
        a.utterances(&a.select(&[]).unwrap(), &Default::default())
    }

    fn screen(utts: &[Utterance]) -> Screen<'_> {
        Screen {
            title: "A test".into(),
            warning: None,
            utterances: utts,
        }
    }

    fn state(current: usize, total: usize) -> State {
        // State is non-exhaustive outside the library: take one from a reader.
        let voice = hark::speech::find_voice(&hark::config::Dirs::from_env(), "pico-en-us").unwrap();
        let utts = utterances();
        let mut got = None;
        let mut opts = ReaderOptions::new(voice);
        opts.start = current;
        hark::speech::reader::read(&utts, &opts, &mut NullOutput::realtime(), &mut |s, _| {
            got = Some(s.clone());
            Ok(Some(Command::Quit))
        })
        .unwrap();
        let s = got.unwrap();
        assert_eq!(s.total, total);
        s
    }

    /// The text drawn in a style, row by row.
    fn styled(buf: &ratatui::buffer::Buffer, bg: Color) -> String {
        let mut out = String::new();
        for y in 0..buf.area.height {
            let row: String = (0..buf.area.width)
                .filter(|&x| buf[(x, y)].bg == bg)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            if !row.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(row.trim());
            }
        }
        out
    }

    fn row_text(buf: &ratatui::buffer::Buffer, y: u16) -> String {
        (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect()
    }

    #[test]
    fn the_sentence_being_spoken_is_the_one_highlighted_even_when_wrapped() {
        let utts = utterances();
        for current in 0..utts.len() {
            let st = state(current, utts.len());
            let mut term = Terminal::new(TestBackend::new(44, 14)).unwrap();
            let mut view = View::new();
            term.draw(|f| draw_reader(f, &screen(&utts), &st, &mut view)).unwrap();
            let buf = term.backend().buffer();
            assert_eq!(styled(buf, Color::Yellow), utts[current].text, "sentence {current}");
            let status = row_text(buf, 13);
            assert!(status.contains(&format!("sentence {}/4", current + 1)), "{status}");
        }
    }

    #[test]
    fn a_long_article_scrolls_to_keep_the_sentence_in_view() {
        let text: String = (0..60).map(|i| format!("Sentence number {i} is here.\n\n")).collect();
        let a = Article::from_bytes("t", text.as_bytes(), &ReadOptions::default()).unwrap();
        let utts = a.utterances(&a.select(&[]).unwrap(), &Default::default());
        let voice = hark::speech::find_voice(&hark::config::Dirs::from_env(), "pico-en-us").unwrap();
        let mut opts = ReaderOptions::new(voice);
        opts.start = 50;
        let mut got = None;
        hark::speech::reader::read(&utts, &opts, &mut NullOutput::realtime(), &mut |s, _| {
            got = Some(s.clone());
            Ok(Some(Command::Quit))
        })
        .unwrap();
        let st = got.unwrap();
        let mut term = Terminal::new(TestBackend::new(40, 12)).unwrap();
        term.draw(|f| draw_reader(f, &screen(&utts), &st, &mut View::new()))
            .unwrap();
        assert_eq!(
            styled(term.backend().buffer(), Color::Yellow),
            "Sentence number 50 is here."
        );
    }

    /// Keys through the same loop the binary runs, with a fake clock and no audio.
    #[test]
    fn keys_pause_skip_change_rate_search_and_quit() {
        let utts = utterances();
        let voice = hark::speech::find_voice(&hark::config::Dirs::from_env(), "pico-en-us").unwrap();
        let clock = Arc::new(AtomicU64::new(0));
        let c2 = Arc::clone(&clock);
        let mut output = NullOutput::new(Box::new(move || Duration::from_micros(c2.load(Ordering::SeqCst))));
        let mut term = Terminal::new(TestBackend::new(110, 16)).unwrap();
        let key = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        let enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        // (wait until, press): the script of a user.
        type Check = Box<dyn Fn(&State) -> bool>;
        let script: Vec<(Check, Vec<Event>)> = vec![
            (Box::new(|s: &State| !s.waiting), vec![key(' ')]),
            (Box::new(|s: &State| s.paused), vec![key('n')]),
            (Box::new(|s: &State| s.paused && s.current == 1), vec![key(' ')]),
            (Box::new(|s: &State| !s.paused), vec![key('+'), key('+')]),
            (
                Box::new(|s: &State| (s.rate - 1.2).abs() < 1e-6),
                vec![key('/'), key('e'), key('n'), key('d'), key('s'), enter],
            ),
            (Box::new(|s: &State| s.current == 3), vec![key('?')]),
            (Box::new(|_: &State| true), vec![key('x'), key('g')]),
            (Box::new(|s: &State| s.current == 0), vec![key('q')]),
        ];
        let mut step = 0;
        let mut queue: std::collections::VecDeque<Event> = Default::default();
        let mut seen = Vec::new();
        let outcome = run_reader(
            &mut term,
            &mut |wait, state| {
                seen.push(state.clone());
                assert!(seen.len() < 100_000, "stuck at step {step}: {state:?}");
                if !state.waiting {
                    clock.fetch_add(wait.as_micros() as u64, Ordering::SeqCst);
                } else {
                    std::thread::sleep(Duration::from_millis(1));
                }
                if let Some(e) = queue.pop_front() {
                    return Ok(Some(e));
                }
                // A user who listens: keys while audio plays (or is paused).
                if step < script.len() && !state.waiting && (script[step].0)(state) {
                    queue.extend(script[step].1.iter().cloned());
                    step += 1;
                }
                Ok(None)
            },
            &screen(&utts),
            &mut engine_driver(&utts, &ReaderOptions::new(voice), &mut output),
            &|| false,
        )
        .unwrap();
        assert_eq!(step, script.len());
        assert!(!outcome.finished);
        assert_eq!(outcome.position, 0);
        // The search for "ends" found the last sentence.
        assert!(seen.iter().any(|s| s.current == 3 && !s.paused));
        let status = row_text(term.backend().buffer(), 15);
        assert!(status.contains("rate 1.2"), "{status}");
        // The pause stopped the stream; the resume began another.
        assert!(output.streams.len() >= 2, "{:?}", output.streams);
    }

    #[test]
    fn a_search_that_finds_nothing_says_so() {
        let utts = utterances();
        let st = state(0, utts.len());
        let mut view = View::new();
        let scr = screen(&utts);
        for c in "/zebra".chars() {
            assert_eq!(
                reader_key(
                    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                    &mut view,
                    &scr,
                    &st
                ),
                None
            );
        }
        assert_eq!(
            reader_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), &mut view, &scr, &st),
            None
        );
        assert_eq!(view.note.as_deref(), Some("no sentence has “zebra”"));
        assert_eq!(
            reader_key(
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                &mut view,
                &scr,
                &st
            ),
            Some(Command::Quit)
        );
    }

    #[test]
    fn picker_keys_mark_sentences_ranges_and_paragraphs() {
        let utts = utterances();
        let mut p = Picker::default();
        let press = |p: &mut Picker, keys: &str| -> Option<Picked> {
            let mut last = None;
            for c in keys.chars() {
                let code = match c {
                    '\n' => KeyCode::Enter,
                    c => KeyCode::Char(c),
                };
                last = picker_key(KeyEvent::new(code, KeyModifiers::NONE), p, &utts);
            }
            last
        };
        // Nothing marked: y says so instead of printing nothing.
        assert_eq!(press(&mut p, "y"), None);
        assert!(p.note.as_deref().unwrap().contains("nothing is marked"));
        press(&mut p, " j");
        assert_eq!(p.marked.iter().copied().collect::<Vec<_>>(), [0]);
        // v at sentence 2, v again at sentence 3: 1..=2 marked.
        press(&mut p, "vjv");
        assert_eq!(p.marked.iter().copied().collect::<Vec<_>>(), [0, 1, 2]);
        // P on the second paragraph (sentences 2 and 3) marks all of it; again unmarks it.
        press(&mut p, "P");
        assert_eq!(p.marked.len(), 4);
        press(&mut p, "P");
        assert_eq!(p.marked.iter().copied().collect::<Vec<_>>(), [0, 1]);
        // [ goes to the paragraph's start (from its start, the one before), ] to the next one.
        press(&mut p, "j[");
        assert_eq!(p.cursor, 2);
        press(&mut p, "[");
        assert_eq!(p.cursor, 0);
        press(&mut p, "]");
        assert_eq!(p.cursor, 2);
        assert_eq!(press(&mut p, "y"), Some(Picked::Print(vec![0, 1])));
        assert_eq!(press(&mut p, "\n"), Some(Picked::Play(vec![0, 1])));
        press(&mut p, "c");
        assert_eq!(
            press(&mut p, "\n"),
            Some(Picked::Play(vec![2])),
            "enter with nothing marked reads the cursor's"
        );
        // q drops a range being made before it quits.
        press(&mut p, "v");
        assert_eq!(press(&mut p, "q"), None);
        assert_eq!(press(&mut p, "q"), Some(Picked::Quit));
    }

    #[test]
    fn the_picker_shows_marks_and_the_cursor() {
        let utts = utterances();
        let mut p = Picker::default();
        p.marked.insert(1);
        p.marked.insert(3);
        p.cursor = 2;
        let mut term = Terminal::new(TestBackend::new(60, 14)).unwrap();
        term.draw(|f| draw_picker(f, &screen(&utts), &mut p)).unwrap();
        let buf = term.backend().buffer();
        assert_eq!(styled(buf, Color::Green), format!("{} {}", utts[1].text, utts[3].text));
        let reversed: String = (0..buf.area.height - 1)
            .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
            .filter(|&(x, y)| buf[(x, y)].modifier.contains(Modifier::REVERSED))
            .map(|(x, y)| buf[(x, y)].symbol().to_string())
            .collect();
        assert_eq!(reversed.replace(' ', ""), utts[2].text.replace(' ', ""));
        assert!(row_text(buf, 13).contains("sentence 3/4  ·  2 marked"));
    }
}
